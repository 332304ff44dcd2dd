#![allow(clippy::unwrap_used)]

use super::*;
use chrono::TimeZone;

fn sample() -> ContextObject {
    ContextObject {
        execution_id: "arn:df:execution:pipeline:run-1".into(),
        execution_name: "run-1".into(),
        execution_input: json!({"tenant": "acme"}),
        start_time: Utc.with_ymd_and_hms(2019, 3, 26, 20, 14, 13).unwrap()
            + chrono::Duration::milliseconds(192),
        state_name: "Ingest".into(),
        entered_time: Utc.with_ymd_and_hms(2019, 3, 26, 20, 14, 13).unwrap()
            + chrono::Duration::milliseconds(194),
        retry_count: 2,
        state_machine_id: "arn:df:stateMachine:pipeline".into(),
        state_machine_name: "pipeline".into(),
        task_token: None,
        map_item: None,
    }
}

#[test]
fn context_has_the_aws_shape() {
    assert_eq!(
        sample().to_value(),
        json!({
            "Execution": {
                "Id": "arn:df:execution:pipeline:run-1",
                "Input": {"tenant": "acme"},
                "Name": "run-1",
                "StartTime": "2019-03-26T20:14:13.192Z"
            },
            "State": {"EnteredTime": "2019-03-26T20:14:13.194Z", "Name": "Ingest", "RetryCount": 2},
            "StateMachine": {"Id": "arn:df:stateMachine:pipeline", "Name": "pipeline"}
        })
    );
}

#[test]
fn task_token_and_map_item_appear_only_when_set() {
    let mut context = sample();
    context.task_token = Some("tok".into());
    context.map_item = Some((3, json!({"id": 7})));
    let value = context.to_value();
    assert_eq!(value["Task"], json!({"Token": "tok"}));
    assert_eq!(
        value["Map"],
        json!({"Item": {"Index": 3, "Value": {"id": 7}}})
    );
}
