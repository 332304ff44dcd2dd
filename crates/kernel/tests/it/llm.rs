//! The LLM provider layer against a fake OpenAI-compatible server that checks the wire format
//! (path, bearer key, model, messages, tools, JSON schema, stream options) and scripts its
//! answers: whole, streamed as server-sent events, 429/5xx before an answer, refusals, silence.
//! And the rule-based provider the features run on offline.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use futures_util::StreamExt;
use kernel::llm::{
    Answer, Chunk, Llm, LlmError, Message, Prompt, RemoteConfig, Request, RuleInput, Tool,
};
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{json, Value};

/// One request the fake server got.
#[derive(Debug, Clone)]
struct Call {
    path: String,
    authorization: String,
    body: Value,
}

type Script = Arc<dyn Fn(&Call, usize) -> HttpResponse + Send + Sync>;

struct FakeServer {
    base_url: String,
    calls: Arc<Mutex<Vec<Call>>>,
    handle: actix_web::dev::ServerHandle,
}

impl FakeServer {
    /// Answers the `n`th request (from 0) with `script(call, n)`; any other path is a 404.
    async fn start(script: impl Fn(&Call, usize) -> HttpResponse + Send + Sync + 'static) -> Self {
        let script: Script = Arc::new(script);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let calls: Arc<Mutex<Vec<Call>>> = Arc::default();
        let recorded = calls.clone();
        let server = HttpServer::new(move || {
            let (calls, script) = (recorded.clone(), script.clone());
            App::new().route(
                "/v1/chat/completions",
                web::post().to(move |req: HttpRequest, body: web::Bytes| {
                    let (calls, script) = (calls.clone(), script.clone());
                    async move {
                        let call = Call {
                            path: req.path().to_owned(),
                            authorization: req
                                .headers()
                                .get("authorization")
                                .map(|v| v.to_str().unwrap().to_owned())
                                .unwrap_or_default(),
                            body: serde_json::from_slice(&body).unwrap(),
                        };
                        let n = {
                            let mut calls = calls.lock().unwrap();
                            calls.push(call.clone());
                            calls.len() - 1
                        };
                        script(&call, n)
                    }
                }),
            )
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(0)
        .listen(listener)
        .unwrap()
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            base_url: format!("http://127.0.0.1:{port}/v1"),
            calls,
            handle,
        }
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    fn llm(&self) -> Llm {
        Llm::remote(self.config()).unwrap()
    }

    fn config(&self) -> RemoteConfig {
        RemoteConfig {
            api_key: Some(SecretString::from("sk-test-key-0123456789")),
            backoff_base: Duration::from_millis(10),
            ..RemoteConfig::new(&self.base_url, "test-model")
        }
    }

    async fn stop(self) {
        self.handle.stop(false).await;
    }
}

fn answer(message: Value, usage: (u64, u64)) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "test-model-0613",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": usage.0, "completion_tokens": usage.1, "total_tokens": usage.0 + usage.1},
    }))
}

/// A `text/event-stream` body of `data:` events, ended by `[DONE]`.
fn events(chunks: &[Value]) -> HttpResponse {
    let mut body = String::new();
    for chunk in chunks {
        body.push_str(&format!("data: {chunk}\n\n"));
    }
    body.push_str("data: [DONE]\n\n");
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .body(body)
}

fn rule(input: &RuleInput<'_>) -> Result<Answer, String> {
    let question = input.vars["question"].as_str().unwrap_or_default();
    if input.schema.is_some() {
        return Ok(Answer::Json(
            json!({"topic": question.split_whitespace().last().unwrap_or("none")}),
        ));
    }
    if question.contains("book") {
        return Ok(Answer::ToolCalls(vec![(
            "book".into(),
            json!({"day": "monday"}),
        )]));
    }
    if question.contains("fly") {
        return Ok(Answer::ToolCalls(vec![("fly".into(), json!({}))]));
    }
    Ok(Answer::Text(format!("You asked about {question}.")))
}

static FRONT_DESK: Prompt = Prompt::new(
    "test.front_desk",
    3,
    "You answer for {{ business }}. Be brief.",
    "The customer asks: {{ question }}",
    rule,
);

fn book_tool() -> Tool {
    Tool {
        name: "book".into(),
        description: "Books a slot".into(),
        parameters: json!({"type": "object", "properties": {"day": {"type": "string"}}, "required": ["day"]}),
    }
}

fn ask(question: &str) -> Request<'static> {
    Request::new(
        &FRONT_DESK,
        json!({"business": "Smile Dental", "question": question}),
    )
}

#[tokio::test]
async fn a_completion_goes_out_in_the_chat_completions_format_and_its_tool_calls_come_back() {
    let server = FakeServer::start(|_, _| {
        answer(
            json!({"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_9", "type": "function", "function": {"name": "book", "arguments": "{\"day\":\"tuesday\"}"}}
            ]}),
            (31, 9),
        )
    })
    .await;
    let history = vec![
        Message::Assistant {
            content: Some("Which day?".into()),
            tool_calls: vec![],
        },
        Message::User {
            content: "Tuesday \"please\"".into(),
        },
    ];
    let request = ask("can I book a cleaning?")
        .turns(history)
        .tools(vec![book_tool()])
        .max_tokens(200);

    let done = server.llm().complete(&request).await.unwrap();

    let calls = server.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].path, "/v1/chat/completions");
    assert_eq!(calls[0].authorization, "Bearer sk-test-key-0123456789");
    let body = &calls[0].body;
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["stream"], false);
    assert_eq!(body["max_tokens"], 200);
    assert_eq!(
        body["messages"],
        json!([
            {"role": "system", "content": "You answer for \"Smile Dental\". Be brief."},
            {"role": "user", "content": "The customer asks: \"can I book a cleaning?\""},
            {"role": "assistant", "content": "Which day?"},
            {"role": "user", "content": "Tuesday \"please\""},
        ])
    );
    assert_eq!(
        body["tools"],
        json!([{"type": "function", "function": {"name": "book", "description": "Books a slot",
            "parameters": {"type": "object", "properties": {"day": {"type": "string"}}, "required": ["day"]}}}])
    );
    assert_eq!(body["tool_choice"], "auto");
    assert!(body.get("response_format").is_none());

    assert_eq!(done.content, None);
    assert_eq!(done.tool_calls.len(), 1);
    assert_eq!(done.tool_calls[0].id, "call_9");
    assert_eq!(done.tool_calls[0].arguments, json!({"day": "tuesday"}));
    assert_eq!(
        (done.usage.prompt_tokens, done.usage.completion_tokens),
        (31, 9)
    );
    assert_eq!(done.model, "test-model-0613");
    assert_eq!(done.prompt, "test.front_desk@3");
    let items = done.usage_items();
    let items: Vec<(String, String)> = items
        .iter()
        .map(|i| (i.resource.clone(), i.quantity.to_string()))
        .collect();
    assert_eq!(
        items,
        [
            ("llm.tokens.in".to_owned(), "31".to_owned()),
            ("llm.tokens.out".to_owned(), "9".to_owned())
        ]
    );
    server.stop().await;
}

#[derive(Debug, Deserialize, PartialEq)]
struct Topic {
    topic: String,
}

#[tokio::test]
async fn structured_output_sends_the_json_schema_and_parses_the_answer() {
    let server = FakeServer::start(|_, _| {
        answer(
            json!({"role": "assistant", "content": "```json\n{\"topic\": \"whitening\"}\n```"}),
            (10, 4),
        )
    })
    .await;
    let schema = json!({"type": "object", "properties": {"topic": {"type": "string"}}, "required": ["topic"]});
    let request = ask("tell me about whitening").schema("topic", schema.clone());

    let (topic, done): (Topic, _) = server.llm().json(&request).await.unwrap();

    assert_eq!(topic.topic, "whitening");
    assert_eq!(done.usage.prompt_tokens, 10);
    assert_eq!(
        server.calls()[0].body["response_format"],
        json!({"type": "json_schema", "json_schema": {"name": "topic", "schema": schema}})
    );
    server.stop().await;
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_at_retry_after() {
    let server = FakeServer::start(|_, n| match n {
        0 => HttpResponse::TooManyRequests()
            .insert_header(("Retry-After", "1"))
            .json(json!({"error": {"message": "slow down", "type": "rate_limit"}})),
        1 => HttpResponse::ServiceUnavailable().finish(),
        _ => answer(json!({"role": "assistant", "content": "Hello."}), (5, 2)),
    })
    .await;
    let started = Instant::now();

    let done = server.llm().complete(&ask("hours?")).await.unwrap();

    assert_eq!(done.content.as_deref(), Some("Hello."));
    assert_eq!(server.calls().len(), 3);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was not waited for"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_or_the_last_attempt_gives_up() {
    let server = FakeServer::start(|_, _| {
        HttpResponse::TooManyRequests()
            .insert_header(("Retry-After", "3600"))
            .finish()
    })
    .await;
    let err = server.llm().complete(&ask("hours?")).await.unwrap_err();
    assert!(
        matches!(err, LlmError::RateLimited(Some(d)) if d == Duration::from_secs(3600)),
        "{err:?}"
    );
    assert_eq!(server.calls().len(), 1, "an hour is not waited for");
    server.stop().await;

    let server = FakeServer::start(|_, _| HttpResponse::BadGateway().finish()).await;
    let err = server.llm().complete(&ask("hours?")).await.unwrap_err();
    assert!(matches!(err, LlmError::Unavailable(_)), "{err:?}");
    assert_eq!(server.calls().len(), 4, "max_attempts");
    server.stop().await;
}

#[tokio::test]
async fn a_refusal_is_not_retried_and_keeps_the_providers_message() {
    let server = FakeServer::start(|_, _| {
        HttpResponse::BadRequest().json(json!({"error": {"message": "Invalid schema for response_format", "type": "invalid_request_error"}}))
    })
    .await;
    let err = server.llm().complete(&ask("hours?")).await.unwrap_err();
    assert!(
        matches!(&err, LlmError::Refused { status: 400, message } if message.contains("Invalid schema")),
        "{err:?}"
    );
    assert_eq!(server.calls().len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let server = FakeServer::start(|_, _| {
        std::thread::sleep(Duration::from_millis(800));
        answer(json!({"role": "assistant", "content": "late"}), (1, 1))
    })
    .await;
    let llm = Llm::remote(RemoteConfig {
        timeout: Duration::from_millis(200),
        max_attempts: 1,
        ..server.config()
    })
    .unwrap();
    let err = llm.complete(&ask("hours?")).await.unwrap_err();
    assert!(matches!(err, LlmError::Timeout(_)), "{err:?}");
    server.stop().await;
}

#[tokio::test]
async fn a_stream_yields_text_as_it_comes_then_the_whole_completion() {
    let server = FakeServer::start(|_, _| {
        events(&[
            json!({"model": "test-model", "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}),
            json!({"choices": [{"index": 0, "delta": {"content": "We open "}}]}),
            json!({"choices": [{"index": 0, "delta": {"content": "at 9."}}]}),
            json!({"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "c1", "type": "function", "function": {"name": "book", "arguments": "{\"day\""}}]}}]}),
            json!({"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": ":\"friday\"}"}}]}, "finish_reason": "tool_calls"}]}),
            json!({"choices": [], "usage": {"prompt_tokens": 20, "completion_tokens": 7}}),
        ])
    })
    .await;

    let mut stream = server
        .llm()
        .stream(&ask("when do you open?").tools(vec![book_tool()]))
        .await
        .unwrap();
    let mut pieces = Vec::new();
    let mut done = None;
    while let Some(chunk) = stream.next().await {
        match chunk.unwrap() {
            Chunk::Text(text) => pieces.push(text),
            Chunk::Done(completion) => done = Some(completion),
        }
    }

    assert_eq!(pieces, ["We open ", "at 9."]);
    let done = done.unwrap();
    assert_eq!(done.content.as_deref(), Some("We open at 9."));
    assert_eq!(done.tool_calls[0].arguments, json!({"day": "friday"}));
    assert_eq!(done.usage.completion_tokens, 7);
    let body = &server.calls()[0].body;
    assert_eq!(body["stream"], true);
    assert_eq!(body["stream_options"], json!({"include_usage": true}));
    server.stop().await;
}

#[tokio::test]
async fn a_secret_in_a_prompt_is_refused_before_anything_is_sent() {
    let server = FakeServer::start(|_, _| answer(json!({"content": "x"}), (1, 1))).await;
    let llm = server
        .llm()
        .never_send([SecretString::from("postgres-password-42")]);

    for question in [
        "my db password is postgres-password-42",
        "the key sk-test-key-0123456789 works?",
    ] {
        let err = llm.complete(&ask(question)).await.unwrap_err();
        assert!(matches!(err, LlmError::SecretInRequest), "{err:?}");
        assert!(llm.stream(&ask(question)).await.is_err());
    }
    let turns = vec![Message::Tool {
        tool_call_id: "c1".into(),
        content: "row: postgres-password-42".into(),
    }];
    assert!(matches!(
        llm.complete(&ask("hours?").turns(turns)).await,
        Err(LlmError::SecretInRequest)
    ));
    assert!(server.calls().is_empty());
    server.stop().await;
}

#[tokio::test]
async fn offline_the_prompts_rule_answers_text_json_and_tool_calls() {
    let llm = Llm::offline();
    assert_eq!(llm.provider(), "rule-based");

    let text = llm.complete(&ask("parking")).await.unwrap();
    assert_eq!(text.content.as_deref(), Some("You asked about parking."));
    assert!(text.usage.prompt_tokens > 0 && text.usage.completion_tokens > 0);
    assert!(
        text.usage_items().is_empty(),
        "offline answers cost nothing"
    );

    let (topic, _): (Topic, _) = llm
        .json(&ask("tell me about implants").schema("topic", json!({"type": "object"})))
        .await
        .unwrap();
    assert_eq!(topic.topic, "implants");

    let call = llm
        .complete(&ask("I want to book").tools(vec![book_tool()]))
        .await
        .unwrap();
    assert_eq!(call.tool_calls[0].name, "book");
    assert_eq!(call.tool_calls[0].id, "call_1");
    assert_eq!(call.finish_reason.as_deref(), Some("tool_calls"));

    let err = llm
        .complete(&ask("can pigs fly").tools(vec![book_tool()]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, LlmError::Rule { message, .. } if message.contains("fly")),
        "{err:?}"
    );

    let pieces: Vec<Chunk> = llm
        .stream(&ask("opening hours"))
        .await
        .unwrap()
        .map(|c| c.unwrap())
        .collect()
        .await;
    assert_eq!(pieces[0], Chunk::Text("You ".into()));
    assert!(
        matches!(pieces.last(), Some(Chunk::Done(c)) if c.content.as_deref() == Some("You asked about opening hours."))
    );
}
