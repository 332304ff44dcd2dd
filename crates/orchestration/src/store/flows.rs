//! Flows and their immutable versions.

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

/// A flow: a named ASL definition with versions; runs use its current version.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Flow {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// The data project whose tree its Task states colour.
    pub project_id: Option<Uuid>,
    pub current_version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One saved definition.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FlowVersion {
    pub version: i32,
    /// The Amazon States Language document.
    #[schema(value_type = Object)]
    pub definition: Value,
    /// Task state name → project tree node id.
    #[schema(value_type = Object)]
    pub nodes: Value,
    pub created_at: DateTime<Utc>,
}

static FLOWS: Resource = Resource::new(
    "flows",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("name", "name", FieldType::Text),
        Field::new("project_id", "project_id", FieldType::Uuid),
        Field::new("created_at", "created_at", FieldType::Timestamp),
        Field::new("updated_at", "updated_at", FieldType::Timestamp),
    ],
)
.search("name ILIKE '%' || $q || '%'")
.default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static FLOW_LIST: Listing = Listing::new(
    &FLOWS,
    "SELECT id, name, description, project_id, current_version, created_at, updated_at FROM flows",
)
.filtered("deleted_at IS NULL");

pub(crate) struct NewFlow<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub description: &'a str,
    pub project_id: Option<Uuid>,
}

pub(crate) async fn insert_flow(
    conn: &mut PgConnection,
    flow: &NewFlow<'_>,
    definition: &Value,
    nodes: &Value,
) -> Result<Flow, sqlx::Error> {
    let row = sqlx::query_as!(
        Flow,
        "INSERT INTO flows (tenant_id, id, name, description, project_id)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4)
         RETURNING id, name, description, project_id, current_version, created_at, updated_at",
        flow.id,
        flow.name,
        flow.description,
        flow.project_id
    )
    .fetch_one(&mut *conn)
    .await?;
    insert_version(conn, flow.id, 1, definition, nodes).await?;
    Ok(row)
}

async fn insert_version(
    conn: &mut PgConnection,
    flow: Uuid,
    version: i32,
    definition: &Value,
    nodes: &Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO flow_versions (tenant_id, flow_id, version, definition, nodes)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4)",
        flow,
        version,
        definition,
        nodes
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The live flow `id`, locked for the rest of the transaction.
pub(crate) async fn lock_flow(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Flow>, sqlx::Error> {
    sqlx::query_as!(
        Flow,
        "SELECT id, name, description, project_id, current_version, created_at, updated_at
         FROM flows WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn flow(conn: &mut PgConnection, id: Uuid) -> Result<Option<Flow>, sqlx::Error> {
    sqlx::query_as!(
        Flow,
        "SELECT id, name, description, project_id, current_version, created_at, updated_at
         FROM flows WHERE id = $1 AND deleted_at IS NULL",
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn flow_by_name(
    conn: &mut PgConnection,
    name: &str,
) -> Result<Option<Flow>, sqlx::Error> {
    sqlx::query_as!(
        Flow,
        "SELECT id, name, description, project_id, current_version, created_at, updated_at
         FROM flows WHERE name = $1 AND deleted_at IS NULL",
        name
    )
    .fetch_optional(conn)
    .await
}

/// Saves `definition` as the flow's next version and makes it current; the new version.
pub(crate) async fn add_version(
    conn: &mut PgConnection,
    flow: &Flow,
    definition: &Value,
    nodes: &Value,
) -> Result<i32, sqlx::Error> {
    let version = flow.current_version + 1;
    insert_version(conn, flow.id, version, definition, nodes).await?;
    sqlx::query!(
        "UPDATE flows SET current_version = $2, updated_at = now() WHERE id = $1",
        flow.id,
        version
    )
    .execute(conn)
    .await?;
    Ok(version)
}

pub(crate) async fn update_details(
    conn: &mut PgConnection,
    id: Uuid,
    description: Option<&str>,
    project_id: Option<Option<Uuid>>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE flows SET description = coalesce($2, description),
                          project_id = CASE WHEN $3 THEN $4 ELSE project_id END,
                          updated_at = now()
         WHERE id = $1",
        id,
        description,
        project_id.is_some(),
        project_id.flatten()
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_flow(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE flows SET deleted_at = now(), updated_at = now()
         WHERE id = $1 AND deleted_at IS NULL",
        id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn version(
    conn: &mut PgConnection,
    flow: Uuid,
    version: i32,
) -> Result<Option<FlowVersion>, sqlx::Error> {
    sqlx::query_as!(
        FlowVersion,
        "SELECT version, definition, nodes, created_at FROM flow_versions
         WHERE flow_id = $1 AND version = $2",
        flow,
        version
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn versions(
    conn: &mut PgConnection,
    flow: Uuid,
) -> Result<Vec<FlowVersion>, sqlx::Error> {
    sqlx::query_as!(
        FlowVersion,
        "SELECT version, definition, nodes, created_at FROM flow_versions
         WHERE flow_id = $1 ORDER BY version DESC LIMIT 200",
        flow
    )
    .fetch_all(conn)
    .await
}

/// Flow `id`, deleted or not (an execution outlives its flow).
pub(crate) async fn flow_any(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Flow>, sqlx::Error> {
    sqlx::query_as!(
        Flow,
        "SELECT id, name, description, project_id, current_version, created_at, updated_at
         FROM flows WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// A project's pipeline: its oldest live flow.
pub(crate) async fn project_flow(
    conn: &mut PgConnection,
    project: Uuid,
) -> Result<Option<Flow>, sqlx::Error> {
    sqlx::query_as!(
        Flow,
        "SELECT id, name, description, project_id, current_version, created_at, updated_at
         FROM flows WHERE project_id = $1 AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1",
        project
    )
    .fetch_optional(conn)
    .await
}
