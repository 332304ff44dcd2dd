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
    /// ActivePieces, for automation runs (`None`: the tenant's own flows run them).
    pub automation: Option<crate::resources::Provider>,
    /// Shares of the worker for stepping executions (see [`Executor::advance`]).
    pub steps: Arc<tokio::sync::Semaphore>,
}

/// Executions stepping at once per core.
pub const STEPS_PER_CORE: usize = 2;

/// The default number of executions stepping at once: [`STEPS_PER_CORE`] per core.
pub fn default_steps() -> Arc<tokio::sync::Semaphore> {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    Arc::new(tokio::sync::Semaphore::new(cores * STEPS_PER_CORE))
}

/// What a step left to do.
pub(crate) enum Next {
    /// Another transition can be made now.
    Continue,
    /// A Task attempt is recorded as handed over: its resource runs next ([`task::invoke`]),
    /// outside the step's share of the worker (it may take minutes).
    Invoke(Box<task::Handoff>),
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
    /// Registers the advance job and the automation runs' jobs.
    pub fn register(self: Arc<Self>, registry: &mut Registry) {
        let executor = self.clone();
        registry.on::<Advance, _, _>(move |ctx, job| {
            let executor = executor.clone();
            async move { executor.advance(&ctx, job.execution).await }
        });
        let executor = self.clone();
        registry.on::<crate::automation::StartAutomation, _, _>(move |ctx, job| {
            let executor = executor.clone();
            async move { executor.start_automation(&ctx, job.run).await }
        });
        registry.on::<crate::automation::SettleAutomation, _, _>(move |ctx, job| {
            let executor = self.clone();
            async move { executor.settle_automation(&ctx, job.run).await }
        });
    }

    /// Runs an execution's steps until it has to wait or end.
    ///
    /// Steps are CPU and database work: at most [`Executor::steps`] executions step at once
    /// (a few per core), each keeping its share until it waits, ends or hands a task to its
    /// resource, so one execution's transitions follow each other closely however many are
    /// queued (the others wait for a share before their first step). A resource runs without
    /// a share.
    pub async fn advance(&self, job: &JobContext, execution: Uuid) -> Result<(), JobFailure> {
        let tenant = job.tenant()?;
        let mut share = Some(self.share().await?);
        for _ in 0..STEPS_PER_JOB {
            let next = match self.step(tenant, job.id, execution).await {
                Ok(Next::Invoke(handoff)) => {
                    drop(share.take());
                    let next = task::invoke(self, *handoff).await;
                    share = Some(self.share().await?);
                    next
                }
                next => next,
            };
            match next {
                Ok(Next::Continue | Next::Invoke(_)) => {}
                Ok(Next::Stop) => return Ok(()),
                Err(err) => {
                    tracing::warn!(%execution, error = %err, "execution step failed; the job retries");
                    return Err(JobFailure::retry(err));
                }
            }
        }
        drop(share);
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant)
            .await
            .map_err(JobFailure::retry)?;
        schedule(&mut work, execution, None)
            .await
            .map_err(JobFailure::retry)?;
        work.commit().await.map_err(JobFailure::retry)
    }

    async fn share(&self) -> Result<tokio::sync::OwnedSemaphorePermit, JobFailure> {
        self.steps
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| JobFailure::retry("the executor is shutting down"))
    }

    /// Steps execution `id` to its next wait or its end here, resources included (the demo
    /// runs its pipeline so before any worker starts).
    pub(crate) async fn run_here(
        &self,
        tenant: TenantId,
        id: Uuid,
        max_steps: usize,
    ) -> Result<(), StepError> {
        for _ in 0..max_steps {
            let next = match self.step(tenant, 0, id).await? {
                Next::Invoke(handoff) => task::invoke(self, *handoff).await?,
                next => next,
            };
            if let Next::Stop = next {
                break;
            }
        }
        Ok(())
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
