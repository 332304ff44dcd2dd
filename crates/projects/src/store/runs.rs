//! A project's runs: started by a flow, an import or a person; the state document's "active
//! jobs" are the running ones.

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Run {
    pub id: Uuid,
    pub project_id: Uuid,
    pub name: String,
    /// `running`, `succeeded`, `failed` or `cancelled`.
    pub status: String,
    pub error: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

static RUNS: Resource = Resource::new(
    "runs",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("name", "name", FieldType::Text),
        Field::new("status", "status", FieldType::Text),
        Field::new("started_at", "started_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("started_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static RUN_LIST: Listing = Listing::new(
    &RUNS,
    "SELECT id, project_id, name, status, error, started_at, finished_at FROM project_runs",
)
.filtered("project_id = $1");

pub(crate) async fn insert_run(
    conn: &mut PgConnection,
    project: Uuid,
    id: Uuid,
    name: &str,
) -> Result<Run, sqlx::Error> {
    sqlx::query_as!(
        Run,
        "INSERT INTO project_runs (tenant_id, id, project_id, name)
         VALUES (kernel_current_tenant(), $1, $2, $3)
         RETURNING id, project_id, name, status, error, started_at, finished_at",
        id,
        project,
        name
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn run(
    conn: &mut PgConnection,
    project: Uuid,
    id: Uuid,
) -> Result<Option<Run>, sqlx::Error> {
    sqlx::query_as!(
        Run,
        "SELECT id, project_id, name, status, error, started_at, finished_at
         FROM project_runs WHERE project_id = $1 AND id = $2",
        project,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Ends a running run; `None` when there is no such run, the run unchanged when it had
/// already ended.
pub(crate) async fn finish_run(
    conn: &mut PgConnection,
    project: Uuid,
    id: Uuid,
    status: &str,
    error: Option<&str>,
) -> Result<Option<Run>, sqlx::Error> {
    sqlx::query_as!(
        Run,
        "UPDATE project_runs SET status = $3, error = $4, finished_at = now()
         WHERE project_id = $1 AND id = $2 AND status = 'running'
         RETURNING id, project_id, name, status, error, started_at, finished_at",
        project,
        id,
        status,
        error
    )
    .fetch_optional(&mut *conn)
    .await
}
