//! Reports: batches of up to 500 upserted by slug, all or nothing, idempotent on replay.

use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{problem, TestApp};

use crate::common::{create_project, expect};

const REPORTS: &str = "/api/v1/reports";

fn report(slug: &str, value: i64) -> Value {
    json!({"slug": slug, "title": format!("Report {slug}"), "kind": "metric", "data": {"value": value}})
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_batch_is_written_whole_or_not_at_all_and_replays_idempotently(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let project = create_project(&owner, "shop").await;

    // One bad item refuses the whole batch, naming every bad item.
    let batch = json!({"project_id": project, "reports": [
        report("daily_sales", 1), report("Bad Slug", 2), report("churn", 3), report("churn", 4),
    ]});
    let body = problem(owner.post_json(REPORTS, &batch).await, 422).await;
    assert!(body["errors"]["reports[1].slug"].is_array(), "{body}");
    assert!(
        body["errors"]["reports[3].slug"].is_array(),
        "the duplicate: {body}"
    );
    let latest = expect(
        owner
            .get(&format!("{REPORTS}/latest?project={project}"))
            .await,
        200,
    )
    .await;
    assert_eq!(latest, json!([]), "nothing was written");

    // 500 reports in one transaction; 501 refused.
    let many: Vec<Value> = (0..500).map(|i| report(&format!("r{i}"), i)).collect();
    let written = expect(
        owner
            .post_json(REPORTS, &json!({"project_id": project, "reports": many}))
            .await,
        200,
    )
    .await;
    assert_eq!(written.as_array().unwrap().len(), 500);
    assert_eq!(written[499]["slug"], "r499", "answered in the order sent");
    let too_many: Vec<Value> = (0..501).map(|i| report(&format!("r{i}"), i)).collect();
    problem(
        owner
            .post_json(
                REPORTS,
                &json!({"project_id": project, "reports": too_many}),
            )
            .await,
        422,
    )
    .await;

    // Upsert by slug: a second write is revision 2 of the same report.
    let again = json!({"project_id": project, "reports": [report("r7", 70)]});
    let first = expect(owner.post_json(REPORTS, &again).await, 200).await;
    assert_eq!(first[0]["revision"], 2);
    assert_eq!(first[0]["data"], json!({"value": 70}));

    // Idempotency-Key: the replay answers the first response and writes nothing.
    let send = |key: &str, body: &Value| {
        owner
            .client
            .post(owner.url(REPORTS))
            .header("idempotency-key", key.to_owned())
            .json(body)
            .send()
    };
    let once = json!({"project_id": project, "reports": [report("r8", 80)]});
    let a: Value = send("batch-42", &once).await.unwrap().json().await.unwrap();
    let b_res = send("batch-42", &once).await.unwrap();
    assert_eq!(b_res.status(), 200);
    let b: Value = b_res.json().await.unwrap();
    assert_eq!(a, b);
    assert_eq!(a[0]["revision"], 2);
    let listed = expect(
        owner
            .get(&format!("{REPORTS}?project_id={project}&slug=r8"))
            .await,
        200,
    )
    .await;
    assert_eq!(listed[0]["revision"], 2, "the replay wrote nothing");
    let other = json!({"project_id": project, "reports": [report("r9", 90)]});
    problem(send("batch-42", &other).await.unwrap(), 422).await;

    // Another tenant's project is not a place to write reports.
    let stranger = app.sign_up("globex").await;
    problem(
        stranger
            .post_json(
                REPORTS,
                &json!({"project_id": project, "reports": [report("x", 1)]}),
            )
            .await,
        422,
    )
    .await;
    problem(
        stranger
            .get(&format!("{REPORTS}/latest?project={project}"))
            .await,
        404,
    )
    .await;
    let theirs = expect(stranger.get(REPORTS).await, 200).await;
    assert_eq!(theirs, json!([]));
    app.stop().await;
}
