//! Revocation survives a Redis loss: PostgreSQL decides what an access token or an API key
//! may do, Redis only caches it. After a restart of Redis that lost every key, and while Redis
//! is down, the cookies of a user who signed out, a demoted admin and a removed admin, and the
//! keys the two admins made, are refused beyond what their holders may do now.

use serde_json::json;
use testkit::reqwest::{Client, StatusCode};
use testkit::{Mode, Session, TestApp};

use crate::members::join;

/// A fresh sign-in of `who`: its access cookie (`name=value`), apart from `who`'s own jar.
async fn access_cookie(app: &TestApp, who: &Session) -> String {
    let res = app
        .browser()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": who.email, "password": who.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-df_access="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned()
}

/// Deletes every key of this app (its per-test prefix) straight on the Redis server.
async fn flush(app: &TestApp) {
    let client = redis::Client::open(testkit::redis_url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{}*", app.config.redis_prefix))
        .query_async(&mut conn)
        .await
        .unwrap();
    if !keys.is_empty() {
        redis::cmd("DEL")
            .arg(keys)
            .query_async::<()>(&mut conn)
            .await
            .unwrap();
    }
}

struct Credentials {
    signed_out: String,
    demoted: String,
    removed: String,
    demoted_key: String,
    removed_key: String,
    owner: String,
}

async fn check_refused(app: &TestApp, raw: &Client, c: &Credentials, when: &str) {
    let cookie = |path: &str, cookie: &str| {
        raw.get(app.url(path))
            .header("cookie", cookie.to_owned())
            .send()
    };
    let key = |method: testkit::reqwest::Method, path: &str, key: &str| {
        raw.request(method, app.url(path)).bearer_auth(key)
    };
    for (who, c) in [("signed out", &c.signed_out), ("removed", &c.removed)] {
        for path in ["/api/v1/auth/me", "/api/v1/leads"] {
            let res = cookie(path, c).await.unwrap();
            assert_eq!(
                res.status(),
                StatusCode::UNAUTHORIZED,
                "{when}: {who} {path}"
            );
        }
    }
    use testkit::reqwest::Method;
    let cases = [
        // The demoted admin's old token carries `admin`: refused, not trusted.
        (
            "demoted cookie",
            raw.post(app.url("/api/v1/members/invitations"))
                .header("cookie", c.demoted.clone())
                .json(&json!({"email": "again@acme.test", "role": "admin"})),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "removed admin's key",
            key(Method::GET, "/api/v1/leads", &c.removed_key),
            StatusCode::UNAUTHORIZED,
        ),
        // The demoted admin's key keeps what a member holds, loses what only admins hold.
        (
            "demoted admin's key",
            key(Method::POST, "/api/v1/webhook-endpoints", &c.demoted_key)
                .json(&json!({"url": "https://hooks.example.com/in"})),
            StatusCode::FORBIDDEN,
        ),
        (
            "the key's member scopes",
            key(Method::GET, "/api/v1/leads", &c.demoted_key),
            StatusCode::OK,
        ),
    ];
    for (who, req, expected) in cases {
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), expected, "{when}: {who}");
    }
    // Nobody else is locked out.
    let res = cookie("/api/v1/auth/me", &c.owner).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{when}: the owner");
    let count: i64 =
        sqlx::query_scalar("SELECT count(*) FROM invitations WHERE email = 'again@acme.test'")
            .fetch_one(&app.owner_db)
            .await
            .unwrap();
    assert_eq!(count, 0, "{when}: nothing was created");
}

#[sqlx::test(migrations = "../../migrations")]
async fn ended_demoted_and_removed_access_stays_refused_when_redis_loses_everything(
    pool: sqlx::PgPool,
) {
    let (app, faults) = TestApp::spawn_behind_proxies(pool, |_| {}).await;
    let owner = app.sign_up("acme").await;
    let leaver = join(&app, &owner, "leaver@acme.test", "member").await;
    let demoted = join(&app, &owner, "demoted@acme.test", "admin").await;
    let removed = join(&app, &owner, "removed@acme.test", "admin").await;
    // No cookie jar (cookies are set by hand); our Origin, as a browser would send it.
    let mut origin = testkit::reqwest::header::HeaderMap::new();
    origin.insert("origin", app.address.parse().unwrap());
    let raw = Client::builder().default_headers(origin).build().unwrap();
    let creds = Credentials {
        signed_out: access_cookie(&app, &leaver).await,
        demoted: access_cookie(&app, &demoted).await,
        removed: access_cookie(&app, &removed).await,
        demoted_key: demoted.new_api_key(&["webhooks:write", "leads:read"]).await,
        removed_key: removed.new_api_key(&["leads:read"]).await,
        owner: access_cookie(&app, &owner).await,
    };
    // Every credential works, so Redis caches them as valid.
    for c in [&creds.signed_out, &creds.demoted, &creds.removed] {
        let res = raw
            .get(app.url("/api/v1/auth/me"))
            .header("cookie", c.clone());
        assert_eq!(res.send().await.unwrap().status(), 200);
    }
    let out = raw
        .post(app.url("/api/v1/auth/logout"))
        .header("cookie", creds.signed_out.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    let res = owner
        .patch_json(
            &format!("/api/v1/members/{}", demoted.user_id),
            &json!({"role": "member"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = owner
        .delete(&format!("/api/v1/members/{}", removed.user_id))
        .await;
    assert_eq!(res.status(), 204);
    check_refused(&app, &raw, &creds, "Redis up").await;

    // Redis restarts having lost every key.
    faults.redis.set(Mode::Down);
    flush(&app).await;
    faults.redis.set(Mode::Forward);
    check_refused(&app, &raw, &creds, "after a Redis flush and restart").await;
    check_refused(&app, &raw, &creds, "with the answers cached again").await;

    // Redis down: PostgreSQL answers alone.
    faults.redis.set(Mode::Down);
    check_refused(&app, &raw, &creds, "Redis down").await;
    app.stop().await;
}
