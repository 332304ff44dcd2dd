//! Choice rules and their evaluation.
//!
//! AWS semantics: rules are tried in order and the first match wins; a comparison whose
//! operand has the wrong type is simply false (so `NumericEquals` on a string never matches
//! and never fails); timestamps are RFC 3339 with an uppercase `T` and `Z`; `And`/`Or` stop at
//! the first deciding sub-rule, which is what makes the documented
//! `IsPresent` + comparison guard work. A `Variable` (or `...Path` operand) that resolves to
//! nothing is a `States.Runtime` error, except under `IsPresent`, whose whole point is to ask.

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use super::definition::ChoiceState;
use super::errors::StatesError;
use super::jsonpath::ReferencePath;

#[derive(Debug, Clone)]
pub enum ChoiceRule {
    And(Vec<ChoiceRule>),
    Or(Vec<ChoiceRule>),
    Not(Box<ChoiceRule>),
    Test {
        variable: ReferencePath,
        test: DataTest,
    },
}

/// What is checked about the `Variable`.
#[derive(Debug, Clone)]
pub enum DataTest {
    /// `StringEquals`, `NumericLessThanPath`, `BooleanEquals`, `TimestampGreaterThan`...
    Compare {
        kind: ValueKind,
        op: Comparison,
        operand: Operand,
    },
    /// `*` matches any run of characters; `\*` and `\\` stand for themselves.
    StringMatches(String),
    IsPresent(bool),
    IsNull(bool),
    IsNumeric(bool),
    IsString(bool),
    IsBoolean(bool),
    IsTimestamp(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    String,
    Numeric,
    Boolean,
    Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Equals,
    LessThan,
    GreaterThan,
    LessThanEquals,
    GreaterThanEquals,
}

/// The right-hand side: a literal, or a Reference Path for the `...Path` operators.
#[derive(Debug, Clone)]
pub enum Operand {
    Literal(Value),
    Path(ReferencePath),
}

/// The `Next` of the first matching rule, else `Default`, else `States.NoChoiceMatched`.
pub fn choose<'a>(choice: &'a ChoiceState, input: &Value) -> Result<&'a str, StatesError> {
    choose_with_context(choice, input, &Value::Null)
}

/// [`choose`] for rules whose paths read the context object (`$$.Execution.Input...`).
pub fn choose_with_context<'a>(
    choice: &'a ChoiceState,
    input: &Value,
    context: &Value,
) -> Result<&'a str, StatesError> {
    for branch in &choice.choices {
        if branch.rule.matches(input, context)? {
            return Ok(&branch.next);
        }
    }
    choice.default.as_deref().ok_or_else(|| {
        StatesError::no_choice_matched("No Choice rule matched the input and there is no Default")
    })
}

impl ChoiceRule {
    pub fn matches(&self, input: &Value, context: &Value) -> Result<bool, StatesError> {
        match self {
            ChoiceRule::And(rules) => {
                for rule in rules {
                    if !rule.matches(input, context)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            ChoiceRule::Or(rules) => {
                for rule in rules {
                    if rule.matches(input, context)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            ChoiceRule::Not(rule) => Ok(!rule.matches(input, context)?),
            ChoiceRule::Test { variable, test } => {
                let value = variable.lookup(input, context);
                if let DataTest::IsPresent(expected) = test {
                    return Ok(value.is_some() == *expected);
                }
                let value = value.ok_or_else(|| missing(variable))?;
                test.check(value, input, context)
            }
        }
    }
}

fn missing(path: &ReferencePath) -> StatesError {
    StatesError::runtime(format!(
        "Invalid path '{}': the Choice rule references a value that is not in the input",
        path.as_str()
    ))
}

impl DataTest {
    fn check(&self, value: &Value, input: &Value, context: &Value) -> Result<bool, StatesError> {
        Ok(match self {
            DataTest::Compare { kind, op, operand } => {
                let other = match operand {
                    Operand::Literal(literal) => literal,
                    Operand::Path(path) => {
                        path.lookup(input, context).ok_or_else(|| missing(path))?
                    }
                };
                compare(*kind, *op, value, other)
            }
            DataTest::StringMatches(pattern) => value
                .as_str()
                .is_some_and(|text| wildcard_match(pattern, text)),
            DataTest::IsPresent(expected) => *expected,
            DataTest::IsNull(expected) => value.is_null() == *expected,
            DataTest::IsNumeric(expected) => value.is_number() == *expected,
            DataTest::IsString(expected) => value.is_string() == *expected,
            DataTest::IsBoolean(expected) => value.is_boolean() == *expected,
            DataTest::IsTimestamp(expected) => {
                value.as_str().and_then(parse_timestamp).is_some() == *expected
            }
        })
    }
}

fn compare(kind: ValueKind, op: Comparison, left: &Value, right: &Value) -> bool {
    use std::cmp::Ordering;
    let ordering: Option<Ordering> = match kind {
        ValueKind::String => match (left.as_str(), right.as_str()) {
            (Some(l), Some(r)) => Some(l.cmp(r)),
            _ => None,
        },
        ValueKind::Numeric => match (left.as_f64(), right.as_f64()) {
            (Some(l), Some(r)) => l.partial_cmp(&r),
            _ => None,
        },
        ValueKind::Boolean => match (left.as_bool(), right.as_bool()) {
            (Some(l), Some(r)) => Some(l.cmp(&r)),
            _ => None,
        },
        ValueKind::Timestamp => match (
            left.as_str().and_then(parse_timestamp),
            right.as_str().and_then(parse_timestamp),
        ) {
            (Some(l), Some(r)) => Some(l.cmp(&r)),
            _ => None,
        },
    };
    let Some(ordering) = ordering else {
        return false;
    };
    match op {
        Comparison::Equals => ordering == Ordering::Equal,
        Comparison::LessThan => ordering == Ordering::Less,
        Comparison::GreaterThan => ordering == Ordering::Greater,
        Comparison::LessThanEquals => ordering != Ordering::Greater,
        Comparison::GreaterThanEquals => ordering != Ordering::Less,
    }
}

/// RFC 3339 as AWS restricts it: uppercase `T` between date and time, uppercase `Z` for UTC.
pub(crate) fn parse_timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    if text.as_bytes().get(10) != Some(&b'T') || text.contains('z') || text.contains('t') {
        return None;
    }
    DateTime::parse_from_rfc3339(text).ok()
}

/// Glob matching with `*` only; backslash escapes the next character.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    enum Token {
        Any,
        Char(char),
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '\\' => Token::Char(chars.next().unwrap_or('\\')),
            '*' => Token::Any,
            c => Token::Char(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    // Classic greedy matcher with one backtrack point: linear for patterns with `*` only.
    let (mut t, mut p) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Token::Char(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            Some(Token::Any) => {
                backtrack = Some((p, t));
                p += 1;
            }
            _ => match backtrack {
                Some((star, matched)) => {
                    p = star + 1;
                    t = matched + 1;
                    backtrack = Some((star, matched + 1));
                }
                None => return false,
            },
        }
    }
    tokens[p..].iter().all(|token| matches!(token, Token::Any))
}

#[cfg(test)]
mod tests;
