//! `sandbox:sql`: the project's transform SQL (bronze → silver → gold) in the DuckDB sandbox.
//!
//! Parameters: `sql` (statements; `CREATE TABLE silver.x AS …` / `gold.y` become Parquet files
//! of those layers), optional `sampleRows`. The result lists each table written (rows,
//! columns, a sample, path, bytes), the last statement's rows, and the duration. A re-run of
//! the same attempt writes the same files again: idempotent.

use std::time::Instant;

use async_trait::async_trait;
use kernel::projects::UsageItem;
use sandbox::SandboxError;
use serde_json::{json, Value};

use super::{
    seconds, text, TableWritten, TaskCall, TaskEnv, TaskOutcome, TaskResource, TaskResult,
};
use crate::asl::StatesError;

pub struct SandboxSql;

#[async_trait]
impl TaskResource for SandboxSql {
    async fn invoke(&self, env: &TaskEnv, call: &TaskCall) -> Result<TaskOutcome, StatesError> {
        let sql = text(&call.input, "sql").ok_or_else(|| {
            StatesError::task_failed("sandbox:sql needs a string parameter \"sql\"")
        })?;
        let sample_rows = call
            .input
            .get("sampleRows")
            .and_then(Value::as_u64)
            .map_or(20, |n| usize::try_from(n).unwrap_or(20).min(1_000));
        run_sql(env, call, sql, sample_rows)
            .await
            .map(TaskOutcome::Done)
    }
}

/// Runs `sql` in the project's workspace and reports it as a task result.
pub(crate) async fn run_sql(
    env: &TaskEnv,
    call: &TaskCall,
    sql: &str,
    sample_rows: usize,
) -> Result<TaskResult, StatesError> {
    let workspace = env.workspace(call)?;
    for layer in ["bronze", "silver", "gold"] {
        std::fs::create_dir_all(workspace.join(layer))
            .map_err(|e| StatesError::task_failed(format!("cannot prepare the workspace: {e}")))?;
    }
    let sandbox = env.sandbox()?;
    let mut request = sandbox.request(&workspace, sql);
    request.sample_rows = sample_rows;
    let started = Instant::now();
    let response = sandbox.run(&request).await.map_err(sandbox_error)?;
    let elapsed = started.elapsed();
    let rows: u64 = response.tables.iter().map(|t| t.rows).sum();
    let bytes: u64 = response.tables.iter().map(|t| t.bytes).sum();
    Ok(TaskResult {
        output: json!({
            "tables": response.tables,
            "result": response.result,
            "durationMs": response.duration_ms,
        }),
        usage: vec![UsageItem {
            resource: "duckdb.cpu".into(),
            provider: Some("duckdb".into()),
            quantity: seconds(elapsed),
            run_id: None,
            occurred_at: None,
        }],
        rows: i64::try_from(rows).ok(),
        bytes: i64::try_from(bytes).ok(),
        events: Vec::new(),
        tables: response
            .tables
            .iter()
            .map(|t| TableWritten {
                layer: t.layer.as_str().to_owned(),
                name: t.name.clone(),
                rows: i64::try_from(t.rows).unwrap_or(i64::MAX),
                bytes: i64::try_from(t.bytes).unwrap_or(i64::MAX),
            })
            .collect(),
    })
}

/// The sandbox's errors as States errors a flow can Retry or Catch by name.
pub(crate) fn sandbox_error(error: SandboxError) -> StatesError {
    match error {
        SandboxError::Refused { reason } => StatesError::new("Sandbox.Refused", reason),
        SandboxError::Sql { message } => StatesError::new("Sandbox.SqlError", message),
        SandboxError::Limit { which, message } => {
            StatesError::new("Sandbox.LimitExceeded", format!("{which}: {message}"))
        }
        SandboxError::Internal { message } => StatesError::task_failed(message),
    }
}
