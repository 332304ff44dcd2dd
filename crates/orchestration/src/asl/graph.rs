//! Checks that need a whole scope at once: transition targets, reachability, terminal states
//! and unique state names.
//!
//! They run on the raw document rather than on parsed states so that a state with a broken
//! field still takes part (its `Next` is still checked, it still makes its successors
//! reachable). A scope is the top-level machine, a Parallel branch, or a Map's item processor:
//! transitions never cross scopes. Names must be unique across the whole document, as AWS and
//! asl-validator require, even though each scope only sees its own.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;

use super::validation::{pointer, Issues};

pub(crate) fn check(document: &Value, issues: &mut Issues) {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    check_scope(document, "", issues, &mut names);
}

fn check_scope(scope: &Value, at: &str, issues: &mut Issues, names: &mut BTreeMap<String, String>) {
    let Some(states) = scope.get("States").and_then(Value::as_object) else {
        return;
    };
    let states_at = pointer(at, "States");
    let mut successors: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, state) in states {
        let state_at = pointer(&states_at, name);
        if let Some(first) = names.get(name) {
            issues.report(
                &state_at,
                Some(name),
                format!("state name {name:?} is already used at {first}; names must be unique in the whole definition"),
            );
        } else {
            names.insert(name.clone(), state_at.clone());
        }
        let targets = successors.entry(name).or_default();
        for (field_at, target) in transitions(state, &state_at) {
            if states.contains_key(target) {
                targets.push(target);
            } else {
                issues.report(
                    &field_at,
                    Some(name),
                    format!("{target:?} is not a state of this scope"),
                );
            }
        }
        for (nested_at, nested) in nested_scopes(state, &state_at) {
            check_scope(nested, &nested_at, issues, names);
        }
    }
    let start_at = scope.get("StartAt").and_then(Value::as_str);
    let mut reachable = BTreeSet::new();
    match start_at {
        Some(start) if states.contains_key(start) => {
            let mut queue = VecDeque::from([start]);
            while let Some(name) = queue.pop_front() {
                if reachable.insert(name) {
                    queue.extend(successors.get(name).into_iter().flatten().copied());
                }
            }
            for name in states
                .keys()
                .filter(|name| !reachable.contains(name.as_str()))
            {
                issues.report(
                    &pointer(&states_at, name),
                    Some(name),
                    format!("state {name:?} cannot be reached from StartAt"),
                );
            }
        }
        Some(start) => issues.report(
            &pointer(at, "StartAt"),
            None,
            format!("StartAt {start:?} is not a state of this scope"),
        ),
        None => {}
    }
    if !states.is_empty() && !states.values().any(is_terminal) {
        issues.report(
            &states_at,
            None,
            "no state ends this scope: at least one needs \"End\": true or Type Succeed/Fail",
        );
    }
}

fn is_terminal(state: &Value) -> bool {
    state.get("End") == Some(&Value::Bool(true))
        || matches!(
            state.get("Type").and_then(Value::as_str),
            Some("Succeed" | "Fail")
        )
}

/// `(pointer, target)` of `Next`, `Default`, `Choices[i].Next` and `Catch[i].Next`.
fn transitions<'v>(state: &'v Value, at: &str) -> Vec<(String, &'v str)> {
    let mut found = Vec::new();
    let Some(members) = state.as_object() else {
        return found;
    };
    for key in ["Next", "Default"] {
        if let Some(target) = members.get(key).and_then(Value::as_str) {
            found.push((pointer(at, key), target));
        }
    }
    for list in ["Choices", "Catch"] {
        let items = members.get(list).and_then(Value::as_array);
        for (index, item) in items.into_iter().flatten().enumerate() {
            if let Some(target) = item.get("Next").and_then(Value::as_str) {
                let item_at = pointer(&pointer(at, list), &index.to_string());
                found.push((pointer(&item_at, "Next"), target));
            }
        }
    }
    found
}

/// Branches of a Parallel state, item processor of a Map state.
fn nested_scopes<'v>(state: &'v Value, at: &str) -> Vec<(String, &'v Value)> {
    let mut scopes = Vec::new();
    let Some(members) = state.as_object() else {
        return scopes;
    };
    match members.get("Type").and_then(Value::as_str) {
        Some("Parallel") => {
            let branches = members.get("Branches").and_then(Value::as_array);
            for (index, branch) in branches.into_iter().flatten().enumerate() {
                scopes.push((
                    pointer(&pointer(at, "Branches"), &index.to_string()),
                    branch,
                ));
            }
        }
        Some("Map") => {
            for key in ["ItemProcessor", "Iterator"] {
                if let Some(processor) = members.get(key) {
                    scopes.push((pointer(at, key), processor));
                }
            }
        }
        _ => {}
    }
    scopes
}
