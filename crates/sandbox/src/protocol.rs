//! What the parent and the child say to each other: one [`Request`] as JSON on the child's
//! stdin, one [`Reply`] as JSON on its stdout.
//!
//! These types are also the crate's contract with its callers (the orchestration's `sandbox:sql`
//! task, profiling): they build a [`Request`] and get a [`Response`] or a [`SandboxError`].

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// One run: the user's SQL over one project's workspace.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    /// Absolute directory of one project; holds `bronze/`, `silver/` and `gold/`.
    pub workspace: PathBuf,
    /// One or more statements separated by `;`.
    pub sql: String,
    /// How many rows of each written table (and of the last statement's result) come back.
    #[serde(default = "default_sample_rows")]
    pub sample_rows: usize,
    #[serde(default)]
    pub limits: Limits,
    /// The layer schemas whose tables are written out as Parquet.
    #[serde(default = "default_write_layers")]
    pub write_layers: Vec<Layer>,
}

impl Request {
    /// A request with the default sample size, limits and writable layers (silver and gold).
    pub fn new(workspace: impl Into<PathBuf>, sql: impl Into<String>) -> Self {
        Self {
            workspace: workspace.into(),
            sql: sql.into(),
            sample_rows: default_sample_rows(),
            limits: Limits::default(),
            write_layers: default_write_layers(),
        }
    }

    /// Rejects a request no caller should have built; the message names the field.
    pub fn validate(&self) -> Result<(), SandboxError> {
        let bad = |message: String| {
            Err(SandboxError::Internal {
                message: format!("bad request: {message}"),
            })
        };
        if !self.workspace.is_absolute() {
            return bad(format!(
                "workspace {} is not an absolute path",
                self.workspace.display()
            ));
        }
        if !self.workspace.is_dir() {
            return bad(format!(
                "workspace {} is not a directory",
                self.workspace.display()
            ));
        }
        if self.sample_rows > MAX_SAMPLE_ROWS {
            return bad(format!(
                "sample_rows {} is over {MAX_SAMPLE_ROWS}",
                self.sample_rows
            ));
        }
        self.limits.validate().or_else(bad)
    }
}

/// The most rows a sample may hold: samples travel as JSON through a pipe and into UIs.
pub const MAX_SAMPLE_ROWS: usize = 10_000;

fn default_sample_rows() -> usize {
    20
}

fn default_write_layers() -> Vec<Layer> {
    vec![Layer::Silver, Layer::Gold]
}

/// Resource ceilings for one run. Every field must be above zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// DuckDB's `memory_limit`; the address-space limit of the child is derived from it.
    pub memory_mb: u64,
    pub threads: u32,
    /// CPU time of the whole child (RLIMIT_CPU).
    pub cpu_seconds: u64,
    /// Wall-clock time, enforced by the parent killing the child.
    pub wall_ms: u64,
    /// DuckDB's `max_temp_directory_size` (spilling).
    pub temp_mb: u64,
    /// The total size of the Parquet files one run may write; also the largest file (RLIMIT_FSIZE).
    pub max_output_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            memory_mb: 1024,
            threads: 2,
            cpu_seconds: 120,
            wall_ms: 300_000,
            temp_mb: 2048,
            max_output_mb: 4096,
        }
    }
}

impl Limits {
    fn validate(&self) -> Result<(), String> {
        let fields = [
            ("memory_mb", self.memory_mb),
            ("threads", u64::from(self.threads)),
            ("cpu_seconds", self.cpu_seconds),
            ("wall_ms", self.wall_ms),
            ("temp_mb", self.temp_mb),
            ("max_output_mb", self.max_output_mb),
        ];
        match fields.iter().find(|(_, value)| *value == 0) {
            Some((name, _)) => Err(format!("limits.{name} must be above zero")),
            None => Ok(()),
        }
    }
}

/// A medallion layer: a folder of the workspace and a schema of the same name in DuckDB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Bronze,
    Silver,
    Gold,
}

impl Layer {
    pub const ALL: [Layer; 3] = [Layer::Bronze, Layer::Silver, Layer::Gold];

    /// The folder and the schema name.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Bronze => "bronze",
            Layer::Silver => "silver",
            Layer::Gold => "gold",
        }
    }

    pub fn parse(name: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|layer| layer.as_str() == name)
    }
}

impl std::fmt::Display for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a successful run produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// Every table the SQL created in a writable layer, now a Parquet file of the workspace.
    pub tables: Vec<TableResult>,
    /// The last statement's rows, when it returns rows.
    pub result: Option<QueryResult>,
    pub duration_ms: u64,
    /// The child's peak resident set, as the child measured it at the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_memory_mb: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableResult {
    pub layer: Layer,
    pub name: String,
    pub rows: u64,
    pub columns: Vec<Column>,
    /// Up to `sample_rows` rows, each a JSON object keyed by column name.
    pub sample: Vec<serde_json::Value>,
    /// Relative to the workspace, e.g. `silver/orders.parquet`.
    pub path: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// DuckDB's type name, e.g. `BIGINT`, `DECIMAL(18,2)`, `TIMESTAMP`.
    #[serde(rename = "type")]
    pub data_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryResult {
    pub columns: Vec<Column>,
    /// Up to `sample_rows` rows, each a JSON object keyed by column name.
    pub rows: Vec<serde_json::Value>,
}

/// Why a run failed. Serialised with a `kind` tag: the child reports its errors in this shape too.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SandboxError {
    /// The SQL tries to reach outside the project's layers or change the sandbox (a 422 for users).
    #[error("refused: {reason}")]
    Refused { reason: String },
    /// DuckDB rejected the user's SQL.
    #[error("SQL error: {message}")]
    Sql { message: String },
    /// The run hit one of its [`Limits`].
    #[error("{which} limit: {message}")]
    Limit { which: LimitKind, message: String },
    /// The sandbox itself failed (spawn, protocol, crash): not the user's fault.
    #[error("sandbox failure: {message}")]
    Internal { message: String },
}

impl SandboxError {
    pub fn refused(reason: impl Into<String>) -> Self {
        SandboxError::Refused {
            reason: reason.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        SandboxError::Internal {
            message: message.into(),
        }
    }

    pub fn limit(which: LimitKind, message: impl Into<String>) -> Self {
        SandboxError::Limit {
            which,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    Memory,
    Temp,
    Cpu,
    Wall,
    Output,
}

impl std::fmt::Display for LimitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LimitKind::Memory => "memory",
            LimitKind::Temp => "temp space",
            LimitKind::Cpu => "CPU time",
            LimitKind::Wall => "wall-clock time",
            LimitKind::Output => "output size",
        })
    }
}

/// The child's one line of stdout: `{"ok": Response}` or `{"error": SandboxError}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Ok(Response),
    Error(SandboxError),
}

impl From<Result<Response, SandboxError>> for Reply {
    fn from(result: Result<Response, SandboxError>) -> Self {
        match result {
            Ok(response) => Reply::Ok(response),
            Err(error) => Reply::Error(error),
        }
    }
}

impl From<Reply> for Result<Response, SandboxError> {
    fn from(reply: Reply) -> Self {
        match reply {
            Reply::Ok(response) => Ok(response),
            Reply::Error(error) => Err(error),
        }
    }
}

/// The child's command line: `fortress-sandbox --scratch <dir> [--skip-precheck]`.
pub mod args {
    /// The private directory the parent made for this run (DuckDB's temp files, staged outputs).
    pub const SCRATCH: &str = "--scratch";
    /// Skips the SQL pre-check so tests can prove DuckDB's own configuration holds.
    pub const SKIP_PRECHECK: &str = "--skip-precheck";
}
