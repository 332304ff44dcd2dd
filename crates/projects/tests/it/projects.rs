//! Projects: create, list, change, delete, audit; bad input refused with nothing changed.

use serde_json::json;
use sqlx::PgPool;
use testkit::{problem, TestApp};

use crate::common::{create_project, expect, PROJECTS};

#[sqlx::test(migrations = "../../migrations")]
async fn projects_are_created_listed_changed_audited_and_deleted(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;

    let body = json!({
        "name": "Fashion shop", "slug": "fashion-shop", "client_name": "Maison Lumière",
        "timezone": "Europe/Bucharest", "budget_amount": "1500.50", "budget_currency": "EUR",
    });
    let res = owner.post_json(PROJECTS, &body).await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let project = expect(res, 201).await;
    let id = project["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("{PROJECTS}/{id}"));
    assert_eq!(project["status"], "active");
    assert_eq!(
        project["budget_amount"], "1500.50",
        "money is an exact decimal string"
    );
    assert_eq!(project["timezone"], "Europe/Bucharest");

    // The slug is the tenant's: taken, malformed; and other bad fields.
    let taken = problem(
        owner
            .post_json(PROJECTS, &json!({"name": "x", "slug": "fashion-shop"}))
            .await,
        409,
    )
    .await;
    assert_eq!(taken["code"], "project_slug_taken");
    for (field, value) in [
        ("slug", json!("Fashion Shop")),
        ("slug", json!("a--b")),
        ("timezone", json!("Mars/Olympus")),
        ("budget_amount", json!("10.001")),
        ("budget_amount", json!("-1")),
        ("budget_currency", json!("euro")),
        ("status", json!("deleted")),
    ] {
        let mut bad = json!({"name": "x", "slug": "other"});
        bad[field] = value;
        let body = problem(owner.post_json(PROJECTS, &bad).await, 422).await;
        // A value outside an enum is named by the JSON reader ("unknown variant"), the rest
        // by the field.
        let named = body["errors"][field].is_array()
            || body["errors"]["body"].to_string().contains("deleted");
        assert!(named, "{field}: {body}");
    }
    // Every bad field is named at once.
    let bad = json!({"name": "x", "slug": "Bad Slug", "timezone": "Mars/Base", "budget_amount": "1.234", "budget_currency": "usd"});
    let body = problem(owner.post_json(PROJECTS, &bad).await, 422).await;
    for field in ["slug", "timezone", "budget_amount", "budget_currency"] {
        assert!(body["errors"][field].is_array(), "{field}: {body}");
    }
    create_project(&owner, "second").await;
    let res = owner.get(&format!("{PROJECTS}?q=fashion")).await;
    assert_eq!(res.headers()["x-total-count"], "1");
    let listed = expect(res, 200).await;
    assert_eq!(listed[0]["slug"], "fashion-shop");

    // Change: the budget is removed with null; the audit trail names the fields.
    let changed = expect(
        owner
            .patch_json(
                &format!("{PROJECTS}/{id}"),
                &json!({"status": "paused", "budget_amount": null}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(changed["status"], "paused");
    assert!(changed["budget_amount"].is_null());
    let slug_clash = owner
        .patch_json(&format!("{PROJECTS}/{id}"), &json!({"slug": "second"}))
        .await;
    assert_eq!(problem(slug_clash, 409).await["code"], "project_slug_taken");
    let audit = expect(owner.get(&format!("{PROJECTS}/{id}/audit")).await, 200).await;
    assert_eq!(audit[0]["action"], "updated");
    assert_eq!(
        audit[0]["changes"]["status"],
        json!({"before": "active", "after": "paused"})
    );
    assert_eq!(
        audit[0]["changes"]["budget_amount"],
        json!({"before": "1500.50", "after": null})
    );
    assert_eq!(audit[0]["actor_kind"], "user");
    assert_eq!(audit[1]["action"], "created");

    // Soft delete: gone from reads, the slug is free again.
    assert_eq!(
        owner.delete(&format!("{PROJECTS}/{id}")).await.status(),
        204
    );
    problem(owner.get(&format!("{PROJECTS}/{id}")).await, 404).await;
    problem(owner.get(&format!("{PROJECTS}/{id}/state")).await, 404).await;
    problem(owner.delete(&format!("{PROJECTS}/{id}")).await, 404).await;
    create_project(&owner, "fashion-shop").await;
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn reading_needs_projects_read_and_changing_projects_write(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let id = create_project(&owner, "shop").await;
    let reader = owner.new_api_key(&["projects:read"]).await;
    let leads_only = owner.new_api_key(&["leads:read"]).await;

    let get = |key: &str, path: &str| {
        app.client
            .get(app.url(path))
            .bearer_auth(key.to_owned())
            .send()
    };
    assert_eq!(
        get(&reader, &format!("{PROJECTS}/{id}/state"))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        get(&leads_only, &format!("{PROJECTS}/{id}"))
            .await
            .unwrap()
            .status(),
        403
    );
    let res = app
        .client
        .patch(app.url(&format!("{PROJECTS}/{id}")))
        .bearer_auth(&reader)
        .json(&json!({"name": "renamed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = app.client.get(app.url(PROJECTS)).send().await.unwrap();
    assert_eq!(res.status(), 401);
    app.stop().await;
}
