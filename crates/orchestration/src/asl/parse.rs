//! Turns an ASL document into a [`Definition`], reporting every field-level problem.
//!
//! Each state type accepts exactly the fields the States Language table allows for it (in
//! JSONPath mode); anything else is a finding, as with asl-validator. Whole-scope rules
//! (transition targets, reachability, unique names) live in [`super::graph`] and run on the raw
//! document, so they still report even when some state failed to parse. Only a document with
//! no finding at all yields a `Definition`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::catch::parse_catch;
use super::catch::Catcher;
use super::choice_parse::parse_choice;
use super::definition::{Definition, State, StateKind, Transition};
use super::fields::Fields;
use super::jsonpath::ReferencePath;
use super::parse_states::{parse_fail, parse_map, parse_parallel, parse_pass, parse_task};
use super::retry::parse_retry;
use super::retry::Retrier;
use super::template::Template;
use super::validation::{pointer, Issues, ValidationError};
use super::wait::parse_wait;

/// AWS limit on state names.
const MAX_STATE_NAME: usize = 80;
/// AWS upper bound for every `...Seconds` field.
pub(crate) const MAX_SECONDS: u64 = 99_999_999;

/// Which kind of (sub-)machine is being read; each accepts slightly different fields.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Document,
    Branch,
    ItemProcessor,
    Iterator,
}

pub(crate) fn parse_document(json: &Value) -> Result<Definition, Vec<ValidationError>> {
    let mut issues = Issues::default();
    let definition = parse_machine(json, String::new(), Scope::Document, None, &mut issues);
    super::graph::check(json, &mut issues);
    match definition {
        Some(definition) if issues.is_empty() => Ok(definition),
        _ if issues.is_empty() => Err(vec![ValidationError {
            path: String::new(),
            state: None,
            message: "the definition could not be parsed".into(),
        }]),
        _ => Err(issues.into_vec()),
    }
}

pub(crate) fn parse_machine(
    value: &Value,
    at: String,
    scope: Scope,
    owner: Option<&str>,
    issues: &mut Issues,
) -> Option<Definition> {
    let what = match scope {
        Scope::Document => "a state machine",
        Scope::Branch => "a Parallel branch",
        Scope::ItemProcessor => "an ItemProcessor",
        Scope::Iterator => "an Iterator",
    };
    let mut fields = Fields::open(value, at, owner, issues, what)?;
    let mut allowed = vec!["Comment", "StartAt", "States", "QueryLanguage"];
    match scope {
        Scope::Document | Scope::Branch => allowed.extend(["Version", "TimeoutSeconds"]),
        Scope::ItemProcessor => allowed.push("ProcessorConfig"),
        Scope::Iterator => {}
    }
    fields.allow_only(&allowed, what);
    query_language(&mut fields);
    if scope == Scope::ItemProcessor {
        processor_config(&mut fields);
    }
    let comment = fields.string("Comment").map(str::to_string);
    let version = fields.string("Version").map(str::to_string);
    let timeout_seconds = fields.integer("TimeoutSeconds", 0, MAX_SECONDS);
    let start_at = fields.required_string("StartAt", what);
    let states_at = fields.pointer_to("States");
    let states = match fields.raw("States") {
        Some(Value::Object(states)) => Some(states),
        Some(_) => {
            fields.report(Some("States"), "States must be an object of named states");
            None
        }
        None => {
            fields.report(None, format!("{what} must have States"));
            None
        }
    };
    let issues = fields.issues();
    let mut parsed = BTreeMap::new();
    let mut clean = true;
    for (name, state) in states.into_iter().flatten() {
        let state_at = pointer(&states_at, name);
        if name.is_empty() || name.chars().count() > MAX_STATE_NAME {
            issues.report(
                &state_at,
                Some(name),
                format!("state names must be 1 to {MAX_STATE_NAME} characters long"),
            );
            clean = false;
        }
        match parse_state(name, state, state_at, issues) {
            Some(state) => {
                parsed.insert(name.clone(), state);
            }
            None => clean = false,
        }
    }
    let definition = Definition {
        comment,
        start_at: start_at?.to_string(),
        states: parsed,
        timeout_seconds,
        version,
    };
    (clean && states.is_some()).then_some(definition)
}

fn query_language(fields: &mut Fields) {
    match fields.string("QueryLanguage") {
        None | Some("JSONPath") => {}
        Some("JSONata") => fields.report(
            Some("QueryLanguage"),
            "JSONata is not supported by this engine; use JSONPath",
        ),
        Some(other) => fields.report(
            Some("QueryLanguage"),
            format!("unknown QueryLanguage {other:?}"),
        ),
    }
}

fn processor_config(fields: &mut Fields) {
    let Some(config) = fields.raw("ProcessorConfig") else {
        return;
    };
    match config.get("Mode").and_then(Value::as_str) {
        None | Some("INLINE") => {}
        Some("DISTRIBUTED") => fields.report(
            Some("ProcessorConfig"),
            "DISTRIBUTED Map mode is not supported; use INLINE",
        ),
        Some(other) => fields.report(
            Some("ProcessorConfig"),
            format!("unknown ProcessorConfig Mode {other:?}"),
        ),
    }
}

const IO: [&str; 2] = ["InputPath", "OutputPath"];
const FLOW: [&str; 2] = ["Next", "End"];

fn parse_state(name: &str, value: &Value, at: String, issues: &mut Issues) -> Option<State> {
    let mut fields = Fields::open(value, at, Some(name), issues, "a state")?;
    let kind = fields.required_string("Type", "a state")?;
    let extra: &[&str] = match kind {
        "Pass" => &["Result", "ResultPath", "Parameters"],
        "Task" => &[
            "Resource",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Credentials",
        ],
        "Choice" => &["Choices", "Default"],
        "Wait" => &["Seconds", "Timestamp", "SecondsPath", "TimestampPath"],
        "Succeed" => &[],
        "Fail" => &["Error", "ErrorPath", "Cause", "CausePath"],
        "Parallel" => &[
            "Branches",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
        ],
        "Map" => &[
            "ItemsPath",
            "ItemSelector",
            "Parameters",
            "ItemProcessor",
            "Iterator",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            "Label",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
        ],
        other => {
            fields.report(
                Some("Type"),
                format!(
                    "unknown state Type {other:?}; expected Task, Choice, Wait, Pass, Succeed, \
                     Fail, Parallel or Map"
                ),
            );
            return None;
        }
    };
    let terminal_by_type = matches!(kind, "Choice" | "Succeed" | "Fail");
    let mut allowed = vec!["Type", "Comment", "QueryLanguage"];
    allowed.extend_from_slice(extra);
    if kind != "Fail" {
        allowed.extend(IO);
    }
    allowed.extend(FLOW);
    fields.allow_only(&allowed, &format!("a {kind} state"));
    query_language(&mut fields);
    if terminal_by_type {
        let present: Vec<&str> = FLOW.into_iter().filter(|key| fields.has(key)).collect();
        for key in present {
            fields.report(
                Some(key),
                format!("a {kind} state cannot have {key}: it ends its branch or chooses its successor itself"),
            );
        }
    }
    let comment = fields.string("Comment").map(str::to_string);
    let input_path = fields.nullable_path("InputPath");
    let output_path = fields.nullable_path("OutputPath");
    let io_ok = [("InputPath", &input_path), ("OutputPath", &output_path)]
        .iter()
        .all(|(key, path)| path.is_some() || fields.raw(key).is_none_or(Value::is_null));
    let kind = match kind {
        "Pass" => parse_pass(&mut fields).map(StateKind::Pass),
        "Task" => parse_task(&mut fields).map(StateKind::Task),
        "Choice" => parse_choice(&mut fields).map(StateKind::Choice),
        "Wait" => parse_wait(&mut fields).map(StateKind::Wait),
        "Succeed" => Some(StateKind::Succeed),
        "Fail" => parse_fail(&mut fields).map(StateKind::Fail),
        "Parallel" => parse_parallel(&mut fields).map(StateKind::Parallel),
        _ => parse_map(&mut fields).map(StateKind::Map),
    };
    if !io_ok {
        return None;
    }
    Some(State {
        name: name.to_string(),
        comment,
        input_path,
        output_path,
        kind: kind?,
    })
}

/// `Next` xor `End: true`.
pub(crate) fn transition(fields: &mut Fields) -> Option<Transition> {
    match (fields.has("Next"), fields.has("End")) {
        (true, true) => {
            fields.report(Some("End"), "a state cannot have both Next and End");
            None
        }
        (false, false) => {
            fields.report(None, "a state must have either Next or \"End\": true");
            None
        }
        (true, false) => fields
            .string("Next")
            .map(|next| Transition::Next(next.into())),
        (false, true) => {
            if fields.raw("End") == Some(&Value::Bool(true)) {
                Some(Transition::End)
            } else {
                fields.report(
                    Some("End"),
                    "End must be true (use Next to continue instead)",
                );
                None
            }
        }
    }
}

/// An optional payload template; `Err` when present but broken.
pub(crate) fn optional_template(fields: &mut Fields, key: &str) -> Result<Option<Template>, ()> {
    match fields.raw(key) {
        None => Ok(None),
        Some(_) => fields.template(key).map(Some).ok_or(()),
    }
}

/// `ResultPath` (`$` when absent, `None` for null); `Err` when broken.
pub(crate) fn result_path(fields: &mut Fields) -> Result<Option<ReferencePath>, ()> {
    let parsed = fields.result_path("ResultPath");
    match (parsed, fields.raw("ResultPath")) {
        (Some(path), _) => Ok(Some(path)),
        (None, Some(Value::Null)) => Ok(None),
        (None, _) => Err(()),
    }
}

/// `Retry` and `Catch`, empty when absent; `Err` when either is broken.
pub(crate) fn retry_and_catch(fields: &mut Fields) -> Result<(Vec<Retrier>, Vec<Catcher>), ()> {
    let state = fields.state();
    let retry_at = fields.pointer_to("Retry");
    let catch_at = fields.pointer_to("Catch");
    let retry = fields.raw("Retry");
    let catch = fields.raw("Catch");
    let issues = fields.issues();
    let retry = match retry {
        None => Some(Vec::new()),
        Some(value) => parse_retry(value, &retry_at, state, issues),
    };
    let catch = match catch {
        None => Some(Vec::new()),
        Some(value) => parse_catch(value, &catch_at, state, issues),
    };
    match (retry, catch) {
        (Some(retry), Some(catch)) => Ok((retry, catch)),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests;
