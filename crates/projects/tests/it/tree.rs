//! The state tree: the state document and its ETag, node status changes with their runs and
//! live events, lineage cycles refused, concurrent updates all kept, and the kernel-level
//! function other slices use.

use std::time::Duration;

use kernel::projects::{NodeStatus, NodeUpdate};
use kernel::{TenantId, UnitOfWork};
use serde_json::json;
use sqlx::PgPool;
use testkit::{problem, SseStream, TestApp};
use uuid::Uuid;

use crate::common::{expect, fashion_tree, node, project_with_tree, state, stored_state, PROJECTS};

#[sqlx::test(migrations = "../../migrations")]
async fn the_state_document_follows_node_changes_with_its_etag_and_live_events(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let project = project_with_tree(&owner, "shop").await;
    let mut live = SseStream::open(
        &owner.client,
        &owner.url(&format!("/api/v1/events?channels=projects/{project}")),
        None,
    )
    .await;

    let (doc, etag) = state(&owner, &project).await;
    assert_eq!(doc["trees"]["bronze"].as_array().unwrap().len(), 3);
    assert_eq!(doc["trees"]["gold"].as_array().unwrap().len(), 2);
    assert_eq!(doc["trees"]["destination"][0]["id"], "crm");
    assert_eq!(doc["edges"].as_array().unwrap().len(), 7);
    assert_eq!(node(&doc, "gold_sales")["status"], "IDLE");
    assert_eq!(doc["active_jobs"], json!([]));
    assert_eq!(doc["billing_mtd"]["amount"], "0.00");

    // A conditional GET with the current ETag is a 304 without a body.
    let res = owner
        .client
        .get(owner.url(&format!("{PROJECTS}/{project}/state")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    assert_eq!(res.headers()["etag"].to_str().unwrap(), etag);

    // A run starts and the node turns RUNNING, then GREEN with its metrics.
    let run = expect(
        owner
            .post_json(
                &format!("{PROJECTS}/{project}/runs"),
                &json!({"name": "nightly"}),
            )
            .await,
        201,
    )
    .await;
    let run_id = run["id"].as_str().unwrap();
    let path = format!("{PROJECTS}/{project}/nodes/gold_sales");
    expect(
        owner
            .patch_json(&path, &json!({"status": "RUNNING", "run_id": run_id}))
            .await,
        200,
    )
    .await;
    let green = json!({"status": "GREEN", "metrics": {"rows": 1200, "bytes": 64000, "duration_ms": 850}, "run_id": run_id});
    let changed = expect(owner.patch_json(&path, &green).await, 200).await;
    assert_eq!(changed["status"], "GREEN");
    assert_eq!(changed["rows"], 1200);
    assert!(changed["last_run_at"].is_string());

    let (doc, new_etag) = state(&owner, &project).await;
    assert_ne!(new_etag, etag);
    assert_eq!(node(&doc, "gold_sales")["status"], "GREEN");
    assert_eq!(node(&doc, "gold_sales")["metrics"]["rows"], 1200);
    assert_eq!(doc["active_jobs"][0]["id"], run_id);
    let res = owner
        .client
        .get(owner.url(&format!("{PROJECTS}/{project}/state")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "an old ETag gets the new document");

    // The side panel: the node's run, opened and closed, with its neighbours.
    let detail = expect(owner.get(&path).await, 200).await;
    assert_eq!(detail["runs"].as_array().unwrap().len(), 1);
    assert_eq!(detail["runs"][0]["status"], "GREEN");
    assert_eq!(detail["runs"][0]["run_id"], run_id);
    assert!(
        detail["runs"][0]["started_at"].is_string() && detail["runs"][0]["finished_at"].is_string()
    );
    assert_eq!(
        detail["upstream"],
        json!(["silver_orders", "silver_products"])
    );

    // Live: the seed's packet, in order.
    let mut statuses = Vec::new();
    while statuses.len() < 2 {
        let event = live
            .next_within(Duration::from_secs(10))
            .await
            .expect("node.status events");
        if event.event.as_deref() == Some("node.status") {
            let payload = &event.data["payload"];
            statuses.push((payload["nodeId"].clone(), payload["newStatus"].clone()));
        }
    }
    assert_eq!(
        statuses,
        [
            (json!("gold_sales"), json!("RUNNING")),
            (json!("gold_sales"), json!("GREEN"))
        ]
    );

    // A failure names its error; the run ends and leaves the active jobs.
    let red = json!({"status": "RED", "error": "relation silver.orders does not exist"});
    expect(owner.patch_json(&path, &red).await, 200).await;
    expect(
        owner
            .patch_json(
                &format!("{PROJECTS}/{project}/runs/{run_id}"),
                &json!({"status": "failed", "error": "gold_sales failed"}),
            )
            .await,
        200,
    )
    .await;
    let (doc, _) = state(&owner, &project).await;
    assert_eq!(
        node(&doc, "gold_sales")["error"],
        "relation silver.orders does not exist"
    );
    assert_eq!(doc["active_jobs"], json!([]));

    // Bad input changes nothing.
    let before = stored_state(&app, &project).await;
    problem(
        owner.patch_json(&path, &json!({"status": "PURPLE"})).await,
        422,
    )
    .await;
    problem(
        owner
            .patch_json(&path, &json!({"metrics": {"rows": -1}}))
            .await,
        422,
    )
    .await;
    problem(
        owner
            .patch_json(
                &format!("{PROJECTS}/{project}/nodes/nope"),
                &json!({"status": "GREEN"}),
            )
            .await,
        404,
    )
    .await;
    problem(
        owner
            .patch_json(
                &format!("{PROJECTS}/{}/nodes/gold_sales", Uuid::now_v7()),
                &json!({"status": "GREEN"}),
            )
            .await,
        404,
    )
    .await;
    assert_eq!(
        stored_state(&app, &project).await,
        before,
        "nothing changed"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn lineage_cycles_are_refused_naming_the_cycle(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let project = project_with_tree(&owner, "shop").await;
    let before = stored_state(&app, &project).await;

    let mut cyclic = fashion_tree();
    cyclic["edges"]
        .as_array_mut()
        .unwrap()
        .push(json!({"from": "crm", "to": "silver_customers"}));
    let body = problem(
        owner
            .put_json(&format!("{PROJECTS}/{project}/tree"), &cyclic)
            .await,
        422,
    )
    .await;
    assert_eq!(body["code"], "lineage_cycle");
    assert_eq!(
        body["cycle"],
        json!(["silver_customers", "gold_churn", "crm", "silver_customers"])
    );

    let closing = json!({"from": "gold_sales", "to": "silver_orders"});
    let body = problem(
        owner
            .post_json(&format!("{PROJECTS}/{project}/edges"), &closing)
            .await,
        422,
    )
    .await;
    assert_eq!(
        body["cycle"],
        json!(["silver_orders", "gold_sales", "silver_orders"])
    );

    let unknown = json!({"from": "gold_sales", "to": "nowhere"});
    problem(
        owner
            .post_json(&format!("{PROJECTS}/{project}/edges"), &unknown)
            .await,
        422,
    )
    .await;
    let mut self_loop = fashion_tree();
    self_loop["edges"] = json!([{"from": "crm", "to": "crm"}]);
    problem(
        owner
            .put_json(&format!("{PROJECTS}/{project}/tree"), &self_loop)
            .await,
        422,
    )
    .await;

    assert_eq!(
        stored_state(&app, &project).await,
        before,
        "nothing changed"
    );

    // An edge that keeps the graph acyclic is added; removing it works too.
    let fine = json!({"from": "silver_products", "to": "gold_churn"});
    let edges = expect(
        owner
            .post_json(&format!("{PROJECTS}/{project}/edges"), &fine)
            .await,
        200,
    )
    .await;
    assert_eq!(edges.as_array().unwrap().len(), 8);
    let res = owner
        .delete(&format!(
            "{PROJECTS}/{project}/edges?from=silver_products&to=gold_churn"
        ))
        .await;
    assert_eq!(res.status(), 204);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_hundred_concurrent_status_updates_are_all_kept(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let project = project_with_tree(&owner, "shop").await;
    let (before, _) = state(&owner, &project).await;
    let version = before["version"].as_i64().unwrap();
    let key = owner
        .new_api_key(&["projects:write", "projects:read"])
        .await;

    let statuses = ["RUNNING", "GREEN", "YELLOW", "RED"];
    let updates = (0..100).map(|i| {
        let client = app.client.clone();
        let url = app.url(&format!("{PROJECTS}/{project}/nodes/gold_churn"));
        let key = key.clone();
        async move {
            let body = json!({"status": statuses[i % 4], "metrics": {"rows": i}});
            let res = client
                .patch(url)
                .bearer_auth(key)
                .json(&body)
                .send()
                .await
                .unwrap();
            res.status().as_u16()
        }
    });
    let answers = futures_util::future::join_all(updates).await;
    assert!(answers.iter().all(|s| *s == 200), "{answers:?}");

    let (after, _) = state(&owner, &project).await;
    assert_eq!(
        after["version"].as_i64().unwrap(),
        version + 100,
        "one version per update"
    );
    let detail = expect(
        owner
            .get(&format!("{PROJECTS}/{project}/nodes/gold_churn"))
            .await,
        200,
    )
    .await;
    assert_eq!(detail["version"], 101, "the node counts every change");
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE channel = $1 AND type = 'node.status'",
    )
    .bind(format!("projects/{project}"))
    .fetch_one(&app.owner_db)
    .await
    .unwrap();
    assert_eq!(events, 100, "one event per update");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn other_slices_change_nodes_through_the_kernel_function(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let project: Uuid = project_with_tree(&owner, "shop").await.parse().unwrap();
    let state_port = projects::state();

    let mut work = UnitOfWork::begin_for(&app.db, &app.cache, TenantId(owner.tenant_id))
        .await
        .unwrap();
    let update = NodeUpdate {
        status: Some(NodeStatus::Yellow),
        rows: Some(10),
        error: Some(Some("2 rows dropped".into())),
        ..NodeUpdate::default()
    };
    assert!(state_port
        .update_node(&mut work, project, "silver_products", &update)
        .await
        .unwrap());
    assert!(!state_port
        .update_node(&mut work, project, "missing", &update)
        .await
        .unwrap());
    work.commit().await.unwrap();

    let (doc, _) = state(&owner, &project.to_string()).await;
    assert_eq!(node(&doc, "silver_products")["status"], "YELLOW");
    assert_eq!(node(&doc, "silver_products")["error"], "2 rows dropped");

    // Another tenant's project is not found through it either.
    let other = app.sign_up("globex").await;
    let mut work = UnitOfWork::begin_for(&app.db, &app.cache, TenantId(other.tenant_id))
        .await
        .unwrap();
    assert!(!state_port
        .update_node(&mut work, project, "silver_products", &update)
        .await
        .unwrap());
    // Ended before the app stops: closing its pool waits for every connection to come back.
    drop(work);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_change_through_another_instance_shows_within_the_confirmation_window(pool: PgPool) {
    let first = TestApp::spawn(pool.clone()).await;
    let second = TestApp::spawn(pool).await;
    let owner = first.sign_up("acme").await;
    let project = project_with_tree(&owner, "shop").await;
    let key = owner
        .new_api_key(&["projects:read", "projects:write"])
        .await;
    let get_state = |app: &TestApp| {
        app.client
            .get(app.url(&format!("{PROJECTS}/{project}/state")))
            .bearer_auth(key.clone())
            .send()
    };
    let before: serde_json::Value = get_state(&first).await.unwrap().json().await.unwrap();

    // Changed through the second instance: the first sees it within the window, without
    // anyone telling it.
    let res = second
        .client
        .patch(second.url(&format!("{PROJECTS}/{project}/nodes/crm")))
        .bearer_auth(key.clone())
        .json(&json!({"status": "RED", "error": "HubSpot refused the token"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let started = std::time::Instant::now();
    let mut seen = None;
    while seen.is_none() {
        let doc: serde_json::Value = get_state(&first).await.unwrap().json().await.unwrap();
        if doc["version"] != before["version"] {
            seen = Some(started.elapsed());
            assert_eq!(node(&doc, "crm")["status"], "RED");
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "not seen within 2 s"
        );
        tokio::task::yield_now().await;
    }
    let window = projects::routes::state::CONFIRMED_FOR;
    assert!(
        seen.unwrap() <= window + Duration::from_millis(300),
        "seen after {seen:?}"
    );
    second.stop().await;
    first.stop().await;
}
