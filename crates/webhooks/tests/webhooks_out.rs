//! Outbound webhooks over HTTP against real PostgreSQL, an in-process worker and a local
//! receiver: Standard Webhooks signatures checked by the reference Python library, event-type
//! filters, retries with `Retry-After`, 410 disabling, secret rotation, the attempt log,
//! manual redelivery, internal targets refused, tenant isolation.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::time::{Duration, Instant};

use kernel::events::{self, NewEvent};
use kernel::jobs::Registry;
use kernel::tenancy::{tenant_tx_for, TenantId};
use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{
    problem, reference_python, verify_with_reference, Receiver, Reply, Session, TestApp,
};
use webhooks::Settings;

const ENDPOINTS: &str = "/api/v1/webhook-endpoints";

/// Test timing: retries 100 ms apart instead of minutes and hours.
fn settings(attempts: usize) -> Settings {
    Settings {
        schedule: vec![Duration::from_millis(100); attempts],
        ..Settings::new(true)
    }
}

/// A worker running the webhook fan-out and deliveries, stopped on drop of the sender.
fn start_worker(app: &TestApp, settings: Settings) -> tokio::sync::oneshot::Sender<()> {
    let mut registry = Registry::default();
    webhooks::deliver::register(&mut registry, app.db.clone(), settings).unwrap();
    app.start_worker(registry)
}

async fn create_endpoint(session: &Session, url: &str, types: &[&str]) -> (String, String) {
    let res = session
        .post_json(
            ENDPOINTS,
            &json!({"url": url, "event_types": types, "description": "CRM"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    let secret = body["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    (body["id"].as_str().unwrap().to_owned(), secret)
}

async fn publish(app: &TestApp, tenant: uuid::Uuid, event_type: &str) -> i64 {
    let event = NewEvent::for_ids("leads", event_type, [uuid::Uuid::new_v4()]).unwrap();
    let mut tx = tenant_tx_for(&app.db, TenantId(tenant)).await.unwrap();
    let seq = events::publish(&mut tx, &event).await.unwrap();
    tx.commit().await.unwrap();
    seq
}

fn signed_headers(got: &testkit::Received) -> Vec<(&str, &str)> {
    ["webhook-id", "webhook-timestamp", "webhook-signature"]
        .into_iter()
        .map(|name| (name, got.header(name)))
        .collect()
}

/// Polls a JSON resource until `done` holds.
async fn eventually(session: &Session, path: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let value: Value = session.get(path).await.json().await.unwrap();
        if done(&value) {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{path} stayed {value}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[sqlx::test(migrations = "../../migrations")]
async fn matching_events_are_delivered_signed_and_verify_with_the_reference_library(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let receiver = Receiver::start().await;
    let (id, secret) = create_endpoint(&acme, &receiver.url, &["lead.created"]).await;
    let stop = start_worker(&app, settings(8));

    publish(&app, acme.tenant_id, "lead.updated").await; // filtered out
    let seq = publish(&app, acme.tenant_id, "lead.created").await;
    let got = receiver.next().await;
    let body = got.json();
    assert_eq!(body["type"], "lead.created");
    assert_eq!(body["channel"], "resources/leads");
    assert_eq!(body["data"]["ids"].as_array().unwrap().len(), 1);
    assert_eq!(got.header("content-type"), "application/json");
    assert!(got.header("webhook-id").starts_with("msg_"));
    assert!(got.header("webhook-signature").starts_with("v1,"));
    if let Some(python) = reference_python("webhooks_out::signatures") {
        verify_with_reference(&python, &secret, &signed_headers(&got), &got.body).unwrap();
        // A tampered body or another secret fails there too: the check can fail.
        let mut forged = got.body.clone();
        forged[0] = b' ';
        assert!(verify_with_reference(&python, &secret, &signed_headers(&got), &forged).is_err());
        let (_, other_secret) = create_endpoint(&acme, "http://127.0.0.1:9/x", &["none"]).await;
        assert!(
            verify_with_reference(&python, &other_secret, &signed_headers(&got), &got.body)
                .is_err()
        );
    }

    let deliveries = eventually(&acme, &format!("{ENDPOINTS}/{id}/deliveries"), |d| {
        d[0]["state"] == "succeeded"
    })
    .await;
    assert_eq!(
        deliveries.as_array().unwrap().len(),
        1,
        "only the matching type"
    );
    assert_eq!(deliveries[0]["event_seq"], seq);
    assert_eq!(deliveries[0]["message_id"], got.header("webhook-id"));
    let attempts: Value = acme
        .get(&format!("{ENDPOINTS}/{id}/attempts"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(attempts[0]["status"], 200);
    assert_eq!(attempts[0]["response_body"], "thanks");
    assert!(receiver
        .next_within(Duration::from_millis(300))
        .await
        .is_none());
    let _ = stop.send(());
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn failures_are_retried_honouring_retry_after_and_410_disables_the_endpoint(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let receiver = Receiver::start().await;
    let (id, _) = create_endpoint(&acme, &receiver.url, &["lead.created"]).await;
    let stop = start_worker(&app, settings(8));

    receiver.script([Reply::RetryAfter(503, 1), Reply::Status(500)]);
    publish(&app, acme.tenant_id, "lead.created").await;
    let first = receiver.next().await;
    let at = Instant::now();
    let second = receiver.next().await;
    assert!(
        at.elapsed() >= Duration::from_millis(900),
        "Retry-After: 1 was honoured"
    );
    let third = receiver.next().await;
    // Every attempt is the same message: receivers dedupe on webhook-id.
    assert_eq!(first.header("webhook-id"), second.header("webhook-id"));
    assert_eq!(second.header("webhook-id"), third.header("webhook-id"));
    assert_eq!(first.body, third.body);
    let attempts = eventually(&acme, &format!("{ENDPOINTS}/{id}/attempts"), |a| {
        a.as_array().unwrap().len() == 3
    })
    .await;
    let statuses: Vec<_> = attempts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].clone())
        .collect();
    assert_eq!(
        statuses,
        [json!(200), json!(500), json!(503)],
        "newest first"
    );

    // 410 Gone: the endpoint is disabled and gets nothing more.
    receiver.script([Reply::Status(410)]);
    publish(&app, acme.tenant_id, "lead.created").await;
    receiver.next().await;
    let endpoint = eventually(&acme, &format!("{ENDPOINTS}/{id}"), |e| {
        e["enabled"] == false
    })
    .await;
    assert!(endpoint["disabled_reason"]
        .as_str()
        .unwrap()
        .contains("410"));
    publish(&app, acme.tenant_id, "lead.created").await;
    assert!(receiver
        .next_within(Duration::from_millis(500))
        .await
        .is_none());
    let _ = stop.send(());
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn after_a_rotation_both_secrets_verify_and_a_failed_delivery_can_be_resent(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let receiver = Receiver::start().await;
    let (id, old) = create_endpoint(&acme, &receiver.url, &["lead.created"]).await;
    let rotated: Value = acme
        .post_json(&format!("{ENDPOINTS}/{id}/rotate-secret"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let new = rotated["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    // Two attempts only, both refused: the delivery fails for good.
    let stop = start_worker(&app, settings(2));
    receiver.script([Reply::Status(500), Reply::Status(500)]);
    publish(&app, acme.tenant_id, "lead.created").await;
    let got = receiver.next().await;
    assert_eq!(got.header("webhook-signature").split(' ').count(), 2);
    if let Some(python) = reference_python("webhooks_out::rotation") {
        for secret in [&old, &new] {
            verify_with_reference(&python, secret, &signed_headers(&got), &got.body).unwrap();
        }
    }
    receiver.next().await;
    let path = format!("{ENDPOINTS}/{id}/deliveries");
    let failed = eventually(&acme, &path, |d| d[0]["state"] == "failed").await;
    assert!(receiver
        .next_within(Duration::from_millis(300))
        .await
        .is_none());

    // Resent by hand: one more attempt, which succeeds.
    let delivery = failed[0]["id"].as_str().unwrap();
    let res = acme
        .post_json(&format!("{path}/{delivery}/redeliver"), &json!({}))
        .await;
    assert_eq!(res.status(), 202);
    let again = receiver.next().await;
    assert_eq!(again.header("webhook-id"), got.header("webhook-id"));
    let done = eventually(&acme, &path, |d| d[0]["state"] == "succeeded").await;
    assert_eq!(done[0]["attempts"], 3);
    let _ = stop.send(());
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn internal_targets_and_bad_input_are_refused_and_tenants_are_apart(owner: PgPool) {
    let app = TestApp::spawn_with(owner, |c| c.webhooks_allow_private_targets = Some(false)).await;
    let acme = app.sign_up("acme").await;
    let other = app.sign_up("other").await;
    for url in [
        "http://127.0.0.1:9000/hook",
        "https://127.0.0.1/hook",
        "https://10.0.0.7/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/hook",
        "http://hooks.example.com/plain",
        "https://user:pw@hooks.example.com/",
    ] {
        let body = problem(acme.post_json(ENDPOINTS, &json!({"url": url})).await, 422).await;
        assert!(body["errors"]["url"].is_array(), "{url}: {body}");
    }
    let body = problem(
        acme.post_json(
            ENDPOINTS,
            &json!({"url": "https://hooks.example.com", "event_types": ["Lead Created"]}),
        )
        .await,
        422,
    )
    .await;
    assert!(body["errors"]["event_types"].is_array());
    problem(
        acme.post_json(
            ENDPOINTS,
            &json!({"url": "https://hooks.example.com", "secret": "mine"}),
        )
        .await,
        422,
    )
    .await;
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM webhook_endpoints")
        .fetch_one(&app.owner_db)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing was created");

    let (id, _) = create_endpoint(&acme, "https://hooks.example.com/in", &[]).await;
    let theirs = other.get(ENDPOINTS).await;
    assert_eq!(theirs.headers()["x-total-count"], "0");
    for res in [
        other.get(&format!("{ENDPOINTS}/{id}")).await,
        other
            .patch_json(
                &format!("{ENDPOINTS}/{id}"),
                &json!({"url": "https://evil.example.com"}),
            )
            .await,
        other.delete(&format!("{ENDPOINTS}/{id}")).await,
        other
            .post_json(&format!("{ENDPOINTS}/{id}/rotate-secret"), &json!({}))
            .await,
        other.get(&format!("{ENDPOINTS}/{id}/attempts")).await,
    ] {
        problem(res, 404).await;
    }
    let mine: Value = acme
        .get(&format!("{ENDPOINTS}/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["url"], "https://hooks.example.com/in");
    assert!(
        mine.get("secret").is_none(),
        "the secret is never shown again"
    );
    assert_eq!(
        acme.delete(&format!("{ENDPOINTS}/{id}")).await.status(),
        204
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_endpoint_failing_for_five_days_is_disabled(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let receiver = Receiver::start().await;
    let (id, _) = create_endpoint(&acme, &receiver.url, &["lead.created"]).await;
    // It has failed for almost five days (set behind the API) ...
    sqlx::query("UPDATE webhook_endpoints SET failing_since = now() - interval '5 days' + interval '1 minute'")
        .execute(&app.owner_db)
        .await
        .unwrap();
    let stop = start_worker(&app, settings(8));
    receiver.script([Reply::Status(500)]);
    publish(&app, acme.tenant_id, "lead.created").await;
    receiver.next().await;
    let still = eventually(&acme, &format!("{ENDPOINTS}/{id}/attempts"), |a| {
        a[0]["status"] == 500
    })
    .await;
    assert_eq!(still.as_array().unwrap().len(), 1);
    let endpoint: Value = acme
        .get(&format!("{ENDPOINTS}/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(endpoint["enabled"], true, "under five days: still enabled");
    // ... then past five days, the next failure disables it.
    sqlx::query("UPDATE webhook_endpoints SET failing_since = now() - interval '5 days 1 minute'")
        .execute(&app.owner_db)
        .await
        .unwrap();
    receiver.script([Reply::Status(500)]);
    receiver.next().await;
    let endpoint = eventually(&acme, &format!("{ENDPOINTS}/{id}"), |e| {
        e["enabled"] == false
    })
    .await;
    assert!(endpoint["disabled_reason"]
        .as_str()
        .unwrap()
        .contains("failed since"));
    // Re-enabling forgets the failures.
    let enabled: Value = acme
        .patch_json(&format!("{ENDPOINTS}/{id}"), &json!({"enabled": true}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            enabled["enabled"].as_bool(),
            enabled["failing_since"].is_null()
        ),
        (Some(true), true)
    );
    let _ = stop.send(());
    app.stop().await;
}

/// `HTTPS_PROXY` and the like in the worker's environment do not reroute deliveries (a proxy
/// would resolve the target itself, past the guarded resolver). The environment is the whole
/// process's, so the check runs in a child process of this test binary.
#[tokio::test]
async fn deliveries_ignore_the_proxy_variables_of_the_environment() {
    const CHILD: &str = "DATAFORTRESS_PROXY_ENV_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let receiver = Receiver::start().await;
        let client = webhooks::deliver::client(&Settings::new(true)).unwrap();
        let res = client.post(&receiver.url).body("{}").send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(receiver.next_within(Duration::from_secs(5)).await.is_some());
        return;
    }
    // A "proxy" that answers nothing: a delivery sent to it would never reach the receiver.
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let mut child = std::process::Command::new(std::env::current_exe().unwrap());
    child
        .args([
            "--exact",
            "deliveries_ignore_the_proxy_variables_of_the_environment",
        ])
        .env(CHILD, "1")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        child.env(var, &proxy_url);
    }
    // Blocking is fine: nothing else runs on this test's runtime meanwhile.
    let out = child.output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "the child ran the check"
    );
    let connected = tokio::time::timeout(Duration::from_millis(1), proxy.accept()).await;
    assert!(connected.is_err(), "the proxy was contacted");
}
