//! Starting, stopping and redriving executions (called by the routes, inside their unit of
//! work).

use chrono::Utc;
use kernel::UnitOfWork;
use serde_json::{json, Value};
use uuid::Uuid;

use super::cursor::{Cursor, Phase};
use super::step::entered;
use super::{schedule, StepError};
use crate::asl::{Definition, StatesError};
use crate::store::executions::{self as store, Ending, Execution, NewEvent, NewExecution};
use crate::store::flows::Flow;
use crate::store::tokens;

/// What starting gave.
pub enum Started {
    New(Execution),
    /// An execution with this name exists already.
    Existing(Execution),
}

/// Starts `flow`'s version `version` (`definition`) as execution `name` with `input`.
pub async fn start(
    work: &mut UnitOfWork,
    flow: &Flow,
    version: i32,
    definition: &Definition,
    name: &str,
    input: &Value,
) -> Result<Started, StepError> {
    let now = Utc::now();
    let id = Uuid::now_v7();
    let cursor = Cursor::enter(&definition.start_at, input.clone(), now);
    let timeout_at = definition.timeout_seconds.map(|secs| {
        now + chrono::Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX / 1000))
    });
    let inserted = store::insert(
        work,
        &NewExecution {
            id,
            flow_id: flow.id,
            flow_version: version,
            name,
            project_id: flow.project_id,
            parent: None,
            scope: "",
            status: "RUNNING",
            input,
            cursor: &serde_json::to_value(&cursor).unwrap_or(Value::Null),
            timeout_at,
        },
    )
    .await?;
    if inserted.is_none() {
        let existing = store::by_name(work, flow.id, name)
            .await?
            .ok_or_else(|| StepError::Slice("the execution with this name vanished".into()))?;
        return Ok(Started::Existing(existing));
    }
    let first = definition
        .state(&definition.start_at)
        .map(entered)
        .unwrap_or("StateEntered");
    let events = [
        NewEvent {
            r#type: "ExecutionStarted",
            state: None,
            details: json!({"input": input, "flowVersion": version}),
        },
        NewEvent {
            r#type: first,
            state: Some(definition.start_at.clone()),
            details: json!({"input": input}),
        },
    ];
    let last = store::append_history(work, id, 0, &events).await?;
    sqlx::query!(
        "UPDATE executions SET last_event = $2 WHERE id = $1",
        id,
        last
    )
    .execute(&mut **work)
    .await?;
    schedule(work, id, None).await?;
    if let Some(at) = timeout_at {
        schedule(work, id, Some(at)).await?;
    }
    publish(work, id, flow.project_id, "RUNNING").await?;
    let execution = store::get(work, id)
        .await?
        .ok_or_else(|| StepError::Slice("the new execution vanished".into()))?;
    Ok(Started::New(execution))
}

/// Why an execution cannot be stopped or redriven.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error("no such execution")]
    NotFound,
    #[error("{0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Step(#[from] StepError),
}

impl From<sqlx::Error> for ControlError {
    fn from(e: sqlx::Error) -> Self {
        Self::Step(e.into())
    }
}

impl From<kernel::jobs::EnqueueError> for ControlError {
    fn from(e: kernel::jobs::EnqueueError) -> Self {
        Self::Step(e.into())
    }
}

/// Stops a running top-level execution (Step Functions' StopExecution): ABORTED, its children
/// aborted, its tokens settled; a task in flight finishes but its result is ignored.
pub async fn stop(
    work: &mut UnitOfWork,
    id: Uuid,
    error: Option<&str>,
    cause: Option<&str>,
) -> Result<(), ControlError> {
    let exec = store::lock(work, id).await?.ok_or(ControlError::NotFound)?;
    if exec.parent_id.is_some() {
        return Err(ControlError::NotFound);
    }
    if exec.status != "RUNNING" {
        return Err(ControlError::Conflict(
            "only a running execution can be stopped",
        ));
    }
    let mut cursor: Cursor = serde_json::from_value(exec.cursor.clone())
        .map_err(|e| StepError::Slice(format!("unreadable cursor: {e}")))?;
    cursor.phase = Phase::Done;
    let events = [NewEvent {
        r#type: "ExecutionAborted",
        state: None,
        details: json!({"error": error, "cause": cause}),
    }];
    let last = store::append_history(work, id, exec.last_event, &events).await?;
    let ending = Ending {
        status: "ABORTED",
        output: None,
        error: Some(error.unwrap_or("States.Aborted")),
        cause,
    };
    let cursor = serde_json::to_value(&cursor).unwrap_or(Value::Null);
    store::finish(work, id, &ending, &cursor, exec.transitions, last).await?;
    tokens::cancel_open(work, id).await?;
    store::abort_descendants(work, id).await?;
    publish(work, id, exec.project_id, "ABORTED").await?;
    let why = StatesError::new(
        error.unwrap_or("States.Aborted"),
        cause.unwrap_or("stopped"),
    );
    crate::automation::execution_ended(work, id, "ABORTED", None, Some(&why)).await?;
    Ok(())
}

/// Runs a failed, timed-out or aborted top-level execution again from the state it ended in,
/// with that state's input (Step Functions' RedriveExecution).
pub async fn redrive(work: &mut UnitOfWork, id: Uuid) -> Result<(), ControlError> {
    let exec = store::lock(work, id).await?.ok_or(ControlError::NotFound)?;
    if exec.parent_id.is_some() {
        return Err(ControlError::NotFound);
    }
    if !matches!(exec.status.as_str(), "FAILED" | "TIMED_OUT" | "ABORTED") {
        return Err(ControlError::Conflict(
            "only a failed, timed-out or aborted execution can be redriven",
        ));
    }
    let ended: Cursor = serde_json::from_value(exec.cursor.clone())
        .map_err(|e| StepError::Slice(format!("unreadable cursor: {e}")))?;
    let cursor = Cursor::enter(&ended.state, ended.input, Utc::now());
    let events = [NewEvent {
        r#type: "ExecutionRedriven",
        state: Some(cursor.state.clone()),
        details: json!({"redriveCount": exec.redrive_count + 1}),
    }];
    let last = store::append_history(work, id, exec.last_event, &events).await?;
    let cursor = serde_json::to_value(&cursor).unwrap_or(Value::Null);
    store::reopen(work, id, &cursor, last).await?;
    // A timed-out execution gets no new deadline: redrive means "finish it".
    sqlx::query!("UPDATE executions SET timeout_at = NULL WHERE id = $1", id)
        .execute(&mut **work)
        .await?;
    schedule(work, id, None).await?;
    publish(work, id, exec.project_id, "RUNNING").await?;
    Ok(())
}

async fn publish(
    work: &mut UnitOfWork,
    id: Uuid,
    project: Option<Uuid>,
    status: &str,
) -> Result<(), StepError> {
    work.publish_ids("executions", "execution.updated", &[id])
        .await?;
    if let Some(project) = project {
        let event = kernel::events::NewEvent::new(
            format!("projects/{project}"),
            "execution.updated",
            json!({"executionId": id, "status": status}),
        )?;
        work.publish(&event).await?;
    }
    Ok(())
}
