#![allow(clippy::unwrap_used)]

use super::*;
use serde_json::json;

fn path(text: &str) -> Path {
    Path::parse(text).unwrap()
}

#[test]
fn definite_paths_are_names_and_indexes_only() {
    for text in [
        "$",
        "$.a",
        "$.a.b[0]",
        "$['odd key'][2].x",
        "$[\"q\"]",
        "$$.Execution.Id",
    ] {
        assert!(path(text).is_definite(), "{text} should be definite");
    }
    for text in [
        "$.a[*]",
        "$.*",
        "$..a",
        "$.a[0:2]",
        "$.a[0,1]",
        "$.a[?@.x > 1]",
        "$.a[-1]",
    ] {
        assert!(!path(text).is_definite(), "{text} should not be definite");
    }
}

#[test]
fn quoted_names_are_unescaped() {
    let reference = ReferencePath::parse(r"$['it\'s']['a\\b']['\u00e9']").unwrap();
    assert_eq!(
        reference.segments(),
        &[
            Segment::Field("it's".into()),
            Segment::Field("a\\b".into()),
            Segment::Field("é".into())
        ]
    );
}

#[test]
fn invalid_paths_are_refused_with_a_message() {
    assert!(Path::parse("a.b").unwrap_err().contains("paths start with"));
    assert!(Path::parse("$.a[")
        .unwrap_err()
        .contains("not a valid JSONPath"));
    assert!(ReferencePath::parse("$.a[*]")
        .unwrap_err()
        .contains("not a reference path"));
}

#[test]
fn definite_path_selects_the_node_or_fails_with_runtime() {
    let input = json!({"a": {"b": [10, 20]}});
    assert_eq!(
        path("$.a.b[1]").select(&input, &Value::Null).unwrap(),
        json!(20)
    );
    let err = path("$.a.c").select(&input, &Value::Null).unwrap_err();
    assert_eq!(err.error, "States.Runtime");
    assert!(err.cause.contains("$.a.c"));
}

#[test]
fn indefinite_path_returns_every_match_as_an_array() {
    let input = json!({"items": [{"id": 1, "price": 5}, {"id": 2, "price": 50}]});
    assert_eq!(
        path("$.items[*].id").select(&input, &Value::Null).unwrap(),
        json!([1, 2])
    );
    assert_eq!(
        path("$.items[?@.price > 10].id")
            .select(&input, &Value::Null)
            .unwrap(),
        json!([2])
    );
    assert_eq!(
        path("$.missing[*]").select(&input, &Value::Null).unwrap(),
        json!([])
    );
}

#[test]
fn context_paths_read_the_context_object() {
    let context = json!({"Execution": {"Id": "exec-1"}});
    let p = path("$$.Execution.Id");
    assert!(p.is_context());
    assert_eq!(p.select(&json!({}), &context).unwrap(), json!("exec-1"));
}

#[test]
fn reference_path_writes_create_missing_objects() {
    let mut target = json!({"keep": 1});
    ReferencePath::parse("$.a.b")
        .unwrap()
        .write(&mut target, json!("x"))
        .unwrap();
    assert_eq!(target, json!({"keep": 1, "a": {"b": "x"}}));
}

#[test]
fn reference_path_writes_into_existing_array_slots_only() {
    let mut target = json!({"list": [1, 2]});
    let slot = ReferencePath::parse("$.list[1]").unwrap();
    slot.write(&mut target, json!(9)).unwrap();
    assert_eq!(target, json!({"list": [1, 9]}));
    let beyond = ReferencePath::parse("$.list[5]").unwrap();
    assert!(beyond.write(&mut target, json!(0)).is_err());
}

#[test]
fn reference_path_write_fails_through_a_scalar() {
    let mut target = json!({"who": "AWS"});
    let err = ReferencePath::parse("$.who.name")
        .unwrap()
        .write(&mut target, json!(1))
        .unwrap_err();
    assert!(err.contains("string"));
}

#[test]
fn root_reference_path_replaces_the_whole_value() {
    let mut target = json!({"a": 1});
    ReferencePath::root()
        .write(&mut target, json!([1]))
        .unwrap();
    assert_eq!(target, json!([1]));
}

#[test]
fn lookup_tells_absent_from_null() {
    let input = json!({"a": null});
    let present = ReferencePath::parse("$.a").unwrap();
    let absent = ReferencePath::parse("$.b").unwrap();
    assert_eq!(present.lookup(&input, &Value::Null), Some(&Value::Null));
    assert_eq!(absent.lookup(&input, &Value::Null), None);
}
