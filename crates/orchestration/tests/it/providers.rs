//! The real adapters against fake Airbyte, HubSpot, Modal and ActivePieces servers that check
//! the wire format (paths, bearer keys, bodies, batch sizes) and answer 429 with Retry-After
//! first.

use actix_web::HttpResponse;
use kernel::webhooks::{sign_standard, WebhookSecret};
use serde_json::json;
use testkit::{Call, FakeProvider, TestApp};

use crate::common::{
    automation_run, create_flow_with, expect, finished, run, send_signed, start_worker,
    AUTOMATION_CALLBACK, AUTOMATION_RUNS,
};

fn too_many() -> HttpResponse {
    HttpResponse::TooManyRequests()
        .insert_header(("Retry-After", "1"))
        .json(json!({"message": "slow down"}))
}

#[sqlx::test(migrations = "../../migrations")]
async fn airbyte_modal_and_hubspot_are_called_as_their_apis_expect(owner: sqlx::PgPool) {
    let airbyte = FakeProvider::start(|call: &Call, n| match (call.method.as_str(), call.path.as_str(), n) {
        ("POST", "/v1/jobs", 0) => too_many(),
        ("POST", "/v1/jobs", _) => HttpResponse::Ok().json(json!({"jobId": 4242, "status": "running", "jobType": "sync"})),
        ("GET", "/v1/jobs/4242", 2) => HttpResponse::Ok().json(json!({"jobId": 4242, "status": "running"})),
        ("GET", "/v1/jobs/4242", _) => HttpResponse::Ok().json(json!({"jobId": 4242, "status": "succeeded", "rowsSynced": 1200, "bytesSynced": 50000})),
        _ => HttpResponse::NotFound().finish(),
    })
    .await;
    let modal =
        FakeProvider::start(|_: &Call, _| HttpResponse::Ok().json(json!({"accepted": true}))).await;
    let hubspot = FakeProvider::start(|call: &Call, n| {
        if call.path != "/crm/v3/objects/contacts/batch/upsert" {
            return HttpResponse::NotFound().finish();
        }
        if n == 1 {
            return too_many();
        }
        HttpResponse::Ok().json(json!({"status": "COMPLETE", "results": []}))
    })
    .await;
    let (a, m, h) = (airbyte.url.clone(), modal.url.clone(), hubspot.url.clone());
    let app = TestApp::spawn_with(owner, move |c| {
        c.airbyte_url = Some(a);
        c.airbyte_token = Some("airbyte-key".to_owned().into());
        c.modal_url = Some(format!("{m}/score"));
        c.modal_token = Some("modal-key".to_owned().into());
        c.hubspot_url = Some(h);
        c.hubspot_token = Some("hubspot-key".to_owned().into());
    })
    .await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    let project = expect(
        acme.post_json("/api/v1/projects", &json!({"name": "Shop", "slug": "shop"}))
            .await,
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let flow = create_flow_with(
        &acme,
        json!({"name": "remote", "project_id": project, "definition": {
            "StartAt": "Ingest",
            "States": {
                "Ingest": {"Type": "Task", "Resource": "airbyte:sync", "Parameters": {"connectionId": "conn-1"},
                           "ResultPath": "$.ingest", "Next": "Build"},
                "Build": {"Type": "Task", "Resource": "sandbox:sql",
                          "Parameters": {"sql": "CREATE TABLE gold.customer_scores AS SELECT 'u' || i || '@x.io' AS email, i % 100 AS score FROM range(250) t(i)"},
                          "ResultPath": null, "Next": "Score"},
                "Score": {"Type": "Task", "Resource": "modal:run.waitForTaskToken",
                          "Parameters": {"model": "churn-v3"}, "ResultPath": "$.score", "Next": "Push"},
                "Push": {"Type": "Task", "Resource": "reverse_etl:hubspot", "ResultPath": "$.push", "End": true}
            }}}),
    )
    .await;
    let id = run(&acme, &flow, json!({})).await;

    // Modal is called with the input, the callback URL and the token; it answers by webhook.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    let asked = loop {
        if let Some(call) = modal.calls().first().cloned() {
            break call;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "Modal was never called"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(
        (asked.method.as_str(), asked.path.as_str()),
        ("POST", "/score")
    );
    assert_eq!(asked.authorization, "Bearer modal-key");
    assert_eq!(asked.body["input"], json!({"model": "churn-v3"}));
    assert!(asked.body["callback"]["url"]
        .as_str()
        .unwrap()
        .ends_with("/api/v1/webhooks/sandbox-callback"));
    let token = asked.body["callback"]["taskToken"].as_str().unwrap();
    let body = serde_json::to_vec(&json!({"task_token": token, "status": "success", "output": {"scored": 250},
                                           "usage": [{"resource": "modal.gpu.a10g", "quantity": "12.5"}]}))
    .unwrap();
    let secret = WebhookSecret::standard(app::config::DEV_CALLBACK_SECRET).unwrap();
    let now = chrono::Utc::now().timestamp();
    let res = app
        .client
        .post(app.url("/api/v1/webhooks/sandbox-callback"))
        .header("content-type", "application/json")
        .header("webhook-id", "modal-1")
        .header("webhook-timestamp", now.to_string())
        .header(
            "webhook-signature",
            sign_standard(&secret, "modal-1", now, &body),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);

    let done = finished(&acme, &id).await;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(done["output"]["ingest"]["rowsSynced"], 1200);
    assert_eq!(done["output"]["score"], json!({"scored": 250}));
    assert_eq!(done["output"]["push"]["upserted"], 250);
    // Usage is priced into the execution's cost: 1,200 Airbyte rows at 0.000015 and the
    // 12.5 GPU-seconds the model reported at 0.000306.
    assert_eq!(done["cost"], "0.0218250000");

    let jobs = airbyte.calls();
    assert_eq!(
        jobs[0].body,
        json!({"connectionId": "conn-1", "jobType": "sync"})
    );
    assert!(jobs.iter().all(|c| c.authorization == "Bearer airbyte-key"));
    assert_eq!(
        jobs.iter().filter(|c| c.method == "POST").count(),
        2,
        "one 429, then one job started"
    );
    let upserts = hubspot.calls();
    assert!(upserts
        .iter()
        .all(|c| c.authorization == "Bearer hubspot-key"));
    let sizes: Vec<usize> = upserts
        .iter()
        .map(|c| c.body["inputs"].as_array().unwrap().len())
        .collect();
    assert_eq!(
        sizes,
        [100, 100, 100, 50],
        "the second batch was refused once (429) and sent again"
    );
    let first = &upserts[0].body["inputs"][0];
    assert_eq!(first["idProperty"], "email");
    assert!(first["properties"]["datafortress_score"].is_string());
    app.stop().await;
    for fake in [airbyte, modal, hubspot] {
        fake.stop().await;
    }
}

#[sqlx::test(migrations = "../../migrations")]
async fn activepieces_is_asked_through_the_webhook_trigger_and_tried_again_after_429_and_5xx(
    owner: sqlx::PgPool,
) {
    let activepieces =
        FakeProvider::start(
            |call: &Call, n| match (call.method.as_str(), call.path.as_str(), n) {
                (_, "/api/v1/webhooks/flowRefused", _) => {
                    HttpResponse::BadRequest().json(json!({"message": "flow is disabled"}))
                }
                ("POST", "/api/v1/webhooks/flowA1b2C3", 0) => too_many(),
                ("POST", "/api/v1/webhooks/flowA1b2C3", 1) => {
                    HttpResponse::ServiceUnavailable().finish()
                }
                ("POST", "/api/v1/webhooks/flowA1b2C3", _) => {
                    HttpResponse::Ok().json(json!({"id": "ap-run-7"}))
                }
                _ => HttpResponse::NotFound().finish(),
            },
        )
        .await;
    let url = activepieces.url.clone();
    let app = TestApp::spawn_with(owner, move |c| {
        c.activepieces_url = Some(url);
        c.activepieces_token = Some("ap-key".to_owned().into());
    })
    .await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);

    let started = expect(
        acme.post_json(
            AUTOMATION_RUNS,
            &json!({"flow": "flowA1b2C3", "correlation_id": "order-77", "input": {"orderId": 77}}),
        )
        .await,
        202,
    )
    .await;
    assert_eq!(started["status"], "queued");
    assert_eq!(started["provider"], "activepieces");
    let id = started["id"].as_str().unwrap().to_owned();

    let running = automation_run(&acme, &id, |r| r["status"] != "queued").await;
    assert_eq!(running["status"], "running", "{running}");
    assert_eq!(running["attempts"], 3, "429, 503, then accepted: {running}");
    assert_eq!(running["provider_run_id"], "ap-run-7");
    assert!(running["error"].is_null() && running["next_attempt_at"].is_null());
    let calls = activepieces.calls();
    assert_eq!(calls.len(), 3);
    for call in &calls {
        assert_eq!(call.method, "POST");
        assert_eq!(call.authorization, "Bearer ap-key");
        assert_eq!(call.idempotency_key, id, "the run's id on every try");
        assert_eq!(call.body["runId"], id.as_str());
        assert_eq!(call.body["correlationId"], "order-77");
        assert_eq!(call.body["input"], json!({"orderId": 77}));
        assert!(call.body["callbackUrl"]
            .as_str()
            .unwrap()
            .ends_with("/api/v1/webhooks/automation-callback"));
    }

    // The flow reports its end, signed; a replay, a forgery and a second end change nothing.
    let done = json!({"run_id": id, "status": "succeeded", "output": {"invoice": "INV-77"}});
    let res = send_signed(&app, AUTOMATION_CALLBACK, "ap-done-1", &done, None).await;
    assert_eq!(res.status(), 202);
    let res = send_signed(&app, AUTOMATION_CALLBACK, "ap-done-1", &done, None).await;
    assert_eq!(testkit::problem(res, 409).await["code"], "webhook_replayed");
    let forged = json!({"run_id": id, "status": "failed", "error": "forged"});
    let other = WebhookSecret::standard("whsec_c29tZSBvdGhlciBzZWNyZXQgb2YgMzIgYnl0ZXMh").unwrap();
    let res = send_signed(
        &app,
        AUTOMATION_CALLBACK,
        "ap-forged",
        &forged,
        Some(&other),
    )
    .await;
    assert_eq!(res.status(), 401);
    let res = send_signed(&app, AUTOMATION_CALLBACK, "ap-done-2", &forged, None).await;
    assert_eq!(
        testkit::problem(res, 409).await["code"],
        "automation_run_finished"
    );
    let unknown = json!({"run_id": uuid::Uuid::now_v7(), "status": "succeeded"});
    let res = send_signed(&app, AUTOMATION_CALLBACK, "ap-unknown", &unknown, None).await;
    assert_eq!(res.status(), 404);
    let run = expect(acme.get(&format!("{AUTOMATION_RUNS}/{id}")).await, 200).await;
    assert_eq!(run["status"], "succeeded");
    assert_eq!(run["output"], json!({"invoice": "INV-77"}));
    assert!(run["finished_at"].is_string());

    // Any other 4xx fails the run at once, with the provider's answer.
    let refused = expect(
        acme.post_json(AUTOMATION_RUNS, &json!({"flow": "flowRefused"}))
            .await,
        202,
    )
    .await;
    let refused_id = refused["id"].as_str().unwrap().to_owned();
    let failed = automation_run(&acme, &refused_id, |r| r["status"] != "queued").await;
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["attempts"], 1);
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .contains("flow is disabled"),
        "{failed}"
    );
    activepieces.stop().await;
    app.stop().await;
}
