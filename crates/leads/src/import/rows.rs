//! From CSV to lead inputs: which column feeds which field (`plan`), the header row, the
//! records in order with their row numbers (`Records`), and one record as a `LeadInput` with
//! typed custom values.

use std::collections::{HashMap, VecDeque};

use serde_json::{Map, Value};

use crate::checks::FieldDefinition;
use crate::fields::LeadInput;
use crate::registry::{self, Kind, IMPORTABLE};

/// Where one CSV column goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Field(&'static str),
    Custom(String),
}

impl Target {
    /// The name a mapping uses for it (`email`, `custom.industry`).
    pub fn name(&self) -> String {
        match self {
            Target::Field(field) => (*field).to_owned(),
            Target::Custom(key) => format!("custom.{key}"),
        }
    }
}

/// The target of every column of `headers` (`None`: ignored), from an explicit mapping
/// `{"CSV column": "field"}` or, without one, from headers named like the fields
/// (`First Name` -> `first_name`, `industry` -> `custom.industry`).
pub fn plan(
    headers: &[String],
    mapping: Option<&Map<String, Value>>,
    definitions: &[FieldDefinition],
) -> Result<Vec<Option<Target>>, String> {
    let target = |name: &str| -> Option<Target> {
        if let Some(field) = IMPORTABLE.iter().find(|f| **f == name) {
            return Some(Target::Field(field));
        }
        let key = name.strip_prefix("custom.").unwrap_or(name);
        definitions
            .iter()
            .find(|d| d.key == key)
            .map(|d| Target::Custom(d.key.clone()))
    };
    let mut plan: Vec<Option<Target>> = vec![None; headers.len()];
    match mapping {
        Some(mapping) => {
            for (column, field) in mapping {
                let Some(field) = field.as_str() else {
                    return Err(format!("the field for column {column:?} must be a string"));
                };
                let index = headers
                    .iter()
                    .position(|h| h == column)
                    .ok_or_else(|| format!("the file has no column {column:?}"))?;
                let found = target(field).ok_or_else(|| {
                    format!(
                        "{field:?} is not a lead field ({}, or custom.<key>)",
                        IMPORTABLE.join(", ")
                    )
                })?;
                plan[index] = Some(found);
            }
        }
        None => {
            for (i, header) in headers.iter().enumerate() {
                let name = header.trim().to_lowercase().replace([' ', '-'], "_");
                plan[i] = target(&name);
            }
        }
    }
    for (i, t) in plan.iter().enumerate() {
        if t.is_some() && plan[..i].contains(t) {
            return Err(format!("two columns map to the same field ({:?})", t));
        }
    }
    if plan.iter().all(Option::is_none) {
        return Err("no column maps to a lead field".into());
    }
    Ok(plan)
}

/// `plan` as a stored mapping `{"CSV column": "field"}`, ignored columns left out.
pub fn resolved(headers: &[String], plan: &[Option<Target>]) -> Map<String, Value> {
    headers
        .iter()
        .zip(plan)
        .filter_map(|(header, target)| {
            Some((header.clone(), Value::String(target.as_ref()?.name())))
        })
        .collect()
}

/// The header row of a CSV file.
pub fn headers(file: &[u8]) -> Result<Vec<String>, String> {
    let mut reader = reader(file);
    let headers = reader
        .headers()
        .map_err(|e| format!("the file is not CSV: {e}"))?;
    if headers.is_empty() || headers.iter().all(str::is_empty) {
        return Err("the file has no header row".into());
    }
    if headers.iter().any(|h| h.contains('\0')) {
        return Err("the header row holds a NUL character".into());
    }
    Ok(headers.iter().map(|h| h.trim().to_owned()).collect())
}

fn reader(file: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(strip_bom(file))
}

/// A record with its row number as a spreadsheet shows it (the header is row 1).
pub(super) struct Numbered {
    pub(super) row: i32,
    /// The record, or why it could not be read.
    pub(super) record: Result<csv::ByteRecord, String>,
}

/// The file's records in order. Records handed to a transaction that rolled back are put
/// back, to be handed out again.
pub(super) struct Records<'f> {
    csv: std::iter::Peekable<csv::ByteRecordsIntoIter<&'f [u8]>>,
    put_back: VecDeque<Numbered>,
    /// Records handed out so far.
    position: usize,
}

impl<'f> Records<'f> {
    pub(super) fn new(file: &'f [u8]) -> Self {
        Records {
            csv: reader(file).into_byte_records().peekable(),
            put_back: VecDeque::new(),
            position: 0,
        }
    }

    pub(super) fn position(&self) -> usize {
        self.position
    }

    fn next(&mut self) -> Option<Numbered> {
        let numbered = match self.put_back.pop_front() {
            Some(numbered) => numbered,
            None => Numbered {
                // The header is row 1, so the n-th record (1-based) is row n + 1.
                row: i32::try_from(self.position + 2).unwrap_or(i32::MAX),
                record: self
                    .csv
                    .next()?
                    .map_err(|err| format!("not a readable CSV record: {err}")),
            },
        };
        self.position += 1;
        Some(numbered)
    }

    pub(super) fn take(&mut self, n: usize) -> Vec<Numbered> {
        (0..n).map_while(|_| self.next()).collect()
    }

    pub(super) fn put_back(&mut self, records: Vec<Numbered>) {
        self.position -= records.len();
        for numbered in records.into_iter().rev() {
            self.put_back.push_front(numbered);
        }
    }

    /// Passes over the records before `position` (done by an earlier run).
    pub(super) fn skip_to(&mut self, position: usize) {
        while self.position < position && self.next().is_some() {}
    }

    pub(super) fn is_done(&mut self) -> bool {
        self.put_back.is_empty() && self.csv.peek().is_none()
    }
}

fn strip_bom(file: &[u8]) -> &[u8] {
    file.strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(file)
}

/// The lead input of one record. Cells are trimmed; empty cells are absent.
pub(super) fn to_input(
    columns: &[Option<Target>],
    definitions: &HashMap<String, FieldDefinition>,
    record: &csv::ByteRecord,
) -> Result<LeadInput, String> {
    let mut fields = Map::new();
    let mut custom = Map::new();
    for (i, target) in columns.iter().enumerate() {
        let Some(target) = target else { continue };
        let raw = record.get(i).unwrap_or_default();
        let cell = std::str::from_utf8(raw)
            .map_err(|_| format!("column {}: not UTF-8 text", i + 1))?
            .trim();
        if cell.contains('\0') {
            return Err(format!("column {}: holds a NUL character", i + 1));
        }
        if cell.is_empty() {
            continue;
        }
        match target {
            Target::Field(name) => {
                fields.insert((*name).to_owned(), field_cell(name, cell)?);
            }
            Target::Custom(key) => {
                let kind = definitions.get(key).map_or("text", |d| d.kind.as_str());
                custom.insert(key.clone(), custom_cell(key, kind, cell)?);
            }
        }
    }
    if !custom.is_empty() {
        fields.insert("custom".into(), Value::Object(custom));
    }
    serde_json::from_value(Value::Object(fields)).map_err(|e| e.to_string())
}

/// A cell as the JSON value its lead field's kind expects (checked again by `normalise`).
fn field_cell(name: &str, cell: &str) -> Result<Value, String> {
    Ok(match registry::field(name).map(|f| f.kind) {
        Some(Kind::Int) => cell
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("{name}: {cell:?} is not a whole number"))?,
        Some(Kind::Tags) => Value::Array(
            cell.split([';', ','])
                .map(|t| Value::String(t.trim().to_owned()))
                .collect(),
        ),
        _ => Value::String(cell.to_owned()),
    })
}

/// A custom cell as the JSON value its field's kind expects (checked again by `Rules`).
fn custom_cell(key: &str, kind: &str, cell: &str) -> Result<Value, String> {
    Ok(match kind {
        "number" => cell
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("custom.{key}: {cell:?} is not a number"))?,
        "boolean" => match cell.to_lowercase().as_str() {
            "true" | "yes" | "1" => Value::Bool(true),
            "false" | "no" | "0" => Value::Bool(false),
            _ => return Err(format!("custom.{key}: {cell:?} is not true or false")),
        },
        "multiselect" => Value::Array(
            cell.split(';')
                .map(|v| Value::String(v.trim().to_owned()))
                .collect(),
        ),
        _ => Value::String(cell.to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn def(key: &str, kind: &str) -> FieldDefinition {
        FieldDefinition {
            key: key.into(),
            label: key.into(),
            kind: kind.into(),
            options: vec![],
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn headers_map_by_name_or_by_mapping() {
        let headers: Vec<String> = ["First Name", "E-mail", "Budget", "Notes"]
            .map(String::from)
            .to_vec();
        let defs = [def("budget", "number")];
        let auto = plan(&headers, None, &defs).unwrap();
        assert_eq!(
            auto,
            [
                Some(Target::Field("first_name")),
                None,
                Some(Target::Custom("budget".into())),
                None
            ]
        );
        let mapping = json!({"E-mail": "email", "Budget": "custom.budget"});
        let mapped = plan(&headers, mapping.as_object(), &defs).unwrap();
        assert_eq!(mapped[1], Some(Target::Field("email")));
        assert!(plan(&headers, json!({"Nope": "email"}).as_object(), &defs).is_err());
        assert!(plan(&headers, json!({"Notes": "password"}).as_object(), &defs).is_err());
        let twice = json!({"E-mail": "email", "Notes": "email"});
        assert!(plan(&headers, twice.as_object(), &defs).is_err());
        assert!(plan(&["x".to_owned()], None, &defs).is_err());
    }

    #[test]
    fn cells_become_typed_values() {
        let columns = vec![
            Some(Target::Field("score")),
            Some(Target::Field("tags")),
            Some(Target::Custom("budget".into())),
        ];
        let defs = HashMap::from([("budget".to_owned(), def("budget", "number"))]);
        let record = csv::ByteRecord::from(vec!["42", "a; b", "12.5"]);
        let input = to_input(&columns, &defs, &record).unwrap();
        assert_eq!(input.score, Some(42));
        assert_eq!(input.tags, Some(vec!["a".into(), "b".into()]));
        let bad = csv::ByteRecord::from(vec!["lots", "", ""]);
        assert!(to_input(&columns, &defs, &bad)
            .unwrap_err()
            .starts_with("score"));
    }
}
