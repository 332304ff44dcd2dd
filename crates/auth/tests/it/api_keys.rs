//! API keys over HTTP: creation shows the secret once, bearer authentication with the key's
//! scopes, revocation and expiry, tenant isolation, last-used tracking without a database
//! write per request, and the requests that must be refused.

use secrecy::SecretString;
use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::reqwest::{Client, Response};
use testkit::{problem, Session, TestApp};
use uuid::Uuid;

const KEYS: &str = "/api/v1/api-keys";

#[sqlx::test(migrations = "../../migrations")]
async fn creating_a_key_returns_its_secret_once_and_stores_only_a_hash(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;

    let res = owner
        .post_json(
            KEYS,
            &json!({"name": "CRM sync", "scopes": ["leads:write", "leads:read"]}),
        )
        .await;

    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let created: Value = res.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap();
    assert!(secret.starts_with("dfk_") && secret.len() == 47, "{secret}");
    assert_eq!(created["prefix"], secret[..12]);
    assert_eq!(created["scopes"], json!(["leads:read", "leads:write"]));
    assert_eq!(created["expires_at"], Value::Null);

    let listed = owner.get(KEYS).await;
    assert_eq!(listed.status(), 200);
    assert_eq!(listed.headers()["x-total-count"], "1");
    let text = listed.text().await.unwrap();
    assert!(!text.contains(secret), "the list never shows the secret");
    let listed: Value = serde_json::from_str(&text).unwrap();
    let key = &listed[0];
    assert_eq!(key["id"], created["id"]);
    assert_eq!(key["name"], "CRM sync");
    assert_eq!(key["prefix"], created["prefix"]);
    assert_eq!(key["status"], "active");
    assert_eq!(key["created_by"]["id"], owner.user_id.to_string());
    assert_eq!(key["created_by"]["email"], owner.email);
    assert_eq!(key["last_used_at"], Value::Null);
    assert!(key.get("secret").is_none() && key.get("key_hash").is_none());

    let rows: Vec<String> = sqlx::query_scalar("SELECT to_jsonb(k)::text FROM api_keys k")
        .fetch_all(&app.owner_db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].contains(secret) && !rows[0].contains(&secret[4..]));
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_key_authenticates_as_its_tenant_with_its_scopes(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let key = create_key(&owner, &["leads:read", "projects:read"]).await;

    let res = with_key(&key, app.url("/api/v1/auth/me")).await;

    assert_eq!(res.status(), 200);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["api_key_id"], key["id"]);
    assert_eq!(me["user"], Value::Null);
    assert_eq!(me["tenant"]["id"], owner.tenant_id.to_string());
    assert_eq!(me["permissions"], json!(["leads:read", "projects:read"]));
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_key_without_api_keys_read_cannot_list_keys(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let key = create_key(&owner, &["leads:read"]).await;

    let res = with_key(&key, app.url(KEYS)).await;

    assert_eq!(problem(res, 403).await["code"], "forbidden");
    app.stop().await;
}

/// Asking for a scope the caller lacks is a 403 `scope_not_held`, not a 422: the request is
/// valid (an owner may send the same body), this caller is just not allowed to make it.
#[sqlx::test(migrations = "../../migrations")]
async fn a_key_cannot_create_a_key_with_scopes_it_does_not_hold(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let key = create_key(&owner, &["api_keys:write", "leads:read"]).await;
    let create = |scopes: Value| {
        Client::new()
            .post(app.url(KEYS))
            .bearer_auth(secret_of(&key))
            .json(&json!({"name": "child", "scopes": scopes}))
            .send()
    };

    let wider = create(json!(["leads:read", "leads:write"])).await.unwrap();
    let narrower = create(json!(["leads:read"])).await.unwrap();

    let wider = problem(wider, 403).await;
    assert_eq!(wider["code"], "scope_not_held");
    assert!(wider["detail"].as_str().unwrap().contains("leads:write"));
    assert_eq!(narrower.status(), 201, "a subset of its own scopes is fine");
    assert_eq!(key_count(&app).await, 2);
    let listed: Value = owner.get(KEYS).await.json().await.unwrap();
    assert_eq!(
        listed[0]["created_by"],
        Value::Null,
        "made by a key, not a user"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_revoked_key_is_refused_at_once(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let key = create_key(&owner, &["leads:read"]).await;
    let me = app.url("/api/v1/auth/me");
    assert_eq!(with_key(&key, me.clone()).await.status(), 200);

    let revoked = owner.delete(&format!("{KEYS}/{}", id_of(&key))).await;

    assert_eq!(revoked.status(), 204);
    let refused = problem(with_key(&key, me).await, 401).await;
    assert_eq!(refused["code"], "invalid_api_key");
    let listed: Value = owner.get(KEYS).await.json().await.unwrap();
    assert_eq!(listed[0]["status"], "revoked");
    assert!(listed[0]["revoked_at"].is_string());
    let again = owner.delete(&format!("{KEYS}/{}", id_of(&key))).await;
    assert_eq!(again.status(), 204, "revoking twice is harmless");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_expired_key_is_refused(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let in_an_hour = chrono::Utc::now() + chrono::Duration::hours(1);
    let res = owner
        .post_json(
            KEYS,
            &json!({"name": "temp", "scopes": ["leads:read"], "expires_at": in_an_hour}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let key: Value = res.json().await.unwrap();
    let me = app.url("/api/v1/auth/me");
    assert_eq!(with_key(&key, me.clone()).await.status(), 200);
    sqlx::query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1")
        .bind(id_of(&key))
        .execute(&app.owner_db)
        .await
        .unwrap();

    let res = with_key(&key, me).await;

    assert_eq!(problem(res, 401).await["code"], "invalid_api_key");
    let listed: Value = owner.get(KEYS).await.json().await.unwrap();
    assert_eq!(listed[0]["status"], "expired");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn another_tenants_key_is_not_found_and_keeps_working(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let a = app.sign_up("alpha").await;
    let b = app.sign_up("bravo").await;
    let a_key = create_key(&a, &["api_keys:write", "api_keys:read"]).await;
    let b_key = create_key(&b, &["leads:read"]).await;
    let b_key_path = format!("{KEYS}/{}", id_of(&b_key));

    let by_cookie = a.delete(&b_key_path).await;
    let by_key = Client::new()
        .delete(app.url(&b_key_path))
        .bearer_auth(secret_of(&a_key))
        .send()
        .await
        .unwrap();
    let unknown = a.delete(&format!("{KEYS}/{}", Uuid::new_v4())).await;
    let malformed = a.delete(&format!("{KEYS}/not-a-uuid")).await;

    for res in [by_cookie, by_key, unknown, malformed] {
        assert_eq!(problem(res, 404).await["code"], "not_found");
    }
    let revoked: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT revoked_at FROM api_keys WHERE id = $1")
            .bind(id_of(&b_key))
            .fetch_one(&app.owner_db)
            .await
            .unwrap();
    assert_eq!(revoked, None, "nothing changed");
    let b_me = with_key(&b_key, app.url("/api/v1/auth/me")).await;
    assert_eq!(b_me.status(), 200);
    let a_list: Value = with_key(&a_key, app.url(KEYS)).await.json().await.unwrap();
    assert_eq!(
        a_list.as_array().unwrap().len(),
        1,
        "A sees only its own key"
    );
    assert_eq!(a_list[0]["id"], a_key["id"]);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_viewer_cannot_create_or_list_keys(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let viewer = add_member(&app, &owner, "viewer").await;

    let create = viewer
        .post_json(KEYS, &json!({"name": "mine", "scopes": ["leads:read"]}))
        .await;
    let list = viewer.get(KEYS).await;

    assert_eq!(problem(create, 403).await["code"], "forbidden");
    assert_eq!(problem(list, 403).await["code"], "forbidden");
    assert_eq!(key_count(&app).await, 0);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn last_use_is_listed_without_a_database_write_and_flushed_later(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let key = create_key(&owner, &["leads:read"]).await;
    let before = chrono::Utc::now();

    assert_eq!(
        with_key(&key, app.url("/api/v1/auth/me")).await.status(),
        200
    );

    assert_eq!(db_last_used(&app, &key).await, None, "no write per request");
    let listed: Value = owner.get(KEYS).await.json().await.unwrap();
    let shown: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(listed[0]["last_used_at"].clone()).unwrap();
    assert!(shown >= before - chrono::Duration::seconds(1), "{shown}");

    let written = auth::store::api_keys::flush_last_used(&app.db, &app.cache)
        .await
        .unwrap();

    assert_eq!(written, 1);
    let flushed = db_last_used(&app, &key).await.unwrap();
    assert_eq!(flushed.timestamp_millis(), shown.timestamp_millis());
    let left: i64 = redis::cmd("HLEN")
        .arg(app.cache.key("auth:api_keys:last_used"))
        .query_async(&mut app.cache.conn().await.unwrap())
        .await
        .unwrap();
    assert_eq!(left, 0, "flushed entries are removed from Redis");

    // An older value arriving late never moves the column back.
    redis::cmd("HSET")
        .arg(app.cache.key("auth:api_keys:last_used"))
        .arg(format!("{}:{}", owner.tenant_id, id_of(&key)))
        .arg(flushed.timestamp_millis() - 60_000)
        .query_async::<()>(&mut app.cache.conn().await.unwrap())
        .await
        .unwrap();
    auth::store::api_keys::flush_last_used(&app.db, &app.cache)
        .await
        .unwrap();
    assert_eq!(db_last_used(&app, &key).await, Some(flushed));
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn malformed_or_unknown_bearer_keys_get_a_401_problem(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let key = create_key(&owner, &["leads:read"]).await;
    let real = secret_of(&key);
    let mut altered = real[..46].to_owned();
    altered.push(if real.ends_with('A') { 'Q' } else { 'A' });

    for bad in [
        "junk".to_owned(),
        format!("dfk_{}", "A".repeat(43)),
        altered,
        format!("{real}x"),
        real.replacen("dfk_", "dfx_", 1),
    ] {
        let res = Client::new()
            .get(app.url("/api/v1/auth/me"))
            .bearer_auth(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(problem(res, 401).await["code"], "invalid_api_key", "{bad}");
    }
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn invalid_requests_are_refused_and_create_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let owner = &owner;
    let create = |body: Value| async move { owner.post_json(KEYS, &body).await };
    let yesterday = chrono::Utc::now() - chrono::Duration::days(1);

    let malformed = owner
        .client
        .post(owner.url(KEYS))
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    let unknown_scope = create(json!({"name": "k", "scopes": ["leads:read", "root"]})).await;
    let no_scopes = create(json!({"name": "k", "scopes": []})).await;
    let blank_name = create(json!({"name": "  ", "scopes": ["leads:read"]})).await;
    let long_name = create(json!({"name": "x".repeat(101), "scopes": ["leads:read"]})).await;
    let past =
        create(json!({"name": "k", "scopes": ["leads:read"], "expires_at": yesterday})).await;
    let not_a_time =
        create(json!({"name": "k", "scopes": ["leads:read"], "expires_at": "tomorrow"})).await;
    let extra_field = create(json!({"name": "k", "scopes": ["leads:read"], "role": "owner"})).await;

    assert_eq!(problem(malformed, 400).await["code"], "malformed_json");
    let unknown_scope = problem(unknown_scope, 422).await;
    assert!(unknown_scope["errors"]["scopes"][0]
        .as_str()
        .unwrap()
        .contains("root"));
    for (res, field) in [
        (no_scopes, "scopes"),
        (blank_name, "name"),
        (long_name, "name"),
        (past, "expires_at"),
    ] {
        let body = problem(res, 422).await;
        assert!(body["errors"][field].is_array(), "{field}: {body}");
    }
    problem(not_a_time, 422).await;
    problem(extra_field, 422).await;
    assert_eq!(key_count(&app).await, 0);
    app.stop().await;
}

/// The CSRF check guards cookies, which a browser attaches by itself; a bearer key is never
/// sent implicitly, so key-authenticated writes need no `Origin`.
#[sqlx::test(migrations = "../../migrations")]
async fn bearer_writes_are_exempt_from_the_origin_check(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let key = create_key(&owner, &["api_keys:write", "leads:read"]).await;
    let body = json!({"name": "from a script", "scopes": ["leads:read"]});

    let foreign = Client::new()
        .post(app.url(KEYS))
        .bearer_auth(secret_of(&key))
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    let no_origin = Client::new()
        .post(app.url(KEYS))
        .bearer_auth(secret_of(&key))
        .json(&body)
        .send()
        .await
        .unwrap();
    let cookie_cross_site = owner
        .client
        .post(owner.url(KEYS))
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();

    assert_eq!(foreign.status(), 201);
    assert_eq!(no_origin.status(), 201);
    assert_eq!(
        problem(cookie_cross_site, 403).await["code"],
        "csrf_rejected"
    );
    assert_eq!(key_count(&app).await, 3);
    app.stop().await;
}

/// Creates a key as `session`; the 201 body (with `secret`).
async fn create_key(session: &Session, scopes: &[&str]) -> Value {
    let res = session
        .post_json(KEYS, &json!({"name": "test key", "scopes": scopes}))
        .await;
    assert_eq!(
        res.status(),
        201,
        "{}",
        res.text().await.unwrap_or_default()
    );
    res.json()
        .await
        .unwrap_or_else(|e| panic!("created key: {e}"))
}

fn secret_of(key: &Value) -> String {
    key["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("no secret in {key}"))
        .to_owned()
}

fn id_of(key: &Value) -> Uuid {
    key["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id in {key}"))
}

/// `GET url` with the key, from a client with no cookies and no `Origin`.
async fn with_key(key: &Value, url: String) -> Response {
    Client::new()
        .get(url)
        .bearer_auth(secret_of(key))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET with key: {e}"))
}

async fn key_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM api_keys")
        .fetch_one(&app.owner_db)
        .await
        .unwrap_or_else(|e| panic!("count keys: {e}"))
}

async fn db_last_used(app: &TestApp, key: &Value) -> Option<chrono::DateTime<chrono::Utc>> {
    sqlx::query_scalar("SELECT last_used_at FROM api_keys WHERE id = $1")
        .bind(id_of(key))
        .fetch_one(&app.owner_db)
        .await
        .unwrap_or_else(|e| panic!("read last_used_at: {e}"))
}

/// Adds a member with `role` to the owner's tenant behind the API, and signs it in.
async fn add_member(app: &TestApp, owner: &Session, role: &str) -> Session {
    let (id, email, password) = (
        Uuid::new_v4(),
        format!("{role}@{}.test", owner.tenant_slug),
        format!("{role} member's long passphrase"),
    );
    let hash = auth::password::PasswordHasher::new(1)
        .hash(&SecretString::from(password.clone()))
        .await
        .unwrap_or_else(|e| panic!("hash: {e}"));
    sqlx::query("INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(&email)
        .bind(format!("A {role}"))
        .bind(hash)
        .execute(&app.owner_db)
        .await
        .unwrap_or_else(|e| panic!("insert user: {e}"));
    sqlx::query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)")
        .bind(owner.tenant_id)
        .bind(id)
        .bind(role)
        .execute(&app.owner_db)
        .await
        .unwrap_or_else(|e| panic!("insert membership: {e}"));
    app.sign_in(&email, &password).await
}
