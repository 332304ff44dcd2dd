#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use super::*;
use crate::asl::{
    choose, effective_input, parse, state_output, Definition, Integration, StateKind, Transition,
};

/// A toy interpreter over the seed: each Task returns the canned result for its name.
fn walk(
    definition: &Definition,
    input: Value,
    results: &BTreeMap<&str, Value>,
) -> (Vec<String>, Value) {
    let context = json!({"Execution": {"Id": "exec-1"}});
    let mut visited = Vec::new();
    let mut name = definition.start_at.clone();
    let mut data = input;
    loop {
        visited.push(name.clone());
        let state = definition.state(&name).unwrap();
        let effective = effective_input(state, &data, &context).unwrap();
        let next = match &state.kind {
            StateKind::Task(_) => {
                let result = results[name.as_str()].clone();
                data = state_output(state, &data, result, &context).unwrap();
                state.transition().cloned()
            }
            StateKind::Choice(choice) => {
                let next = choose(choice, &effective).unwrap().to_string();
                data = state_output(state, &data, effective, &context).unwrap();
                Some(Transition::Next(next))
            }
            other => panic!("unexpected state {other:?}"),
        };
        match next {
            Some(Transition::Next(next)) => name = next,
            _ => return (visited, data),
        }
    }
}

fn canned(gold_rows: u64) -> BTreeMap<&'static str, Value> {
    BTreeMap::from([
        ("Ingest", json!({"records": 120})),
        (
            "Transform",
            json!({"tables": [{"name": "gold.lead_features", "rows": gold_rows}, {"name": "silver.leads", "rows": 120}]}),
        ),
        ("Score", json!({"scored": gold_rows})),
        ("ReverseEtl", json!({"synced": gold_rows})),
        ("Callback", json!({"status": 200})),
    ])
}

fn input() -> Value {
    json!({"tenantId": "t-1", "connectionId": "c-1", "callbackUrl": "https://example.invalid/hook"})
}

#[test]
fn seed_parses_with_the_documented_resources() {
    let definition = parse(&seed_pipeline_template()).unwrap();
    let resources: Vec<(String, String)> = definition
        .states
        .values()
        .filter_map(|state| match &state.kind {
            StateKind::Task(task) => {
                assert_eq!(task.integration, Integration::RequestResponse);
                assert_eq!(task.retry.len(), 1);
                assert_eq!(task.retry[0].error_equals, ["States.TaskFailed"]);
                assert_eq!(task.catch[0].next, "Failed");
                Some((state.name.clone(), task.resource.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        resources,
        [
            ("Callback".to_string(), "http:callback".to_string()),
            ("Ingest".into(), "airbyte:sync".into()),
            ("ReverseEtl".into(), "reverse_etl:hubspot".into()),
            ("Score".into(), "modal:run".into()),
            ("Transform".into(), "sandbox:sql".into()),
        ]
    );
}

#[test]
fn full_run_keeps_every_step_result_under_its_own_key() {
    let definition = parse(&seed_pipeline_template()).unwrap();
    let (visited, output) = walk(&definition, input(), &canned(42));
    assert_eq!(
        visited,
        [
            "Ingest",
            "Transform",
            "HasRowsToScore",
            "Score",
            "ReverseEtl",
            "Callback"
        ]
    );
    for key in [
        "ingest",
        "transform",
        "score",
        "reverseEtl",
        "callback",
        "tenantId",
    ] {
        assert!(output.get(key).is_some(), "missing {key} in {output}");
    }
}

#[test]
fn empty_gold_table_skips_scoring() {
    let definition = parse(&seed_pipeline_template()).unwrap();
    let (visited, output) = walk(&definition, input(), &canned(0));
    assert_eq!(
        visited,
        [
            "Ingest",
            "Transform",
            "HasRowsToScore",
            "ReverseEtl",
            "Callback"
        ]
    );
    assert!(output.get("score").is_none());
}

#[test]
fn callback_parameters_carry_the_execution_id() {
    let definition = parse(&seed_pipeline_template()).unwrap();
    let callback = definition.state("Callback").unwrap();
    let data = json!({"callbackUrl": "u", "ingest": 1, "transform": 2, "reverseEtl": 3});
    let request =
        effective_input(callback, &data, &json!({"Execution": {"Id": "exec-1"}})).unwrap();
    assert_eq!(request["url"], json!("u"));
    assert_eq!(request["body"]["executionId"], json!("exec-1"));
}
