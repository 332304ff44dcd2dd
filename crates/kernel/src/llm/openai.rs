//! OpenAI-compatible Chat Completions (`POST {base}/chat/completions`): the request body, the
//! answer whole or streamed as server-sent events, and retries on 429/5xx.

use std::collections::BTreeMap;
use std::time::Duration;

use eventsource_stream::Eventsource;
use futures_util::stream::{self, BoxStream, StreamExt};
use rand::Rng;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Chunk, Completion, LlmError, Message, RemoteConfig, Request, ToolCall, Usage};

pub(super) const PROVIDER: &str = "openai-compatible";

pub(super) struct Client {
    http: reqwest::Client,
    url: String,
    config: RemoteConfig,
}

impl Client {
    pub(super) fn new(config: RemoteConfig) -> Result<Self, String> {
        let base = url::Url::parse(&config.base_url)
            .map_err(|e| format!("LLM_BASE_URL is not a URL: {e}"))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err("LLM_BASE_URL must be an http(s) URL".into());
        }
        if config.model.trim().is_empty() {
            return Err("LLM_MODEL must name a model".into());
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| format!("LLM client: {e}"))?;
        Ok(Self {
            http,
            url: format!("{}/chat/completions", config.base_url.trim_end_matches('/')),
            config,
        })
    }

    pub(super) fn model(&self) -> &str {
        &self.config.model
    }

    pub(super) async fn complete(
        &self,
        request: &Request<'_>,
        messages: &[Message],
    ) -> Result<Completion, LlmError> {
        let body = self.body(request, messages, false);
        let timeout = self.config.timeout;
        let response = self.send(&body, Some(timeout)).await?;
        let answer: Answer = response.json().await.map_err(|e| {
            if e.is_timeout() {
                LlmError::Timeout(timeout)
            } else {
                LlmError::BadAnswer(format!("not a chat completion: {e}"))
            }
        })?;
        let choice = answer
            .choices
            .into_iter()
            .next()
            .ok_or_else(|| LlmError::BadAnswer("no choices".into()))?;
        let tool_calls = choice
            .message
            .tool_calls
            .into_iter()
            .map(|c| parse_call(c.id, c.function.name, &c.function.arguments))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Completion {
            content: choice.message.content,
            tool_calls,
            usage: answer.usage.map(Usage::from).unwrap_or_default(),
            provider: PROVIDER.into(),
            model: answer.model.unwrap_or_else(|| self.config.model.clone()),
            prompt: request.prompt.label(),
            finish_reason: choice.finish_reason,
        })
    }

    pub(super) async fn stream(
        &self,
        request: &Request<'_>,
        messages: &[Message],
    ) -> Result<BoxStream<'static, Result<Chunk, LlmError>>, LlmError> {
        let body = self.body(request, messages, true);
        let idle = self.config.timeout;
        let response = tokio::time::timeout(idle, self.send(&body, None))
            .await
            .map_err(|_| LlmError::Timeout(idle))??;
        let state = Streaming {
            events: response.bytes_stream().eventsource().boxed(),
            pieces: Pieces {
                model: self.config.model.clone(),
                prompt: request.prompt.label(),
                ..Pieces::default()
            },
            idle,
            done: false,
        };
        Ok(stream::unfold(state, Streaming::next).boxed())
    }

    fn body(&self, request: &Request<'_>, messages: &[Message], stream: bool) -> Value {
        let mut body = json!({
            "model": self.config.model,
            "messages": messages.iter().map(wire_message).collect::<Vec<_>>(),
            "stream": stream,
        });
        if stream {
            body["stream_options"] = json!({"include_usage": true});
        }
        if !request.tools.is_empty() {
            body["tools"] = request
                .tools
                .iter()
                .map(|t| {
                    json!({"type": "function", "function": {
                        "name": t.name, "description": t.description, "parameters": t.parameters,
                    }})
                })
                .collect();
            body["tool_choice"] = json!("auto");
        }
        if let Some(schema) = &request.schema {
            body["response_format"] = json!({"type": "json_schema", "json_schema": {
                "name": schema.name, "schema": schema.schema,
            }});
        }
        if let Some(max) = request.max_tokens {
            body["max_tokens"] = json!(max);
        }
        if let Some(temperature) = request.temperature {
            body["temperature"] = json!(temperature);
        }
        body
    }

    /// Posts `body`, retrying 429, 5xx and connection failures (see [`RemoteConfig`]).
    async fn send(
        &self,
        body: &Value,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Response, LlmError> {
        let max_attempts = self.config.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            let mut call = self.http.post(&self.url).json(body);
            if let Some(key) = &self.config.api_key {
                call = call.bearer_auth(key.expose_secret());
            }
            if let Some(timeout) = timeout {
                call = call.timeout(timeout);
            }
            let (failure, after) = match call.send().await {
                Ok(res) if res.status().is_success() => return Ok(res),
                Ok(res) if retryable(res.status()) => {
                    let after = retry_after(res.headers());
                    let failure = if res.status() == StatusCode::TOO_MANY_REQUESTS {
                        LlmError::RateLimited(after)
                    } else {
                        LlmError::Unavailable(format!("HTTP {}", res.status().as_u16()))
                    };
                    (failure, after)
                }
                Ok(res) => {
                    let status = res.status().as_u16();
                    let message = res
                        .json::<ErrorBody>()
                        .await
                        .map(|b| b.error.message)
                        .unwrap_or_else(|_| "no error message".into());
                    return Err(LlmError::Refused { status, message });
                }
                Err(e) if e.is_timeout() => (
                    LlmError::Timeout(timeout.unwrap_or(self.config.timeout)),
                    None,
                ),
                Err(e) => (LlmError::Unavailable(without_url(&e)), None),
            };
            if attempt >= max_attempts {
                return Err(failure);
            }
            let wait = after.unwrap_or_else(|| self.backoff(attempt));
            if wait > self.config.max_retry_wait {
                return Err(failure);
            }
            tracing::warn!(attempt, wait_ms = wait.as_millis() as u64, error = %failure, "LLM call failed; retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// The base delay doubled per attempt, with up to half of it taken off at random.
    fn backoff(&self, attempt: u32) -> Duration {
        let full = self
            .config
            .backoff_base
            .saturating_mul(2u32.saturating_pow(attempt - 1));
        full.mul_f64(rand::thread_rng().gen_range(0.5..=1.0))
    }
}

fn retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// A reqwest error's text names the URL; ours carries no secret, but keep logs about the cause.
fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(url.as_str(), "the LLM server");
    }
    text
}

fn wire_message(message: &Message) -> Value {
    match message {
        Message::System { content } => json!({"role": "system", "content": content}),
        Message::User { content } => json!({"role": "user", "content": content}),
        Message::Assistant {
            content,
            tool_calls,
        } => {
            let mut wire = json!({"role": "assistant", "content": content});
            if !tool_calls.is_empty() {
                wire["tool_calls"] = tool_calls
                    .iter()
                    .map(|c| {
                        json!({"id": c.id, "type": "function", "function": {
                            "name": c.name, "arguments": c.arguments.to_string(),
                        }})
                    })
                    .collect();
            }
            wire
        }
        Message::Tool {
            tool_call_id,
            content,
        } => json!({"role": "tool", "tool_call_id": tool_call_id, "content": content}),
    }
}

fn parse_call(id: String, name: String, arguments: &str) -> Result<ToolCall, LlmError> {
    let arguments = if arguments.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(arguments).map_err(|e| {
            LlmError::BadAnswer(format!(
                "the arguments of a call to {name} are not JSON: {e}"
            ))
        })?
    };
    Ok(ToolCall {
        id,
        name,
        arguments,
    })
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorMessage,
}

#[derive(Deserialize)]
struct ErrorMessage {
    message: String,
}

#[derive(Deserialize)]
struct Answer {
    model: Option<String>,
    choices: Vec<Choice>,
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
struct Choice {
    message: AnswerMessage,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct AnswerMessage {
    content: Option<String>,
    #[serde(default)]
    tool_calls: Vec<WireCall>,
}

#[derive(Deserialize)]
struct WireCall {
    id: String,
    function: WireFunction,
}

#[derive(Deserialize)]
struct WireFunction {
    name: String,
    #[serde(default)]
    arguments: String,
}

#[derive(Deserialize)]
struct WireUsage {
    #[serde(default)]
    prompt_tokens: u64,
    #[serde(default)]
    completion_tokens: u64,
}

impl From<WireUsage> for Usage {
    fn from(u: WireUsage) -> Self {
        Usage {
            prompt_tokens: u.prompt_tokens,
            completion_tokens: u.completion_tokens,
        }
    }
}

/// One `data:` of a stream.
#[derive(Deserialize)]
struct StreamChunk {
    model: Option<String>,
    #[serde(default)]
    choices: Vec<StreamChoice>,
    usage: Option<WireUsage>,
    error: Option<ErrorMessage>,
}

#[derive(Deserialize)]
struct StreamChoice {
    #[serde(default)]
    delta: Delta,
    finish_reason: Option<String>,
}

#[derive(Deserialize, Default)]
struct Delta {
    content: Option<String>,
    #[serde(default)]
    tool_calls: Vec<DeltaCall>,
}

/// A piece of a tool call: the first names it, the next ones add to its arguments.
#[derive(Deserialize)]
struct DeltaCall {
    index: usize,
    id: Option<String>,
    function: Option<DeltaFunction>,
}

#[derive(Deserialize)]
struct DeltaFunction {
    name: Option<String>,
    arguments: Option<String>,
}

/// What a stream has said so far.
#[derive(Default)]
struct Pieces {
    content: String,
    saw_content: bool,
    calls: BTreeMap<usize, (String, String, String)>,
    usage: Usage,
    model: String,
    prompt: String,
    finish_reason: Option<String>,
}

impl Pieces {
    /// Takes one chunk in; returns its text, if any.
    fn add(&mut self, chunk: StreamChunk) -> Result<Option<String>, LlmError> {
        if let Some(error) = chunk.error {
            return Err(LlmError::Unavailable(error.message));
        }
        if let Some(model) = chunk.model {
            self.model = model;
        }
        if let Some(usage) = chunk.usage {
            self.usage = usage.into();
        }
        let mut text = String::new();
        for choice in chunk.choices {
            if let Some(reason) = choice.finish_reason {
                self.finish_reason = Some(reason);
            }
            if let Some(piece) = choice.delta.content {
                self.saw_content = true;
                text.push_str(&piece);
            }
            for call in choice.delta.tool_calls {
                let entry = self.calls.entry(call.index).or_default();
                if let Some(id) = call.id {
                    entry.0 = id;
                }
                if let Some(function) = call.function {
                    if let Some(name) = function.name {
                        entry.1.push_str(&name);
                    }
                    if let Some(arguments) = function.arguments {
                        entry.2.push_str(&arguments);
                    }
                }
            }
        }
        self.content.push_str(&text);
        Ok((!text.is_empty()).then_some(text))
    }

    fn finish(&mut self) -> Result<Completion, LlmError> {
        let tool_calls = std::mem::take(&mut self.calls)
            .into_values()
            .map(|(id, name, arguments)| parse_call(id, name, &arguments))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Completion {
            content: self.saw_content.then(|| std::mem::take(&mut self.content)),
            tool_calls,
            usage: self.usage,
            provider: PROVIDER.into(),
            model: std::mem::take(&mut self.model),
            prompt: std::mem::take(&mut self.prompt),
            finish_reason: self.finish_reason.take(),
        })
    }
}

type Events = BoxStream<
    'static,
    Result<eventsource_stream::Event, eventsource_stream::EventStreamError<reqwest::Error>>,
>;

struct Streaming {
    events: Events,
    pieces: Pieces,
    idle: Duration,
    done: bool,
}

impl Streaming {
    async fn next(mut self) -> Option<(Result<Chunk, LlmError>, Self)> {
        if self.done {
            return None;
        }
        let idle = self.idle;
        loop {
            let event = match tokio::time::timeout(idle, self.events.next()).await {
                Err(_) => return self.fail(LlmError::Timeout(idle)),
                // A server that closes without `[DONE]` (some do) has still said everything.
                Ok(None) => return self.finish(),
                Ok(Some(Err(e))) => return self.fail(LlmError::Unavailable(e.to_string())),
                Ok(Some(Ok(event))) => event,
            };
            let data = event.data.trim();
            if data == "[DONE]" {
                return self.finish();
            }
            if data.is_empty() {
                continue;
            }
            let chunk = match serde_json::from_str::<StreamChunk>(data) {
                Ok(chunk) => chunk,
                Err(e) => return self.fail(LlmError::BadAnswer(format!("a stream chunk: {e}"))),
            };
            match self.pieces.add(chunk) {
                Ok(Some(text)) => return Some((Ok(Chunk::Text(text)), self)),
                Ok(None) => continue,
                Err(e) => return self.fail(e),
            }
        }
    }

    fn finish(mut self) -> Option<(Result<Chunk, LlmError>, Self)> {
        self.done = true;
        let done = self.pieces.finish().map(Chunk::Done);
        Some((done, self))
    }

    fn fail(mut self, error: LlmError) -> Option<(Result<Chunk, LlmError>, Self)> {
        self.done = true;
        Some((Err(error), self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = std::time::SystemTime::now() + Duration::from_secs(120);
        headers.insert(RETRY_AFTER, httpdate::fmt_http_date(later).parse().unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(110) && wait <= Duration::from_secs(120));
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn streamed_tool_calls_are_put_together_by_index() {
        let mut pieces = Pieces::default();
        for data in [
            r#"{"model":"m","choices":[{"delta":{"role":"assistant","content":"Let me "}}]}"#,
            r#"{"choices":[{"delta":{"content":"check."}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"find_slots","arguments":""}}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"index":1,"id":"c2","function":{"name":"cancel","arguments":"{}"}}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"day\":"}}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"mon\"}"}}]},"finish_reason":"tool_calls"}]}"#,
            r#"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":5}}"#,
        ] {
            pieces.add(serde_json::from_str(data).unwrap()).unwrap();
        }
        let done = pieces.finish().unwrap();
        assert_eq!(done.content.as_deref(), Some("Let me check."));
        assert_eq!(done.tool_calls.len(), 2);
        assert_eq!(done.tool_calls[0].name, "find_slots");
        assert_eq!(done.tool_calls[0].arguments, json!({"day": "mon"}));
        assert_eq!(done.tool_calls[1].id, "c2");
        assert_eq!(done.usage.completion_tokens, 5);
        assert_eq!(done.finish_reason.as_deref(), Some("tool_calls"));
        assert_eq!(done.model, "m");
    }
}
