//! Input and output processing of a state, in the order AWS documents it:
//! `InputPath` → `Parameters` (or a Map's `ItemSelector`, per item) → the state's work →
//! `ResultSelector` → `ResultPath` → `OutputPath`.
//!
//! The executor calls [`effective_input`] before running a state and [`state_output`] after;
//! everything in between (calling a resource, running branches) is its business. `ResultPath`
//! merges into the state's *raw* input, not the effective one: that is what lets a pipeline
//! keep each step's result under its own key.

use serde_json::{Map, Value};

use super::catch::Catcher;
use super::context::map_entry;
use super::definition::{FailState, FailText, MapState, State};
use super::errors::StatesError;
use super::jsonpath::{type_name, Path, ReferencePath};

/// The input the state works on: `InputPath` (`null` → `{}`), then `Parameters` if any.
pub fn effective_input(
    state: &State,
    raw_input: &Value,
    ctx: &Value,
) -> Result<Value, StatesError> {
    let selected = select_or_empty(state.input_path.as_ref(), raw_input, ctx)?;
    match state.parameters() {
        Some(parameters) => parameters.evaluate(&selected, ctx),
        None => Ok(selected),
    }
}

/// The input of one Map iteration: the item itself, or the `ItemSelector` (legacy
/// `Parameters`) evaluated over the Map's effective input with `$$.Map.Item.Index` and
/// `$$.Map.Item.Value` added to the context.
pub fn item_input(
    map: &MapState,
    item: &Value,
    index: usize,
    map_input: &Value,
    ctx: &Value,
) -> Result<Value, StatesError> {
    let Some(selector) = &map.item_selector else {
        return Ok(item.clone());
    };
    let mut item_ctx = match ctx {
        Value::Object(members) => members.clone(),
        _ => Map::new(),
    };
    item_ctx.insert("Map".into(), map_entry(index, item.clone()));
    selector.evaluate(map_input, &Value::Object(item_ctx))
}

/// The items a Map iterates over: `ItemsPath` over its effective input, which must be an array.
pub fn map_items(
    map: &MapState,
    effective_input: &Value,
    ctx: &Value,
) -> Result<Vec<Value>, StatesError> {
    match map.items_path.as_path().select(effective_input, ctx)? {
        Value::Array(items) => Ok(items),
        other => Err(StatesError::runtime(format!(
            "ItemsPath '{}' must select an array, got a {}",
            map.items_path.as_str(),
            type_name(&other)
        ))),
    }
}

/// The state's output from its raw input and its result: `ResultSelector` on the result,
/// `ResultPath` into the raw input, then `OutputPath` (`null` → `{}`).
///
/// For Choice, Wait and Succeed, which have no `ResultPath`, pass the effective input as
/// `result`: their output is that, filtered by `OutputPath`. For Pass, pass its `Result` (or
/// its effective input when it has none).
pub fn state_output(
    state: &State,
    raw_input: &Value,
    result: Value,
    ctx: &Value,
) -> Result<Value, StatesError> {
    let result = match state.result_selector() {
        Some(selector) => selector.evaluate(&result, ctx)?,
        None => result,
    };
    let combined = match state.result_path() {
        Some(result_path) => apply_result_path(result_path, raw_input, result)?,
        None => result,
    };
    select_or_empty(state.output_path.as_ref(), &combined, ctx)
}

/// The input handed to a catcher's `Next` state: `{"Error", "Cause"}` placed into the raw
/// input by the catcher's `ResultPath` (default `$`: the error object replaces the input).
pub fn catch_output(
    catcher: &Catcher,
    raw_input: &Value,
    error: &StatesError,
) -> Result<Value, StatesError> {
    apply_result_path(catcher.result_path.as_ref(), raw_input, error.to_value())
}

/// The error a Fail state raises, resolving `ErrorPath`/`CausePath` against its raw input
/// (a Fail state has no `InputPath`). Missing fields give empty strings, as on AWS.
pub fn fail_error(
    fail: &FailState,
    raw_input: &Value,
    ctx: &Value,
) -> Result<StatesError, StatesError> {
    let text = |field: &Option<FailText>, what: &str| -> Result<String, StatesError> {
        match field {
            None => Ok(String::new()),
            Some(FailText::Fixed(text)) => Ok(text.clone()),
            Some(FailText::Dynamic(template)) => match template.evaluate(raw_input, ctx)? {
                Value::String(text) => Ok(text),
                other => Err(StatesError::runtime(format!(
                    "{what} must resolve to a string, got a {}",
                    type_name(&other)
                ))),
            },
        }
    };
    Ok(StatesError::new(
        text(&fail.error, "ErrorPath")?,
        text(&fail.cause, "CausePath")?,
    ))
}

fn select_or_empty(path: Option<&Path>, input: &Value, ctx: &Value) -> Result<Value, StatesError> {
    match path {
        Some(path) => path.select(input, ctx),
        None => Ok(Value::Object(Map::new())),
    }
}

fn apply_result_path(
    result_path: Option<&ReferencePath>,
    raw_input: &Value,
    result: Value,
) -> Result<Value, StatesError> {
    let Some(result_path) = result_path else {
        return Ok(raw_input.clone());
    };
    let mut combined = raw_input.clone();
    result_path.write(&mut combined, result).map_err(|reason| {
        StatesError::result_path_match_failure(format!(
            "Unable to apply ResultPath '{}' to the input: {reason}",
            result_path.as_str()
        ))
    })?;
    Ok(combined)
}

#[cfg(test)]
mod tests;
