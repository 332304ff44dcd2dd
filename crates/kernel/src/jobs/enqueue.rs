//! Enqueueing a job inside the caller's tenant transaction.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;

use super::{valid_kind, EnqueueError};

/// A typed job: its payload is the value itself, serialised as JSON.
pub trait Job: Serialize + DeserializeOwned + Send + 'static {
    /// The stable name workers dispatch on, `<slice>.<action>` (e.g. `webhooks.deliver`).
    const KIND: &'static str;
}

/// How a job runs; every field is optional.
#[derive(Debug, Clone, Default)]
pub struct JobOptions {
    /// Not before this time (default: now).
    pub run_at: Option<DateTime<Utc>>,
    /// At most one waiting job per (tenant, key): enqueueing a waiting key returns that job.
    pub key: Option<String>,
    /// Attempts before the job is dead (1-100, default 10).
    pub max_attempts: Option<i32>,
    /// Jobs of one named queue run one at a time, in order.
    pub queue: Option<String>,
    /// Lower runs first (default 0).
    pub priority: i16,
}

impl JobOptions {
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn run_at(mut self, at: DateTime<Utc>) -> Self {
        self.run_at = Some(at);
        self
    }

    pub fn max_attempts(mut self, attempts: i32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    pub fn queue(mut self, queue: impl Into<String>) -> Self {
        self.queue = Some(queue.into());
        self
    }

    fn check(&self) -> Result<(), EnqueueError> {
        if self.max_attempts.is_some_and(|n| !(1..=100).contains(&n)) {
            return Err(EnqueueError::InvalidOptions("max_attempts must be 1-100"));
        }
        if self
            .key
            .as_ref()
            .is_some_and(|k| !(1..=255).contains(&k.len()))
        {
            return Err(EnqueueError::InvalidOptions("a key is 1-255 bytes"));
        }
        if self
            .queue
            .as_ref()
            .is_some_and(|q| !(1..=200).contains(&q.len()))
        {
            return Err(EnqueueError::InvalidOptions("a queue name is 1-200 bytes"));
        }
        Ok(())
    }
}

/// Enqueues `job` for the transaction's tenant (open it with `tenant_tx`) and returns its id,
/// or the id of the waiting job with the same key. The job is visible to workers when the
/// transaction commits, and never if it rolls back.
pub async fn enqueue<J: Job>(
    tx: &mut PgConnection,
    job: &J,
    options: &JobOptions,
) -> Result<i64, EnqueueError> {
    enqueue_raw(tx, J::KIND, serde_json::to_value(job)?, options).await
}

/// [`enqueue`] for a kind known only at run time (admin tools, tests).
pub async fn enqueue_raw(
    tx: &mut PgConnection,
    kind: &str,
    payload: Value,
    options: &JobOptions,
) -> Result<i64, EnqueueError> {
    if !valid_kind(kind) {
        return Err(EnqueueError::InvalidKind(kind.to_owned()));
    }
    options.check()?;
    // The key's waiting job may start between the insert and the look-up; then insert again.
    for _ in 0..3 {
        let inserted = sqlx::query_scalar!(
            "INSERT INTO jobs (tenant_id, kind, queue, payload, priority, run_at, max_attempts, job_key)
             SELECT kernel_current_tenant(), $1, $2, $3, $4, coalesce($5, now()), coalesce($6, 10), $7
             WHERE kernel_current_tenant() IS NOT NULL
             ON CONFLICT (tenant_id, job_key)
                 WHERE job_key IS NOT NULL AND state IN ('queued', 'failed') DO NOTHING
             RETURNING id",
            kind,
            options.queue.as_deref(),
            &payload,
            options.priority,
            options.run_at,
            options.max_attempts,
            options.key.as_deref(),
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = inserted {
            return Ok(id);
        }
        // Nothing inserted: no tenant on the transaction, or the key is waiting already (that
        // job stands for this one).
        let found = sqlx::query!(
            r#"SELECT kernel_current_tenant() IS NOT NULL AS "has_tenant!",
                      (SELECT id FROM jobs WHERE tenant_id = kernel_current_tenant() AND job_key = $1
                         AND state IN ('queued', 'failed')) AS waiting"#,
            options.key.as_deref(),
        )
        .fetch_one(&mut *tx)
        .await?;
        match (found.has_tenant, found.waiting) {
            (false, _) => return Err(EnqueueError::NoTenant),
            (true, Some(id)) => return Ok(id),
            (true, None) => continue,
        }
    }
    Err(EnqueueError::InvalidOptions(
        "the job key kept changing state; try again",
    ))
}
