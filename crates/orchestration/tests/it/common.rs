//! Helpers shared by the orchestration tests: a worker running the executor (and the leads
//! subscriber the reverse-ETL default feeds), flows, executions, waiting for an end.
#![allow(dead_code)]

use std::time::Duration;

use kernel::jobs::Registry;
use kernel::webhooks::{sign_standard, WebhookSecret};
use serde_json::{json, Value};
use testkit::reqwest::Response;
use testkit::{Session, TestApp};

pub const FLOWS: &str = "/api/v1/orchestration/flows";
pub const EXECUTIONS: &str = "/api/v1/orchestration/executions";
pub const RUN: &str = "/api/v1/orchestration/run-flow";
pub const AUTOMATION_RUNS: &str = "/api/v1/automation-runs";
pub const AUTOMATION_CALLBACK: &str = "/api/v1/webhooks/automation-callback";

pub use testkit::expect;

/// The orchestration settings the app under test runs with.
pub fn settings(app: &TestApp) -> orchestration::Settings {
    app.config.orchestration_settings().unwrap()
}

/// A job worker in this process running the executor and the leads' subscribers; stops when
/// the returned sender is dropped.
pub fn start_worker(app: &TestApp) -> tokio::sync::oneshot::Sender<()> {
    let mut registry = Registry::default();
    settings(app)
        .executor_over(app.db.clone(), app.cache.clone(), projects::state())
        .unwrap()
        .register(&mut registry);
    leads::scores::register(&mut registry, app.db.clone(), app.cache.clone());
    app.start_worker(registry)
}

/// Creates flow `name` from `definition`, asserting 201; returns its id.
pub async fn create_flow(session: &Session, name: &str, definition: Value) -> String {
    create_flow_with(session, json!({"name": name, "definition": definition})).await
}

pub async fn create_flow_with(session: &Session, body: Value) -> String {
    let flow = expect(session.post_json(FLOWS, &body).await, 201).await;
    flow["id"].as_str().unwrap().to_owned()
}

/// Starts `flow` with `input`, asserting 201; returns the execution's id.
pub async fn run(session: &Session, flow: &str, input: Value) -> String {
    let body = json!({"flow_id": flow, "input": input});
    let execution = expect(session.post_json(RUN, &body).await, 201).await;
    execution["id"].as_str().unwrap().to_owned()
}

pub async fn execution(session: &Session, id: &str) -> Value {
    expect(session.get(&format!("{EXECUTIONS}/{id}")).await, 200).await
}

/// Waits until execution `id` is no longer RUNNING; returns it.
pub async fn finished(session: &Session, id: &str) -> Value {
    finished_within(session, id, Duration::from_secs(60)).await
}

pub async fn finished_within(session: &Session, id: &str, within: Duration) -> Value {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let execution = execution(session, id).await;
        if execution["status"] != "RUNNING" {
            return execution;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "execution {id} still running after {within:?}: {execution}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The types of an execution's history events, in order.
pub async fn history_types(session: &Session, id: &str) -> Vec<String> {
    let history = expect(
        session.get(&format!("{EXECUTIONS}/{id}/history")).await,
        200,
    )
    .await;
    history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect()
}

pub async fn history(session: &Session, id: &str) -> Vec<Value> {
    let history = expect(
        session.get(&format!("{EXECUTIONS}/{id}/history")).await,
        200,
    )
    .await;
    history.as_array().unwrap().clone()
}

/// Counts rows of `table` (as the owner, past row-level security).
pub async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(&app.owner_db)
        .await
        .unwrap()
}

/// Polls automation run `id` until `done(run)`; returns it.
pub async fn automation_run(session: &Session, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let run = expect(session.get(&format!("{AUTOMATION_RUNS}/{id}")).await, 200).await;
        if done(&run) {
            return run;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "automation run {id} did not get there: {run}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// POSTs `body` to `path` signed per Standard Webhooks as message `id`, now, with `secret`
/// (default: the development callback secret the app under test checks).
pub async fn send_signed(
    app: &TestApp,
    path: &str,
    id: &str,
    body: &Value,
    secret: Option<&WebhookSecret>,
) -> Response {
    let dev = WebhookSecret::standard(app::config::DEV_CALLBACK_SECRET).unwrap();
    let secret = secret.unwrap_or(&dev);
    let raw = serde_json::to_vec(body).unwrap();
    let now = chrono::Utc::now().timestamp();
    app.client
        .post(app.url(path))
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", now.to_string())
        .header("webhook-signature", sign_standard(secret, id, now, &raw))
        .body(raw)
        .send()
        .await
        .unwrap()
}
