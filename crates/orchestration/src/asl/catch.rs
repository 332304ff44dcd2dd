//! Catchers: where a state goes when an error survives its retriers, and where the error
//! object lands in the state's input.
//!
//! As on AWS the first catcher whose `ErrorEquals` matches wins; the catcher's `ResultPath`
//! (default `$`) places `{"Error", "Cause"}` into the state's *raw* input, see
//! [`super::paths::catch_output`].

use serde_json::Value;

use super::errors::{error_equals_matches, StatesError};
use super::fields::Fields;
use super::jsonpath::ReferencePath;
use super::retry::error_equals;
use super::validation::{pointer, Issues};

#[derive(Debug, Clone)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub next: String,
    /// `None` is `ResultPath: null`: the error is dropped and the raw input passes through.
    pub result_path: Option<ReferencePath>,
}

/// The catcher that handles `error`, if any.
pub fn find_catcher<'a>(catchers: &'a [Catcher], error: &StatesError) -> Option<&'a Catcher> {
    catchers
        .iter()
        .find(|catcher| error_equals_matches(&catcher.error_equals, error))
}

/// Parses a `Catch` array; the `Next` targets are checked with the other transitions.
pub(crate) fn parse_catch(
    value: &Value,
    at: &str,
    state: Option<&str>,
    issues: &mut Issues,
) -> Option<Vec<Catcher>> {
    let Some(items) = value.as_array() else {
        issues.report(at, state, "Catch must be an array of catchers");
        return None;
    };
    let mut catchers = Vec::new();
    let mut clean = true;
    for (index, item) in items.iter().enumerate() {
        let is_last = index + 1 == items.len();
        let Some(mut fields) = Fields::open(
            item,
            pointer(at, &index.to_string()),
            state,
            issues,
            "a catcher",
        ) else {
            clean = false;
            continue;
        };
        fields.allow_only(
            &["ErrorEquals", "Next", "ResultPath", "Comment"],
            "a catcher",
        );
        let names = error_equals(&mut fields, is_last, "catcher");
        let next = fields.required_string("Next", "a catcher");
        let result_path = fields.result_path("ResultPath");
        let result_path_ok =
            result_path.is_some() || fields.raw("ResultPath") == Some(&Value::Null);
        match (names, next) {
            (Some(error_equals), Some(next)) if result_path_ok => catchers.push(Catcher {
                error_equals,
                next: next.to_string(),
                result_path,
            }),
            _ => clean = false,
        }
    }
    clean.then_some(catchers)
}

#[cfg(test)]
mod tests;
