//! A local SMTP sink: accepts every message and hands it over, so outgoing mail works offline
//! and tests can read what was sent.
//!
//! It speaks just enough SMTP (RFC 5321) for real clients such as lettre: a `220` greeting,
//! `EHLO`/`HELO`, `MAIL FROM`, `RCPT TO`, `DATA` (up to the `<CRLF>.<CRLF>` line, with dot
//! unstuffing), `RSET`, `NOOP` and `QUIT`; anything else is a `500`. It never relays and
//! offers no TLS or AUTH: bind it to loopback. Every input is bounded (line length, message
//! size, recipients, idle time, connections) so a misbehaving client costs little.
//!
//! A message is answered `250` only once the receiver of the channel given to
//! [`MailSink::serve`] has taken it, so a client that saw `250` knows its mail was handed over.
//! `fortress mail-sink` writes each one to an `.eml` file; the test kit keeps them in a mailbox.

mod message;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

pub use message::ReceivedMail;

/// The name the sink gives itself in its replies.
const SERVER_NAME: &str = "datafortress-mail-sink";

/// Bounds on what one client may send.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Longest line, CRLF included (RFC 5321's text-line limit is 1000).
    pub max_line: usize,
    /// Largest message, after dot unstuffing.
    pub max_message: usize,
    /// Most recipients of one message.
    pub max_recipients: usize,
    /// A connection silent for this long is closed.
    pub idle_timeout: Duration,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_line: 1000,
            max_message: 10 * 1024 * 1024,
            max_recipients: 100,
            idle_timeout: Duration::from_secs(60),
            max_connections: 64,
        }
    }
}

/// A bound SMTP sink; [`serve`](Self::serve) runs it.
pub struct MailSink {
    listener: TcpListener,
    limits: Limits,
}

impl MailSink {
    /// Binds (port 0 picks a free port).
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<Self> {
        Ok(Self {
            listener: TcpListener::bind(addr).await?,
            limits: Limits::default(),
        })
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Accepts connections, each served on its own task, until the receiving end of
    /// `deliver` is dropped.
    pub async fn serve(self, deliver: mpsc::Sender<ReceivedMail>) {
        let slots = Arc::new(Semaphore::new(self.limits.max_connections.max(1)));
        loop {
            let accepted = tokio::select! {
                accepted = accept(&self.listener, &slots) => accepted,
                () = deliver.closed() => return,
            };
            match accepted {
                Ok((stream, peer, slot)) => {
                    let deliver = deliver.clone();
                    let limits = self.limits;
                    tokio::spawn(async move {
                        if let Err(err) = converse(stream, limits, deliver).await {
                            tracing::debug!(%peer, error = %err, "mail sink connection failed");
                        }
                        drop(slot);
                    });
                }
                Err(err) => {
                    // Typically out of file descriptors: pause instead of spinning.
                    tracing::warn!(error = %err, "mail sink cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
}

/// Waits for a free connection slot, then for a connection.
async fn accept(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> io::Result<(TcpStream, SocketAddr, OwnedSemaphorePermit)> {
    let slot = Arc::clone(slots)
        .acquire_owned()
        .await
        .map_err(|_| io::Error::other("connection slots closed"))?;
    let (stream, peer) = listener.accept().await?;
    Ok((stream, peer, slot))
}

/// The sender and recipients of the message being composed.
#[derive(Default)]
struct Envelope {
    from: Option<String>,
    to: Vec<String>,
}

/// One SMTP session.
async fn converse(
    mut stream: TcpStream,
    limits: Limits,
    deliver: mpsc::Sender<ReceivedMail>,
) -> io::Result<()> {
    let (read, mut write) = stream.split();
    let mut read = BufReader::new(read);
    reply(&mut write, &format!("220 {SERVER_NAME} ESMTP ready")).await?;
    let mut envelope = Envelope::default();
    loop {
        let line = match next_line(&mut read, &limits).await? {
            Line::Text(line) => line,
            Line::TooLong => {
                reply(&mut write, "500 5.5.2 Line too long").await?;
                continue;
            }
            Line::Idle => return reply(&mut write, "421 4.4.2 Idle for too long; closing").await,
            Line::Closed => return Ok(()),
        };
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        let (verb, arg) = line.split_once(' ').unwrap_or((line, ""));
        let arg = arg.trim();
        match verb.to_ascii_uppercase().as_str() {
            "EHLO" | "HELO" if arg.is_empty() => {
                reply(&mut write, "501 5.5.4 Say hello with your name").await?;
            }
            "EHLO" => {
                envelope = Envelope::default();
                let max = limits.max_message;
                let text = format!("250-{SERVER_NAME}\r\n250-8BITMIME\r\n250 SIZE {max}");
                reply(&mut write, &text).await?;
            }
            "HELO" => {
                envelope = Envelope::default();
                reply(&mut write, &format!("250 {SERVER_NAME}")).await?;
            }
            "MAIL" => {
                let text = match (&envelope.from, path_after(arg, "FROM:")) {
                    (Some(_), _) => "503 5.5.1 Nested MAIL command",
                    (None, None) => "501 5.5.4 Syntax: MAIL FROM:<address>",
                    (None, Some(from)) => {
                        envelope.from = Some(from);
                        "250 2.1.0 OK"
                    }
                };
                reply(&mut write, text).await?;
            }
            "RCPT" => {
                let text = match path_after(arg, "TO:") {
                    _ if envelope.from.is_none() => "503 5.5.1 Need MAIL before RCPT",
                    None => "501 5.5.4 Syntax: RCPT TO:<address>",
                    Some(_) if envelope.to.len() >= limits.max_recipients => {
                        "452 4.5.3 Too many recipients"
                    }
                    Some(to) if to.is_empty() => "501 5.1.3 A recipient is needed",
                    Some(to) => {
                        envelope.to.push(to);
                        "250 2.1.5 OK"
                    }
                };
                reply(&mut write, text).await?;
            }
            "DATA" => {
                if envelope.from.is_none() || envelope.to.is_empty() {
                    reply(&mut write, "503 5.5.1 Need MAIL and RCPT before DATA").await?;
                    continue;
                }
                let Envelope { from, to } = std::mem::take(&mut envelope);
                let from = from.unwrap_or_default();
                reply(&mut write, "354 End data with <CR><LF>.<CR><LF>").await?;
                let text = match read_data(&mut read, &limits).await? {
                    Data::Message(data) => {
                        let mail = ReceivedMail { from, to, data };
                        match deliver.send(mail).await {
                            Ok(()) => "250 2.0.0 OK: delivered",
                            Err(_) => "451 4.3.0 The sink is shutting down",
                        }
                    }
                    Data::TooBig => "552 5.3.4 Message exceeds the size limit",
                    Data::Idle => {
                        return reply(&mut write, "421 4.4.2 Idle for too long; closing").await
                    }
                    Data::Closed => return Ok(()),
                };
                reply(&mut write, text).await?;
            }
            "RSET" => {
                envelope = Envelope::default();
                reply(&mut write, "250 2.0.0 OK").await?;
            }
            "NOOP" => reply(&mut write, "250 2.0.0 OK").await?,
            "QUIT" => return reply(&mut write, "221 2.0.0 Bye").await,
            _ => reply(&mut write, "500 5.5.2 Command not recognised").await?,
        }
    }
}

/// `<address>` after a `FROM:`/`TO:` keyword (case-insensitive); parameters after the path
/// (`BODY=8BITMIME`, `SIZE=…`) are ignored. `Some("")` for the null path `<>`; `None` for a
/// malformed path.
fn path_after(arg: &str, keyword: &str) -> Option<String> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start();
    let path = match rest.strip_prefix('<') {
        Some(inner) => inner.split_once('>')?.0,
        None => rest.split_whitespace().next()?,
    };
    // Paths end up in headers of the stored message: no control characters.
    (!path.chars().any(char::is_control)).then(|| path.to_owned())
}

async fn reply<W: AsyncWrite + Unpin>(write: &mut W, text: &str) -> io::Result<()> {
    write.write_all(text.as_bytes()).await?;
    write.write_all(b"\r\n").await
}

enum Line {
    /// A whole line, with its line ending.
    Text(Vec<u8>),
    /// Longer than the limit; the rest of it has been read and dropped.
    TooLong,
    Idle,
    Closed,
}

async fn next_line<R: AsyncBufRead + Unpin>(read: &mut R, limits: &Limits) -> io::Result<Line> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        line.clear();
        let limit = u64::try_from(limits.max_line).unwrap_or(u64::MAX);
        let mut bounded = (&mut *read).take(limit);
        let chunk = bounded.read_until(b'\n', &mut line);
        let Ok(n) = tokio::time::timeout(limits.idle_timeout, chunk).await else {
            return Ok(Line::Idle);
        };
        if n? == 0 {
            return Ok(Line::Closed);
        }
        if line.ends_with(b"\n") {
            return Ok(if too_long {
                Line::TooLong
            } else {
                Line::Text(line)
            });
        }
        // The limit was reached without a line ending: drop what follows up to it.
        too_long = true;
    }
}

enum Data {
    Message(Vec<u8>),
    TooBig,
    Idle,
    Closed,
}

/// Reads the message text after `354`, up to the line holding a single dot.
async fn read_data<R: AsyncBufRead + Unpin>(read: &mut R, limits: &Limits) -> io::Result<Data> {
    let mut data = Vec::new();
    let mut too_big = false;
    loop {
        let line = match next_line(read, limits).await? {
            Line::Text(line) => line,
            // Still read to the end, so the client gets its answer in step.
            Line::TooLong => {
                too_big = true;
                continue;
            }
            Line::Idle => return Ok(Data::Idle),
            Line::Closed => return Ok(Data::Closed),
        };
        if line == b".\r\n" || line == b".\n" {
            return Ok(if too_big {
                Data::TooBig
            } else {
                Data::Message(data)
            });
        }
        // Dot unstuffing: a line the client started with a dot had one added.
        let text = line.strip_prefix(b".").unwrap_or(&line);
        if too_big || data.len() + text.len() > limits.max_message {
            too_big = true;
            data = Vec::new();
        } else {
            data.extend_from_slice(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernel::mail::{Mail, Mailer, SmtpMailer};

    async fn start(limits: Limits) -> (SocketAddr, mpsc::Receiver<ReceivedMail>) {
        let sink = MailSink::bind("127.0.0.1:0")
            .await
            .unwrap()
            .with_limits(limits);
        let addr = sink.local_addr().unwrap();
        let (tx, rx) = mpsc::channel(8);
        tokio::spawn(sink.serve(tx));
        (addr, rx)
    }

    #[tokio::test]
    async fn lettre_delivers_through_the_sink() {
        let (addr, mut inbox) = start(Limits::default()).await;
        let mailer = SmtpMailer::new(
            &format!("smtp://{addr}"),
            "DataFortress <no-reply@datafortress.local>",
        )
        .unwrap();
        let link = format!("https://app.test/reset-password?token={}", "x".repeat(90));
        let text = format!("Hello,\n.a line that starts with a dot\n\n{link}\n");

        mailer
            .send(Mail {
                to: "ada@acme.test".into(),
                subject: "Reset your password".into(),
                text: text.clone(),
            })
            .await
            .unwrap();

        let mail = inbox.recv().await.unwrap();
        assert_eq!(mail.from, "no-reply@datafortress.local");
        assert_eq!(mail.to, ["ada@acme.test"]);
        assert_eq!(mail.subject().as_deref(), Some("Reset your password"));
        // lettre ends the data with a line break of its own before the final dot.
        assert_eq!(mail.text().trim_end(), text.trim_end());
    }

    /// Sends each chunk (one command, or a message's text with its final dot), reads its
    /// reply, and returns the first line of every reply, the greeting first.
    async fn talk(addr: SocketAddr, lines: &[&str]) -> Vec<String> {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let (read, mut write) = stream.split();
        let mut read = BufReader::new(read);
        let mut replies = vec![read_reply(&mut read).await];
        for line in lines {
            write.write_all(line.as_bytes()).await.unwrap();
            replies.push(read_reply(&mut read).await);
        }
        replies
    }

    /// The first line of a (possibly multi-line) reply.
    async fn read_reply<R: AsyncBufRead + Unpin>(read: &mut R) -> String {
        let mut first = String::new();
        loop {
            let mut line = String::new();
            read.read_line(&mut line).await.unwrap();
            if first.is_empty() {
                first = line.trim_end().to_owned();
            }
            if line.len() < 4 || line.as_bytes()[3] != b'-' {
                return first;
            }
        }
    }

    fn codes(replies: &[String]) -> Vec<&str> {
        replies.iter().map(|r| &r[..3]).collect()
    }

    #[tokio::test]
    async fn speaks_the_commands_in_order_and_refuses_the_rest() {
        let (addr, mut inbox) = start(Limits::default()).await;

        let replies = talk(
            addr,
            &[
                "RCPT TO:<early@x.test>\r\n",
                "DATA\r\n",
                "VRFY someone\r\n",
                "ehlo client.test\r\n",
                "NOOP\r\n",
                "MAIL FROM:<a@x.test> BODY=8BITMIME\r\n",
                "MAIL FROM:<again@x.test>\r\n",
                "RSET\r\n",
                "RCPT TO:<b@x.test>\r\n",
                "MAIL FROM:<a@x.test>\r\n",
                "RCPT TO:<b@x.test>\r\n",
                "RCPT TO:<c@x.test>\r\n",
                "DATA\r\n",
                "Subject: hi\r\n\r\n..leading dot\r\ndone\r\n.\r\n",
                "QUIT\r\n",
            ],
        )
        .await;

        assert_eq!(
            codes(&replies),
            [
                "220", "503", "503", "500", "250", "250", "250", "503", "250", "503", "250", "250",
                "250", "354", "250", "221"
            ],
            "{replies:#?}"
        );
        let mail = inbox.recv().await.unwrap();
        assert_eq!(mail.to, ["b@x.test", "c@x.test"]);
        assert_eq!(mail.data, b"Subject: hi\r\n\r\n.leading dot\r\ndone\r\n");
    }

    #[tokio::test]
    async fn bounds_line_and_message_sizes() {
        let limits = Limits {
            max_line: 64,
            max_message: 100,
            ..Limits::default()
        };
        let (addr, mut inbox) = start(limits).await;
        let long_line = format!("{}\r\n", "y".repeat(200));
        let big = format!("{}\r\n", "z".repeat(60)).repeat(3);

        let replies = talk(
            addr,
            &[
                &format!("NOOP {long_line}"),
                "HELO client.test\r\n",
                "MAIL FROM:<a@x.test>\r\n",
                "RCPT TO:<b@x.test>\r\n",
                "DATA\r\n",
                &format!("{big}.\r\n"),
                "MAIL FROM:<a@x.test>\r\n",
                "RCPT TO:<b@x.test>\r\n",
                "DATA\r\n",
                "small\r\n.\r\n",
            ],
        )
        .await;

        assert_eq!(
            codes(&replies),
            ["220", "500", "250", "250", "250", "354", "552", "250", "250", "354", "250"],
            "{replies:#?}"
        );
        let mail = inbox.recv().await.unwrap();
        assert_eq!(
            mail.data, b"small\r\n",
            "only the message within bounds arrived"
        );
    }
}
