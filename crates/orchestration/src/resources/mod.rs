//! Task resources: what a Task state's `Resource` names, behind one trait.
//!
//! Each resource has a real adapter and an offline default that works on a fresh machine:
//!
//! | resource | real adapter | offline default |
//! |---|---|---|
//! | `airbyte:sync` | Airbyte API: trigger a sync job, poll it | load a file from an HTTP URL into bronze, or take the bronze files as they are |
//! | `sandbox:sql` | (E2B: not built) | DuckDB in a locked-down child process (`crates/sandbox`) |
//! | `modal:run` | Modal web endpoint + callback with the task token | a SQL scoring model run in the sandbox |
//! | `reverse_etl:hubspot` | HubSpot contacts batch upsert (100 per call) | scores written to our own leads, through an event the leads slice consumes |
//! | `http:callback` | any HTTPS endpoint (SSRF-guarded) | the same |
//! | `activepieces:run` | an ActivePieces flow, as an automation run | the tenant's flow of that name, as an automation run |
//!
//! A task is attempted at least once: a worker that dies mid-task runs it again with the same
//! idempotency key (`<execution>:<state>:<attempt>`), which every adapter passes on (an
//! `Idempotency-Key` header, a recorded provider job id to poll instead of starting another
//! job, an output file overwritten, an event published only with the state's transition).

pub mod automation;
pub mod callback;
pub mod ingest;
pub mod reverse_etl;
pub mod scoring;
pub mod sql;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use kernel::cache::Cache;
use kernel::events::NewEvent;
use kernel::outbound::{GuardedResolver, TargetPolicy};
use kernel::projects::UsageItem;
use kernel::TenantId;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

use crate::asl::StatesError;

/// One attempt of one Task state.
#[derive(Debug, Clone)]
pub struct TaskCall {
    pub tenant: TenantId,
    pub project: Option<Uuid>,
    pub execution: Uuid,
    pub state: String,
    pub attempt: u32,
    /// `<execution>:<state>:<attempt>`: the same on a repeated run of this attempt.
    pub key: String,
    /// The state's effective input (after InputPath and Parameters).
    pub input: Value,
    /// The task token, for `.waitForTaskToken` tasks.
    pub token: Option<String>,
}

/// What a finished task hands back.
#[derive(Debug, Default)]
pub struct TaskResult {
    pub output: Value,
    pub usage: Vec<UsageItem>,
    /// For the project tree node the state colours.
    pub rows: Option<i64>,
    pub bytes: Option<i64>,
    /// Domain events published with the state's transition (exactly once, with it).
    pub events: Vec<NewEvent>,
    /// Tables the task wrote: each colours the tree node named `<layer>_<table>` (such as
    /// `silver_orders`) GREEN with its rows and bytes, when the project has one.
    pub tables: Vec<TableWritten>,
}

/// A table a task wrote in one of the project's layers.
#[derive(Debug, Clone)]
pub struct TableWritten {
    pub layer: String,
    pub name: String,
    pub rows: i64,
    pub bytes: i64,
}

/// A task's answer: done, or (for `.waitForTaskToken` tasks) handed off, to be completed by a
/// callback that names the token.
#[derive(Debug)]
pub enum TaskOutcome {
    Done(TaskResult),
    Waiting,
}

/// What adapters share: the database (for effect records), Redis, HTTP clients.
#[derive(Clone)]
pub struct TaskEnv {
    pub db: PgPool,
    pub cache: Cache,
    /// For tenant-given URLs: internal addresses refused (unless dev), no redirects.
    pub guarded_http: reqwest::Client,
    /// For configured provider endpoints.
    pub http: reqwest::Client,
    /// Whether tenant-given URLs may be private (dev and tests only).
    pub policy: TargetPolicy,
    /// This API's public base URL (callbacks are sent to it).
    pub public_url: String,
    /// Where the local object store keeps a project's files (`<dir>/tenants/<t>/projects/<p>`).
    pub objects_dir: Option<PathBuf>,
    pub sandbox: Option<Arc<sandbox::Sandbox>>,
}

impl TaskEnv {
    pub fn new(
        db: PgPool,
        cache: Cache,
        policy: TargetPolicy,
        public_url: String,
        objects_dir: Option<PathBuf>,
        sandbox: Option<Arc<sandbox::Sandbox>>,
    ) -> Result<Self, reqwest::Error> {
        let guarded_http = reqwest::Client::builder()
            .dns_resolver(Arc::new(GuardedResolver(policy)))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()?;
        Ok(Self {
            db,
            cache,
            guarded_http,
            http,
            policy,
            public_url,
            objects_dir,
            sandbox,
        })
    }

    /// The project's directory in the local object store.
    pub fn workspace(&self, call: &TaskCall) -> Result<PathBuf, StatesError> {
        let project = call.project.ok_or_else(|| {
            StatesError::task_failed(
                "this task works on a data project: give the flow a project_id",
            )
        })?;
        let dir = self.objects_dir.as_ref().ok_or_else(|| {
            StatesError::task_failed(
                "the local DuckDB sandbox needs the local object store (OBJECTS_DIR)",
            )
        })?;
        Ok(kernel::projects::workspace_dir(dir, call.tenant, project))
    }

    pub fn sandbox(&self) -> Result<&sandbox::Sandbox, StatesError> {
        self.sandbox.as_deref().ok_or_else(|| {
            StatesError::task_failed(
                "no sandbox binary (fortress-sandbox) was found on this worker",
            )
        })
    }
}

#[async_trait]
pub trait TaskResource: Send + Sync {
    async fn invoke(&self, env: &TaskEnv, call: &TaskCall) -> Result<TaskOutcome, StatesError>;
}

/// The resources a worker runs, by name.
#[derive(Clone, Default)]
pub struct Resources {
    by_name: BTreeMap<&'static str, Arc<dyn TaskResource>>,
}

impl Resources {
    pub fn with(mut self, name: &'static str, resource: impl TaskResource + 'static) -> Self {
        self.by_name.insert(name, Arc::new(resource));
        self
    }

    pub fn get(&self, name: &str) -> Option<Arc<dyn TaskResource>> {
        self.by_name.get(name).cloned()
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.by_name.keys().copied()
    }

    /// Every resource with its adapter as configured (`None`: the offline default).
    pub fn configured(providers: &Providers) -> Self {
        Self::default()
            .with(
                "airbyte:sync",
                ingest::Ingest::new(providers.airbyte.clone()),
            )
            .with("sandbox:sql", sql::SandboxSql)
            .with("modal:run", scoring::Scoring::new(providers.modal.clone()))
            .with(
                "reverse_etl:hubspot",
                reverse_etl::ReverseEtl::new(providers.hubspot.clone()),
            )
            .with("http:callback", callback::HttpCallback)
            .with(
                "activepieces:run",
                automation::RunAutomation::new(providers.activepieces.is_some()),
            )
    }
}

/// A provider's endpoint and key, from configuration.
#[derive(Debug, Clone)]
pub struct Provider {
    pub base_url: String,
    pub token: String,
}

/// The external providers configured (each `None` uses its offline default).
#[derive(Debug, Clone, Default)]
pub struct Providers {
    pub airbyte: Option<Provider>,
    pub modal: Option<Provider>,
    pub hubspot: Option<Provider>,
    /// ActivePieces (automation runs and `activepieces:run` tasks).
    pub activepieces: Option<Provider>,
}

/// A string field of the task's input.
pub(crate) fn text<'a>(input: &'a Value, field: &str) -> Option<&'a str> {
    input.get(field).and_then(Value::as_str)
}

/// The seconds a task took, as a usage quantity.
pub(crate) fn seconds(elapsed: Duration) -> rust_decimal::Decimal {
    rust_decimal::Decimal::from_f64_retain(elapsed.as_secs_f64())
        .unwrap_or_default()
        .round_dp(3)
}

/// Sends a provider request, retrying 429 and 5xx answers (after `Retry-After` when given,
/// else a doubling delay; at most [`PROVIDER_ATTEMPTS`] tries), and returns the JSON body.
pub(crate) async fn send_with_retries(
    build: impl Fn() -> reqwest::RequestBuilder,
) -> Result<Value, StatesError> {
    let mut delay = Duration::from_millis(250);
    let mut attempt = 1;
    loop {
        let response = build()
            .send()
            .await
            .map_err(|e| StatesError::new("Http.Unreachable", e.to_string()))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response.json::<Value>().await.unwrap_or(Value::Null));
        }
        let retryable = status.as_u16() == 429 || status.is_server_error();
        if retryable && attempt < PROVIDER_ATTEMPTS {
            let wait = retry_after(&response).unwrap_or(delay).min(MAX_RETRY_AFTER);
            tokio::time::sleep(wait).await;
            delay = delay.saturating_mul(2);
            attempt += 1;
            continue;
        }
        let body: String = response
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(2_000)
            .collect();
        let name = if retryable {
            "Http.Retryable"
        } else {
            "Http.ClientError"
        };
        return Err(StatesError::new(name, format!("{status}: {body}")));
    }
}

/// Tries of one provider request (the task's own Retry policy comes on top).
pub(crate) const PROVIDER_ATTEMPTS: u32 = 5;
/// The longest `Retry-After` waited for inside a task; longer waits are the flow's Retry's job.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// `Retry-After` in seconds (the HTTP-date form is not used by these providers).
pub(crate) fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}
