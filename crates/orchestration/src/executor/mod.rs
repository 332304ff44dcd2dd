//! The durable executor: Standard-workflow semantics on PostgreSQL and the job runtime.
//!
//! An execution advances in `orchestration.advance` jobs. Each step is one transaction that
//! locks the execution's row, reads its [`cursor::Cursor`], makes one transition (or starts
//! waiting) and writes the new cursor and the history events before it commits, so a worker
//! killed at any instant leaves the execution exactly at its last committed transition; the
//! job (whose lease then runs out) is run again and goes on from there.
//!
//! A Task's resource is called between two transactions: the first records that attempt
//! `n` is handed to the resource (and by which job), the second records its result. A job that
//! finds a task handed over by another job that is still running leaves it alone; one that
//! finds it handed over by a job that is gone hands it over again with the same idempotency
//! key. So every attempt reaches its resource at least once, and the adapters make a repeat
//! harmless (see [`crate::resources`]).
//!
//! Waits (Wait states, retry back-offs, task and heartbeat deadlines, execution timeouts) are
//! jobs scheduled for the instant they end. Parallel branches and Map items are child
//! executions with their own jobs; a child that ends wakes its parent.

pub mod control;
pub mod cursor;
pub mod definitions;
mod ending;
pub mod settle;
mod step;
mod task;
pub mod tokens;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kernel::cache::Cache;
use kernel::jobs::{self, Job, JobContext, JobFailure, JobOptions, Registry};
use kernel::projects::ProjectState;
use kernel::{TenantId, UnitOfWork};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::resources::{Resources, TaskEnv};
pub use definitions::Definitions;

/// Advance execution `execution` as far as it can go now.
#[derive(Debug, Serialize, Deserialize)]
pub struct Advance {
    pub execution: Uuid,
}

impl Job for Advance {
    const KIND: &'static str = "orchestration.advance";
}

/// Transitions one job makes before it hands the execution to a fresh job (so one long flow
/// cannot hold a worker slot for ever).
const STEPS_PER_JOB: usize = 500;

/// Everything a step needs.
pub struct Executor {
    pub db: PgPool,
    pub cache: Cache,
    pub projects: Arc<dyn ProjectState>,
    pub resources: Resources,
    pub env: TaskEnv,
    pub definitions: Definitions,
    pub tokens: tokens::TokenSigner,
}

/// What a step left to do.
pub(crate) enum Next {
    /// Another transition can be made now.
    Continue,
    /// The execution waits (for a time, a callback, its children) or has ended.
    Stop,
}

/// A step's failure: the job is retried.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Enqueue(#[from] jobs::EnqueueError),
    #[error(transparent)]
    Event(#[from] kernel::events::EventError),
    #[error("{0}")]
    Slice(String),
}

impl Executor {
    /// Registers the advance job.
    pub fn register(self: Arc<Self>, registry: &mut Registry) {
        registry.on::<Advance, _, _>(move |ctx, job| {
            let executor = self.clone();
            async move { executor.advance(&ctx, job.execution).await }
        });
    }

    /// Runs an execution's steps until it has to wait or end.
    pub async fn advance(&self, job: &JobContext, execution: Uuid) -> Result<(), JobFailure> {
        let tenant = job.tenant()?;
        for _ in 0..STEPS_PER_JOB {
            match self.step(tenant, job.id, execution).await {
                Ok(Next::Continue) => {}
                Ok(Next::Stop) => return Ok(()),
                Err(err) => {
                    tracing::warn!(%execution, error = %err, "execution step failed; the job retries");
                    return Err(JobFailure::retry(err));
                }
            }
        }
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant)
            .await
            .map_err(JobFailure::retry)?;
        schedule(&mut work, execution, None)
            .await
            .map_err(JobFailure::retry)?;
        work.commit().await.map_err(JobFailure::retry)
    }
}

/// Enqueues an advance of `execution` now (`at: None`; waiting ones are merged) or at `at`.
pub async fn schedule(
    conn: &mut PgConnection,
    execution: Uuid,
    at: Option<DateTime<Utc>>,
) -> Result<(), jobs::EnqueueError> {
    let options = match at {
        None => JobOptions::default().key(format!("orchestration:advance:{execution}")),
        Some(at) => JobOptions::default()
            .key(format!(
                "orchestration:timer:{execution}:{}",
                at.timestamp_millis()
            ))
            .run_at(at),
    }
    .max_attempts(50);
    jobs::enqueue(conn, &Advance { execution }, &options).await?;
    Ok(())
}

/// Opens a unit of work for `tenant`.
pub(crate) async fn begin(executor: &Executor, tenant: TenantId) -> Result<UnitOfWork, StepError> {
    Ok(UnitOfWork::begin_for(&executor.db, &executor.cache, tenant).await?)
}
