//! The pipeline template end to end, offline: bronze CSV and JSON lines → silver and gold
//! Parquet (the DuckDB sandbox, a real child process) → scores (a SQL model) → the scores on
//! our leads (through the leads slice's subscriber) → the tree's nodes GREEN, usage recorded.

use std::time::Duration;

use serde_json::{json, Value};
use testkit::{Session, TestApp};

use crate::common::{count, create_flow_with, expect, finished, run, start_worker};

const ORDERS: &str = "order_id,customer_id,product_id,quantity,unit_price,ordered_at\n\
1001,c-17,p-3,2,39.90,2026-11-02T09:14:00Z\n\
1002,c-04,p-1,1,89.00,2026-11-02T11:40:00Z\n\
1003,c-17,p-7,1,24.50,2026-11-03T16:05:00Z\n\
1004,c-22,p-3,3,39.90,2026-11-04T10:21:00Z\n";
const CUSTOMERS: &str =
    "{\"customer_id\":\"c-04\",\"email\":\"ana@example.com\",\"country\":\"ro\"}\n\
{\"customer_id\":\"c-17\",\"email\":\"Ben@Example.com\",\"country\":\"de\"}\n\
{\"customer_id\":\"c-22\",\"email\":\"cara@example.com\",\"country\":\"fr\"}\n";
const PRODUCTS: &str = "product_id,name,category,price\n\
p-1,Wool coat,outerwear,89.00\np-3,Linen shirt,tops,39.90\np-7,Canvas tote,,24.50\n";

async fn upload(session: &Session, project: &str, name: &str, kind: &str, text: &str) {
    let res = session
        .upload_bronze(project, name, kind, text.as_bytes().to_vec())
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
}

fn node_status(state: &Value, id: &str) -> String {
    ["bronze", "silver", "gold", "destination"]
        .iter()
        .flat_map(|layer| state["trees"][layer].as_array().unwrap())
        .find(|n| n["id"] == id)
        .map(|n| n["status"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no node {id}"))
}

async fn lead_score(session: &Session, email: &str) -> i64 {
    let leads = expect(
        session.get(&format!("/api/v1/leads?email={email}")).await,
        200,
    )
    .await;
    leads[0]["score"].as_i64().unwrap()
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_template_runs_bronze_to_gold_to_scores_on_leads(owner: sqlx::PgPool) {
    assert!(
        sandbox::Sandbox::locate().is_some(),
        "fortress-sandbox is not built: run `cargo build -p sandbox` (make test builds it)"
    );
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);

    let project = expect(
        acme.post_json("/api/v1/projects", &json!({"name": "Shop", "slug": "shop"}))
            .await,
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let node = |id: &str, layer: &str, kind: &str| json!({"id": id, "layer": layer, "kind": kind, "name": id});
    let tree = json!({
        "nodes": [node("bronze_orders", "bronze", "source"), node("silver_orders", "silver", "table"),
                  node("gold_sales", "gold", "model"), node("gold_churn", "gold", "model"),
                  node("crm_hubspot", "destination", "destination")],
        "edges": [{"from": "bronze_orders", "to": "silver_orders"}, {"from": "silver_orders", "to": "gold_sales"},
                  {"from": "gold_sales", "to": "gold_churn"},
                  {"from": "gold_churn", "to": "crm_hubspot"}]
    });
    expect(
        acme.put_json(&format!("/api/v1/projects/{project}/tree"), &tree)
            .await,
        200,
    )
    .await;
    upload(&acme, &project, "orders.csv", "text/csv", ORDERS).await;
    upload(
        &acme,
        &project,
        "customers.jsonl",
        "application/x-ndjson",
        CUSTOMERS,
    )
    .await;
    upload(&acme, &project, "products.csv", "text/csv", PRODUCTS).await;
    for email in ["ana@example.com", "ben@example.com", "cara@example.com"] {
        expect(
            acme.post_json("/api/v1/leads", &json!({"email": email}))
                .await,
            201,
        )
        .await;
    }

    let template = expect(acme.get("/api/v1/orchestration/templates").await, 200).await[0]
        ["definition"]
        .clone();
    let flow = create_flow_with(
        &acme,
        json!({"name": "shop-pipeline", "definition": template, "project_id": project,
               "nodes": {"Ingest": "bronze_orders", "Transform": "gold_sales", "Score": "gold_churn", "ReverseEtl": "crm_hubspot"}}),
    )
    .await;
    let id = run(&acme, &flow, json!({})).await;
    let done = finished(&acme, &id).await;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");

    // Silver and gold are Parquet files of the project now.
    let files = |layer: &'static str| {
        let acme = &acme;
        let project = project.clone();
        async move {
            let listed = expect(
                acme.get(&format!(
                    "/api/v1/projects/{project}/layers/{layer}/objects"
                ))
                .await,
                200,
            )
            .await;
            listed
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        files("silver").await,
        ["customers.parquet", "orders.parquet", "products.parquet"]
    );
    assert_eq!(
        files("gold").await,
        [
            "customer_scores.parquet",
            "customers.parquet",
            "sales_by_day.parquet"
        ]
    );
    let tables = &done["output"]["transform"]["tables"];
    let sales = tables
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "sales_by_day")
        .unwrap();
    assert_eq!(sales["rows"], 4, "{sales}");
    let orders = tables
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "orders")
        .unwrap();
    assert_eq!(orders["rows"], 4);
    assert_eq!(done["output"]["reverseEtl"]["upserted"], 3);

    // The scores reach the leads through the leads slice's subscriber.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while lead_score(&acme, "ben@example.com").await == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "ben's score never arrived"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(lead_score(&acme, "ben@example.com").await, 33);
    assert!([33, 42].contains(&lead_score(&acme, "cara@example.com").await));

    // Every Task's node is green, and the sandbox's seconds were recorded as usage.
    let state = expect(
        acme.get(&format!("/api/v1/projects/{project}/state")).await,
        200,
    )
    .await;
    // silver_orders is no state's node: the transform's `silver.orders` table coloured it.
    for node in [
        "bronze_orders",
        "silver_orders",
        "gold_sales",
        "gold_churn",
        "crm_hubspot",
    ] {
        assert_eq!(node_status(&state, node), "GREEN", "{node}: {state}");
    }
    let silver = state["trees"]["silver"][0].clone();
    assert_eq!(silver["metrics"]["rows"], 4, "{silver}");
    let usage: i64 =
        sqlx::query_scalar("SELECT count(*) FROM cost_usage WHERE resource = 'duckdb.cpu'")
            .fetch_one(&app.owner_db)
            .await
            .unwrap();
    assert_eq!(
        usage, 2,
        "the transform and the scoring model run in the sandbox"
    );
    assert!(count(&app, "execution_events").await > 10);
    app.stop().await;
}
