//! Wait states: parsing their four mutually exclusive forms and computing when they end.
//!
//! The executor persists the computed deadline rather than sleeping, so [`wait_until`] is a
//! pure function of the state, its effective input and "now". Values read through
//! `SecondsPath`/`TimestampPath` are checked at run time and a wrong one is `States.Runtime`,
//! like on AWS.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::choice::parse_timestamp;
use super::definition::{WaitFor, WaitState};
use super::errors::StatesError;
use super::fields::Fields;
use super::parse::{transition, MAX_SECONDS};

const FORMS: [&str; 4] = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];

/// When a Wait state entered at `now` with effective input `input` is over.
pub fn wait_until(
    wait: &WaitState,
    input: &Value,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, StatesError> {
    match &wait.wait_for {
        WaitFor::Seconds(seconds) => Ok(after(now, *seconds)),
        WaitFor::Timestamp(at) => Ok(at.with_timezone(&Utc)),
        WaitFor::SecondsPath(path) => {
            let value = path.lookup(input, &Value::Null).ok_or_else(|| {
                StatesError::runtime(format!("SecondsPath '{}' matched nothing", path.as_str()))
            })?;
            let seconds = value.as_u64().ok_or_else(|| {
                StatesError::runtime(format!(
                    "SecondsPath '{}' must select a non-negative integer, got {value}",
                    path.as_str()
                ))
            })?;
            Ok(after(now, seconds))
        }
        WaitFor::TimestampPath(path) => {
            let value = path.lookup(input, &Value::Null).ok_or_else(|| {
                StatesError::runtime(format!("TimestampPath '{}' matched nothing", path.as_str()))
            })?;
            value
                .as_str()
                .and_then(parse_timestamp)
                .map(|at| at.with_timezone(&Utc))
                .ok_or_else(|| {
                    StatesError::runtime(format!(
                        "TimestampPath '{}' must select an RFC 3339 timestamp, got {value}",
                        path.as_str()
                    ))
                })
        }
    }
}

fn after(now: DateTime<Utc>, seconds: u64) -> DateTime<Utc> {
    i64::try_from(seconds)
        .ok()
        .and_then(chrono::TimeDelta::try_seconds)
        .and_then(|delta| now.checked_add_signed(delta))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

pub(crate) fn parse_wait(fields: &mut Fields) -> Option<WaitState> {
    let present: Vec<&str> = FORMS.into_iter().filter(|key| fields.has(key)).collect();
    let transition = transition(fields);
    let wait_for = match present.as_slice() {
        ["Seconds"] => fields
            .integer("Seconds", 0, MAX_SECONDS)
            .map(WaitFor::Seconds),
        ["Timestamp"] => match fields.string("Timestamp") {
            Some(text) => match parse_timestamp(text) {
                Some(at) => Some(WaitFor::Timestamp(at)),
                None => {
                    fields.report(
                        Some("Timestamp"),
                        format!(
                            "{text:?} is not an RFC 3339 timestamp (e.g. 2026-01-31T08:00:00Z)"
                        ),
                    );
                    None
                }
            },
            None => None,
        },
        ["SecondsPath"] => fields
            .reference_path("SecondsPath")
            .map(WaitFor::SecondsPath),
        [_] => fields
            .reference_path("TimestampPath")
            .map(WaitFor::TimestampPath),
        [] => {
            fields.report(
                None,
                "a Wait state needs one of Seconds, Timestamp, SecondsPath, TimestampPath",
            );
            None
        }
        [_, second, ..] => {
            fields.report(
                Some(second),
                "a Wait state takes exactly one of Seconds, Timestamp, SecondsPath, TimestampPath",
            );
            None
        }
    };
    Some(WaitState {
        wait_for: wait_for?,
        transition: transition?,
    })
}

#[cfg(test)]
mod tests;
