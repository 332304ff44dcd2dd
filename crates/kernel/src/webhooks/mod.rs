//! Webhooks in: proving that a request comes from the provider it claims to, and only once.
//!
//! Providers sign each delivery with HMAC-SHA256 over the *raw* body, so a handler must take
//! the body as bytes (`web::Bytes`) and verify before parsing: re-serialised JSON would not be
//! the bytes that were signed. Two wire formats are understood, [`Scheme::StripeLike`]
//! (`t=…,v1=…`) and [`Scheme::StandardWebhooks`] (standardwebhooks.com).
//!
//! Checks run cheapest first and stop at the first failure: headers present and well formed,
//! timestamp inside the window (both ways), a signature matching one of the source's secrets
//! (two during a rotation), compared in constant time. Only a valid message is remembered
//! (`SET … NX` in Redis, for twice the window, which covers every instant it could still be
//! accepted), so a forged request cannot burn the id of a real one. Failures are a 401
//! `invalid_signature` whose detail names the failed check; a replay is a 409
//! `webhook_replayed`.

mod secret;
mod signature;

use std::time::Duration;

use actix_web::http::header::HeaderMap;
use chrono::{DateTime, Utc};

use crate::cache::Cache;
use crate::Problem;
pub use secret::{InvalidSecret, WebhookSecret};
pub use signature::sign_standard;
/// Webhooks out (tenants' endpoints, signed deliveries) are the `webhooks` slice; it signs with
/// [`sign_standard`] and [`WebhookSecret`], which inbound checks share.
use signature::WebhookError;

/// How a source signs its deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `<header>: t=<unix secs>,v1=<hex>[,v1=<hex>…]` over `"{t}.{body}"`; `header` is the
    /// lower-case header name (Stripe's is [`Scheme::STRIPE`]). The message id is the SHA-256
    /// of the signed content.
    StripeLike { header: &'static str },
    /// `webhook-id`, `webhook-timestamp` and `webhook-signature` (space-separated
    /// `v1,<base64>`) over `"{id}.{timestamp}.{body}"`; secrets are `whsec_<base64>`.
    StandardWebhooks,
}

impl Scheme {
    pub const STRIPE: Scheme = Scheme::StripeLike {
        header: "stripe-signature",
    };
}

/// A delivery whose signature, timestamp and novelty were checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedWebhook {
    /// `webhook-id` (Standard Webhooks) or the hex SHA-256 of the signed content (Stripe-like).
    pub id: String,
    /// When the sender signed it.
    pub timestamp: DateTime<Utc>,
}

#[derive(Clone)]
pub struct WebhookVerifier {
    cache: Cache,
    window: Duration,
}

impl WebhookVerifier {
    /// How far a signature's timestamp may be from our clock, either way.
    pub const DEFAULT_WINDOW: Duration = Duration::from_secs(5 * 60);

    pub fn new(cache: Cache) -> Self {
        Self {
            cache,
            window: Self::DEFAULT_WINDOW,
        }
    }

    pub fn with_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// Verifies one delivery from `source` (a short stable name, e.g. `stripe`, that keeps the
    /// ids of different providers apart) against its current `secrets`, then remembers its id.
    /// An empty `secrets` is a configuration error and matches nothing.
    pub async fn verify(
        &self,
        scheme: Scheme,
        source: &str,
        secrets: &[WebhookSecret],
        headers: &HeaderMap,
        raw_body: &[u8],
    ) -> Result<VerifiedWebhook, Problem> {
        let now = Utc::now().timestamp();
        let verified = signature::check(scheme, secrets, headers, raw_body, now, self.window)
            .inspect_err(|err| tracing::warn!(source, reason = %err, "webhook refused"))?;
        if !self.remember(source, &verified.id).await? {
            tracing::warn!(source, id = %verified.id, "webhook replayed");
            return Err(WebhookError::Replayed.into());
        }
        Ok(verified)
    }

    /// Lets a verified id be accepted again: call it when handling the delivery failed, so the
    /// provider's retry (same id) is processed instead of refused as a replay.
    pub async fn forget(&self, source: &str, id: &str) -> Result<(), Problem> {
        let mut conn = self.cache.conn().await?;
        redis::cmd("DEL")
            .arg(self.seen_key(source, id))
            .query_async::<i64>(&mut conn)
            .await?;
        Ok(())
    }

    /// `true` when the id was new.
    async fn remember(&self, source: &str, id: &str) -> Result<bool, Problem> {
        let ttl = self.window.as_secs().saturating_mul(2).max(1);
        let mut conn = self.cache.conn().await?;
        let set: Option<String> = redis::cmd("SET")
            .arg(self.seen_key(source, id))
            .arg(1)
            .arg("NX")
            .arg("EX")
            .arg(ttl)
            .query_async(&mut conn)
            .await?;
        Ok(set.is_some())
    }

    fn seen_key(&self, source: &str, id: &str) -> String {
        self.cache.key(&format!("webhooks:seen:{source}:{id}"))
    }
}
