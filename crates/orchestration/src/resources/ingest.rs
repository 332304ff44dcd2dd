//! `airbyte:sync`: the ingest step, landing raw data in bronze.
//!
//! **Airbyte** (when `AIRBYTE_URL` is set): `POST /v1/jobs {"connectionId", "jobType":"sync"}`
//! with the bearer key, then `GET /v1/jobs/{jobId}` until the job is `succeeded` (done),
//! `failed`/`cancelled`/`incomplete` (`Airbyte.SyncFailed`). The job id is recorded under the
//! attempt's idempotency key first, so a repeated attempt polls the same job instead of
//! starting another sync. Usage: `airbyte.rows`.
//!
//! **Offline default**: with `url`, fetches that file (CSV, JSON lines or Parquet, named by
//! `name` or the URL's last segment) into the project's bronze folder (written to a temporary
//! name, then renamed: a repeat overwrites it); without, takes the bronze files as they are.
//! Either way the result lists the bronze files.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use kernel::projects::UsageItem;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{
    send_with_retries, text, Provider, TaskCall, TaskEnv, TaskOutcome, TaskResource, TaskResult,
};
use crate::asl::StatesError;
use crate::store::tokens;

pub struct Ingest {
    airbyte: Option<Provider>,
}

impl Ingest {
    pub fn new(airbyte: Option<Provider>) -> Self {
        Self { airbyte }
    }
}

/// How often an Airbyte job is polled.
const POLL: Duration = Duration::from_millis(500);
/// The most a downloaded bronze file may weigh.
const MAX_DOWNLOAD: u64 = 1 << 30;

#[async_trait]
impl TaskResource for Ingest {
    async fn invoke(&self, env: &TaskEnv, call: &TaskCall) -> Result<TaskOutcome, StatesError> {
        match &self.airbyte {
            Some(airbyte) => airbyte_sync(env, call, airbyte).await,
            None => local_load(env, call).await,
        }
        .map(TaskOutcome::Done)
    }
}

async fn airbyte_sync(
    env: &TaskEnv,
    call: &TaskCall,
    airbyte: &Provider,
) -> Result<TaskResult, StatesError> {
    let connection = text(&call.input, "connectionId").ok_or_else(|| {
        StatesError::task_failed("airbyte:sync needs a string parameter \"connectionId\"")
    })?;
    let base = airbyte.base_url.trim_end_matches('/');
    let job_id = match recorded_job(env, call).await? {
        Some(id) => id,
        None => {
            let started = send_with_retries(|| {
                env.http
                    .post(format!("{base}/v1/jobs"))
                    .bearer_auth(&airbyte.token)
                    .json(&json!({"connectionId": connection, "jobType": "sync"}))
            })
            .await?;
            let id = started
                .get("jobId")
                .map(|v| v.to_string().trim_matches('"').to_owned())
                .ok_or_else(|| {
                    StatesError::new("Airbyte.BadResponse", "no jobId in Airbyte's answer")
                })?;
            record_job(env, call, &id).await?;
            id
        }
    };
    loop {
        let job = send_with_retries(|| {
            env.http
                .get(format!("{base}/v1/jobs/{job_id}"))
                .bearer_auth(&airbyte.token)
        })
        .await?;
        match job.get("status").and_then(Value::as_str).unwrap_or("") {
            "succeeded" => {
                let rows = job.get("rowsSynced").and_then(Value::as_i64).unwrap_or(0);
                let bytes = job.get("bytesSynced").and_then(Value::as_i64);
                return Ok(TaskResult {
                    output: json!({"jobId": job_id, "status": "succeeded", "rowsSynced": rows, "bytesSynced": bytes}),
                    usage: vec![UsageItem {
                        resource: "airbyte.rows".into(),
                        provider: Some("airbyte".into()),
                        quantity: Decimal::from(rows),
                        run_id: None,
                        occurred_at: None,
                    }],
                    rows: Some(rows),
                    bytes,
                    events: Vec::new(),
                    tables: Vec::new(),
                });
            }
            status @ ("failed" | "cancelled" | "incomplete") => {
                return Err(StatesError::new(
                    "Airbyte.SyncFailed",
                    format!("Airbyte job {job_id} ended {status}"),
                ))
            }
            _ => tokio::time::sleep(POLL).await,
        }
    }
}

async fn recorded_job(env: &TaskEnv, call: &TaskCall) -> Result<Option<String>, StatesError> {
    let mut tx = kernel::tenancy::tenant_tx_for(&env.db, call.tenant)
        .await
        .map_err(db_error)?;
    let found = tokens::effect(&mut tx, &call.key).await.map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(found.and_then(|(external, _)| external))
}

async fn record_job(env: &TaskEnv, call: &TaskCall, job: &str) -> Result<(), StatesError> {
    let mut tx = kernel::tenancy::tenant_tx_for(&env.db, call.tenant)
        .await
        .map_err(db_error)?;
    tokens::record_effect(
        &mut tx,
        &call.key,
        call.execution,
        "airbyte:sync",
        Some(job),
        &json!({}),
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

fn db_error(e: sqlx::Error) -> StatesError {
    StatesError::task_failed(format!("database: {e}"))
}

async fn local_load(env: &TaskEnv, call: &TaskCall) -> Result<TaskResult, StatesError> {
    let bronze = env.workspace(call)?.join("bronze");
    tokio::fs::create_dir_all(&bronze)
        .await
        .map_err(|e| StatesError::task_failed(format!("cannot prepare bronze: {e}")))?;
    let mut loaded = None;
    if let Some(url) = text(&call.input, "url") {
        let url = kernel::outbound::check_url(url, env.policy)
            .map_err(|why| StatesError::new("Http.InvalidUrl", format!("url {why}")))?;
        let name = match text(&call.input, "name") {
            Some(name) => name.to_owned(),
            None => url
                .path_segments()
                .and_then(|mut s| s.next_back())
                .unwrap_or("")
                .to_owned(),
        };
        if !is_bronze_name(&name) {
            return Err(StatesError::task_failed(format!(
                "{name:?} is not a bronze file name: a plain name ending .csv, .jsonl or .parquet"
            )));
        }
        let bytes = download(env, url, &bronze.join(&name)).await?;
        loaded = Some(json!({"name": name, "bytes": bytes}));
    }
    let files = list_files(&bronze).await?;
    let bytes: u64 = files.iter().filter_map(|f| f["bytes"].as_u64()).sum();
    Ok(TaskResult {
        output: json!({"loaded": loaded, "files": files}),
        bytes: i64::try_from(bytes).ok(),
        ..TaskResult::default()
    })
}

fn is_bronze_name(name: &str) -> bool {
    let plain = !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    plain
        && [".csv", ".jsonl", ".ndjson", ".parquet"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

async fn download(env: &TaskEnv, url: url::Url, target: &Path) -> Result<u64, StatesError> {
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;

    let response = env
        .guarded_http
        .get(url)
        .send()
        .await
        .map_err(|e| StatesError::new("Http.Unreachable", e.to_string()))?;
    if !response.status().is_success() {
        let status = response.status().as_u16();
        let name = if status == 429 || status >= 500 {
            "Http.Retryable"
        } else {
            "Http.ClientError"
        };
        return Err(StatesError::new(
            name,
            format!("the download answered {status}"),
        ));
    }
    let partial = target.with_extension("partial");
    let mut file = tokio::fs::File::create(&partial)
        .await
        .map_err(|e| StatesError::task_failed(format!("cannot write bronze: {e}")))?;
    let mut written = 0u64;
    let mut body = response.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| StatesError::new("Http.Unreachable", e.to_string()))?;
        written += chunk.len() as u64;
        if written > MAX_DOWNLOAD {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(StatesError::task_failed("the download is over 1 GiB"));
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| StatesError::task_failed(format!("cannot write bronze: {e}")))?;
    }
    file.flush()
        .await
        .map_err(|e| StatesError::task_failed(format!("cannot write bronze: {e}")))?;
    tokio::fs::rename(&partial, target)
        .await
        .map_err(|e| StatesError::task_failed(format!("cannot write bronze: {e}")))?;
    Ok(written)
}

async fn list_files(dir: &Path) -> Result<Vec<Value>, StatesError> {
    let mut files = Vec::new();
    let mut entries = tokio::fs::read_dir(dir)
        .await
        .map_err(|e| StatesError::task_failed(format!("cannot read bronze: {e}")))?;
    while let Ok(Some(entry)) = entries.next_entry().await {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(".partial") {
            continue;
        }
        let bytes = entry.metadata().await.map(|m| m.len()).unwrap_or(0);
        files.push(json!({"name": name, "bytes": bytes}));
    }
    files.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    Ok(files)
}
