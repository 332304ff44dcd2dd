//! Settling a task token from outside (Step Functions' SendTaskSuccess, SendTaskFailure and
//! SendTaskHeartbeat): the sandbox callback webhook and the token API call this.

use kernel::projects::UsageItem;
use kernel::TenantId;
use serde_json::{json, Value};
use std::time::Duration;
use uuid::Uuid;

use super::cursor::{Cursor, Phase};
use super::step::Stepping;
use super::task::{failed, succeeded};
use super::{begin, schedule, Executor, StepError};
use crate::asl::StatesError;
use crate::resources::TaskResult;
use crate::store::executions as store;
use crate::store::tokens;

/// What a callback reports.
#[derive(Debug)]
pub enum Settlement {
    Success {
        output: Value,
        usage: Vec<UsageItem>,
    },
    Failure(StatesError),
    Heartbeat,
}

/// Why a token could not be settled.
#[derive(Debug, thiserror::Error)]
pub enum SettleError {
    #[error("no task waits for this token")]
    UnknownToken,
    #[error("this task was already settled, or its execution has moved on")]
    Settled,
    #[error(transparent)]
    Step(#[from] StepError),
}

impl From<sqlx::Error> for SettleError {
    fn from(e: sqlx::Error) -> Self {
        Self::Step(e.into())
    }
}

impl From<kernel::jobs::EnqueueError> for SettleError {
    fn from(e: kernel::jobs::EnqueueError) -> Self {
        Self::Step(e.into())
    }
}

/// The tenant and execution a token belongs to (any tenant: callbacks carry no tenant).
pub async fn token_owner(
    executor: &Executor,
    token: &str,
) -> Result<Option<(TenantId, Uuid)>, sqlx::Error> {
    let mut conn = executor.db.acquire().await?;
    let owner = tokens::owner(&mut conn, &super::tokens::hash(token)).await?;
    Ok(owner.map(|(tenant, execution)| (TenantId(tenant), execution)))
}

/// Settles `token` of `tenant` as `settlement`; the execution goes on in a job.
pub async fn settle(
    executor: &Executor,
    tenant: TenantId,
    token: &str,
    settlement: Settlement,
) -> Result<Uuid, SettleError> {
    let token_hash = super::tokens::hash(token);
    let mut work = begin(executor, tenant).await?;
    let row = tokens::lock(&mut work, &token_hash)
        .await?
        .ok_or(SettleError::UnknownToken)?;
    if row.completed {
        return Err(SettleError::Settled);
    }
    let exec = store::lock(&mut work, row.execution_id)
        .await?
        .ok_or(SettleError::UnknownToken)?;
    let cursor: Cursor =
        serde_json::from_value(exec.cursor.clone()).map_err(|_| SettleError::Settled)?;
    let waiting = match &cursor.phase {
        Phase::Token { token_hash: h, .. } => *h == hex::encode(&token_hash),
        // The resource may call back before the executor has recorded that it waits.
        Phase::Task { .. } => true,
        _ => false,
    };
    if exec.status != "RUNNING"
        || !waiting
        || cursor.state != row.state
        || i64::from(cursor.attempt) != i64::from(row.attempt)
    {
        return Err(SettleError::Settled);
    }
    let version = executor
        .definitions
        .get(&mut work, tenant.0, exec.flow_id, exec.flow_version)
        .await
        .map_err(|e| StepError::Slice(e.to_string()))?;
    let scope = super::definitions::parse_scope(&exec.scope).map_err(StepError::Slice)?;
    let id = exec.id;
    let mut s = Stepping {
        work,
        exec,
        version,
        scope,
        cursor,
        events: Vec::new(),
        now: chrono::Utc::now(),
        job: 0,
    };
    // Whatever happens next runs in a job, after this commits.
    schedule(&mut s.work, id, None).await?;
    match settlement {
        Settlement::Heartbeat => {
            tokens::heartbeat(&mut s.work, &token_hash).await?;
            if let Phase::Token {
                heartbeat_deadline,
                heartbeat_seconds: Some(secs),
                ..
            } = &mut s.cursor.phase
            {
                let secs = *secs;
                let at = s.now
                    + chrono::Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX / 1000));
                *heartbeat_deadline = Some(at);
                schedule(&mut s.work, id, Some(at)).await?;
            }
            s.event("TaskHeartbeat", json!({}));
            let transitions = s.exec.transitions;
            s.save(transitions).await?;
        }
        Settlement::Success { output, usage } => {
            let result = TaskResult {
                output,
                usage,
                ..TaskResult::default()
            };
            let elapsed = (s.now - s.cursor.entered_at)
                .to_std()
                .unwrap_or(Duration::ZERO);
            succeeded(executor, s, result, elapsed, Some(token)).await?;
        }
        Settlement::Failure(error) => {
            tokens::settle(&mut s.work, &token_hash, "failure").await?;
            failed(executor, s, error).await?;
        }
    }
    Ok(id)
}
