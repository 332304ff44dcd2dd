//! Costs: exact pricing with the rate card, month-to-date in the tenant's timezone across a
//! month boundary, cost per run, budget alerts once per threshold as an event and a webhook.

use std::time::Duration;

use kernel::jobs::{Registry, Worker, WorkerConfig};
use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{problem, Receiver, Session, TestApp};

use crate::common::{create_project, expect, state, PROJECTS};

/// The tenant's own resource `test.units` at 1 per unit.
async fn unit_rate(session: &Session) {
    let rate = json!({"unit": "unit", "unit_price": "1"});
    expect(
        session
            .put_json("/api/v1/costs/rates/test.units", &rate)
            .await,
        200,
    )
    .await;
}

/// 1 unit at 23:59 on 31 January in Bucharest (21:59 UTC) and 10 units at midnight there
/// (22:00 UTC, still 31 January in UTC).
async fn spend_around_bucharest_midnight(session: &Session, project: &str) {
    let items = json!([
        {"resource": "test.units", "quantity": "1", "occurred_at": "2026-01-31T21:59:00Z"},
        {"resource": "test.units", "quantity": "10", "occurred_at": "2026-01-31T22:00:00Z"},
    ]);
    expect(usage(session, project, items).await, 201).await;
}

async fn usage(session: &Session, project: &str, items: Value) -> testkit::reqwest::Response {
    session
        .post_json(
            &format!("{PROJECTS}/{project}/usage"),
            &json!({"items": items}),
        )
        .await
}

#[sqlx::test(migrations = "../../migrations")]
async fn usage_is_priced_exactly_and_unknown_resources_change_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let project = create_project(&owner, "shop").await;

    // Defaults: 1,234,567 input tokens at 0.00000015 and 3 × 0.1 of a tenant rate.
    expect(
        owner
            .put_json(
                "/api/v1/costs/rates/test.dimes",
                &json!({"unit": "dime", "unit_price": "0.1"}),
            )
            .await,
        200,
    )
    .await;
    let recorded = expect(
        usage(
            &owner,
            &project,
            json!([
                {"resource": "llm.tokens.in", "quantity": "1234567"},
                {"resource": "test.dimes", "quantity": "1"},
                {"resource": "test.dimes", "quantity": "1"},
                {"resource": "test.dimes", "quantity": "1"},
            ]),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(recorded["recorded"], 4);
    assert_eq!(recorded["amount"], "0.48518505");
    assert_eq!(recorded["currency"], "USD");

    let month = expect(owner.get(&format!("{PROJECTS}/{project}/costs")).await, 200).await;
    assert_eq!(month["amount"], "0.48518505");
    let test = month["by_provider"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["provider"] == "test")
        .unwrap();
    assert_eq!(test["amount"], "0.3", "three dimes are exactly 0.3");
    let (doc, _) = state(&owner, &project).await;
    assert_eq!(doc["billing_mtd"]["amount"], "0.49");

    // A resource without a rate is refused, naming it, and nothing is recorded.
    let before = expect(owner.get(&format!("{PROJECTS}/{project}/usage")).await, 200).await;
    let body = problem(
        usage(
            &owner,
            &project,
            json!([
                {"resource": "e2b.cpu", "quantity": "10"},
                {"resource": "quantum.qubits", "quantity": "1"},
            ]),
        )
        .await,
        422,
    )
    .await;
    assert!(body["errors"]["items[1].resource"].is_array(), "{body}");
    problem(
        usage(
            &owner,
            &project,
            json!([{"resource": "e2b.cpu", "quantity": "-1"}]),
        )
        .await,
        422,
    )
    .await;
    problem(
        usage(
            &owner,
            &project,
            json!([{"resource": "e2b.cpu", "quantity": "0.0000001"}]),
        )
        .await,
        422,
    )
    .await;
    problem(usage(&owner, &project, json!([])).await, 422).await;
    let after = expect(owner.get(&format!("{PROJECTS}/{project}/usage")).await, 200).await;
    assert_eq!(before, after);

    // The rate card shows defaults and the tenant's own rates.
    let card = expect(owner.get("/api/v1/costs/rates").await, 200).await;
    let dimes = card
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resource"] == "test.dimes")
        .unwrap();
    assert_eq!(dimes["source"], "tenant");
    assert!(card
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["resource"] == "twilio.voice.minutes" && r["source"] == "default"));
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn month_to_date_follows_the_billing_timezone_across_midnight(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let project = create_project(&owner, "shop").await;
    expect(
        owner
            .put_json(
                "/api/v1/costs/settings",
                &json!({"timezone": "Europe/Bucharest", "currency": "USD"}),
            )
            .await,
        200,
    )
    .await;
    unit_rate(&owner).await;
    spend_around_bucharest_midnight(&owner, &project).await;
    let january = expect(
        owner
            .get(&format!("{PROJECTS}/{project}/costs?month=2026-01"))
            .await,
        200,
    )
    .await;
    let february = expect(
        owner
            .get(&format!("{PROJECTS}/{project}/costs?month=2026-02"))
            .await,
        200,
    )
    .await;
    assert_eq!(
        (january["amount"].as_str(), february["amount"].as_str()),
        (Some("1"), Some("10"))
    );
    assert_eq!(january["timezone"], "Europe/Bucharest");
    let tenant = expect(owner.get("/api/v1/costs?month=2026-02").await, 200).await;
    assert_eq!(tenant["amount"], "10");
    assert_eq!(tenant["projects"][0]["amount"], "10");

    // The same instants for a UTC tenant both fall in January.
    let utc = app.sign_up("globex").await;
    let theirs = create_project(&utc, "shop").await;
    unit_rate(&utc).await;
    spend_around_bucharest_midnight(&utc, &theirs).await;
    let january = expect(
        utc.get(&format!("{PROJECTS}/{theirs}/costs?month=2026-01"))
            .await,
        200,
    )
    .await;
    assert_eq!(january["amount"], "11");
    problem(
        owner
            .get(&format!("{PROJECTS}/{project}/costs?month=2026-13"))
            .await,
        400,
    )
    .await;
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_run_knows_what_it_cost(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let project = create_project(&owner, "shop").await;
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
    expect(
        usage(
            &owner,
            &project,
            json!([
                {"resource": "modal.gpu.a10g", "quantity": "3600", "run_id": run_id},
                {"resource": "e2b.cpu", "quantity": "1000", "run_id": run_id},
                {"resource": "e2b.cpu", "quantity": "1000"},
            ]),
        )
        .await,
        201,
    )
    .await;
    let detail = expect(
        owner
            .get(&format!("{PROJECTS}/{project}/runs/{run_id}"))
            .await,
        200,
    )
    .await;
    // 3600 × 0.000306 + 1000 × 0.000014
    assert_eq!(detail["cost"], "1.1156");
    assert_eq!(detail["usage"].as_array().unwrap().len(), 2);
    let other = create_project(&owner, "other").await;
    let body = problem(
        usage(
            &owner,
            &other,
            json!([{"resource": "e2b.cpu", "quantity": "1", "run_id": uuid::Uuid::now_v7()}]),
        )
        .await,
        422,
    )
    .await;
    assert!(body["errors"]["items"].is_array());
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn budget_alerts_fire_once_per_threshold_as_events_and_webhooks(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let receiver = Receiver::start().await;
    let endpoint = json!({"url": receiver.url, "event_types": ["project.budget_alert"]});
    expect(
        owner
            .post_json("/api/v1/webhook-endpoints", &endpoint)
            .await,
        201,
    )
    .await;
    let mut registry = Registry::default();
    webhooks::deliver::register(&mut registry, app.db.clone(), webhooks::Settings::new(true))
        .unwrap();
    let config = WorkerConfig {
        poll: Duration::from_millis(50),
        ..WorkerConfig::default()
    };
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(Worker::new(app.db.clone(), registry, config).run(async {
        let _ = stopped.await;
    }));

    let body =
        json!({"name": "Shop", "slug": "shop", "budget_amount": "10.00", "budget_currency": "USD"});
    let project = expect(owner.post_json(PROJECTS, &body).await, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    unit_rate(&owner).await;
    let spend = |n: &str| {
        usage(
            &owner,
            &project,
            json!([{"resource": "test.units", "quantity": n}]),
        )
    };

    let mut alerts = Vec::new();
    for (quantity, expected) in [
        ("7", json!([])),
        ("1", json!([80])),
        ("1", json!([])),
        ("1", json!([100])),
        ("5", json!([])),
    ] {
        let recorded = expect(spend(quantity).await, 201).await;
        assert_eq!(recorded["alerts"], expected, "after {quantity} more");
        alerts.extend(recorded["alerts"].as_array().unwrap().clone());
    }
    assert_eq!(alerts, [json!(80), json!(100)]);
    let month = expect(owner.get(&format!("{PROJECTS}/{project}/costs")).await, 200).await;
    assert_eq!(month["budget_used_percent"], json!(150.0));
    assert_eq!(month["alerts"].as_array().unwrap().len(), 2);

    // Exactly two webhooks, one per threshold.
    let mut thresholds = Vec::new();
    for _ in 0..2 {
        let delivery = receiver
            .next_within(Duration::from_secs(20))
            .await
            .expect("a budget alert webhook");
        let body = delivery.json();
        assert_eq!(body["type"], "project.budget_alert");
        thresholds.push(body["data"]["threshold"].clone());
    }
    thresholds.sort_by_key(|t| t.as_i64());
    assert_eq!(thresholds, [json!(80), json!(100)]);
    let events: i64 =
        sqlx::query_scalar("SELECT count(*) FROM events WHERE type = 'project.budget_alert'")
            .fetch_one(&app.owner_db)
            .await
            .unwrap();
    assert_eq!(events, 2, "no third alert");
    receiver.stop().await;
    app.stop().await;
}
