//! `reverse_etl:hubspot`: scores from a gold table pushed into a CRM.
//!
//! Parameters: `table` (default `gold.customer_scores`), `idField` (default `email`),
//! `scoreField` (default `score`), `property` (HubSpot's property, default
//! `datafortress_score`). Rows are read from the table's Parquet file in the sandbox.
//!
//! **HubSpot** (when `HUBSPOT_URL`/`HUBSPOT_TOKEN` are set): contacts batch upsert by email,
//! 100 per call, 429 and 5xx retried after `Retry-After`. An upsert is idempotent, so a
//! repeated attempt changes nothing more.
//!
//! **Offline default**: our own leads. The scores are published as `lead.scores_computed`
//! events (500 per event) with the state's transition, and the leads slice applies them to the
//! matching leads' `score`: this slice never touches the leads tables, and the events are
//! written exactly once, with the transition that records the task's success.

use async_trait::async_trait;
use kernel::events::NewEvent;
use serde_json::{json, Value};

use super::sql::sandbox_error;
use super::{
    send_with_retries, text, Provider, TaskCall, TaskEnv, TaskOutcome, TaskResource, TaskResult,
};
use crate::asl::StatesError;

pub struct ReverseEtl {
    hubspot: Option<Provider>,
}

impl ReverseEtl {
    pub fn new(hubspot: Option<Provider>) -> Self {
        Self { hubspot }
    }
}

/// HubSpot's batch limit.
const HUBSPOT_BATCH: usize = 100;
/// Scores per leads event (an event's payload is at most 64 KiB).
const EVENT_BATCH: usize = 500;
/// Rows read per sandbox run, and at most in all.
const PAGE: usize = 10_000;
const MAX_ROWS: usize = 200_000;
/// The channel and type the leads slice consumes.
pub const SCORES_CHANNEL: &str = "orchestration/lead-scores";
pub const SCORES_EVENT: &str = "lead.scores_computed";

#[async_trait]
impl TaskResource for ReverseEtl {
    async fn invoke(&self, env: &TaskEnv, call: &TaskCall) -> Result<TaskOutcome, StatesError> {
        let table = layer_table(text(&call.input, "table").unwrap_or("gold.customer_scores"))?;
        let id_field = identifier(text(&call.input, "idField").unwrap_or("email"))?;
        let score_field = identifier(text(&call.input, "scoreField").unwrap_or("score"))?;
        let rows = read_scores(env, call, &table, &id_field, &score_field).await?;
        let result = match &self.hubspot {
            Some(hubspot) => {
                let property = text(&call.input, "property").unwrap_or("datafortress_score");
                upsert_hubspot(env, hubspot, property, &rows).await?
            }
            None => to_leads(call, &rows)?,
        };
        Ok(TaskOutcome::Done(result))
    }
}

async fn read_scores(
    env: &TaskEnv,
    call: &TaskCall,
    table: &str,
    id_field: &str,
    score_field: &str,
) -> Result<Vec<(String, f64)>, StatesError> {
    let workspace = env.workspace(call)?;
    let sandbox = env.sandbox()?;
    let mut scores = Vec::new();
    loop {
        let sql = format!(
            "SELECT CAST({id_field} AS VARCHAR) AS id, CAST({score_field} AS DOUBLE) AS score FROM {table}
             WHERE {id_field} IS NOT NULL ORDER BY 1 LIMIT {PAGE} OFFSET {}",
            scores.len()
        );
        let mut request = sandbox.request(&workspace, sql);
        request.sample_rows = PAGE;
        request.write_layers = Vec::new();
        let response = sandbox.run(&request).await.map_err(sandbox_error)?;
        let rows = response.result.map(|r| r.rows).unwrap_or_default();
        let got = rows.len();
        scores.extend(rows.iter().filter_map(|row| {
            Some((
                row.get("id")?.as_str()?.to_owned(),
                row.get("score")?.as_f64()?,
            ))
        }));
        if got < PAGE || scores.len() >= MAX_ROWS {
            return Ok(scores);
        }
    }
}

async fn upsert_hubspot(
    env: &TaskEnv,
    hubspot: &Provider,
    property: &str,
    rows: &[(String, f64)],
) -> Result<TaskResult, StatesError> {
    let url = format!(
        "{}/crm/v3/objects/contacts/batch/upsert",
        hubspot.base_url.trim_end_matches('/')
    );
    let mut batches = 0;
    for chunk in rows.chunks(HUBSPOT_BATCH) {
        let inputs: Vec<Value> = chunk
            .iter()
            .map(|(email, score)| {
                json!({"idProperty": "email", "id": email, "properties": {property: score.to_string()}})
            })
            .collect();
        send_with_retries(|| {
            env.http
                .post(&url)
                .bearer_auth(&hubspot.token)
                .json(&json!({"inputs": inputs}))
        })
        .await?;
        batches += 1;
    }
    Ok(TaskResult {
        output: json!({"destination": "hubspot", "upserted": rows.len(), "batches": batches}),
        rows: i64::try_from(rows.len()).ok(),
        ..TaskResult::default()
    })
}

fn to_leads(call: &TaskCall, rows: &[(String, f64)]) -> Result<TaskResult, StatesError> {
    let mut events = Vec::new();
    for chunk in rows.chunks(EVENT_BATCH) {
        let items: Vec<Value> = chunk
            .iter()
            .map(|(email, score)| json!({"email": email, "score": score.round().clamp(0.0, 100.0) as i64}))
            .collect();
        let payload = json!({"items": items, "executionId": call.execution, "state": call.state});
        events.push(
            NewEvent::new(SCORES_CHANNEL, SCORES_EVENT, payload)
                .map_err(|e| StatesError::task_failed(e.to_string()))?,
        );
    }
    Ok(TaskResult {
        output: json!({"destination": "leads", "upserted": rows.len(), "events": events.len()}),
        rows: i64::try_from(rows.len()).ok(),
        events,
        ..TaskResult::default()
    })
}

/// `gold.name` or `silver.name`, checked: it is put into SQL.
pub(crate) fn layer_table(name: &str) -> Result<String, StatesError> {
    let (layer, table) = name.split_once('.').ok_or_else(|| {
        StatesError::task_failed(format!("table {name:?} must be <layer>.<name>"))
    })?;
    if !matches!(layer, "bronze" | "silver" | "gold") {
        return Err(StatesError::task_failed(format!(
            "{layer:?} is not a layer"
        )));
    }
    Ok(format!("{layer}.{}", identifier(table)?))
}

/// A plain column or table name, double-quoted.
fn identifier(name: &str) -> Result<String, StatesError> {
    let plain = (1..=63).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        Ok(format!("\"{name}\""))
    } else {
        Err(StatesError::task_failed(format!(
            "{name:?} is not a plain column or table name"
        )))
    }
}
