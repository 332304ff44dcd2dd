//! `http:callback`: POSTs JSON to a URL the flow names (the seed's last step: tell the client's
//! system the pipeline ran).
//!
//! Parameters: `url` (https, public hosts only outside dev), optional `body` (default: the
//! whole effective input), optional `headers` (string values). Every attempt carries
//! `Idempotency-Key: <execution>:<state>:<attempt>` so the receiver can drop a repeat, and, for
//! a `.waitForTaskToken` task, the token as `taskToken` in the body (the receiver answers
//! later through the sandbox callback webhook). 2xx succeeds with the status and the JSON body;
//! 408, 425, 429 and 5xx are `Http.Retryable` (with `Retry-After` in the cause); other statuses
//! `Http.ClientError`; network failures `Http.Unreachable`.

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use super::{text, TaskCall, TaskEnv, TaskOutcome, TaskResource, TaskResult};
use crate::asl::StatesError;

pub struct HttpCallback;

#[async_trait]
impl TaskResource for HttpCallback {
    async fn invoke(&self, env: &TaskEnv, call: &TaskCall) -> Result<TaskOutcome, StatesError> {
        let url = text(&call.input, "url").ok_or_else(|| {
            StatesError::task_failed("http:callback needs a string parameter \"url\"")
        })?;
        let url = kernel::outbound::check_url(url, env.policy)
            .map_err(|why| StatesError::new("Http.InvalidUrl", format!("url {why}")))?;
        let mut body = call
            .input
            .get("body")
            .cloned()
            .unwrap_or_else(|| call.input.clone());
        if let (Some(token), Value::Object(fields)) = (&call.token, &mut body) {
            fields.insert("taskToken".into(), Value::String(token.clone()));
        }
        let mut request = env
            .guarded_http
            .post(url)
            .header("Idempotency-Key", &call.key)
            .json(&body);
        if let Some(Value::Object(headers)) = call.input.get("headers") {
            for (name, value) in headers {
                if let Some(value) = value.as_str() {
                    request = request.header(name.as_str(), value);
                }
            }
        }
        let response = request
            .send()
            .await
            .map_err(|e| StatesError::new("Http.Unreachable", e.to_string()))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = response.text().await.unwrap_or_default();
        let parsed: Value = serde_json::from_str(&text).unwrap_or(Value::String(truncate(&text)));
        if status.is_success() {
            // With a task token the receiver answers later, through the callback webhook.
            if call.token.is_some() {
                return Ok(TaskOutcome::Waiting);
            }
            return Ok(TaskOutcome::Done(TaskResult {
                output: json!({"status": status.as_u16(), "body": parsed}),
                ..TaskResult::default()
            }));
        }
        let mut cause = Map::new();
        cause.insert("status".into(), status.as_u16().into());
        cause.insert("body".into(), parsed);
        if let Some(after) = retry_after {
            cause.insert("retryAfter".into(), after.into());
        }
        let cause = Value::Object(cause).to_string();
        let retryable = matches!(status.as_u16(), 408 | 425 | 429) || status.is_server_error();
        Err(StatesError::new(
            if retryable {
                "Http.Retryable"
            } else {
                "Http.ClientError"
            },
            cause,
        ))
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(2_000).collect()
}
