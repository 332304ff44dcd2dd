//! One lead over HTTP: create with normalisation and validation, get with its ETag, update
//! with optimistic concurrency, delete to the trash, events on `resources/leads`, tenant
//! isolation, and inputs that must be refused with a 4xx and change nothing.

use crate::common::{self, count, create, id, json, LEADS};
use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{problem, SseStream, TestApp};

#[sqlx::test(migrations = "../../migrations")]
async fn a_created_lead_is_normalised_and_read_back_with_its_etag(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;

    let lead = create(
        &owner,
        json!({
            "first_name": "  Ada ", "last_name": "Lovelace", "email": " Ada@Example.COM ",
            "phone": "0040 (722) 123-456", "company": "Analytical Engines",
            "website": "www.engines.example", "source": "Webinar", "score": 42,
            "tags": ["vip", " vip ", "math"], "timezone": "Europe/London",
        }),
    )
    .await;

    assert_eq!(lead["first_name"], "Ada");
    assert_eq!(lead["email"], "ada@example.com");
    assert_eq!(lead["phone"], "+40722123456");
    assert_eq!(lead["website"], "https://www.engines.example/");
    assert_eq!(lead["domain"], "engines.example");
    assert_eq!(lead["status"], "New");
    assert_eq!(lead["score"], 42);
    assert_eq!(lead["tags"], json!(["vip", "math"]));
    assert_eq!(lead["version"], 1);
    assert_eq!(lead["created_by"], owner.user_id.to_string());
    let res = owner.get(&format!("{LEADS}/{}", id(&lead))).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"1\"");
    assert_eq!(json(res).await, lead);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn invalid_fields_are_a_422_naming_each_field_and_nothing_is_stored(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;

    let res = owner
        .post_json(
            LEADS,
            &json!({
                "email": "not-an-email", "phone": "0722 123 456", "score": 101,
                "timezone": "Mars/Olympus", "status": "Sleeping", "website": "ftp://x.y",
                "owner_id": uuid::Uuid::new_v4(), "custom": {"nope": 1},
                "first_name": "x".repeat(201),
            }),
        )
        .await;

    let body = problem(res, 422).await;
    assert_eq!(body["code"], "validation_failed");
    let fields: Vec<&str> = body["errors"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        [
            "email",
            "first_name",
            "phone",
            "score",
            "timezone",
            "website"
        ],
        "{body}"
    );
    // The checks that need the tenant's data come after the form checks.
    let res = owner
        .post_json(
            LEADS,
            &json!({"email": "a@b.example", "status": "Sleeping",
                    "owner_id": uuid::Uuid::new_v4(), "custom": {"nope": 1}}),
        )
        .await;
    let body = problem(res, 422).await;
    let fields: Vec<&str> = body["errors"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(fields, ["custom.nope", "owner_id", "status"], "{body}");
    assert_eq!(count(&app, "leads").await, 0);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn bad_bodies_ids_and_types_are_4xx_problems_never_5xx(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let lead = create(&owner, json!({"email": "a@acme.example"})).await;
    let path = format!("{LEADS}/{}", id(&lead));

    for bad in [
        "/api/v1/leads/not-a-uuid",
        "/api/v1/leads/123",
        "/api/v1/leads/%00",
    ] {
        problem(owner.get(bad).await, 404).await;
        problem(owner.patch_json(bad, &json!({"score": 1})).await, 404).await;
        problem(owner.delete(bad).await, 404).await;
    }
    for body in [
        json!({"score": "high"}),
        json!({"score": 1e40}),
        json!({"tags": "vip"}),
        json!({"owner_id": "nobody"}),
        json!({"unknown_field": 1}),
        json!([1, 2]),
        json!({"email": {"a": 1}}),
    ] {
        let res = owner.patch_json(&path, &body).await;
        assert_eq!(res.status(), 422, "{body}");
        let res = owner.post_json(LEADS, &body).await;
        assert_eq!(res.status(), 422, "{body}");
    }
    let res = owner
        .client
        .post(owner.url(LEADS))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(problem(res, 400).await["code"], "malformed_json");
    let huge = "x".repeat(900_000);
    let res = owner.post_json(LEADS, &json!({"company": huge})).await;
    assert_eq!(res.status(), 422);
    let res = owner.get(&format!("{LEADS}?score_gte=lots")).await;
    assert_eq!(problem(res, 400).await["code"], "invalid_list_query");
    let res = owner.get(&format!("{LEADS}?q={}", "%".repeat(900))).await;
    assert_eq!(res.status(), 200);

    let after = json(owner.get(&path).await).await;
    assert_eq!(after, lead, "nothing changed");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_update_bumps_the_version_and_a_stale_one_changes_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let lead = create(
        &owner,
        json!({"email": "a@acme.example", "first_name": "Ann"}),
    )
    .await;
    let path = format!("{LEADS}/{}", id(&lead));

    let res = owner
        .patch_json(
            &path,
            &json!({"status": "In Process", "first_name": null, "version": 1}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"2\"");
    let updated = json(res).await;
    assert_eq!(updated["status"], "In Process");
    assert_eq!(updated["first_name"], Value::Null);
    assert_eq!(updated["email"], "a@acme.example", "absent fields stay");

    // A stale version in the body: 409.
    let res = owner
        .patch_json(&path, &json!({"status": "Dead", "version": 1}))
        .await;
    let body = problem(res, 409).await;
    assert_eq!(body["code"], "version_conflict");
    assert_eq!(body["current_version"], 2);
    // A stale If-Match: 412.
    let res = owner
        .client
        .patch(owner.url(&path))
        .header("if-match", "\"1\"")
        .json(&json!({"status": "Dead"}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(res, 412).await["code"], "precondition_failed");
    let res = owner
        .client
        .patch(owner.url(&path))
        .header("if-match", "nonsense")
        .json(&json!({"status": "Dead"}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(res, 400).await["code"], "invalid_if_match");
    let current = json(owner.get(&path).await).await;
    assert_eq!(current, updated, "the refused writes changed nothing");

    // The current If-Match passes.
    let res = owner
        .client
        .patch(owner.url(&path))
        .header("if-match", "\"2\"")
        .json(&json!({"status": "Dead"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await["version"], 3);
    // A change that changes nothing makes no new version.
    let res = owner.patch_json(&path, &json!({"status": "Dead"})).await;
    assert_eq!(json(res).await["version"], 3);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_duplicate_email_is_a_409_naming_the_existing_lead(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let first = create(&owner, json!({"email": "dup@acme.example"})).await;
    let other = create(&owner, json!({"email": "other@acme.example"})).await;

    let res = owner
        .post_json(LEADS, &json!({"email": " DUP@acme.example"}))
        .await;
    let body = problem(res, 409).await;
    assert_eq!(body["code"], "duplicate_email");
    assert_eq!(body["existing_id"], first["id"]);

    let res = owner
        .patch_json(
            &format!("{LEADS}/{}", id(&other)),
            &json!({"email": "Dup@Acme.example"}),
        )
        .await;
    assert_eq!(problem(res, 409).await["existing_id"], first["id"]);
    assert_eq!(count(&app, "leads").await, 2);

    // Another tenant may hold the same email.
    let globex = app.sign_up("globex").await;
    create(&globex, json!({"email": "dup@acme.example"})).await;
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn changes_publish_lead_events_on_resources_leads(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let mut stream = SseStream::open(
        &owner.client,
        &owner.url("/api/v1/events?channels=resources/leads"),
        None,
    )
    .await;

    let lead = create(
        &owner,
        json!({"email": "a@acme.example", "owner_id": owner.user_id}),
    )
    .await;
    let path = format!("{LEADS}/{}", id(&lead));
    owner.patch_json(&path, &json!({"score": 5})).await;
    owner.delete(&path).await;

    let mut seen = Vec::new();
    for _ in 0..4 {
        let event = stream.next().await;
        assert_eq!(event.data["channel"], "resources/leads");
        assert_eq!(event.data["payload"]["ids"], json!([id(&lead)]));
        seen.push(event.data["type"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        seen,
        [
            "lead.created",
            "lead.assigned",
            "lead.updated",
            "lead.deleted"
        ]
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn another_tenant_sees_nothing_and_changes_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let acme = app.sign_up("acme").await;
    let globex = app.sign_up("globex").await;
    let lead = create(&acme, json!({"email": "a@acme.example"})).await;
    let lead_id = id(&lead);
    let path = format!("{LEADS}/{lead_id}");

    problem(globex.get(&path).await, 404).await;
    problem(globex.patch_json(&path, &json!({"score": 9})).await, 404).await;
    problem(globex.delete(&path).await, 404).await;
    for action in ["restore", "erase", "move", "merge", "notes", "tasks"] {
        let res = globex
            .post_json(
                &format!("{path}/{action}"),
                &json!({"body": "x", "stage_id": lead_id, "other_id": lead_id}),
            )
            .await;
        assert!(
            [404, 422].contains(&res.status().as_u16()),
            "{action}: {}",
            res.status()
        );
    }
    problem(globex.get(&format!("{path}/audit")).await, 404).await;
    problem(globex.get(&format!("{path}/timeline")).await, 404).await;
    let (items, total) = common::list(&globex, &format!("{LEADS}?id={lead_id}")).await;
    assert!(items.is_empty() && total == 0);
    let (items, _) = common::list(&globex, LEADS).await;
    assert!(items.is_empty());
    let res = globex
        .client
        .delete(globex.url(&format!("{LEADS}/bulk?id={lead_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(res, 404).await["missing_ids"], json!([lead_id]));
    let res = globex
        .patch_json(
            &format!("{LEADS}/bulk"),
            &json!({"ids": [lead_id], "values": {"score": 3}}),
        )
        .await;
    problem(res, 404).await;
    let res = globex
        .post_json(
            &format!("{LEADS}/upsert"),
            &json!({"email": "a@acme.example", "score": 7}),
        )
        .await;
    assert_eq!(res.status(), 201, "globex gets its own lead");

    assert_eq!(
        json(acme.get(&path).await).await,
        lead,
        "acme's lead is untouched"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn reading_needs_leads_read_and_writing_leads_write(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let viewer = common::add_member(&app, &owner, "viewer@acme.example", "viewer").await;
    create(&owner, json!({"email": "a@acme.example"})).await;

    let (items, _) = common::list(&viewer, LEADS).await;
    assert_eq!(items.len(), 1);
    let res = viewer
        .post_json(LEADS, &json!({"email": "b@acme.example"}))
        .await;
    assert_eq!(problem(res, 403).await["code"], "forbidden");
    // Permission is checked before the body: a bad body tells a viewer nothing more.
    for bad in [
        json!({"email": 5}),
        json!([1]),
        json!({"email": "not an email"}),
    ] {
        let res = viewer.post_json(LEADS, &bad).await;
        assert_eq!(problem(res, 403).await["code"], "forbidden", "{bad}");
    }
    let res = viewer
        .post_json("/api/v1/api-keys", &json!({"name": "", "scopes": ["nope"]}))
        .await;
    assert_eq!(problem(res, 403).await["code"], "forbidden");
    assert_eq!(count(&app, "leads").await, 1);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn nul_characters_are_refused_not_a_server_error(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let lead = create(&owner, json!({"email": "a@acme.example"})).await;
    let path = format!("{LEADS}/{}", id(&lead));

    let res = owner
        .post_json(LEADS, &json!({"first_name": "a\u{0}b"}))
        .await;
    assert!(problem(res, 422).await["errors"]["first_name"].is_array());
    let res = owner.patch_json(&path, &json!({"tags": ["x\u{0}"]})).await;
    assert!(problem(res, 422).await["errors"]["tags[0]"].is_array());
    let res = owner
        .post_json(&format!("{path}/notes"), &json!({"body": "\u{0}"}))
        .await;
    problem(res, 422).await;
    let res = owner
        .post_json("/api/v1/pipelines", &json!({"name": "p\u{0}"}))
        .await;
    problem(res, 422).await;
    for query in [
        "first_name=%00",
        "q=%00",
        "filters[0][field]=email&filters[0][operator]=contains&filters[0][value]=%00",
    ] {
        let res = owner.get(&format!("{LEADS}?{query}")).await;
        assert_eq!(
            problem(res, 400).await["code"],
            "invalid_list_query",
            "{query}"
        );
    }
    let res = owner.get(&format!("{LEADS}/export.csv?q=%00")).await;
    problem(res, 400).await;
    assert_eq!(json(owner.get(&path).await).await, lead);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_one_statement_read_keeps_its_tenant_to_itself(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let acme = app.sign_up("acme").await;
    let globex = app.sign_up("globex").await;
    let lead = create(&acme, json!({"email": "ann@acme.example"})).await;
    let lead_id: uuid::Uuid = lead["id"].as_str().unwrap().parse().unwrap();
    let read = |tenant: uuid::Uuid| {
        sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM leads_get_live($1, $2)")
            .bind(tenant)
            .bind(lead_id)
    };

    // On a plain connection (as getOne uses it): its own tenant's lead, nobody else's.
    let mut conn = app.db.acquire().await.unwrap();
    let found = read(acme.tenant_id)
        .fetch_optional(&mut *conn)
        .await
        .unwrap();
    assert_eq!(found, Some(lead_id));
    let found = read(globex.tenant_id)
        .fetch_optional(&mut *conn)
        .await
        .unwrap();
    assert_eq!(found, None);
    // The setting ended with the statement: the same connection sees no lead at all now.
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM leads")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(left, 0);
    drop(conn);

    // Inside a transaction acting for one tenant, it refuses to act for another.
    let mut tx = kernel::tenancy::tenant_tx_for(&app.db, kernel::TenantId(globex.tenant_id))
        .await
        .unwrap();
    let refused = read(acme.tenant_id).fetch_optional(&mut *tx).await;
    assert!(refused.is_err(), "{refused:?}");
    // Closing the pool waits for every connection to come back: end the transaction first.
    drop(tx);
    app.stop().await;
}
