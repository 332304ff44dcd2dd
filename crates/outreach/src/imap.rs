//! Reading a mailbox's new mail over IMAP (the inbox check).
//!
//! A check signs in, opens the folder read-only (`EXAMINE`, and `BODY.PEEK`: nothing is marked
//! read), and reads the messages after the last UID it read, at most a batch of them. When the
//! folder's UIDVALIDITY is new (the first check, or the server rebuilt the folder) it starts
//! from the messages received since a given day instead of the whole folder. Each message is
//! read up to [`MAX_BYTES`]: enough for the headers, the text and a bounce report, not for
//! attachments.
//!
//! Every step has its own deadline, and the server's address is checked like the SMTP server's
//! (no private or internal addresses unless allowed).

use std::fmt::Debug;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_imap::Client;
use chrono::NaiveDate;
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

use crate::smtp::{resolve, Timeouts};

/// How much of a message is read.
pub const MAX_BYTES: u32 = 256 * 1024;

/// How an inbox is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapServer {
    pub host: String,
    pub port: u16,
    /// `none`, `starttls` or `tls`.
    pub security: String,
    pub username: String,
    pub password: String,
    pub folder: String,
}

/// Where the last check stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub uid_validity: Option<u32>,
    pub last_uid: u32,
}

/// What one check read.
#[derive(Debug, Default)]
pub struct Batch {
    pub uid_validity: u32,
    /// (UID, the message's first [`MAX_BYTES`]) in UID order.
    pub messages: Vec<(u32, Vec<u8>)>,
    /// The UID to read after next time: the last one read, or (a new folder, read in full)
    /// the folder's last.
    pub last_uid: u32,
    /// More new messages wait than one batch holds.
    pub more: bool,
}

/// Reads up to `max` new messages of `server`'s folder after `cursor` (from the messages since
/// `since` when the folder is new to us).
pub async fn fetch_new(
    server: &ImapServer,
    cursor: Cursor,
    since: NaiveDate,
    max: usize,
    timeouts: &Timeouts,
    allow_private: bool,
) -> Result<Batch, String> {
    let ip = resolve(&server.host, server.port, allow_private, timeouts.connect)
        .await
        .map_err(|(_, why)| why)?;
    let tcp = match timeout(timeouts.connect, TcpStream::connect((ip, server.port))).await {
        Ok(Ok(tcp)) => tcp,
        Ok(Err(e)) => return Err(format!("connect: {e}")),
        Err(_) => return Err("connect: timed out".into()),
    };
    let read = Reading {
        server,
        cursor,
        since,
        max,
        timeouts,
    };
    match server.security.as_str() {
        "tls" => {
            let tls = tls(tcp, &server.host, timeouts).await?;
            read.run(greeted(Client::new(tls), timeouts).await?).await
        }
        "starttls" => {
            let mut client = greeted(Client::new(tcp), timeouts).await?;
            step(
                "STARTTLS",
                timeouts.command,
                client.run_command_and_check_ok("STARTTLS", None),
            )
            .await?;
            let tls = tls(client.into_inner(), &server.host, timeouts).await?;
            // No greeting after STARTTLS.
            read.run(Client::new(tls)).await
        }
        _ => read.run(greeted(Client::new(tcp), timeouts).await?).await,
    }
}

struct Reading<'a> {
    server: &'a ImapServer,
    cursor: Cursor,
    since: NaiveDate,
    max: usize,
    timeouts: &'a Timeouts,
}

impl Reading<'_> {
    async fn run<T>(self, client: Client<T>) -> Result<Batch, String>
    where
        T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
    {
        let t = self.timeouts.command;
        let login = client.login(&self.server.username, &self.server.password);
        let mut session = match timeout(t, login).await {
            Ok(Ok(session)) => session,
            Ok(Err((e, _))) => return Err(format!("sign-in refused: {e}")),
            Err(_) => return Err("LOGIN: timed out".into()),
        };
        let folder = step("EXAMINE", t, session.examine(&self.server.folder)).await?;
        let uid_validity = folder
            .uid_validity
            .ok_or_else(|| format!("{} has no UIDVALIDITY", self.server.folder))?;
        let known = self.cursor.uid_validity == Some(uid_validity);
        let query = if known {
            format!("UID {}:*", self.cursor.last_uid.saturating_add(1))
        } else {
            format!("SINCE {}", self.since.format("%-d-%b-%Y"))
        };
        let found = step("UID SEARCH", t, session.uid_search(&query)).await?;
        let mut uids: Vec<u32> = found
            .into_iter()
            // `n:*` names the last message even when its UID is below n.
            .filter(|uid| !known || *uid > self.cursor.last_uid)
            .collect();
        uids.sort_unstable();
        let more = uids.len() > self.max;
        uids.truncate(self.max);
        let mut messages = Vec::with_capacity(uids.len());
        if !uids.is_empty() {
            let set = uids
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let query = format!("(UID BODY.PEEK[]<0.{MAX_BYTES}>)");
            let fetching = async {
                session
                    .uid_fetch(&set, &query)
                    .await?
                    .try_collect::<Vec<_>>()
                    .await
            };
            let fetched = step("UID FETCH", self.timeouts.data, fetching).await?;
            messages = fetched
                .iter()
                .filter_map(|f| Some((f.uid?, f.body()?.to_vec())))
                .filter(|(uid, _)| uids.binary_search(uid).is_ok())
                .collect();
            messages.sort_by_key(|(uid, _)| *uid);
        }
        let _ = timeout(t, session.logout()).await;
        let last_read = messages.last().map(|(uid, _)| *uid);
        let last_uid = if known || more {
            last_read.unwrap_or(self.cursor.last_uid)
        } else {
            // A new folder read in full: whatever it held before the day counts as seen.
            let newest = folder.uid_next.map_or(0, |next| next.saturating_sub(1));
            newest.max(last_read.unwrap_or(0))
        };
        Ok(Batch {
            uid_validity,
            messages,
            last_uid,
            more,
        })
    }
}

/// Runs one IMAP step under its deadline.
async fn step<V>(
    name: &str,
    deadline: Duration,
    work: impl std::future::Future<Output = async_imap::error::Result<V>>,
) -> Result<V, String> {
    match timeout(deadline, work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(format!("{name}: {e}")),
        Err(_) => Err(format!("{name}: timed out")),
    }
}

/// Reads the server's greeting.
async fn greeted<T>(mut client: Client<T>, timeouts: &Timeouts) -> Result<Client<T>, String>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    match timeout(timeouts.command, client.read_response()).await {
        Ok(Ok(Some(_))) => Ok(client),
        Ok(Ok(None)) => Err("the server closed the connection".into()),
        Ok(Err(e)) => Err(format!("greeting: {e}")),
        Err(_) => Err("greeting: timed out".into()),
    }
}

async fn tls(
    tcp: TcpStream,
    host: &str,
    timeouts: &Timeouts,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, String> {
    let name = ServerName::try_from(host.to_owned()).map_err(|e| format!("{host}: {e}"))?;
    let connector = TlsConnector::from(tls_config()?);
    match timeout(timeouts.connect, connector.connect(name, tcp)).await {
        Ok(Ok(stream)) => Ok(stream),
        Ok(Err(e)) => Err(format!("TLS: {e}")),
        Err(_) => Err("TLS: timed out".into()),
    }
}

/// TLS with the system's trusted roots (read once).
fn tls_config() -> Result<Arc<ClientConfig>, String> {
    static CONFIG: OnceLock<Result<Arc<ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = RootCertStore::empty();
            for cert in rustls_native_certs::load_native_certs().certs {
                // A certificate the store cannot use is skipped, as browsers do.
                let _ = roots.add(cert);
            }
            let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
            ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map(|b| Arc::new(b.with_root_certificates(roots).with_no_client_auth()))
                .map_err(|e| format!("TLS setup: {e}"))
        })
        .clone()
}
