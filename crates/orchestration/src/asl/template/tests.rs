#![allow(clippy::unwrap_used)]

use super::*;
use serde_json::json;

fn compile(value: Value) -> Result<Template, Vec<super::super::validation::ValidationError>> {
    let mut issues = Issues::default();
    match Template::compile(&value, "/Parameters", Some("S"), &mut issues) {
        Some(template) if issues.is_empty() => Ok(template),
        _ => Err(issues.into_vec()),
    }
}

/// The Parameters example of the AWS input/output processing guide.
#[test]
fn aws_parameters_example() {
    let input = json!({
        "comment": "Example for Parameters.",
        "product": {
            "details": {"color": "blue", "size": "small", "material": "cotton"},
            "availability": "in stock",
            "sku": "2317",
            "cost": "$23"
        }
    });
    let template = compile(json!({
        "comment": "Selecting what I care about.",
        "MyDetails": {
            "size.$": "$.product.details.size",
            "exists.$": "$.product.availability",
            "StaticValue": "foo"
        }
    }))
    .unwrap();
    assert_eq!(
        template.evaluate(&input, &Value::Null).unwrap(),
        json!({
            "comment": "Selecting what I care about.",
            "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"}
        })
    );
}

#[test]
fn context_paths_intrinsics_and_arrays_are_evaluated() {
    let template = compile(json!({
        "execution.$": "$$.Execution.Id",
        "list": [{"v.$": "$.v"}, "plain", 3],
        "joined.$": "States.Format('{}-{}', $.v, $$.Execution.Name)"
    }))
    .unwrap();
    let context = json!({"Execution": {"Id": "id-1", "Name": "run"}});
    assert_eq!(
        template.evaluate(&json!({"v": "x"}), &context).unwrap(),
        json!({"execution": "id-1", "list": [{"v": "x"}, "plain", 3], "joined": "x-run"})
    );
}

#[test]
fn missing_path_is_states_runtime() {
    let template = compile(json!({"x.$": "$.absent"})).unwrap();
    let err = template.evaluate(&json!({}), &Value::Null).unwrap_err();
    assert_eq!(err.error, "States.Runtime");
}

#[test]
fn indefinite_path_yields_an_array() {
    let template = compile(json!({"ids.$": "$.items[*].id"})).unwrap();
    assert_eq!(
        template
            .evaluate(&json!({"items": [{"id": 1}, {"id": 2}]}), &Value::Null)
            .unwrap(),
        json!({"ids": [1, 2]})
    );
}

#[test]
fn scalar_templates_are_literals() {
    let template = compile(json!("just text")).unwrap();
    assert_eq!(
        template.evaluate(&json!({}), &Value::Null).unwrap(),
        json!("just text")
    );
}

#[test]
fn compile_reports_every_bad_member_with_its_pointer() {
    let errors = compile(json!({
        "a.$": 5,
        "b.$": "$.x[",
        "c.$": "not a path",
        "nested": {"d.$": "States.Nope()"},
        "e": 1,
        "e.$": "$.e"
    }))
    .unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "/Parameters/a.$",
            "/Parameters/b.$",
            "/Parameters/c.$",
            "/Parameters/e.$",
            "/Parameters/nested/d.$"
        ]
    );
    assert!(errors.iter().all(|e| e.state.as_deref() == Some("S")));
}
