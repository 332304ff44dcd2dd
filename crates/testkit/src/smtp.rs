//! A scripted SMTP server on a free port, for the answers a real server gives that a sink
//! never does: permanent and temporary refusals, a connection dropped after the message, or no
//! answer at all. It counts the messages whose content it received.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::Notify;

/// What a scripted SMTP server does with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Accept everything.
    Accept,
    /// Refuse every recipient for good (550).
    RejectRecipient,
    /// Refuse the first `n` recipients for now (451), then accept.
    DeferRecipient(usize),
    /// Read the whole message, then close the connection without a reply.
    DropAfterMessage,
    /// Read the whole message, then never answer (the connection stays open).
    HoldAfterMessage,
}

/// An SMTP server on a free port that follows a [`Script`] and counts the messages whose
/// content it received.
pub struct FakeSmtp {
    pub addr: String,
    pub messages: Arc<AtomicUsize>,
    pub commands: Arc<Mutex<Vec<String>>>,
    received: Arc<Notify>,
}

impl FakeSmtp {
    pub async fn start(script: Script) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("bind: {e}"))
            .to_string();
        let messages = Arc::new(AtomicUsize::new(0));
        let commands: Arc<Mutex<Vec<String>>> = Arc::default();
        let deferred = Arc::new(AtomicUsize::new(0));
        let received = Arc::new(Notify::new());
        let (m, c, r) = (messages.clone(), commands.clone(), received.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (m, c, d, r) = (m.clone(), c.clone(), deferred.clone(), r.clone());
                tokio::spawn(async move {
                    let _ = session(stream, script, (m, c, d, r)).await;
                });
            }
        });
        Self {
            addr,
            messages,
            commands,
            received,
        }
    }

    /// Waits until at least `n` messages' contents arrived.
    pub async fn wait_for(&self, n: usize) {
        loop {
            let arrived = self.received.notified();
            if self.received() >= n {
                return;
            }
            arrived.await;
        }
    }

    pub fn received(&self) -> usize {
        self.messages.load(Ordering::SeqCst)
    }
}

type Counters = (
    Arc<AtomicUsize>,
    Arc<Mutex<Vec<String>>>,
    Arc<AtomicUsize>,
    Arc<Notify>,
);

async fn session(
    stream: tokio::net::TcpStream,
    script: Script,
    (messages, commands, deferred, received): Counters,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 fake.test ESMTP\r\n").await?;
    while let Some(line) = lines.next_line().await? {
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        commands
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(verb.clone());
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250-fake.test\r\n250 8BITMIME\r\n",
            "MAIL" | "NOOP" | "RSET" => b"250 OK\r\n",
            "RCPT" => match script {
                Script::RejectRecipient => b"550 5.1.1 No such user here\r\n",
                Script::DeferRecipient(n) if deferred.fetch_add(1, Ordering::SeqCst) < n => {
                    b"451 4.7.1 Greylisted, try again later\r\n"
                }
                _ => b"250 OK\r\n",
            },
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                while let Some(data) = lines.next_line().await? {
                    if data == "." {
                        break;
                    }
                }
                messages.fetch_add(1, Ordering::SeqCst);
                received.notify_waiters();
                match script {
                    Script::DropAfterMessage => return Ok(()),
                    Script::HoldAfterMessage => {
                        // Until the client gives up.
                        while lines.next_line().await?.is_some() {}
                        return Ok(());
                    }
                    _ => {}
                }
                b"250 2.0.0 Ok: queued as FAKE1\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 Command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
    Ok(())
}
