//! ASL Paths and Reference Paths, evaluated with `serde_json_path`.
//!
//! Step Functions runs Jayway JsonPath, whose one behaviour that matters to payloads is
//! *definiteness*: a path made only of member names and non-negative indexes yields the single
//! value it points at (and failing to find it is an error), while any other path (wildcards,
//! filters, slices, unions, `..`) yields the array of everything it matched. `serde_json_path`
//! (RFC 9535) does all parsing and querying here; the only thing this module adds is a scanner
//! for the definite subset, which is needed twice anyway: to tell Reference Paths (ResultPath,
//! ItemsPath, Choice `Variable`...) apart, and to know which members `ResultPath` must create,
//! something a query library cannot do since the members do not exist yet.

use serde_json::Value;
use serde_json_path::JsonPath;

use super::errors::StatesError;

/// A Path: `$...` over the state's data or `$$...` over the context object.
#[derive(Debug, Clone)]
pub struct Path {
    text: String,
    query: JsonPath,
    over_context: bool,
    definite: Option<Vec<Segment>>,
}

/// One step of a definite path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Field(String),
    Index(usize),
}

impl Path {
    /// Parses a Path; the error is a message fit for a validation finding.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (over_context, expression) = match text.strip_prefix("$$") {
            Some(rest) => (true, format!("${rest}")),
            None => (false, text.to_string()),
        };
        if !expression.starts_with('$') {
            return Err(format!(
                "{text:?} is not a path: paths start with `$` or `$$`"
            ));
        }
        let query = JsonPath::parse(&expression)
            .map_err(|err| format!("{text:?} is not a valid JSONPath: {err}"))?;
        Ok(Self {
            text: text.to_string(),
            query,
            over_context,
            definite: definite_segments(&expression),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Does the path address the context object (`$$`)?
    pub fn is_context(&self) -> bool {
        self.over_context
    }

    /// Does the path name a single node (Jayway "definite" path)?
    pub fn is_definite(&self) -> bool {
        self.definite.is_some()
    }

    /// Resolves the path: a definite path gives the node it names (`None` when absent), any
    /// other path the array of its matches (possibly empty).
    pub fn resolve(&self, input: &Value, context: &Value) -> Option<Value> {
        let root = if self.over_context { context } else { input };
        let nodes = self.query.query(root);
        if self.is_definite() {
            nodes.at_most_one().ok().flatten().cloned()
        } else {
            Some(Value::Array(nodes.all().into_iter().cloned().collect()))
        }
    }

    /// Like [`Path::resolve`], but a missing node is the `States.Runtime` error AWS raises.
    pub fn select(&self, input: &Value, context: &Value) -> Result<Value, StatesError> {
        self.resolve(input, context).ok_or_else(|| {
            StatesError::runtime(format!(
                "The JSONPath '{}' could not be found in the {}",
                self.text,
                if self.over_context {
                    "context object"
                } else {
                    "input"
                }
            ))
        })
    }
}

/// A Reference Path: a definite Path, which can also be written to (ResultPath).
#[derive(Debug, Clone)]
pub struct ReferencePath {
    path: Path,
}

impl ReferencePath {
    pub fn parse(text: &str) -> Result<Self, String> {
        let path = Path::parse(text)?;
        if !path.is_definite() {
            return Err(format!(
                "{text:?} is not a reference path: only member names and non-negative indexes are \
                 allowed (no wildcards, filters, slices, unions or `..`)"
            ));
        }
        Ok(Self { path })
    }

    /// `$`: the whole input.
    pub fn root() -> Self {
        Self {
            path: Path {
                text: "$".to_string(),
                query: JsonPath::default(),
                over_context: false,
                definite: Some(Vec::new()),
            },
        }
    }

    pub fn as_path(&self) -> &Path {
        &self.path
    }

    pub fn as_str(&self) -> &str {
        self.path.as_str()
    }

    pub fn is_context(&self) -> bool {
        self.path.is_context()
    }

    pub fn segments(&self) -> &[Segment] {
        self.path.definite.as_deref().unwrap_or_default()
    }

    /// The node the path names, if present.
    pub fn lookup<'v>(&self, input: &'v Value, context: &'v Value) -> Option<&'v Value> {
        let root = if self.path.over_context {
            context
        } else {
            input
        };
        self.segments()
            .iter()
            .try_fold(root, |node, segment| match segment {
                Segment::Field(name) => node.get(name),
                Segment::Index(index) => node.get(*index),
            })
    }

    /// Writes `value` at this path inside `target`, creating missing members as objects.
    /// Fails when an existing node on the way is not a container the next step can enter.
    pub fn write(&self, target: &mut Value, value: Value) -> Result<(), String> {
        let mut node = target;
        for segment in self.segments() {
            node = match segment {
                Segment::Field(name) => match node {
                    Value::Object(members) => members
                        .entry(name.clone())
                        .or_insert_with(|| Value::Object(Default::default())),
                    other => {
                        return Err(format!(
                            "cannot set member {name:?} on a {}",
                            type_name(other)
                        ))
                    }
                },
                Segment::Index(index) => match node {
                    Value::Array(items) => {
                        let len = items.len();
                        items.get_mut(*index).ok_or_else(|| {
                            format!("index {index} is out of bounds of an array of {len}")
                        })?
                    }
                    other => {
                        return Err(format!(
                            "cannot index [{index}] into a {}",
                            type_name(other)
                        ))
                    }
                },
            };
        }
        *node = value;
        Ok(())
    }
}

pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Splits an RFC 9535 query that `serde_json_path` already accepted into its steps, if every
/// step is a single member name or a non-negative index; `None` otherwise.
fn definite_segments(expression: &str) -> Option<Vec<Segment>> {
    let mut rest = expression.strip_prefix('$')?;
    let mut segments = Vec::new();
    while !rest.is_empty() {
        if let Some(after_dot) = rest.strip_prefix('.') {
            if after_dot.starts_with('.') || after_dot.starts_with('*') {
                return None;
            }
            let end = after_dot.find(['.', '[']).unwrap_or(after_dot.len());
            segments.push(Segment::Field(after_dot[..end].to_string()));
            rest = &after_dot[end..];
        } else if let Some(inside) = rest.strip_prefix('[') {
            let inside = inside.trim_start();
            let (segment, after) = match inside.chars().next()? {
                quote @ ('\'' | '"') => quoted_name(&inside[1..], quote)?,
                '0'..='9' => {
                    let end = inside
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(inside.len());
                    let index = inside[..end].parse().ok()?;
                    (Segment::Index(index), &inside[end..])
                }
                _ => return None,
            };
            rest = after.trim_start().strip_prefix(']')?;
            segments.push(segment);
        } else {
            return None;
        }
    }
    Some(segments)
}

/// Reads a quoted member name up to its closing quote, undoing RFC 9535 escapes.
fn quoted_name(text: &str, quote: char) -> Option<(Segment, &str)> {
    let mut name = String::new();
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                let (_, escaped) = chars.next()?;
                name.push(match escaped {
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' => {
                        let hex: String =
                            (0..4).filter_map(|_| chars.next()).map(|p| p.1).collect();
                        char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                    }
                    other => other,
                });
            }
            c if c == quote => return Some((Segment::Field(name), &text[at + 1..])),
            c => name.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests;
