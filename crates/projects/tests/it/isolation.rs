//! Tenant isolation: another tenant never sees or changes a project, its nodes, objects,
//! scripts, signed links, runs or costs, whatever ids or keys it sends.

use serde_json::json;
use sqlx::PgPool;
use testkit::reqwest::multipart::{Form, Part};
use testkit::TestApp;

use crate::common::{expect, project_with_tree, stored_state, PROJECTS};

#[sqlx::test(migrations = "../../migrations")]
async fn tenant_b_never_sees_or_changes_tenant_a_data(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let a = app.sign_up("acme").await;
    let b = app.sign_up("globex").await;
    let project = project_with_tree(&a, "shop").await;
    let part = Part::bytes(b"id\n1\n".to_vec())
        .file_name("orders.csv")
        .mime_str("text/csv")
        .unwrap();
    let res = a
        .client
        .post(a.url(&format!("{PROJECTS}/{project}/layers/bronze/objects")))
        .multipart(Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let script = expect(
        a.put_json(
            &format!("{PROJECTS}/{project}/scripts/clean"),
            &json!({"layer": "silver", "sql": "SELECT 1"}),
        )
        .await,
        201,
    )
    .await;
    let key = script["key"].as_str().unwrap().to_owned();
    let run = expect(
        a.post_json(
            &format!("{PROJECTS}/{project}/runs"),
            &json!({"name": "nightly"}),
        )
        .await,
        201,
    )
    .await;
    let run_id = run["id"].as_str().unwrap().to_owned();
    expect(
        a.post_json(
            &format!("{PROJECTS}/{project}/usage"),
            &json!({"items": [{"resource": "e2b.cpu", "quantity": "100", "run_id": run_id}]}),
        )
        .await,
        201,
    )
    .await;
    let before = stored_state(&app, &project).await;

    // B's own project, to try A's ids and keys through.
    let theirs = project_with_tree(&b, "shop").await;
    let key_enc: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
    let b_key = key.replace(&a.tenant_id.to_string(), &b.tenant_id.to_string());
    let b_key_enc: String = url::form_urlencoded::byte_serialize(b_key.as_bytes()).collect();
    let reads = [
        format!("{PROJECTS}/{project}"),
        format!("{PROJECTS}/{project}/state"),
        format!("{PROJECTS}/{project}/audit"),
        format!("{PROJECTS}/{project}/nodes/gold_sales"),
        format!("{PROJECTS}/{project}/runs/{run_id}"),
        format!("{PROJECTS}/{theirs}/runs/{run_id}"),
        format!("{PROJECTS}/{project}/costs"),
        format!("{PROJECTS}/{project}/scripts"),
        format!("{PROJECTS}/{project}/scripts/clean/versions"),
        format!("{PROJECTS}/{project}/layers/bronze/objects"),
        format!("{PROJECTS}/{project}/layers/bronze/objects/orders.csv"),
        format!("{PROJECTS}/{project}/layers/bronze/objects/orders.csv/preview"),
        format!("{PROJECTS}/{project}/connectors"),
        format!("/api/v1/layers/scripts?key={key_enc}"),
        format!("/api/v1/layers/scripts?key={b_key_enc}"),
        format!("/api/v1/layers/health/connectors?project={project}"),
        format!("/api/v1/reports/latest?project={project}"),
    ];
    for path in &reads {
        assert_eq!(b.get(path).await.status(), 404, "GET {path}");
    }
    for (path, listed) in [
        (format!("{PROJECTS}/{project}/runs"), 0),
        (format!("{PROJECTS}/{project}/usage"), 0),
        (PROJECTS.to_owned(), 1),
    ] {
        let items = expect(b.get(&path).await, 200).await;
        assert_eq!(items.as_array().unwrap().len(), listed, "GET {path}");
    }
    let writes = [
        b.patch_json(&format!("{PROJECTS}/{project}"), &json!({"name": "mine"}))
            .await,
        b.patch_json(
            &format!("{PROJECTS}/{project}/nodes/gold_sales"),
            &json!({"status": "RED"}),
        )
        .await,
        b.put_json(
            &format!("{PROJECTS}/{project}/tree"),
            &json!({"nodes": [], "edges": []}),
        )
        .await,
        b.post_json(
            &format!("{PROJECTS}/{project}/edges"),
            &json!({"from": "crm", "to": "gold_sales"}),
        )
        .await,
        b.post_json(&format!("{PROJECTS}/{project}/runs"), &json!({"name": "x"}))
            .await,
        b.patch_json(
            &format!("{PROJECTS}/{project}/runs/{run_id}"),
            &json!({"status": "failed"}),
        )
        .await,
        b.post_json(
            &format!("{PROJECTS}/{project}/usage"),
            &json!({"items": [{"resource": "e2b.cpu", "quantity": "1"}]}),
        )
        .await,
        b.put_json(
            &format!("{PROJECTS}/{project}/scripts/clean"),
            &json!({"layer": "silver", "sql": "DROP"}),
        )
        .await,
        b.delete(&format!(
            "{PROJECTS}/{project}/layers/bronze/objects/orders.csv"
        ))
        .await,
        b.delete(&format!("{PROJECTS}/{project}/nodes/gold_sales"))
            .await,
        b.delete(&format!("{PROJECTS}/{project}")).await,
    ];
    for res in writes {
        let url = res.url().to_string();
        assert_eq!(res.status(), 404, "{url}");
    }
    // B's usage cannot be charged to A's run.
    let res = b
        .post_json(
            &format!("{PROJECTS}/{theirs}/usage"),
            &json!({"items": [{"resource": "e2b.cpu", "quantity": "1", "run_id": run_id}]}),
        )
        .await;
    assert_eq!(res.status(), 422);

    assert_eq!(
        stored_state(&app, &project).await,
        before,
        "A's state is untouched"
    );
    let file = a
        .get(&format!(
            "{PROJECTS}/{project}/layers/bronze/objects/orders.csv"
        ))
        .await;
    assert_eq!(file.text().await.unwrap(), "id\n1\n");
    app.stop().await;
}
