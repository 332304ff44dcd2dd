//! `Idempotency-Key` (IETF httpapi idempotency-key draft), opt-in per route.
//!
//! A client that may retry a POST sends `Idempotency-Key: <key>`. The first request with a key
//! runs and its response is kept for 24 hours per (tenant, key, method, path), with a
//! fingerprint of the request (SHA-256 of content type and body). A retry with the same key and
//! payload gets the kept response again, marked `Idempotent-Replayed: true`, and the handler
//! does not run. The same key with another payload is 422 `idempotency_key_reused`; a retry
//! while the first request is still running is 409 `idempotency_request_in_flight`.
//!
//! Keys are scoped per tenant (the draft scopes them per client), so requests without a
//! principal pass through untouched, as do requests without a key. Responses that say "try
//! again" (5xx, 429) are not kept: the key is released so that the retry runs. The kept rows
//! live in `idempotency_keys` under row-level security; see [`store`] for the SQL and
//! [`Idempotency`] for the middleware.

mod middleware;
pub mod store;

use actix_web::http::header::{HeaderName, HeaderValue};
use sha2::{Digest, Sha256};

use crate::problem::Problem;

pub use middleware::{Idempotency, IdempotencyService};
pub use store::delete_expired;

/// The request header carrying the key.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// Set to `true` on a response that is a replay of the kept one.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The longest key accepted, in characters.
pub const MAX_KEY_LEN: usize = 255;

/// A client's idempotency key: 1 to 255 visible ASCII characters.
///
/// The draft sends it as a structured-field string (`"…"`); the bare form most APIs use is
/// accepted too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// 400 `invalid_idempotency_key` unless `value` is a usable key.
    pub fn parse(value: &HeaderValue) -> Result<Self, Problem> {
        let raw = value.as_bytes();
        let raw = raw
            .strip_prefix(b"\"")
            .and_then(|r| r.strip_suffix(b"\""))
            .unwrap_or(raw);
        if raw.is_empty() || raw.len() > MAX_KEY_LEN {
            return Err(invalid_key(format!(
                "The Idempotency-Key must be 1 to {MAX_KEY_LEN} characters long."
            )));
        }
        if !raw.iter().all(u8::is_ascii_graphic) {
            return Err(invalid_key(
                "The Idempotency-Key must be visible ASCII characters without spaces.",
            ));
        }
        Ok(Self(String::from_utf8_lossy(raw).into_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn invalid_key(detail: impl Into<String>) -> Problem {
    Problem::new(crate::ProblemCode::InvalidIdempotencyKey, detail)
}

/// SHA-256 of the content type and the body: what "the same payload" means.
pub fn fingerprint(content_type: &[u8], body: &[u8]) -> Vec<u8> {
    let mut hash = Sha256::new();
    hash.update((content_type.len() as u64).to_be_bytes());
    hash.update(content_type);
    hash.update(body);
    hash.finalize().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<IdempotencyKey, Problem> {
        IdempotencyKey::parse(&HeaderValue::from_str(raw).unwrap())
    }

    #[test]
    fn idempotency_keys_are_one_to_255_visible_characters_quoted_or_not() {
        assert_eq!(parse("abc").unwrap().as_str(), "abc");
        assert_eq!(
            parse("\"8e03978e-40d5\"").unwrap().as_str(),
            "8e03978e-40d5"
        );
        assert!(parse(&"k".repeat(255)).is_ok());
        for bad in ["", "\"\"", "a b", &"k".repeat(256)] {
            assert_eq!(
                parse(bad).unwrap_err().code,
                "invalid_idempotency_key",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn idempotency_fingerprints_tell_content_type_from_body() {
        assert_eq!(fingerprint(b"a", b"b"), fingerprint(b"a", b"b"));
        assert_ne!(fingerprint(b"ab", b""), fingerprint(b"a", b"b"));
        assert_ne!(
            fingerprint(b"application/json", b"{}"),
            fingerprint(b"text/plain", b"{}")
        );
    }
}
