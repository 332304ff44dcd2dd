//! `modal:run`: the analytics step, a scoring model over gold data.
//!
//! **Modal** (when `MODAL_URL` is set; the Task must be `.waitForTaskToken`): POSTs
//! `{"input", "callback": {"url", "taskToken"}, "idempotencyKey"}` to the Modal web endpoint
//! with the bearer key; the model reports back through `POST /api/v1/webhooks/sandbox-callback`
//! with the token, its output and its usage (`modal.cpu`, `modal.gpu.*`).
//!
//! **Offline default**: a SQL model run in the DuckDB sandbox. Parameters: `sql` (the model's
//! own statements), or `table` (default `gold.customers`, with `email`, `orders`, `revenue`
//! and `last_order_at`) scored by recency, frequency and monetary value into
//! `gold.customer_scores (email, score 0–100)`.

use async_trait::async_trait;
use serde_json::json;

use super::sql::run_sql;
use super::{send_with_retries, text, Provider, TaskCall, TaskEnv, TaskOutcome, TaskResource};
use crate::asl::StatesError;

pub struct Scoring {
    modal: Option<Provider>,
}

impl Scoring {
    pub fn new(modal: Option<Provider>) -> Self {
        Self { modal }
    }
}

#[async_trait]
impl TaskResource for Scoring {
    async fn invoke(&self, env: &TaskEnv, call: &TaskCall) -> Result<TaskOutcome, StatesError> {
        match &self.modal {
            Some(modal) => {
                let token = call.token.as_deref().ok_or_else(|| {
                    StatesError::task_failed(
                        "modal:run calls back: use it as modal:run.waitForTaskToken",
                    )
                })?;
                let callback = format!(
                    "{}/api/v1/webhooks/sandbox-callback",
                    env.public_url.trim_end_matches('/')
                );
                send_with_retries(|| {
                    env.http
                        .post(&modal.base_url)
                        .bearer_auth(&modal.token)
                        .header("Idempotency-Key", &call.key)
                        .json(&json!({
                            "input": call.input,
                            "callback": {"url": callback, "taskToken": token},
                            "idempotencyKey": call.key,
                        }))
                })
                .await?;
                Ok(TaskOutcome::Waiting)
            }
            None => {
                let sql = match text(&call.input, "sql") {
                    Some(sql) => sql.to_owned(),
                    None => rfm_model(text(&call.input, "table").unwrap_or("gold.customers"))?,
                };
                run_sql(env, call, &sql, 20).await.map(TaskOutcome::Done)
            }
        }
    }
}

/// The built-in model: recency, frequency and monetary quintiles, summed and scaled to 0–100.
fn rfm_model(table: &str) -> Result<String, StatesError> {
    let table = super::reverse_etl::layer_table(table)?;
    Ok(format!(
        "CREATE OR REPLACE TABLE gold.customer_scores AS
         WITH rfm AS (
             SELECT email,
                    ntile(5) OVER (ORDER BY last_order_at) AS r,
                    ntile(5) OVER (ORDER BY orders) AS f,
                    ntile(5) OVER (ORDER BY revenue) AS m
             FROM {table} WHERE email IS NOT NULL
         )
         SELECT email, CAST(round((r + f + m - 3) * 100.0 / 12) AS INTEGER) AS score FROM rfm"
    ))
}
