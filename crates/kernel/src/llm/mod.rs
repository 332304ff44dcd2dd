//! One door to language models for every slice (discovery, the assistant, voice, outreach).
//!
//! A slice asks [`Llm`] to complete a [`Request`]: a versioned [`Prompt`] with its values, the
//! conversation so far, the tools the model may call and, for structured output, a JSON
//! schema. Two providers answer it:
//!
//! - **OpenAI-compatible Chat Completions** over HTTP (`LLM_BASE_URL`, `LLM_MODEL`,
//!   `LLM_API_KEY`): OpenAI, vLLM, Ollama, LiteLLM… Streaming reads the server-sent events'
//!   `delta.content` and `delta.tool_calls`; 429 and 5xx answers are retried at their
//!   `Retry-After` (else a doubling backoff); every call has a deadline.
//! - **Rule-based** (the default without `LLM_BASE_URL`): each prompt carries a deterministic
//!   rule that answers from the same values, so every feature works offline and tests can
//!   assert exact answers.
//!
//! Both render the prompt's templates (values are always JSON-quoted, see [`prompt`]) and
//! refuse a request in which any configured secret appears, before anything leaves the
//! process. A [`Completion`] carries the tokens used; [`Completion::usage_items`] turns them
//! into cost-tracker items (`llm.tokens.in` / `llm.tokens.out`) for the caller's unit of work.

mod offline;
mod openai;
pub mod prompt;

use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::BoxStream;
use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use prompt::{Answer, Prompt, Rule, RuleInput};

use crate::projects::UsageItem;

/// One message of a conversation, in the roles Chat Completions knows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub enum Message {
    System {
        content: String,
    },
    User {
        content: String,
    },
    Assistant {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tool_calls: Vec<ToolCall>,
    },
    /// A tool's result, answering the assistant's call `tool_call_id`.
    Tool {
        tool_call_id: String,
        content: String,
    },
}

/// A function the model may call; `parameters` is its arguments' JSON schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub description: String,
    pub parameters: Value,
}

/// A call the model made; `arguments` is the parsed JSON it sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    pub arguments: Value,
}

/// Structured output: the answer must be one JSON document matching `schema`.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// `^[a-zA-Z0-9_-]+$`, as OpenAI requires.
    pub name: &'static str,
    pub schema: Value,
}

/// What to ask: see the module docs.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub prompt: &'a Prompt,
    /// The values the prompt's templates and its offline rule see.
    pub vars: Value,
    /// The conversation after the prompt's own two messages, oldest first.
    pub turns: Vec<Message>,
    pub tools: Vec<Tool>,
    pub schema: Option<Schema>,
    pub max_tokens: Option<u32>,
    pub temperature: Option<f32>,
}

impl<'a> Request<'a> {
    pub fn new(prompt: &'a Prompt, vars: Value) -> Self {
        Self {
            prompt,
            vars,
            turns: Vec::new(),
            tools: Vec::new(),
            schema: None,
            max_tokens: None,
            temperature: None,
        }
    }

    pub fn turns(mut self, turns: Vec<Message>) -> Self {
        self.turns = turns;
        self
    }

    pub fn tools(mut self, tools: Vec<Tool>) -> Self {
        self.tools = tools;
        self
    }

    pub fn schema(mut self, name: &'static str, schema: Value) -> Self {
        self.schema = Some(Schema { name, schema });
        self
    }

    pub fn max_tokens(mut self, max: u32) -> Self {
        self.max_tokens = Some(max);
        self
    }

    /// Every message sent: the rendered prompt, then the turns.
    fn messages(&self) -> Result<Vec<Message>, LlmError> {
        let mut messages = self.prompt.render(&self.vars)?;
        messages.extend(self.turns.iter().cloned());
        Ok(messages)
    }
}

/// Tokens a completion used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// A model's whole answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub content: Option<String>,
    pub tool_calls: Vec<ToolCall>,
    pub usage: Usage,
    /// `openai-compatible` or `rule-based`.
    pub provider: String,
    pub model: String,
    /// The prompt and version that asked (`discovery.propose@1`).
    pub prompt: String,
    pub finish_reason: Option<String>,
}

impl Completion {
    /// The tokens as cost-tracker items. The rule-based provider costs nothing: none.
    pub fn usage_items(&self) -> Vec<UsageItem> {
        if self.provider == offline::PROVIDER {
            return Vec::new();
        }
        [
            ("llm.tokens.in", self.usage.prompt_tokens),
            ("llm.tokens.out", self.usage.completion_tokens),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(resource, n)| UsageItem {
            resource: resource.into(),
            provider: Some("llm".into()),
            quantity: Decimal::from(n),
            run_id: None,
            occurred_at: None,
        })
        .collect()
    }
}

/// A piece of a streamed answer: text as it arrives, then the whole completion.
#[derive(Debug, Clone, PartialEq)]
pub enum Chunk {
    Text(String),
    Done(Completion),
}

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("prompt template: {0}")]
    Template(String),
    /// A configured secret appeared in what would have been sent; nothing was sent.
    #[error("the request contains a secret; nothing was sent")]
    SecretInRequest,
    #[error("the model provider is unavailable: {0}")]
    Unavailable(String),
    #[error("the model provider is rate limiting (retry in {0:?})")]
    RateLimited(Option<Duration>),
    /// The provider refused the request (4xx other than 429).
    #[error("the model provider refused the request ({status}): {message}")]
    Refused { status: u16, message: String },
    #[error("the model provider did not answer within {0:?}")]
    Timeout(Duration),
    /// The answer is not what was asked for (no content, JSON that does not parse…).
    #[error("the model's answer is unusable: {0}")]
    BadAnswer(String),
    #[error("the offline rule for {prompt} failed: {message}")]
    Rule { prompt: String, message: String },
}

/// An OpenAI-compatible server; see the module docs.
#[derive(Debug, Clone)]
pub struct RemoteConfig {
    /// Up to and including the API version: `https://api.openai.com/v1`,
    /// `http://127.0.0.1:11434/v1` (Ollama).
    pub base_url: String,
    pub model: String,
    pub api_key: Option<SecretString>,
    /// The whole answer's deadline (a stream's: between two pieces).
    pub timeout: Duration,
    /// Attempts per request (the first included) on 429, 5xx and connection failures.
    pub max_attempts: u32,
    /// The longest wait before a retry; a `Retry-After` beyond it fails at once.
    pub max_retry_wait: Duration,
    /// The first retry's delay without `Retry-After`; it doubles per attempt.
    pub backoff_base: Duration,
}

impl RemoteConfig {
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            timeout: Duration::from_secs(60),
            max_attempts: 4,
            max_retry_wait: Duration::from_secs(30),
            backoff_base: Duration::from_millis(500),
        }
    }
}

enum Backend {
    Remote(openai::Client),
    Offline,
}

/// The LLM provider layer; cheap to clone. See the module docs.
#[derive(Clone)]
pub struct Llm {
    backend: Arc<Backend>,
    secrets: Arc<[SecretString]>,
}

impl Llm {
    /// The deterministic rule-based provider.
    pub fn offline() -> Self {
        Self {
            backend: Arc::new(Backend::Offline),
            secrets: Arc::new([]),
        }
    }

    /// An OpenAI-compatible server.
    pub fn remote(config: RemoteConfig) -> Result<Self, String> {
        let mut secrets = Vec::new();
        if let Some(key) = &config.api_key {
            secrets.push(key.clone());
        }
        Ok(Self {
            backend: Arc::new(Backend::Remote(openai::Client::new(config)?)),
            secrets: secrets.into(),
        })
    }

    /// Values that must never leave the process inside a prompt (the app's own keys and
    /// passwords); values shorter than 8 characters are ignored (they would match by chance).
    pub fn never_send(mut self, secrets: impl IntoIterator<Item = SecretString>) -> Self {
        let mut all: Vec<SecretString> = self.secrets.iter().cloned().collect();
        all.extend(secrets.into_iter().filter(|s| s.expose_secret().len() >= 8));
        self.secrets = all.into();
        self
    }

    /// `openai-compatible` or `rule-based`.
    pub fn provider(&self) -> &'static str {
        match &*self.backend {
            Backend::Remote(_) => openai::PROVIDER,
            Backend::Offline => offline::PROVIDER,
        }
    }

    pub fn model(&self) -> &str {
        match &*self.backend {
            Backend::Remote(client) => client.model(),
            Backend::Offline => offline::MODEL,
        }
    }

    /// The whole answer at once.
    #[tracing::instrument(skip_all, fields(prompt = request.prompt.id(), provider = self.provider()))]
    pub async fn complete(&self, request: &Request<'_>) -> Result<Completion, LlmError> {
        let messages = self.messages(request)?;
        match &*self.backend {
            Backend::Remote(client) => client.complete(request, &messages).await,
            Backend::Offline => offline::complete(request, &messages),
        }
    }

    /// The answer as it is produced: [`Chunk::Text`] pieces, then [`Chunk::Done`] with the
    /// whole completion (tool calls and usage included). Retries happen before the first piece.
    pub async fn stream(
        &self,
        request: &Request<'_>,
    ) -> Result<BoxStream<'static, Result<Chunk, LlmError>>, LlmError> {
        let messages = self.messages(request)?;
        match &*self.backend {
            Backend::Remote(client) => client.stream(request, &messages).await,
            Backend::Offline => offline::stream(request, &messages),
        }
    }

    /// Structured output: the request's schema must be set; the answer is parsed as `T`.
    pub async fn json<T: DeserializeOwned>(
        &self,
        request: &Request<'_>,
    ) -> Result<(T, Completion), LlmError> {
        if request.schema.is_none() {
            return Err(LlmError::BadAnswer(
                "a structured answer needs the request's schema".into(),
            ));
        }
        let completion = self.complete(request).await?;
        let text = completion
            .content
            .as_deref()
            .ok_or_else(|| LlmError::BadAnswer("no content".into()))?;
        let value = serde_json::from_str(strip_fences(text))
            .map_err(|e| LlmError::BadAnswer(format!("not the JSON asked for: {e}")))?;
        Ok((value, completion))
    }

    fn messages(&self, request: &Request<'_>) -> Result<Vec<Message>, LlmError> {
        let messages = request.messages()?;
        if !self.secrets.is_empty() {
            let sent = serde_json::to_string(&(&messages, &request.tools))
                .map_err(|e| LlmError::Template(e.to_string()))?;
            let raw = messages_text(&messages);
            if self.secrets.iter().any(|s| {
                let s = s.expose_secret();
                sent.contains(s) || raw.contains(s)
            }) {
                tracing::error!(prompt = %request.prompt.label(), "refused: a secret in an LLM request");
                return Err(LlmError::SecretInRequest);
            }
        }
        Ok(messages)
    }
}

/// The messages' text unescaped (a secret with a quote in it is escaped in the JSON form).
fn messages_text(messages: &[Message]) -> String {
    let mut all = String::new();
    for message in messages {
        match message {
            Message::System { content }
            | Message::User { content }
            | Message::Tool { content, .. } => all.push_str(content),
            Message::Assistant { content, .. } => all.push_str(content.as_deref().unwrap_or("")),
        }
        all.push('\n');
    }
    all
}

/// Models wrap JSON in Markdown fences now and then, even when told not to.
fn strip_fences(text: &str) -> &str {
    let text = text.trim();
    let Some(inner) = text.strip_prefix("```") else {
        return text;
    };
    let inner = inner.strip_prefix("json").unwrap_or(inner);
    inner.strip_suffix("```").unwrap_or(inner).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenced_json_is_unwrapped() {
        assert_eq!(strip_fences("```json\n{\"a\":1}\n```"), "{\"a\":1}");
        assert_eq!(strip_fences(" {\"a\":1} "), "{\"a\":1}");
    }
}
