//! Executions: transitions and path processing end to end, idempotent starts, waits, Map and
//! Parallel, Retry and Catch timing, task timeouts, task tokens, stop and redrive.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use testkit::{problem, Receiver, Reply, TestApp};

use crate::common::{
    create_flow, execution, expect, finished, history, history_types, run, start_worker,
    EXECUTIONS, RUN,
};

fn branching_flow() -> Value {
    json!({
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass",
                     "Parameters": {"count.$": "$.n", "greeting.$": "States.Format('hi {}', $.who)"},
                     "ResultPath": "$.vars", "Next": "IsBig"},
            "IsBig": {"Type": "Choice",
                      "Choices": [{"Variable": "$.vars.count", "NumericGreaterThan": 10, "Next": "Large"}],
                      "Default": "Small"},
            "Large": {"Type": "Pass", "Result": "large", "ResultPath": "$.size", "Next": "Pause"},
            "Small": {"Type": "Pass", "Result": "small", "ResultPath": "$.size", "Next": "Pause"},
            "Pause": {"Type": "Wait", "Seconds": 0, "Next": "Done"},
            "Done": {"Type": "Succeed"}
        }
    })
}

#[sqlx::test(migrations = "../../migrations")]
async fn pass_choice_and_wait_run_to_the_end_with_paths_applied(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    let flow = create_flow(&acme, "branching", branching_flow()).await;

    let id = run(&acme, &flow, json!({"n": 42, "who": "ana"})).await;
    let done = finished(&acme, &id).await;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(
        done["output"],
        json!({"n": 42, "who": "ana", "vars": {"count": 42, "greeting": "hi ana"}, "size": "large"})
    );
    assert_eq!(
        history_types(&acme, &id).await,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "PassStateEntered",
            "PassStateExited",
            "WaitStateEntered",
            "WaitStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(done["states"]["Large"]["status"], "succeeded");
    assert!(done["states"].get("Small").is_none());

    let small = run(&acme, &flow, json!({"n": 3, "who": "ben"})).await;
    assert_eq!(finished(&acme, &small).await["output"]["size"], "small");

    // A path that matches nothing fails the execution with States.Runtime.
    let broken = run(&acme, &flow, json!({"who": "cara"})).await;
    let failed = finished(&acme, &broken).await;
    assert_eq!(failed["status"], "FAILED");
    assert_eq!(failed["error"], "States.Runtime", "{failed}");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn starting_is_idempotent_by_name(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let flow = create_flow(&acme, "branching", branching_flow()).await;
    let body =
        json!({"flow": "branching", "name": "nightly-2026-12-07", "input": {"n": 1, "who": "a"}});

    let first = expect(acme.post_json(RUN, &body).await, 201).await;
    let again = expect(acme.post_json(RUN, &body).await, 200).await;
    assert_eq!(first["id"], again["id"]);
    let mut other = body.clone();
    other["input"] = json!({"n": 2, "who": "a"});
    let conflict = problem(acme.post_json(RUN, &other).await, 409).await;
    assert_eq!(conflict["code"], "execution_already_exists");
    let list = acme.get(&format!("{EXECUTIONS}?flow_id={flow}")).await;
    assert_eq!(list.headers()["x-total-count"], "1");
    // Bad input is refused and starts nothing.
    let bad = json!({"flow_id": flow, "input": [1, 2]});
    problem(acme.post_json(RUN, &bad).await, 422).await;
    let list = acme.get(EXECUTIONS).await;
    assert_eq!(list.headers()["x-total-count"], "1");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_wait_waits_and_map_and_parallel_gather_their_children(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    let flow = create_flow(
        &acme,
        "fan",
        json!({
            "StartAt": "Hold",
            "States": {
                "Hold": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Each"},
                "Each": {
                    "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
                    "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "INLINE"},
                        "StartAt": "Double",
                        "States": {"Double": {"Type": "Pass", "Parameters": {"i.$": "$.index", "v.$": "$.value"}, "End": true}}
                    },
                    "ResultPath": "$.mapped", "Next": "Both"
                },
                "Both": {
                    "Type": "Parallel",
                    "Branches": [
                        {"StartAt": "L", "States": {"L": {"Type": "Pass", "Result": "left", "End": true}}},
                        {"StartAt": "R", "States": {"R": {"Type": "Pass", "InputPath": "$.items", "End": true}}}
                    ],
                    "ResultPath": "$.both", "End": true
                }
            }
        }),
    )
    .await;

    let started = Instant::now();
    let id = run(
        &acme,
        &flow,
        json!({"wait": 1, "items": ["a", "b", "c", "d", "e"]}),
    )
    .await;
    let done = finished(&acme, &id).await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the Wait did not wait"
    );
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    let letters = ["a", "b", "c", "d", "e"];
    let mapped: Vec<Value> = (0..5).map(|i| json!({"i": i, "v": letters[i]})).collect();
    assert_eq!(done["output"]["mapped"], Value::Array(mapped));
    assert_eq!(
        done["output"]["both"],
        json!(["left", ["a", "b", "c", "d", "e"]])
    );
    assert_eq!(
        done["children"].as_array().unwrap().len(),
        2,
        "the Parallel's branches"
    );
    app.stop().await;
}

/// One Task calling `url`; with a catcher, the state it goes to (`Fallback`).
fn calling_flow(url: &str, retry: Value, catch: Value) -> Value {
    let mut flow = json!({
        "StartAt": "Call",
        "States": {
            "Call": {"Type": "Task", "Resource": "http:callback",
                     "Parameters": {"url": url, "body": {"hello.$": "$.who"}},
                     "TimeoutSeconds": 2,
                     "Retry": retry, "Catch": catch, "ResultPath": "$.call", "End": true}
        }
    });
    if flow["States"]["Call"]["Catch"] != json!([]) {
        flow["States"]["Fallback"] = json!({"Type": "Pass", "End": true});
    }
    flow
}

#[sqlx::test(migrations = "../../migrations")]
async fn retries_back_off_then_succeed_with_one_idempotency_key_per_attempt(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    let receiver = Receiver::start().await;
    receiver.script([Reply::Status(500), Reply::Status(503)]);
    let retry = json!([{"ErrorEquals": ["Http.Retryable"], "IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 3, "JitterStrategy": "NONE"}]);
    let flow = create_flow(&acme, "call", calling_flow(&receiver.url, retry, json!([]))).await;

    let started = Instant::now();
    let id = run(&acme, &flow, json!({"who": "ana"})).await;
    let done = finished(&acme, &id).await;
    let took = started.elapsed();
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    // Back-off: 1 s, then 2 s.
    assert!(took >= Duration::from_secs(3), "retried too soon: {took:?}");
    let mut keys = Vec::new();
    for _ in 0..3 {
        let request = receiver.next().await;
        assert_eq!(request.json()["hello"], "ana");
        keys.push(request.header("idempotency-key").to_owned());
    }
    assert!(
        keys[0].ends_with(":Call:1")
            && keys[1].ends_with(":Call:2")
            && keys[2].ends_with(":Call:3"),
        "{keys:?}"
    );
    let types = history_types(&acme, &id).await;
    assert_eq!(
        types.iter().filter(|t| *t == "StateRetryScheduled").count(),
        2
    );
    assert_eq!(types.iter().filter(|t| *t == "TaskSucceeded").count(), 1);
    assert_eq!(done["output"]["call"]["status"], 200);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_caught_error_goes_to_its_next_state_and_a_timeout_is_states_timeout(
    owner: sqlx::PgPool,
) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    let receiver = Receiver::start().await;
    receiver.script([Reply::Status(400), Reply::Hold]);
    let catch =
        json!([{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Fallback"}]);
    let flow = create_flow(&acme, "call", calling_flow(&receiver.url, json!([]), catch)).await;

    let id = run(&acme, &flow, json!({"who": "ana"})).await;
    let done = finished(&acme, &id).await;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(done["output"]["error"]["Error"], "Http.ClientError");
    assert_eq!(done["states"]["Call"]["status"], "caught");

    let started = Instant::now();
    let id = run(&acme, &flow, json!({"who": "ben"})).await;
    let done = finished(&acme, &id).await;
    assert_eq!(done["output"]["error"]["Error"], "States.Timeout", "{done}");
    assert!(started.elapsed() >= Duration::from_secs(2));
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_task_token_is_settled_by_its_callback_and_a_silent_one_times_out(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let globex = app.sign_up("globex").await;
    let _worker = start_worker(&app);
    let receiver = Receiver::start().await;
    let flow = create_flow(
        &acme,
        "handoff",
        json!({
            "StartAt": "Ask",
            "States": {"Ask": {"Type": "Task", "Resource": "http:callback.waitForTaskToken",
                               "Parameters": {"url": receiver.url, "body": {"question": "score?"}},
                               "HeartbeatSeconds": 1, "TimeoutSeconds": 30, "End": true}}
        }),
    )
    .await;
    let callbacks = "/api/v1/orchestration/task-callbacks";

    let id = run(&acme, &flow, json!({})).await;
    let asked = receiver.next().await.json();
    let token = asked["taskToken"].as_str().unwrap().to_owned();
    assert_eq!(asked["question"], "score?");
    // Another tenant cannot settle it.
    let theirs = json!({"task_token": token, "status": "success", "output": {"score": 1}});
    problem(globex.post_json(callbacks, &theirs).await, 404).await;
    let ours = json!({"task_token": token, "status": "success", "output": {"score": 87}});
    expect(acme.post_json(callbacks, &ours).await, 202).await;
    let done = finished(&acme, &id).await;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(done["output"], json!({"score": 87}));
    // Settled once: a second settlement changes nothing.
    let twice = problem(acme.post_json(callbacks, &ours).await, 409).await;
    assert_eq!(twice["code"], "task_already_settled");

    // No heartbeat within HeartbeatSeconds: States.HeartbeatTimeout.
    let id = run(&acme, &flow, json!({})).await;
    receiver.next().await;
    let done = finished(&acme, &id).await;
    assert_eq!(done["status"], "FAILED");
    assert_eq!(done["error"], "States.HeartbeatTimeout", "{done}");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn stop_aborts_and_redrive_resumes_from_the_failed_state(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let globex = app.sign_up("globex").await;
    let _worker = start_worker(&app);
    let waiting = create_flow(
        &acme,
        "sleepy",
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}),
    )
    .await;
    let id = run(&acme, &waiting, json!({})).await;
    problem(
        globex
            .post_json(&format!("{EXECUTIONS}/{id}/cancel"), &json!({}))
            .await,
        404,
    )
    .await;
    let stopped = expect(
        acme.post_json(
            &format!("{EXECUTIONS}/{id}/cancel"),
            &json!({"cause": "not tonight"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(stopped["status"], "ABORTED");
    assert_eq!(
        history_types(&acme, &id).await.last().unwrap(),
        "ExecutionAborted"
    );
    let again = problem(
        acme.post_json(&format!("{EXECUTIONS}/{id}/cancel"), &json!({}))
            .await,
        409,
    )
    .await;
    assert_eq!(again["code"], "execution_conflict");

    let receiver = Receiver::start().await;
    receiver.script([Reply::Status(500)]);
    let flow = create_flow(
        &acme,
        "call",
        calling_flow(&receiver.url, json!([]), json!([])),
    )
    .await;
    let id = run(&acme, &flow, json!({"who": "ana"})).await;
    let failed = finished(&acme, &id).await;
    assert_eq!(failed["status"], "FAILED");
    assert_eq!(failed["error"], "Http.Retryable");
    expect(
        acme.post_json(&format!("{EXECUTIONS}/{id}/redrive"), &json!({}))
            .await,
        200,
    )
    .await;
    let done = finished(&acme, &id).await;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(done["redrive_count"], 1);
    let keys: Vec<String> = [receiver.next().await, receiver.next().await]
        .iter()
        .map(|r| r.header("idempotency-key").to_owned())
        .collect();
    assert_ne!(keys[0], keys[1], "a redriven attempt is a new attempt");
    let redriven = problem(
        acme.post_json(&format!("{EXECUTIONS}/{id}/redrive"), &json!({}))
            .await,
        409,
    )
    .await;
    assert_eq!(redriven["code"], "execution_conflict");
    let events = history(&acme, &id).await;
    assert!(events.iter().any(|e| e["type"] == "ExecutionRedriven"));
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_execution_past_its_timeout_is_timed_out_and_fail_states_fail(owner: sqlx::PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    let flow = create_flow(
        &acme,
        "slow",
        json!({"StartAt": "W", "TimeoutSeconds": 1, "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}),
    )
    .await;
    let id = run(&acme, &flow, json!({})).await;
    let done = finished(&acme, &id).await;
    assert_eq!(done["status"], "TIMED_OUT", "{done}");
    assert_eq!(done["error"], "States.Timeout");

    let flow = create_flow(
        &acme,
        "refuse",
        json!({"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "Order.Invalid", "Cause": "no items"}}}),
    )
    .await;
    let id = run(&acme, &flow, json!({})).await;
    let done = finished(&acme, &id).await;
    assert_eq!(
        (
            done["status"].as_str(),
            done["error"].as_str(),
            done["cause"].as_str()
        ),
        (Some("FAILED"), Some("Order.Invalid"), Some("no items"))
    );
    let detail = execution(&acme, &id).await;
    assert_eq!(detail["current_state"], "No");
    app.stop().await;
}
