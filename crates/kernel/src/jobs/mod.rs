//! Durable jobs in PostgreSQL: enqueued in the caller's transaction, run at least once by
//! `fortress worker`, retried with backoff, dead-lettered, recovered after a crash.
//!
//! # The life of a job
//!
//! 1. A slice defines a typed job (`impl Job for SendStep { const KIND = "outreach.send_step" }`)
//!    and calls [`enqueue`] inside its `tenant_tx`, next to the change that needs the work: the
//!    job exists if and only if the change committed. [`JobOptions`] sets the run time, a key
//!    (at most one *waiting* job per tenant and key: enqueueing it again returns the waiting
//!    one), the attempts allowed, a priority and a named queue (jobs of one queue run one at a
//!    time, in order).
//! 2. A [`Worker`] (one per `fortress worker` process, any number of processes) is woken by
//!    `LISTEN kernel_jobs` when jobs commit, and polls for jobs that became due. It claims
//!    ready jobs with `FOR UPDATE SKIP LOCKED` and leases them for [`WorkerConfig::lease`],
//!    renewing the lease while the handler runs.
//! 3. The handler's outcome is recorded: `succeeded`; or `failed` with the next attempt at an
//!    exponential backoff with jitter (or the time the handler asked for, e.g. `Retry-After`);
//!    or `dead` after the last attempt or a permanent error. Dead jobs stay for admins to retry
//!    or discard (`GET /api/v1/jobs?state=dead`).
//! 4. A worker that dies (SIGKILL, lost machine) stops renewing its leases; any worker's
//!    recovery pass puts those jobs back after the lease ends. So a job may run more than once:
//!    handlers make their effect idempotent (a key derived from the job id, an upsert, a
//!    `webhook-id` the receiver dedupes on).
//! 5. On SIGTERM a worker stops claiming, lets running jobs finish within
//!    [`WorkerConfig::shutdown_grace`], and hands the rest back without counting the attempt.
//!
//! Cron [`Schedule`]s enqueue platform jobs (no tenant); each tick fires once however many
//! workers run. Workers reach the tables only through SECURITY DEFINER functions
//! (`kernel_jobs_*` in the migration), since they act for every tenant.

mod enqueue;
mod failure;
mod runtime;
mod schedule;
pub mod store;

pub use enqueue::{enqueue, enqueue_raw, Job, JobOptions};
pub use failure::JobFailure;
pub use runtime::{backoff, JobContext, Registry, Worker, WorkerConfig};
pub use schedule::Schedule;
pub use store::{counts, purge, JobCounts, JobRow, JOBS, SELECT_JOBS};

/// Why a job could not be enqueued.
#[derive(Debug, thiserror::Error)]
pub enum EnqueueError {
    #[error("invalid job kind {0:?}: 1-100 characters of a-z 0-9 _ . : -")]
    InvalidKind(String),
    #[error("invalid job options: {0}")]
    InvalidOptions(&'static str),
    #[error("the job payload could not be serialised: {0}")]
    Payload(#[from] serde_json::Error),
    /// `enqueue` ran outside `tenant_tx`.
    #[error("no tenant is set on the transaction")]
    NoTenant,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<EnqueueError> for crate::Problem {
    fn from(err: EnqueueError) -> Self {
        crate::Problem::internal(&err)
    }
}

/// Whether `kind` is a valid job kind (the table's CHECK, checked before the round trip).
pub fn valid_kind(kind: &str) -> bool {
    (1..=100).contains(&kind.len())
        && kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.:-".contains(&b))
}
