//! The file formats a layer holds, and the check that an upload is what its name says: the
//! name's extension picks the format, the part's `Content-Type` (if any) must fit it, and the
//! bytes must look like it (CSV: UTF-8 text without NUL; JSON lines: the first line is a JSON
//! object; Parquet: `PAR1` at both ends).

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Jsonl,
    Parquet,
}

/// How much of the start of a file the check reads.
const HEAD_BYTES: usize = 64 * 1024;
const PARQUET_MAGIC: &[u8] = b"PAR1";

impl Format {
    /// The format of a file named `name`, by its extension.
    pub fn of_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }

    /// Whether a part declared as `content_type` may hold this format.
    pub fn accepts(self, content_type: &str) -> bool {
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        let allowed: &[&str] = match self {
            Format::Csv => &["text/csv", "application/csv", "text/plain"],
            Format::Jsonl => &[
                "application/x-ndjson",
                "application/jsonl",
                "application/json",
                "text/plain",
            ],
            Format::Parquet => &["application/vnd.apache.parquet", "application/x-parquet"],
        };
        essence.eq_ignore_ascii_case("application/octet-stream")
            || allowed.iter().any(|a| essence.eq_ignore_ascii_case(a))
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Jsonl => "application/x-ndjson",
            Format::Parquet => "application/vnd.apache.parquet",
        }
    }
}

/// Watches an upload's bytes go by and says at the end whether they are `format`.
pub struct Sniffer {
    format: Format,
    head: Vec<u8>,
    tail: [u8; 4],
    seen: u64,
}

impl Sniffer {
    pub fn new(format: Format) -> Self {
        Self {
            format,
            head: Vec::new(),
            tail: [0; 4],
            seen: 0,
        }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        if self.head.len() < HEAD_BYTES {
            let take = (HEAD_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        for &b in &chunk[chunk.len().saturating_sub(4)..] {
            self.tail.rotate_left(1);
            self.tail[3] = b;
        }
        self.seen += chunk.len() as u64;
    }

    /// Early verdict on the head alone, once it is full: lets a wrong file be refused before
    /// all of it is stored.
    pub fn head_is_full(&self) -> bool {
        self.head.len() >= HEAD_BYTES
    }

    /// `Err` says, for the uploader, why the bytes are not the format.
    pub fn check(&self, complete: bool) -> Result<(), String> {
        match self.format {
            Format::Csv => {
                if self.head.contains(&0) {
                    return Err("A CSV file is text; this one holds NUL bytes.".into());
                }
                match std::str::from_utf8(&self.head) {
                    Ok(_) => Ok(()),
                    // A character cut by the head's end is fine.
                    Err(e) if e.error_len().is_none() => Ok(()),
                    Err(_) => Err("A CSV file must be UTF-8 text.".into()),
                }
            }
            Format::Jsonl => {
                let first = match self.head.iter().position(|b| *b == b'\n') {
                    Some(end) => &self.head[..end],
                    None if complete => &self.head[..],
                    None => {
                        return Err("The first line of a JSON lines file is over 64 KiB.".into())
                    }
                };
                match serde_json::from_slice::<serde_json::Value>(first) {
                    Ok(v) if v.is_object() => Ok(()),
                    _ => Err(
                        "Each line of a JSON lines file is a JSON object; the first is not.".into(),
                    ),
                }
            }
            Format::Parquet => {
                if !self.head.starts_with(PARQUET_MAGIC) {
                    return Err("A Parquet file starts with PAR1; this one does not.".into());
                }
                if complete && (self.seen < 12 || self.tail != *b"PAR1") {
                    return Err("A Parquet file ends with PAR1; this one does not.".into());
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(format: Format, bytes: &[u8]) -> Result<(), String> {
        let mut s = Sniffer::new(format);
        for chunk in bytes.chunks(3) {
            s.feed(chunk);
        }
        s.check(true)
    }

    #[test]
    fn formats_are_checked_on_their_bytes() {
        assert!(check(Format::Csv, b"id,name\n1,Ana\n").is_ok());
        assert!(check(Format::Csv, b"id\0name").is_err());
        assert!(check(Format::Csv, &[0xff, 0xfe, 0x41]).is_err());
        assert!(check(Format::Jsonl, b"{\"id\":1}\n{\"id\":2}\n").is_ok());
        assert!(check(Format::Jsonl, b"[1,2]\n").is_err());
        assert!(check(Format::Parquet, b"PAR1 some columns and a footer PAR1").is_ok());
        assert!(check(Format::Parquet, b"PAR1 cut short").is_err());
        assert!(check(Format::Parquet, b"id,name\n").is_err());
    }

    #[test]
    fn names_and_types_pick_and_fit_the_format() {
        assert_eq!(Format::of_name("orders.CSV"), Some(Format::Csv));
        assert_eq!(Format::of_name("events.ndjson"), Some(Format::Jsonl));
        assert_eq!(Format::of_name("x.exe"), None);
        assert!(Format::Csv.accepts("text/csv; charset=utf-8"));
        assert!(!Format::Csv.accepts("image/png"));
        assert!(Format::Parquet.accepts("application/octet-stream"));
    }
}
