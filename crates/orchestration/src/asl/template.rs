//! Payload templates: the JSON of `Parameters`, `ItemSelector` and `ResultSelector` in which
//! members whose name ends in `.$` are replaced by the value of a Path or intrinsic call.
//!
//! Templates are compiled when the definition is parsed: every `.$` string becomes a parsed
//! [`Path`] or [`Intrinsic`], so evaluation cannot hit a syntax error and validation can point
//! at the exact member that is wrong. Renaming `x.$` to `x` must not collide with a plain `x`
//! (the spec forbids duplicates after renaming), which is checked here too.

use serde_json::{Map, Value};

use super::errors::StatesError;
use super::intrinsics::Intrinsic;
use super::jsonpath::Path;
use super::validation::{pointer, Issues};

/// A compiled payload template.
#[derive(Debug, Clone)]
pub enum Template {
    /// Copied as is.
    Literal(Value),
    /// Members after renaming (`x.$` is stored as `x`).
    Object(Vec<(String, Template)>),
    Array(Vec<Template>),
    /// From an `x.$` member holding a Path (`$.a`, `$$.Execution.Id`).
    Path(Path),
    /// From an `x.$` member holding an intrinsic call.
    Call(Intrinsic),
}

impl Template {
    /// Compiles `value`; findings are reported under `at` and the template is returned only
    /// when there were none.
    pub(crate) fn compile(
        value: &Value,
        at: &str,
        state: Option<&str>,
        issues: &mut Issues,
    ) -> Option<Template> {
        let mut clean = true;
        let template = compile_node(value, at, state, issues, &mut clean);
        clean.then_some(template)
    }

    /// Builds the payload: `.$` members are resolved against `input` (`$`) or `context` (`$$`).
    /// A Path that matches nothing is `States.Runtime`, which is the error AWS reports today
    /// for a missing `Parameters` path (older docs call it `States.ParameterPathFailure`).
    pub fn evaluate(&self, input: &Value, context: &Value) -> Result<Value, StatesError> {
        Ok(match self {
            Template::Literal(value) => value.clone(),
            Template::Object(members) => {
                let mut object = Map::new();
                for (name, member) in members {
                    object.insert(name.clone(), member.evaluate(input, context)?);
                }
                Value::Object(object)
            }
            Template::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| item.evaluate(input, context))
                    .collect::<Result<_, _>>()?,
            ),
            Template::Path(path) => path.select(input, context)?,
            Template::Call(call) => call.evaluate(input, context)?,
        })
    }
}

/// Compiles the string held by an `x.$` member (also used for Fail's `ErrorPath`/`CausePath`).
pub(crate) fn compile_dynamic(text: &str) -> Result<Template, String> {
    if text.starts_with('$') {
        Path::parse(text).map(Template::Path)
    } else if text.starts_with("States.") {
        Intrinsic::parse(text).map(Template::Call)
    } else {
        Err(format!(
            "{text:?} is neither a path (`$...`, `$$...`) nor an intrinsic call (`States.…(...)`)"
        ))
    }
}

fn compile_node(
    value: &Value,
    at: &str,
    state: Option<&str>,
    issues: &mut Issues,
    clean: &mut bool,
) -> Template {
    match value {
        Value::Object(members) => {
            let mut compiled = Vec::with_capacity(members.len());
            for (name, member) in members {
                let member_at = pointer(at, name);
                let (renamed, template) = match name.strip_suffix(".$") {
                    Some(renamed) => {
                        let template = match member.as_str().map(compile_dynamic) {
                            Some(Ok(template)) => template,
                            Some(Err(message)) => {
                                issues.report(&member_at, state, message);
                                *clean = false;
                                Template::Literal(Value::Null)
                            }
                            None => {
                                issues.report(
                                    &member_at,
                                    state,
                                    "a member ending in `.$` must hold a path or intrinsic call string",
                                );
                                *clean = false;
                                Template::Literal(Value::Null)
                            }
                        };
                        (renamed, template)
                    }
                    None => (
                        name.as_str(),
                        compile_node(member, &member_at, state, issues, clean),
                    ),
                };
                if compiled.iter().any(|(existing, _)| existing == renamed) {
                    issues.report(
                        &member_at,
                        state,
                        format!("member {renamed:?} appears twice once `.$` suffixes are removed"),
                    );
                    *clean = false;
                }
                compiled.push((renamed.to_string(), template));
            }
            Template::Object(compiled)
        }
        Value::Array(items) => Template::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    compile_node(item, &pointer(at, &index.to_string()), state, issues, clean)
                })
                .collect(),
        ),
        scalar => Template::Literal(scalar.clone()),
    }
}

#[cfg(test)]
mod tests;
