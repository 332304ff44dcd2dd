//! Discovery with a real model adapter against a fake OpenAI-compatible server that checks the
//! requests (path, key, model, JSON schema, masked profile, no secrets) and answers with a
//! script: SQL that fails and must be repaired, and malicious SQL that must be refused
//! without ever running or being sent back for repair.

use actix_web::HttpResponse;
use serde_json::{json, Value};
use testkit::{FakeProvider, TestApp};

use crate::common::{finished, proposal, shop, start, start_worker, EMAILS};

const KEY: &str = "sk-discovery-test-4242";

/// The answer to one chat completion request, by the structured output it asks for.
fn answer(body: &Value) -> Value {
    let content = match body["response_format"]["json_schema"]["name"].as_str() {
        Some("proposals") => json!({"proposals": [
            {"layer": "silver", "name": "orders", "description": "Orders, typed.",
             "sql": "CREATE OR REPLACE TABLE silver.orders AS SELECT order_id, amount, no_such_column FROM bronze.orders"},
            {"layer": "gold", "name": "leak", "description": "Customers, exported.",
             "sql": "COPY (SELECT * FROM bronze.customers) TO '/tmp/leak.csv'"},
            {"layer": "gold", "name": "passwd", "description": "Accounts.",
             "sql": "CREATE OR REPLACE TABLE gold.passwd AS SELECT * FROM read_csv('/etc/passwd')"},
            {"layer": "gold", "name": "attached", "description": "Another database.",
             "sql": "ATTACH '/var/lib/postgresql/x.db' AS x; CREATE OR REPLACE TABLE gold.attached AS SELECT 1 AS a"},
        ]}),
        Some("repaired_sql") => json!({
            "sql": "CREATE OR REPLACE TABLE silver.orders AS SELECT DISTINCT order_id, amount FROM bronze.orders"
        }),
        other => panic!("unexpected request for {other:?}: {body}"),
    };
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "test-model",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content.to_string()}}],
        "usage": {"prompt_tokens": 1000, "completion_tokens": 200, "total_tokens": 1200},
    })
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_models_sql_is_repaired_when_it_fails_and_refused_when_it_escapes(owner: sqlx::PgPool) {
    let model = FakeProvider::start(|call, _| HttpResponse::Ok().json(answer(&call.body))).await;
    let app = TestApp::spawn_with(owner, |config| {
        config.llm_base_url = Some(format!("{}/v1", model.url));
        config.llm_model = "test-model".into();
        config.llm_api_key = Some(KEY.into());
    })
    .await;
    let acme = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    let project = shop(&acme, "shop").await;

    let id = start(&acme, &project, json!({"repair_rounds": 2})).await;
    let detail = finished(&acme, &id).await;

    assert_eq!(detail["status"], "ready", "{detail}");
    // The repaired proposal: the first SQL's error went back, the second SQL is valid.
    let orders = proposal(&detail, "silver", "orders");
    assert_eq!(orders["status"], "valid", "{orders}");
    assert_eq!(orders["validation"]["repairs"], 1);
    assert!(
        orders["validation"]["problems"][0]
            .as_str()
            .unwrap()
            .contains("no_such_column"),
        "{orders}"
    );
    assert_eq!(orders["validation"]["rows"], 5);
    // Escapes are refused before they run, and never sent back for repair.
    for name in ["leak", "passwd", "attached"] {
        let refused = proposal(&detail, "gold", name);
        assert_eq!(refused["status"], "rejected", "{refused}");
        assert_eq!(refused["validation"]["repairs"], 0);
        let reason = refused["validation"]["reason"].as_str().unwrap();
        assert!(reason.contains("refused"), "{name}: {reason}");
    }
    assert!(!std::path::Path::new("/tmp/leak.csv").exists());

    // What went to the model: the chat completions format, the key in the header only, the
    // masked profile, no secret of ours.
    let requests = model.calls();
    assert_eq!(requests.len(), 2, "one proposal round and one repair");
    for call in &requests {
        let body = &call.body;
        assert_eq!(call.path, "/v1/chat/completions");
        assert_eq!(call.authorization, format!("Bearer {KEY}"));
        assert_eq!(body["model"], "test-model");
        assert_eq!(body["messages"][0]["role"], "system");
        assert_eq!(body["messages"][1]["role"], "user");
        assert_eq!(body["response_format"]["type"], "json_schema");
        let text = body.to_string();
        assert!(text.contains("<email>"), "the profile goes masked");
        for raw in EMAILS.iter().chain([&KEY, &auth::settings::DEV_SECRET]) {
            assert!(!text.contains(raw), "{raw} was sent to the model");
        }
    }
    assert_eq!(
        requests[0].body["response_format"]["json_schema"]["name"],
        "proposals"
    );
    let repair = requests[1].body["messages"][1]["content"].as_str().unwrap();
    assert!(repair.contains("no_such_column"), "{repair}");

    // The tokens, counted and priced on the project's costs.
    assert_eq!(detail["provider"], "openai-compatible");
    assert_eq!(detail["prompt_tokens"], 2000);
    assert_eq!(detail["completion_tokens"], 400);
    assert!(
        detail["cost"].as_str().unwrap().parse::<f64>().unwrap() > 0.0,
        "{detail}"
    );
    app.stop().await;
    model.stop().await;
}
