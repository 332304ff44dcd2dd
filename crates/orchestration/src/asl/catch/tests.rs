#![allow(clippy::unwrap_used)]

use super::*;
use serde_json::json;

fn catchers() -> Vec<Catcher> {
    let mut issues = Issues::default();
    let parsed = parse_catch(
        &json!([
            {"ErrorEquals": ["Custom.Known"], "Next": "Known"},
            {"ErrorEquals": ["States.TaskFailed"], "Next": "Task", "ResultPath": "$.error"},
            {"ErrorEquals": ["States.ALL"], "Next": "Any", "ResultPath": null}
        ]),
        "/Catch",
        None,
        &mut issues,
    );
    assert!(issues.is_empty(), "{:?}", issues.into_vec());
    parsed.unwrap()
}

fn caught(error: StatesError) -> Option<String> {
    find_catcher(&catchers(), &error).map(|c| c.next.clone())
}

#[test]
fn first_matching_catcher_wins() {
    assert_eq!(
        caught(StatesError::new("Custom.Known", "")).as_deref(),
        Some("Known")
    );
    assert_eq!(
        caught(StatesError::new("Other.Error", "")).as_deref(),
        Some("Task")
    );
    assert_eq!(caught(StatesError::timeout("")).as_deref(), Some("Any"));
}

#[test]
fn runtime_errors_are_not_caught_by_wildcards() {
    assert_eq!(caught(StatesError::runtime("bad path")), None);
}

#[test]
fn an_explicit_runtime_catcher_does_catch_it() {
    let catcher = Catcher {
        error_equals: vec!["States.Runtime".into()],
        next: "Fix".into(),
        result_path: None,
    };
    assert!(find_catcher(&[catcher], &StatesError::runtime("")).is_some());
}

#[test]
fn result_path_defaults_to_root_and_null_is_kept() {
    let parsed = catchers();
    assert_eq!(
        parsed[0].result_path.as_ref().map(|p| p.as_str()),
        Some("$")
    );
    assert_eq!(
        parsed[1].result_path.as_ref().map(|p| p.as_str()),
        Some("$.error")
    );
    assert!(parsed[2].result_path.is_none());
}

#[test]
fn parsing_reports_missing_next_and_bad_fields() {
    let mut issues = Issues::default();
    let parsed = parse_catch(
        &json!([
            {"ErrorEquals": ["States.ALL"]},
            {"ErrorEquals": ["X"], "Next": "A", "ResultPath": "$.a[*]"}
        ]),
        "/Catch",
        Some("T"),
        &mut issues,
    );
    assert!(parsed.is_none());
    let paths: Vec<String> = issues.into_vec().into_iter().map(|e| e.path).collect();
    assert_eq!(
        paths,
        ["/Catch/0/ErrorEquals", "/Catch/0", "/Catch/1/ResultPath"]
    );
}
