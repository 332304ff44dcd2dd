//! The SQL of the jobs table: the workers' calls to the `kernel_jobs_*` functions, and what
//! the admin API reads inside a tenant transaction (row-level security scopes it).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::postgres::types::PgInterval;
use sqlx::{PgConnection, PgExecutor, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::list::{Field, FieldType, Order, Resource};

/// A job as a worker receives it from a claim.
#[derive(Debug)]
pub(crate) struct Claimed {
    pub id: i64,
    pub tenant_id: Option<Uuid>,
    pub kind: String,
    pub payload: Value,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
}

fn interval(d: Duration) -> PgInterval {
    PgInterval {
        months: 0,
        days: 0,
        microseconds: i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
    }
}

pub(crate) async fn claim(
    db: &PgPool,
    worker: &str,
    kinds: &[String],
    max_jobs: usize,
    lease: Duration,
) -> Result<Vec<Claimed>, sqlx::Error> {
    sqlx::query_as!(
        Claimed,
        r#"SELECT id AS "id!", tenant_id, kind AS "kind!", payload AS "payload!",
                  attempts AS "attempts!", max_attempts AS "max_attempts!", run_at AS "run_at!"
           FROM kernel_jobs_claim($1, $2, $3, $4)"#,
        worker,
        kinds,
        i32::try_from(max_jobs).unwrap_or(i32::MAX),
        interval(lease),
    )
    .fetch_all(db)
    .await
}

pub(crate) async fn complete(db: &PgPool, worker: &str, ids: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT kernel_jobs_complete($1, $2)", worker, ids)
        .fetch_one(db)
        .await?;
    Ok(())
}

/// Returns the job's new state (`failed` or `dead`), or `None` if the lease was lost.
pub(crate) async fn fail(
    db: &PgPool,
    worker: &str,
    id: i64,
    error: &str,
    retry_at: DateTime<Utc>,
    permanent: bool,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT kernel_jobs_fail($1, $2, $3, $4, $5)",
        worker,
        id,
        error,
        retry_at,
        permanent,
    )
    .fetch_one(db)
    .await
}

pub(crate) async fn release(db: &PgPool, worker: &str, ids: &[i64]) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT kernel_jobs_release($1, $2) AS "released!""#,
        worker,
        ids
    )
    .fetch_one(db)
    .await
}

pub(crate) async fn extend(
    db: &PgPool,
    worker: &str,
    ids: &[i64],
    lease: Duration,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "SELECT kernel_jobs_extend($1, $2, $3)",
        worker,
        ids,
        interval(lease),
    )
    .fetch_one(db)
    .await?;
    Ok(())
}

pub(crate) async fn recover(db: &PgPool) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT kernel_jobs_recover() AS "recovered!""#)
        .fetch_one(db)
        .await
}

/// True for exactly one caller per (schedule, tick).
pub(crate) async fn claim_tick(
    db: &PgPool,
    schedule: &str,
    tick: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT kernel_jobs_claim_tick($1, $2) AS "claimed!""#,
        schedule,
        tick
    )
    .fetch_one(db)
    .await
}

pub(crate) async fn enqueue_platform(
    db: &PgPool,
    kind: &str,
    payload: &Value,
    key: &str,
    max_attempts: i32,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT kernel_jobs_enqueue_platform($1, $2, $3, $4)",
        kind,
        payload,
        key,
        max_attempts,
    )
    .fetch_one(db)
    .await
}

/// Jobs per state across every tenant, and how long the oldest ready job has waited.
#[derive(Debug, Default, Clone, Serialize, ToSchema)]
pub struct JobCounts {
    pub queued: i64,
    pub failed: i64,
    pub running: i64,
    pub succeeded: i64,
    pub dead: i64,
    /// Seconds the oldest job that is due has been waiting to start (0 when none waits).
    pub oldest_ready_seconds: f64,
}

impl JobCounts {
    fn add(&mut self, state: &str, jobs: i64) {
        match state {
            "queued" => self.queued += jobs,
            "failed" => self.failed += jobs,
            "running" => self.running += jobs,
            "succeeded" => self.succeeded += jobs,
            "dead" => self.dead += jobs,
            _ => {}
        }
    }
}

/// How many jobs are in one state, and since when the oldest of them that is due has waited.
struct StateCount {
    state: String,
    jobs: i64,
    oldest_ready: Option<DateTime<Utc>>,
}

/// Counts for every tenant (worker metrics).
pub async fn counts(db: &PgPool) -> Result<JobCounts, sqlx::Error> {
    let rows = sqlx::query_as!(
        StateCount,
        r#"SELECT state AS "state!", jobs AS "jobs!", oldest_ready FROM kernel_jobs_counts()"#
    )
    .fetch_all(db)
    .await?;
    Ok(fold_counts(rows))
}

fn fold_counts(rows: Vec<StateCount>) -> JobCounts {
    let mut counts = JobCounts::default();
    let now = Utc::now();
    for row in rows {
        counts.add(&row.state, row.jobs);
        if let Some(oldest) = row.oldest_ready {
            let waited = (now - oldest).num_milliseconds().max(0) as f64 / 1000.0;
            counts.oldest_ready_seconds = counts.oldest_ready_seconds.max(waited);
        }
    }
    counts
}

/// Counts for the transaction's tenant.
pub async fn tenant_counts(conn: &mut PgConnection) -> Result<JobCounts, sqlx::Error> {
    let rows = sqlx::query_as!(
        StateCount,
        r#"SELECT state, count(*) AS "jobs!",
                  min(run_at) FILTER (WHERE state IN ('queued', 'failed') AND run_at <= now())
                      AS oldest_ready
           FROM jobs WHERE tenant_id = kernel_current_tenant() GROUP BY state"#
    )
    .fetch_all(conn)
    .await?;
    Ok(fold_counts(rows))
}

/// Start latency (from due to started) of the tenant's jobs started in the last `window`:
/// (p50, p95) in milliseconds, `None` when none started.
pub async fn tenant_latency(
    conn: &mut PgConnection,
    window: Duration,
) -> Result<Option<(f64, f64)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95
         FROM (SELECT greatest(extract(epoch FROM started_at - run_at) * 1000, 0)::float8 AS ms
               FROM jobs WHERE tenant_id = kernel_current_tenant() AND attempts = 1
                 AND started_at > now() - $1::interval) started",
        interval(window),
    )
    .fetch_one(conn)
    .await?;
    Ok(row.p50.zip(row.p95))
}

/// Removes succeeded jobs finished longer than `succeeded` ago and dead ones past `dead`.
pub async fn purge<'e>(
    db: impl PgExecutor<'e>,
    succeeded: Duration,
    dead: Duration,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT kernel_jobs_purge($1, $2) AS "purged!""#,
        interval(succeeded),
        interval(dead),
    )
    .fetch_one(db)
    .await
}

/// A job as admins see it.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub queue: Option<String>,
    /// `queued`, `failed` (waiting for a retry), `running`, `succeeded` or `dead`.
    pub state: String,
    pub priority: i16,
    pub attempts: i32,
    pub max_attempts: i32,
    pub key: Option<String>,
    pub payload: Value,
    pub last_error: Option<String>,
    pub run_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// What the jobs list may be sorted and filtered on.
pub static JOBS: Resource = Resource::new(
    "jobs",
    &[
        Field::new("id", "id", FieldType::Int),
        Field::new("kind", "kind", FieldType::Text),
        Field::new("queue", "queue", FieldType::Text),
        Field::new("state", "state", FieldType::Text),
        Field::new("attempts", "attempts", FieldType::Int),
        Field::new("run_at", "run_at", FieldType::Timestamp),
        Field::new("created_at", "created_at", FieldType::Timestamp),
        Field::new("finished_at", "finished_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("id", Order::Desc)])
.page_sizes(25, 200);

/// The list engine's SELECT of [`JobRow`]; [`get`] and [`requeue`] spell the same columns out.
pub const SELECT_JOBS: &str =
    "SELECT id, kind, queue, state, priority, attempts, max_attempts, job_key AS key, payload, \
            last_error, run_at, created_at, started_at, finished_at FROM jobs";

/// The tenant's job `id`, as admins see it.
pub async fn get(conn: &mut PgConnection, id: i64) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as!(
        JobRow,
        r#"SELECT id, kind, queue, state, priority, attempts, max_attempts, job_key AS key,
                  payload, last_error, run_at, created_at, started_at, finished_at
           FROM jobs WHERE id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Locks the tenant's job until the transaction ends and returns its state.
pub async fn lock_state(conn: &mut PgConnection, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!("SELECT state FROM jobs WHERE id = $1 FOR UPDATE", id)
        .fetch_optional(conn)
        .await
}

/// Queues the job again now with its attempts reset, and wakes the workers at commit. A
/// unique violation means a waiting job with the same key exists.
pub async fn requeue(conn: &mut PgConnection, id: i64) -> Result<JobRow, sqlx::Error> {
    let job = sqlx::query_as!(
        JobRow,
        "UPDATE jobs SET state = 'queued', attempts = 0, run_at = now(), finished_at = NULL
         WHERE id = $1
         RETURNING id, kind, queue, state, priority, attempts, max_attempts, job_key AS key,
                   payload, last_error, run_at, created_at, started_at, finished_at",
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!("SELECT pg_notify('kernel_jobs', '')")
        .execute(conn)
        .await?;
    Ok(job)
}

/// Deletes the tenant's job `id`.
pub async fn discard(conn: &mut PgConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM jobs WHERE id = $1", id)
        .execute(conn)
        .await?;
    Ok(())
}
