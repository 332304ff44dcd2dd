//! Soft delete, the trash, restore, and erasing personal data (admins only).

use crate::common::{add_member, create, id, json, list, LEADS};
use serde_json::json;
use sqlx::PgPool;
use testkit::{problem, TestApp};

#[sqlx::test(migrations = "../../migrations")]
async fn deleted_leads_go_to_the_trash_and_come_back(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let lead = create(&owner, json!({"email": "a@acme.example"})).await;
    let path = format!("{LEADS}/{}", id(&lead));

    let res = owner.delete(&path).await;
    assert_eq!(res.status(), 200);
    assert!(json(res).await["deleted_at"].is_string());
    problem(owner.get(&path).await, 404).await;
    problem(owner.delete(&path).await, 404).await;
    let (live, _) = list(&owner, LEADS).await;
    assert!(live.is_empty());
    let (trash, total) = list(&owner, &format!("{LEADS}/trash?q=acme")).await;
    assert_eq!((trash.len(), total), (1, 1));

    // While it is in the trash its email is free; restoring then conflicts.
    let taken = create(&owner, json!({"email": "a@acme.example"})).await;
    let body = problem(
        owner
            .post_json(&format!("{path}/restore"), &json!({}))
            .await,
        409,
    )
    .await;
    assert_eq!(body["existing_id"], taken["id"]);
    owner.delete(&format!("{LEADS}/{}", id(&taken))).await;

    let res = owner
        .post_json(&format!("{path}/restore"), &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        json(owner.get(&path).await).await["deleted_at"],
        serde_json::Value::Null
    );
    problem(
        owner
            .post_json(&format!("{path}/restore"), &json!({}))
            .await,
        404,
    )
    .await;
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn erasing_removes_personal_data_for_good_and_keeps_an_anonymous_row(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let member = add_member(&app, &owner, "member@acme.example", "member").await;
    let lead = create(
        &owner,
        json!({"first_name": "Eve", "email": "eve@private.example", "phone": "+40722123456",
               "source": "fair", "status": "Dead"}),
    )
    .await;
    let path = format!("{LEADS}/{}", id(&lead));
    owner
        .patch_json(&path, &json!({"last_name": "Secret"}))
        .await;
    owner
        .post_json(
            &format!("{path}/notes"),
            &json!({"body": "lives at 1 Secret St"}),
        )
        .await;

    let res = member.post_json(&format!("{path}/erase"), &json!({})).await;
    assert_eq!(problem(res, 403).await["code"], "forbidden");
    let res = owner.post_json(&format!("{path}/erase"), &json!({})).await;
    assert_eq!(res.status(), 204);

    problem(owner.get(&path).await, 404).await;
    let (trash, _) = list(&owner, &format!("{LEADS}/trash")).await;
    assert!(trash.is_empty());
    problem(
        owner
            .post_json(&format!("{path}/restore"), &json!({}))
            .await,
        404,
    )
    .await;
    problem(
        owner.post_json(&format!("{path}/erase"), &json!({})).await,
        404,
    )
    .await;
    let dump: String = sqlx::query_scalar(
        "SELECT concat((SELECT string_agg(to_jsonb(l)::text, '') FROM leads l), \
                       (SELECT string_agg(to_jsonb(t)::text, '') FROM lead_timeline t), \
                       (SELECT string_agg(to_jsonb(a)::text, '') FROM lead_audit a))",
    )
    .fetch_one(&app.owner_db)
    .await
    .unwrap();
    for secret in ["Eve", "eve@private", "722123456", "Secret"] {
        assert!(!dump.contains(secret), "{secret} survived the erase");
    }
    let (status, source): (String, Option<String>) =
        sqlx::query_as("SELECT status, source FROM leads")
            .fetch_one(&app.owner_db)
            .await
            .unwrap();
    assert_eq!((status.as_str(), source.as_deref()), ("Dead", Some("fair")));
    app.stop().await;
}
