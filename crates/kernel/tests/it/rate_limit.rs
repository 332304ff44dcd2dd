//! Rate limits against real Redis: bursts, refusals and their retry-after, separate budgets,
//! atomicity under concurrency, the draft's header format, Redis being down, and the
//! middleware as a client sees it.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{web, App, HttpResponse, ResponseError};
use kernel::cache::Cache;
use kernel::rate_limit::{Decision, Policy, RateLimit, RateLimiter};

fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A limiter on real Redis, its keys under a prefix of its own.
fn limiter() -> RateLimiter {
    let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
    RateLimiter::new(Cache::new(&redis_url(), &prefix).unwrap(), true)
}

/// A limiter whose Redis never answers.
fn limiter_without_redis(fail_open: bool) -> RateLimiter {
    RateLimiter::new(
        Cache::new("redis://127.0.0.1:1", "test:").unwrap(),
        fail_open,
    )
}

fn policy(name: &str, limit: u32, period_secs: u64, burst: u32) -> Policy {
    Policy::new(name, limit, Duration::from_secs(period_secs), burst).unwrap()
}

fn header<'a>(headers: &'a actix_web::http::header::HeaderMap, name: &str) -> &'a str {
    headers.get(name).unwrap().to_str().unwrap()
}

mod rate_limit {
    use super::*;

    #[tokio::test]
    async fn a_burst_is_allowed_then_refused_until_the_retry_after_has_passed() {
        let limiter = limiter();
        let policy = policy("api", 10, 1, 10);

        for expected_remaining in (0..10).rev() {
            let decision = limiter.check(&policy, "tenant:a").await;
            assert!(
                matches!(decision, Decision::Allowed { remaining, .. } if remaining == expected_remaining),
                "{decision:?}"
            );
        }
        let refused = limiter.check(&policy, "tenant:a").await;
        let Decision::Limited { retry_after, .. } = refused else {
            panic!("expected a refusal, got {refused:?}");
        };
        // One emission interval (100 ms), less the little time the burst took.
        assert!(
            retry_after > Duration::from_millis(50) && retry_after <= Duration::from_millis(100),
            "{retry_after:?}"
        );

        tokio::time::sleep(retry_after).await;
        let again = limiter.check(&policy, "tenant:a").await;
        assert!(
            matches!(again, Decision::Allowed { remaining: 0, .. }),
            "{again:?}"
        );
    }

    #[tokio::test]
    async fn two_subjects_do_not_share_a_budget() {
        let limiter = limiter();
        let policy = policy("api", 2, 60, 2);
        limiter.check(&policy, "tenant:a").await;
        limiter.check(&policy, "tenant:a").await;

        let a = limiter.check(&policy, "tenant:a").await;
        let b = limiter.check(&policy, "tenant:b").await;

        assert!(!a.is_allowed(), "{a:?}");
        assert!(matches!(b, Decision::Allowed { remaining: 1, .. }), "{b:?}");
    }

    #[tokio::test]
    async fn two_policies_do_not_share_a_budget() {
        let limiter = limiter();
        let reads = policy("reads", 1, 60, 1);
        let writes = policy("writes", 1, 60, 1);
        limiter.check(&reads, "tenant:a").await;

        assert!(!limiter.check(&reads, "tenant:a").await.is_allowed());
        assert!(limiter.check(&writes, "tenant:a").await.is_allowed());
    }

    #[tokio::test]
    async fn an_idle_subject_leaves_nothing_behind_once_its_burst_is_back() {
        let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
        let cache = Cache::new(&redis_url(), &prefix).unwrap();
        let limiter = RateLimiter::new(cache.clone(), true);
        let policy = policy("api", 10, 1, 10);

        limiter.check(&policy, "tenant:a").await;

        let mut conn = cache.conn().await.unwrap();
        let ttl_ms: i64 = redis::cmd("PTTL")
            .arg(cache.key("ratelimit:api:tenant:a"))
            .query_async(&mut conn)
            .await
            .unwrap();
        assert!((1..=100).contains(&ttl_ms), "{ttl_ms}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_checks_never_allow_more_than_the_burst() {
        let limiter = limiter();
        // One request per 6 s after the burst: none can be refilled while the test runs.
        let policy = policy("api", 10, 60, 10);

        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (limiter, policy) = (limiter.clone(), policy.clone());
                tokio::spawn(async move { limiter.check(&policy, "tenant:a").await })
            })
            .collect();
        let mut allowed = 0;
        for task in tasks {
            let decision = task.await.unwrap();
            assert!(
                matches!(
                    decision,
                    Decision::Allowed { .. } | Decision::Limited { .. }
                ),
                "{decision:?}"
            );
            allowed += usize::from(decision.is_allowed());
        }

        assert_eq!(allowed, 10);
    }

    #[tokio::test]
    async fn headers_follow_the_ratelimit_headers_draft() {
        let limiter = limiter();
        let policy = policy("api", 1, 60, 1);

        let first = limiter.check(&policy, "tenant:a").await;
        let mut ok = HttpResponse::Ok().finish();
        first.apply_headers(&policy, ok.headers_mut());
        let second = limiter.check(&policy, "tenant:a").await;
        let mut refused = second.problem().unwrap().error_response();
        second.apply_headers(&policy, refused.headers_mut());

        assert_eq!(header(ok.headers(), "ratelimit-policy"), "\"api\";q=1;w=60");
        assert_eq!(header(ok.headers(), "ratelimit"), "\"api\";r=0;t=60");
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            header(refused.headers(), "ratelimit-policy"),
            "\"api\";q=1;w=60"
        );
        assert_eq!(header(refused.headers(), "ratelimit"), "\"api\";r=0;t=60");
        assert_eq!(header(refused.headers(), "retry-after"), "60");
        assert_eq!(
            header(refused.headers(), "content-type"),
            "application/problem+json"
        );
    }

    #[tokio::test]
    async fn redis_down_and_failing_open_serves_the_request_and_counts_it() {
        let limiter = limiter_without_redis(true);
        let policy = policy("api", 10, 1, 10);

        let first = limiter.check(&policy, "tenant:a").await;
        let second = limiter.check(&policy, "tenant:a").await;

        assert_eq!(first, Decision::Unchecked);
        assert!(second.is_allowed());
        assert!(second.problem().is_none());
        assert_eq!(limiter.fail_open_count(), 2);
    }

    #[tokio::test]
    async fn redis_down_and_failing_closed_answers_503() {
        let limiter = limiter_without_redis(false);
        let policy = policy("api", 10, 1, 10);

        let decision = limiter.check(&policy, "tenant:a").await;

        assert!(!decision.is_allowed());
        let problem = decision.problem().unwrap();
        assert_eq!(problem.status, 503);
        assert_eq!(problem.code, "dependency_down");
        assert_eq!(limiter.fail_open_count(), 0);
    }

    #[test]
    fn policies_that_cannot_be_rendered_or_run_are_refused() {
        let second = Duration::from_secs(1);
        assert!(Policy::new("api", 0, second, 1).is_err());
        assert!(Policy::new("api", 1, second, 0).is_err());
        assert!(Policy::new("api", 1, Duration::from_millis(1500), 1).is_err());
        assert!(Policy::new("a\"b", 1, second, 1).is_err());
        assert!(Policy::new("", 1, second, 1).is_err());
        assert_eq!(
            Policy::new("api", 10, second, 10)
                .unwrap()
                .emission_interval(),
            Duration::from_millis(100)
        );
    }
}

mod rate_limit_middleware {
    use super::*;
    use actix_web::test;

    fn get_from(peer: &str) -> actix_web::test::TestRequest {
        test::TestRequest::get()
            .uri("/")
            .peer_addr(peer.parse().unwrap())
    }

    #[actix_web::test]
    async fn serves_with_headers_then_answers_429_problem_with_retry_after() {
        let limit = RateLimit::new(limiter(), policy("api", 2, 60, 2));
        let app = test::init_service(
            App::new()
                .wrap(limit)
                .route("/", web::get().to(HttpResponse::Ok)),
        )
        .await;

        let first = test::call_service(&app, get_from("10.0.0.1:4000").to_request()).await;
        let second = test::call_service(&app, get_from("10.0.0.1:4001").to_request()).await;
        let third = test::call_service(&app, get_from("10.0.0.1:4002").to_request()).await;
        let other_client = test::call_service(&app, get_from("10.0.0.2:4000").to_request()).await;

        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(
            header(first.headers(), "ratelimit-policy"),
            "\"api\";q=2;w=60"
        );
        assert_eq!(header(first.headers(), "ratelimit"), "\"api\";r=1;t=30");
        assert_eq!(second.status(), StatusCode::OK);
        assert_eq!(header(second.headers(), "ratelimit"), "\"api\";r=0;t=60");
        assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(header(third.headers(), "retry-after"), "30");
        assert_eq!(header(third.headers(), "ratelimit"), "\"api\";r=0;t=60");
        assert_eq!(
            header(third.headers(), "content-type"),
            "application/problem+json"
        );
        let body: serde_json::Value = test::read_body_json(third).await;
        assert_eq!(body["code"], "rate_limited");
        assert_eq!(body["status"], 429);
        assert_eq!(other_client.status(), StatusCode::OK);
    }

    #[actix_web::test]
    async fn limits_by_the_subject_it_is_given() {
        let limit = RateLimit::new(limiter(), policy("api", 1, 60, 1)).with_subject(|req| {
            let tenant = req
                .headers()
                .get("x-tenant")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_owned();
            async move { format!("tenant:{tenant}") }
        });
        let app = test::init_service(
            App::new()
                .wrap(limit)
                .route("/", web::get().to(HttpResponse::Ok)),
        )
        .await;
        let as_tenant = |t: &str| {
            test::TestRequest::get()
                .uri("/")
                .insert_header(("x-tenant", t.to_owned()))
                .to_request()
        };

        let a1 = test::call_service(&app, as_tenant("a")).await;
        let a2 = test::call_service(&app, as_tenant("a")).await;
        let b1 = test::call_service(&app, as_tenant("b")).await;

        assert_eq!(a1.status(), StatusCode::OK);
        assert_eq!(a2.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(b1.status(), StatusCode::OK);
    }

    #[actix_web::test]
    async fn answers_503_problem_when_redis_is_down_and_failing_closed() {
        let limit = RateLimit::new(limiter_without_redis(false), policy("api", 2, 60, 2));
        let app = test::init_service(
            App::new()
                .wrap(limit)
                .route("/", web::get().to(HttpResponse::Ok)),
        )
        .await;

        let res = test::call_service(&app, get_from("10.0.0.1:4000").to_request()).await;

        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body: serde_json::Value = test::read_body_json(res).await;
        assert_eq!(body["code"], "dependency_down");
    }
}
