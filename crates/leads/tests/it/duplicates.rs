//! Duplicates: upsert by email, and merging one lead into another (fields chosen, timeline
//! moved, the other trashed, both audited).

use crate::common::{count, create, id, json, list, LEADS};
use serde_json::json;
use sqlx::PgPool;
use testkit::{problem, TestApp};

#[sqlx::test(migrations = "../../migrations")]
async fn upsert_creates_then_updates_the_lead_with_that_email(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let upsert = format!("{LEADS}/upsert");

    let res = owner
        .post_json(
            &upsert,
            &json!({"email": "Ann@Acme.example", "first_name": "Ann", "score": 10}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let created = json(res).await;

    let res = owner
        .post_json(&upsert, &json!({"email": "ann@acme.example", "score": 70}))
        .await;
    assert_eq!(res.status(), 200);
    let updated = json(res).await;
    assert_eq!(updated["id"], created["id"]);
    assert_eq!(updated["score"], 70);
    assert_eq!(updated["first_name"], "Ann", "absent fields stay");
    assert_eq!(updated["version"], 2);

    let body = problem(
        owner.post_json(&upsert, &json!({"first_name": "No"})).await,
        422,
    )
    .await;
    assert!(body["errors"]["email"].is_array());
    assert_eq!(count(&app, "leads").await, 1);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn concurrent_upserts_of_one_email_make_one_lead(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let upsert = format!("{LEADS}/upsert");

    let requests = (0..8).map(|i| {
        let body = json!({"email": "race@acme.example", "score": i});
        let (client, url) = (owner.client.clone(), owner.url(&upsert));
        async move { client.post(url).json(&body).send().await.unwrap().status() }
    });
    let statuses = futures_join(requests).await;

    assert_eq!(
        statuses.iter().filter(|s| s.as_u16() == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(statuses.iter().all(|s| [200, 201].contains(&s.as_u16())));
    assert_eq!(count(&app, "leads").await, 1);
    app.stop().await;
}

/// Runs the requests concurrently and returns their answers in order.
async fn futures_join<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[sqlx::test(migrations = "../../migrations")]
async fn merge_keeps_chosen_fields_moves_the_timeline_and_trashes_the_other(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let this = create(
        &owner,
        json!({"first_name": "Ann", "email": "ann@old.example", "tags": ["a"], "score": 10}),
    )
    .await;
    let other = create(
        &owner,
        json!({"first_name": "Annie", "last_name": "Smith", "email": "ann@new.example",
               "company": "NewCo", "tags": ["b"], "score": 80}),
    )
    .await;
    let note = owner
        .post_json(
            &format!("{LEADS}/{}/notes", id(&other)),
            &json!({"body": "met at the fair"}),
        )
        .await;
    assert_eq!(note.status(), 201);

    let res = owner
        .post_json(
            &format!("{LEADS}/{}/merge", id(&this)),
            &json!({"other_id": id(&other), "keep": {"email": "other", "score": "other", "first_name": "this"}}),
        )
        .await;

    assert_eq!(res.status(), 200);
    let merged = json(res).await;
    assert_eq!(merged["id"], this["id"]);
    assert_eq!(merged["first_name"], "Ann");
    assert_eq!(
        merged["last_name"], "Smith",
        "gaps are filled from the other lead"
    );
    assert_eq!(merged["company"], "NewCo");
    assert_eq!(merged["email"], "ann@new.example");
    assert_eq!(merged["score"], 80);
    assert_eq!(merged["tags"], json!(["a", "b"]));
    // The other lead is in the trash, pointing here.
    problem(owner.get(&format!("{LEADS}/{}", id(&other))).await, 404).await;
    let (trash, _) = list(&owner, &format!("{LEADS}/trash")).await;
    assert_eq!(trash.len(), 1);
    assert_eq!(trash[0]["merged_into"], this["id"]);
    // Its note moved.
    let timeline = json(
        owner
            .get(&format!("{LEADS}/{}/timeline?kind=note", id(&this)))
            .await,
    )
    .await;
    assert_eq!(timeline["items"][0]["body"], "met at the fair");
    // Both audit logs tell.
    let (audit, _) = list(&owner, &format!("{LEADS}/{}/audit", id(&this))).await;
    let actions: Vec<&str> = audit
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"merge") && actions.contains(&"merge_from"),
        "{actions:?}"
    );
    let (audit, _) = list(&owner, &format!("{LEADS}/{}/audit", id(&other))).await;
    assert_eq!(audit[0]["action"], "merged_into");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn bad_merges_are_refused_and_change_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let globex = app.sign_up("globex").await;
    let this = create(&owner, json!({"email": "a@acme.example"})).await;
    let theirs = create(&globex, json!({"email": "b@globex.example"})).await;
    let merge = format!("{LEADS}/{}/merge", id(&this));

    let body = problem(
        owner
            .post_json(&merge, &json!({"other_id": id(&this)}))
            .await,
        422,
    )
    .await;
    assert!(body["errors"]["other_id"].is_array());
    let body = problem(
        owner
            .post_json(
                &merge,
                &json!({"other_id": id(&theirs), "keep": {"password": "other"}}),
            )
            .await,
        422,
    )
    .await;
    assert!(body["errors"]["keep.password"].is_array());
    problem(
        owner
            .post_json(&merge, &json!({"other_id": id(&theirs)}))
            .await,
        404,
    )
    .await;
    let res = owner
        .post_json(
            &merge,
            &json!({"other_id": id(&theirs), "keep": {"email": "both"}}),
        )
        .await;
    assert_eq!(res.status(), 422);

    assert_eq!(
        json(owner.get(&format!("{LEADS}/{}", id(&this))).await).await,
        this
    );
    assert_eq!(
        json(globex.get(&format!("{LEADS}/{}", id(&theirs))).await).await,
        theirs
    );
    app.stop().await;
}
