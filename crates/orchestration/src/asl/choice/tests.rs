#![allow(clippy::unwrap_used)]

use super::*;
use crate::asl::definition::StateKind;
use serde_json::json;

/// A Choice state "C" with the given rules (each leading to "Yes") and optionally a Default.
fn choice_state(rules: Vec<Value>, default: bool) -> ChoiceState {
    let mut choice = json!({"Type": "Choice", "Choices": rules});
    if default {
        choice["Default"] = json!("No");
    }
    let doc = json!({
        "StartAt": "C",
        "States": {"C": choice, "Yes": {"Type": "Succeed"}, "No": {"Type": "Succeed"}}
    });
    let definition = crate::asl::parse(&doc).unwrap_or_else(|e| panic!("{e:?}"));
    match &definition.state("C").unwrap().kind {
        StateKind::Choice(choice) => choice.clone(),
        other => panic!("not a choice: {other:?}"),
    }
}

fn outcome(mut rule: Value, input: Value) -> Result<bool, StatesError> {
    rule["Next"] = json!("Yes");
    let state = choice_state(vec![rule], true);
    choose(&state, &input).map(|next| next == "Yes")
}

fn matches(rule: Value, input: Value) -> bool {
    outcome(rule, input).unwrap()
}

#[test]
fn string_comparisons() {
    let input = json!({"s": "b"});
    assert!(matches(
        json!({"Variable": "$.s", "StringEquals": "b"}),
        input.clone()
    ));
    assert!(!matches(
        json!({"Variable": "$.s", "StringEquals": "B"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.s", "StringLessThan": "c"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.s", "StringGreaterThan": "a"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.s", "StringLessThanEquals": "b"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.s", "StringGreaterThanEquals": "b"}),
        input.clone()
    ));
    assert!(!matches(
        json!({"Variable": "$.s", "StringGreaterThan": "b"}),
        input
    ));
}

#[test]
fn numeric_comparisons_mix_integers_and_floats() {
    let input = json!({"n": 20});
    assert!(matches(
        json!({"Variable": "$.n", "NumericEquals": 20.0}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.n", "NumericLessThan": 20.5}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.n", "NumericGreaterThan": -1}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.n", "NumericLessThanEquals": 20}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.n", "NumericGreaterThanEquals": 20}),
        input.clone()
    ));
    assert!(!matches(
        json!({"Variable": "$.n", "NumericLessThan": 20}),
        input
    ));
}

#[test]
fn boolean_and_timestamp_comparisons() {
    assert!(matches(
        json!({"Variable": "$.b", "BooleanEquals": false}),
        json!({"b": false})
    ));
    let input = json!({"t": "2016-03-14T01:59:00Z"});
    assert!(matches(
        json!({"Variable": "$.t", "TimestampEquals": "2016-03-14T03:59:00+02:00"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.t", "TimestampLessThan": "2016-03-14T02:00:00Z"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.t", "TimestampGreaterThan": "2016-03-14T01:58:59.999Z"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.t", "TimestampLessThanEquals": "2016-03-14T01:59:00Z"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.t", "TimestampGreaterThanEquals": "2016-03-14T01:59:00Z"}),
        input
    ));
}

#[test]
fn type_mismatches_are_false_not_errors() {
    assert!(!matches(
        json!({"Variable": "$.v", "NumericEquals": 5}),
        json!({"v": "5"})
    ));
    assert!(!matches(
        json!({"Variable": "$.v", "StringEquals": "5"}),
        json!({"v": 5})
    ));
    assert!(!matches(
        json!({"Variable": "$.v", "BooleanEquals": true}),
        json!({"v": "true"})
    ));
    assert!(!matches(
        json!({"Variable": "$.v", "TimestampEquals": "2016-03-14T01:59:00Z"}),
        json!({"v": "2016-03-14 01:59:00Z"})
    ));
    assert!(!matches(
        json!({"Variable": "$.v", "StringMatches": "*"}),
        json!({"v": 1})
    ));
}

#[test]
fn path_variants_compare_with_another_input_value() {
    let input = json!({"a": 3, "b": 5, "s": "x", "t": "x", "when": "2020-01-01T00:00:00Z", "later": "2021-01-01T00:00:00Z", "yes": true, "alsoYes": true});
    assert!(matches(
        json!({"Variable": "$.a", "NumericLessThanPath": "$.b"}),
        input.clone()
    ));
    assert!(!matches(
        json!({"Variable": "$.a", "NumericGreaterThanPath": "$.b"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.a", "NumericLessThanEqualsPath": "$.b"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.b", "NumericGreaterThanEqualsPath": "$.a"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.a", "NumericEqualsPath": "$.a"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.s", "StringEqualsPath": "$.t"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.yes", "BooleanEqualsPath": "$.alsoYes"}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.when", "TimestampLessThanPath": "$.later"}),
        input.clone()
    ));
    assert!(!matches(
        json!({"Variable": "$.s", "NumericEqualsPath": "$.t"}),
        input.clone()
    ));
    let err = outcome(
        json!({"Variable": "$.a", "NumericEqualsPath": "$.nope"}),
        input,
    )
    .unwrap_err();
    assert_eq!(err.error, "States.Runtime");
}

#[test]
fn string_matches_with_wildcards_and_escapes() {
    let rule = |pattern: &str| json!({"Variable": "$.f", "StringMatches": pattern});
    assert!(matches(rule("log-*.txt"), json!({"f": "log-2024-01.txt"})));
    assert!(matches(rule("log-*.txt"), json!({"f": "log-.txt"})));
    assert!(!matches(rule("log-*.txt"), json!({"f": "log-1.csv"})));
    assert!(matches(rule("*a*b*"), json!({"f": "xxaxxbxx"})));
    assert!(!matches(rule("*a*b"), json!({"f": "xxaxxbxx"})));
    assert!(matches(
        rule(r"literal\*star"),
        json!({"f": "literal*star"})
    ));
    assert!(!matches(
        rule(r"literal\*star"),
        json!({"f": "literalXstar"})
    ));
    assert!(matches(rule(r"back\\slash*"), json!({"f": r"back\slash!"})));
    assert!(matches(rule("exact"), json!({"f": "exact"})));
    assert!(!matches(rule("exact"), json!({"f": "exactly"})));
}

#[test]
fn type_tests() {
    let input = json!({"n": null, "num": 1.5, "s": "x", "b": true, "t": "2020-01-01T00:00:00Z", "badt": "2020-01-01t00:00:00z"});
    assert!(matches(
        json!({"Variable": "$.n", "IsNull": true}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.s", "IsNull": false}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.num", "IsNumeric": true}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.s", "IsString": true}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.b", "IsBoolean": true}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.t", "IsTimestamp": true}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.badt", "IsTimestamp": false}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.missing", "IsPresent": false}),
        input.clone()
    ));
    assert!(matches(
        json!({"Variable": "$.n", "IsPresent": true}),
        input
    ));
}

#[test]
fn and_or_not_short_circuit() {
    let guarded = json!({"And": [
        {"Variable": "$.value", "IsPresent": true},
        {"Variable": "$.value", "NumericGreaterThan": 20}
    ]});
    assert!(
        !matches(guarded.clone(), json!({})),
        "And stops before the missing value"
    );
    assert!(matches(guarded, json!({"value": 30})));
    let either = json!({"Or": [
        {"Variable": "$.a", "BooleanEquals": true},
        {"Variable": "$.b", "BooleanEquals": true}
    ]});
    assert!(
        matches(either.clone(), json!({"a": true})),
        "Or stops at the first match"
    );
    assert!(!matches(either, json!({"a": false, "b": false})));
    let negated = json!({"Not": {"Variable": "$.type", "StringEquals": "Private"}});
    assert!(matches(negated.clone(), json!({"type": "Public"})));
    assert!(!matches(negated, json!({"type": "Private"})));
    let nested = json!({"And": [
        {"Not": {"Variable": "$.n", "NumericLessThan": 0}},
        {"Or": [{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.n", "NumericEquals": 2}]}
    ]});
    assert!(matches(nested.clone(), json!({"n": 2})));
    assert!(!matches(nested, json!({"n": 3})));
}

#[test]
fn missing_variable_is_a_runtime_error() {
    let err = outcome(
        json!({"Variable": "$.missing", "StringEquals": "x"}),
        json!({}),
    )
    .unwrap_err();
    assert_eq!(err.error, "States.Runtime");
}

#[test]
fn first_matching_rule_wins_then_default_then_no_choice_matched() {
    let rules = vec![
        json!({"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Yes"}),
        json!({"Variable": "$.n", "NumericGreaterThan": 10, "Next": "No"}),
    ];
    let with_default = choice_state(rules.clone(), true);
    assert_eq!(choose(&with_default, &json!({"n": 50})).unwrap(), "Yes");
    assert_eq!(choose(&with_default, &json!({"n": -5})).unwrap(), "No");
    let without_default = choice_state(rules, false);
    let err = choose(&without_default, &json!({"n": -5})).unwrap_err();
    assert_eq!(err.error, "States.NoChoiceMatched");
}

#[test]
fn context_paths_in_variables() {
    let mut rule = json!({"Variable": "$$.Execution.Input.mode", "StringEquals": "fast"});
    rule["Next"] = json!("Yes");
    let state = choice_state(vec![rule], true);
    let context = json!({"Execution": {"Input": {"mode": "fast"}}});
    assert_eq!(
        choose_with_context(&state, &json!({}), &context).unwrap(),
        "Yes"
    );
}
