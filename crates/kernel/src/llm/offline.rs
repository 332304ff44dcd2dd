//! The rule-based provider: the prompt's own [`super::Rule`] answers, deterministically.
//! Tokens are estimated (a token is about four characters of English), so the usage a feature
//! shows offline is of the right order; it is never billed.

use futures_util::stream::{self, BoxStream, StreamExt};

use super::{Answer, Chunk, Completion, LlmError, Message, Request, RuleInput, ToolCall, Usage};

pub(super) const PROVIDER: &str = "rule-based";
pub(super) const MODEL: &str = "rules";

pub(super) fn complete(
    request: &Request<'_>,
    messages: &[Message],
) -> Result<Completion, LlmError> {
    let rule = request.prompt.rule();
    let failed = |message: String| LlmError::Rule {
        prompt: request.prompt.label(),
        message,
    };
    let answer = rule(&RuleInput {
        vars: &request.vars,
        turns: &request.turns,
        tools: &request.tools,
        schema: request.schema.as_ref(),
    })
    .map_err(failed)?;
    let (content, tool_calls) = match answer {
        Answer::Text(text) => (Some(text), Vec::new()),
        Answer::Json(value) => (Some(value.to_string()), Vec::new()),
        Answer::ToolCalls(calls) => {
            let earlier = request
                .turns
                .iter()
                .map(|m| match m {
                    Message::Assistant { tool_calls, .. } => tool_calls.len(),
                    _ => 0,
                })
                .sum::<usize>();
            let mut made = Vec::with_capacity(calls.len());
            for (i, (name, arguments)) in calls.into_iter().enumerate() {
                if !request.tools.iter().any(|t| t.name == name) {
                    return Err(failed(format!(
                        "called {name}, which the request does not offer"
                    )));
                }
                made.push(ToolCall {
                    id: format!("call_{}", earlier + i + 1),
                    name,
                    arguments,
                });
            }
            (None, made)
        }
    };
    let sent: usize = super::messages_text(messages).len();
    let answered = content.as_deref().map_or(0, str::len)
        + tool_calls
            .iter()
            .map(|c| c.name.len() + c.arguments.to_string().len())
            .sum::<usize>();
    Ok(Completion {
        finish_reason: Some(
            if tool_calls.is_empty() {
                "stop"
            } else {
                "tool_calls"
            }
            .into(),
        ),
        content,
        tool_calls,
        usage: Usage {
            prompt_tokens: tokens(sent),
            completion_tokens: tokens(answered),
        },
        provider: PROVIDER.into(),
        model: MODEL.into(),
        prompt: request.prompt.label(),
    })
}

/// The completion's text word by word (each piece keeps the space after it), then the whole.
pub(super) fn stream(
    request: &Request<'_>,
    messages: &[Message],
) -> Result<BoxStream<'static, Result<Chunk, LlmError>>, LlmError> {
    let completion = complete(request, messages)?;
    let pieces: Vec<Result<Chunk, LlmError>> = completion
        .content
        .as_deref()
        .unwrap_or("")
        .split_inclusive(' ')
        .map(|piece| Ok(Chunk::Text(piece.to_owned())))
        .collect();
    Ok(stream::iter(pieces)
        .chain(stream::once(async move { Ok(Chunk::Done(completion)) }))
        .boxed())
}

fn tokens(chars: usize) -> u64 {
    (chars as u64).div_ceil(4)
}
