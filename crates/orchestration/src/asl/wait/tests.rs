#![allow(clippy::unwrap_used)]

use super::*;
use crate::asl::definition::StateKind;
use chrono::TimeZone;
use serde_json::json;

fn wait_state(fields: Value) -> WaitState {
    let mut state = json!({"Type": "Wait", "End": true});
    for (key, value) in fields.as_object().unwrap() {
        state[key] = value.clone();
    }
    let definition = crate::asl::parse(&json!({"StartAt": "W", "States": {"W": state}}))
        .unwrap_or_else(|e| panic!("{e:?}"));
    match &definition.state("W").unwrap().kind {
        StateKind::Wait(wait) => wait.clone(),
        other => panic!("not a wait: {other:?}"),
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap()
}

#[test]
fn seconds() {
    let wait = wait_state(json!({"Seconds": 90}));
    assert_eq!(
        wait_until(&wait, &json!({}), now()).unwrap(),
        Utc.with_ymd_and_hms(2024, 5, 1, 12, 1, 30).unwrap()
    );
}

#[test]
fn timestamp_is_converted_to_utc() {
    let wait = wait_state(json!({"Timestamp": "2024-05-02T10:00:00+02:00"}));
    assert_eq!(
        wait_until(&wait, &json!({}), now()).unwrap(),
        Utc.with_ymd_and_hms(2024, 5, 2, 8, 0, 0).unwrap()
    );
}

#[test]
fn seconds_path() {
    let wait = wait_state(json!({"SecondsPath": "$.delay"}));
    assert_eq!(
        wait_until(&wait, &json!({"delay": 10}), now()).unwrap(),
        Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 10).unwrap()
    );
}

#[test]
fn timestamp_path() {
    let wait = wait_state(json!({"TimestampPath": "$.at"}));
    assert_eq!(
        wait_until(&wait, &json!({"at": "2024-06-01T00:00:00Z"}), now()).unwrap(),
        Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap()
    );
}

#[test]
fn bad_seconds_path_values_are_runtime_errors() {
    let wait = wait_state(json!({"SecondsPath": "$.delay"}));
    for input in [
        json!({}),
        json!({"delay": "10"}),
        json!({"delay": -1}),
        json!({"delay": 1.5}),
    ] {
        let err = wait_until(&wait, &input, now()).unwrap_err();
        assert_eq!(err.error, "States.Runtime", "{input}");
    }
}

#[test]
fn bad_timestamp_path_values_are_runtime_errors() {
    let wait = wait_state(json!({"TimestampPath": "$.at"}));
    for input in [
        json!({}),
        json!({"at": 5}),
        json!({"at": "next tuesday"}),
        json!({"at": "2024-06-01 00:00:00Z"}),
    ] {
        let err = wait_until(&wait, &input, now()).unwrap_err();
        assert_eq!(err.error, "States.Runtime", "{input}");
    }
}

#[test]
fn lowercase_t_or_z_timestamps_are_refused_at_parse_time() {
    let doc = json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2024-05-02t10:00:00z", "End": true}}});
    let errors = crate::asl::parse(&doc).unwrap_err();
    assert_eq!(errors[0].path, "/States/W/Timestamp");
}
