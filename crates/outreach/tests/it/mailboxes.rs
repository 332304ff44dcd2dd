//! Mailboxes: added with a sealed password that never comes back, checked input, a connection
//! test against a real SMTP server, and one tenant never reaching another's.

use serde_json::json;
use sqlx::PgPool;
use testkit::{expect, problem};

use crate::common::{mailbox, sink, spawn};

#[sqlx::test(migrations = "../../migrations")]
async fn a_mailbox_keeps_its_password_sealed_and_never_shows_it(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;

    let id = mailbox(
        &owner,
        "ada@acme.test",
        &sink(&app),
        json!({"smtp_username": "ada", "smtp_password": "correct horse battery staple"}),
    )
    .await;

    let shown = expect(
        owner.get(&format!("/api/v1/outreach/mailboxes/{id}")).await,
        200,
    )
    .await;
    assert_eq!(shown["has_password"], true);
    assert!(shown.get("smtp_password").is_none(), "{shown}");
    let listed = expect(owner.get("/api/v1/outreach/mailboxes").await, 200).await;
    assert!(!listed.to_string().contains("horse"), "{listed}");
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT smtp_password FROM outreach_mailboxes WHERE id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.owner_db)
            .await
            .unwrap();
    assert!(
        !stored.windows(5).any(|w| w == b"horse"),
        "the password is stored sealed"
    );
    // Sealed under the tenant's own data key, made on first use.
    let keys: i64 = sqlx::query_scalar("SELECT count(*) FROM tenant_keys")
        .fetch_one(&app.owner_db)
        .await
        .unwrap();
    assert_eq!(keys, 1);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn bad_mailboxes_are_422_and_a_second_one_for_an_address_409(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    mailbox(&owner, "ada@acme.test", &sink(&app), json!({})).await;
    let base = json!({
        "name": "Second", "from_address": "ada@acme.test", "smtp_host": "127.0.0.1",
        "smtp_port": 2525, "smtp_security": "none"
    });

    let taken = owner.post_json("/api/v1/outreach/mailboxes", &base).await;
    let mut gaps = base.clone();
    gaps["from_address"] = json!("bob@acme.test");
    gaps["min_gap_seconds"] = json!(90);
    gaps["max_gap_seconds"] = json!(30);
    let gaps = owner.post_json("/api/v1/outreach/mailboxes", &gaps).await;
    let mut host = base.clone();
    host["from_address"] = json!("bob@acme.test");
    host["smtp_host"] = json!("smtp example.com");
    let host = owner.post_json("/api/v1/outreach/mailboxes", &host).await;
    let mut address = base.clone();
    address["from_address"] = json!("not an address");
    let address = owner
        .post_json("/api/v1/outreach/mailboxes", &address)
        .await;

    assert_eq!(problem(taken, 409).await["code"], "already_exists");
    assert!(problem(gaps, 422).await["errors"]["max_gap_seconds"].is_array());
    assert!(problem(host, 422).await["errors"]["smtp_host"].is_array());
    assert!(problem(address, 422).await["errors"]["from_address"].is_array());
    let listed = expect(owner.get("/api/v1/outreach/mailboxes").await, 200).await;
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "nothing else was stored"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_connection_test_talks_to_the_server_and_records_the_result(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let good = mailbox(&owner, "ada@acme.test", &sink(&app), json!({})).await;
    // A port nobody listens on: bound, then released.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    let bad = mailbox(&owner, "bob@acme.test", &closed_addr, json!({})).await;

    let ok = expect(
        owner
            .post_json(
                &format!("/api/v1/outreach/mailboxes/{good}/test"),
                &json!({}),
            )
            .await,
        200,
    )
    .await;
    let failed = expect(
        owner
            .post_json(
                &format!("/api/v1/outreach/mailboxes/{bad}/test"),
                &json!({}),
            )
            .await,
        200,
    )
    .await;

    assert_eq!(ok["ok"], true, "{ok}");
    assert_eq!(failed["ok"], false, "{failed}");
    let bad_now = expect(
        owner
            .get(&format!("/api/v1/outreach/mailboxes/{bad}"))
            .await,
        200,
    )
    .await;
    assert!(bad_now["last_test_error"].is_string(), "{bad_now}");
    let good_now = expect(
        owner
            .get(&format!("/api/v1/outreach/mailboxes/{good}"))
            .await,
        200,
    )
    .await;
    assert!(good_now["last_tested_at"].is_string() && good_now["last_test_error"].is_null());
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn another_tenants_mailboxes_are_not_found_and_left_alone(pool: PgPool) {
    let app = spawn(pool).await;
    let acme = app.sign_up("acme").await;
    let beta = app.sign_up("beta").await;
    let theirs = mailbox(&beta, "bea@beta.test", &sink(&app), json!({})).await;
    let path = format!("/api/v1/outreach/mailboxes/{theirs}");
    let body = json!({
        "name": "Mine now", "from_address": "x@acme.test", "smtp_host": "127.0.0.1",
        "smtp_port": 2525, "smtp_security": "none"
    });

    let get = acme.get(&path).await;
    let put = acme.put_json(&path, &body).await;
    let test = acme.post_json(&format!("{path}/test"), &json!({})).await;
    let delete = acme.delete(&path).await;
    let list = expect(acme.get("/api/v1/outreach/mailboxes").await, 200).await;

    for res in [get, put, test, delete] {
        assert_eq!(problem(res, 404).await["code"], "not_found");
    }
    assert_eq!(list, json!([]));
    let still = expect(beta.get(&path).await, 200).await;
    assert_eq!(still["name"], "Mailbox bea@beta.test");
    app.stop().await;
}
