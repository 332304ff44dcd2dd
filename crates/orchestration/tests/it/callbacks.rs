//! The signed sandbox callback: a valid one resumes the waiting task; a forged, late,
//! replayed, unknown-token or already-settled one changes nothing (401/409/404/409).

use kernel::webhooks::{sign_standard, WebhookSecret};
use serde_json::{json, Value};
use testkit::{problem, Receiver, TestApp};

use crate::common::{create_flow, execution, expect, finished, run, start_worker};

const CALLBACK: &str = "/api/v1/webhooks/sandbox-callback";

/// Sends `body` signed as message `id` at `timestamp` with `secret`.
async fn send(
    app: &TestApp,
    secret: &WebhookSecret,
    id: &str,
    timestamp: i64,
    body: &Value,
) -> testkit::reqwest::Response {
    let raw = serde_json::to_vec(body).unwrap();
    app.client
        .post(app.url(CALLBACK))
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp.to_string())
        .header(
            "webhook-signature",
            sign_standard(secret, id, timestamp, &raw),
        )
        .body(raw)
        .send()
        .await
        .unwrap()
}

fn dev_secret() -> WebhookSecret {
    WebhookSecret::standard(app::config::DEV_CALLBACK_SECRET).unwrap()
}

#[sqlx::test(migrations = "../../migrations")]
async fn only_a_valid_fresh_signed_callback_settles_the_task(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    let receiver = Receiver::start().await;
    let flow = create_flow(
        &acme,
        "outside",
        json!({"StartAt": "Model", "States": {"Model": {
            "Type": "Task", "Resource": "http:callback.waitForTaskToken",
            "Parameters": {"url": receiver.url, "body": {}}, "End": true}}}),
    )
    .await;
    let id = run(&acme, &flow, json!({})).await;
    let token = receiver.next().await.json()["taskToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let now = chrono::Utc::now().timestamp();
    let body = json!({"task_token": token, "status": "success", "output": {"auc": 0.91}});

    // Forged: signed with another secret.
    let forged = WebhookSecret::standard("whsec_c29tZW9uZSBlbHNlJ3Mgc2VjcmV0").unwrap();
    let res = send(&app, &forged, "msg_1", now, &body).await;
    assert_eq!(problem(res, 401).await["code"], "invalid_signature");
    // Late: signed ten minutes ago.
    let res = send(&app, &dev_secret(), "msg_2", now - 600, &body).await;
    assert_eq!(problem(res, 401).await["code"], "invalid_signature");
    // A valid signature over a token no task has.
    let unknown = json!({"task_token": "nope", "status": "success"});
    problem(send(&app, &dev_secret(), "msg_3", now, &unknown).await, 404).await;
    assert_eq!(execution(&acme, &id).await["status"], "RUNNING");

    // The real one.
    let res = send(&app, &dev_secret(), "msg_4", now, &body).await;
    assert_eq!(expect(res, 202).await["execution_id"], id.as_str());
    let done = finished(&acme, &id).await;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(done["output"], json!({"auc": 0.91}));

    // Replayed: the same message again; and a new message for the settled token.
    let res = send(&app, &dev_secret(), "msg_4", now, &body).await;
    assert_eq!(problem(res, 409).await["code"], "webhook_replayed");
    let res = send(&app, &dev_secret(), "msg_5", now, &body).await;
    assert_eq!(problem(res, 409).await["code"], "task_already_settled");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_failure_callback_fails_the_task_with_its_error(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    let receiver = Receiver::start().await;
    let flow = create_flow(
        &acme,
        "outside",
        json!({"StartAt": "Model", "States": {"Model": {
            "Type": "Task", "Resource": "http:callback.waitForTaskToken",
            "Parameters": {"url": receiver.url, "body": {}}, "End": true}}}),
    )
    .await;
    let id = run(&acme, &flow, json!({})).await;
    let token = receiver.next().await.json()["taskToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let now = chrono::Utc::now().timestamp();
    // A malformed body with a valid signature is a 422 and settles nothing.
    let res = send(
        &app,
        &dev_secret(),
        "m1",
        now,
        &json!({"task_token": token, "status": "done"}),
    )
    .await;
    problem(res, 422).await;
    let body = json!({"task_token": token, "status": "failure", "error": "Model.Diverged", "cause": "loss is NaN"});
    expect(send(&app, &dev_secret(), "m2", now, &body).await, 202).await;
    let done = finished(&acme, &id).await;
    assert_eq!(
        (done["status"].as_str(), done["error"].as_str()),
        (Some("FAILED"), Some("Model.Diverged"))
    );
    app.stop().await;
}
