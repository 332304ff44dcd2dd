//! The first rows of a layer file, as text, for the layers browser: CSV and JSON lines from the
//! file's first MiB, Parquet from its footer and first row group (files up to 64 MiB; larger
//! ones are the sandbox's to read).

use bytes::Bytes;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::format::Format;

/// How much of a CSV or JSON lines file a preview reads.
pub const TEXT_BYTES: u64 = 1024 * 1024;
/// The largest Parquet file previewed here (it is read whole).
pub const PARQUET_BYTES: u64 = 64 * 1024 * 1024;

/// The first rows of a file.
#[derive(Debug, Serialize, ToSchema)]
pub struct Preview {
    pub format: Format,
    pub columns: Vec<String>,
    /// Values as text, in column order.
    pub rows: Vec<Vec<Option<String>>>,
    /// True when the file has more rows than shown (or the preview read only its start).
    pub truncated: bool,
}

/// The first `limit` records of CSV `bytes` (a header row, then records); `cut` says the bytes
/// are only the file's start.
pub fn csv(bytes: &[u8], limit: usize, cut: bool) -> Preview {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes);
    let columns = reader
        .headers()
        .map(|h| h.iter().map(str::to_owned).collect())
        .unwrap_or_default();
    let mut rows = Vec::new();
    let mut more = cut;
    for record in reader.records() {
        let Ok(record) = record else { break };
        if rows.len() == limit {
            more = true;
            break;
        }
        rows.push(record.iter().map(|v| Some(v.to_owned())).collect());
    }
    Preview {
        format: Format::Csv,
        columns,
        rows,
        truncated: more,
    }
}

/// The first `limit` objects of JSON lines `bytes`; columns are the keys seen, in name order.
pub fn jsonl(bytes: &[u8], limit: usize, cut: bool) -> Preview {
    let mut columns: Vec<String> = Vec::new();
    let mut objects = Vec::new();
    let mut more = cut;
    for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        if objects.len() == limit {
            more = true;
            break;
        }
        for key in object.keys() {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
        objects.push(object);
    }
    let rows = objects
        .iter()
        .map(|o| {
            columns
                .iter()
                .map(|c| match o.get(c) {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(other) => Some(other.to_string()),
                })
                .collect()
        })
        .collect();
    Preview {
        format: Format::Jsonl,
        columns,
        rows,
        truncated: more,
    }
}

/// The first `limit` rows of Parquet file `bytes`, top-level columns only (a nested column
/// shows as Parquet prints it). `Err` says, for the user, why the file cannot be read.
pub fn parquet(bytes: Bytes, limit: usize) -> Result<Preview, String> {
    let reader = SerializedFileReader::new(bytes)
        .map_err(|e| format!("Not a readable Parquet file: {e}."))?;
    let metadata = reader.metadata().file_metadata();
    let columns: Vec<String> = metadata
        .schema_descr()
        .root_schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_owned())
        .collect();
    let total = metadata.num_rows();
    let mut rows = Vec::new();
    let records = reader
        .get_row_iter(None)
        .map_err(|e| format!("The Parquet rows cannot be read: {e}."))?;
    for record in records.take(limit) {
        let record = record.map_err(|e| format!("The Parquet rows cannot be read: {e}."))?;
        rows.push(
            record
                .get_column_iter()
                .map(|(_, field)| match field {
                    Field::Null => None,
                    Field::Str(s) => Some(s.clone()),
                    other => Some(other.to_string()),
                })
                .collect(),
        );
    }
    Ok(Preview {
        format: Format::Parquet,
        columns,
        truncated: total > rows.len() as i64,
        rows,
    })
}
