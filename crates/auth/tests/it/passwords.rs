//! Password flows over HTTP: change (other sessions end), forgot and reset by an emailed
//! single-use link, and what must be refused.

use serde_json::{json, Value};
use testkit::{problem, TestApp};

const NEW_PASSWORD: &str = "a brand new and longer passphrase";

/// The `token` parameter of a link.
fn token_of(link: &str) -> String {
    link.split_once("token=")
        .map(|(_, token)| token.to_owned())
        .unwrap_or_else(|| panic!("no token in {link}"))
}

async fn login_status(app: &TestApp, email: &str, password: &str) -> u16 {
    app.browser()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("login: {e}"))
        .status()
        .as_u16()
}

#[sqlx::test(migrations = "../../migrations")]
async fn change_password_ends_the_other_sessions_and_keeps_this_one(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let elsewhere = app.sign_in(&owner.email, &owner.password).await;

    let res = owner
        .post_json(
            "/api/v1/auth/password/change",
            &json!({"current_password": owner.password, "new_password": NEW_PASSWORD}),
        )
        .await;

    assert_eq!(res.status(), 204);
    assert_eq!(owner.get("/api/v1/auth/me").await.status(), 200);
    problem(elsewhere.get("/api/v1/auth/me").await, 401).await;
    assert_eq!(login_status(&app, &owner.email, &owner.password).await, 401);
    assert_eq!(login_status(&app, &owner.email, NEW_PASSWORD).await, 200);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn change_password_names_the_field_that_is_wrong(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let change = async |current: &str, new: &str| {
        owner
            .post_json(
                "/api/v1/auth/password/change",
                &json!({"current_password": current, "new_password": new}),
            )
            .await
    };

    let wrong_current = change("not my password at all", NEW_PASSWORD).await;
    let weak_new = change(&owner.password, "password1234").await;
    let short_new = change(&owner.password, "short").await;
    let missing = owner
        .post_json(
            "/api/v1/auth/password/change",
            &json!({"new_password": NEW_PASSWORD}),
        )
        .await;

    let wrong_current = problem(wrong_current, 422).await;
    assert_eq!(wrong_current["code"], "validation_failed");
    assert!(
        wrong_current["errors"]["current_password"].is_array(),
        "{wrong_current}"
    );
    for res in [weak_new, short_new] {
        let body = problem(res, 422).await;
        assert!(body["errors"]["new_password"].is_array(), "{body}");
    }
    problem(missing, 422).await;
    assert_eq!(
        login_status(&app, &owner.email, &owner.password).await,
        200,
        "the password did not change"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn forgot_then_reset_works_once_and_ends_every_session(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;

    let forgot = app
        .post_json(
            "/api/v1/auth/password/forgot",
            &json!({"email": "Owner@Acme.test"}),
        )
        .await;
    assert_eq!(forgot.status(), 202);
    let mail = app.mailbox.wait_for(&owner.email).await;
    let link = mail.link("/reset-password?token=");
    assert!(
        link.starts_with(&format!("{}/reset-password?token=", app.address)),
        "{link}"
    );
    assert!(mail.subject.contains("Reset"), "{}", mail.subject);
    let token = token_of(&link);
    let reset = async |password: &str| {
        app.post_json(
            "/api/v1/auth/password/reset",
            &json!({"token": token, "new_password": password}),
        )
        .await
    };

    let first = reset(NEW_PASSWORD).await;
    let again = reset("yet another long passphrase").await;

    assert_eq!(first.status(), 204);
    assert_eq!(problem(again, 400).await["code"], "invalid_token");
    problem(owner.get("/api/v1/auth/me").await, 401).await;
    assert_eq!(login_status(&app, &owner.email, &owner.password).await, 401);
    assert_eq!(login_status(&app, &owner.email, NEW_PASSWORD).await, 200);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn forgot_for_an_unknown_email_answers_alike_and_sends_nothing(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let forgot = async |email: &str| {
        app.post_json("/api/v1/auth/password/forgot", &json!({ "email": email }))
            .await
    };

    let unknown = forgot("nobody@acme.test").await;
    let known = forgot(&owner.email).await;

    assert_eq!(unknown.status(), known.status());
    assert_eq!(unknown.status(), 202);
    let (unknown, known): (Value, Value) =
        (unknown.json().await.unwrap(), known.json().await.unwrap());
    assert_eq!(unknown, known);
    // The known address's mail was asked for second and has arrived: the unknown one's
    // lookup, started first, has had its turn and sent nothing.
    app.mailbox.wait_for(&owner.email).await;
    assert_eq!(app.mailbox.sent_to("nobody@acme.test"), []);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn reset_refuses_bad_expired_tokens_and_weak_passwords(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    app.post_json(
        "/api/v1/auth/password/forgot",
        &json!({"email": owner.email}),
    )
    .await;
    let token = token_of(&app.mailbox.wait_for(&owner.email).await.link("token="));
    let reset = async |token: &str, password: &str| {
        app.post_json(
            "/api/v1/auth/password/reset",
            &json!({"token": token, "new_password": password}),
        )
        .await
    };

    let garbage = reset("not-a-token", NEW_PASSWORD).await;
    let mut tampered = token.clone();
    tampered.replace_range(80.., "AAAAAA");
    let tampered = reset(&tampered, NEW_PASSWORD).await;
    let weak = reset(&token, "qwertyuiop").await;

    assert_eq!(problem(garbage, 400).await["code"], "invalid_token");
    assert_eq!(problem(tampered, 400).await["code"], "invalid_token");
    assert!(problem(weak, 422).await["errors"]["new_password"].is_array());
    assert_eq!(
        owner.get("/api/v1/auth/me").await.status(),
        200,
        "nothing changed"
    );

    sqlx::query("UPDATE password_resets SET expires_at = now() - interval '1 second'")
        .execute(&app.owner_db)
        .await
        .unwrap();
    let expired = reset(&token, NEW_PASSWORD).await;
    assert_eq!(problem(expired, 400).await["code"], "invalid_token");
    assert_eq!(login_status(&app, &owner.email, &owner.password).await, 200);
    app.stop().await;
}
