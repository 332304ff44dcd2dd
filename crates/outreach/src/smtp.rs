//! Sending one message over SMTP, knowing how far it got.
//!
//! lettre's transport answers "failed" for a refused recipient and for a connection that broke
//! after the message was handed over alike; a sender that must never send twice has to tell
//! them apart. So this drives lettre's connection command by command:
//!
//! - connect, TLS, EHLO, AUTH, MAIL FROM, RCPT TO, DATA: nothing of the message has left yet,
//!   so any failure here is safe to retry ([`Outcome::Retry`]) — unless the server refused for
//!   good (a 5xx reply: [`Outcome::Rejected`]);
//! - the message itself: a reply decides (250 sent, 4xx retry, 5xx rejected); a broken
//!   connection or a timeout without a reply leaves it unknown ([`Outcome::Unknown`]), and an
//!   unknown message is never sent again.
//!
//! Every step has its own deadline (lettre's only covers connecting). Connections stay open
//! for the next message of the same mailbox (a small pool per mailbox), and one that went bad
//! is dropped.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::response::Response;
use uuid::Uuid;

/// How a mailbox's server is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub host: String,
    pub port: u16,
    /// `none`, `starttls` or `tls`.
    pub security: String,
    pub username: Option<String>,
    pub password: Option<String>,
}

/// How a send ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted: the server's reply.
    Sent(String),
    /// Not sent; trying again later may work (4xx, a connection that failed before the message
    /// left).
    Retry(String),
    /// Refused for good (5xx): the recipient bounced.
    Rejected(String),
    /// The connection broke while the message was on its way: it may or may not have arrived.
    Unknown(String),
}

/// Deadlines of the steps.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub command: Duration,
    /// Sending the message and reading the server's verdict.
    pub data: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            command: Duration::from_secs(30),
            data: Duration::from_secs(120),
        }
    }
}

/// Open connections by mailbox, reused between messages.
pub struct Pool {
    idle: Mutex<HashMap<Uuid, Vec<(Server, AsyncSmtpConnection)>>>,
    timeouts: Timeouts,
    /// May servers on private and loopback addresses be reached (dev and tests only)?
    pub allow_private: bool,
    hello: ClientId,
}

/// Idle connections kept per mailbox.
const IDLE_PER_MAILBOX: usize = 4;

impl Pool {
    pub fn new(timeouts: Timeouts, allow_private: bool) -> Self {
        Self {
            idle: Mutex::new(HashMap::new()),
            timeouts,
            allow_private,
            hello: ClientId::Domain(hostname_or("datafortress.localhost")),
        }
    }

    /// Sends `message` (RFC 5322 bytes) to `envelope`'s recipients through `server`.
    pub async fn send(
        &self,
        mailbox: Uuid,
        server: &Server,
        envelope: &Envelope,
        message: &[u8],
    ) -> Outcome {
        let mut conn = match self.take(mailbox, server) {
            Some(conn) => conn,
            None => match self.connect(server).await {
                Ok(conn) => conn,
                Err(outcome) => return outcome,
            },
        };
        let outcome = self.transaction(&mut conn, envelope, message).await;
        let mut reusable = !conn.has_broken() && !matches!(outcome, Outcome::Unknown(_));
        if reusable && !matches!(outcome, Outcome::Sent(_)) {
            // A refused transaction is still open on the server: reset it before the next.
            let reset = tokio::time::timeout(self.timeouts.command, conn.command(Rset)).await;
            reusable = matches!(reset, Ok(Ok(_)));
        }
        if reusable {
            self.put(mailbox, server, conn);
        } else {
            conn.abort().await;
        }
        outcome
    }

    /// Connects, authenticates and says goodbye: what "test the mailbox" does.
    pub async fn test(&self, server: &Server) -> Result<String, String> {
        let mut conn = self.connect(server).await.map_err(|o| match o {
            Outcome::Retry(m) | Outcome::Rejected(m) | Outcome::Unknown(m) | Outcome::Sent(m) => m,
        })?;
        let greeting = conn.server_info().to_string();
        let _ = tokio::time::timeout(self.timeouts.command, conn.quit()).await;
        Ok(greeting)
    }

    /// Closes the idle connections of `mailbox` (its settings changed).
    pub fn forget(&self, mailbox: Uuid) {
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&mailbox);
    }

    fn take(&self, mailbox: Uuid, server: &Server) -> Option<AsyncSmtpConnection> {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let conns = idle.get_mut(&mailbox)?;
        // Connections made with other settings are dropped.
        conns.retain(|(s, _)| s == server);
        conns.pop().map(|(_, conn)| conn)
    }

    fn put(&self, mailbox: Uuid, server: &Server, conn: AsyncSmtpConnection) {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let conns = idle.entry(mailbox).or_default();
        if conns.len() < IDLE_PER_MAILBOX {
            conns.push((server.clone(), conn));
        }
    }

    async fn connect(&self, server: &Server) -> Result<AsyncSmtpConnection, Outcome> {
        let addr = resolve(
            &server.host,
            server.port,
            self.allow_private,
            self.timeouts.connect,
        )
        .await
        .map_err(|(refused, why)| {
            if refused {
                Outcome::Rejected(why)
            } else {
                Outcome::Retry(why)
            }
        })?;
        let tls = || {
            TlsParameters::new(server.host.clone())
                .map_err(|e| Outcome::Retry(format!("TLS setup failed: {e}")))
        };
        let wrapper = if server.security == "tls" {
            Some(tls()?)
        } else {
            None
        };
        let connecting = AsyncSmtpConnection::connect_tokio1(
            (addr, server.port),
            Some(self.timeouts.connect),
            &self.hello,
            wrapper,
            None,
        );
        let mut conn = match tokio::time::timeout(self.timeouts.connect * 2, connecting).await {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => return Err(before_message("connect", &e)),
            Err(_) => return Err(Outcome::Retry("connect: timed out".into())),
        };
        if server.security == "starttls" {
            if !conn.can_starttls() {
                return Err(Outcome::Retry("the server does not offer STARTTLS".into()));
            }
            let upgrading = conn.starttls(tls()?, &self.hello);
            match tokio::time::timeout(self.timeouts.command, upgrading).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(before_message("STARTTLS", &e)),
                Err(_) => return Err(Outcome::Retry("STARTTLS: timed out".into())),
            }
        }
        if let (Some(user), Some(password)) = (&server.username, &server.password) {
            let credentials = Credentials::new(user.clone(), password.clone());
            let auth = conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials);
            match tokio::time::timeout(self.timeouts.command, auth).await {
                Ok(Ok(_)) => {}
                // A refused login is the mailbox's problem, not the recipient's: retry (and
                // the person fixing the password sees it in the log).
                Ok(Err(e)) => return Err(Outcome::Retry(format!("authentication failed: {e}"))),
                Err(_) => return Err(Outcome::Retry("AUTH: timed out".into())),
            }
        }
        Ok(conn)
    }

    async fn transaction(
        &self,
        conn: &mut AsyncSmtpConnection,
        envelope: &Envelope,
        message: &[u8],
    ) -> Outcome {
        let step = |name: &'static str,
                    result: Result<
            Result<Response, lettre::transport::smtp::Error>,
            tokio::time::error::Elapsed,
        >| match result {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(before_message(name, &e)),
            Err(_) => Err(Outcome::Retry(format!("{name}: timed out"))),
        };
        let t = self.timeouts.command;
        if let Err(o) = step(
            "MAIL FROM",
            tokio::time::timeout(t, conn.command(Mail::new(envelope.from().cloned(), vec![])))
                .await,
        ) {
            return o;
        }
        for to in envelope.to() {
            if let Err(o) = step(
                "RCPT TO",
                tokio::time::timeout(t, conn.command(Rcpt::new(to.clone(), vec![]))).await,
            ) {
                return o;
            }
        }
        if let Err(o) = step("DATA", tokio::time::timeout(t, conn.command(Data)).await) {
            return o;
        }
        // From here on the message is leaving: without a reply, nobody knows if it arrived.
        match tokio::time::timeout(self.timeouts.data, conn.message(message)).await {
            Ok(Ok(response)) => Outcome::Sent(reply_text(&response)),
            Ok(Err(e)) if e.is_transient() => Outcome::Retry(format!("message: {e}")),
            Ok(Err(e)) if e.is_permanent() => Outcome::Rejected(format!("message: {e}")),
            Ok(Err(e)) => Outcome::Unknown(format!("message: {e}")),
            Err(_) => Outcome::Unknown("message: no reply in time".into()),
        }
    }
}

/// A failure before the message left: a 5xx reply is final, anything else may pass later.
fn before_message(step: &str, e: &lettre::transport::smtp::Error) -> Outcome {
    if e.is_permanent() {
        Outcome::Rejected(format!("{step}: {e}"))
    } else {
        Outcome::Retry(format!("{step}: {e}"))
    }
}

fn reply_text(response: &Response) -> String {
    let lines: Vec<&str> = response.message().collect();
    format!("{} {}", response.code(), lines.join(" "))
}

fn hostname_or(fallback: &str) -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty() && h.is_ascii())
        .unwrap_or_else(|| fallback.to_owned())
}

/// `host`'s address; refused (`true`) when it is internal and that is not allowed (SSRF).
pub(crate) async fn resolve(
    host: &str,
    port: u16,
    allow_private: bool,
    deadline: Duration,
) -> Result<IpAddr, (bool, String)> {
    let resolving = tokio::net::lookup_host((host, port));
    let addrs: Vec<IpAddr> = match tokio::time::timeout(deadline, resolving).await {
        Ok(Ok(addrs)) => addrs.map(|a| a.ip()).collect(),
        Ok(Err(e)) => return Err((false, format!("{host}: {e}"))),
        Err(_) => return Err((false, format!("{host}: lookup timed out"))),
    };
    let allowed = |ip: &IpAddr| allow_private || !kernel::outbound::is_internal(*ip);
    match addrs.iter().find(|ip| allowed(ip)) {
        Some(ip) => Ok(*ip),
        None if addrs.is_empty() => Err((false, format!("{host}: no address"))),
        None => Err((true, format!("{host} is a private or internal address"))),
    }
}
