#![allow(clippy::unwrap_used)]

use super::*;
use crate::asl::{parse, Definition, StateKind};
use serde_json::json;

/// Parses a one-state machine and returns the definition (state "S").
fn single(state: Value) -> Definition {
    parse(&json!({"StartAt": "S", "States": {"S": state}})).unwrap_or_else(|e| panic!("{e:?}"))
}

fn task(extra: Value) -> Definition {
    let mut state = json!({"Type": "Task", "Resource": "lambda:invoke", "End": true});
    for (key, value) in extra.as_object().unwrap() {
        state[key] = value.clone();
    }
    single(state)
}

fn run(definition: &Definition, input: &Value, result: Value) -> Result<Value, StatesError> {
    let state = definition.state("S").unwrap();
    state_output(state, input, result, &Value::Null)
}

fn resultpath_example_input() -> Value {
    json!({
        "comment": "This is a test of the input and output of a Task state.",
        "details": "Default example",
        "who": "AWS Step Functions"
    })
}

/// "Example: Manipulating state data with paths" from the AWS input/output guide.
#[test]
fn aws_input_path_result_path_output_path_example() {
    let definition = task(json!({
        "InputPath": "$.lambda",
        "ResultPath": "$.data.lambdaresult",
        "OutputPath": "$.data"
    }));
    let raw = json!({
        "comment": "An input comment.",
        "data": {"val1": 23, "val2": 17},
        "extra": "foo",
        "lambda": {"who": "AWS Step Functions"}
    });
    let state = definition.state("S").unwrap();
    assert_eq!(
        effective_input(state, &raw, &Value::Null).unwrap(),
        json!({"who": "AWS Step Functions"})
    );
    assert_eq!(
        run(&definition, &raw, json!("Hello, AWS Step Functions!")).unwrap(),
        json!({"val1": 23, "val2": 17, "lambdaresult": "Hello, AWS Step Functions!"})
    );
}

/// The ResultPath examples of the AWS guide: `$`, `$.taskresult`, `null`, nested creation.
#[test]
fn aws_result_path_examples() {
    let result = json!("Hello, AWS Step Functions!");
    let input = resultpath_example_input();
    assert_eq!(
        run(&task(json!({"ResultPath": "$"})), &input, result.clone()).unwrap(),
        result
    );
    let mut with_result = input.clone();
    with_result["taskresult"] = result.clone();
    assert_eq!(
        run(
            &task(json!({"ResultPath": "$.taskresult"})),
            &input,
            result.clone()
        )
        .unwrap(),
        with_result
    );
    assert_eq!(
        run(&task(json!({"ResultPath": null})), &input, result.clone()).unwrap(),
        input
    );
    let mut nested = input.clone();
    nested["strings"] = json!({"lambdaresult": result.clone()});
    assert_eq!(
        run(
            &task(json!({"ResultPath": "$.strings.lambdaresult"})),
            &input,
            result
        )
        .unwrap(),
        nested
    );
}

#[test]
fn result_path_that_cannot_be_applied_is_result_path_match_failure() {
    let through_string = run(
        &task(json!({"ResultPath": "$.who.result"})),
        &resultpath_example_input(),
        json!(1),
    );
    assert_eq!(
        through_string.unwrap_err().error,
        "States.ResultPathMatchFailure"
    );
    let into_scalar_input = run(
        &task(json!({"ResultPath": "$.x"})),
        &json!("just a string"),
        json!(1),
    );
    assert_eq!(
        into_scalar_input.unwrap_err().error,
        "States.ResultPathMatchFailure"
    );
}

/// The ResultSelector example of the AWS guide (EMR createCluster result).
#[test]
fn aws_result_selector_example() {
    let definition = task(json!({
        "ResultSelector": {"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"},
        "ResultPath": "$.EMROutput"
    }));
    let result = json!({
        "resourceType": "elasticmapreduce",
        "resource": "createCluster.sync",
        "output": {"SdkHttpMetadata": {"HttpStatusCode": 200}, "ClusterId": "AKIAIOSFODNN7EXAMPLE"}
    });
    assert_eq!(
        run(&definition, &json!({"in": 1}), result).unwrap(),
        json!({"in": 1, "EMROutput": {"ClusterId": "AKIAIOSFODNN7EXAMPLE", "ResourceType": "elasticmapreduce"}})
    );
}

#[test]
fn null_input_and_output_paths_give_empty_objects() {
    let definition =
        single(json!({"Type": "Pass", "InputPath": null, "OutputPath": null, "End": true}));
    let state = definition.state("S").unwrap();
    assert_eq!(
        effective_input(state, &json!({"a": 1}), &Value::Null).unwrap(),
        json!({})
    );
    assert_eq!(
        state_output(state, &json!({"a": 1}), json!({"a": 1}), &Value::Null).unwrap(),
        json!({})
    );
}

#[test]
fn parameters_apply_after_input_path_and_see_the_context() {
    let definition = single(json!({
        "Type": "Pass",
        "InputPath": "$.order",
        "Parameters": {"id.$": "$.id", "exec.$": "$$.Execution.Id"},
        "End": true
    }));
    let state = definition.state("S").unwrap();
    let context = json!({"Execution": {"Id": "exec-9"}});
    assert_eq!(
        effective_input(state, &json!({"order": {"id": 7}}), &context).unwrap(),
        json!({"id": 7, "exec": "exec-9"})
    );
    let err = effective_input(state, &json!({"other": 1}), &context).unwrap_err();
    assert_eq!(err.error, "States.Runtime");
}

#[test]
fn pass_result_with_result_path_keeps_the_raw_input() {
    let definition = single(json!({
        "Type": "Pass",
        "Result": {"x-datum": 0.381018, "y-datum": 622.2269926397355},
        "ResultPath": "$.coords",
        "End": true
    }));
    let raw = json!({"georefOf": "Home"});
    let result = json!({"x-datum": 0.381018, "y-datum": 622.2269926397355});
    assert_eq!(
        run(&definition, &raw, result).unwrap(),
        json!({"georefOf": "Home", "coords": {"x-datum": 0.381018, "y-datum": 622.2269926397355}})
    );
}

#[test]
fn wait_and_choice_pass_their_effective_input_through_output_path() {
    let definition =
        single(json!({"Type": "Wait", "Seconds": 1, "OutputPath": "$.keep", "End": true}));
    let state = definition.state("S").unwrap();
    assert_eq!(
        state_output(
            state,
            &json!({"keep": 1}),
            json!({"keep": 1, "drop": 2}),
            &Value::Null
        )
        .unwrap(),
        json!(1)
    );
}

/// The ItemSelector example of the AWS Map documentation.
#[test]
fn aws_map_item_selector_example() {
    let definition = single(json!({
        "Type": "Map",
        "ItemsPath": "$.shipped",
        "ItemSelector": {"parcel.$": "$$.Map.Item.Value", "courier.$": "$['delivery-partner']", "index.$": "$$.Map.Item.Index"},
        "ItemProcessor": {"StartAt": "Ship", "States": {"Ship": {"Type": "Pass", "End": true}}},
        "End": true
    }));
    let StateKind::Map(map) = &definition.state("S").unwrap().kind else {
        panic!("not a map");
    };
    let input = json!({
        "delivery-partner": "UQS",
        "shipped": [
            {"prod": "R31", "dest-code": 9511, "quantity": 1344},
            {"prod": "S39", "dest-code": 9511, "quantity": 40}
        ]
    });
    let items = map_items(map, &input, &Value::Null).unwrap();
    assert_eq!(items.len(), 2);
    let context = json!({"Execution": {"Id": "e"}});
    assert_eq!(
        item_input(map, &items[1], 1, &input, &context).unwrap(),
        json!({"parcel": {"prod": "S39", "dest-code": 9511, "quantity": 40}, "courier": "UQS", "index": 1})
    );
}

#[test]
fn map_without_selector_hands_each_item_as_is_and_items_must_be_an_array() {
    let definition = single(json!({
        "Type": "Map",
        "ItemsPath": "$.list",
        "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}},
        "End": true
    }));
    let StateKind::Map(map) = &definition.state("S").unwrap().kind else {
        panic!("not a map");
    };
    assert_eq!(
        item_input(map, &json!(5), 0, &json!({}), &Value::Null).unwrap(),
        json!(5)
    );
    let err = map_items(map, &json!({"list": {"not": "array"}}), &Value::Null).unwrap_err();
    assert_eq!(err.error, "States.Runtime");
}

#[test]
fn catch_output_places_the_error_by_result_path() {
    let definition = task(json!({
        "Catch": [
            {"ErrorEquals": ["Custom"], "Next": "S", "ResultPath": "$.error"},
            {"ErrorEquals": ["States.ALL"], "Next": "S"}
        ]
    }));
    let catchers = definition.state("S").unwrap().catchers();
    let error = StatesError::new("Custom", "it broke");
    assert_eq!(
        catch_output(&catchers[0], &json!({"foo": "bar"}), &error).unwrap(),
        json!({"foo": "bar", "error": {"Error": "Custom", "Cause": "it broke"}})
    );
    assert_eq!(
        catch_output(&catchers[1], &json!({"foo": "bar"}), &error).unwrap(),
        json!({"Error": "Custom", "Cause": "it broke"})
    );
}

#[test]
fn fail_error_resolves_paths_and_intrinsics() {
    let definition = single(json!({
        "Type": "Fail",
        "ErrorPath": "$.error.Error",
        "CausePath": "States.Format('step {} failed', $.step)"
    }));
    let StateKind::Fail(fail) = &definition.state("S").unwrap().kind else {
        panic!("not a fail");
    };
    let raised = fail_error(
        fail,
        &json!({"error": {"Error": "Airbyte.Down"}, "step": "Ingest"}),
        &Value::Null,
    )
    .unwrap();
    assert_eq!(
        raised,
        StatesError::new("Airbyte.Down", "step Ingest failed")
    );
    assert_eq!(
        fail_error(
            fail,
            &json!({"error": {"Error": 5}, "step": "x"}),
            &Value::Null
        )
        .unwrap_err()
        .error,
        "States.Runtime"
    );
}
