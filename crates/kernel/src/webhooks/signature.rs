//! The two signature formats: reading their headers, checking the timestamp window, and
//! comparing HMAC-SHA256 over the raw body in constant time. Pure functions of the request and
//! the clock, so every rule is unit-tested here; remembering ids is the verifier's job.

use std::time::Duration;

use actix_web::http::header::HeaderMap;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::DateTime;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{Scheme, VerifiedWebhook, WebhookSecret};
use crate::Problem;

type HmacSha256 = Hmac<Sha256>;

pub(super) const WEBHOOK_ID: &str = "webhook-id";
pub(super) const WEBHOOK_TIMESTAMP: &str = "webhook-timestamp";
pub(super) const WEBHOOK_SIGNATURE: &str = "webhook-signature";

/// Why a webhook was refused. The messages are the problem's `detail`: they name the check
/// that failed and never a secret or an expected signature.
#[derive(Debug, thiserror::Error)]
pub(super) enum WebhookError {
    #[error("The `{0}` header is missing.")]
    MissingHeader(&'static str),
    #[error("The `{header}` header is malformed: {why}.")]
    Malformed {
        header: &'static str,
        why: &'static str,
    },
    #[error("The signature timestamp is more than {0} s old.")]
    TooOld(u64),
    #[error("The signature timestamp is more than {0} s in the future.")]
    TooNew(u64),
    #[error("No signature matches the body.")]
    Mismatch,
    #[error("This webhook was already received.")]
    Replayed,
}

impl From<WebhookError> for Problem {
    fn from(err: WebhookError) -> Self {
        let detail = err.to_string();
        match err {
            WebhookError::Replayed => Problem::new(crate::ProblemCode::WebhookReplayed, detail),
            _ => Problem::new(crate::ProblemCode::InvalidSignature, detail),
        }
    }
}

/// Checks one request at `now` (unix seconds): headers, window, signature. Cheapest first.
pub(super) fn check(
    scheme: Scheme,
    secrets: &[WebhookSecret],
    headers: &HeaderMap,
    body: &[u8],
    now: i64,
    window: Duration,
) -> Result<VerifiedWebhook, WebhookError> {
    match scheme {
        Scheme::StripeLike { header } => {
            check_stripe_like(header, secrets, headers, body, now, window)
        }
        Scheme::StandardWebhooks => check_standard(secrets, headers, body, now, window),
    }
}

/// `t=<unix secs>,v1=<hex>[,v1=<hex>…]` over `"{t}.{body}"`. Other keys (Stripe's `v0`) are
/// ignored. The message has no id of its own, so its id is the SHA-256 of the signed content:
/// it does not depend on which secret signed it or which `v1` entries a replayer keeps.
fn check_stripe_like(
    header: &'static str,
    secrets: &[WebhookSecret],
    headers: &HeaderMap,
    body: &[u8],
    now: i64,
    window: Duration,
) -> Result<VerifiedWebhook, WebhookError> {
    let value = header_str(headers, header)?;
    let malformed = |why| WebhookError::Malformed { header, why };

    let mut t = None;
    let mut candidates = Vec::new();
    for item in value.split(',') {
        let (key, val) = item
            .trim()
            .split_once('=')
            .ok_or(malformed("expected `t=<unix seconds>,v1=<hex>`"))?;
        match key {
            "t" if t.is_some() => return Err(malformed("`t` is given twice")),
            "t" => t = Some(val),
            "v1" => candidates.push(hex::decode(val).map_err(|_| malformed("`v1` is not hex"))?),
            _ => {}
        }
    }
    let t = t.ok_or(malformed("`t` is missing"))?;
    if candidates.is_empty() {
        return Err(malformed("no `v1` signature"));
    }
    let timestamp = parse_timestamp(t).ok_or(malformed("`t` is not unix seconds"))?;
    check_window(timestamp, now, window)?;

    let content: [&[u8]; 3] = [t.as_bytes(), b".", body];
    if !any_matches(secrets, &content, &candidates) {
        return Err(WebhookError::Mismatch);
    }
    let mut digest = Sha256::new();
    content.iter().for_each(|part| digest.update(part));
    verified(hex::encode(digest.finalize()), timestamp, header)
}

/// Standard Webhooks: `webhook-signature` holds space-separated `v1,<base64>` entries over
/// `"{webhook-id}.{webhook-timestamp}.{body}"`; entries of other versions (`v1a`) are skipped.
fn check_standard(
    secrets: &[WebhookSecret],
    headers: &HeaderMap,
    body: &[u8],
    now: i64,
    window: Duration,
) -> Result<VerifiedWebhook, WebhookError> {
    let id = standard_header(headers, WEBHOOK_ID, "svix-id")?;
    let ts = standard_header(headers, WEBHOOK_TIMESTAMP, "svix-timestamp")?;
    let signature = standard_header(headers, WEBHOOK_SIGNATURE, "svix-signature")?;
    let malformed = |header, why| WebhookError::Malformed { header, why };

    let timestamp =
        parse_timestamp(ts).ok_or(malformed(WEBHOOK_TIMESTAMP, "expected unix seconds"))?;
    let mut candidates = Vec::new();
    for entry in signature.split(' ').filter(|entry| !entry.is_empty()) {
        let (version, sig) = entry.split_once(',').ok_or(malformed(
            WEBHOOK_SIGNATURE,
            "expected space-separated `v1,<base64>` entries",
        ))?;
        if version == "v1" {
            let sig = BASE64
                .decode(sig)
                .map_err(|_| malformed(WEBHOOK_SIGNATURE, "a `v1` signature is not base64"))?;
            candidates.push(sig);
        }
    }
    if candidates.is_empty() {
        return Err(malformed(WEBHOOK_SIGNATURE, "no `v1` signature"));
    }
    check_window(timestamp, now, window)?;

    let content: [&[u8]; 5] = [id.as_bytes(), b".", ts.as_bytes(), b".", body];
    if !any_matches(secrets, &content, &candidates) {
        return Err(WebhookError::Mismatch);
    }
    verified(id.to_owned(), timestamp, WEBHOOK_TIMESTAMP)
}

/// A Standard Webhooks header, or its Svix name (the format's origin, which senders such as
/// Resend still use) when the standard one is absent.
fn standard_header<'h>(
    headers: &'h HeaderMap,
    name: &'static str,
    svix: &'static str,
) -> Result<&'h str, WebhookError> {
    match header_str(headers, name) {
        Err(WebhookError::MissingHeader(_)) if headers.contains_key(svix) => {
            header_str(headers, svix)
        }
        found => found,
    }
}

/// The header's value; absent or empty is missing, not visible ASCII is malformed.
fn header_str<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<&'h str, WebhookError> {
    let value = headers
        .get(name)
        .ok_or(WebhookError::MissingHeader(name))?
        .to_str()
        .map_err(|_| WebhookError::Malformed {
            header: name,
            why: "not visible ASCII",
        })?
        .trim();
    if value.is_empty() {
        return Err(WebhookError::MissingHeader(name));
    }
    Ok(value)
}

/// Decimal unix seconds, digits only (no sign, no fraction).
fn parse_timestamp(value: &str) -> Option<i64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

fn check_window(timestamp: i64, now: i64, window: Duration) -> Result<(), WebhookError> {
    let secs = window.as_secs();
    let tolerance = i64::try_from(secs).unwrap_or(i64::MAX);
    let age = now.saturating_sub(timestamp);
    if age > tolerance {
        Err(WebhookError::TooOld(secs))
    } else if age < -tolerance {
        Err(WebhookError::TooNew(secs))
    } else {
        Ok(())
    }
}

/// Whether any candidate is the HMAC of `content` under any secret. `verify_slice` compares in
/// constant time; stopping at the first match only reveals which entry matched, not a key.
fn any_matches(secrets: &[WebhookSecret], content: &[&[u8]], candidates: &[Vec<u8>]) -> bool {
    secrets.iter().any(|secret| {
        let mut mac = keyed_mac(secret);
        content.iter().for_each(|part| mac.update(part));
        candidates
            .iter()
            .any(|candidate| mac.clone().verify_slice(candidate).is_ok())
    })
}

fn keyed_mac(secret: &WebhookSecret) -> HmacSha256 {
    match HmacSha256::new_from_slice(secret.key()) {
        Ok(mac) => mac,
        // HMAC pads or hashes the key to its block size; no length is refused.
        Err(_) => unreachable!("HMAC-SHA256 accepts keys of any length"),
    }
}

fn verified(
    id: String,
    timestamp: i64,
    header: &'static str,
) -> Result<VerifiedWebhook, WebhookError> {
    let timestamp = DateTime::from_timestamp(timestamp, 0).ok_or(WebhookError::Malformed {
        header,
        why: "the timestamp is out of range",
    })?;
    Ok(VerifiedWebhook { id, timestamp })
}

/// The `webhook-signature` value for a message, per Standard Webhooks: `v1,<base64 HMAC>` over
/// `"{id}.{timestamp}.{body}"`. Safe to call anywhere: it reveals only the signature.
pub fn sign_standard(secret: &WebhookSecret, id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = keyed_mac(secret);
    let ts = timestamp.to_string();
    for part in [id.as_bytes(), b".", ts.as_bytes(), b".", body] {
        mac.update(part);
    }
    format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    // The example published with the Standard Webhooks spec (and its reference libraries' tests).
    const SPEC_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const SPEC_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const SPEC_TIMESTAMP: i64 = 1_614_265_330;
    const SPEC_BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SPEC_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    const WINDOW: Duration = Duration::from_secs(300);

    fn spec_secret() -> Vec<WebhookSecret> {
        WebhookSecret::standard(SPEC_SECRET).into_iter().collect()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(value) = HeaderValue::from_str(value) {
                map.append(HeaderName::from_static(name), value);
            }
        }
        map
    }

    fn spec_headers(signature: &str) -> HeaderMap {
        headers(&[
            (WEBHOOK_ID, SPEC_ID),
            (WEBHOOK_TIMESTAMP, &SPEC_TIMESTAMP.to_string()),
            (WEBHOOK_SIGNATURE, signature),
        ])
    }

    #[test]
    fn sign_standard_reproduces_the_spec_example() {
        let secrets = spec_secret();

        let signature = secrets
            .first()
            .map(|s| sign_standard(s, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY));

        assert_eq!(signature.as_deref(), Some(SPEC_SIGNATURE));
    }

    #[test]
    fn the_spec_example_verifies_at_its_own_time() {
        let result = check(
            Scheme::StandardWebhooks,
            &spec_secret(),
            &spec_headers(SPEC_SIGNATURE),
            SPEC_BODY,
            SPEC_TIMESTAMP + 10,
            WINDOW,
        );

        let verified = result.map_err(|e| e.to_string());
        assert_eq!(verified.as_ref().map(|v| v.id.as_str()), Ok(SPEC_ID));
        assert_eq!(
            verified.map(|v| v.timestamp.timestamp()),
            Ok(SPEC_TIMESTAMP)
        );
    }

    #[test]
    fn svix_header_names_are_understood_too() {
        let svix = headers(&[
            ("svix-id", SPEC_ID),
            ("svix-timestamp", &SPEC_TIMESTAMP.to_string()),
            ("svix-signature", SPEC_SIGNATURE),
        ]);
        let forged = headers(&[
            ("svix-id", SPEC_ID),
            ("svix-timestamp", &SPEC_TIMESTAMP.to_string()),
            ("svix-signature", "v1,AAAAAAAA"),
        ]);

        let check_at = |h: &HeaderMap| {
            check(
                Scheme::StandardWebhooks,
                &spec_secret(),
                h,
                SPEC_BODY,
                SPEC_TIMESTAMP,
                WINDOW,
            )
            .map(|v| v.id)
            .map_err(|e| e.to_string())
        };

        assert_eq!(check_at(&svix), Ok(SPEC_ID.to_owned()));
        assert!(check_at(&forged).is_err());
        assert!(check_at(&headers(&[])).is_err_and(|e| e.contains("webhook-id")));
    }

    #[test]
    fn unknown_versions_are_skipped_and_any_v1_entry_may_match() {
        let signature = format!("v1a,AAAA v1,AAAAAAAA {SPEC_SIGNATURE}");

        let result = check(
            Scheme::StandardWebhooks,
            &spec_secret(),
            &spec_headers(&signature),
            SPEC_BODY,
            SPEC_TIMESTAMP,
            WINDOW,
        );

        assert!(result.is_ok());
    }

    #[test]
    fn malformed_standard_headers_say_what_is_wrong() {
        let cases = [
            ("v1", "expected space-separated"),
            ("v1,***", "not base64"),
            ("v1a,AAAA", "no `v1` signature"),
        ];
        for (signature, expected) in cases {
            let result = check(
                Scheme::StandardWebhooks,
                &spec_secret(),
                &spec_headers(signature),
                SPEC_BODY,
                SPEC_TIMESTAMP,
                WINDOW,
            );

            let detail = result.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(detail.contains(expected), "{signature}: {detail}");
        }
    }

    #[test]
    fn malformed_stripe_like_headers_say_what_is_wrong() {
        let cases = [
            ("garbage", "expected `t=<unix seconds>,v1=<hex>`"),
            ("v1=00", "`t` is missing"),
            ("t=1,t=2,v1=00", "`t` is given twice"),
            ("t=1614265330", "no `v1` signature"),
            ("t=1614265330,v1=zz", "`v1` is not hex"),
            ("t=-5,v1=00", "`t` is not unix seconds"),
            ("t=1.5,v1=00", "`t` is not unix seconds"),
        ];
        for (value, expected) in cases {
            let result = check(
                Scheme::STRIPE,
                &spec_secret(),
                &headers(&[("stripe-signature", value)]),
                SPEC_BODY,
                SPEC_TIMESTAMP,
                WINDOW,
            );

            let detail = result.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(detail.contains(expected), "{value}: {detail}");
        }
    }

    #[test]
    fn the_window_is_inclusive_and_applies_both_ways() {
        let at = |now| {
            check(
                Scheme::StandardWebhooks,
                &spec_secret(),
                &spec_headers(SPEC_SIGNATURE),
                SPEC_BODY,
                now,
                WINDOW,
            )
        };

        assert!(at(SPEC_TIMESTAMP + 300).is_ok());
        assert!(at(SPEC_TIMESTAMP - 300).is_ok());
        assert!(matches!(
            at(SPEC_TIMESTAMP + 301),
            Err(WebhookError::TooOld(300))
        ));
        assert!(matches!(
            at(SPEC_TIMESTAMP - 301),
            Err(WebhookError::TooNew(300))
        ));
    }

    #[test]
    fn errors_become_401_invalid_signature_or_409_webhook_replayed() {
        let mismatch = Problem::from(WebhookError::Mismatch);
        let replayed = Problem::from(WebhookError::Replayed);

        assert_eq!(
            (mismatch.status, mismatch.code.as_str()),
            (401, "invalid_signature")
        );
        assert_eq!(
            (replayed.status, replayed.code.as_str()),
            (409, "webhook_replayed")
        );
    }
}
