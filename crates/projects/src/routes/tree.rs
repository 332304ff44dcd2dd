//! The state tree: replace it whole, add and remove nodes and edges, read a node with its
//! runs, and change a node's status (`PATCH …/nodes/{nodeId}`).

use std::collections::HashSet;

use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use kernel::cache::Cache;
use kernel::projects::{NodeStatus, NodeUpdate};
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::StateCache;
use crate::batch::NodeBatcher;
use crate::model::{is_node_id, Layer, NodeKind};
use crate::problems::{invalid, lineage_cycle};
use crate::store::projects as project_store;
use crate::store::tree::{self as store, Edge, Node, NodeRun, NodeSpec};
use crate::tree::{find_cycle, publish};

/// Most nodes in one project's tree.
const MAX_NODES: usize = 2000;
/// Most edges in one project's tree.
const MAX_EDGES: usize = 10_000;

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeInput {
    /// The project's own name for the node: `gold_sales` (a-z 0-9 _ . -).
    #[validate(length(min = 1, max = 100))]
    pub id: String,
    pub layer: Layer,
    pub kind: NodeKind,
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    /// Display order within the layer.
    #[serde(default)]
    pub position: i32,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TreeInput {
    #[validate(nested)]
    pub nodes: Vec<NodeInput>,
    #[serde(default)]
    pub edges: Vec<Edge>,
}

/// The tree as written.
#[derive(Debug, Serialize, ToSchema)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// Checks a whole tree: unique, well-formed node ids, then its edges.
fn check_tree(nodes: &[NodeInput], edges: &[Edge]) -> Result<(), Problem> {
    if nodes.len() > MAX_NODES {
        return Err(invalid("nodes", format!("At most {MAX_NODES} nodes.")));
    }
    let mut ids = HashSet::new();
    for (i, node) in nodes.iter().enumerate() {
        if !is_node_id(&node.id) {
            return Err(invalid(
                &format!("nodes[{i}].id"),
                "Use a-z 0-9 _ . - (starting with a letter or digit).",
            ));
        }
        if !ids.insert(node.id.as_str()) {
            return Err(invalid(
                &format!("nodes[{i}].id"),
                format!("{:?} is used twice.", node.id),
            ));
        }
    }
    check_edges(&ids, edges)
}

/// Checks edges between the nodes `ids`: both ends known, no self-loop, no cycle.
fn check_edges(ids: &HashSet<&str>, edges: &[Edge]) -> Result<(), Problem> {
    if edges.len() > MAX_EDGES {
        return Err(invalid("edges", format!("At most {MAX_EDGES} edges.")));
    }
    for (i, edge) in edges.iter().enumerate() {
        for (end, id) in [("from", &edge.from), ("to", &edge.to)] {
            if !ids.contains(id.as_str()) {
                return Err(invalid(
                    &format!("edges[{i}].{end}"),
                    format!("{id:?} is not a node of the tree."),
                ));
            }
        }
        if edge.from == edge.to {
            return Err(invalid(
                &format!("edges[{i}]"),
                "A node cannot feed itself.",
            ));
        }
    }
    match find_cycle(edges) {
        Some(cycle) => Err(lineage_cycle(&cycle)),
        None => Ok(()),
    }
}

/// Counts a change of the tree's shape in the state version and publishes `tree.updated` (the
/// UI reloads the state document).
async fn tree_changed(work: &mut UnitOfWork, project: Uuid) -> Result<(), Problem> {
    let version = project_store::touch_state(work, project).await?;
    Ok(publish(work, project, "tree.updated", json!({"version": version})).await?)
}

/// Replace a project's whole tree: nodes (kept nodes keep their status and history) and edges.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = TreeInput,
    responses((status = 200, body = Tree))
)]
#[put("/{id}/tree")]
#[tracing::instrument(skip_all)]
pub async fn replace_tree(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    states: web::Data<StateCache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<TreeInput>,
) -> Result<web::Json<Tree>, Problem> {
    let body = body.into_inner();
    check_tree(&body.nodes, &body.edges)?;
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    super::lock_project(&mut work, *id).await?;
    let keep: Vec<String> = body.nodes.iter().map(|n| n.id.clone()).collect();
    store::delete_nodes_except(&mut work, *id, &keep).await?;
    let mut nodes = Vec::with_capacity(body.nodes.len());
    for node in &body.nodes {
        let spec = NodeSpec {
            id: &node.id,
            layer: node.layer.as_str(),
            kind: node.kind.as_str(),
            name: &node.name,
            position: node.position,
        };
        nodes.push(store::upsert_node(&mut work, *id, &spec).await?);
    }
    store::replace_edges(&mut work, *id, &body.edges).await?;
    tree_changed(&mut work, *id).await?;
    let edges = store::edges(&mut work, *id).await?;
    work.commit().await?;
    states.forget(principal.tenant_id, *id);
    Ok(web::Json(Tree { nodes, edges }))
}

/// Add a node (or change its layer, kind, name and position).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = NodeInput,
    responses((status = 200, body = Node))
)]
#[post("/{id}/nodes")]
#[tracing::instrument(skip_all)]
pub async fn put_node(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    states: web::Data<StateCache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<NodeInput>,
) -> Result<web::Json<Node>, Problem> {
    let node = body.into_inner();
    if !is_node_id(&node.id) {
        return Err(invalid(
            "id",
            "Use a-z 0-9 _ . - (starting with a letter or digit).",
        ));
    }
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    super::lock_project(&mut work, *id).await?;
    // Only a new node can overflow the tree; changing one reads one row.
    if store::node(&mut work, *id, &node.id).await?.is_none()
        && store::nodes(&mut work, *id).await?.len() >= MAX_NODES
    {
        return Err(invalid(
            "id",
            format!("A tree holds at most {MAX_NODES} nodes."),
        ));
    }
    let spec = NodeSpec {
        id: &node.id,
        layer: node.layer.as_str(),
        kind: node.kind.as_str(),
        name: &node.name,
        position: node.position,
    };
    let written = store::upsert_node(&mut work, *id, &spec).await?;
    tree_changed(&mut work, *id).await?;
    work.commit().await?;
    states.forget(principal.tenant_id, *id);
    Ok(web::Json(written))
}

/// A node with its last 50 runs, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct NodeDetail {
    #[serde(flatten)]
    pub node: Node,
    pub runs: Vec<NodeRun>,
    /// The nodes feeding this one.
    pub upstream: Vec<String>,
    /// The nodes this one feeds.
    pub downstream: Vec<String>,
}

/// One node, with its runs and neighbours (the project page's side panel).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("node_id" = String, Path)),
    responses((status = 200, body = NodeDetail))
)]
#[get("/{id}/nodes/{node_id}")]
#[tracing::instrument(skip_all)]
pub async fn get_node(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    path: web::Path<(Uuid, String)>,
) -> Result<web::Json<NodeDetail>, Problem> {
    let (project, node_id) = path.into_inner();
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let node = store::node(&mut tx, project, &node_id)
        .await?
        .ok_or_else(|| Problem::not_found("Node"))?;
    let runs = store::node_runs(&mut tx, project, &node_id).await?;
    let edges = store::edges(&mut tx, project).await?;
    end_read(tx);
    let upstream = edges
        .iter()
        .filter(|e| e.to == node_id)
        .map(|e| e.from.clone())
        .collect();
    let downstream = edges
        .iter()
        .filter(|e| e.from == node_id)
        .map(|e| e.to.clone())
        .collect();
    Ok(web::Json(NodeDetail {
        node,
        runs,
        upstream,
        downstream,
    }))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateNode {
    pub status: Option<NodeStatus>,
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    #[validate(nested)]
    pub metrics: Option<NodeMetrics>,
    /// Why the run failed or warned; `null` clears it.
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[validate(length(max = 4000))]
    #[schema(value_type = Option<String>)]
    pub error: Option<Option<String>>,
    /// The project run this node run belongs to.
    pub run_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeMetrics {
    #[validate(range(min = 0))]
    pub rows: Option<i64>,
    #[validate(range(min = 0))]
    pub bytes: Option<i64>,
    #[validate(range(min = 0))]
    pub duration_ms: Option<i64>,
}

/// Change a node: its status (with the run's metrics and error) or its name. Publishes
/// `node.status` `{"nodeId", "newStatus"}` on `projects/<id>`.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("node_id" = String, Path)),
    request_body = UpdateNode,
    responses((status = 200, body = Node))
)]
#[patch("/{id}/nodes/{node_id}")]
#[tracing::instrument(skip_all)]
pub async fn update_node(
    batcher: web::Data<NodeBatcher>,
    principal: Scoped<scope::ProjectsWrite>,
    path: web::Path<(Uuid, String)>,
    body: ValidatedJson<UpdateNode>,
) -> Result<web::Json<Node>, Problem> {
    let (project, node_id) = path.into_inner();
    let body = body.into_inner();
    let metrics = body.metrics.as_ref();
    let update = NodeUpdate {
        status: body.status,
        name: body.name,
        rows: metrics.and_then(|m| m.rows),
        bytes: metrics.and_then(|m| m.bytes),
        duration_ms: metrics.and_then(|m| m.duration_ms),
        error: body.error,
        run_id: body.run_id,
    };
    let node = batcher
        .apply(principal.tenant_id, project, node_id, update)
        .await?;
    Ok(web::Json(node))
}

/// Remove a node with its edges and history.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("node_id" = String, Path)),
    responses((status = 204))
)]
#[delete("/{id}/nodes/{node_id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_node(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    states: web::Data<StateCache>,
    principal: Scoped<scope::ProjectsWrite>,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, Problem> {
    let (project, node_id) = path.into_inner();
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    super::lock_project(&mut work, project).await?;
    if !store::delete_node(&mut work, project, &node_id).await? {
        return Err(Problem::not_found("Node"));
    }
    tree_changed(&mut work, project).await?;
    work.commit().await?;
    states.forget(principal.tenant_id, project);
    Ok(HttpResponse::NoContent().finish())
}

/// Add a lineage edge; 422 `lineage_cycle` when it would close a cycle.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = Edge,
    responses((status = 200, body = Vec<Edge>))
)]
#[post("/{id}/edges")]
#[tracing::instrument(skip_all)]
pub async fn add_edge(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    states: web::Data<StateCache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    body: web::Json<Edge>,
) -> Result<web::Json<Vec<Edge>>, Problem> {
    let edge = body.into_inner();
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    super::lock_project(&mut work, *id).await?;
    let nodes = store::nodes(&mut work, *id).await?;
    let ids: HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let mut edges = store::edges(&mut work, *id).await?;
    if !edges.contains(&edge) {
        edges.push(edge);
    }
    check_edges(&ids, &edges)?;
    store::replace_edges(&mut work, *id, &edges).await?;
    tree_changed(&mut work, *id).await?;
    let edges = store::edges(&mut work, *id).await?;
    work.commit().await?;
    states.forget(principal.tenant_id, *id);
    Ok(web::Json(edges))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct EdgeQuery {
    pub from: String,
    pub to: String,
}

/// Remove a lineage edge.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), EdgeQuery),
    responses((status = 204))
)]
#[delete("/{id}/edges")]
#[tracing::instrument(skip_all)]
pub async fn delete_edge(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    states: web::Data<StateCache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    query: web::Query<EdgeQuery>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    super::lock_project(&mut work, *id).await?;
    let mut edges = store::edges(&mut work, *id).await?;
    let before = edges.len();
    edges.retain(|e| !(e.from == query.from && e.to == query.to));
    if edges.len() == before {
        return Err(Problem::not_found("Edge"));
    }
    store::replace_edges(&mut work, *id, &edges).await?;
    tree_changed(&mut work, *id).await?;
    work.commit().await?;
    states.forget(principal.tenant_id, *id);
    Ok(HttpResponse::NoContent().finish())
}
