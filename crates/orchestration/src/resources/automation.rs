//! `activepieces:run`: a Task that runs an automation (see [`crate::automation`]).
//!
//! Parameters: `flow` (the ActivePieces flow id; offline, the name of one of the tenant's
//! flows), `input` (an object, default `{}`), `correlationId` (default: the attempt's
//! idempotency key, so a repeated attempt finds its run instead of starting another).
//!
//! As `activepieces:run.waitForTaskToken` the state waits for the run's end: its output is
//! `{automationRunId, providerRunId, output}`, a failed run fails it with `Automation.Failed`.
//! Plain `activepieces:run` starts the run and goes on with `{automationRunId, status}`.

use async_trait::async_trait;
use kernel::UnitOfWork;
use serde_json::json;
use uuid::Uuid;

use super::{text, TaskCall, TaskEnv, TaskOutcome, TaskResource, TaskResult};
use crate::asl::StatesError;
use crate::automation::{self, Created};
use crate::store::automation_runs::NewRun;

pub struct RunAutomation {
    activepieces: bool,
}

impl RunAutomation {
    pub fn new(activepieces: bool) -> Self {
        Self { activepieces }
    }
}

fn failed(e: impl std::fmt::Display) -> StatesError {
    StatesError::task_failed(e.to_string())
}

#[async_trait]
impl TaskResource for RunAutomation {
    async fn invoke(&self, env: &TaskEnv, call: &TaskCall) -> Result<TaskOutcome, StatesError> {
        let flow = text(&call.input, "flow")
            .filter(|f| (1..=200).contains(&f.len()))
            .ok_or_else(|| {
                StatesError::task_failed("activepieces:run needs \"flow\": the flow to run")
            })?;
        let input = call
            .input
            .get("input")
            .cloned()
            .unwrap_or_else(|| json!({}));
        if !input.is_object() {
            return Err(StatesError::task_failed("\"input\" is a JSON object"));
        }
        let correlation_id = text(&call.input, "correlationId").unwrap_or(&call.key);
        let provider = if self.activepieces {
            "activepieces"
        } else {
            "local"
        };
        let mut work = UnitOfWork::begin_for(&env.db, &env.cache, call.tenant)
            .await
            .map_err(failed)?;
        let run = NewRun {
            id: Uuid::now_v7(),
            flow,
            correlation_id,
            provider,
            input: &input,
            task_key: call.token.is_some().then_some(call.key.as_str()),
        };
        let run = match automation::create(&mut work, &run).await.map_err(failed)? {
            Created::New(run) => run,
            Created::Existing(run) if run.flow == flow && run.input == input => run,
            Created::Existing(_) => {
                return Err(StatesError::task_failed(format!(
                    "another automation run has correlation id {correlation_id:?}"
                )))
            }
        };
        work.commit().await.map_err(failed)?;
        if call.token.is_some() {
            return Ok(TaskOutcome::Waiting);
        }
        Ok(TaskOutcome::Done(TaskResult {
            output: json!({"automationRunId": run.id, "status": run.status}),
            ..TaskResult::default()
        }))
    }
}
