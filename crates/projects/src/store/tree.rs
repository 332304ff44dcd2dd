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
    /// The status starts a run: a node run is opened.
    pub starts: bool,
    /// The status ends a run: `last_run_at` becomes now and the open node run is closed with
    /// the outcome (or a finished run recorded when none is open).
    pub finishes: bool,
    /// The project run the node run belongs to.
    pub run_id: Option<Uuid>,
}

/// A changed node and the project's new state version.
pub(crate) struct ChangedNode {
    pub node: Node,
    pub state_version: i64,
}

/// Applies `change` to node `id` in one statement: the project row is locked first (every
/// writer of a project's state takes it first, so none deadlocks), then the node, its run
/// history and the project's state version change together. `None` when the project or the
/// node does not exist (then nothing changed).
pub(crate) async fn change_node(
    conn: &mut PgConnection,
    project: Uuid,
    id: &str,
    change: &NodeChange<'_>,
) -> Result<Option<ChangedNode>, sqlx::Error> {
    let row = sqlx::query!(
        r#"WITH locked AS (
             SELECT id FROM projects WHERE id = $1 AND deleted_at IS NULL FOR UPDATE
           ), n AS (
             UPDATE project_nodes SET
                 status = coalesce($3, status),
                 name = coalesce($4, name),
                 rows = coalesce($5, rows),
                 bytes = coalesce($6, bytes),
                 duration_ms = coalesce($7, duration_ms),
                 error = CASE WHEN $8 THEN $9 ELSE error END,
                 last_run_at = CASE WHEN $11 THEN now() ELSE last_run_at END,
                 version = version + 1,
                 updated_at = now()
             WHERE project_id = (SELECT id FROM locked) AND id = $2
             RETURNING id, layer, kind, name, status, last_run_at, rows, bytes, duration_ms, error,
                       position, version, updated_at
           ), bumped AS (
             UPDATE projects SET state_version = state_version + 1
             WHERE id = $1 AND EXISTS (SELECT 1 FROM n)
             RETURNING state_version
           ), open_run AS (
             SELECT r.tenant_id, r.id FROM project_node_runs r
             WHERE $11 AND r.project_id = $1 AND r.node_id = $2 AND r.status = 'RUNNING'
             ORDER BY r.id DESC LIMIT 1
           ), closed AS (
             UPDATE project_node_runs r SET status = n.status, finished_at = now(), rows = n.rows,
                    bytes = n.bytes, duration_ms = n.duration_ms, error = n.error,
                    run_id = coalesce($12, r.run_id)
             FROM n, open_run o WHERE (r.tenant_id, r.id) = (o.tenant_id, o.id)
             RETURNING r.id
           ), opened AS (
             INSERT INTO project_node_runs (tenant_id, id, project_id, node_id, run_id, status,
                                            started_at, finished_at, rows, bytes, duration_ms, error)
             SELECT kernel_current_tenant(), $13, $1, n.id, $12, n.status,
                    CASE WHEN $10 THEN now() END, CASE WHEN $11 THEN now() END,
                    CASE WHEN $11 THEN n.rows END, CASE WHEN $11 THEN n.bytes END,
                    CASE WHEN $11 THEN n.duration_ms END, CASE WHEN $11 THEN n.error END
             FROM n WHERE $10 OR ($11 AND NOT EXISTS (SELECT 1 FROM open_run))
             RETURNING id
           )
           SELECT n.id AS "id!", n.layer AS "layer!", n.kind AS "kind!", n.name AS "name!",
                  n.status AS "status!", n.last_run_at, n.rows, n.bytes, n.duration_ms, n.error,
                  n.position AS "position!", n.version AS "version!", n.updated_at AS "updated_at!",
                  (SELECT state_version FROM bumped) AS "state_version!"
           FROM n"#,
        project,
        id,
        change.status,
        change.name,
        change.rows,
        change.bytes,
        change.duration_ms,
        change.error.is_some(),
        change.error.flatten(),
        change.starts,
        change.finishes,
        change.run_id,
        Uuid::now_v7()
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| ChangedNode {
        node: Node {
            id: r.id,
            layer: r.layer,
            kind: r.kind,
            name: r.name,
            status: r.status,
            last_run_at: r.last_run_at,
            rows: r.rows,
            bytes: r.bytes,
            duration_ms: r.duration_ms,
            error: r.error,
            position: r.position,
            version: r.version,
            updated_at: r.updated_at,
        },
        state_version: r.state_version,
    }))
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
