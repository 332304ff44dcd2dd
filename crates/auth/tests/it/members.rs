//! Members and invitations over HTTP: invite by email and accept (new or existing account),
//! list, change roles, remove, and the rules that guard them (scopes, owners, tenants).

use serde_json::{json, Value};
use testkit::reqwest::Response;
use testkit::{problem, Session, TestApp};
use uuid::Uuid;

const PASSWORD: &str = "an invited member's passphrase";

/// `POST /api/v1/members/invitations` as `by`.
async fn post_invitation(by: &Session, email: &str, role: &str) -> Response {
    by.post_json(
        "/api/v1/members/invitations",
        &json!({"email": email, "role": role}),
    )
    .await
}

/// `PATCH /api/v1/members/{user}` as `by`, giving the member `role`.
async fn set_role(by: &Session, user: Uuid, role: &str) -> Response {
    by.patch_json(&format!("/api/v1/members/{user}"), &json!({"role": role}))
        .await
}

/// The pending invitations `session` sees.
async fn invitations_of(session: &Session) -> Vec<Value> {
    let res = session.get("/api/v1/members/invitations").await;
    res.json()
        .await
        .unwrap_or_else(|e| panic!("invitations: {e}"))
}

/// Invites `email` as `role` on behalf of `by`; returns the token from the emailed link.
async fn invite(app: &TestApp, by: &Session, email: &str, role: &str) -> String {
    let res = post_invitation(by, email, role).await;
    assert_eq!(
        res.status(),
        201,
        "invite: {}",
        res.text().await.unwrap_or_default()
    );
    let link = app
        .mailbox
        .wait_for(email)
        .await
        .link("/accept-invite?token=");
    assert!(
        link.starts_with(&format!("{}/accept-invite?token=", app.address)),
        "{link}"
    );
    token_of(&link)
}

/// The `token` parameter of a link.
fn token_of(link: &str) -> String {
    link.split_once("token=")
        .map(|(_, token)| token.to_owned())
        .unwrap_or_else(|| panic!("no token in {link}"))
}

/// Accepts with a fresh browser; returns the answer and that browser.
async fn accept(app: &TestApp, body: Value) -> (Response, testkit::reqwest::Client) {
    let browser = app.browser();
    let res = browser
        .post(app.url("/api/v1/auth/invitations/accept"))
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("accept: {e}"));
    (res, browser)
}

/// A new user invited by `by` as `role`, signed in.
pub(crate) async fn join(app: &TestApp, by: &Session, email: &str, role: &str) -> Session {
    let token = invite(app, by, email, role).await;
    let (res, client) = accept(
        app,
        json!({"token": token, "name": "Invited Person", "password": PASSWORD}),
    )
    .await;
    assert_eq!(
        res.status(),
        200,
        "accept: {}",
        res.text().await.unwrap_or_default()
    );
    let me: Value = res.json().await.unwrap_or_else(|e| panic!("accept: {e}"));
    let uuid = |v: &Value| {
        v.as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("not a uuid: {v}"))
    };
    Session {
        client,
        base: app.address.clone(),
        email: email.to_owned(),
        password: PASSWORD.to_owned(),
        user_id: uuid(&me["user"]["id"]),
        tenant_id: uuid(&me["tenant"]["id"]),
        tenant_slug: me["tenant"]["slug"].as_str().unwrap_or_default().to_owned(),
    }
}

/// `GET /api/v1/members` as `session`, checking `X-Total-Count` against the page.
async fn members_of(session: &Session) -> Vec<Value> {
    let res = session.get("/api/v1/members").await;
    assert_eq!(res.status(), 200);
    let total: Option<usize> = res
        .headers()
        .get("x-total-count")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let members: Vec<Value> = res.json().await.unwrap_or_else(|e| panic!("members: {e}"));
    assert_eq!(Some(members.len()), total);
    members
}

fn role_of(members: &[Value], email: &str) -> Option<String> {
    members
        .iter()
        .find(|m| m["email"] == email)
        .and_then(|m| m["role"].as_str())
        .map(str::to_owned)
}

#[sqlx::test(migrations = "../../migrations")]
async fn invite_then_accept_as_a_new_user_signs_in_with_the_invited_role(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;

    let created = post_invitation(&owner, "Grace@New.test", "member").await;
    assert_eq!(created.status(), 201);
    let invitation: Value = created.json().await.unwrap();
    assert_eq!(invitation["email"], "grace@new.test");
    assert_eq!(invitation["role"], "member");
    assert!(invitation["id"].is_string() && invitation["expires_at"].is_string());
    assert!(invitation.get("token").is_none() && invitation.get("secret_hash").is_none());
    let pending: Vec<Value> = invitations_of(&owner).await;
    assert_eq!(pending.len(), 1);
    let mail = app.mailbox.wait_for("grace@new.test").await;
    assert!(mail.subject.contains("Tenant acme"), "{}", mail.subject);
    let token = token_of(&mail.link("/accept-invite?token="));

    let (res, grace) = accept(
        &app,
        json!({"token": token, "name": "Grace Hopper", "password": PASSWORD}),
    )
    .await;

    assert_eq!(res.status(), 200);
    let me: Value = grace
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["email"], "grace@new.test");
    assert_eq!(me["tenant"]["slug"], "acme");
    assert_eq!(me["role"], "member");
    let members = members_of(&owner).await;
    assert_eq!(members.len(), 2);
    assert_eq!(members[0]["email"], owner.email, "earliest joined first");
    assert_eq!(
        role_of(&members, "grace@new.test").as_deref(),
        Some("member")
    );
    assert_eq!(members[1]["name"], "Grace Hopper");
    let pending: Vec<Value> = invitations_of(&owner).await;
    assert!(pending.is_empty());
    let (again, _) = accept(
        &app,
        json!({"token": token, "name": "Grace Again", "password": PASSWORD}),
    )
    .await;
    assert_eq!(problem(again, 400).await["code"], "invalid_token");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_existing_user_of_another_tenant_joins_with_its_password(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let acme = app.sign_up("acme").await;
    let beta = app.sign_up("beta").await;
    let token = invite(&app, &acme, &beta.email, "admin").await;

    let (wrong, _) = accept(
        &app,
        json!({"token": token, "password": "not beta's password at all"}),
    )
    .await;
    let (res, browser) = accept(&app, json!({"token": token, "password": beta.password})).await;

    assert_eq!(problem(wrong, 401).await["code"], "invalid_credentials");
    assert_eq!(res.status(), 200);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["tenant"]["slug"], "acme");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["user"]["id"], beta.user_id.to_string());
    let mut slugs: Vec<&str> = me["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tenant_slug"].as_str().unwrap())
        .collect();
    slugs.sort_unstable();
    assert_eq!(slugs, ["acme", "beta"]);
    let switched = browser
        .post(app.url("/api/v1/auth/switch-tenant"))
        .json(&json!({"tenant_id": beta.tenant_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), 200);
    let me: Value = switched.json().await.unwrap();
    assert_eq!(
        (me["tenant"]["slug"].as_str(), me["role"].as_str()),
        (Some("beta"), Some("owner"))
    );
    let reinvite = post_invitation(&acme, &beta.email, "viewer").await;
    assert_eq!(problem(reinvite, 409).await["code"], "already_member");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_viewer_can_read_members_but_not_change_them(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let viewer = join(&app, &owner, "viewer@acme.test", "viewer").await;

    let list = viewer.get("/api/v1/members").await;
    let patch = set_role(&viewer, owner.user_id, "viewer").await;
    let remove = viewer
        .delete(&format!("/api/v1/members/{}", owner.user_id))
        .await;
    let invite = post_invitation(&viewer, "x@acme.test", "admin").await;

    assert_eq!(list.status(), 200);
    for res in [patch, remove, invite] {
        assert_eq!(problem(res, 403).await["code"], "forbidden");
    }
    assert_eq!(
        role_of(&members_of(&owner).await, &owner.email).as_deref(),
        Some("owner")
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_last_owner_can_be_neither_demoted_nor_removed(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let admin = join(&app, &owner, "admin@acme.test", "admin").await;
    let me = format!("/api/v1/members/{}", owner.user_id);

    let demote = owner.patch_json(&me, &json!({"role": "admin"})).await;
    let remove = owner.delete(&me).await;
    let admin_demotes_owner = admin.patch_json(&me, &json!({"role": "member"})).await;
    let admin_grants_owner = set_role(&admin, admin.user_id, "owner").await;

    assert_eq!(problem(demote, 409).await["code"], "last_owner");
    assert_eq!(problem(remove, 409).await["code"], "last_owner");
    problem(admin_demotes_owner, 403).await;
    problem(admin_grants_owner, 403).await;

    let promoted = set_role(&owner, admin.user_id, "owner").await;
    assert_eq!(promoted.status(), 200);
    let promoted: Value = promoted.json().await.unwrap();
    assert_eq!(promoted["role"], "owner");
    let demoted = owner.patch_json(&me, &json!({"role": "admin"})).await;
    assert_eq!(
        demoted.status(),
        200,
        "with a second owner, the first may step down"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_removed_member_is_signed_out_at_once(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let member = join(&app, &owner, "member@acme.test", "member").await;
    assert_eq!(member.get("/api/v1/auth/me").await.status(), 200);

    let removed = owner
        .delete(&format!("/api/v1/members/{}", member.user_id))
        .await;

    assert_eq!(removed.status(), 204);
    problem(member.get("/api/v1/auth/me").await, 401).await;
    problem(
        member.post_json("/api/v1/auth/refresh", &json!({})).await,
        401,
    )
    .await;
    assert_eq!(role_of(&members_of(&owner).await, "member@acme.test"), None);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_role_change_applies_from_the_next_refresh(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let member = join(&app, &owner, "member@acme.test", "member").await;

    let changed = set_role(&owner, member.user_id, "viewer").await;

    assert_eq!(changed.status(), 200);
    problem(member.get("/api/v1/auth/me").await, 401).await;
    let refreshed = member.post_json("/api/v1/auth/refresh", &json!({})).await;
    assert_eq!(refreshed.status(), 200);
    let me: Value = member.get("/api/v1/auth/me").await.json().await.unwrap();
    assert_eq!(me["role"], "viewer");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn another_tenants_member_ids_are_not_found_and_left_alone(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let acme = app.sign_up("acme").await;
    let beta = app.sign_up("beta").await;
    let beta_member = join(&app, &beta, "member@beta.test", "member").await;
    invite(&app, &beta, "pending@beta.test", "viewer").await;
    let beta_invites: Vec<Value> = invitations_of(&beta).await;
    let before = members_of(&beta).await;

    let patch = set_role(&acme, beta_member.user_id, "viewer").await;
    let remove = acme
        .delete(&format!("/api/v1/members/{}", beta.user_id))
        .await;
    let withdraw = acme
        .delete(&format!(
            "/api/v1/members/invitations/{}",
            beta_invites[0]["id"].as_str().unwrap()
        ))
        .await;

    for res in [patch, remove, withdraw] {
        assert_eq!(problem(res, 404).await["code"], "not_found");
    }
    assert_eq!(members_of(&beta).await, before);
    assert_eq!(beta_member.get("/api/v1/auth/me").await.status(), 200);
    let still_pending: Vec<Value> = invitations_of(&beta).await;
    assert_eq!(still_pending, beta_invites);
    let acme_members = members_of(&acme).await;
    assert_eq!(acme_members.len(), 1, "only acme's owner: {acme_members:?}");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn bad_input_gets_a_422_naming_the_fields(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;

    let bad_email = post_invitation(&owner, "not an email", "member").await;
    let owner_role = post_invitation(&owner, "x@acme.test", "owner").await;
    let bad_role = set_role(&owner, owner.user_id, "emperor").await;
    let token = invite(&app, &owner, "new@acme.test", "member").await;
    let (no_name, _) = accept(&app, json!({"token": token, "password": PASSWORD})).await;
    let (weak, _) = accept(
        &app,
        json!({"token": token, "name": "New", "password": "password1234"}),
    )
    .await;

    assert!(problem(bad_email, 422).await["errors"]["email"].is_array());
    problem(owner_role, 422).await;
    problem(bad_role, 422).await;
    assert!(problem(no_name, 422).await["errors"]["name"].is_array());
    assert!(problem(weak, 422).await["errors"]["password"].is_array());
    let (ok, _) = accept(
        &app,
        json!({"token": token, "name": "New", "password": PASSWORD}),
    )
    .await;
    assert_eq!(
        ok.status(),
        200,
        "refused attempts left the invitation usable"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_api_key_may_list_members_but_never_change_them(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let member = join(&app, &owner, "member@acme.test", "member").await;
    let created: Value = owner
        .post_json(
            "/api/v1/api-keys",
            &json!({"name": "sync", "scopes": ["members:read", "members:write"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let key = created["secret"].as_str().unwrap();
    let bearer = testkit::reqwest::Client::new();
    let member_path = app.url(&format!("/api/v1/members/{}", member.user_id));

    let list = bearer
        .get(app.url("/api/v1/members"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    let patch = bearer
        .patch(&member_path)
        .bearer_auth(key)
        .json(&json!({"role": "admin"}))
        .send()
        .await
        .unwrap();
    let remove = bearer
        .delete(&member_path)
        .bearer_auth(key)
        .send()
        .await
        .unwrap();

    assert_eq!(list.status(), 200);
    problem(patch, 403).await;
    problem(remove, 403).await;
    assert_eq!(
        role_of(&members_of(&owner).await, "member@acme.test").as_deref(),
        Some("member")
    );
    app.stop().await;
}
