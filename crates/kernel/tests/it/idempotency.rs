//! Idempotency-Key over HTTP against real PostgreSQL: the first request runs and is kept, a
//! retry replays it without running the handler, a different payload is refused, a retry
//! while the first still runs is refused, failures are not kept, bad keys are refused, tenants
//! do not share keys, and expired keys are new again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::{web, App, HttpRequest, HttpResponse};
use kernel::idempotency::Idempotency;
use kernel::tenancy::{Actor, Authenticator};
use kernel::{Principal, Problem, Role, TenantId};
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio::sync::Notify;
use uuid::Uuid;

/// Authenticates `X-Test-Tenant: <uuid>` as a member of that tenant.
struct TenantHeader;

#[async_trait::async_trait(?Send)]
impl Authenticator for TenantHeader {
    async fn authenticate(&self, req: &HttpRequest) -> Result<Principal, Problem> {
        let tenant = req
            .headers()
            .get("x-test-tenant")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<Uuid>().ok())
            .ok_or_else(|| Problem::unauthorized("no test tenant"))?;
        Ok(Principal {
            tenant_id: TenantId(tenant),
            actor: Actor::User(Uuid::new_v4()),
            role: Role::Member,
            scopes: Arc::default(),
        })
    }
}

/// What the test routes share with the test: how often each ran, and the gate of `/slow`.
#[derive(Default)]
struct Handlers {
    orders: AtomicUsize,
    failures: AtomicUsize,
    large: AtomicUsize,
    slow_started: Notify,
    slow_release: Notify,
}

async fn create_order(state: web::Data<Handlers>, body: web::Json<Value>) -> HttpResponse {
    let n = state.orders.fetch_add(1, Ordering::SeqCst) + 1;
    HttpResponse::Created()
        .insert_header(("location", format!("/orders/{n}")))
        .insert_header(("x-not-kept", "1"))
        .json(json!({"order": n, "echo": body.into_inner()}))
}

async fn failing(state: web::Data<Handlers>) -> HttpResponse {
    state.failures.fetch_add(1, Ordering::SeqCst);
    HttpResponse::ServiceUnavailable().body("down")
}

/// 2,000 bytes in two chunks of unknown total length: over the 1,000-byte bound of the tests.
async fn large(state: web::Data<Handlers>) -> HttpResponse {
    state.large.fetch_add(1, Ordering::SeqCst);
    let chunks = ["a".repeat(1000), "b".repeat(1000)]
        .map(|c| Ok::<_, actix_web::Error>(web::Bytes::from(c)));
    HttpResponse::Ok().streaming(futures_util::stream::iter(chunks))
}

async fn slow(state: web::Data<Handlers>) -> HttpResponse {
    state.slow_started.notify_one();
    state.slow_release.notified().await;
    HttpResponse::Ok().body("done")
}

struct Tenants {
    acme: Uuid,
    globex: Uuid,
}

async fn tenants(owner: &PgPool) -> Tenants {
    let t = Tenants {
        acme: Uuid::new_v4(),
        globex: Uuid::new_v4(),
    };
    for (id, slug) in [(t.acme, "acme"), (t.globex, "globex")] {
        sqlx::query("INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $2)")
            .bind(id)
            .bind(slug)
            .execute(owner)
            .await
            .unwrap();
    }
    t
}

/// The test routes under `/keyed`, wrapped with the middleware, on the runtime (RLS) pool.
fn app(
    owner: &PgPool,
    state: web::Data<Handlers>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let db = kernel::db::runtime_pool_from_owner(&owner.connect_options(), 4);
    let auth: web::Data<dyn Authenticator> =
        web::Data::from(Arc::new(TenantHeader) as Arc<dyn Authenticator>);
    App::new()
        .app_data(auth)
        .app_data(state)
        .app_data(web::PayloadConfig::new(1024))
        .service(
            web::scope("/keyed")
                .wrap(Idempotency::new(db).max_response_bytes(1000))
                .route("/orders", web::post().to(create_order))
                .route("/failing", web::post().to(failing))
                .route("/slow", web::post().to(slow))
                .route("/large", web::post().to(large)),
        )
}

fn post(path: &str, tenant: Uuid, key: &str, body: &Value) -> TestRequest {
    TestRequest::post()
        .uri(path)
        .insert_header(("x-test-tenant", tenant.to_string()))
        .insert_header(("idempotency-key", key))
        .set_json(body)
}

async fn read<B: MessageBody>(
    res: ServiceResponse<B>,
) -> (StatusCode, actix_web::http::header::HeaderMap, Value) {
    let status = res.status();
    let headers = res.headers().clone();
    let body = test::read_body(res).await;
    let json = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    (status, headers, json)
}

/// Sends `post(path, tenant, key, body)` to `app`.
fn call<'a, S, B>(
    app: &'a S,
    path: &str,
    tenant: Uuid,
    key: &str,
    body: &Value,
) -> impl std::future::Future<Output = ServiceResponse<B>> + 'a
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody + 'a,
{
    test::call_service(app, post(path, tenant, key, body).to_request())
}

/// Sends `post(path, tenant, key, body)` to `app` and reads the answer.
async fn send<S, B>(
    app: &S,
    path: &str,
    tenant: Uuid,
    key: &str,
    body: &Value,
) -> (StatusCode, HeaderMap, Value)
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    read(call(app, path, tenant, key, body).await).await
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).unwrap().to_str().unwrap()
}

/// Two tenants, fresh counters, and the test routes ready to call.
async fn setup(
    pool: &PgPool,
) -> (
    Tenants,
    web::Data<Handlers>,
    impl Service<Request, Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error>,
) {
    let t = tenants(pool).await;
    let state = web::Data::new(Handlers::default());
    let app = test::init_service(app(pool, state.clone())).await;
    (t, state, app)
}

mod idempotency {
    use super::*;

    #[sqlx::test(migrations = "../../migrations")]
    async fn idempotency_first_request_runs_and_a_retry_replays_it_without_running(pool: PgPool) {
        let (t, state, app) = setup(&pool).await;
        let order = json!({"sku": "A-1", "qty": 2});

        let first = send(&app, "/keyed/orders", t.acme, "k-1", &order).await;
        let again = send(&app, "/keyed/orders", t.acme, "k-1", &order).await;

        assert_eq!(first.0, StatusCode::CREATED);
        assert_eq!(first.2, json!({"order": 1, "echo": order}));
        assert!(first.1.get("idempotent-replayed").is_none());
        assert_eq!(again.0, StatusCode::CREATED);
        assert_eq!(again.2, first.2);
        assert_eq!(header(&again.1, "idempotent-replayed"), "true");
        assert_eq!(header(&again.1, "location"), "/orders/1");
        assert_eq!(header(&again.1, "content-type"), "application/json");
        assert!(
            again.1.get("x-not-kept").is_none(),
            "only the listed headers are kept"
        );
        assert_eq!(state.orders.load(Ordering::SeqCst), 1);
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn idempotency_same_key_with_another_payload_is_422(pool: PgPool) {
        let (t, state, app) = setup(&pool).await;
        send(&app, "/keyed/orders", t.acme, "k-1", &json!({"qty": 1})).await;

        let (status, headers, body) =
            send(&app, "/keyed/orders", t.acme, "k-1", &json!({"qty": 9})).await;

        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(header(&headers, "content-type"), "application/problem+json");
        assert_eq!(body["code"], "idempotency_key_reused");
        assert_eq!(state.orders.load(Ordering::SeqCst), 1);
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn idempotency_retry_while_the_first_still_runs_is_409(pool: PgPool) {
        let (t, state, app) = setup(&pool).await;
        let body = json!({});

        let first = call(&app, "/keyed/slow", t.acme, "k-slow", &body);
        tokio::pin!(first);
        // The first request is left parked in its handler (not polled) while the retry runs.
        tokio::select! {
            res = &mut first => panic!("the first request ended before its handler ran: {}",
                                       String::from_utf8_lossy(&test::read_body(res).await)),
            () = state.slow_started.notified() => {}
            () = tokio::time::sleep(std::time::Duration::from_secs(30)) => {
                panic!("deadline: the first request's handler never started")
            }
        }
        let retry = call(&app, "/keyed/slow", t.acme, "k-slow", &body);
        let retry = tokio::time::timeout(std::time::Duration::from_secs(30), retry)
            .await
            .expect("deadline: the retry did not answer while the first request was parked");
        let (status, _, problem) = read(retry).await;
        state.slow_release.notify_one();
        let first = tokio::time::timeout(std::time::Duration::from_secs(30), first)
            .await
            .unwrap_or_else(|_| panic!("deadline: the first request did not finish once released"));

        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(problem["code"], "idempotency_request_in_flight");
        assert_eq!(first.status(), StatusCode::OK);
        let kept: Vec<(String, Option<i16>)> =
            sqlx::query_as("SELECT state, status FROM idempotency_keys WHERE key = 'k-slow'")
                .fetch_all(&pool)
                .await
                .unwrap();
        assert_eq!(
            kept,
            [("done".to_owned(), Some(200))],
            "the first response is kept"
        );
        let replay = call(&app, "/keyed/slow", t.acme, "k-slow", &body);
        let replay = tokio::time::timeout(std::time::Duration::from_secs(30), replay)
            .await
            .unwrap_or_else(|_| panic!("deadline: the replay did not answer"));
        assert_eq!(header(replay.headers(), "idempotent-replayed"), "true");
        assert_eq!(test::read_body(replay).await, "done");
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn idempotency_server_errors_are_not_kept_so_a_retry_runs_again(pool: PgPool) {
        let (t, state, app) = setup(&pool).await;

        for _ in 0..2 {
            let res = call(&app, "/keyed/failing", t.acme, "k-5xx", &json!({})).await;
            assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert!(res.headers().get("idempotent-replayed").is_none());
        }

        assert_eq!(state.failures.load(Ordering::SeqCst), 2);
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM idempotency_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(rows, 0);
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn idempotency_keys_that_are_too_long_or_empty_are_400(pool: PgPool) {
        let (t, state, app) = setup(&pool).await;

        for key in ["k".repeat(256), String::new()] {
            let (status, _, body) = send(&app, "/keyed/orders", t.acme, &key, &json!({})).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{key:?}");
            assert_eq!(body["code"], "invalid_idempotency_key");
        }
        let ok = call(&app, "/keyed/orders", t.acme, &"k".repeat(255), &json!({})).await;
        assert_eq!(ok.status(), StatusCode::CREATED);
        assert_eq!(state.orders.load(Ordering::SeqCst), 1);
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn idempotency_keys_of_two_tenants_are_independent(pool: PgPool) {
        let (t, state, app) = setup(&pool).await;

        let acme = send(&app, "/keyed/orders", t.acme, "shared", &json!({"a": 1})).await;
        let globex = send(&app, "/keyed/orders", t.globex, "shared", &json!({"b": 2})).await;

        assert_eq!(
            (acme.0, globex.0),
            (StatusCode::CREATED, StatusCode::CREATED)
        );
        assert!(globex.1.get("idempotent-replayed").is_none());
        assert_eq!(globex.2["order"], 2);
        assert_eq!(state.orders.load(Ordering::SeqCst), 2);
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn idempotency_expired_keys_are_new_and_cleaned_up(pool: PgPool) {
        let (t, _state, app) = setup(&pool).await;
        send(&app, "/keyed/orders", t.acme, "old", &json!({"qty": 1})).await;
        send(&app, "/keyed/orders", t.globex, "old", &json!({"qty": 1})).await;
        sqlx::query("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'")
            .execute(&pool)
            .await
            .unwrap();

        let (status, headers, body) =
            send(&app, "/keyed/orders", t.acme, "old", &json!({"qty": 7})).await;

        assert_eq!(status, StatusCode::CREATED);
        assert!(headers.get("idempotent-replayed").is_none());
        assert_eq!(body["order"], 3);
        let runtime = kernel::db::runtime_pool_from_owner(&pool.connect_options(), 1);
        assert_eq!(
            kernel::idempotency::delete_expired(&runtime).await.unwrap(),
            1,
            "globex's expired key"
        );
        let left: i64 = sqlx::query_scalar("SELECT count(*) FROM idempotency_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(left, 1);
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn idempotency_passes_through_requests_without_a_key_or_a_principal(pool: PgPool) {
        let (t, state, app) = setup(&pool).await;
        let no_key = TestRequest::post()
            .uri("/keyed/orders")
            .insert_header(("x-test-tenant", t.acme.to_string()))
            .set_json(json!({}));
        let no_principal = TestRequest::post()
            .uri("/keyed/orders")
            .insert_header(("idempotency-key", "k"))
            .set_json(json!({}));

        for req in [no_key, no_principal] {
            let res = test::call_service(&app, req.to_request()).await;
            assert_eq!(res.status(), StatusCode::CREATED);
        }

        assert_eq!(state.orders.load(Ordering::SeqCst), 2);
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM idempotency_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(rows, 0);
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn idempotency_request_bodies_over_the_app_limit_are_413(pool: PgPool) {
        let (t, state, app) = setup(&pool).await;

        let big = json!({"pad": "x".repeat(2000)});
        let (status, _, body) = send(&app, "/keyed/orders", t.acme, "big", &big).await;

        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body["code"], "payload_too_large");
        assert_eq!(state.orders.load(Ordering::SeqCst), 0);
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn idempotency_responses_over_the_bound_pass_through_and_are_not_kept(pool: PgPool) {
        let (t, state, app) = setup(&pool).await;

        for _ in 0..2 {
            let res = call(&app, "/keyed/large", t.acme, "k-large", &json!({})).await;
            assert_eq!(res.status(), StatusCode::OK);
            assert!(res.headers().get("idempotent-replayed").is_none());
            let body = test::read_body(res).await;
            assert_eq!(body, format!("{}{}", "a".repeat(1000), "b".repeat(1000)));
        }

        assert_eq!(state.large.load(Ordering::SeqCst), 2);
    }
}
