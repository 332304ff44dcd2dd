//! The reliability middleware as the app wires it: the `api` rate-limit class on every API
//! path (headers, 429, per tenant) and `Idempotency-Key` on the routes that create work.

use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{problem, TestApp};

#[sqlx::test(migrations = "../../migrations")]
async fn api_paths_carry_rate_limit_headers_and_refuse_past_the_burst_per_tenant(owner: PgPool) {
    let app = TestApp::spawn_with(owner, |c| c.rate_limit_api = "2/60:2".into()).await;
    let (acme, other) = (app.sign_up("acme").await, app.sign_up("other").await);
    let first = acme.get("/api/v1/auth/me").await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["ratelimit-policy"], "\"api\";q=2;w=60");
    assert!(first.headers()["ratelimit"]
        .to_str()
        .unwrap()
        .starts_with("\"api\";r="));
    assert_eq!(acme.get("/api/v1/auth/me").await.status(), 200);
    let refused = acme.get("/api/v1/auth/me").await;
    assert!(refused.headers().contains_key("retry-after"));
    let body = problem(refused, 429).await;
    assert_eq!(body["code"], "rate_limited");
    // Another tenant has its own budget; health checks and the docs are not limited.
    assert_eq!(other.get("/api/v1/auth/me").await.status(), 200);
    for _ in 0..5 {
        assert_eq!(app.get("/health").await.status(), 200);
    }
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_retried_create_with_the_same_idempotency_key_creates_once(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let url = acme.url("/api/v1/webhook-endpoints");
    let body = json!({"url": "https://hooks.example.com/in"});
    let send = |key: &'static str, body: Value| {
        let request = acme
            .client
            .post(&url)
            .header("Idempotency-Key", key)
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let first = send("\"create-1\"", body.clone()).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send("\"create-1\"", body.clone()).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["secret"], first["secret"]);
    let changed = send("\"create-1\"", json!({"url": "https://other.example.com"})).await;
    assert_eq!(
        problem(changed, 422).await["code"],
        "idempotency_key_reused"
    );
    let long = "x".repeat(256);
    let res = acme
        .client
        .post(&url)
        .header("Idempotency-Key", long)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(res, 400).await["code"], "invalid_idempotency_key");
    let listed = acme.get("/api/v1/webhook-endpoints").await;
    assert_eq!(listed.headers()["x-total-count"], "1", "created once");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn metrics_show_jobs_listeners_and_requests_served_while_redis_was_down(owner: PgPool) {
    // Redis unreachable: the limiter fails open (serves, counts) instead of refusing.
    let app = TestApp::spawn_with(owner, |c| c.redis_url = "redis://127.0.0.1:1".into()).await;
    let anonymous = app.get("/api/v1/auth/me").await;
    assert_ne!(anonymous.status(), 429);
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = res.text().await.unwrap();
    let value = |name: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    };
    assert!(value("fortress_rate_limit_fail_open_total") >= 1.0);
    assert_eq!(value("fortress_jobs{state=\"queued\"}"), 0.0);
    assert_eq!(value("fortress_sse_listeners"), 0.0);
    app.stop().await;
}
