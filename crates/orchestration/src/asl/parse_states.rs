//! Field-level parsing of the state types that carry more than a few fields: Pass, Task,
//! Fail, Parallel and Map.
//!
//! Each parser reads every field even after a failure so that one pass reports all findings,
//! and returns a value only when its fields were all valid.

use serde_json::Value;

use super::definition::{
    Definition, FailState, FailText, FixedOrPath, Integration, MapState, ParallelState, PassState,
    TaskState,
};
use super::fields::Fields;
use super::jsonpath::ReferencePath;
use super::parse::{
    optional_template, parse_machine, result_path, retry_and_catch, transition, Scope, MAX_SECONDS,
};
use super::template::compile_dynamic;
use super::validation::pointer;

pub(crate) fn parse_pass(fields: &mut Fields) -> Option<PassState> {
    let parameters = optional_template(fields, "Parameters");
    let result_path = result_path(fields);
    Some(PassState {
        result: fields.raw("Result").cloned(),
        parameters: parameters.ok()?,
        result_path: result_path.ok()?,
        transition: transition(fields)?,
    })
}

pub(crate) fn parse_task(fields: &mut Fields) -> Option<TaskState> {
    let resource = fields.required_string("Resource", "a Task state");
    let (resource, integration) = match resource {
        Some("") => {
            fields.report(Some("Resource"), "Resource must not be empty");
            (None, Integration::RequestResponse)
        }
        Some(resource) => {
            let (base, integration) = split_integration(resource);
            (Some(base), integration)
        }
        None => (None, Integration::RequestResponse),
    };
    let timeout = fixed_or_path(fields, "TimeoutSeconds", |f, key| {
        f.integer(key, 1, MAX_SECONDS)
    });
    let heartbeat = fixed_or_path(fields, "HeartbeatSeconds", |f, key| {
        f.integer(key, 1, MAX_SECONDS)
    });
    if let (Ok(Some(FixedOrPath::Fixed(timeout))), Ok(Some(FixedOrPath::Fixed(heartbeat)))) =
        (&timeout, &heartbeat)
    {
        if heartbeat >= timeout {
            fields.report(
                Some("HeartbeatSeconds"),
                format!("HeartbeatSeconds ({heartbeat}) must be smaller than TimeoutSeconds ({timeout})"),
            );
            return None;
        }
    }
    let parameters = optional_template(fields, "Parameters");
    let result_selector = optional_template(fields, "ResultSelector");
    let result_path = result_path(fields);
    let handlers = retry_and_catch(fields);
    let transition = transition(fields);
    let (retry, catch) = handlers.ok()?;
    Some(TaskState {
        resource: resource?,
        integration,
        parameters: parameters.ok()?,
        result_selector: result_selector.ok()?,
        result_path: result_path.ok()?,
        timeout: timeout.ok()?,
        heartbeat: heartbeat.ok()?,
        retry,
        catch,
        transition: transition?,
    })
}

/// Splits a Task `Resource` into its base name and integration pattern:
/// `arn:aws:states:::glue:startJobRun.sync` → (`arn:aws:states:::glue:startJobRun`, `Sync`).
pub fn split_integration(resource: &str) -> (String, Integration) {
    for (suffix, integration) in [
        (".waitForTaskToken", Integration::WaitForTaskToken),
        (".sync:2", Integration::Sync),
        (".sync", Integration::Sync),
    ] {
        if let Some(base) = resource.strip_suffix(suffix) {
            return (base.to_string(), integration);
        }
    }
    (resource.to_string(), Integration::RequestResponse)
}

pub(crate) fn parse_fail(fields: &mut Fields) -> Option<FailState> {
    let mut fail = FailState::default();
    let mut clean = true;
    for (fixed, by_path, slot) in [
        ("Error", "ErrorPath", &mut fail.error),
        ("Cause", "CausePath", &mut fail.cause),
    ] {
        if !fields.at_most_one(&[fixed, by_path]) {
            clean = false;
        } else if let Some(text) = fields.string(fixed) {
            *slot = Some(FailText::Fixed(text.to_string()));
        } else if let Some(text) = fields.string(by_path) {
            match compile_dynamic(text) {
                Ok(template) => *slot = Some(FailText::Dynamic(template)),
                Err(message) => {
                    fields.report(Some(by_path), message);
                    clean = false;
                }
            }
        } else if fields.has(fixed) || fields.has(by_path) {
            clean = false;
        }
    }
    clean.then_some(fail)
}

pub(crate) fn parse_parallel(fields: &mut Fields) -> Option<ParallelState> {
    let state = fields.state();
    let branches_at = fields.pointer_to("Branches");
    let branches = match fields.raw("Branches") {
        Some(Value::Array(items)) if !items.is_empty() => {
            let issues = fields.issues();
            let parsed: Vec<Option<Definition>> = items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let at = pointer(&branches_at, &index.to_string());
                    parse_machine(item, at, Scope::Branch, state, issues)
                })
                .collect();
            parsed.into_iter().collect::<Option<Vec<_>>>()
        }
        Some(_) => {
            fields.report(
                Some("Branches"),
                "Branches must be a non-empty array of state machines",
            );
            None
        }
        None => {
            fields.report(None, "a Parallel state must have Branches");
            None
        }
    };
    let parameters = optional_template(fields, "Parameters");
    let result_selector = optional_template(fields, "ResultSelector");
    let result_path = result_path(fields);
    let handlers = retry_and_catch(fields);
    let transition = transition(fields);
    let (retry, catch) = handlers.ok()?;
    Some(ParallelState {
        branches: branches?,
        parameters: parameters.ok()?,
        result_selector: result_selector.ok()?,
        result_path: result_path.ok()?,
        retry,
        catch,
        transition: transition?,
    })
}

pub(crate) fn parse_map(fields: &mut Fields) -> Option<MapState> {
    let state = fields.state();
    let item_processor = if !fields.has("ItemProcessor") && !fields.has("Iterator") {
        fields.report(
            None,
            "a Map state must have an ItemProcessor (or legacy Iterator)",
        );
        None
    } else if fields.at_most_one(&["ItemProcessor", "Iterator"]) {
        let (key, scope) = if fields.has("ItemProcessor") {
            ("ItemProcessor", Scope::ItemProcessor)
        } else {
            ("Iterator", Scope::Iterator)
        };
        let at = fields.pointer_to(key);
        let value = fields.raw(key)?;
        parse_machine(value, at, scope, state, fields.issues())
    } else {
        None
    };
    let items_path = match fields.raw("ItemsPath") {
        None => Some(ReferencePath::root()),
        Some(_) => fields.reference_path("ItemsPath"),
    };
    let item_selector = if fields.at_most_one(&["ItemSelector", "Parameters"]) {
        let key = if fields.has("Parameters") {
            "Parameters"
        } else {
            "ItemSelector"
        };
        optional_template(fields, key)
    } else {
        Err(())
    };
    let max_concurrency = match fixed_or_path(fields, "MaxConcurrency", |f, key| {
        f.integer(key, 0, MAX_SECONDS)
    }) {
        Ok(value) => Ok(value.unwrap_or(FixedOrPath::Fixed(0))),
        Err(()) => Err(()),
    };
    let tolerated_failure_percentage =
        fixed_or_path(fields, "ToleratedFailurePercentage", |f, key| {
            f.number(key, 0.0, 100.0)
        });
    let tolerated_failure_count = fixed_or_path(fields, "ToleratedFailureCount", |f, key| {
        f.integer(key, 0, u64::MAX)
    });
    let label = fields.string("Label").map(str::to_string);
    let result_selector = optional_template(fields, "ResultSelector");
    let result_path = result_path(fields);
    let handlers = retry_and_catch(fields);
    let transition = transition(fields);
    let (retry, catch) = handlers.ok()?;
    Some(MapState {
        items_path: items_path?,
        item_selector: item_selector.ok()?,
        item_processor: Box::new(item_processor?),
        max_concurrency: max_concurrency.ok()?,
        tolerated_failure_percentage: tolerated_failure_percentage.ok()?,
        tolerated_failure_count: tolerated_failure_count.ok()?,
        label,
        result_selector: result_selector.ok()?,
        result_path: result_path.ok()?,
        retry,
        catch,
        transition: transition?,
    })
}

/// `X` or `XPath` (at most one); `Err` when present but invalid.
fn fixed_or_path<T>(
    fields: &mut Fields,
    fixed: &str,
    read: impl FnOnce(&mut Fields, &str) -> Option<T>,
) -> Result<Option<FixedOrPath<T>>, ()> {
    let by_path = format!("{fixed}Path");
    if !fields.at_most_one(&[fixed, &by_path]) {
        return Err(());
    }
    if fields.has(fixed) {
        return read(fields, fixed)
            .map(|n| Some(FixedOrPath::Fixed(n)))
            .ok_or(());
    }
    if fields.has(&by_path) {
        return fields
            .reference_path(&by_path)
            .map(|p| Some(FixedOrPath::Path(p)))
            .ok_or(());
    }
    Ok(None)
}
