//! Parsing of the `Choices` of a Choice state.
//!
//! A top-level rule carries `Next`; rules nested under `And`/`Or`/`Not` must not. A data-test
//! rule has a `Variable` and exactly one operator, whose literal must have the operator's type
//! (a string for `StringEquals`, an RFC 3339 string for `TimestampEquals`...), and whose
//! `...Path` variant takes a Reference Path instead.

use serde_json::Value;

use super::choice::{ChoiceRule, Comparison, DataTest, Operand, ValueKind};
use super::definition::{ChoiceBranch, ChoiceState};
use super::fields::Fields;
use super::jsonpath::{type_name, ReferencePath};
use super::validation::{pointer, Issues};

const KINDS: [(&str, ValueKind); 4] = [
    ("String", ValueKind::String),
    ("Numeric", ValueKind::Numeric),
    ("Boolean", ValueKind::Boolean),
    ("Timestamp", ValueKind::Timestamp),
];

const COMPARISONS: [(&str, Comparison); 5] = [
    ("Equals", Comparison::Equals),
    ("LessThan", Comparison::LessThan),
    ("GreaterThan", Comparison::GreaterThan),
    ("LessThanEquals", Comparison::LessThanEquals),
    ("GreaterThanEquals", Comparison::GreaterThanEquals),
];

const TYPE_TESTS: [&str; 7] = [
    "StringMatches",
    "IsPresent",
    "IsNull",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];

/// Every comparison operator name with its meaning and whether it is the `...Path` form.
fn comparison_operators() -> Vec<(String, ValueKind, Comparison, bool)> {
    let mut operators = Vec::new();
    for (kind_name, kind) in KINDS {
        for (op_name, op) in COMPARISONS {
            if kind == ValueKind::Boolean && op != Comparison::Equals {
                continue;
            }
            operators.push((format!("{kind_name}{op_name}"), kind, op, false));
            operators.push((format!("{kind_name}{op_name}Path"), kind, op, true));
        }
    }
    operators
}

/// Parses `Choices` and `Default` from a Choice state's fields.
pub(crate) fn parse_choice(fields: &mut Fields) -> Option<ChoiceState> {
    let default = fields.string("Default").map(str::to_string);
    let Some(value) = fields.raw("Choices") else {
        fields.report(None, "a Choice state must have Choices");
        return None;
    };
    let at = fields.pointer_to("Choices");
    let state = fields.state();
    let issues = fields.issues();
    let Some(items) = value.as_array().filter(|items| !items.is_empty()) else {
        issues.report(&at, state, "Choices must be a non-empty array of rules");
        return None;
    };
    let mut choices = Vec::new();
    let mut clean = true;
    for (index, item) in items.iter().enumerate() {
        match parse_rule(item, pointer(&at, &index.to_string()), state, issues, true) {
            Some((rule, Some(next))) => choices.push(ChoiceBranch { rule, next }),
            _ => clean = false,
        }
    }
    clean.then_some(ChoiceState { choices, default })
}

fn parse_rule(
    value: &Value,
    at: String,
    state: Option<&str>,
    issues: &mut Issues,
    top_level: bool,
) -> Option<(ChoiceRule, Option<String>)> {
    let mut fields = Fields::open(value, at.clone(), state, issues, "a Choice rule")?;
    let next = if top_level {
        fields.required_string("Next", "a top-level Choice rule")
    } else {
        if fields.has("Next") {
            fields.report(Some("Next"), "a nested Choice rule must not have Next");
        }
        None
    };
    let combinators: Vec<&str> = ["And", "Or", "Not"]
        .into_iter()
        .filter(|key| fields.has(key))
        .collect();
    let rule = match combinators.as_slice() {
        [] => parse_data_test(&mut fields, top_level),
        [combinator] => {
            let allowed: &[&str] = if top_level {
                &[combinator, "Next", "Comment"]
            } else {
                &[combinator, "Comment"]
            };
            fields.allow_only(allowed, "a boolean Choice rule");
            parse_combinator(&mut fields, combinator)
        }
        _ => {
            fields.report(None, "a Choice rule may have only one of And, Or, Not");
            None
        }
    };
    let rule = rule?;
    if top_level {
        Some((rule, Some(next?.to_string())))
    } else {
        Some((rule, None))
    }
}

fn parse_combinator(fields: &mut Fields, combinator: &str) -> Option<ChoiceRule> {
    let at = fields.pointer_to(combinator);
    let state = fields.state();
    let value = fields.raw(combinator)?;
    let issues = fields.issues();
    if combinator == "Not" {
        let (rule, _) = parse_rule(value, at, state, issues, false)?;
        return Some(ChoiceRule::Not(Box::new(rule)));
    }
    let Some(items) = value.as_array().filter(|items| !items.is_empty()) else {
        issues.report(
            &at,
            state,
            format!("{combinator} must be a non-empty array of rules"),
        );
        return None;
    };
    let mut rules = Vec::new();
    let mut clean = true;
    for (index, item) in items.iter().enumerate() {
        match parse_rule(item, pointer(&at, &index.to_string()), state, issues, false) {
            Some((rule, _)) => rules.push(rule),
            None => clean = false,
        }
    }
    if !clean {
        return None;
    }
    Some(if combinator == "And" {
        ChoiceRule::And(rules)
    } else {
        ChoiceRule::Or(rules)
    })
}

fn parse_data_test(fields: &mut Fields, top_level: bool) -> Option<ChoiceRule> {
    let comparisons = comparison_operators();
    let present: Vec<String> = comparisons
        .iter()
        .map(|entry| entry.0.clone())
        .chain(TYPE_TESTS.iter().map(|name| name.to_string()))
        .filter(|name| fields.has(name))
        .collect();
    let mut allowed = vec!["Variable", "Comment"];
    if top_level {
        allowed.push("Next");
    }
    allowed.extend(present.iter().map(String::as_str));
    fields.allow_only(&allowed, "a Choice rule");
    let variable = match fields.raw("Variable") {
        Some(_) => fields.reference_path("Variable"),
        None => {
            fields.report(None, "a Choice rule must have a Variable (or And, Or, Not)");
            None
        }
    };
    let [operator] = present.as_slice() else {
        match present.get(1) {
            Some(second) => fields.report(
                Some(second),
                "a Choice rule must have exactly one comparison operator",
            ),
            None => fields.report(None, "a Choice rule must have a comparison operator"),
        }
        return None;
    };
    let value = fields.raw(operator)?;
    let test =
        if let Some((_, kind, op, by_path)) = comparisons.iter().find(|entry| &entry.0 == operator)
        {
            let operand = if *by_path {
                Operand::Path(literal_or_report(fields, operator, reference(value))?)
            } else {
                Operand::Literal(literal_or_report(
                    fields,
                    operator,
                    typed_literal(*kind, value),
                )?)
            };
            DataTest::Compare {
                kind: *kind,
                op: *op,
                operand,
            }
        } else if operator == "StringMatches" {
            let pattern = value.as_str().map(str::to_string).ok_or_else(|| {
                format!("StringMatches must be a string, not a {}", type_name(value))
            });
            DataTest::StringMatches(literal_or_report(fields, operator, pattern)?)
        } else {
            let flag = value
                .as_bool()
                .ok_or_else(|| format!("{operator} must be true or false"));
            let flag = literal_or_report(fields, operator, flag)?;
            match operator.as_str() {
                "IsPresent" => DataTest::IsPresent(flag),
                "IsNull" => DataTest::IsNull(flag),
                "IsNumeric" => DataTest::IsNumeric(flag),
                "IsString" => DataTest::IsString(flag),
                "IsBoolean" => DataTest::IsBoolean(flag),
                _ => DataTest::IsTimestamp(flag),
            }
        };
    Some(ChoiceRule::Test {
        variable: variable?,
        test,
    })
}

fn literal_or_report<T>(fields: &mut Fields, key: &str, outcome: Result<T, String>) -> Option<T> {
    outcome
        .map_err(|message| fields.report(Some(key), message))
        .ok()
}

fn reference(value: &Value) -> Result<ReferencePath, String> {
    let text = value.as_str().ok_or_else(|| {
        format!(
            "a ...Path operator takes a path string, not a {}",
            type_name(value)
        )
    })?;
    ReferencePath::parse(text)
}

fn typed_literal(kind: ValueKind, value: &Value) -> Result<Value, String> {
    let fits = match kind {
        ValueKind::String => value.is_string(),
        ValueKind::Numeric => value.is_number(),
        ValueKind::Boolean => value.is_boolean(),
        ValueKind::Timestamp => value
            .as_str()
            .and_then(super::choice::parse_timestamp)
            .is_some(),
    };
    if fits {
        Ok(value.clone())
    } else {
        let expected = match kind {
            ValueKind::String => "a string",
            ValueKind::Numeric => "a number",
            ValueKind::Boolean => "a boolean",
            ValueKind::Timestamp => "an RFC 3339 timestamp string",
        };
        Err(format!("expected {expected}, got {value}"))
    }
}
