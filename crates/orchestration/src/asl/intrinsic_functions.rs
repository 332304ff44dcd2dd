//! What each intrinsic function computes, following the AWS reference for JSONPath states.
//!
//! Every function checks its argument types itself and fails with `States.IntrinsicFailure`,
//! which is what a catcher sees on AWS. Limits AWS documents (10 000-character strings for
//! Base64/Hash, 1 000-item ranges, shallow-only JsonMerge) are enforced so a definition that
//! works here does not break on Step Functions and vice versa.

use base64::Engine;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use sha2::Digest;

use super::errors::StatesError;
use super::intrinsics::{Evaluated, Function};
use super::jsonpath::type_name;

const MAX_ENCODING_INPUT: usize = 10_000;
const MAX_RANGE_ITEMS: i64 = 1_000;

type Outcome = Result<Value, StatesError>;

pub(crate) fn apply(function: Function, args: Vec<Evaluated>) -> Outcome {
    let values: Vec<&Value> = args.iter().map(|arg| &arg.value).collect();
    match function {
        Function::Format => format(&args),
        Function::StringToJson => {
            let text = string(values[0], "States.StringToJson")?;
            serde_json::from_str(text)
                .map_err(|err| failure(format!("States.StringToJson: invalid JSON: {err}")))
        }
        Function::JsonToString => Ok(Value::String(values[0].to_string())),
        Function::Array => Ok(Value::Array(values.into_iter().cloned().collect())),
        Function::ArrayPartition => array_partition(values[0], values[1]),
        Function::ArrayContains => {
            let items = array(values[0], "States.ArrayContains")?;
            Ok(Value::Bool(items.contains(values[1])))
        }
        Function::ArrayRange => array_range(values[0], values[1], values[2]),
        Function::ArrayGetItem => {
            let items = array(values[0], "States.ArrayGetItem")?;
            let index = integer(values[1], "States.ArrayGetItem index")?;
            usize::try_from(index)
                .ok()
                .and_then(|index| items.get(index))
                .cloned()
                .ok_or_else(|| {
                    failure(format!(
                        "States.ArrayGetItem: index {index} is out of bounds"
                    ))
                })
        }
        Function::ArrayLength => Ok(json!(array(values[0], "States.ArrayLength")?.len())),
        Function::ArrayUnique => {
            let mut unique: Vec<Value> = Vec::new();
            for item in array(values[0], "States.ArrayUnique")? {
                if !unique.contains(item) {
                    unique.push(item.clone());
                }
            }
            Ok(Value::Array(unique))
        }
        Function::Base64Encode => {
            let text = bounded_string(values[0], "States.Base64Encode")?;
            Ok(Value::String(
                base64::engine::general_purpose::STANDARD.encode(text),
            ))
        }
        Function::Base64Decode => {
            let encoded = bounded_string(values[0], "States.Base64Decode")?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|err| failure(format!("States.Base64Decode: {err}")))?;
            String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| failure("States.Base64Decode: decoded bytes are not UTF-8"))
        }
        Function::Hash => hash(values[0], values[1]),
        Function::JsonMerge => json_merge(values[0], values[1], values[2]),
        Function::MathRandom => math_random(&values),
        Function::MathAdd => {
            let sum = integer(values[0], "States.MathAdd")?
                .checked_add(integer(values[1], "States.MathAdd")?)
                .ok_or_else(|| failure("States.MathAdd: overflow"))?;
            Ok(json!(sum))
        }
        Function::StringSplit => {
            let text = string(values[0], "States.StringSplit")?;
            let delimiters: Vec<char> = string(values[1], "States.StringSplit delimiter")?
                .chars()
                .collect();
            Ok(Value::Array(
                text.split(delimiters.as_slice())
                    .filter(|part| !part.is_empty())
                    .map(|part| Value::String(part.to_string()))
                    .collect(),
            ))
        }
        Function::Uuid => Ok(Value::String(uuid::Uuid::new_v4().to_string())),
    }
}

fn failure(cause: impl Into<String>) -> StatesError {
    StatesError::intrinsic_failure(cause)
}

fn string<'v>(value: &'v Value, what: &str) -> Result<&'v str, StatesError> {
    value.as_str().ok_or_else(|| {
        failure(format!(
            "{what} expects a string, got a {}",
            type_name(value)
        ))
    })
}

fn bounded_string<'v>(value: &'v Value, what: &str) -> Result<&'v str, StatesError> {
    let text = string(value, what)?;
    if text.chars().count() > MAX_ENCODING_INPUT {
        return Err(failure(format!(
            "{what} accepts at most {MAX_ENCODING_INPUT} characters"
        )));
    }
    Ok(text)
}

fn array<'v>(value: &'v Value, what: &str) -> Result<&'v Vec<Value>, StatesError> {
    value.as_array().ok_or_else(|| {
        failure(format!(
            "{what} expects an array, got a {}",
            type_name(value)
        ))
    })
}

/// Integers may arrive as `3` or `3.0` (the latter from arithmetic upstream); fractions are
/// refused rather than silently truncated.
fn integer(value: &Value, what: &str) -> Result<i64, StatesError> {
    if let Some(int) = value.as_i64() {
        return Ok(int);
    }
    match value.as_f64() {
        Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => Ok(float as i64),
        _ => Err(failure(format!("{what} expects an integer, got {value}"))),
    }
}

/// `{}` placeholders are filled in order; `\{`, `\}` and `\\` stand for themselves.
fn format(args: &[Evaluated]) -> Outcome {
    let template = string(&args[0].value, "States.Format template")?;
    let raw = args[0].raw_text.as_deref().unwrap_or(template);
    let mut fillers = args[1..].iter().map(|arg| &arg.value);
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                let filler = fillers
                    .next()
                    .ok_or_else(|| failure("States.Format: more placeholders than arguments"))?;
                match filler {
                    Value::String(text) => out.push_str(text),
                    Value::Array(_) | Value::Object(_) => {
                        return Err(failure(
                            "States.Format: arguments must be strings, numbers, booleans or null",
                        ))
                    }
                    scalar => out.push_str(&scalar.to_string()),
                }
            }
            '{' | '}' => {
                return Err(failure(
                    "States.Format: a lone `{` or `}` must be escaped as `\\{` or `\\}`",
                ))
            }
            c => out.push(c),
        }
    }
    if fillers.next().is_some() {
        return Err(failure("States.Format: more arguments than placeholders"));
    }
    Ok(Value::String(out))
}

fn array_partition(items: &Value, size: &Value) -> Outcome {
    let items = array(items, "States.ArrayPartition")?;
    let size = integer(size, "States.ArrayPartition chunk size")?;
    let size = usize::try_from(size)
        .ok()
        .filter(|size| *size > 0)
        .ok_or_else(|| failure("States.ArrayPartition: chunk size must be a positive integer"))?;
    Ok(Value::Array(
        items
            .chunks(size)
            .map(|chunk| Value::Array(chunk.to_vec()))
            .collect(),
    ))
}

/// Inclusive of `end` when the step lands on it, like `States.ArrayRange(1, 9, 2)` → `[1,3,5,7,9]`.
fn array_range(start: &Value, end: &Value, step: &Value) -> Outcome {
    let start = integer(start, "States.ArrayRange start")?;
    let end = integer(end, "States.ArrayRange end")?;
    let step = integer(step, "States.ArrayRange step")?;
    if step == 0 {
        return Err(failure("States.ArrayRange: step must not be 0"));
    }
    let count = if (end - start).signum() * step.signum() < 0 {
        0
    } else {
        (end - start) / step + 1
    };
    if count > MAX_RANGE_ITEMS {
        return Err(failure(format!(
            "States.ArrayRange: at most {MAX_RANGE_ITEMS} items may be generated"
        )));
    }
    Ok(Value::Array(
        (0..count).map(|i| json!(start + i * step)).collect(),
    ))
}

/// SHA-2 only: MD5 and SHA-1 would need extra crates for legacy algorithms.
fn hash(data: &Value, algorithm: &Value) -> Outcome {
    let data = bounded_string(data, "States.Hash data")?;
    let digest = match string(algorithm, "States.Hash algorithm")? {
        "SHA-256" => hex(&sha2::Sha256::digest(data.as_bytes())),
        "SHA-384" => hex(&sha2::Sha384::digest(data.as_bytes())),
        "SHA-512" => hex(&sha2::Sha512::digest(data.as_bytes())),
        "MD5" | "SHA-1" => return Err(failure(
            "States.Hash: MD5 and SHA-1 are not supported here; use SHA-256, SHA-384 or SHA-512",
        )),
        other => return Err(failure(format!("States.Hash: unknown algorithm {other:?}"))),
    };
    Ok(Value::String(digest))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Shallow merge: members of the second object replace those of the first.
fn json_merge(left: &Value, right: &Value, deep: &Value) -> Outcome {
    if deep != &Value::Bool(false) {
        return Err(failure(
            "States.JsonMerge: only shallow merges are supported; the third argument must be false",
        ));
    }
    let (Value::Object(left), Value::Object(right)) = (left, right) else {
        return Err(failure("States.JsonMerge expects two objects"));
    };
    let mut merged = left.clone();
    merged.extend(
        right
            .iter()
            .map(|(key, value)| (key.clone(), value.clone())),
    );
    Ok(Value::Object(merged))
}

/// A random integer in `[start, end)`; with a seed the draw is reproducible.
fn math_random(values: &[&Value]) -> Outcome {
    let start = integer(values[0], "States.MathRandom start")?;
    let end = integer(values[1], "States.MathRandom end")?;
    if start >= end {
        return Err(failure("States.MathRandom: start must be lower than end"));
    }
    let drawn = match values.get(2) {
        Some(seed) => {
            let seed = integer(seed, "States.MathRandom seed")?;
            rand::rngs::StdRng::seed_from_u64(seed as u64).gen_range(start..end)
        }
        None => rand::thread_rng().gen_range(start..end),
    };
    Ok(json!(drawn))
}
