//! createMany, updateMany and deleteMany: all or nothing.

use crate::common::{count, create, id, json, list, LEADS};
use serde_json::json;
use sqlx::PgPool;
use testkit::{problem, TestApp};

#[sqlx::test(migrations = "../../migrations")]
async fn create_many_is_all_or_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let bulk = format!("{LEADS}/bulk");

    let res = owner
        .post_json(
            &bulk,
            &json!([{"email": "a@x.example"}, {"email": "b@x.example"}]),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(json(res).await.as_array().unwrap().len(), 2);

    let res = owner
        .post_json(
            &bulk,
            &json!([{"email": "c@x.example"}, {"email": "bad", "score": 500}]),
        )
        .await;
    let body = problem(res, 422).await;
    assert_eq!(body["index"], 1);
    assert!(body["errors"]["[1].email"].is_array() && body["errors"]["[1].score"].is_array());
    let res = owner
        .post_json(
            &bulk,
            &json!([{"email": "d@x.example"}, {"email": "D@x.example"}]),
        )
        .await;
    let body = problem(res, 409).await;
    assert_eq!(
        (body["code"].as_str(), body["index"].as_i64()),
        (Some("duplicate_email"), Some(1))
    );
    problem(owner.post_json(&bulk, &json!([])).await, 422).await;
    assert_eq!(count(&app, "leads").await, 2);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn update_many_and_delete_many(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let a = create(&owner, json!({"email": "a@x.example"})).await;
    let b = create(&owner, json!({"email": "b@x.example"})).await;
    let c = create(&owner, json!({"email": "c@x.example"})).await;
    let bulk = format!("{LEADS}/bulk");

    let res = owner
        .patch_json(
            &bulk,
            &json!({"ids": [id(&a), id(&b)], "values": {"status": "Dead", "tags": ["cold"]}}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let (dead, _) = list(&owner, &format!("{LEADS}?status=Dead")).await;
    assert_eq!(dead.len(), 2);
    let res = owner
        .patch_json(
            &bulk,
            &json!({"ids": [id(&a), uuid::Uuid::new_v4()], "values": {"score": 9}}),
        )
        .await;
    assert_eq!(
        problem(res, 404).await["missing_ids"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let res = owner
        .patch_json(
            &bulk,
            &json!({"ids": [id(&a)], "values": {"score": 9, "version": 1}}),
        )
        .await;
    problem(res, 422).await;
    let (scored, _) = list(&owner, &format!("{LEADS}?score=9")).await;
    assert!(scored.is_empty(), "refused bulk changes changed nothing");

    let res = owner
        .client
        .delete(owner.url(&format!("{bulk}?id={}&id={}", id(&a), id(&c))))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (live, _) = list(&owner, LEADS).await;
    assert_eq!(live.len(), 1);
    assert_eq!(live[0]["id"], b["id"]);
    let res = owner
        .client
        .delete(owner.url(&format!("{bulk}?id=nope")))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(res, 400).await["code"], "invalid_query");
    app.stop().await;
}
