//! How an execution ends: its last history event, its status, its open tokens and children
//! settled, the events the UI follows, and its parent woken.

use kernel::events::NewEvent as DomainEvent;
use serde_json::{json, Value};

use super::cursor::Phase;
use super::step::Stepping;
use super::{schedule, Executor, Next, StepError};
use crate::asl::StatesError;
use crate::store::executions::{self as store, Ending};
use crate::store::tokens;

pub(crate) async fn succeed(
    _executor: &Executor,
    s: Stepping,
    output: Value,
) -> Result<Next, StepError> {
    let ending = Ending {
        status: "SUCCEEDED",
        output: Some(&output),
        error: None,
        cause: None,
    };
    end(s, "ExecutionSucceeded", json!({"output": output}), &ending).await
}

/// Ends the execution as `status` (`FAILED`, `TIMED_OUT`) with `error`.
pub(crate) async fn fail(
    _executor: &Executor,
    s: Stepping,
    error: &StatesError,
    status: &'static str,
) -> Result<Next, StepError> {
    let event = if status == "TIMED_OUT" {
        "ExecutionTimedOut"
    } else {
        "ExecutionFailed"
    };
    let ending = Ending {
        status,
        output: None,
        error: Some(&error.error),
        cause: Some(&error.cause),
    };
    let details = json!({"error": error.error, "cause": error.cause});
    end(s, event, details, &ending).await
}

async fn end(
    mut s: Stepping,
    event: &'static str,
    details: Value,
    ending: &Ending<'_>,
) -> Result<Next, StepError> {
    s.events.push(store::NewEvent {
        r#type: event,
        state: None,
        details,
    });
    s.cursor.phase = Phase::Done;
    let last = store::append_history(&mut s.work, s.exec.id, s.exec.last_event, &s.events).await?;
    let cursor = serde_json::to_value(&s.cursor).unwrap_or(Value::Null);
    store::finish(
        &mut s.work,
        s.exec.id,
        ending,
        &cursor,
        s.exec.transitions,
        last,
    )
    .await?;
    tokens::cancel_open(&mut s.work, s.exec.id).await?;
    store::abort_descendants(&mut s.work, s.exec.id).await?;
    publish_change(&mut s, ending.status).await?;
    match s.exec.parent_id {
        Some(parent) => schedule(&mut s.work, parent, None).await?,
        None => {
            let error = ending
                .error
                .map(|e| StatesError::new(e, ending.cause.unwrap_or_default()));
            crate::automation::execution_ended(
                &mut s.work,
                s.exec.id,
                ending.status,
                ending.output,
                error.as_ref(),
            )
            .await?
        }
    }
    s.work.commit().await?;
    Ok(Next::Stop)
}

/// Tells the UI an execution changed: on `resources/executions` and, for a project's flow, on
/// the project's live channel.
pub(crate) async fn publish_change(s: &mut Stepping, status: &str) -> Result<(), StepError> {
    let root = s.exec.parent_id.is_none();
    if root {
        s.work
            .publish_ids("executions", "execution.updated", &[s.exec.id])
            .await?;
    }
    if let Some(project) = s.exec.project_id {
        let payload = json!({
            "executionId": s.exec.id,
            "parentId": s.exec.parent_id,
            "status": status,
            "state": s.cursor.state,
        });
        let event = DomainEvent::new(format!("projects/{project}"), "execution.updated", payload)?;
        s.work.publish(&event).await?;
    }
    Ok(())
}
