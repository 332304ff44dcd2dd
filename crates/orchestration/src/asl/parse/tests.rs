#![allow(clippy::unwrap_used)]

use serde_json::json;

use crate::asl::{
    parse, split_integration, validate, FixedOrPath, Integration, StateKind, Transition,
};

#[test]
fn resource_suffixes_select_the_integration_pattern() {
    assert_eq!(
        split_integration("airbyte:sync"),
        ("airbyte:sync".to_string(), Integration::RequestResponse)
    );
    assert_eq!(
        split_integration("arn:aws:states:::glue:startJobRun.sync"),
        (
            "arn:aws:states:::glue:startJobRun".to_string(),
            Integration::Sync
        )
    );
    assert_eq!(
        split_integration("arn:aws:states:::states:startExecution.sync:2"),
        (
            "arn:aws:states:::states:startExecution".to_string(),
            Integration::Sync
        )
    );
    assert_eq!(
        split_integration("human:approval.waitForTaskToken"),
        ("human:approval".to_string(), Integration::WaitForTaskToken)
    );
}

#[test]
fn task_fields_are_typed_with_defaults() {
    let definition = parse(&json!({
        "StartAt": "T",
        "States": {"T": {
            "Type": "Task",
            "Resource": "jobs:run.sync",
            "TimeoutSecondsPath": "$.limit",
            "HeartbeatSeconds": 5,
            "End": true
        }}
    }))
    .unwrap();
    let state = definition.start_state().unwrap();
    assert_eq!(state.input_path.as_ref().unwrap().as_str(), "$");
    assert_eq!(state.transition(), Some(&Transition::End));
    let StateKind::Task(task) = &state.kind else {
        panic!("not a task");
    };
    assert_eq!(task.resource, "jobs:run");
    assert_eq!(task.integration, Integration::Sync);
    assert!(matches!(&task.timeout, Some(FixedOrPath::Path(p)) if p.as_str() == "$.limit"));
    assert!(matches!(task.heartbeat, Some(FixedOrPath::Fixed(5))));
    assert_eq!(task.result_path.as_ref().unwrap().as_str(), "$");
}

#[test]
fn nested_machines_are_definitions_too() {
    let definition = parse(&json!({
        "StartAt": "Fan",
        "States": {
            "Fan": {"Type": "Parallel", "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Map", "Iterator": {
                    "StartAt": "C", "States": {"C": {"Type": "Succeed"}}
                }, "End": true}}}
            ], "End": true}
        }
    }))
    .unwrap();
    let StateKind::Parallel(parallel) = &definition.state("Fan").unwrap().kind else {
        panic!("not parallel");
    };
    assert_eq!(parallel.branches[0].start_at, "A");
    let StateKind::Map(map) = &parallel.branches[1].state("B").unwrap().kind else {
        panic!("not map");
    };
    assert!(map.item_processor.state("C").is_some());
    assert!(matches!(map.max_concurrency, FixedOrPath::Fixed(0)));
    assert_eq!(map.items_path.as_str(), "$");
}

#[test]
fn every_finding_is_reported_not_only_the_first() {
    let findings = validate(&json!({
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "Nowhere", "Bogus": 1},
            "B": {"Type": "Wait", "End": true},
            "C": {"Type": "Task", "Resource": "x", "Retry": [{"ErrorEquals": [], "BackoffRate": 0}], "End": true}
        }
    }));
    let mut paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "/States/A/Bogus",
            "/States/A/Next",
            "/States/B",
            "/States/B",
            "/States/C",
            "/States/C/Retry/0/BackoffRate",
            "/States/C/Retry/0/ErrorEquals"
        ]
    );
}

#[test]
fn state_names_with_slashes_are_escaped_in_pointers() {
    let findings = validate(&json!({
        "StartAt": "a/b~c",
        "States": {"a/b~c": {"Type": "Pass", "Next": "missing"}}
    }));
    assert!(findings
        .iter()
        .any(|f| f.path == "/States/a~1b~0c/Next" && f.state.as_deref() == Some("a/b~c")));
}

#[test]
fn findings_display_pointer_state_and_message() {
    let findings =
        validate(&json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": false}}}));
    let shown: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert!(
        shown.contains(
            &"/States/A/End (state \"A\"): End must be true (use Next to continue instead)"
                .to_string()
        ),
        "{shown:?}"
    );
    assert_eq!(
        validate(&json!([])).first().unwrap().to_string(),
        "/: a state machine must be an object, not a array"
    );
}

#[test]
fn jsonata_and_distributed_maps_are_refused_as_unsupported() {
    let findings = validate(&json!({
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "W", "States": {"W": {"Type": "Succeed"}}
        }, "End": true}}
    }));
    let paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/QueryLanguage", "/States/M/ItemProcessor/ProcessorConfig"]
    );
}

#[test]
fn reachability_follows_catch_and_choice_edges_only_from_start() {
    let findings = validate(&json!({
        "StartAt": "A",
        "States": {
            "A": {"Type": "Succeed"},
            "Island": {"Type": "Pass", "Next": "AlsoIsland"},
            "AlsoIsland": {"Type": "Pass", "End": true}
        }
    }));
    let paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["/States/AlsoIsland", "/States/Island"]);
}
