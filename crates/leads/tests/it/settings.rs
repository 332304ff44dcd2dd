//! The tenant's lead settings: statuses, custom field definitions checked on write, and
//! round-robin assignment rules.

use crate::common::{self, add_member, create, json, LEADS};
use serde_json::json;
use sqlx::PgPool;
use testkit::{problem, TestApp};

#[sqlx::test(migrations = "../../migrations")]
async fn statuses_default_to_six_and_can_be_replaced(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let statuses = json(owner.get("/api/v1/lead-statuses").await).await;
    assert_eq!(
        statuses["statuses"],
        json!([
            "New",
            "Assigned",
            "In Process",
            "Converted",
            "Recycled",
            "Dead"
        ])
    );
    create(&owner, json!({"email": "a@x.example", "status": "Dead"})).await;

    let put = |body| {
        let owner = &owner;
        async move {
            owner
                .client
                .put(owner.url("/api/v1/lead-statuses"))
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let body = problem(put(json!({"statuses": ["New", "Won"]})).await, 409).await;
    assert_eq!(body["statuses"], json!(["Dead"]));
    problem(put(json!({"statuses": ["New", "New"]})).await, 422).await;
    let res = put(json!({"statuses": ["New", "Won", "Dead"]})).await;
    assert_eq!(res.status(), 200);
    create(&owner, json!({"email": "b@x.example", "status": "Won"})).await;
    let res = owner
        .post_json(
            LEADS,
            &json!({"email": "c@x.example", "status": "Assigned"}),
        )
        .await;
    problem(res, 422).await;
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn custom_values_are_checked_against_the_definitions(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    for def in [
        json!({"key": "budget", "label": "Budget", "kind": "number"}),
        json!({"key": "industry", "label": "Industry", "kind": "select", "options": ["saas", "retail"]}),
        json!({"key": "channels", "label": "Channels", "kind": "multiselect", "options": ["email", "phone"]}),
        json!({"key": "met_on", "label": "Met on", "kind": "date"}),
        json!({"key": "vip", "label": "VIP", "kind": "boolean"}),
        json!({"key": "notes", "label": "Notes", "kind": "text"}),
    ] {
        let res = owner.post_json("/api/v1/lead-fields", &def).await;
        assert_eq!(res.status(), 201, "{def}");
    }
    let res = owner
        .post_json(
            "/api/v1/lead-fields",
            &json!({"key": "budget", "label": "B", "kind": "number"}),
        )
        .await;
    assert_eq!(problem(res, 409).await["code"], "already_exists");
    for bad in [
        json!({"key": "Bad Key", "label": "x", "kind": "text"}),
        json!({"key": "x", "label": "x", "kind": "colour"}),
        json!({"key": "y", "label": "x", "kind": "select"}),
    ] {
        problem(owner.post_json("/api/v1/lead-fields", &bad).await, 422).await;
    }

    let lead = create(
        &owner,
        json!({"email": "a@x.example", "custom": {
            "budget": 1200.5, "industry": "saas", "channels": ["email", "email", "phone"],
            "met_on": "2026-11-30", "vip": true, "notes": "likes tea"}}),
    )
    .await;
    assert_eq!(lead["custom"]["channels"], json!(["email", "phone"]));

    let res = owner
        .post_json(
            LEADS,
            &json!({"email": "b@x.example", "custom": {
                "budget": "lots", "industry": "mining", "channels": ["fax"],
                "met_on": "30/11/2026", "vip": "yes", "unknown": 1}}),
        )
        .await;
    let body = problem(res, 422).await;
    let fields: Vec<&str> = body["errors"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        [
            "custom.budget",
            "custom.channels",
            "custom.industry",
            "custom.met_on",
            "custom.unknown",
            "custom.vip"
        ]
    );
    // Removing a definition removes its values.
    assert_eq!(owner.delete("/api/v1/lead-fields/vip").await.status(), 204);
    let lead = json(owner.get(&format!("{LEADS}/{}", common::id(&lead))).await).await;
    assert!(lead["custom"].get("vip").is_none());
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn round_robin_rules_assign_new_leads_of_a_source_in_turn(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let member = add_member(&app, &owner, "rep@acme.example", "member").await;
    let rules = "/api/v1/lead-assignment-rules";

    let res = owner
        .post_json(
            rules,
            &json!({"source": "Webinar", "member_ids": [owner.user_id, member.user_id]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let res = owner
        .post_json(
            rules,
            &json!({"source": "webinar", "member_ids": [owner.user_id]}),
        )
        .await;
    assert_eq!(problem(res, 409).await["code"], "already_exists");
    let res = owner
        .post_json(
            rules,
            &json!({"source": "fair", "member_ids": [uuid::Uuid::new_v4()]}),
        )
        .await;
    assert!(problem(res, 422).await["errors"]["member_ids[0]"].is_array());

    let mut owners = Vec::new();
    for i in 0..4 {
        let lead = create(
            &owner,
            json!({"email": format!("w{i}@x.example"), "source": "WEBINAR"}),
        )
        .await;
        owners.push(lead["owner_id"].as_str().unwrap().to_owned());
    }
    let (o, m) = (owner.user_id.to_string(), member.user_id.to_string());
    assert_eq!(owners, [o.clone(), m.clone(), o.clone(), m.clone()]);
    // A hand-picked owner wins; other sources are left alone.
    let lead = create(
        &owner,
        json!({"email": "h@x.example", "source": "webinar", "owner_id": m}),
    )
    .await;
    assert_eq!(lead["owner_id"], m);
    let lead = create(&owner, json!({"email": "f@x.example", "source": "fair"})).await;
    assert!(lead["owner_id"].is_null());

    // A member from another tenant cannot be an owner.
    let globex = app.sign_up("globex").await;
    let res = owner
        .post_json(
            LEADS,
            &json!({"email": "g@x.example", "owner_id": globex.user_id}),
        )
        .await;
    assert!(problem(res, 422).await["errors"]["owner_id"].is_array());
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_lead_whose_owner_left_or_whose_option_went_can_still_be_edited(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let rep = add_member(&app, &owner, "rep@acme.example", "member").await;
    let res = owner
        .post_json(
            "/api/v1/lead-fields",
            &json!({"key": "industry", "label": "Industry", "kind": "select", "options": ["saas", "retail"]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let lead = create(
        &owner,
        json!({"email": "a@x.example", "owner_id": rep.user_id, "custom": {"industry": "retail"}}),
    )
    .await;
    let path = format!("{LEADS}/{}", common::id(&lead));
    let res = owner
        .delete(&format!("/api/v1/members/{}", rep.user_id))
        .await;
    assert_eq!(res.status(), 204);
    let res = owner
        .patch_json(
            "/api/v1/lead-fields/industry",
            &json!({"options": ["saas"]}),
        )
        .await;
    assert_eq!(res.status(), 200);

    let res = owner
        .patch_json(&path, &json!({"phone": "+40722123456"}))
        .await;
    assert_eq!(
        res.status(),
        200,
        "unchanged owner and custom value are not checked again"
    );
    // Setting them anew is checked.
    let res = owner
        .patch_json(
            &path,
            &json!({"owner_id": rep.user_id, "custom": {"industry": "retail"}}),
        )
        .await;
    assert_eq!(res.status(), 200, "the same values are still unchanged");
    let res = owner
        .patch_json(&path, &json!({"custom": {"industry": "mining"}}))
        .await;
    assert!(problem(res, 422).await["errors"]["custom.industry"].is_array());
    let res = owner.patch_json(&path, &json!({"owner_id": null})).await;
    assert_eq!(res.status(), 200);
    let res = owner
        .patch_json(&path, &json!({"owner_id": rep.user_id}))
        .await;
    assert!(problem(res, 422).await["errors"]["owner_id"].is_array());
    app.stop().await;
}
