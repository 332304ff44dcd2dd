//! Dependencies going down while the API runs, through fault-injecting proxies: with
//! PostgreSQL down (refusing or hanging) API requests are answered 503 with `Retry-After` in
//! well under a second; with Redis hanging, API-key reads skip it at once (the rate limit
//! serves unchecked); both recover without a restart.

use std::time::{Duration, Instant};

use serde_json::json;
use sqlx::PgPool;
use testkit::{eventually, problem, Mode, TestApp};

#[sqlx::test(migrations = "../../migrations")]
async fn postgres_down_is_503_with_retry_after_within_a_second_and_recovers(owner: PgPool) {
    let (app, faults) = TestApp::spawn_behind_proxies(owner, |_| {}).await;
    let acme = app.sign_up("acme").await;
    assert_eq!(acme.get("/api/v1/leads").await.status(), 200);

    for mode in [Mode::Down, Mode::Silent] {
        faults.postgres.set(mode);
        for _ in 0..10 {
            let started = Instant::now();
            let res = acme.get("/api/v1/leads").await;
            let took = started.elapsed();
            assert!(res.headers().contains_key("retry-after"), "{mode:?}");
            let body = problem(res, 503).await;
            assert_eq!(body["code"], "dependency_down", "{mode:?}");
            assert!(
                took < Duration::from_secs(1),
                "{mode:?}: answered after {took:?}"
            );
        }
        assert_eq!(
            app.get("/health").await.status(),
            200,
            "liveness needs no database"
        );
        faults.postgres.set(Mode::Forward);
        eventually("PostgreSQL back", Duration::from_secs(10), || async {
            acme.get("/api/v1/leads").await.status() == 200
        })
        .await;
    }
    let created = acme
        .post_json("/api/v1/leads", &json!({"email": "back@acme.test"}))
        .await;
    assert_eq!(created.status(), 201, "writes work again");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn redis_hanging_does_not_slow_api_key_reads_and_recovers(owner: PgPool) {
    let (app, faults) = TestApp::spawn_behind_proxies(owner, |_| {}).await;
    let acme = app.sign_up("acme").await;
    let secret = acme.new_api_key(&["leads:read"]).await;
    let client = testkit::reqwest::Client::new();
    let read = || {
        client
            .get(app.url("/api/v1/leads"))
            .bearer_auth(&secret)
            .send()
    };
    let first = read().await.unwrap();
    assert_eq!(first.status(), 200);
    assert!(
        first.headers().contains_key("ratelimit"),
        "Redis counts while up"
    );

    faults.redis.set(Mode::Silent);
    // The first request to meet the hanging Redis pays its timeout and opens the breaker.
    assert_eq!(read().await.unwrap().status(), 200);
    let mut slowest = Duration::ZERO;
    for _ in 0..50 {
        let started = Instant::now();
        let res = read().await.unwrap();
        slowest = slowest.max(started.elapsed());
        assert_eq!(res.status(), 200);
        assert!(!res.headers().contains_key("ratelimit"), "served unchecked");
    }
    assert!(
        slowest < Duration::from_millis(500),
        "with Redis known down no request waits for it (slowest {slowest:?})"
    );

    faults.redis.set(Mode::Forward);
    eventually("Redis back", Duration::from_secs(10), || async {
        read().await.unwrap().headers().contains_key("ratelimit")
    })
    .await;
    app.stop().await;
}
