//! A project's state tree: its nodes, their lineage edges and each node's run history.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

/// A node of the state tree as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Node {
    /// The project's own name for it: `gold_sales`.
    pub id: String,
    /// `bronze`, `silver`, `gold` or `destination`.
    pub layer: String,
    /// `source`, `table`, `script`, `model` or `destination`.
    pub kind: String,
    pub name: String,
    /// `IDLE`, `RUNNING`, `GREEN`, `YELLOW` or `RED`.
    pub status: String,
    pub last_run_at: Option<DateTime<Utc>>,
    pub rows: Option<i64>,
    pub bytes: Option<i64>,
    pub duration_ms: Option<i64>,
    pub error: Option<String>,
    pub position: i32,
    /// Counts the node's changes.
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// Lineage: data flows from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize, ToSchema)]
pub struct Edge {
    pub from: String,
    pub to: String,
}

/// One run of a node.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct NodeRun {
    pub id: Uuid,
    pub run_id: Option<Uuid>,
    /// `RUNNING` while open, then how it ended.
    pub status: String,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub rows: Option<i64>,
    pub bytes: Option<i64>,
    pub duration_ms: Option<i64>,
    pub error: Option<String>,
}

/// A node as a tree write gives it.
pub(crate) struct NodeSpec<'a> {
    pub id: &'a str,
    pub layer: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub position: i32,
}

pub(crate) async fn nodes(
    conn: &mut PgConnection,
    project: Uuid,
) -> Result<Vec<Node>, sqlx::Error> {
    sqlx::query_as!(
        Node,
        "SELECT id, layer, kind, name, status, last_run_at, rows, bytes, duration_ms, error,
                position, version, updated_at
         FROM project_nodes WHERE project_id = $1 ORDER BY layer, position, id",
        project
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn node(
    conn: &mut PgConnection,
    project: Uuid,
    id: &str,
) -> Result<Option<Node>, sqlx::Error> {
    sqlx::query_as!(
        Node,
        "SELECT id, layer, kind, name, status, last_run_at, rows, bytes, duration_ms, error,
                position, version, updated_at
         FROM project_nodes WHERE project_id = $1 AND id = $2",
        project,
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn edges(
    conn: &mut PgConnection,
    project: Uuid,
) -> Result<Vec<Edge>, sqlx::Error> {
    sqlx::query_as!(
        Edge,
        r#"SELECT from_node AS "from", to_node AS "to" FROM project_edges
           WHERE project_id = $1 ORDER BY from_node, to_node"#,
        project
    )
    .fetch_all(conn)
    .await
}

/// Creates the node or changes its layer, kind, name and position (its status and metrics
/// stay).
pub(crate) async fn upsert_node(
    conn: &mut PgConnection,
    project: Uuid,
    spec: &NodeSpec<'_>,
) -> Result<Node, sqlx::Error> {
    sqlx::query_as!(
        Node,
        "INSERT INTO project_nodes (tenant_id, project_id, id, layer, kind, name, position)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, project_id, id) DO UPDATE SET
             layer = EXCLUDED.layer, kind = EXCLUDED.kind, name = EXCLUDED.name,
             position = EXCLUDED.position, version = project_nodes.version + 1,
             updated_at = now()
         RETURNING id, layer, kind, name, status, last_run_at, rows, bytes, duration_ms, error,
                   position, version, updated_at",
        project,
        spec.id,
        spec.layer,
        spec.kind,
        spec.name,
        spec.position
    )
    .fetch_one(conn)
    .await
}

/// Deletes the project's nodes not in `keep` (their edges and runs go with them).
pub(crate) async fn delete_nodes_except(
    conn: &mut PgConnection,
    project: Uuid,
    keep: &[String],
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM project_nodes WHERE project_id = $1 AND NOT (id = ANY($2))",
        project,
        keep
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

pub(crate) async fn delete_node(
    conn: &mut PgConnection,
    project: Uuid,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM project_nodes WHERE project_id = $1 AND id = $2",
        project,
        id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the project's edges with `edges`.
pub(crate) async fn replace_edges(
    conn: &mut PgConnection,
    project: Uuid,
    edges: &[Edge],
) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM project_edges WHERE project_id = $1", project)
        .execute(&mut *conn)
        .await?;
    let (from, to): (Vec<&str>, Vec<&str>) = edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .unzip();
    sqlx::query!(
        "INSERT INTO project_edges (tenant_id, project_id, from_node, to_node)
         SELECT kernel_current_tenant(), $1, f, t FROM unnest($2::text[], $3::text[]) AS e(f, t)
         ON CONFLICT DO NOTHING",
        project,
        &from as &[&str],
        &to as &[&str]
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What a status change writes on a node. `None` keeps the current value.
pub(crate) struct NodeChange<'a> {
    pub status: Option<&'a str>,
    pub name: Option<&'a str>,
    pub rows: Option<i64>,
    pub bytes: Option<i64>,
    pub duration_ms: Option<i64>,
    /// `Some(None)` clears the error.
    pub error: Option<Option<&'a str>>,
    /// The status ends a run: `last_run_at` becomes now.
    pub finishes: bool,
}

pub(crate) async fn update_node(
    conn: &mut PgConnection,
    project: Uuid,
    id: &str,
    change: &NodeChange<'_>,
) -> Result<Option<Node>, sqlx::Error> {
    sqlx::query_as!(
        Node,
        "UPDATE project_nodes SET
             status = coalesce($3, status),
             name = coalesce($4, name),
             rows = coalesce($5, rows),
             bytes = coalesce($6, bytes),
             duration_ms = coalesce($7, duration_ms),
             error = CASE WHEN $8 THEN $9 ELSE error END,
             last_run_at = CASE WHEN $10 THEN now() ELSE last_run_at END,
             version = version + 1,
             updated_at = now()
         WHERE project_id = $1 AND id = $2
         RETURNING id, layer, kind, name, status, last_run_at, rows, bytes, duration_ms, error,
                   position, version, updated_at",
        project,
        id,
        change.status,
        change.name,
        change.rows,
        change.bytes,
        change.duration_ms,
        change.error.is_some(),
        change.error.flatten(),
        change.finishes
    )
    .fetch_optional(conn)
    .await
}

/// Opens a run of node `id` (it turned RUNNING).
pub(crate) async fn open_node_run(
    conn: &mut PgConnection,
    project: Uuid,
    id: &str,
    run: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO project_node_runs (tenant_id, id, project_id, node_id, run_id, status, started_at)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, 'RUNNING', now())",
        Uuid::now_v7(),
        project,
        id,
        run
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Closes node `id`'s open run with how it ended, or records a finished run when none is
/// open (a producer that reports only the outcome).
pub(crate) async fn close_node_run(
    conn: &mut PgConnection,
    project: Uuid,
    node: &Node,
    run: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    let closed = sqlx::query!(
        "UPDATE project_node_runs SET status = $3, finished_at = now(), rows = $4, bytes = $5,
                duration_ms = $6, error = $7, run_id = coalesce($8, run_id)
         WHERE (tenant_id, id) = (
             SELECT tenant_id, id FROM project_node_runs
             WHERE project_id = $1 AND node_id = $2 AND status = 'RUNNING'
             ORDER BY id DESC LIMIT 1)",
        project,
        node.id,
        node.status,
        node.rows,
        node.bytes,
        node.duration_ms,
        node.error,
        run
    )
    .execute(&mut *conn)
    .await?;
    if closed.rows_affected() == 0 {
        sqlx::query!(
            "INSERT INTO project_node_runs (tenant_id, id, project_id, node_id, run_id, status,
                                            finished_at, rows, bytes, duration_ms, error)
             VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, now(), $6, $7, $8, $9)",
            Uuid::now_v7(),
            project,
            node.id,
            run,
            node.status,
            node.rows,
            node.bytes,
            node.duration_ms,
            node.error
        )
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Node `id`'s last 50 runs, newest first.
pub(crate) async fn node_runs(
    conn: &mut PgConnection,
    project: Uuid,
    id: &str,
) -> Result<Vec<NodeRun>, sqlx::Error> {
    sqlx::query_as!(
        NodeRun,
        "SELECT id, run_id, status, started_at, finished_at, rows, bytes, duration_ms, error
         FROM project_node_runs WHERE project_id = $1 AND node_id = $2
         ORDER BY id DESC LIMIT 50",
        project,
        id
    )
    .fetch_all(conn)
    .await
}
