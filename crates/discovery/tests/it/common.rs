//! Helpers shared by the discovery tests: a shop project with bronze files, a worker running
//! the discovery job, waiting for a discovery to end.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use kernel::jobs::Registry;
use serde_json::{json, Value};
use testkit::{expect, Session, TestApp};

/// A small shop: orders refer to customers and products; customers hold personal data.
pub const ORDERS: &str = "order_id,customer_id,product_id,quantity,amount,ordered_at,status\n\
1001,17,3,2,79.80,2026-11-02T09:14:00Z,paid\n\
1002,4,1,1,89.00,2026-11-02T11:40:00Z,paid\n\
1003,17,7,1,24.50,2026-11-03T16:05:00Z,refunded\n\
1004,22,3,3,119.70,2026-11-04T10:21:00Z,paid\n\
1004,22,3,3,119.70,2026-11-04T10:21:00Z,paid\n\
1005,4,7,2,49.00,2026-11-05T08:00:00Z,paid\n";
pub const CUSTOMERS: &str = "customer_id,email,full_name,country,signed_up\n\
4,ana.pop@example.com,Ana Pop,ro,2026-01-10\n\
17,ben.hart@example.org,Ben Hart,de,2026-03-22\n\
22,  Cara.Diaz@Example.com ,Cara Diaz,fr,2026-06-01\n";
pub const PRODUCTS: &str = "product_id,name,category,price\n\
1,Wool coat,outerwear,89.00\n3,Linen shirt,tops,39.90\n7,Canvas tote,,24.50\n";

/// Every email of the bronze files: none may leave masked profiles.
pub const EMAILS: [&str; 3] = [
    "ana.pop@example.com",
    "ben.hart@example.org",
    "Cara.Diaz@Example.com",
];

pub async fn upload(session: &Session, project: &str, name: &str, text: &str) {
    let res = session
        .upload_bronze(project, name, "text/csv", text.as_bytes().to_vec())
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
}

/// A project `slug` with the shop's three bronze tables; its id.
pub async fn shop(session: &Session, slug: &str) -> String {
    let project = expect(
        session
            .post_json("/api/v1/projects", &json!({"name": "Shop", "slug": slug}))
            .await,
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    upload(session, &project, "orders.csv", ORDERS).await;
    upload(session, &project, "customers.csv", CUSTOMERS).await;
    upload(session, &project, "products.csv", PRODUCTS).await;
    project
}

/// A job worker in this process running discoveries with the app's LLM configuration; stops
/// when the returned sender is dropped.
pub fn start_worker(app: &TestApp) -> tokio::sync::oneshot::Sender<()> {
    let bin =
        sandbox::Sandbox::locate().expect("fortress-sandbox is not built: `make test` builds it");
    let discoverer = Arc::new(discovery::Discoverer {
        db: app.db.clone(),
        cache: app.cache.clone(),
        llm: app.config.llm().unwrap(),
        projects: projects::state(),
        sandbox: Some(Arc::new(sandbox::Sandbox::new(bin))),
        objects_dir: Some(app.config.objects_dir.clone()),
    });
    let mut registry = Registry::default();
    registry.on::<discovery::run::RunDiscovery, _, _>(move |job, run| {
        let discoverer = discoverer.clone();
        async move { discoverer.run(&job, run.discovery).await }
    });
    app.start_worker(registry)
}

/// Starts a discovery of `project` with `body`, asserting 202; its id.
pub async fn start(session: &Session, project: &str, body: Value) -> String {
    let started = expect(
        session
            .post_json(&format!("/api/v1/projects/{project}/discoveries"), &body)
            .await,
        202,
    )
    .await;
    assert_eq!(started["status"], "queued");
    started["id"].as_str().unwrap().to_owned()
}

/// Waits until discovery `id` is ready or failed; its detail.
pub async fn finished(session: &Session, id: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let detail = expect(session.get(&format!("/api/v1/discoveries/{id}")).await, 200).await;
        if detail["status"] == "ready" || detail["status"] == "failed" {
            return detail;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "discovery {id} not finished: {detail}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The proposal `layer.name` of a discovery's detail.
pub fn proposal<'a>(detail: &'a Value, layer: &str, name: &str) -> &'a Value {
    detail["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["layer"] == layer && p["name"] == name)
        .unwrap_or_else(|| panic!("no proposal {layer}.{name} in {detail}"))
}
