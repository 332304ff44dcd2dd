//! Executions, their history and their children.

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

/// An execution as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Execution {
    pub id: Uuid,
    pub flow_id: Uuid,
    pub flow_version: i32,
    /// Unique per flow: starting twice with one name is one execution.
    pub name: String,
    pub project_id: Option<Uuid>,
    /// Set on a Parallel branch or Map item run.
    pub parent_id: Option<Uuid>,
    /// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED` (`PENDING`: a Map item not
    /// started yet).
    pub status: String,
    #[schema(value_type = Object)]
    pub input: Value,
    #[schema(value_type = Option<Object>)]
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// The state it is in, or ended in.
    pub current_state: Option<String>,
    pub transitions: i32,
    pub redrive_count: i32,
    /// What its tasks cost, in the tenant's billing currency.
    #[schema(value_type = String, example = "0.0042")]
    pub cost: Decimal,
    pub started_at: DateTime<Utc>,
    pub stopped_at: Option<DateTime<Utc>>,
}

/// One history event, in the shape of Step Functions' GetExecutionHistory.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct HistoryEvent {
    pub id: i32,
    pub previous_id: Option<i32>,
    /// `ExecutionStarted`, `TaskStateEntered`, `TaskScheduled`, `TaskSucceeded`, …
    #[serde(rename = "type")]
    pub r#type: String,
    pub state: Option<String>,
    #[schema(value_type = Object)]
    pub details: Value,
    pub at: DateTime<Utc>,
}

static EXECUTIONS: Resource = Resource::new(
    "executions",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("flow_id", "flow_id", FieldType::Uuid),
        Field::new("project_id", "project_id", FieldType::Uuid),
        Field::new("name", "name", FieldType::Text),
        Field::new("status", "status", FieldType::Text),
        Field::new("started_at", "started_at", FieldType::Timestamp),
        Field::new("stopped_at", "stopped_at", FieldType::Timestamp),
    ],
)
.search("name ILIKE '%' || $q || '%'")
.default_sort(&[("started_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

const EXECUTION_COLUMNS: &str = "id, flow_id, flow_version, name, project_id, parent_id, status, input, output, \
     error, cause, cursor->>'state' AS current_state, transitions, redrive_count, cost, started_at, stopped_at";

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static EXECUTION_LIST: Listing = Listing::new(
    &EXECUTIONS,
    "SELECT id, flow_id, flow_version, name, project_id, parent_id, status, input, output, \
     error, cause, cursor->>'state' AS current_state, transitions, redrive_count, cost, started_at, stopped_at \
     FROM executions",
)
.filtered("parent_id IS NULL");

// Dynamic: a flow's executions.
pub(crate) static FLOW_EXECUTION_LIST: Listing = Listing::new(
    &EXECUTIONS,
    "SELECT id, flow_id, flow_version, name, project_id, parent_id, status, input, output, \
     error, cause, cursor->>'state' AS current_state, transitions, redrive_count, cost, started_at, stopped_at \
     FROM executions",
)
.filtered("parent_id IS NULL AND flow_id = $1");

/// What the executor reads (and locks) before each step.
#[derive(Debug, Clone)]
pub(crate) struct Running {
    pub id: Uuid,
    pub flow_id: Uuid,
    pub flow_version: i32,
    pub name: String,
    pub project_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub scope: String,
    pub status: String,
    pub input: Value,
    pub cursor: Value,
    pub transitions: i32,
    pub last_event: i32,
    pub redrive_count: i32,
    pub started_at: DateTime<Utc>,
    pub timeout_at: Option<DateTime<Utc>>,
}

pub(crate) struct NewExecution<'a> {
    pub id: Uuid,
    pub flow_id: Uuid,
    pub flow_version: i32,
    pub name: &'a str,
    pub project_id: Option<Uuid>,
    pub parent: Option<(Uuid, &'a str, i32)>,
    pub scope: &'a str,
    pub status: &'a str,
    pub input: &'a Value,
    pub cursor: &'a Value,
    pub timeout_at: Option<DateTime<Utc>>,
}

/// Inserts an execution; `None` when a top-level one with that name exists for the flow.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    new: &NewExecution<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    let (parent_id, parent_state, child_index) = match new.parent {
        Some((id, state, index)) => (Some(id), Some(state), Some(index)),
        None => (None, None, None),
    };
    sqlx::query_scalar!(
        "INSERT INTO executions (tenant_id, id, flow_id, flow_version, name, project_id, parent_id,
                                 parent_state, child_index, scope, status, input, cursor, timeout_at)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (tenant_id, flow_id, name) WHERE parent_id IS NULL DO NOTHING
         RETURNING id",
        new.id,
        new.flow_id,
        new.flow_version,
        new.name,
        new.project_id,
        parent_id,
        parent_state,
        child_index,
        new.scope,
        new.status,
        new.input,
        new.cursor,
        new.timeout_at
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn get(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Execution>, sqlx::Error> {
    sqlx::query_as::<_, Execution>(&format!(
        "SELECT {EXECUTION_COLUMNS} FROM executions WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub(crate) async fn by_name(
    conn: &mut PgConnection,
    flow: Uuid,
    name: &str,
) -> Result<Option<Execution>, sqlx::Error> {
    sqlx::query_as::<_, Execution>(&format!(
        "SELECT {EXECUTION_COLUMNS} FROM executions
         WHERE flow_id = $1 AND name = $2 AND parent_id IS NULL"
    ))
    .bind(flow)
    .bind(name)
    .fetch_optional(conn)
    .await
}

/// An execution's children in order (Parallel branches, Map items).
pub(crate) async fn children(
    conn: &mut PgConnection,
    parent: Uuid,
) -> Result<Vec<Execution>, sqlx::Error> {
    sqlx::query_as::<_, Execution>(&format!(
        "SELECT {EXECUTION_COLUMNS} FROM executions
         WHERE parent_id = $1 ORDER BY child_index LIMIT 10000"
    ))
    .bind(parent)
    .fetch_all(conn)
    .await
}

/// Locks execution `id` for the rest of the transaction.
pub(crate) async fn lock(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Running>, sqlx::Error> {
    sqlx::query_as!(
        Running,
        "SELECT id, flow_id, flow_version, name, project_id, parent_id, scope, status,
                input, cursor, transitions, last_event, redrive_count, started_at, timeout_at
         FROM executions WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Writes where a running execution stands.
pub(crate) async fn save(
    conn: &mut PgConnection,
    id: Uuid,
    cursor: &Value,
    transitions: i32,
    last_event: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE executions SET cursor = $2, transitions = $3, last_event = $4, updated_at = now()
         WHERE id = $1",
        id,
        cursor,
        transitions,
        last_event
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) struct Ending<'a> {
    pub status: &'a str,
    pub output: Option<&'a Value>,
    pub error: Option<&'a str>,
    pub cause: Option<&'a str>,
}

/// Ends an execution.
pub(crate) async fn finish(
    conn: &mut PgConnection,
    id: Uuid,
    ending: &Ending<'_>,
    cursor: &Value,
    transitions: i32,
    last_event: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE executions SET status = $2, output = $3, error = $4, cause = $5, cursor = $6,
                transitions = $7, last_event = $8, stopped_at = now(), updated_at = now()
         WHERE id = $1",
        id,
        ending.status,
        ending.output,
        ending.error,
        ending.cause,
        cursor,
        transitions,
        last_event
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Runs an ended execution again from the state it ended in.
pub(crate) async fn reopen(
    conn: &mut PgConnection,
    id: Uuid,
    cursor: &Value,
    last_event: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE executions SET status = 'RUNNING', output = NULL, error = NULL, cause = NULL,
                cursor = $2, last_event = $3, stopped_at = NULL, redrive_count = redrive_count + 1,
                updated_at = now()
         WHERE id = $1",
        id,
        cursor,
        last_event
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn add_cost(
    conn: &mut PgConnection,
    id: Uuid,
    amount: Decimal,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE executions SET cost = cost + $2 WHERE id = $1",
        id,
        amount
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One history event to write.
#[derive(Debug, Clone)]
pub(crate) struct NewEvent {
    pub r#type: &'static str,
    pub state: Option<String>,
    pub details: Value,
}

/// Appends `events` after event `last` (their ids follow on); the new last id.
pub(crate) async fn append_history(
    conn: &mut PgConnection,
    execution: Uuid,
    last: i32,
    events: &[NewEvent],
) -> Result<i32, sqlx::Error> {
    if events.is_empty() {
        return Ok(last);
    }
    let count = i32::try_from(events.len()).unwrap_or(i32::MAX);
    let ids: Vec<i32> = (1..=count).map(|i| last + i).collect();
    let types: Vec<String> = events.iter().map(|e| e.r#type.to_owned()).collect();
    let states: Vec<Option<String>> = events.iter().map(|e| e.state.clone()).collect();
    let details: Vec<Value> = events.iter().map(|e| e.details.clone()).collect();
    sqlx::query!(
        "INSERT INTO execution_events (tenant_id, execution_id, id, previous_id, type, state, details)
         SELECT kernel_current_tenant(), $1, e.id, nullif(e.id - 1, 0), e.type, e.state, e.details
         FROM unnest($2::int4[], $3::text[], $4::text[], $5::jsonb[]) AS e(id, type, state, details)",
        execution,
        &ids,
        &types,
        &states as &[Option<String>],
        &details
    )
    .execute(conn)
    .await?;
    Ok(last + count)
}

pub(crate) async fn history(
    conn: &mut PgConnection,
    execution: Uuid,
    after: i32,
    limit: i64,
) -> Result<Vec<HistoryEvent>, sqlx::Error> {
    sqlx::query_as!(
        HistoryEvent,
        "SELECT id, previous_id, type, state, details, at FROM execution_events
         WHERE execution_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        execution,
        after,
        limit
    )
    .fetch_all(conn)
    .await
}

/// How many children are in each status.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ChildCounts {
    pub running: i64,
    pub pending: i64,
    pub failed: i64,
}

pub(crate) async fn child_counts(
    conn: &mut PgConnection,
    parent: Uuid,
) -> Result<ChildCounts, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE status = 'RUNNING') AS "running!",
                  count(*) FILTER (WHERE status = 'PENDING') AS "pending!",
                  count(*) FILTER (WHERE status IN ('FAILED', 'TIMED_OUT', 'ABORTED')) AS "failed!"
           FROM executions WHERE parent_id = $1"#,
        parent
    )
    .fetch_one(conn)
    .await?;
    Ok(ChildCounts {
        running: row.running,
        pending: row.pending,
        failed: row.failed,
    })
}

/// The first failed child's error and cause.
pub(crate) async fn first_child_failure(
    conn: &mut PgConnection,
    parent: Uuid,
) -> Result<Option<(Option<String>, Option<String>)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT error, cause FROM executions
         WHERE parent_id = $1 AND status IN ('FAILED', 'TIMED_OUT', 'ABORTED')
         ORDER BY child_index LIMIT 1",
        parent
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.error, r.cause)))
}

/// The children's outputs in order.
pub(crate) async fn child_outputs(
    conn: &mut PgConnection,
    parent: Uuid,
) -> Result<Vec<Value>, sqlx::Error> {
    let rows = sqlx::query_scalar!(
        r#"SELECT coalesce(output, 'null'::jsonb) AS "output!" FROM executions
           WHERE parent_id = $1 ORDER BY child_index"#,
        parent
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// Starts the first `n` pending children (a Map under MaxConcurrency); their ids.
pub(crate) async fn start_pending(
    conn: &mut PgConnection,
    parent: Uuid,
    n: i64,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "UPDATE executions SET status = 'RUNNING', started_at = now(), updated_at = now()
         WHERE id IN (SELECT id FROM executions WHERE parent_id = $1 AND status = 'PENDING'
                      ORDER BY child_index LIMIT $2)
         RETURNING id",
        parent,
        n
    )
    .fetch_all(conn)
    .await
}

/// Ends every running or pending descendant of `parent` as ABORTED; their ids.
pub(crate) async fn abort_descendants(
    conn: &mut PgConnection,
    parent: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"WITH RECURSIVE tree AS (
               SELECT id FROM executions WHERE parent_id = $1
               UNION ALL
               SELECT e.id FROM executions e JOIN tree t ON e.parent_id = t.id
           )
           UPDATE executions SET status = 'ABORTED', error = 'States.Aborted', stopped_at = now(), updated_at = now()
           WHERE id IN (SELECT id FROM tree) AND status IN ('RUNNING', 'PENDING')
           RETURNING id"#,
        parent
    )
    .fetch_all(conn)
    .await
}

/// Removes `parent`'s children (a redriven Map or Parallel state runs them anew).
pub(crate) async fn delete_children(
    conn: &mut PgConnection,
    parent: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"WITH RECURSIVE tree AS (
               SELECT id FROM executions WHERE parent_id = $1
               UNION ALL
               SELECT e.id FROM executions e JOIN tree t ON e.parent_id = t.id
           )
           DELETE FROM executions WHERE id IN (SELECT id FROM tree)"#,
        parent
    )
    .execute(conn)
    .await?;
    Ok(())
}
