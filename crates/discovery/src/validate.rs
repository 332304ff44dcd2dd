//! The validation loop: each proposal runs in the sandbox over a scratch copy of the project's
//! bronze files (silver first, so gold models read the validated silver tables); errors and
//! suspicious results go back to the model for up to `rounds` repairs; then the proposal is
//! valid, or rejected with the reason.
//!
//! Before anything runs, the SQL must be one `CREATE [OR REPLACE] TABLE <layer>.<name> AS …`
//! naming the proposal's own table, and pass the sandbox's pre-check: SQL that reaches outside
//! the project (files, other databases, extensions, settings) is refused and never repaired.
//! What goes back to the model is the error with its quoted values elided (they are data).
//! Suspicious: no rows; more rows than any table it reads when it joins (a fan-out); a column
//! that is always NULL.

use std::path::Path;

use kernel::llm::{Completion, Llm, LlmError, Request};
use sandbox::check::{check_sql, split_statements};
use sandbox::{Sandbox, SandboxError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::profile::Profile;
use crate::propose::{repair_schema, Proposed, Repaired, REPAIR};

/// Rows of the result kept with a proposal.
const SAMPLE_ROWS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Valid,
    Rejected,
}

/// How a proposal fared in the sandbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Validation {
    pub verdict: Verdict,
    /// The SQL as validated (after repairs).
    pub sql: String,
    /// Repairs asked for (0: the first SQL was fine or refused).
    pub repairs: u32,
    pub rows: Option<u64>,
    #[schema(value_type = Vec<Object>)]
    pub columns: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub sample: Vec<Value>,
    /// What was wrong in each round, oldest first.
    pub problems: Vec<String>,
    /// Why it was rejected.
    pub reason: Option<String>,
    pub duration_ms: u64,
}

/// One round's outcome.
enum Outcome {
    Fine {
        rows: u64,
        columns: Vec<Value>,
        sample: Vec<Value>,
        duration_ms: u64,
    },
    /// Worth a repair.
    Wrong(String),
    /// Never run, never repaired.
    Refused(String),
}

/// Validates `proposal` in `scratch` (a workspace whose bronze folder holds the project's
/// bronze files); the LLM's repair completions are appended to `completions`.
pub async fn validate(
    sandbox: &Sandbox,
    llm: &Llm,
    scratch: &Path,
    profile: &Profile,
    proposal: &Proposed,
    rounds: u32,
    completions: &mut Vec<Completion>,
) -> Validation {
    let mut sql = proposal.sql.clone();
    let mut problems = Vec::new();
    let mut repairs = 0;
    let mut duration = 0;
    loop {
        let outcome = attempt(sandbox, scratch, profile, proposal, &sql).await;
        let problem = match outcome {
            Outcome::Fine {
                rows,
                columns,
                sample,
                duration_ms,
            } => {
                return Validation {
                    verdict: Verdict::Valid,
                    sql,
                    repairs,
                    rows: Some(rows),
                    columns,
                    sample,
                    problems,
                    reason: None,
                    duration_ms: duration + duration_ms,
                }
            }
            Outcome::Refused(reason) => {
                problems.push(reason.clone());
                return rejected(sql, repairs, problems, reason, duration);
            }
            Outcome::Wrong(problem) => problem,
        };
        problems.push(problem.clone());
        if repairs >= rounds {
            let reason = format!("still wrong after {repairs} repairs: {problem}");
            return rejected(sql, repairs, problems, reason, duration);
        }
        repairs += 1;
        let request = Request::new(
            &REPAIR,
            json!({
                "proposal": {"layer": proposal.layer, "name": proposal.name, "description": proposal.description, "sql": sql},
                "problems": without_values(&problem),
                "round": repairs,
                "profile": profile,
            }),
        )
        .schema("repaired_sql", repair_schema());
        let started = std::time::Instant::now();
        match llm.json::<Repaired>(&request).await {
            Ok((repaired, completion)) => {
                completions.push(completion);
                duration += started.elapsed().as_millis() as u64;
                sql = repaired.sql;
            }
            Err(LlmError::Rule { message, .. }) => {
                let reason = format!("{problem} (no repair: {message})");
                return rejected(sql, repairs - 1, problems, reason, duration);
            }
            Err(e) => {
                let reason = format!("{problem} (the repair failed: {e})");
                return rejected(sql, repairs, problems, reason, duration);
            }
        }
    }
}

/// `problem` with the contents of its single-quoted strings elided: DuckDB quotes the values
/// it could not convert (`Could not convert string 'ana@example.com' to INT32`), and a value of
/// the tenant's data must not reach the model through an error message. Names (double-quoted)
/// and the SQL's own position markers stay.
fn without_values(problem: &str) -> String {
    let mut out = String::with_capacity(problem.len());
    let mut quoted = false;
    for c in problem.chars() {
        if c == '\'' {
            if !quoted {
                out.push_str("'…");
            }
            quoted = !quoted;
            if !quoted {
                out.push('\'');
            }
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

fn rejected(
    sql: String,
    repairs: u32,
    problems: Vec<String>,
    reason: String,
    duration_ms: u64,
) -> Validation {
    Validation {
        verdict: Verdict::Rejected,
        sql,
        repairs,
        rows: None,
        columns: Vec::new(),
        sample: Vec::new(),
        problems,
        reason: Some(reason),
        duration_ms,
    }
}

/// The one statement `sql` must be, or why not.
fn shape(proposal: &Proposed, sql: &str) -> Result<(), String> {
    let statements = split_statements(sql).map_err(|e| e.to_string())?;
    let [statement] = statements.as_slice() else {
        return Err(format!(
            "the SQL must be one statement, not {}",
            statements.len()
        ));
    };
    let wanted = format!("{}.{}", proposal.layer.as_str(), proposal.name);
    match &statement.creates_table {
        Some((Some(schema), name))
            if schema.eq_ignore_ascii_case(proposal.layer.as_str())
                && name.eq_ignore_ascii_case(&proposal.name) =>
        {
            Ok(())
        }
        _ => Err(format!(
            "the SQL must be CREATE OR REPLACE TABLE {wanted} AS SELECT …"
        )),
    }
}

async fn attempt(
    sandbox: &Sandbox,
    scratch: &Path,
    profile: &Profile,
    proposal: &Proposed,
    sql: &str,
) -> Outcome {
    if let Err(refusal) = check_sql(sql) {
        return Outcome::Refused(format!("refused before running: {refusal}"));
    }
    if let Err(problem) = shape(proposal, sql) {
        return Outcome::Wrong(problem);
    }
    let table = format!(
        "{}.{}",
        proposal.layer.as_str(),
        crate::profile::ident(&proposal.name)
    );
    let script = format!("{sql};\nSELECT column_name, null_percentage FROM (SUMMARIZE {table})");
    let mut request = sandbox.request(scratch, script);
    request.sample_rows = 1_000;
    request.write_layers = vec![proposal.layer.sandbox()];
    let response = match sandbox.run(&request).await {
        Ok(response) => response,
        Err(SandboxError::Refused { reason }) => {
            return Outcome::Refused(format!("refused: {reason}"))
        }
        Err(SandboxError::Sql { message }) => return Outcome::Wrong(message),
        Err(SandboxError::Limit { which, message }) => {
            return Outcome::Wrong(format!("a sandbox limit ({which:?}): {message}"))
        }
        Err(SandboxError::Internal { message }) => {
            return Outcome::Wrong(format!("the sandbox failed: {message}"))
        }
    };
    let Some(written) = response
        .tables
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(&proposal.name))
    else {
        return Outcome::Wrong(format!("it wrote no table {table}"));
    };
    if written.rows == 0 {
        return Outcome::Wrong(format!("{table} has no rows"));
    }
    let always_null: Vec<String> = response
        .result
        .iter()
        .flat_map(|r| &r.rows)
        .filter(|row| null_percentage(&row["null_percentage"]) >= 100.0)
        .filter_map(|row| row["column_name"].as_str().map(str::to_owned))
        .collect();
    if !always_null.is_empty() {
        return Outcome::Wrong(format!("{table}: always NULL: {}", always_null.join(", ")));
    }
    if let Some(problem) = fan_out(profile, proposal, sql, written.rows) {
        return Outcome::Wrong(problem);
    }
    Outcome::Fine {
        rows: written.rows,
        columns: written
            .columns
            .iter()
            .map(|c| json!({"name": c.name, "type": c.data_type}))
            .collect(),
        sample: written.sample.iter().take(SAMPLE_ROWS).cloned().collect(),
        duration_ms: response.duration_ms,
    }
}

/// SUMMARIZE reports the percentage as a number or as a decimal's text.
fn null_percentage(value: &Value) -> f64 {
    value
        .as_f64()
        .or_else(|| {
            value
                .as_str()
                .and_then(|s| s.trim_end_matches('%').parse().ok())
        })
        .unwrap_or(0.0)
}

/// A join that makes more rows than the largest table it reads.
fn fan_out(profile: &Profile, proposal: &Proposed, sql: &str, rows: u64) -> Option<String> {
    let lower = sql.to_ascii_lowercase();
    if !lower.contains(" join ") && !lower.contains("\njoin ") {
        return None;
    }
    let largest = profile
        .tables
        .iter()
        .filter(|t| {
            let name = t.name.to_ascii_lowercase();
            lower.contains(&format!(".{name}")) || lower.contains(&format!(".\"{name}\""))
        })
        .map(|t| t.rows)
        .max()?;
    (rows > largest).then(|| {
        format!(
            "{}.{} has {rows} rows, more than the {largest} of the largest table it reads: the join fans out",
            proposal.layer.as_str(),
            proposal.name
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::propose::Layer;

    fn proposal(sql: &str) -> Proposed {
        Proposed {
            layer: Layer::Gold,
            name: "daily_sales".into(),
            description: String::new(),
            sql: sql.into(),
        }
    }

    #[test]
    fn values_in_error_messages_never_reach_the_model() {
        assert_eq!(
            without_values("Conversion Error: Could not convert string 'ana@example.com' to INT32 in \"email\""),
            "Conversion Error: Could not convert string '…' to INT32 in \"email\""
        );
        assert_eq!(without_values("no quotes"), "no quotes");
    }

    #[test]
    fn the_sql_must_create_the_proposals_own_table_in_one_statement() {
        let ok = "CREATE OR REPLACE TABLE gold.daily_sales AS SELECT 1";
        assert!(shape(&proposal(ok), ok).is_ok());
        for bad in [
            "SELECT 1",
            "CREATE TABLE gold.other AS SELECT 1",
            "CREATE TABLE silver.daily_sales AS SELECT 1",
            "CREATE TABLE gold.daily_sales AS SELECT 1; DROP VIEW bronze.orders",
        ] {
            assert!(shape(&proposal(bad), bad).is_err(), "{bad}");
        }
    }
}
