//! Request bodies: a deadline on their arrival, and the JSON check for NUL characters.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::mime;
use actix_web::web::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use kernel::{Problem, ProblemCode};
use serde_json::Value;
use tokio::time::Sleep;

/// `payload`, ending with a `TimedOut` I/O error once `within` has passed since the head.
pub fn with_deadline(payload: Payload, within: Duration) -> Payload {
    let stream = Deadline {
        payload,
        deadline: Box::pin(tokio::time::sleep(within)),
        ended: false,
    };
    let boxed: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(stream);
    Payload::from(boxed)
}

struct Deadline {
    payload: Payload,
    deadline: Pin<Box<Sleep>>,
    ended: bool,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        match self.payload.poll_next_unpin(cx) {
            Poll::Ready(None) => {
                self.ended = true;
                Poll::Ready(None)
            }
            Poll::Ready(Some(item)) => Poll::Ready(Some(item)),
            Poll::Pending => match self.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    self.ended = true;
                    Poll::Ready(Some(Err(timed_out())))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

fn timed_out() -> PayloadError {
    PayloadError::Io(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        "the request body did not arrive in time",
    ))
}

/// Whether the body is JSON (`application/json` or `…+json`).
pub fn is_json(req: &ServiceRequest) -> bool {
    use actix_web::HttpMessage;
    req.mime_type().ok().flatten().is_some_and(|m| {
        m.type_() == mime::APPLICATION
            && (m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
    })
}

/// Reads a JSON body whole (at most `limit` bytes) and refuses it when a string in it holds
/// NUL. Malformed JSON is left to the route's extractor, which says what is wrong with it.
pub async fn read_json(mut payload: Payload, limit: usize) -> Result<Bytes, Problem> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| unreadable(&e))?;
        if body.len() + chunk.len() > limit {
            return Err(Problem::new(
                ProblemCode::PayloadTooLarge,
                format!("The request body is too large (at most {limit} bytes)."),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    if let Some(field) = field_with_nul(&body) {
        return Err(Problem::validation(kernel::problem::FieldErrors::from([(
            field,
            vec!["must not contain the NUL character (\\u0000)".to_owned()],
        )])));
    }
    Ok(body)
}

fn unreadable(e: &PayloadError) -> Problem {
    match e {
        PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Problem::new(
            ProblemCode::RequestTimeout,
            "The request body did not arrive in time.",
        ),
        _ => Problem::new(
            ProblemCode::BadRequest,
            "The request body could not be read.",
        ),
    }
}

/// The path (`name`, `items[2].tags[0]`, `body` for the top level) of the first string that
/// holds NUL. JSON text can only carry NUL as the escape `\u0000`, so bodies without that
/// escape (nearly all) are not parsed here.
fn field_with_nul(body: &[u8]) -> Option<String> {
    if !has_nul_escape(body) {
        return None;
    }
    let value: Value = serde_json::from_slice(body).ok()?;
    find_nul(&value, String::new())
}

/// Whether `\u0000` occurs as an escape (preceded by an even number of backslashes).
fn has_nul_escape(body: &[u8]) -> bool {
    let needle = b"u0000";
    body.windows(needle.len() + 1)
        .enumerate()
        .filter(|(_, w)| w[0] == b'\\' && &w[1..] == needle)
        .any(|(at, _)| {
            let slashes = body[..=at]
                .iter()
                .rev()
                .take_while(|b| **b == b'\\')
                .count();
            slashes % 2 == 1
        })
}

fn find_nul(value: &Value, path: String) -> Option<String> {
    let here = || {
        if path.is_empty() {
            "body".to_owned()
        } else {
            path.clone()
        }
    };
    match value {
        Value::String(s) => s.contains('\0').then(here),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_nul(v, format!("{}[{i}]", here()))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let name = k.replace('\0', "\\u0000");
            let at = if path.is_empty() {
                name
            } else {
                format!("{path}.{name}")
            };
            if k.contains('\0') {
                Some(at)
            } else {
                find_nul(v, at)
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_in_values_keys_and_nested_items() {
        let cases = [
            (r#"{"email":"a\u0000@x.io"}"#, "email"),
            (r#"{"a":{"b":["ok","x\u0000"]}}"#, "a.b[1]"),
            (r#"{"ke\u0000y":1}"#, "ke\\u0000y"),
            (r#"["\u0000"]"#, "body[0]"),
            (r#""\u0000""#, "body"),
        ];
        for (body, field) in cases {
            assert_eq!(
                field_with_nul(body.as_bytes()).as_deref(),
                Some(field),
                "{body}"
            );
        }
    }

    #[test]
    fn an_escaped_backslash_before_u0000_is_text_not_nul() {
        for body in [r#"{"note":"C:\\u0000"}"#, r#"{"note":"\\\\u0000"}"#] {
            assert_eq!(field_with_nul(body.as_bytes()), None, "{body}");
        }
        assert_eq!(
            field_with_nul(br#"{"n":"\\\u0000"}"#).as_deref(),
            Some("n"),
            "an escaped backslash then a NUL escape"
        );
    }
}
