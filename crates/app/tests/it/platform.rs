//! The platform over HTTP: health, readiness, request ids, and problem+json for the
//! framework's own errors.

use testkit::{problem, TestApp};

#[sqlx::test(migrations = "../../migrations")]
async fn health_answers_ok(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;

    let res = app.get("/health").await;

    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn ready_when_postgres_and_redis_answer(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;

    let res = app.get("/ready").await;

    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["checks"]["postgres"], "up");
    assert_eq!(body["checks"]["redis"], "up");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn not_ready_names_redis_when_it_is_down(pool: sqlx::PgPool) {
    // Nothing listens on port 1.
    let app = TestApp::spawn_with(pool, |c| c.redis_url = "redis://127.0.0.1:1".into()).await;

    let res = app.get("/ready").await;

    let body = problem(res, 503).await;
    assert_eq!(body["code"], "dependency_down");
    assert_eq!(body["checks"]["redis"], "down");
    assert_eq!(body["checks"]["postgres"], "up");
    assert!(body["detail"].as_str().unwrap().contains("redis"));
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn request_id_is_echoed_or_generated(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;

    let given = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    let made = app.get("/health").await;
    let refused = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "has spaces and is not accepted")
        .send()
        .await
        .unwrap();

    assert_eq!(given.headers()["x-request-id"], "trace-me-123");
    let made_id = made.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(made_id.len(), 32);
    assert_ne!(
        refused.headers()["x-request-id"],
        "has spaces and is not accepted"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn unknown_route_is_a_404_problem_carrying_the_request_id(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;

    let res = app
        .client
        .get(app.url("/api/v1/no-such-thing"))
        .header("x-request-id", "req-404")
        .send()
        .await
        .unwrap();

    let body = problem(res, 404).await;
    assert_eq!(body["code"], "route_not_found");
    assert_eq!(body["request_id"], "req-404");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn wrong_method_is_a_405_problem(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;

    let res = app.client.delete(app.url("/health")).send().await.unwrap();

    let body = problem(res, 405).await;
    assert_eq!(body["code"], "method_not_allowed");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn api_docs_and_spec_are_served(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;

    let spec = app.get("/api/openapi.json").await;
    let docs = app.get("/docs/").await;

    assert_eq!(spec.status(), 200);
    let spec: serde_json::Value = spec.json().await.unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(spec["paths"]["/ready"].is_object());
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
    let bare = app.get("/docs").await;
    assert!(bare.status().is_redirection());
    assert_eq!(bare.headers()["location"], "/docs/");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn cors_allows_configured_origin_with_credentials_and_exposes_total(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;

    let res = app
        .client
        .get(app.url("/health"))
        .header("origin", "http://localhost:5173")
        .send()
        .await
        .unwrap();
    let other = app
        .client
        .get(app.url("/health"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();

    let h = res.headers();
    assert_eq!(h["access-control-allow-origin"], "http://localhost:5173");
    assert_eq!(h["access-control-allow-credentials"], "true");
    let exposed = h["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(exposed.contains("x-total-count"), "{exposed}");
    assert!(other.headers().get("access-control-allow-origin").is_none());
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn body_errors_are_problems_and_change_nothing(pool: sqlx::PgPool) {
    let app = TestApp::spawn_with(pool, |c| c.max_body_bytes = 2048).await;
    let url = app.url("/api/v1/auth/register");

    let malformed = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"tenant_name\": ")
        .send()
        .await
        .unwrap();
    let wrong_type = app
        .client
        .post(&url)
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    let too_large = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body(format!("{{\"tenant_name\": \"{}\"}}", "x".repeat(4096)))
        .send()
        .await
        .unwrap();
    let wrong_shape = app
        .client
        .post(&url)
        .json(&serde_json::json!({"tenant_name": 42}))
        .send()
        .await
        .unwrap();

    assert_eq!(problem(malformed, 400).await["code"], "malformed_json");
    assert_eq!(
        problem(wrong_type, 415).await["code"],
        "unsupported_media_type"
    );
    assert_eq!(problem(too_large, 413).await["code"], "payload_too_large");
    let shape = problem(wrong_shape, 422).await;
    assert_eq!(shape["code"], "validation_failed");
    assert!(shape["errors"].is_object());
    let tenants: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants")
        .fetch_one(&app.owner_db)
        .await
        .unwrap();
    assert_eq!(tenants, 0);
    app.stop().await;
}
