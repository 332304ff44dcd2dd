//! Automation runs: an ActivePieces flow (or, offline, one of the tenant's own flows) started
//! with a correlation id.

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

/// An automation run as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct AutomationRun {
    pub id: Uuid,
    /// The ActivePieces flow id (offline: the name of one of the tenant's flows).
    pub flow: String,
    /// The caller's id for this run, unique per tenant.
    pub correlation_id: String,
    /// `queued` (not started yet, or waiting to try again), `running`, `succeeded`, `failed`.
    pub status: String,
    /// `activepieces`, or `local` (the tenant's flow run by our own executor).
    pub provider: String,
    /// The run's id at the provider (locally: the execution's id).
    pub provider_run_id: Option<String>,
    /// The execution a local run is.
    pub execution_id: Option<Uuid>,
    #[schema(value_type = Object)]
    pub input: Value,
    #[schema(value_type = Option<Object>)]
    pub output: Option<Value>,
    /// Why it failed, or why the last start was refused.
    pub error: Option<String>,
    /// Start requests sent to the provider.
    pub attempts: i32,
    /// When a refused start (429, 5xx) is tried again.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

static AUTOMATION_RUNS: Resource = Resource::new(
    "automation_runs",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("flow", "flow", FieldType::Text),
        Field::new("correlation_id", "correlation_id", FieldType::Text),
        Field::new("status", "status", FieldType::Text),
        Field::new("provider", "provider", FieldType::Text),
        Field::new("created_at", "created_at", FieldType::Timestamp),
        Field::new("finished_at", "finished_at", FieldType::Timestamp),
    ],
)
.search("correlation_id ILIKE '%' || $q || '%'")
.default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static AUTOMATION_RUN_LIST: Listing = Listing::new(
    &AUTOMATION_RUNS,
    "SELECT id, flow, correlation_id, status, provider, provider_run_id, execution_id, input, \
     output, error, attempts, next_attempt_at, created_at, updated_at, finished_at \
     FROM automation_runs",
);

pub(crate) struct NewRun<'a> {
    pub id: Uuid,
    pub flow: &'a str,
    pub correlation_id: &'a str,
    pub provider: &'a str,
    pub input: &'a Value,
    /// The idempotency key of the Task attempt waiting on this run.
    pub task_key: Option<&'a str>,
}

/// Inserts the run; `None` when the tenant has a run with this correlation id already.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    run: &NewRun<'_>,
) -> Result<Option<AutomationRun>, sqlx::Error> {
    sqlx::query_as!(
        AutomationRun,
        "INSERT INTO automation_runs (tenant_id, id, flow, correlation_id, provider, input, task_key)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, correlation_id) DO NOTHING
         RETURNING id, flow, correlation_id, status, provider, provider_run_id, execution_id,
                   input, output, error, attempts, next_attempt_at, created_at, updated_at,
                   finished_at",
        run.id,
        run.flow,
        run.correlation_id,
        run.provider,
        run.input,
        run.task_key
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn get(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<AutomationRun>, sqlx::Error> {
    sqlx::query_as!(
        AutomationRun,
        "SELECT id, flow, correlation_id, status, provider, provider_run_id, execution_id,
                input, output, error, attempts, next_attempt_at, created_at, updated_at,
                finished_at
         FROM automation_runs WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn by_correlation(
    conn: &mut PgConnection,
    correlation_id: &str,
) -> Result<Option<AutomationRun>, sqlx::Error> {
    sqlx::query_as!(
        AutomationRun,
        "SELECT id, flow, correlation_id, status, provider, provider_run_id, execution_id,
                input, output, error, attempts, next_attempt_at, created_at, updated_at,
                finished_at
         FROM automation_runs WHERE correlation_id = $1",
        correlation_id
    )
    .fetch_optional(conn)
    .await
}

/// Locks the run for a change; with the key of the Task waiting on it.
pub(crate) async fn lock(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<(AutomationRun, Option<String>)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT id, flow, correlation_id, status, provider, provider_run_id, execution_id,
                input, output, error, attempts, next_attempt_at, created_at, updated_at,
                finished_at, task_key
         FROM automation_runs WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| {
        (
            AutomationRun {
                id: r.id,
                flow: r.flow,
                correlation_id: r.correlation_id,
                status: r.status,
                provider: r.provider,
                provider_run_id: r.provider_run_id,
                execution_id: r.execution_id,
                input: r.input,
                output: r.output,
                error: r.error,
                attempts: r.attempts,
                next_attempt_at: r.next_attempt_at,
                created_at: r.created_at,
                updated_at: r.updated_at,
                finished_at: r.finished_at,
            },
            r.task_key,
        )
    }))
}

/// The provider accepted the start. A run whose end was reported meanwhile (a fast flow's
/// callback can overtake this) keeps its status and error.
pub(crate) async fn started(
    conn: &mut PgConnection,
    id: Uuid,
    provider_run_id: Option<&str>,
    execution_id: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE automation_runs
         SET attempts = attempts + 1,
             provider_run_id = coalesce(provider_run_id, $2),
             execution_id = coalesce(execution_id, $3),
             error = CASE WHEN status = 'queued' THEN NULL ELSE error END,
             status = CASE WHEN status = 'queued' THEN 'running' ELSE status END,
             next_attempt_at = NULL, updated_at = now()
         WHERE id = $1",
        id,
        provider_run_id,
        execution_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The provider refused the start for now; it is tried again at `next` (`None`: not again).
pub(crate) async fn refused(
    conn: &mut PgConnection,
    id: Uuid,
    error: &str,
    next: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE automation_runs
         SET attempts = attempts + 1, error = $2, next_attempt_at = $3, updated_at = now()
         WHERE id = $1",
        id,
        error,
        next
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends an unfinished run as `status` (`succeeded` or `failed`). False when it had ended.
pub(crate) async fn finish(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
    output: Option<&Value>,
    error: Option<&str>,
    provider_run_id: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE automation_runs
         SET status = $2, output = $3, error = $4,
             provider_run_id = coalesce($5, provider_run_id),
             next_attempt_at = NULL, finished_at = now(), updated_at = now()
         WHERE id = $1 AND status IN ('queued', 'running')",
        id,
        status,
        output,
        error,
        provider_run_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The unfinished run that execution `execution` is, if any.
pub(crate) async fn by_execution(
    conn: &mut PgConnection,
    execution: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM automation_runs
         WHERE execution_id = $1 AND status IN ('queued', 'running')",
        execution
    )
    .fetch_optional(conn)
    .await
}

/// The tenant of run `id` (any tenant: a completion webhook carries none).
pub(crate) async fn owner(conn: &mut PgConnection, id: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT tenant_id AS "tenant_id!" FROM orchestration_automation_run($1)"#,
        id
    )
    .fetch_optional(conn)
    .await
}
