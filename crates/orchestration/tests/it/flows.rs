//! Flows: definitions validated on save (every error named by state and field), versions,
//! names unique per tenant, one tenant never sees another's.

use serde_json::json;
use testkit::{problem, TestApp};

use crate::common::{create_flow, expect, FLOWS};

fn pass_flow() -> serde_json::Value {
    json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"ok": true}, "End": true}}})
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_valid_definition_is_saved_and_versions_count_up(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;

    let id = create_flow(&acme, "nightly", pass_flow()).await;
    let flow = expect(acme.get(&format!("{FLOWS}/{id}")).await, 200).await;
    assert_eq!(flow["current_version"], 1);
    assert_eq!(flow["definition"], pass_flow());

    let second = json!({"StartAt": "B", "States": {"B": {"Type": "Succeed"}}});
    let saved = expect(
        acme.put_json(
            &format!("{FLOWS}/{id}/definition"),
            &json!({"definition": second}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(saved["current_version"], 2);
    let versions = expect(acme.get(&format!("{FLOWS}/{id}/versions")).await, 200).await;
    let numbers: Vec<_> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].clone())
        .collect();
    assert_eq!(numbers, vec![json!(2), json!(1)]);

    let list = acme.get(FLOWS).await;
    assert_eq!(list.headers()["x-total-count"], "1");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_invalid_definition_is_refused_naming_each_state_and_field(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let definition = json!({
        "StartAt": "Load",
        "States": {
            "Load": {"Type": "Task", "Resource": "sandbox:sql", "Next": "Nowhere",
                     "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 0.5}]},
            "Pick": {"Type": "Choice", "Choices": [], "Default": "Load"},
            "Call": {"Type": "Task", "Resource": "lambda:invoke", "End": true}
        }
    });
    let res = acme
        .post_json(FLOWS, &json!({"name": "broken", "definition": definition}))
        .await;
    let body = problem(res, 422).await;
    let errors = body["errors"].as_object().unwrap();
    assert!(errors.contains_key("definition/States/Load/Next"), "{body}");
    assert!(
        errors.contains_key("definition/States/Load/Retry/0/BackoffRate"),
        "{body}"
    );
    assert!(
        errors.contains_key("definition/States/Call/Resource"),
        "{body}"
    );
    let states: Vec<_> = body["definition_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["state"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(
        states.contains(&"Load".to_owned()) && states.contains(&"Call".to_owned()),
        "{body}"
    );
    // Nothing was saved.
    let list = acme.get(FLOWS).await;
    assert_eq!(list.headers()["x-total-count"], "0");

    // The same checks without saving.
    let checked = expect(
        acme.post_json(
            &format!("{FLOWS}/validate"),
            &json!({"definition": definition}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(checked["valid"], false);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn names_are_unique_per_tenant_and_flows_are_the_tenants_own(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let globex = app.sign_up("globex").await;
    let id = create_flow(&acme, "nightly", pass_flow()).await;

    let again = acme
        .post_json(
            FLOWS,
            &json!({"name": "nightly", "definition": pass_flow()}),
        )
        .await;
    assert_eq!(problem(again, 409).await["code"], "flow_name_taken");
    // Another tenant may use the name, and cannot see or change acme's flow.
    create_flow(&globex, "nightly", pass_flow()).await;
    problem(globex.get(&format!("{FLOWS}/{id}")).await, 404).await;
    problem(
        globex
            .put_json(
                &format!("{FLOWS}/{id}/definition"),
                &json!({"definition": pass_flow()}),
            )
            .await,
        404,
    )
    .await;
    problem(globex.delete(&format!("{FLOWS}/{id}")).await, 404).await;
    let run = globex
        .post_json("/api/v1/orchestration/run-flow", &json!({"flow_id": id}))
        .await;
    problem(run, 404).await;
    // A project of another tenant cannot be named.
    let project: serde_json::Value = expect(
        globex
            .post_json("/api/v1/projects", &json!({"name": "G", "slug": "g"}))
            .await,
        201,
    )
    .await;
    let res = acme
        .post_json(
            FLOWS,
            &json!({"name": "theirs", "definition": pass_flow(), "project_id": project["id"]}),
        )
        .await;
    assert!(problem(res, 422).await["errors"]["project_id"].is_array());
    assert_eq!(
        expect(acme.get(&format!("{FLOWS}/{id}")).await, 200).await["current_version"],
        1
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_pipeline_template_is_offered_and_valid(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let templates = expect(acme.get("/api/v1/orchestration/templates").await, 200).await;
    let template = &templates[0]["definition"];
    let checked = expect(
        acme.post_json(
            &format!("{FLOWS}/validate"),
            &json!({"definition": template}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(checked["valid"], true, "{checked}");
    for state in ["Ingest", "Transform", "Score", "ReverseEtl", "Callback"] {
        assert!(template["States"][state].is_object(), "no {state}");
    }
    app.stop().await;
}
