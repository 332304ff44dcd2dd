//! Retriers: which errors a state retries, how long it waits between attempts, and the
//! per-retrier attempt counters the executor persists between attempts.
//!
//! AWS semantics: the *first* retrier whose `ErrorEquals` matches decides alone, even when
//! its attempts are exhausted (later retriers are not consulted); each retrier counts its own
//! attempts; the n-th retry of a retrier waits `IntervalSeconds × BackoffRate^n`, capped by
//! `MaxDelaySeconds`, and with `JitterStrategy: FULL` a uniform draw in `[0, that delay]`.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::errors::{error_equals_matches, StatesError, ALL};
use super::fields::Fields;
use super::validation::{pointer, Issues};

/// AWS caps these at 99 999 999; a larger value is certainly a mistake.
const MAX_SECONDS_OR_ATTEMPTS: u64 = 99_999_999;
/// `MaxDelaySeconds` must stay below a year (31 622 401 s) on AWS.
const MAX_DELAY_SECONDS: u64 = 31_622_400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JitterStrategy {
    Full,
    None,
}

#[derive(Debug, Clone)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    pub interval_seconds: u64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<u64>,
    pub jitter_strategy: JitterStrategy,
}

impl Retrier {
    /// The delay before the retry that follows `previous_retries` earlier ones, before jitter.
    pub fn delay_before_retry(&self, previous_retries: u32) -> Duration {
        let exponent = i32::try_from(previous_retries).unwrap_or(i32::MAX);
        let mut seconds = self.interval_seconds as f64 * self.backoff_rate.powi(exponent);
        if let Some(cap) = self.max_delay_seconds {
            seconds = seconds.min(cap as f64);
        }
        Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX)
    }
}

/// Attempts made so far by each retrier of one state, by retrier position. Serialised as a
/// plain JSON array so the executor can store it next to the state's run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RetryCounters {
    attempts: Vec<u32>,
}

impl RetryCounters {
    pub fn new() -> Self {
        Self::default()
    }

    /// Retries already made by the retrier at `index`.
    pub fn attempts(&self, index: usize) -> u32 {
        self.attempts.get(index).copied().unwrap_or(0)
    }

    /// Retries made by all retriers: the `$$.State.RetryCount` of the next attempt.
    pub fn total(&self) -> u32 {
        self.attempts.iter().sum()
    }

    fn record(&mut self, index: usize) {
        if self.attempts.len() <= index {
            self.attempts.resize(index + 1, 0);
        }
        self.attempts[index] = self.attempts[index].saturating_add(1);
    }
}

/// Decides whether `error` is retried: `Some(delay)` (and the attempt is counted) or `None`
/// when no retrier matches or the matching one is exhausted; then catchers take over.
pub fn next_retry(
    retriers: &[Retrier],
    error: &StatesError,
    attempts: &mut RetryCounters,
    rng: &mut impl rand::Rng,
) -> Option<Duration> {
    let index = retriers
        .iter()
        .position(|retrier| error_equals_matches(&retrier.error_equals, error))?;
    let retrier = &retriers[index];
    let made = attempts.attempts(index);
    if u64::from(made) >= retrier.max_attempts {
        return None;
    }
    let delay = retrier.delay_before_retry(made);
    attempts.record(index);
    Some(match retrier.jitter_strategy {
        JitterStrategy::None => delay,
        JitterStrategy::Full => delay.mul_f64(rng.gen_range(0.0..=1.0)),
    })
}

/// Parses a `Retry` array.
pub(crate) fn parse_retry(
    value: &Value,
    at: &str,
    state: Option<&str>,
    issues: &mut Issues,
) -> Option<Vec<Retrier>> {
    let Some(items) = value.as_array() else {
        issues.report(at, state, "Retry must be an array of retriers");
        return None;
    };
    let mut retriers = Vec::new();
    let mut clean = true;
    for (index, item) in items.iter().enumerate() {
        let item_at = pointer(at, &index.to_string());
        let is_last = index + 1 == items.len();
        match parse_retrier(item, item_at, state, issues, is_last) {
            Some(retrier) => retriers.push(retrier),
            None => clean = false,
        }
    }
    clean.then_some(retriers)
}

fn parse_retrier(
    value: &Value,
    at: String,
    state: Option<&str>,
    issues: &mut Issues,
    is_last: bool,
) -> Option<Retrier> {
    let mut fields = Fields::open(value, at, state, issues, "a retrier")?;
    fields.allow_only(
        &[
            "ErrorEquals",
            "IntervalSeconds",
            "MaxAttempts",
            "BackoffRate",
            "MaxDelaySeconds",
            "JitterStrategy",
            "Comment",
        ],
        "a retrier",
    );
    let error_equals = error_equals(&mut fields, is_last, "retrier");
    let interval_seconds = fields.integer("IntervalSeconds", 1, MAX_SECONDS_OR_ATTEMPTS);
    let max_attempts = fields.integer("MaxAttempts", 0, MAX_SECONDS_OR_ATTEMPTS);
    let backoff_rate = fields.number("BackoffRate", 1.0, f64::MAX);
    let max_delay_seconds = fields.integer("MaxDelaySeconds", 1, MAX_DELAY_SECONDS);
    let jitter_strategy = match fields.string("JitterStrategy") {
        None | Some("NONE") => Some(JitterStrategy::None),
        Some("FULL") => Some(JitterStrategy::Full),
        Some(other) => {
            fields.report(
                Some("JitterStrategy"),
                format!("JitterStrategy must be FULL or NONE, not {other:?}"),
            );
            None
        }
    };
    let bad = |key: &str, parsed: bool| fields.has(key) && !parsed;
    if bad("IntervalSeconds", interval_seconds.is_some())
        || bad("MaxAttempts", max_attempts.is_some())
        || bad("BackoffRate", backoff_rate.is_some())
        || bad("MaxDelaySeconds", max_delay_seconds.is_some())
    {
        return None;
    }
    Some(Retrier {
        error_equals: error_equals?,
        interval_seconds: interval_seconds.unwrap_or(1),
        max_attempts: max_attempts.unwrap_or(3),
        backoff_rate: backoff_rate.unwrap_or(2.0),
        max_delay_seconds,
        jitter_strategy: jitter_strategy?,
    })
}

/// `ErrorEquals` of a retrier or catcher: a non-empty list of names in which `States.ALL`
/// must stand alone and only in the last retrier/catcher.
pub(crate) fn error_equals(fields: &mut Fields, is_last: bool, what: &str) -> Option<Vec<String>> {
    let Some(value) = fields.raw("ErrorEquals") else {
        fields.report(None, format!("a {what} must have ErrorEquals"));
        return None;
    };
    let names: Option<Vec<String>> = value.as_array().and_then(|items| {
        items
            .iter()
            .map(|item| item.as_str().map(str::to_string))
            .collect()
    });
    let Some(names) = names.filter(|names| !names.is_empty()) else {
        fields.report(
            Some("ErrorEquals"),
            "ErrorEquals must be a non-empty array of error names",
        );
        return None;
    };
    if names.iter().any(|name| name == ALL) {
        if names.len() > 1 {
            fields.report(
                Some("ErrorEquals"),
                "States.ALL must appear alone in ErrorEquals",
            );
            return None;
        }
        if !is_last {
            fields.report(
                Some("ErrorEquals"),
                format!("a {what} matching States.ALL must be the last one"),
            );
            return None;
        }
    }
    Some(names)
}

#[cfg(test)]
mod tests;
