//! A real `fortress worker` killed with SIGKILL in the middle of a job: the job completes
//! later on another worker process, nothing is lost, and its effect happens once.
//!
//! The job is a webhook delivery: the receiver holds the first request open, the worker is
//! killed while waiting for the answer, and a second worker picks the job up once the lease
//! runs out. The receiver sees the same `webhook-id` twice, which is how Standard Webhooks
//! receivers make the effect happen once. A flow's task is handed over again with the same
//! Idempotency-Key; an outreach message, which SMTP cannot deduplicate, is never sent twice.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{Receiver, Reply, TestApp};

fn worker(owner: &PgPool) -> Child {
    let options = owner.connect_options();
    let (host, port) = (options.get_host(), options.get_port());
    let name = options.get_database().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fortress"));
    for key in app::config::KEYS {
        cmd.env_remove(key);
    }
    cmd.arg("worker")
        .env(
            "DATABASE_URL",
            format!("postgres://fortress_app@{host}:{port}/{name}"),
        )
        .env("REDIS_URL", testkit::redis_url())
        .env("JOBS_LEASE_SECONDS", "2")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_job_killed_mid_flight_completes_on_another_worker_once(owner: PgPool) {
    let app = TestApp::spawn(owner.clone()).await;
    let acme = app.sign_up("acme").await;
    let receiver = Receiver::start().await;
    receiver.script([Reply::Hold]);
    // Every event type: the endpoint's own creation event is the first delivery.
    let created: Value = acme
        .post_json("/api/v1/webhook-endpoints", &json!({"url": receiver.url}))
        .await
        .json()
        .await
        .unwrap();
    let endpoint = created["id"].as_str().unwrap();

    let mut first = worker(&owner);
    let held = receiver.next().await;
    first.kill().unwrap(); // SIGKILL: no release, no goodbye
    first.wait().unwrap();

    let mut second = worker(&owner);
    let retried = receiver.next().await;
    assert_eq!(held.header("webhook-id"), retried.header("webhook-id"));
    assert_eq!(held.body, retried.body);
    // The receiver dedupes on webhook-id: one effect.
    let effects: HashSet<&str> = [held.header("webhook-id"), retried.header("webhook-id")].into();
    assert_eq!(effects.len(), 1);

    // The delivery's row and the job's outcome are written apart (outcomes are recorded in
    // batches after the handler returns): wait for both.
    let path = format!("/api/v1/webhook-endpoints/{endpoint}/deliveries");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let (deliveries, jobs) = loop {
        let deliveries: Value = acme.get(&path).await.json().await.unwrap();
        let jobs: Value = acme
            .get("/api/v1/jobs?kind=webhooks.deliver")
            .await
            .json()
            .await
            .unwrap();
        if deliveries[0]["state"] == "succeeded" && jobs[0]["state"] == "succeeded" {
            break (deliveries, jobs);
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{deliveries} {jobs}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        deliveries.as_array().unwrap().len(),
        1,
        "nothing lost, nothing doubled"
    );
    // The job itself ran twice: once on the killed worker, once to completion.
    assert_eq!(jobs[0]["attempts"], 2);
    assert!(receiver
        .next_within(Duration::from_millis(500))
        .await
        .is_none());

    // The survivor stops cleanly on SIGTERM.
    let pid = second.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    assert!(second.wait().unwrap().success());
    app.stop().await;
}

/// A flow's Task in flight when its `fortress worker` is SIGKILLed: another worker hands the
/// same attempt to the resource again (same Idempotency-Key: the receiver's effect happens
/// once), and the execution ends once, with one TaskSucceeded in its history.
#[sqlx::test(migrations = "../../migrations")]
async fn a_flow_killed_mid_task_finishes_once_on_another_worker(owner: PgPool) {
    let app = TestApp::spawn(owner.clone()).await;
    let acme = app.sign_up("acme").await;
    let receiver = Receiver::start().await;
    receiver.script([Reply::Hold]);
    let definition = json!({
        "StartAt": "Warm",
        "States": {
            "Warm": {"Type": "Pass", "Result": 1, "ResultPath": "$.warm", "Next": "Call"},
            "Call": {"Type": "Task", "Resource": "http:callback",
                     "Parameters": {"url": receiver.url, "body": {"order.$": "$.order"}},
                     "ResultPath": "$.call", "Next": "After"},
            "After": {"Type": "Pass", "Result": "done", "ResultPath": "$.after", "End": true}
        }
    });
    let flow: Value = acme
        .post_json(
            "/api/v1/orchestration/flows",
            &json!({"name": "crashy", "definition": definition}),
        )
        .await
        .json()
        .await
        .unwrap();
    let started: Value = acme
        .post_json(
            "/api/v1/orchestration/run-flow",
            &json!({"flow_id": flow["id"], "input": {"order": 7}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = started["id"].as_str().unwrap().to_owned();

    let mut first = worker(&owner);
    let held = receiver.next().await;
    first.kill().unwrap(); // mid-task: the resource has the request, no answer recorded
    first.wait().unwrap();

    let mut second = worker(&owner);
    let retried = receiver.next().await;
    assert_eq!(
        held.header("idempotency-key"),
        retried.header("idempotency-key")
    );
    assert_eq!(held.json()["order"], 7);

    let path = format!("/api/v1/orchestration/executions/{id}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let done = loop {
        let execution: Value = acme.get(&path).await.json().await.unwrap();
        if execution["status"] != "RUNNING" {
            break execution;
        }
        assert!(tokio::time::Instant::now() < deadline, "{execution}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(
        done["output"],
        json!({"order": 7, "warm": 1, "call": {"status": 200, "body": "thanks"}, "after": "done"})
    );
    let history: Value = acme
        .get(&format!("{path}/history"))
        .await
        .json()
        .await
        .unwrap();
    let count = |kind: &str| {
        history
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == kind)
            .count()
    };
    assert_eq!(count("TaskSucceeded"), 1, "{history}");
    assert_eq!(count("ExecutionSucceeded"), 1);
    assert_eq!(count("PassStateExited"), 2, "no transition made twice");
    assert!(receiver
        .next_within(Duration::from_millis(500))
        .await
        .is_none());
    second.kill().unwrap();
    second.wait().unwrap();
    app.stop().await;
}

/// An outreach message whose SMTP server has the whole message but has not answered when its
/// `fortress worker` is SIGKILLed: it may have been delivered, so another worker marks it
/// `unknown` and never sends it again (the server sees it once).
#[sqlx::test(migrations = "../../migrations")]
async fn an_outreach_message_killed_mid_send_is_never_sent_twice(owner: PgPool) {
    let app = TestApp::spawn_with(owner.clone(), |c| c.rate_limit_api = "off".into()).await;
    let acme = app.sign_up("acme").await;
    let smtp = testkit::FakeSmtp::start(testkit::Script::HoldAfterMessage).await;
    let (host, port) = smtp.addr.rsplit_once(':').unwrap();
    let lead = testkit::expect(
        acme.post_json("/api/v1/leads", &json!({"email": "ada@client.test"}))
            .await,
        201,
    )
    .await;
    let mailbox = testkit::expect(
        acme.post_json(
            "/api/v1/outreach/mailboxes",
            &json!({"name": "Held", "from_address": "sales@acme.test", "smtp_host": host,
                    "smtp_port": port.parse::<i32>().unwrap(), "smtp_security": "none",
                    "warmup_enabled": false, "min_gap_seconds": 0, "max_gap_seconds": 0}),
        )
        .await,
        201,
    )
    .await;
    let campaign = testkit::expect(
        acme.post_json(
            "/api/v1/outreach/campaigns",
            &json!({"name": "Once", "timezone": "UTC", "window_days": [1, 2, 3, 4, 5, 6, 7],
                    "window_start": "00:00", "window_end": "23:59",
                    "mailbox_ids": [mailbox["id"]],
                    "steps": [{"delay_minutes": 0, "variants": [{"subject": "Hi", "body": "Hi"}]}]}),
        )
        .await,
        201,
    )
    .await;
    let campaign = campaign["id"].as_str().unwrap();
    testkit::expect(
        acme.post_json(
            &format!("/api/v1/outreach/campaigns/{campaign}/activate"),
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    testkit::expect(
        acme.post_json(
            &format!("/api/v1/outreach/campaigns/{campaign}/enrollments"),
            &json!({"lead_ids": [lead["id"]]}),
        )
        .await,
        200,
    )
    .await;

    let mut first = worker(&owner);
    smtp.wait_for(1).await;
    first.kill().unwrap(); // SIGKILL while the server holds its answer
    first.wait().unwrap();
    let log = format!("/api/v1/outreach/messages?campaign_id={campaign}");
    let sending: Value = acme.get(&log).await.json().await.unwrap();
    assert_eq!(sending[0]["state"], "sending", "{sending}");

    let mut second = worker(&owner);
    testkit::eventually(
        "the message settled as unknown",
        Duration::from_secs(30),
        || async {
            let messages: Value = acme.get(&log).await.json().await.unwrap();
            messages[0]["state"] == "unknown"
        },
    )
    .await;
    assert_eq!(smtp.received(), 1, "never handed over a second time");
    second.kill().unwrap();
    second.wait().unwrap();
    app.stop().await;
}
