//! Intrinsic function calls (`States.Format('{}', $.x)` and friends): their grammar, the
//! catalogue of known functions with their arities, and evaluation.
//!
//! Calls are parsed once, when the definition is parsed, so a typo or a wrong argument count is
//! a validation finding rather than a failure in the middle of an execution. Arguments are
//! literals, Paths (evaluated with the same rules as payload templates) or nested calls.
//! String literals keep their raw text next to the unescaped value because `States.Format`
//! must tell an escaped `\{` from a placeholder `{}`.

use serde_json::{Number, Value};

use super::errors::StatesError;
use super::jsonpath::Path;

/// The intrinsic functions this engine knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

/// Name, function, minimum and maximum argument count (`None`: unbounded).
const CATALOGUE: &[(&str, Function, usize, Option<usize>)] = &[
    ("States.Format", Function::Format, 1, None),
    ("States.StringToJson", Function::StringToJson, 1, Some(1)),
    ("States.JsonToString", Function::JsonToString, 1, Some(1)),
    ("States.Array", Function::Array, 0, None),
    (
        "States.ArrayPartition",
        Function::ArrayPartition,
        2,
        Some(2),
    ),
    ("States.ArrayContains", Function::ArrayContains, 2, Some(2)),
    ("States.ArrayRange", Function::ArrayRange, 3, Some(3)),
    ("States.ArrayGetItem", Function::ArrayGetItem, 2, Some(2)),
    ("States.ArrayLength", Function::ArrayLength, 1, Some(1)),
    ("States.ArrayUnique", Function::ArrayUnique, 1, Some(1)),
    ("States.Base64Encode", Function::Base64Encode, 1, Some(1)),
    ("States.Base64Decode", Function::Base64Decode, 1, Some(1)),
    ("States.Hash", Function::Hash, 2, Some(2)),
    ("States.JsonMerge", Function::JsonMerge, 3, Some(3)),
    ("States.MathRandom", Function::MathRandom, 2, Some(3)),
    ("States.MathAdd", Function::MathAdd, 2, Some(2)),
    ("States.StringSplit", Function::StringSplit, 2, Some(2)),
    ("States.UUID", Function::Uuid, 0, Some(0)),
];

/// A parsed call.
#[derive(Debug, Clone)]
pub struct Intrinsic {
    pub function: Function,
    pub args: Vec<Argument>,
}

/// One argument of a call.
#[derive(Debug, Clone)]
pub enum Argument {
    /// A single-quoted literal: `value` is unescaped, `raw` is the text between the quotes.
    Text {
        value: String,
        raw: String,
    },
    Number(Number),
    Boolean(bool),
    Null,
    Path(Path),
    Call(Intrinsic),
}

/// Evaluated argument; string literals keep their raw text for `States.Format`.
pub(crate) struct Evaluated {
    pub value: Value,
    pub raw_text: Option<String>,
}

impl Intrinsic {
    /// Parses a whole field value such as `States.Array($.a, 'b')`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parser = Parser { text, at: 0 };
        let call = parser.call()?;
        parser.skip_spaces();
        if parser.at != text.len() {
            return Err(parser.fail("unexpected text after the call"));
        }
        Ok(call)
    }

    /// Runs the call; failures are `States.IntrinsicFailure`, except missing paths in
    /// arguments, which are `States.Runtime` like any other unresolved path.
    pub fn evaluate(&self, input: &Value, context: &Value) -> Result<Value, StatesError> {
        let args = self
            .args
            .iter()
            .map(|arg| arg.evaluate(input, context))
            .collect::<Result<Vec<_>, _>>()?;
        super::intrinsic_functions::apply(self.function, args)
    }
}

impl Argument {
    fn evaluate(&self, input: &Value, context: &Value) -> Result<Evaluated, StatesError> {
        let value = match self {
            Argument::Text { value, raw } => {
                return Ok(Evaluated {
                    value: Value::String(value.clone()),
                    raw_text: Some(raw.clone()),
                })
            }
            Argument::Number(number) => Value::Number(number.clone()),
            Argument::Boolean(flag) => Value::Bool(*flag),
            Argument::Null => Value::Null,
            Argument::Path(path) => path.select(input, context)?,
            Argument::Call(call) => call.evaluate(input, context)?,
        };
        Ok(Evaluated {
            value,
            raw_text: None,
        })
    }
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn fail(&self, message: &str) -> String {
        format!(
            "{:?} is not a valid intrinsic call: {message} at offset {}",
            self.text, self.at
        )
    }

    fn skip_spaces(&mut self) {
        let trimmed = self.rest().trim_start();
        self.at = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, expected: char) -> bool {
        if self.rest().starts_with(expected) {
            self.at += expected.len_utf8();
            true
        } else {
            false
        }
    }

    fn call(&mut self) -> Result<Intrinsic, String> {
        self.skip_spaces();
        let name_len = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .unwrap_or(self.rest().len());
        let name = self.rest()[..name_len].to_string();
        let Some(&(_, function, min, max)) = CATALOGUE.iter().find(|entry| entry.0 == name) else {
            return Err(self.fail(&format!("unknown intrinsic function {name:?}")));
        };
        self.at += name_len;
        self.skip_spaces();
        if !self.eat('(') {
            return Err(self.fail("expected `(`"));
        }
        let mut args = Vec::new();
        self.skip_spaces();
        if !self.eat(')') {
            loop {
                args.push(self.argument()?);
                self.skip_spaces();
                if self.eat(')') {
                    break;
                }
                if !self.eat(',') {
                    return Err(self.fail("expected `,` or `)`"));
                }
            }
        }
        let arity_ok = args.len() >= min && max.is_none_or(|max| args.len() <= max);
        if !arity_ok {
            let expected = match max {
                Some(max) if max == min => format!("{min}"),
                Some(max) => format!("{min} to {max}"),
                None => format!("at least {min}"),
            };
            return Err(format!(
                "{name} takes {expected} argument(s), {} given in {:?}",
                args.len(),
                self.text
            ));
        }
        Ok(Intrinsic { function, args })
    }

    fn argument(&mut self) -> Result<Argument, String> {
        self.skip_spaces();
        let rest = self.rest();
        if rest.starts_with('\'') {
            self.at += 1;
            return self.text_literal();
        }
        if rest.starts_with('$') {
            let len = path_length(rest);
            let path_text = rest[..len].trim_end();
            let path = Path::parse(path_text)?;
            self.at += len;
            return Ok(Argument::Path(path));
        }
        if rest.starts_with("States.") {
            return Ok(Argument::Call(self.call()?));
        }
        for (word, argument) in [
            ("true", Argument::Boolean(true)),
            ("false", Argument::Boolean(false)),
            ("null", Argument::Null),
        ] {
            if rest.starts_with(word) {
                self.at += word.len();
                return Ok(argument);
            }
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
            .unwrap_or(rest.len());
        match serde_json::from_str::<Number>(&rest[..len]) {
            Ok(number) if len > 0 => {
                self.at += len;
                Ok(Argument::Number(number))
            }
            _ => Err(self.fail("expected a quoted string, number, boolean, null, path or call")),
        }
    }

    /// After the opening quote: reads up to the closing quote; `\x` always stands for `x`.
    fn text_literal(&mut self) -> Result<Argument, String> {
        let start = self.at;
        let mut value = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((offset, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, escaped)) => value.push(escaped),
                    None => break,
                },
                '\'' => {
                    let raw = self.text[start..start + offset].to_string();
                    self.at = start + offset + 1;
                    return Ok(Argument::Text { value, raw });
                }
                c => value.push(c),
            }
        }
        Err(self.fail("unterminated string literal"))
    }
}

/// Length of a path argument: up to the first `,` or `)` outside brackets and quotes.
fn path_length(text: &str) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '[' | '(' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            ')' if depth == 0 => return at,
            ')' => depth -= 1,
            ',' if depth == 0 => return at,
            _ => {}
        }
    }
    text.len()
}

#[cfg(test)]
mod tests;
