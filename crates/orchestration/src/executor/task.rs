//! Task states: hand the attempt to its resource, record what came back, wait for a task
//! token's callback, and settle one.

use std::time::{Duration, Instant};

use kernel::jobs;
use kernel::projects::{NodeStatus, NodeUpdate};
use kernel::TenantId;
use serde_json::{json, Value};
use uuid::Uuid;

use super::cursor::{Cursor, Phase};
use super::step::{seconds_or_count, Stepping};
use super::tokens::hash;
use super::{begin, ending, schedule, Executor, Next, StepError};
use crate::asl::{self, Integration, StateKind, StatesError, TaskState};
use crate::resources::{TaskCall, TaskOutcome, TaskResult};
use crate::store::executions as store;
use crate::store::tokens;

fn task_state(s: &Stepping) -> Result<TaskState, StatesError> {
    match &s.state()?.kind {
        StateKind::Task(task) => Ok(task.clone()),
        _ => Err(StatesError::runtime("the current state is not a Task")),
    }
}

/// TimeoutSeconds and HeartbeatSeconds of an attempt, resolved from the effective input when
/// they are given as paths.
#[derive(Debug, Clone, Copy)]
struct Limits {
    timeout: Option<u64>,
    heartbeat: Option<u64>,
}

fn limits(task: &TaskState, effective: &Value) -> Result<Limits, StatesError> {
    Ok(Limits {
        timeout: seconds_or_count(task.timeout.as_ref(), effective, "TimeoutSecondsPath")?,
        heartbeat: seconds_or_count(task.heartbeat.as_ref(), effective, "HeartbeatSecondsPath")?,
    })
}

/// The attempt's effective input (InputPath and Parameters, which may name `$$.Task.Token`:
/// the context carries it) and its limits resolved from that input.
fn prepare(
    s: &Stepping,
    task: &TaskState,
    token: Option<String>,
) -> Result<(Value, Limits), StatesError> {
    let ctx = s.context(token);
    let effective = s
        .state()
        .and_then(|state| asl::effective_input(state, &s.cursor.input, &ctx))?;
    let limits = limits(task, &effective)?;
    Ok((effective, limits))
}

/// The attempt's token, for `.waitForTaskToken` tasks.
fn token_of(executor: &Executor, task: &TaskState, key: &str) -> Option<String> {
    (task.integration == Integration::WaitForTaskToken).then(|| executor.tokens.token(key))
}

/// Starts the current Task state's attempt: records it, then hands it to the resource.
pub(crate) async fn start(executor: &Executor, mut s: Stepping) -> Result<Next, StepError> {
    let task = match task_state(&s) {
        Ok(task) => task,
        Err(error) => return ending::fail(executor, s, &error, "FAILED").await,
    };
    let key = s.cursor.task_key(s.exec.id, s.exec.redrive_count);
    let token = token_of(executor, &task, &key);
    let (effective, limits) = match prepare(&s, &task, token.clone()) {
        Ok(prepared) => prepared,
        Err(error) => return executor.state_failed(s, error).await,
    };
    if let Some(token) = &token {
        tokens::insert(
            &mut s.work,
            &hash(token),
            s.exec.id,
            &s.cursor.state,
            attempt(&s.cursor),
        )
        .await?;
    }
    update_node(executor, &mut s, NodeStatus::Running, None, None).await?;
    s.event(
        "TaskScheduled",
        json!({
            "resource": task.resource,
            "parameters": effective,
            "timeoutInSeconds": limits.timeout,
            "heartbeatInSeconds": limits.heartbeat,
            "attempt": s.cursor.attempt,
        }),
    );
    s.cursor.phase = Phase::Task {
        key: key.clone(),
        started_at: s.now,
        job: s.job,
    };
    ending::publish_change(&mut s, "RUNNING").await?;
    let transitions = s.exec.transitions;
    let call = call_for(&s, key, effective, token);
    s.save(transitions).await?;
    Ok(Next::Invoke(Box::new(Handoff { call, task, limits })))
}

/// A Task handed over before: leave it to the job that handed it over if that job still runs,
/// else hand it over again (same idempotency key).
pub(crate) async fn resume(executor: &Executor, mut s: Stepping) -> Result<Next, StepError> {
    let Phase::Task { key, job, .. } = s.cursor.phase.clone() else {
        return Ok(Next::Stop);
    };
    if job != s.job {
        let holder = jobs::store::get(&mut s.work, job).await?;
        if holder.is_some_and(|j| matches!(j.state.as_str(), "running" | "queued" | "failed")) {
            return Ok(Next::Stop);
        }
    }
    let task = match task_state(&s) {
        Ok(task) => task,
        Err(error) => return ending::fail(executor, s, &error, "FAILED").await,
    };
    let token = token_of(executor, &task, &key);
    let (effective, limits) = match prepare(&s, &task, token.clone()) {
        Ok(prepared) => prepared,
        Err(error) => return executor.state_failed(s, error).await,
    };
    s.event(
        "TaskStarted",
        json!({"resumed": true, "attempt": s.cursor.attempt}),
    );
    if let Phase::Task { job, .. } = &mut s.cursor.phase {
        *job = s.job;
    }
    let transitions = s.exec.transitions;
    let call = call_for(&s, key, effective, token);
    s.save(transitions).await?;
    Ok(Next::Invoke(Box::new(Handoff { call, task, limits })))
}

fn call_for(s: &Stepping, key: String, input: Value, token: Option<String>) -> TaskCall {
    TaskCall {
        tenant: s.work.tenant(),
        project: s.exec.project_id,
        execution: s.exec.id,
        state: s.cursor.state.clone(),
        attempt: s.cursor.attempt,
        key,
        input,
        token,
    }
}

fn attempt(cursor: &Cursor) -> i32 {
    i32::try_from(cursor.attempt).unwrap_or(i32::MAX)
}

/// A Task attempt recorded as handed over, for its resource to run (see [`invoke`]).
pub(crate) struct Handoff {
    call: TaskCall,
    task: TaskState,
    limits: Limits,
}

/// Calls the resource (no transaction open meanwhile), then records what it answered.
pub(crate) async fn invoke(executor: &Executor, handoff: Handoff) -> Result<Next, StepError> {
    let Handoff { call, task, limits } = handoff;
    let task = &task;
    let started = Instant::now();
    let answer = match executor.resources.get(&task.resource) {
        None => Err(StatesError::new(
            asl::error_names::TASK_FAILED,
            format!("no resource {:?} on this worker", task.resource),
        )),
        Some(resource) => {
            let limit = limits
                .timeout
                .filter(|_| call.token.is_none())
                .map(Duration::from_secs);
            let running = resource.invoke(&executor.env, &call);
            match limit {
                Some(limit) => tokio::time::timeout(limit, running)
                    .await
                    .unwrap_or_else(|_| {
                        Err(StatesError::new(
                            asl::error_names::TIMEOUT,
                            format!(
                                "the task ran past its TimeoutSeconds ({}s)",
                                limit.as_secs()
                            ),
                        ))
                    }),
                None => running.await,
            }
        }
    };
    let elapsed = started.elapsed();
    let Some(mut s) = relock(executor, call.tenant, call.execution, &call.key).await? else {
        return Ok(Next::Stop);
    };
    match answer {
        Ok(TaskOutcome::Done(result)) => {
            succeeded(executor, s, result, elapsed, call.token.as_deref()).await
        }
        Ok(TaskOutcome::Waiting) => {
            let Some(token) = call.token else {
                let error = StatesError::runtime(
                    "the resource answered later for a task without .waitForTaskToken",
                );
                return executor.state_failed(s, error).await;
            };
            let after = |secs: u64| {
                s.now + chrono::Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX / 1000))
            };
            let deadline = limits.timeout.map(after);
            let heartbeat_deadline = limits.heartbeat.map(after);
            for at in [deadline, heartbeat_deadline].into_iter().flatten() {
                schedule(&mut s.work, s.exec.id, Some(at)).await?;
            }
            s.event("TaskSubmitted", json!({"resource": task.resource}));
            s.cursor.phase = Phase::Token {
                token_hash: hex::encode(hash(&token)),
                deadline,
                heartbeat_deadline,
                heartbeat_seconds: limits.heartbeat,
            };
            let transitions = s.exec.transitions;
            s.save(transitions).await?;
            Ok(Next::Stop)
        }
        Err(error) => {
            if let Some(token) = &call.token {
                tokens::settle(&mut s.work, &hash(token), "failure").await?;
            }
            failed(executor, s, error).await
        }
    }
}

/// The execution, locked again, if it still waits for the attempt with idempotency key `key`.
async fn relock(
    executor: &Executor,
    tenant: TenantId,
    id: Uuid,
    key: &str,
) -> Result<Option<Stepping>, StepError> {
    let mut work = begin(executor, tenant).await?;
    let Some(exec) = store::lock(&mut work, id).await? else {
        return Ok(None);
    };
    if exec.status != "RUNNING" {
        return Ok(None);
    }
    let Ok(cursor) = serde_json::from_value::<Cursor>(exec.cursor.clone()) else {
        return Ok(None);
    };
    let current = match &cursor.phase {
        Phase::Task { key: k, .. } => k == key,
        _ => false,
    };
    if !current {
        return Ok(None);
    }
    let version = executor
        .definitions
        .get(&mut work, tenant.0, exec.flow_id, exec.flow_version)
        .await
        .map_err(|e| StepError::Slice(e.to_string()))?;
    let scope = super::definitions::parse_scope(&exec.scope).map_err(StepError::Slice)?;
    Ok(Some(Stepping {
        work,
        exec,
        version,
        scope,
        cursor,
        events: Vec::new(),
        now: chrono::Utc::now(),
        job: 0,
    }))
}

/// The attempt succeeded with `result`: usage priced, node GREEN, events published, on to the
/// next state.
pub(crate) async fn succeeded(
    executor: &Executor,
    mut s: Stepping,
    result: TaskResult,
    elapsed: Duration,
    token: Option<&str>,
) -> Result<Next, StepError> {
    if let Some(token) = token {
        tokens::settle(&mut s.work, &hash(token), "success").await?;
    }
    let mut cost = None;
    if let (Some(project), false) = (s.exec.project_id, result.usage.is_empty()) {
        match executor
            .projects
            .record_usage(&mut s.work, project, &result.usage)
            .await
        {
            Ok(Some(amount)) => {
                store::add_cost(&mut s.work, s.exec.id, amount).await?;
                cost = Some(amount);
            }
            Ok(None) => {}
            Err(e) => {
                return Err(StepError::Slice(format!(
                    "recording the task's usage failed: {e}"
                )))
            }
        }
    }
    let duration_ms = i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX);
    update_node(
        executor,
        &mut s,
        NodeStatus::Green,
        Some((&result, duration_ms)),
        None,
    )
    .await?;
    for event in &result.events {
        s.work.publish(event).await?;
    }
    let usage: Vec<Value> = result
        .usage
        .iter()
        .map(|u| json!({"resource": u.resource, "quantity": u.quantity.to_string()}))
        .collect();
    s.event(
        "TaskSucceeded",
        json!({"output": result.output, "usage": usage, "cost": cost.map(|c| c.to_string()), "durationMs": duration_ms}),
    );
    let raw = s.cursor.input.clone();
    let ctx = s.context(None);
    let output = match s
        .state()
        .and_then(|state| asl::state_output(state, &raw, result.output, &ctx))
    {
        Ok(output) => output,
        Err(error) => return executor.state_failed(s, error).await,
    };
    executor.go_next(s, output).await
}

/// The attempt failed: node RED, then retry, catch or fail.
pub(crate) async fn failed(
    executor: &Executor,
    mut s: Stepping,
    error: StatesError,
) -> Result<Next, StepError> {
    s.event(
        "TaskFailed",
        json!({"error": error.error, "cause": error.cause}),
    );
    update_node(executor, &mut s, NodeStatus::Red, None, Some(&error)).await?;
    executor.state_failed(s, error).await
}

/// A waiting task's deadline passed.
pub(crate) async fn settle_failure(
    executor: &Executor,
    mut s: Stepping,
    error: StatesError,
) -> Result<Next, StepError> {
    if let Phase::Token { token_hash, .. } = &s.cursor.phase {
        if let Ok(raw) = hex::decode(token_hash) {
            tokens::settle(&mut s.work, &raw, "timeout").await?;
        }
    }
    s.event(
        "TaskTimedOut",
        json!({"error": error.error, "cause": error.cause}),
    );
    update_node(executor, &mut s, NodeStatus::Red, None, Some(&error)).await?;
    executor.state_failed(s, error).await
}

/// Colours the project tree node of the current Task state.
async fn update_node(
    executor: &Executor,
    s: &mut Stepping,
    status: NodeStatus,
    result: Option<(&TaskResult, i64)>,
    error: Option<&StatesError>,
) -> Result<(), StepError> {
    let Some(project) = s.exec.project_id else {
        return Ok(());
    };
    let node = s.version.node_for(&s.cursor.state);
    let update = NodeUpdate {
        status: Some(status),
        rows: result.and_then(|(r, _)| r.rows),
        bytes: result.and_then(|(r, _)| r.bytes),
        duration_ms: result.map(|(_, ms)| ms),
        error: Some(error.map(|e| format!("{}: {}", e.error, e.cause))),
        ..NodeUpdate::default()
    };
    colour(executor, s, project, &node, &update).await?;
    let written = result.map_or(&[][..], |(r, _)| &r.tables[..]);
    for table in written {
        let update = NodeUpdate {
            status: Some(NodeStatus::Green),
            rows: Some(table.rows),
            bytes: Some(table.bytes),
            error: Some(None),
            ..NodeUpdate::default()
        };
        let node = format!("{}_{}", table.layer, table.name);
        colour(executor, s, project, &node, &update).await?;
    }
    Ok(())
}

/// Applies `update` to the project's node `node`; a node the tree does not have is skipped.
async fn colour(
    executor: &Executor,
    s: &mut Stepping,
    project: Uuid,
    node: &str,
    update: &NodeUpdate,
) -> Result<(), StepError> {
    executor
        .projects
        .update_node(&mut s.work, project, node, update)
        .await
        .map(drop)
        .map_err(|e| StepError::Slice(format!("updating node {node} failed: {e}")))
}
