//! Connector health: every connector a project depends on is checked live, all at once, each
//! within its own timeout, so one slow system costs the answer at most that timeout.
//!
//! Checked: the object store (a listing of the project's prefix), the mail server (its SMTP
//! greeting), and the project's own connectors (Airbyte's health endpoint, any HTTP API: an
//! answer below 500 is up). The sandbox and the LLM provider join this list with the slices
//! that bring them.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use futures_util::TryStreamExt;
use serde::Serialize;
use tokio::io::AsyncReadExt;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::layers::{Area, ObjectKey, Objects};
use crate::model::Layer;
use crate::store::connectors::Connector;

/// One connector's health, as checked now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectorHealth {
    /// `object_store`, `mail`, or the project connector's name.
    pub name: String,
    /// `object_store`, `smtp`, `airbyte` or `http`.
    pub kind: String,
    /// `up`, `down` or `timeout`.
    pub status: &'static str,
    /// How long the check took (the timeout, when it ran out).
    pub latency_ms: u64,
    /// Why it is not up.
    pub error: Option<String>,
    pub checked_at: DateTime<Utc>,
}

/// What the checks need: the object store, the SMTP server's address, an HTTP client that
/// refuses internal addresses (unless allowed), and the per-check timeout.
#[derive(Clone)]
pub struct HealthChecks {
    pub objects: Objects,
    /// `host:port` of the mail server, if mail is sent over SMTP.
    pub smtp: Option<String>,
    pub client: reqwest::Client,
    pub timeout: Duration,
}

impl HealthChecks {
    /// Checks everything for `project` of `tenant` in parallel.
    pub async fn check(
        &self,
        tenant: Uuid,
        project: Uuid,
        connectors: &[Connector],
    ) -> Vec<ConnectorHealth> {
        let mut checks: Vec<futures_util::future::BoxFuture<'_, ConnectorHealth>> = Vec::new();
        checks.push(Box::pin(self.timed(
            "object_store",
            "object_store",
            self.object_store(tenant, project),
        )));
        if let Some(smtp) = &self.smtp {
            checks.push(Box::pin(self.timed("mail", "smtp", smtp_greeting(smtp))));
        }
        for connector in connectors {
            let url = match connector.kind.as_str() {
                "airbyte" => format!("{}/api/v1/health", connector.url.trim_end_matches('/')),
                _ => connector.url.clone(),
            };
            checks.push(Box::pin(self.timed(
                &connector.name,
                &connector.kind,
                self.http(url),
            )));
        }
        join_all(checks).await
    }

    async fn timed(
        &self,
        name: &str,
        kind: &str,
        check: impl std::future::Future<Output = Result<(), String>>,
    ) -> ConnectorHealth {
        let started = Instant::now();
        let outcome = tokio::time::timeout(self.timeout, check).await;
        let latency_ms = started.elapsed().as_millis() as u64;
        let timed_out = || {
            (
                "timeout",
                Some(format!("no answer within {} ms", self.timeout.as_millis())),
            )
        };
        let (status, error) = match outcome {
            Ok(Ok(())) => ("up", None),
            Ok(Err(why)) if why == TIMED_OUT => timed_out(),
            Ok(Err(why)) => ("down", Some(why)),
            Err(_) => timed_out(),
        };
        ConnectorHealth {
            name: name.to_owned(),
            kind: kind.to_owned(),
            status,
            latency_ms,
            error,
            checked_at: Utc::now(),
        }
    }

    async fn object_store(&self, tenant: Uuid, project: Uuid) -> Result<(), String> {
        let prefix = ObjectKey::area_prefix(tenant, project, Area::Layer(Layer::Bronze));
        self.objects
            .store()
            .list(Some(&prefix))
            .try_next()
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    async fn http(&self, url: String) -> Result<(), String> {
        let response = self
            .client
            .get(&url)
            .send()
            .await
            .map_err(|e| describe(&e))?;
        let status = response.status();
        if status.is_server_error() {
            Err(format!("answered {status}"))
        } else {
            Ok(())
        }
    }
}

/// Up when the server at `addr` greets with `220`.
async fn smtp_greeting(addr: &str) -> Result<(), String> {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    let mut greeting = [0u8; 3];
    stream
        .read_exact(&mut greeting)
        .await
        .map_err(|e| format!("no greeting from {addr}: {e}"))?;
    if &greeting == b"220" {
        Ok(())
    } else {
        Err(format!(
            "{addr} greeted with {:?}",
            String::from_utf8_lossy(&greeting)
        ))
    }
}

/// What a check that ran out of time says (the HTTP client may notice before the check's own
/// timeout does).
const TIMED_OUT: &str = "timed out";

/// A request error without the URL's query (it may hold a token).
fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        return TIMED_OUT.to_owned();
    }
    let what = if err.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    match std::error::Error::source(err) {
        Some(source) => format!("{what}: {source}"),
        None => what.to_owned(),
    }
}
