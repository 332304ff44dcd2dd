//! List totals come from a cache kept under the tenant's change counter: every way a lead
//! changes (the API on this or another instance, SQL outside the API) must move the total.

use crate::common::{create, id, list, LEADS};
use serde_json::json;
use sqlx::PgPool;
use testkit::{Session, TestApp};

/// One row per page, so the total is always counted (never read off a short page).
const IN_PROCESS: &str = "/api/v1/leads?status=in%20process&_start=0&_end=1";

async fn total(session: &Session) -> i64 {
    list(session, IN_PROCESS).await.1
}

async fn lead(owner: &Session, email: &str) -> String {
    id(&create(owner, json!({"email": email, "status": "In Process"})).await)
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_cached_total_follows_every_change_through_the_api(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let a = lead(&owner, "a@example.com").await;
    let b = lead(&owner, "b@example.com").await;
    create(&owner, json!({"email": "c@example.com", "status": "New"})).await;
    assert_eq!(total(&owner).await, 2);
    assert_eq!(total(&owner).await, 2, "the same total from the cache");

    lead(&owner, "d@example.com").await;
    assert_eq!(total(&owner).await, 3, "a create counts");

    let res = owner.delete(&format!("{LEADS}/{a}")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(total(&owner).await, 2, "a delete counts");

    let res = owner
        .patch_json(&format!("{LEADS}/{b}"), &json!({"status": "Dead"}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(total(&owner).await, 1, "an update out of the filter counts");

    let res = owner
        .post_json(&format!("{LEADS}/{a}/restore"), &json!({}))
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(total(&owner).await, 2, "a restore counts");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_change_elsewhere_moves_every_instances_total(pool: PgPool) {
    let one = TestApp::spawn(pool.clone()).await;
    let two = TestApp::spawn(pool).await;
    let owner = one.sign_up("acme").await;
    let on_two = two.sign_in(&owner.email, &owner.password).await;
    lead(&owner, "a@example.com").await;
    lead(&owner, "b@example.com").await;
    assert_eq!(total(&on_two).await, 2);

    // Written through the other instance.
    lead(&owner, "c@example.com").await;
    assert_eq!(total(&on_two).await, 3);

    // Written by SQL outside the API (the owner role, past row-level security).
    sqlx::query("UPDATE leads SET status = 'New' WHERE email = 'c@example.com'")
        .execute(&one.owner_db)
        .await
        .unwrap();
    assert_eq!(total(&on_two).await, 2);
    assert_eq!(total(&owner).await, 2);
    one.stop().await;
    two.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn totals_are_per_tenant_and_a_tenant_with_leads_can_be_deleted(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let acme = app.sign_up("acme").await;
    let globex = app.sign_up("globex").await;
    lead(&acme, "a@example.com").await;
    lead(&acme, "b@example.com").await;
    lead(&globex, "a@example.com").await;
    assert_eq!(total(&acme).await, 2);
    assert_eq!(total(&globex).await, 1);

    // Same query, other tenant: a change of one leaves the other's total alone and exact.
    lead(&globex, "b@example.com").await;
    lead(&globex, "c@example.com").await;
    assert_eq!(total(&globex).await, 3);
    assert_eq!(total(&acme).await, 2);

    // The leads go by cascade; the counter of a vanished tenant is not written.
    sqlx::query("DELETE FROM tenants WHERE slug = 'globex'")
        .execute(&app.owner_db)
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM leads")
        .fetch_one(&app.owner_db)
        .await
        .unwrap();
    assert_eq!(left, 2);
    assert_eq!(total(&acme).await, 2);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn concurrent_lists_after_each_write_all_get_the_exact_total(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    lead(&owner, "a@example.com").await;
    lead(&owner, "b@example.com").await;
    for (round, email) in ["c", "d", "e"].iter().enumerate() {
        // Many requests miss the cache together after a change: each must get the new total.
        let totals = futures_util::future::join_all((0..12).map(|_| total(&owner))).await;
        let expected = 2 + i64::try_from(round).unwrap();
        assert!(
            totals.iter().all(|t| *t == expected),
            "round {round}: {totals:?}"
        );
        lead(&owner, &format!("{email}@example.com")).await;
    }
    assert_eq!(total(&owner).await, 5);
    app.stop().await;
}
