//! Helpers shared by the projects tests: creating projects and trees, reading answers.
#![allow(dead_code)]

use serde_json::{json, Value};
use testkit::reqwest::Response;
use testkit::{Session, TestApp};

pub const PROJECTS: &str = "/api/v1/projects";

pub async fn json(res: Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status} {text}: {e}"))
}

pub use testkit::expect;

/// Creates a project with `slug`, asserting 201; returns its id.
pub async fn create_project(session: &Session, slug: &str) -> String {
    let body =
        json!({"name": format!("Project {slug}"), "slug": slug, "client_name": "Maison Lumière"});
    let project = expect(session.post_json(PROJECTS, &body).await, 201).await;
    project["id"].as_str().unwrap().to_owned()
}

/// A fashion shop's tree: three sources, three clean tables, two models, a CRM.
pub fn fashion_tree() -> Value {
    let node = |id: &str, layer: &str, kind: &str| json!({"id": id, "layer": layer, "kind": kind, "name": id});
    json!({
        "nodes": [
            node("bronze_orders", "bronze", "source"),
            node("bronze_customers", "bronze", "source"),
            node("bronze_products", "bronze", "source"),
            node("silver_orders", "silver", "table"),
            node("silver_customers", "silver", "table"),
            node("silver_products", "silver", "table"),
            node("gold_sales", "gold", "model"),
            node("gold_churn", "gold", "model"),
            node("crm", "destination", "destination"),
        ],
        "edges": [
            {"from": "bronze_orders", "to": "silver_orders"},
            {"from": "bronze_customers", "to": "silver_customers"},
            {"from": "bronze_products", "to": "silver_products"},
            {"from": "silver_orders", "to": "gold_sales"},
            {"from": "silver_products", "to": "gold_sales"},
            {"from": "silver_customers", "to": "gold_churn"},
            {"from": "gold_churn", "to": "crm"},
        ],
    })
}

/// Creates a project with the fashion tree; returns its id.
pub async fn project_with_tree(session: &Session, slug: &str) -> String {
    let id = create_project(session, slug).await;
    expect(
        session
            .put_json(&format!("{PROJECTS}/{id}/tree"), &fashion_tree())
            .await,
        200,
    )
    .await;
    id
}

pub async fn state(session: &Session, project: &str) -> (Value, String) {
    let res = session.get(&format!("{PROJECTS}/{project}/state")).await;
    let etag = res
        .headers()
        .get("etag")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    (expect(res, 200).await, etag)
}

/// The node `id` of a state document.
pub fn node<'a>(state: &'a Value, id: &str) -> &'a Value {
    ["bronze", "silver", "gold", "destination"]
        .iter()
        .flat_map(|layer| state["trees"][layer].as_array().unwrap())
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id} in {state}"))
}

/// What PostgreSQL holds for the project: its state version and every node's status and error.
/// Compared before and after requests that must change nothing; the state document itself may
/// come from the instance's cache, which such requests do not touch.
pub async fn stored_state(
    app: &TestApp,
    project: &str,
) -> (i64, Vec<(String, String, Option<String>)>) {
    let version: i64 = sqlx::query_scalar("SELECT state_version FROM projects WHERE id = $1::uuid")
        .bind(project)
        .fetch_one(&app.owner_db)
        .await
        .unwrap();
    let nodes = sqlx::query_as(
        "SELECT id, status, error FROM project_nodes WHERE project_id = $1::uuid ORDER BY id",
    )
    .bind(project)
    .fetch_all(&app.owner_db)
    .await
    .unwrap();
    (version, nodes)
}
