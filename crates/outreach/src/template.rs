//! Message templates: lead fields with fallbacks (`{{first_name | "there"}}`), spintax
//! (`{Hi|Hello}`), and the rest of minijinja (conditions, filters), rendered in a sandbox: no
//! file or network access, a fuel limit against runaway loops, and no HTML escaping (the
//! messages are plain text).
//!
//! A template is first split into its template tags (`{{ }}`, `{% %}`, `{# #}`) and the text
//! between them. Spintax is chosen in the text only (a filter's `|` is not spintax), by a
//! generator seeded with the message, so rendering one message again gives the same words.
//! `{{ name | "fallback" }}` is shorthand for `{{ name | default("fallback", true) }}`: the
//! fallback also stands for an empty value.

use std::collections::BTreeSet;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value};

/// Template fuel: enough for any real message, not for a loop that would stall a worker.
const FUEL: u64 = 50_000;
/// The longest rendered subject or body.
const MAX_OUTPUT: usize = 100_000;

/// Why a template cannot render.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(pub String);

/// A rendered text and the fields it named that the lead does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    /// Fields named without a fallback that the lead lacks (they render empty).
    pub missing: Vec<String>,
    /// Fields the lead lacks where a fallback stood in.
    pub fell_back: Vec<String>,
}

/// Renders `source` for a lead with `fields` (`first_name`, `custom.industry`…), choosing
/// spintax with `seed`.
pub fn render(
    source: &str,
    fields: &Map<String, Value>,
    seed: u64,
) -> Result<Rendered, TemplateError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let (jinja, fallbacks) = translate(source, &mut rng)?;
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(20);
    let template = env
        .template_from_str(&jinja)
        .map_err(|e| TemplateError(describe(&e)))?;
    let context = context(fields);
    let text = template
        .render(minijinja::value::Serde(&context))
        .map_err(|e| TemplateError(describe(&e)))?;
    if text.len() > MAX_OUTPUT {
        return Err(TemplateError(format!(
            "renders longer than {MAX_OUTPUT} bytes"
        )));
    }
    let mut missing = Vec::new();
    let mut fell_back = Vec::new();
    for name in template.undeclared_variables(true) {
        if present(fields, &name) || !is_field_name(&name) {
            continue;
        }
        if fallbacks.contains(&name) {
            fell_back.push(name);
        } else {
            missing.push(name);
        }
    }
    missing.sort();
    fell_back.sort();
    Ok(Rendered {
        text,
        missing,
        fell_back,
    })
}

/// Checks that `source` is a template that renders (for a lead with no fields at all).
pub fn check(source: &str) -> Result<(), TemplateError> {
    render(source, &Map::new(), 0).map(|_| ())
}

/// Whether a variable name is a lead field (`custom` is the object of custom fields).
fn is_field_name(name: &str) -> bool {
    name != "loop" && name != "range"
}

fn present(fields: &Map<String, Value>, name: &str) -> bool {
    match name.strip_prefix("custom.") {
        Some(_) => fields.get(name).is_some_and(|v| !is_empty(v)),
        None if name == "custom" => fields.keys().any(|k| k.starts_with("custom.")),
        None => fields.get(name).is_some_and(|v| !is_empty(v)),
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// The template context: the plain fields at the top, `custom.<key>` under `custom`.
fn context(fields: &Map<String, Value>) -> Value {
    let mut top = Map::new();
    let mut custom = Map::new();
    for (name, value) in fields {
        match name.strip_prefix("custom.") {
            Some(key) => {
                custom.insert(key.to_owned(), value.clone());
            }
            None => {
                top.insert(name.clone(), value.clone());
            }
        }
    }
    top.insert("custom".to_owned(), Value::Object(custom));
    Value::Object(top)
}

fn describe(e: &minijinja::Error) -> String {
    let mut text = e
        .detail()
        .map_or_else(|| e.kind().to_string(), str::to_owned);
    if let Some(line) = e.line() {
        text.push_str(&format!(" (line {line})"));
    }
    text
}

/// The template as minijinja reads it, with spintax chosen and fallbacks spelled out; and the
/// names that have a fallback.
fn translate(source: &str, rng: &mut StdRng) -> Result<(String, BTreeSet<String>), TemplateError> {
    let mut out = String::with_capacity(source.len());
    let mut fallbacks = BTreeSet::new();
    let mut rest = source;
    while !rest.is_empty() {
        let tag = ["{{", "{%", "{#"]
            .iter()
            .filter_map(|open| rest.find(open).map(|at| (at, *open)))
            .min_by_key(|(at, _)| *at);
        let Some((at, open)) = tag else {
            out.push_str(&spin(rest, rng)?);
            break;
        };
        out.push_str(&spin(&rest[..at], rng)?);
        let close = match open {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        let inner_start = at + 2;
        let Some(len) = rest[inner_start..].find(close) else {
            return Err(TemplateError(format!(
                "`{open}` is never closed with `{close}`"
            )));
        };
        let inner = &rest[inner_start..inner_start + len];
        if open == "{{" {
            if let Some((name, fallback)) = shorthand_fallback(inner) {
                out.push_str(&format!(
                    "{{{{ {name} | default({}, true) }}}}",
                    serde_json::to_string(fallback).unwrap_or_default()
                ));
                fallbacks.insert(name.to_owned());
            } else {
                out.push_str(&rest[at..inner_start + len + 2]);
            }
        } else {
            out.push_str(&rest[at..inner_start + len + 2]);
        }
        rest = &rest[inner_start + len + 2..];
    }
    Ok((out, fallbacks))
}

/// `first_name | "there"` → (`first_name`, `there`).
fn shorthand_fallback(inner: &str) -> Option<(&str, &str)> {
    let (name, fallback) = inner.split_once('|')?;
    let name = name.trim();
    let fallback = fallback.trim();
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && !name.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    let quoted = fallback.len() >= 2
        && ((fallback.starts_with('"') && fallback.ends_with('"'))
            || (fallback.starts_with('\'') && fallback.ends_with('\'')));
    if !(valid_name && quoted) {
        return None;
    }
    let inside = &fallback[1..fallback.len() - 1];
    (!inside.contains(['"', '\''])).then_some((name, inside))
}

/// Chooses every `{a|b|c}` group of plain text (innermost first, so groups nest).
fn spin(text: &str, rng: &mut StdRng) -> Result<String, TemplateError> {
    let mut text = text.to_owned();
    // Each round replaces one innermost group; a bound keeps hostile input cheap.
    for _ in 0..10_000 {
        let Some(close) = text.find('}') else {
            break;
        };
        let Some(open) = text[..close].rfind('{') else {
            return Err(TemplateError("a `}` has no `{` before it".into()));
        };
        let options: Vec<&str> = text[open + 1..close].split('|').collect();
        if options.len() < 2 {
            return Err(TemplateError(format!(
                "`{{{}}}` is neither a field (`{{{{name}}}}`) nor spintax (`{{a|b}}`)",
                &text[open + 1..close]
            )));
        }
        let chosen = options[rng.gen_range(0..options.len())].to_owned();
        text.replace_range(open..=close, &chosen);
    }
    if text.contains('{') {
        return Err(TemplateError("a `{` is never closed".into()));
    }
    Ok(text)
}

/// Picks an index by weight (all weights ≥ 1), with `seed`.
pub fn pick_weighted(weights: &[u32], seed: u64) -> usize {
    let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
    if total == 0 {
        return 0;
    }
    let mut roll = StdRng::seed_from_u64(seed).gen_range(0..total);
    for (i, w) in weights.iter().enumerate() {
        if roll < u64::from(*w) {
            return i;
        }
        roll -= u64::from(*w);
    }
    weights.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn fields_render_and_fallbacks_stand_in_for_missing_or_empty_ones() {
        let lead = fields(json!({"first_name": "Ada", "company": "", "custom.industry": "retail"}));

        let r = render(
            "Hi {{first_name | \"there\"}}, how is {{ company | 'your team' }} in {{custom.industry}}?",
            &lead,
            1,
        )
        .unwrap();

        assert_eq!(r.text, "Hi Ada, how is your team in retail?");
        assert_eq!(r.fell_back, ["company"]);
        assert!(r.missing.is_empty());
    }

    #[test]
    fn a_missing_field_without_fallback_renders_empty_and_is_reported() {
        let r = render("Dear {{ last_name }}.", &Map::new(), 1).unwrap();
        assert_eq!(r.text, "Dear .");
        assert_eq!(r.missing, ["last_name"]);
    }

    #[test]
    fn spintax_is_chosen_per_seed_and_repeatable() {
        let source = "{Hi|Hello|Hey} {{first_name}}, {quick|short} {question|note}";
        let lead = fields(json!({"first_name": "Ada"}));
        let seen: BTreeSet<String> = (0..40)
            .map(|seed| render(source, &lead, seed).unwrap().text)
            .collect();
        assert!(seen.len() > 3, "{seen:?}");
        assert_eq!(
            render(source, &lead, 7).unwrap(),
            render(source, &lead, 7).unwrap()
        );
        for text in &seen {
            assert!(!text.contains(['{', '|', '}']), "{text}");
        }
    }

    #[test]
    fn spintax_nests_and_leaves_filters_alone() {
        let lead = fields(json!({"first_name": "ada"}));
        let r = render("{a|{b|c}} {{ first_name | upper }}", &lead, 3).unwrap();
        let (spun, name) = r.text.split_once(' ').unwrap();
        assert!(["a", "b", "c"].contains(&spun), "{}", r.text);
        assert_eq!(name, "ADA");
    }

    #[test]
    fn conditions_work_and_values_are_not_html_escaped() {
        let lead = fields(json!({"company": "Smith & <Sons>"}));
        let r = render(
            "{% if company %}At {{company}}{% else %}Hello{% endif %}",
            &lead,
            1,
        )
        .unwrap();
        assert_eq!(r.text, "At Smith & <Sons>");
    }

    #[test]
    fn broken_templates_are_refused_with_a_reason() {
        for (source, why) in [
            ("Hi {{ first_name", "never closed"),
            ("Hi {first_name}", "neither a field"),
            ("Hi }", "no `{`"),
            ("{% if %}", ""),
            (
                "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
                "",
            ),
        ] {
            let err = check(source).expect_err(source);
            assert!(err.0.contains(why), "{source}: {err}");
        }
    }

    #[test]
    fn weights_are_respected() {
        let mut counts = [0; 2];
        for seed in 0..2000 {
            counts[pick_weighted(&[1, 3], seed)] += 1;
        }
        assert!((1300..1700).contains(&counts[1]), "{counts:?}");
        assert_eq!(pick_weighted(&[5], 9), 0);
    }
}
