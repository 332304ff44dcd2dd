//! Pipelines, ordered stages, and moving leads on the board with rank keys and stage history.

use crate::common::{create, id, json, list, LEADS};
use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{problem, Session, TestApp};

const PIPELINES: &str = "/api/v1/pipelines";

async fn pipeline(owner: &Session) -> Value {
    let res = owner
        .post_json(
            PIPELINES,
            &json!({"name": "Sales", "stages": [
                {"name": "Qualified", "probability": 20},
                {"name": "Proposal", "probability": 60},
                {"name": "Won", "probability": 100, "is_won": true},
                {"name": "Lost", "is_lost": true},
            ]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    json(res).await
}

/// The first names of a stage's leads in board order.
async fn column(owner: &Session, stage: &Value) -> Vec<String> {
    let query = format!(
        "{LEADS}?stage_id={}&_sort=rank&_order=asc",
        stage["id"].as_str().unwrap()
    );
    let (items, _) = list(owner, &query).await;
    items
        .iter()
        .map(|l| l["first_name"].as_str().unwrap().to_owned())
        .collect()
}

#[sqlx::test(migrations = "../../migrations")]
async fn pipelines_and_stages_are_crud_in_order(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let p = pipeline(&owner).await;
    let path = format!("{PIPELINES}/{}", id(&p));
    let names = |p: &Value| -> Vec<String> {
        p["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&p), ["Qualified", "Proposal", "Won", "Lost"]);
    assert_eq!(p["stages"][2]["is_won"], true);

    let res = owner
        .post_json(
            &format!("{path}/stages"),
            &json!({"name": "Demo", "position": 1, "probability": 40}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let demo = json(res).await;
    let lost = &p["stages"][3];
    let res = owner
        .patch_json(
            &format!("{path}/stages/{}", id(lost)),
            &json!({"position": 0, "name": "Lost!"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let p2 = json(owner.get(&path).await).await;
    assert_eq!(
        names(&p2),
        ["Lost!", "Qualified", "Demo", "Proposal", "Won"]
    );
    let positions: Vec<i64> = p2["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, [0, 1, 2, 3, 4]);

    let body = problem(
        owner
            .patch_json(
                &format!("{path}/stages/{}", id(&demo)),
                &json!({"is_won": true, "is_lost": true}),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(body["code"], "validation_failed");
    let res = owner
        .post_json(
            &format!("{path}/stages"),
            &json!({"name": "x", "probability": 101}),
        )
        .await;
    assert_eq!(res.status(), 422);

    // A stage with live leads cannot go; an empty one can.
    let lead = create(&owner, json!({"first_name": "A", "stage_id": id(&demo)})).await;
    assert_eq!(lead["pipeline_id"], p["id"]);
    let res = owner.delete(&format!("{path}/stages/{}", id(&demo))).await;
    assert_eq!(problem(res, 409).await["code"], "in_use");
    problem(owner.delete(&path).await, 409).await;
    owner.delete(&format!("{LEADS}/{}", id(&lead))).await;
    assert_eq!(
        owner
            .delete(&format!("{path}/stages/{}", id(&demo)))
            .await
            .status(),
        204
    );
    let res = owner.patch_json(&path, &json!({"name": "Renamed"})).await;
    assert_eq!(json(res).await["name"], "Renamed");
    let (all, total) = list(&owner, PIPELINES).await;
    assert_eq!((all.len(), total), (1, 1));
    assert_eq!(owner.delete(&path).await.status(), 204);
    problem(owner.get(&path).await, 404).await;

    let globex = app.sign_up("globex").await;
    let theirs = pipeline(&globex).await;
    problem(
        owner.get(&format!("{PIPELINES}/{}", id(&theirs))).await,
        404,
    )
    .await;
    problem(
        owner.delete(&format!("{PIPELINES}/{}", id(&theirs))).await,
        404,
    )
    .await;
    let res = owner
        .post_json(
            LEADS,
            &json!({"first_name": "x", "stage_id": theirs["stages"][0]["id"]}),
        )
        .await;
    assert!(problem(res, 422).await["errors"]["stage_id"].is_array());
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn moving_places_a_lead_between_its_neighbours_and_records_the_stage_change(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let p = pipeline(&owner).await;
    let (qualified, proposal) = (&p["stages"][0], &p["stages"][1]);
    // A pipeline alone puts a lead in its first stage, at the bottom.
    let mut leads = Vec::new();
    for name in ["A", "B", "C"] {
        leads.push(create(&owner, json!({"first_name": name, "pipeline_id": id(&p)})).await);
    }
    assert_eq!(leads[0]["stage_id"], qualified["id"]);
    assert_eq!(column(&owner, qualified).await, ["A", "B", "C"]);

    let move_to = |lead: &Value| format!("{LEADS}/{}/move", id(lead));
    // C above A, then B below C: C, B, A.
    let res = owner
        .post_json(
            &move_to(&leads[2]),
            &json!({"stage_id": id(qualified), "before_id": id(&leads[0])}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(column(&owner, qualified).await, ["C", "A", "B"]);
    owner
        .post_json(
            &move_to(&leads[1]),
            &json!({"stage_id": id(qualified), "after_id": id(&leads[2])}),
        )
        .await;
    assert_eq!(column(&owner, qualified).await, ["C", "B", "A"]);

    // To another stage: bottom, then between.
    let res = owner
        .post_json(&move_to(&leads[0]), &json!({"stage_id": id(proposal)}))
        .await;
    let moved = json(res).await;
    assert_eq!(moved["stage_id"], proposal["id"]);
    owner
        .post_json(
            &move_to(&leads[2]),
            &json!({"stage_id": id(proposal), "before_id": id(&leads[0])}),
        )
        .await;
    assert_eq!(column(&owner, proposal).await, ["C", "A"]);
    assert_eq!(column(&owner, qualified).await, ["B"]);

    // The timeline says where it went.
    let timeline = json(
        owner
            .get(&format!("{LEADS}/{}/timeline?kind=system", id(&leads[0])))
            .await,
    )
    .await;
    assert_eq!(timeline["items"][0]["body"], "Stage Qualified -> Proposal");
    let history: i64 =
        sqlx::query_scalar("SELECT count(*) FROM lead_stage_history WHERE lead_id = $1")
            .bind(uuid::Uuid::parse_str(&id(&leads[0])).unwrap())
            .fetch_one(&app.owner_db)
            .await
            .unwrap();
    assert_eq!(history, 2, "created in Qualified, moved to Proposal");

    // Refusals.
    let res = owner
        .post_json(
            &move_to(&leads[1]),
            &json!({"stage_id": id(qualified), "before_id": id(&leads[0])}),
        )
        .await;
    assert!(
        problem(res, 422).await["errors"]["before_id"].is_array(),
        "A is not in Qualified"
    );
    let res = owner
        .post_json(
            &move_to(&leads[1]),
            &json!({"stage_id": uuid::Uuid::new_v4()}),
        )
        .await;
    problem(res, 422).await;
    let res = owner
        .post_json(
            &move_to(&leads[1]),
            &json!({"stage_id": id(qualified), "version": 99}),
        )
        .await;
    assert_eq!(problem(res, 409).await["code"], "version_conflict");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn changing_the_stage_by_patch_appends_and_publishes_stage_changed(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let p = pipeline(&owner).await;
    let lead = create(&owner, json!({"first_name": "A"})).await;
    assert_eq!(lead["stage_id"], Value::Null);
    let mut stream = testkit::SseStream::open(
        &owner.client,
        &owner.url("/api/v1/events?channels=resources/leads"),
        None,
    )
    .await;

    let res = owner
        .patch_json(
            &format!("{LEADS}/{}", id(&lead)),
            &json!({"stage_id": p["stages"][1]["id"]}),
        )
        .await;
    let updated = json(res).await;
    assert_eq!(updated["pipeline_id"], p["id"]);
    assert!(updated["rank"].is_string());

    let types = [stream.next().await, stream.next().await]
        .map(|e| e.data["type"].as_str().unwrap().to_owned());
    assert_eq!(types, ["lead.updated", "lead.stage_changed"]);
    app.stop().await;
}
