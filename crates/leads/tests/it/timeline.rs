//! The timeline (notes, tasks, system entries from field changes, cursor pages) and the
//! field-level audit log in the shape of Refine's auditLogProvider.

use crate::common::{create, id, json, list, LEADS};
use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{problem, TestApp};

#[sqlx::test(migrations = "../../migrations")]
async fn field_changes_write_system_entries_and_audit_diffs(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let lead = create(&owner, json!({"email": "a@acme.example", "score": 5})).await;
    let path = format!("{LEADS}/{}", id(&lead));

    owner
        .patch_json(&path, &json!({"status": "In Process", "score": 50}))
        .await;
    owner
        .patch_json(&path, &json!({"owner_id": owner.user_id}))
        .await;

    let page = json(owner.get(&format!("{path}/timeline")).await).await;
    let bodies: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["body"].as_str().unwrap())
        .collect();
    assert_eq!(
        bodies,
        ["Owner assigned", "Status New -> In Process", "Lead created"]
    );
    assert_eq!(page["next_cursor"], Value::Null);

    let (audit, total) = list(&owner, &format!("{path}/audit")).await;
    assert_eq!(total, 3);
    let update = &audit[1];
    assert_eq!(update["resource"], "leads");
    assert_eq!(update["action"], "update");
    assert_eq!(update["data"], json!({"status": "In Process", "score": 50}));
    assert_eq!(update["previousData"], json!({"status": "New", "score": 5}));
    assert_eq!(update["meta"]["id"], lead["id"]);
    assert_eq!(
        update["author"],
        json!({"kind": "user", "id": owner.user_id})
    );
    let (created, _) = list(&owner, &format!("{path}/audit?action=create")).await;
    assert_eq!(created[0]["data"]["email"], "a@acme.example");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn notes_and_tasks_are_crud_and_the_timeline_pages_newest_first(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let lead = create(&owner, json!({"email": "a@acme.example"})).await;
    let path = format!("{LEADS}/{}", id(&lead));

    let mut notes = Vec::new();
    for i in 0..5 {
        let res = owner
            .post_json(
                &format!("{path}/notes"),
                &json!({"body": format!("note {i}")}),
            )
            .await;
        assert_eq!(res.status(), 201);
        notes.push(json(res).await);
    }
    let res = owner
        .post_json(
            &format!("{path}/tasks"),
            &json!({"body": "call back", "due_at": "2030-01-02T09:00:00Z"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let task = json(res).await;
    assert_eq!(task["due_at"], "2030-01-02T09:00:00Z");

    let res = owner
        .patch_json(
            &format!("{path}/tasks/{}", id(&task)),
            &json!({"done": true, "due_at": null}),
        )
        .await;
    let done = json(res).await;
    assert_eq!(done["done"], true);
    assert!(done["done_at"].is_string());
    assert_eq!(done["due_at"], Value::Null);
    let res = owner
        .patch_json(
            &format!("{path}/notes/{}", id(&notes[0])),
            &json!({"body": "edited"}),
        )
        .await;
    assert_eq!(json(res).await["body"], "edited");
    // A note is not a task, and the other way round.
    problem(
        owner
            .patch_json(
                &format!("{path}/notes/{}", id(&task)),
                &json!({"body": "x"}),
            )
            .await,
        404,
    )
    .await;
    problem(
        owner
            .patch_json(
                &format!("{path}/notes/{}", id(&notes[1])),
                &json!({"done": true}),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(
        owner
            .delete(&format!("{path}/notes/{}", id(&notes[4])))
            .await
            .status(),
        204
    );
    problem(
        owner
            .post_json(&format!("{path}/notes"), &json!({"body": ""}))
            .await,
        422,
    )
    .await;

    // Pages of 2, newest first: task, note 3, note 2, note 1, note 0 (edited), Lead created.
    let mut bodies = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("{path}/timeline?limit=2&cursor={c}"),
            None => format!("{path}/timeline?limit=2"),
        };
        let page = json(owner.get(&query).await).await;
        for entry in page["items"].as_array().unwrap() {
            bodies.push(entry["body"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(
        bodies,
        [
            "call back",
            "note 3",
            "note 2",
            "note 1",
            "edited",
            "Lead created"
        ]
    );
    let res = owner.get(&format!("{path}/timeline?cursor=garbage")).await;
    assert_eq!(problem(res, 400).await["code"], "invalid_cursor");
    let res = owner.get(&format!("{path}/timeline?limit=1000")).await;
    problem(res, 400).await;

    // Another tenant can neither read nor write this timeline.
    let globex = app.sign_up("globex").await;
    problem(
        globex
            .post_json(&format!("{path}/notes"), &json!({"body": "x"}))
            .await,
        404,
    )
    .await;
    problem(
        globex
            .patch_json(
                &format!("{path}/tasks/{}", id(&task)),
                &json!({"done": false}),
            )
            .await,
        404,
    )
    .await;
    problem(
        globex
            .delete(&format!("{path}/notes/{}", id(&notes[1])))
            .await,
        404,
    )
    .await;
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn calls_and_emails_other_slices_report_land_on_the_timeline_once(pool: PgPool) {
    use kernel::jobs::{Registry, Worker, WorkerConfig};
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let lead = create(&owner, json!({"email": "a@acme.example"})).await;
    let path = format!("{LEADS}/{}", id(&lead));
    let start = || {
        let mut registry = Registry::default();
        leads::activity::register(&mut registry, app.db.clone());
        let config = WorkerConfig {
            poll: std::time::Duration::from_millis(50),
            ..WorkerConfig::default()
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(Worker::new(app.db.clone(), registry, config).run(async {
            let _ = stopped.await;
        }));
        stop
    };
    // As the voice slice would report a call, in its own transaction.
    let tenant = kernel::TenantId(owner.tenant_id);
    let mut tx = kernel::tenancy::tenant_tx_for(&app.db, tenant)
        .await
        .unwrap();
    for event in [
        kernel::events::NewEvent::for_ids("calls", "call.completed", [uuid::Uuid::now_v7()])
            .unwrap()
            .with("lead_id", lead["id"].clone())
            .unwrap()
            .with("summary", json!("Qualified: budget approved"))
            .unwrap(),
        kernel::events::NewEvent::for_ids("calls", "call.completed", [uuid::Uuid::now_v7()])
            .unwrap()
            .with("lead_id", json!(uuid::Uuid::now_v7()))
            .unwrap(),
    ] {
        kernel::events::publish(&mut tx, &event).await.unwrap();
    }
    tx.commit().await.unwrap();

    let worker = start();
    let mut calls = Vec::new();
    for _ in 0..100 {
        let page = json(owner.get(&format!("{path}/timeline?kind=call")).await).await;
        calls = page["items"].as_array().unwrap().clone();
        if !calls.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0]["body"], "Qualified: budget approved");
    drop(worker);

    // Handed the same events again (at-least-once), the entry is not written twice.
    sqlx::query("UPDATE event_cursors SET last_seq = 0 WHERE subscriber = 'leads.timeline'")
        .execute(&app.owner_db)
        .await
        .unwrap();
    let _worker = start();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let cursor: i64 = sqlx::query_scalar(
        "SELECT last_seq FROM event_cursors WHERE subscriber = 'leads.timeline'",
    )
    .fetch_one(&app.owner_db)
    .await
    .unwrap();
    assert!(cursor > 0, "the events were handed again");
    let page = json(owner.get(&format!("{path}/timeline?kind=call")).await).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let timeline_rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM lead_timeline WHERE kind = 'call'")
            .fetch_one(&app.owner_db)
            .await
            .unwrap();
    assert_eq!(
        timeline_rows, 1,
        "an event for an unknown lead writes nothing"
    );
    app.stop().await;
}
