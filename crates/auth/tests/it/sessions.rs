//! Cookie sessions over HTTP: sign-up, sign-in, refresh rotation with reuse detection,
//! logout, and the tokens that must be refused.

use serde_json::{json, Value};
use testkit::{client_for, problem, TestApp};

fn cookie<'a>(res: &'a testkit::reqwest::Response, name: &str) -> Option<&'a str> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
}

#[sqlx::test(migrations = "../../migrations")]
async fn sign_up_then_me_shows_user_tenant_role_and_permissions(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;

    let owner = app.sign_up("acme").await;
    let me: Value = owner.get("/api/v1/auth/me").await.json().await.unwrap();

    assert_eq!(me["user"]["email"], "owner@acme.test");
    assert_eq!(me["tenant"]["slug"], "acme");
    assert_eq!(me["role"], "owner");
    let perms: Vec<&str> = me["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(perms.contains(&"leads:write") & perms.contains(&"members:write"));
    assert_eq!(me["tenants"].as_array().unwrap().len(), 1);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn login_sets_hardened_cookies(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;

    let res = sign_in(&app, &owner).await;

    assert_eq!(res.status(), 200);
    for name in ["__Host-df_access", "__Host-df_refresh"] {
        let c = cookie(&res, name).unwrap_or_else(|| panic!("{name} not set"));
        for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
            assert!(c.contains(attr), "{name} lacks {attr}: {c}");
        }
        assert!(!c.contains("Domain="), "{c}");
    }
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn registration_validates_input_and_refuses_duplicates(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    app.sign_up("acme").await;
    let client = app.browser();
    let register = |body: Value| {
        client
            .post(app.url("/api/v1/auth/register"))
            .json(&body)
            .send()
    };

    let weak = register(json!({"tenant_name": "X", "tenant_slug": "x", "name": "X", "email": "x@x.test", "password": "password1234"})).await.unwrap();
    let bad = register(json!({"tenant_name": "", "tenant_slug": "Not A Slug", "name": "X", "email": "nope", "password": "long enough passphrase"})).await.unwrap();
    let slug = register(json!({"tenant_name": "X", "tenant_slug": "acme", "name": "X", "email": "new@x.test", "password": "long enough passphrase"})).await.unwrap();
    let email = register(json!({"tenant_name": "X", "tenant_slug": "other", "name": "X", "email": "OWNER@acme.test", "password": "long enough passphrase"})).await.unwrap();

    let weak = problem(weak, 422).await;
    assert!(weak["errors"]["password"][0]
        .as_str()
        .unwrap()
        .contains("common"));
    let bad = problem(bad, 422).await;
    for field in ["tenant_name", "tenant_slug", "email"] {
        assert!(bad["errors"][field].is_array(), "{field} in {bad}");
    }
    assert_eq!(problem(slug, 409).await["code"], "slug_taken");
    assert_eq!(problem(email, 409).await["code"], "email_taken");
    let tenants: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants")
        .fetch_one(&app.owner_db)
        .await
        .unwrap();
    assert_eq!(tenants, 1, "failed registrations change nothing");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn wrong_password_and_unknown_email_are_indistinguishable(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let client = app.browser();
    let login = |email: &str, password: &str| {
        client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
    };

    let started = std::time::Instant::now();
    let wrong_pw = login(&owner.email, "not the password at all")
        .await
        .unwrap();
    let wrong_pw_time = started.elapsed();
    let started = std::time::Instant::now();
    let no_user = login("nobody@acme.test", "not the password at all")
        .await
        .unwrap();
    let no_user_time = started.elapsed();

    let mut a = problem(wrong_pw, 401).await;
    let mut b = problem(no_user, 401).await;
    a.as_object_mut().unwrap().remove("request_id");
    b.as_object_mut().unwrap().remove("request_id");
    assert_eq!(a, b);
    assert_eq!(a["code"], "invalid_credentials");
    // Both paths run one argon2id verification; neither is an order of magnitude faster.
    let (fast, slow) = if wrong_pw_time < no_user_time {
        (wrong_pw_time, no_user_time)
    } else {
        (no_user_time, wrong_pw_time)
    };
    assert!(
        slow < fast * 5,
        "timings differ too much: {wrong_pw_time:?} vs {no_user_time:?}"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn refresh_rotates_and_reuse_revokes_the_family(pool: sqlx::PgPool) {
    let app = TestApp::spawn_with(pool, |c| c.refresh_grace_seconds = 0).await;
    let owner = app.sign_up("acme").await;
    let login = sign_in(&app, &owner).await;
    let first = pair(&login, "__Host-df_refresh");
    let raw = ByHand::new(&app);

    let rotated = raw.refresh(&first).await;
    assert_eq!(rotated.status(), 200);
    let second = pair(&rotated, "__Host-df_refresh");
    assert_ne!(first, second);

    let reused = raw.refresh(&first).await;
    assert_eq!(problem(reused, 401).await["code"], "refresh_reused");
    let after = raw.refresh(&second).await;
    problem(after, 401).await;
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn concurrent_refreshes_within_grace_get_the_same_new_token(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let login = sign_in(&app, &owner).await;
    let first = pair(&login, "__Host-df_refresh");
    let raw = ByHand::new(&app);

    let (a, b) = tokio::join!(raw.refresh(&first), raw.refresh(&first));

    assert_eq!((a.status().as_u16(), b.status().as_u16()), (200, 200));
    let ta = pair(&a, "__Host-df_refresh");
    let tb = pair(&b, "__Host-df_refresh");
    assert_eq!(ta, tb);
    assert_eq!(
        raw.refresh(&ta).await.status(),
        200,
        "the shared successor still works"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn logout_makes_the_old_access_token_fail_at_once(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let login = sign_in(&app, &owner).await;
    let access = pair(&login, "__Host-df_access");
    let refresh = pair(&login, "__Host-df_refresh");
    let raw = ByHand::new(&app);
    let both = format!("{access}; {refresh}");
    assert_eq!(raw.get("/api/v1/auth/me", &access).await.status(), 200);

    let out = raw.post("/api/v1/auth/logout", &both).await;

    assert_eq!(out.status(), 204);
    assert!(cookie(&out, "__Host-df_access")
        .unwrap()
        .contains("Max-Age=0"));
    let me = raw.get("/api/v1/auth/me", &access).await;
    problem(me, 401).await;
    let refreshed = raw.refresh(&refresh).await;
    problem(refreshed, 401).await;
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn bad_tokens_are_refused(pool: sqlx::PgPool) {
    use base64::Engine;
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let me: Value = owner.get("/api/v1/auth/me").await.json().await.unwrap();
    let (user, tenant) = (
        me["user"]["id"].as_str().unwrap(),
        me["tenant"]["id"].as_str().unwrap(),
    );
    // The owner's live session: a correctly signed token must also name one.
    let sid: uuid::Uuid = sqlx::query_scalar("SELECT id FROM sessions WHERE revoked_at IS NULL")
        .fetch_one(&app.owner_db)
        .await
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    let claims_of = |sid: uuid::Uuid, exp: i64, aud: &str| {
        json!({"sub": user, "tid": tenant, "role": "owner", "sid": sid, "jti": uuid::Uuid::new_v4(),
               "iat": now, "iat_ms": now * 1000, "exp": exp, "iss": "datafortress", "aud": aud})
    };
    let claims = |exp: i64, aud: &str| claims_of(sid, exp, aud);
    let sign = |claims: &Value, key: &str, kid: &str| {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        header.kid = Some(kid.into());
        jsonwebtoken::encode(
            &header,
            claims,
            &jsonwebtoken::EncodingKey::from_secret(key.as_bytes()),
        )
        .unwrap()
    };
    let dev = auth::settings::DEV_SECRET;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let valid = sign(&claims(now + 600, "datafortress-api"), dev, "dev");
    let mut tampered = valid.clone();
    tampered.replace_range(valid.len() - 3.., "AAA");
    let alg_none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT", "kid": "dev"})),
        b64(&claims(now + 600, "datafortress-api"))
    );

    let cases = [
        ("valid", valid.clone(), 200),
        ("tampered", tampered, 401),
        (
            "a session that does not exist",
            sign(
                &claims_of(uuid::Uuid::new_v4(), now + 600, "datafortress-api"),
                dev,
                "dev",
            ),
            401,
        ),
        (
            "expired",
            sign(&claims(now - 120, "datafortress-api"), dev, "dev"),
            401,
        ),
        ("alg none", alg_none, 401),
        (
            "wrong key",
            sign(
                &claims(now + 600, "datafortress-api"),
                "another-secret-of-thirty-two-bytes!!",
                "dev",
            ),
            401,
        ),
        (
            "unknown kid",
            sign(&claims(now + 600, "datafortress-api"), dev, "other"),
            401,
        ),
        (
            "wrong audience",
            sign(&claims(now + 600, "someone-else"), dev, "dev"),
            401,
        ),
    ];
    let raw = ByHand::new(&app);
    for (name, token, status) in cases {
        let res = raw
            .get("/api/v1/auth/me", &format!("__Host-df_access={token}"))
            .await;
        assert_eq!(res.status().as_u16(), status, "{name}");
    }
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn cookie_writes_need_our_origin(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let evil = client_for("https://evil.example");
    let login = |c: &testkit::reqwest::Client| {
        c.post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": owner.email, "password": owner.password}))
            .send()
    };

    let cross_site = login(&evil).await.unwrap();
    let same_site = owner
        .client
        .post(app.url("/api/v1/auth/switch-tenant"))
        .header("origin", "https://evil.example")
        .json(&json!({"tenant_id": owner.tenant_id}))
        .send()
        .await
        .unwrap();

    assert_eq!(problem(cross_site, 403).await["code"], "csrf_rejected");
    assert_eq!(problem(same_site, 403).await["code"], "csrf_rejected");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn throttling_engages_with_retry_after_and_releases(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let client = app.browser();
    let login = |password: &str| {
        client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": owner.email, "password": password}))
            .send()
    };

    for _ in 0..5 {
        assert_eq!(login("wrong password, again").await.unwrap().status(), 401);
    }
    let throttled = login(&owner.password).await.unwrap();
    let retry_after: u64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(problem(throttled, 429).await["code"], "login_throttled");
    assert!(
        (1..=2).contains(&retry_after),
        "first wait is about a second: {retry_after}"
    );

    // The wait is a Redis key with a TTL; let it lapse the way time would.
    let mut conn = app.cache.conn().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(app.cache.key("auth:login:*:block"))
        .query_async(&mut conn)
        .await
        .unwrap();
    for key in keys {
        redis::cmd("DEL")
            .arg(key)
            .query_async::<()>(&mut conn)
            .await
            .unwrap();
    }
    assert_eq!(
        login(&owner.password).await.unwrap().status(),
        200,
        "released"
    );
    app.stop().await;
}

/// The `name=value` part of a Set-Cookie header, to send back by hand.
fn pair(res: &testkit::reqwest::Response, name: &str) -> String {
    let set = cookie(res, name).unwrap_or_else(|| panic!("{name} not set"));
    set.split(';').next().unwrap().to_owned()
}

/// Signs the owner in with a fresh browser and returns the raw response (with its cookies).
async fn sign_in(app: &TestApp, owner: &testkit::Session) -> testkit::reqwest::Response {
    app.browser()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": owner.email, "password": owner.password}))
        .send()
        .await
        .unwrap()
}

/// Requests from our origin with cookies set by hand (no cookie jar).
struct ByHand<'a> {
    app: &'a TestApp,
    client: testkit::reqwest::Client,
}

impl<'a> ByHand<'a> {
    fn new(app: &'a TestApp) -> Self {
        let mut headers = testkit::reqwest::header::HeaderMap::new();
        headers.insert("origin", app.address.parse().unwrap());
        let client = testkit::reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .unwrap();
        Self { app, client }
    }

    async fn get(&self, path: &str, cookie: &str) -> testkit::reqwest::Response {
        let req = self.client.get(self.app.url(path));
        req.header("cookie", cookie).send().await.unwrap()
    }

    async fn post(&self, path: &str, cookie: &str) -> testkit::reqwest::Response {
        let req = self.client.post(self.app.url(path));
        req.header("cookie", cookie).send().await.unwrap()
    }

    /// `POST /api/v1/auth/refresh` with `cookie`.
    async fn refresh(&self, cookie: &str) -> testkit::reqwest::Response {
        self.post("/api/v1/auth/refresh", cookie).await
    }
}

#[sqlx::test(migrations = "../../migrations")]
async fn registering_taken_emails_is_throttled_like_sign_in(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let client = app.browser();
    let mut statuses = Vec::new();
    for n in 0..30 {
        let res = client
            .post(app.url("/api/v1/auth/register"))
            .json(&json!({
                "tenant_name": "Probe", "tenant_slug": format!("probe-{n}"), "name": "P",
                "email": owner.email, "password": "a long enough probing passphrase",
            }))
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
        if res.status() == 429 {
            assert!(res.headers().contains_key("retry-after"));
            assert_eq!(problem(res, 429).await["code"], "login_throttled");
            break;
        }
    }
    assert_eq!(statuses[..5], [409; 5], "{statuses:?}");
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    let tenants: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants")
        .fetch_one(&app.owner_db)
        .await
        .unwrap();
    assert_eq!(tenants, 1, "no probe created a tenant");
    app.stop().await;
}
