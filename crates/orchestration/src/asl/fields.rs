//! A reader over one JSON object of the definition that reports every problem it meets.
//!
//! All parsing goes through it so that findings consistently carry a JSON pointer to the
//! member and the state name, unknown members are reported the way asl-validator does, and
//! no parser has to thread pointer strings by hand.

use serde_json::{Map, Value};

use super::jsonpath::{type_name, Path, ReferencePath};
use super::template::Template;
use super::validation::{pointer, Issues};

pub(crate) struct Fields<'a, 'i> {
    members: &'a Map<String, Value>,
    at: String,
    state: Option<&'a str>,
    issues: &'i mut Issues,
}

impl<'a, 'i> Fields<'a, 'i> {
    /// `None` (with a finding) when `value` is not an object.
    pub(crate) fn open(
        value: &'a Value,
        at: String,
        state: Option<&'a str>,
        issues: &'i mut Issues,
        what: &str,
    ) -> Option<Self> {
        match value {
            Value::Object(members) => Some(Self {
                members,
                at,
                state,
                issues,
            }),
            other => {
                issues.report(
                    &at,
                    state,
                    format!("{what} must be an object, not a {}", type_name(other)),
                );
                None
            }
        }
    }

    pub(crate) fn issues(&mut self) -> &mut Issues {
        self.issues
    }

    pub(crate) fn state(&self) -> Option<&'a str> {
        self.state
    }

    pub(crate) fn pointer_to(&self, key: &str) -> String {
        pointer(&self.at, key)
    }

    pub(crate) fn raw(&self, key: &str) -> Option<&'a Value> {
        self.members.get(key)
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.members.contains_key(key)
    }

    /// Reports a finding on a member (or on the object itself with `None`).
    pub(crate) fn report(&mut self, key: Option<&str>, message: impl Into<String>) {
        let at = key.map_or_else(|| self.at.clone(), |key| self.pointer_to(key));
        self.issues.report(&at, self.state, message);
    }

    /// Reports every member not in `allowed`.
    pub(crate) fn allow_only(&mut self, allowed: &[&str], what: &str) {
        let unknown: Vec<&String> = self
            .members
            .keys()
            .filter(|key| !allowed.contains(&key.as_str()))
            .collect();
        for key in unknown {
            self.report(Some(key), format!("{key:?} is not a valid field of {what}"));
        }
    }

    /// Reports when more than one of `keys` is present; true when at most one is.
    pub(crate) fn at_most_one(&mut self, keys: &[&str]) -> bool {
        let present: Vec<&str> = keys.iter().copied().filter(|k| self.has(k)).collect();
        if present.len() > 1 {
            self.report(
                Some(present[1]),
                format!("only one of {} may be given", keys.join(", ")),
            );
            return false;
        }
        true
    }

    pub(crate) fn string(&mut self, key: &str) -> Option<&'a str> {
        match self.raw(key)? {
            Value::String(text) => Some(text),
            other => {
                let message = format!("{key} must be a string, not a {}", type_name(other));
                self.report(Some(key), message);
                None
            }
        }
    }

    pub(crate) fn required_string(&mut self, key: &str, what: &str) -> Option<&'a str> {
        if !self.has(key) {
            self.report(None, format!("{what} must have a {key} field"));
            return None;
        }
        self.string(key)
    }

    /// An integer in `[min, max]`.
    pub(crate) fn integer(&mut self, key: &str, min: u64, max: u64) -> Option<u64> {
        let value = self.raw(key)?;
        match value.as_u64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.report(
                    Some(key),
                    format!("{key} must be an integer between {min} and {max}, got {value}"),
                );
                None
            }
        }
    }

    /// A number in `[min, max]`.
    pub(crate) fn number(&mut self, key: &str, min: f64, max: f64) -> Option<f64> {
        let value = self.raw(key)?;
        match value.as_f64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                let range = if max == f64::MAX {
                    format!("at least {min}")
                } else {
                    format!("between {min} and {max}")
                };
                self.report(
                    Some(key),
                    format!("{key} must be a number {range}, got {value}"),
                );
                None
            }
        }
    }

    /// `InputPath`/`OutputPath`-style field: absent → `$`, `null` → `None`.
    pub(crate) fn nullable_path(&mut self, key: &str) -> Option<Path> {
        match self.raw(key) {
            None => Path::parse("$").ok(),
            Some(Value::Null) => None,
            Some(_) => {
                let text = self.string(key)?;
                self.parsed(key, Path::parse(text))
            }
        }
    }

    /// `ResultPath`-style field: absent → `$`, `null` → `None`; never over the context object.
    pub(crate) fn result_path(&mut self, key: &str) -> Option<ReferencePath> {
        match self.raw(key) {
            None => Some(ReferencePath::root()),
            Some(Value::Null) => None,
            Some(_) => {
                let text = self.string(key)?;
                let path = self.parsed(key, ReferencePath::parse(text))?;
                if path.is_context() {
                    self.report(
                        Some(key),
                        "ResultPath cannot write into the context object ($$)",
                    );
                    return None;
                }
                Some(path)
            }
        }
    }

    /// An optional Reference Path (`$$` allowed).
    pub(crate) fn reference_path(&mut self, key: &str) -> Option<ReferencePath> {
        let text = self.string(key)?;
        self.parsed(key, ReferencePath::parse(text))
    }

    pub(crate) fn template(&mut self, key: &str) -> Option<Template> {
        let value = self.raw(key)?;
        let at = self.pointer_to(key);
        Template::compile(value, &at, self.state, self.issues)
    }

    fn parsed<T>(&mut self, key: &str, outcome: Result<T, String>) -> Option<T> {
        outcome
            .map_err(|message| self.report(Some(key), message))
            .ok()
    }
}
