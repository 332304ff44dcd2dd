//! Rate limits: GCRA in Redis, per subject (a tenant, or a client address) and route class.
//!
//! The whole decision is one Lua script (`gcra.lua`), so it is atomic however many API
//! instances ask at once, and it reads Redis' clock rather than ours, so instances with
//! drifting clocks still agree. GCRA keeps a single timestamp per subject (no counters,
//! no windows to reset), which expires on its own once the subject has been idle long
//! enough to have its whole burst back.
//!
//! A [`Policy`] allows `limit` requests per `period` on average, and up to `burst` at once.
//! Responses carry the IETF httpapi ratelimit-headers draft's `RateLimit-Policy` and
//! `RateLimit` headers; a refusal is a 429 `rate_limited` problem with `Retry-After`.
//!
//! When Redis does not answer, the limiter fails open by default: the request is served
//! unchecked, a warning is logged and [`RateLimiter::fail_open_count`] goes up. A limiter
//! built with `fail_open = false` answers 503 `dependency_down` instead.
//!
//! [`RateLimit`] is the actix middleware that wraps a scope with one policy.

mod middleware;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::cache::Cache;
use crate::problem::Problem;

pub use middleware::{tenant_or_peer, RateLimit};

pub const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
pub const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");

/// How long a check may wait for Redis before it counts as Redis being down: a limiter must
/// not make every request as slow as a struggling Redis.
const REDIS_TIMEOUT: Duration = Duration::from_millis(250);

static GCRA: LazyLock<redis::Script> =
    LazyLock::new(|| redis::Script::new(include_str!("gcra.lua")));

/// Why a policy cannot be built (a configuration error).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PolicyError {
    #[error("a rate-limit policy name is 1 to 64 of `a-z A-Z 0-9 _ - .`, not {0:?}")]
    InvalidName(String),
    #[error("rate-limit policy {0}: the limit must be at least 1")]
    ZeroLimit(String),
    #[error("rate-limit policy {0}: the burst must be at least 1")]
    ZeroBurst(String),
    #[error("rate-limit policy {0}: the period must be a whole, non-zero number of seconds")]
    InvalidPeriod(String),
}

/// `limit` requests per `period` on average, up to `burst` at once, for one route class.
/// The fields are checked once, when the policy is made, so every policy can be rendered
/// as a header and run by the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    name: String,
    limit: u32,
    period: Duration,
    burst: u32,
}

impl Policy {
    pub fn new(name: &str, limit: u32, period: Duration, burst: u32) -> Result<Self, PolicyError> {
        let name_ok = (1..=64).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
        if !name_ok {
            return Err(PolicyError::InvalidName(name.to_owned()));
        }
        if limit == 0 {
            return Err(PolicyError::ZeroLimit(name.to_owned()));
        }
        if burst == 0 {
            return Err(PolicyError::ZeroBurst(name.to_owned()));
        }
        if period.is_zero() || period.subsec_nanos() != 0 {
            return Err(PolicyError::InvalidPeriod(name.to_owned()));
        }
        Ok(Self {
            name: name.to_owned(),
            limit,
            period,
            burst,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    pub fn period(&self) -> Duration {
        self.period
    }

    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The steady-state gap between two requests: `period / limit`.
    pub fn emission_interval(&self) -> Duration {
        self.period / self.limit
    }

    /// `"<name>";q=<limit>;w=<period seconds>`
    pub fn header_value(&self) -> String {
        format!(
            "\"{}\";q={};w={}",
            self.name,
            self.limit,
            self.period.as_secs()
        )
    }
}

/// What the limiter decided about one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Within the budget; `remaining` more may follow at once.
    Allowed {
        remaining: u32,
        reset_after: Duration,
    },
    /// Over the budget: answer 429; one more request is allowed after `retry_after`.
    Limited {
        reset_after: Duration,
        retry_after: Duration,
    },
    /// Redis did not answer and the limiter fails open: serve the request unchecked.
    Unchecked,
    /// Redis did not answer and the limiter fails closed: answer 503.
    Unavailable,
}

impl Decision {
    /// True when the request may be served.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed { .. } | Decision::Unchecked)
    }

    /// The problem to answer with instead of serving the request, if any.
    pub fn problem(&self) -> Option<Problem> {
        match self {
            Decision::Allowed { .. } | Decision::Unchecked => None,
            Decision::Limited { retry_after, .. } => {
                Some(Problem::too_many_requests(whole_seconds(*retry_after)))
            }
            Decision::Unavailable => Some(Problem::new(
                crate::ProblemCode::DependencyDown,
                "Rate limiting is temporarily unavailable; retry later.",
            )),
        }
    }

    /// Sets `RateLimit-Policy` and, when the limiter knows it, `RateLimit`. Works on any
    /// response: `res.headers_mut()` of an `HttpResponse` or a `ServiceResponse`.
    pub fn apply_headers(&self, policy: &Policy, headers: &mut HeaderMap) {
        let (remaining, reset_after) = match *self {
            Decision::Allowed {
                remaining,
                reset_after,
            } => (remaining, reset_after),
            Decision::Limited { reset_after, .. } => (0, reset_after),
            Decision::Unchecked | Decision::Unavailable => return,
        };
        let quota = format!(
            "\"{}\";r={remaining};t={}",
            policy.name,
            whole_seconds(reset_after)
        );
        // Both values are built from checked names and numbers, so they are valid headers.
        if let Ok(value) = HeaderValue::from_str(&policy.header_value()) {
            headers.insert(RATELIMIT_POLICY, value);
        }
        if let Ok(value) = HeaderValue::from_str(&quota) {
            headers.insert(RATELIMIT, value);
        }
    }
}

/// Rounded up: a client that waits this long is never early.
fn whole_seconds(d: Duration) -> u64 {
    d.as_millis().div_ceil(1000) as u64
}

/// Checks requests against policies. Cheap to clone; clones share the fail-open counter.
#[derive(Clone)]
pub struct RateLimiter {
    cache: Cache,
    fail_open: bool,
    unchecked: Arc<AtomicU64>,
}

impl RateLimiter {
    /// `fail_open`: whether a request is served (true, the default) or refused with 503
    /// (false) while Redis does not answer.
    pub fn new(cache: Cache, fail_open: bool) -> Self {
        Self {
            cache,
            fail_open,
            unchecked: Arc::new(AtomicU64::new(0)),
        }
    }

    /// How many requests were served unchecked because Redis did not answer.
    pub fn fail_open_count(&self) -> u64 {
        self.unchecked.load(Ordering::Relaxed)
    }

    /// Counts one request by `subject` (e.g. `tenant:<id>`, `ip:<addr>`) against `policy`.
    pub async fn check(&self, policy: &Policy, subject: &str) -> Decision {
        let key = self
            .cache
            .key(&format!("ratelimit:{}:{subject}", policy.name));
        let interval_us = policy.period.as_secs_f64() * 1e6 / f64::from(policy.limit);
        let run = async {
            let mut conn = self.cache.conn().await?;
            GCRA.key(&key)
                .arg(interval_us)
                .arg(policy.burst)
                .invoke_async::<(u8, u32, u64, u64)>(&mut conn)
                .await
        };
        let outcome = match tokio::time::timeout(REDIS_TIMEOUT, run).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(err)) => Err(err.to_string()),
            Err(_) => Err(format!("no answer within {REDIS_TIMEOUT:?}")),
        };
        match outcome {
            Ok((1, remaining, reset_ms, _)) => Decision::Allowed {
                remaining,
                reset_after: Duration::from_millis(reset_ms),
            },
            Ok((_, _, reset_ms, retry_ms)) => Decision::Limited {
                reset_after: Duration::from_millis(reset_ms),
                retry_after: Duration::from_millis(retry_ms),
            },
            Err(error) if self.fail_open => {
                self.unchecked.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(
                    %error,
                    policy = %policy.name,
                    "rate limiter cannot reach Redis; request served unchecked"
                );
                Decision::Unchecked
            }
            Err(error) => {
                tracing::warn!(
                    %error,
                    policy = %policy.name,
                    "rate limiter cannot reach Redis; request refused"
                );
                Decision::Unavailable
            }
        }
    }
}
