//! Automation runs with the offline default: the tenant's own flow of that name runs them, and
//! an `activepieces:run.waitForTaskToken` Task waits for one.

use serde_json::json;
use testkit::{problem, TestApp};

use crate::common::{
    automation_run, count, create_flow, expect, finished, run, start_worker, AUTOMATION_RUNS,
};

fn welcome() -> serde_json::Value {
    json!({"StartAt": "Greet", "States": {
        "Greet": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('Hello {}', $.name)"}, "End": true}
    }})
}

#[sqlx::test(migrations = "../../migrations")]
async fn offline_an_automation_run_is_the_tenants_flow_of_that_name(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    create_flow(&acme, "welcome", welcome()).await;
    create_flow(
        &acme,
        "grumpy",
        json!({"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "Grumpy.No", "Cause": "not today"}}}),
    )
    .await;

    let body = json!({"flow": "welcome", "correlation_id": "signup-1", "input": {"name": "Ada"}});
    let started = expect(acme.post_json(AUTOMATION_RUNS, &body).await, 202).await;
    assert_eq!(started["provider"], "local");
    let id = started["id"].as_str().unwrap().to_owned();
    let done = automation_run(&acme, &id, |r| r["finished_at"].is_string()).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["output"], json!({"greeting": "Hello Ada"}));
    assert_eq!(done["attempts"], 1);
    assert_eq!(done["provider_run_id"], done["execution_id"]);
    let execution = finished(&acme, done["execution_id"].as_str().unwrap()).await;
    assert_eq!(execution["name"], format!("automation-{id}"));

    // The same correlation id again: the same run; with another input: 409, nothing added.
    let again = expect(acme.post_json(AUTOMATION_RUNS, &body).await, 200).await;
    assert_eq!(again["id"], id.as_str());
    let other = json!({"flow": "welcome", "correlation_id": "signup-1", "input": {"name": "Bo"}});
    let res = acme.post_json(AUTOMATION_RUNS, &other).await;
    assert_eq!(problem(res, 409).await["code"], "automation_run_exists");
    for bad in [
        json!({"flow": "welcome", "input": [1]}),
        json!({"flow": ""}),
        json!({"flow": "we\u{7}lcome"}),
        json!({"flow": "welcome", "surprise": true}),
        json!({"correlation_id": "x"}),
    ] {
        let res = acme.post_json(AUTOMATION_RUNS, &bad).await;
        let status = res.status().as_u16();
        assert!((400..500).contains(&status), "{bad}: {status}");
    }
    assert_eq!(count(&app, "automation_runs").await, 1);

    // A flow that fails, and one that does not exist: the run fails and says why.
    let grumpy = expect(
        acme.post_json(AUTOMATION_RUNS, &json!({"flow": "grumpy"}))
            .await,
        202,
    )
    .await;
    let missing = expect(
        acme.post_json(AUTOMATION_RUNS, &json!({"flow": "nope"}))
            .await,
        202,
    )
    .await;
    let grumpy = automation_run(&acme, grumpy["id"].as_str().unwrap(), |r| {
        r["finished_at"].is_string()
    })
    .await;
    assert_eq!(grumpy["status"], "failed");
    assert_eq!(grumpy["error"], "Grumpy.No: not today");
    let missing = automation_run(&acme, missing["id"].as_str().unwrap(), |r| {
        r["finished_at"].is_string()
    })
    .await;
    assert_eq!(missing["status"], "failed");
    assert!(
        missing["error"]
            .as_str()
            .unwrap()
            .contains("no flow named \"nope\""),
        "{missing}"
    );

    // The list (Refine's protocol) and another tenant's view.
    let res = acme.get(&format!("{AUTOMATION_RUNS}?status=failed")).await;
    assert_eq!(res.headers()["x-total-count"], "2");
    let globex = app.sign_up("globex").await;
    let res = globex.get(&format!("{AUTOMATION_RUNS}/{id}")).await;
    assert_eq!(problem(res, 404).await["code"], "not_found");
    let res = globex.get(AUTOMATION_RUNS).await;
    assert_eq!(res.headers()["x-total-count"], "0");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_task_waits_for_the_automation_it_runs(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    create_flow(&acme, "welcome", welcome()).await;
    let parent = create_flow(
        &acme,
        "onboarding",
        json!({"StartAt": "Welcome", "States": {
            "Welcome": {"Type": "Task", "Resource": "activepieces:run.waitForTaskToken",
                        "Parameters": {"flow": "welcome", "input": {"name.$": "$.who"}},
                        "ResultPath": "$.welcome", "Next": "Later"},
            "Later": {"Type": "Task", "Resource": "activepieces:run",
                      "Parameters": {"flow": "welcome", "input": {"name": "later"}},
                      "ResultPath": "$.later", "End": true}
        }}),
    )
    .await;
    let id = run(&acme, &parent, json!({"who": "Bo"})).await;
    let done = finished(&acme, &id).await;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    let welcome = &done["output"]["welcome"];
    assert_eq!(welcome["output"], json!({"greeting": "Hello Bo"}), "{done}");
    let waited = expect(
        acme.get(&format!(
            "{AUTOMATION_RUNS}/{}",
            welcome["automationRunId"].as_str().unwrap()
        ))
        .await,
        200,
    )
    .await;
    assert_eq!(waited["status"], "succeeded");
    // The fire-and-forget Task went on once its run was recorded; the run ends on its own.
    let later = done["output"]["later"]["automationRunId"]
        .as_str()
        .unwrap()
        .to_owned();
    let later = automation_run(&acme, &later, |r| r["finished_at"].is_string()).await;
    assert_eq!(later["output"], json!({"greeting": "Hello later"}));
    app.stop().await;
}
