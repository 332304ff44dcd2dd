//! One step of an execution: lock it, look at its cursor, make one transition or start waiting.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kernel::{TenantId, UnitOfWork};
use serde_json::{json, Value};
use uuid::Uuid;

use super::cursor::{Cursor, Phase};
use super::definitions::{self, resolve, ScopeStep, Version};
use super::{begin, ending, schedule, task, Executor, Next, StepError};
use crate::asl::{
    self, ContextObject, Definition, FixedOrPath, State, StateKind, StatesError, Transition,
};
use crate::store::executions::{self as store, NewEvent, NewExecution, Running};

/// A locked execution being stepped, with what the step writes at its end.
pub(crate) struct Stepping {
    pub work: UnitOfWork,
    pub exec: Running,
    pub version: Arc<Version>,
    pub scope: Vec<ScopeStep>,
    pub cursor: Cursor,
    pub events: Vec<NewEvent>,
    pub now: DateTime<Utc>,
    /// This step's job.
    pub job: i64,
}

impl Stepping {
    pub fn definition(&self) -> Result<&Definition, StatesError> {
        resolve(&self.version.definition, &self.scope)
            .ok_or_else(|| StatesError::runtime("the execution's scope is not in its flow version"))
    }

    pub fn state(&self) -> Result<&State, StatesError> {
        self.definition()?.state(&self.cursor.state).ok_or_else(|| {
            StatesError::runtime(format!("no state {:?} in the flow", self.cursor.state))
        })
    }

    pub fn event(&mut self, r#type: &'static str, details: Value) {
        let state = Some(self.cursor.state.clone());
        self.events.push(NewEvent {
            r#type,
            state,
            details,
        });
    }

    /// The context object (`$$`) of the current state.
    pub fn context(&self, token: Option<String>) -> Value {
        ContextObject {
            execution_id: self.exec.id.to_string(),
            execution_name: self.exec.name.clone(),
            execution_input: self.exec.input.clone(),
            start_time: self.exec.started_at,
            state_name: self.cursor.state.clone(),
            entered_time: self.cursor.entered_at,
            retry_count: self.cursor.attempt.saturating_sub(1),
            state_machine_id: self.exec.flow_id.to_string(),
            state_machine_name: self.exec.flow_id.to_string(),
            task_token: token,
            map_item: None,
        }
        .to_value()
    }

    /// Writes the cursor and the events, and commits.
    pub async fn save(mut self, transitions: i32) -> Result<(), StepError> {
        let last = store::append_history(
            &mut self.work,
            self.exec.id,
            self.exec.last_event,
            &self.events,
        )
        .await?;
        let cursor = serde_json::to_value(&self.cursor).unwrap_or(Value::Null);
        store::save(&mut self.work, self.exec.id, &cursor, transitions, last).await?;
        self.work.commit().await?;
        Ok(())
    }
}

impl Executor {
    /// One step of execution `id` (see the module docs).
    pub(crate) async fn step(
        &self,
        tenant: TenantId,
        job: i64,
        id: Uuid,
    ) -> Result<Next, StepError> {
        let mut work = begin(self, tenant).await?;
        let Some(exec) = store::lock(&mut work, id).await? else {
            return Ok(Next::Stop);
        };
        if exec.status != "RUNNING" {
            return Ok(Next::Stop);
        }
        let now = Utc::now();
        let cursor: Cursor = match serde_json::from_value(exec.cursor.clone()) {
            Ok(cursor) => cursor,
            Err(e) => {
                return Err(StepError::Slice(format!(
                    "execution {id} has an unreadable cursor: {e}"
                )))
            }
        };
        let version = match self
            .definitions
            .get(&mut work, tenant.0, exec.flow_id, exec.flow_version)
            .await
        {
            Ok(version) => version,
            Err(definitions::LoadError::Db(e)) => return Err(e.into()),
            Err(e) => {
                let scope = Vec::new();
                let stepping = Stepping {
                    work,
                    exec,
                    version: Arc::new(Version {
                        definition: Definition {
                            comment: None,
                            start_at: String::new(),
                            states: Default::default(),
                            timeout_seconds: None,
                            version: None,
                        },
                        nodes: Default::default(),
                    }),
                    scope,
                    cursor,
                    events: Vec::new(),
                    now,
                    job,
                };
                let error = StatesError::runtime(e.to_string());
                return ending::fail(self, stepping, &error, "FAILED").await;
            }
        };
        let scope = definitions::parse_scope(&exec.scope).map_err(StepError::Slice)?;
        let mut s = Stepping {
            work,
            exec,
            version,
            scope,
            cursor,
            events: Vec::new(),
            now,
            job,
        };
        if s.exec.timeout_at.is_some_and(|at| at <= now) {
            let error = StatesError::new(
                asl::error_names::TIMEOUT,
                "The execution ran past its TimeoutSeconds.",
            );
            return ending::fail(self, s, &error, "TIMED_OUT").await;
        }
        if let Err(error) = s.state() {
            return ending::fail(self, s, &error, "FAILED").await;
        }
        match s.cursor.phase.clone() {
            Phase::Done => Ok(Next::Stop),
            Phase::Enter => self.enter(s).await,
            Phase::Waiting { until, retry } => {
                if until > now {
                    return Ok(Next::Stop);
                }
                if retry {
                    s.cursor.phase = Phase::Enter;
                    let transitions = s.exec.transitions;
                    s.save(transitions).await?;
                    return Ok(Next::Continue);
                }
                let raw = s.cursor.input.clone();
                let ctx = s.context(None);
                let output = match s.state().and_then(|state| {
                    let effective = asl::effective_input(state, &raw, &ctx)?;
                    asl::state_output(state, &raw, effective, &ctx)
                }) {
                    Ok(output) => output,
                    Err(error) => return self.state_failed(s, error).await,
                };
                self.go_next(s, output).await
            }
            Phase::Token {
                deadline,
                heartbeat_deadline,
                ..
            } => {
                if deadline.is_some_and(|d| d <= now) {
                    let error = StatesError::new(
                        asl::error_names::TIMEOUT,
                        "The task did not report back within its TimeoutSeconds.",
                    );
                    return task::settle_failure(self, s, error).await;
                }
                if heartbeat_deadline.is_some_and(|d| d <= now) {
                    let error = StatesError::new(
                        asl::error_names::HEARTBEAT_TIMEOUT,
                        "No heartbeat within the task's HeartbeatSeconds.",
                    );
                    return task::settle_failure(self, s, error).await;
                }
                Ok(Next::Stop)
            }
            Phase::Task { .. } => task::resume(self, s).await,
            Phase::Children { .. } => self.check_children(s).await,
        }
    }

    /// Runs the current state from its start.
    async fn enter(&self, mut s: Stepping) -> Result<Next, StepError> {
        let state = match s.state() {
            Ok(state) => state.clone(),
            Err(error) => return ending::fail(self, s, &error, "FAILED").await,
        };
        // A Task's Parameters may name `$$.Task.Token`: it builds its effective input itself.
        if let StateKind::Task(_) = state.kind {
            return task::start(self, s).await;
        }
        let raw = s.cursor.input.clone();
        let ctx = s.context(None);
        let effective = match asl::effective_input(&state, &raw, &ctx) {
            Ok(v) => v,
            Err(error) => return self.state_failed(s, error).await,
        };
        match &state.kind {
            StateKind::Pass(pass) => {
                let result = pass.result.clone().unwrap_or(effective);
                match asl::state_output(&state, &raw, result, &ctx) {
                    Ok(output) => self.go_next(s, output).await,
                    Err(error) => self.state_failed(s, error).await,
                }
            }
            StateKind::Choice(choice) => {
                let next = match asl::choose(choice, &effective) {
                    Ok(next) => next.to_owned(),
                    Err(error) => return self.state_failed(s, error).await,
                };
                match asl::state_output(&state, &raw, effective, &ctx) {
                    Ok(output) => self.move_to(s, &next, output, "ChoiceStateExited").await,
                    Err(error) => self.state_failed(s, error).await,
                }
            }
            StateKind::Wait(wait) => {
                let until = match asl::wait_until(wait, &effective, s.now) {
                    Ok(until) => until,
                    Err(error) => return self.state_failed(s, error).await,
                };
                if until <= s.now {
                    return match asl::state_output(&state, &raw, effective, &ctx) {
                        Ok(output) => self.go_next(s, output).await,
                        Err(error) => self.state_failed(s, error).await,
                    };
                }
                s.cursor.phase = Phase::Waiting {
                    until,
                    retry: false,
                };
                schedule(&mut s.work, s.exec.id, Some(until)).await?;
                let transitions = s.exec.transitions;
                s.save(transitions).await?;
                Ok(Next::Stop)
            }
            StateKind::Succeed => match asl::state_output(&state, &raw, effective, &ctx) {
                Ok(output) => {
                    s.event("SucceedStateExited", json!({"output": output}));
                    ending::succeed(self, s, output).await
                }
                Err(error) => self.state_failed(s, error).await,
            },
            StateKind::Fail(fail) => {
                let error = asl::fail_error(fail, &raw, &ctx).unwrap_or_else(|e| e);
                ending::fail(self, s, &error, "FAILED").await
            }
            StateKind::Task(_) => unreachable!("Task states are started above"),
            StateKind::Parallel(parallel) => {
                let children: Vec<(Vec<ScopeStep>, Value, String)> = parallel
                    .branches
                    .iter()
                    .enumerate()
                    .map(|(i, branch)| {
                        let mut scope = s.scope.clone();
                        scope.push(ScopeStep {
                            state: s.cursor.state.clone(),
                            branch: Some(i),
                        });
                        (scope, effective.clone(), branch.start_at.clone())
                    })
                    .collect();
                s.event("ParallelStateStarted", json!({}));
                self.spawn_children(s, children, 0).await
            }
            StateKind::Map(map) => {
                let items = match asl::map_items(map, &effective, &ctx) {
                    Ok(items) => items,
                    Err(error) => return self.state_failed(s, error).await,
                };
                let mut children = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let input = match asl::item_input(map, item, i, &effective, &ctx) {
                        Ok(input) => input,
                        Err(error) => return self.state_failed(s, error).await,
                    };
                    let mut scope = s.scope.clone();
                    scope.push(ScopeStep {
                        state: s.cursor.state.clone(),
                        branch: None,
                    });
                    children.push((scope, input, map.item_processor.start_at.clone()));
                }
                if children.is_empty() {
                    return match asl::state_output(&state, &raw, json!([]), &ctx) {
                        Ok(output) => self.go_next(s, output).await,
                        Err(error) => self.state_failed(s, error).await,
                    };
                }
                let concurrency = match seconds_or_count(
                    Some(&map.max_concurrency),
                    &effective,
                    "MaxConcurrencyPath",
                ) {
                    Ok(n) => usize::try_from(n.unwrap_or(0)).unwrap_or(usize::MAX),
                    Err(error) => return self.state_failed(s, error).await,
                };
                s.event("MapStateStarted", json!({"length": children.len()}));
                self.spawn_children(s, children, concurrency).await
            }
        }
    }

    /// Creates the children of a Parallel or Map state (the first `concurrency` running, the
    /// rest pending; 0: all running) and waits for them.
    async fn spawn_children(
        &self,
        mut s: Stepping,
        children: Vec<(Vec<ScopeStep>, Value, String)>,
        concurrency: usize,
    ) -> Result<Next, StepError> {
        let total = children.len();
        // A retried or redriven state runs its children anew.
        store::delete_children(&mut s.work, s.exec.id).await?;
        for (i, (scope, input, start_at)) in children.into_iter().enumerate() {
            let id = Uuid::now_v7();
            let running = concurrency == 0 || i < concurrency;
            let cursor = serde_json::to_value(Cursor::enter(&start_at, input.clone(), s.now))
                .unwrap_or(Value::Null);
            let name = format!("{}:{}:{i}", s.exec.id, s.cursor.state);
            let name: String = name.chars().take(80).collect();
            let index = i32::try_from(i).unwrap_or(i32::MAX);
            store::insert(
                &mut s.work,
                &NewExecution {
                    id,
                    flow_id: s.exec.flow_id,
                    flow_version: s.exec.flow_version,
                    name: &name,
                    project_id: s.exec.project_id,
                    parent: Some((s.exec.id, &s.cursor.state, index)),
                    scope: &definitions::scope_text(&scope),
                    status: if running { "RUNNING" } else { "PENDING" },
                    input: &input,
                    cursor: &cursor,
                    timeout_at: None,
                },
            )
            .await?;
            if running {
                let mut child_events = vec![NewEvent {
                    r#type: "ExecutionStarted",
                    state: None,
                    details: json!({"input": input, "parentId": s.exec.id, "index": i}),
                }];
                child_events.push(NewEvent {
                    r#type: "StateEntered",
                    state: Some(start_at),
                    details: json!({"input": input}),
                });
                store::append_history(&mut s.work, id, 0, &child_events).await?;
                sqlx::query!("UPDATE executions SET last_event = 2 WHERE id = $1", id)
                    .execute(&mut *s.work)
                    .await?;
                schedule(&mut s.work, id, None).await?;
            }
        }
        s.cursor.phase = Phase::Children {
            total,
            created: total,
            concurrency,
        };
        let transitions = s.exec.transitions;
        s.save(transitions).await?;
        Ok(Next::Stop)
    }

    /// A Parallel or Map state looks at its children: one failed (the state fails with its
    /// error), all done (the state's result is their outputs in order), or room to start more.
    async fn check_children(&self, mut s: Stepping) -> Result<Next, StepError> {
        let Phase::Children { concurrency, .. } = s.cursor.phase else {
            return Ok(Next::Stop);
        };
        let counts = store::child_counts(&mut s.work, s.exec.id).await?;
        if counts.failed > 0 {
            let (error, cause) = store::first_child_failure(&mut s.work, s.exec.id)
                .await?
                .unwrap_or((None, None));
            store::abort_descendants(&mut s.work, s.exec.id).await?;
            let error = StatesError::new(
                error.as_deref().unwrap_or(asl::error_names::BRANCH_FAILED),
                cause.unwrap_or_default(),
            );
            return self.state_failed(s, error).await;
        }
        if counts.running == 0 && counts.pending == 0 {
            let outputs = store::child_outputs(&mut s.work, s.exec.id).await?;
            let raw = s.cursor.input.clone();
            let ctx = s.context(None);
            let state = match s.state() {
                Ok(state) => state.clone(),
                Err(error) => return ending::fail(self, s, &error, "FAILED").await,
            };
            let kind = if matches!(state.kind, StateKind::Map(_)) {
                "MapStateSucceeded"
            } else {
                "ParallelStateSucceeded"
            };
            s.event(kind, json!({}));
            return match asl::state_output(&state, &raw, Value::Array(outputs), &ctx) {
                Ok(output) => self.go_next(s, output).await,
                Err(error) => self.state_failed(s, error).await,
            };
        }
        if concurrency > 0 && counts.pending > 0 {
            let free = i64::try_from(concurrency).unwrap_or(i64::MAX) - counts.running;
            if free > 0 {
                for child in store::start_pending(&mut s.work, s.exec.id, free).await? {
                    let events = [NewEvent {
                        r#type: "ExecutionStarted",
                        state: None,
                        details: json!({"parentId": s.exec.id}),
                    }];
                    let last = store::append_history(&mut s.work, child, 0, &events).await?;
                    sqlx::query!(
                        "UPDATE executions SET last_event = $2 WHERE id = $1",
                        child,
                        last
                    )
                    .execute(&mut *s.work)
                    .await?;
                    schedule(&mut s.work, child, None).await?;
                }
                s.work.commit().await?;
            }
        }
        Ok(Next::Stop)
    }

    /// The current state failed with `error`: retry it, catch it, or fail the execution.
    pub(crate) async fn state_failed(
        &self,
        mut s: Stepping,
        error: StatesError,
    ) -> Result<Next, StepError> {
        let state = match s.state() {
            Ok(state) => state.clone(),
            Err(e) => return ending::fail(self, s, &e, "FAILED").await,
        };
        if error.error != asl::error_names::RUNTIME {
            let delay = {
                let mut rng = rand::thread_rng();
                asl::next_retry(state.retriers(), &error, &mut s.cursor.retries, &mut rng)
            };
            if let Some(delay) = delay {
                let until = s.now + chrono::Duration::from_std(delay).unwrap_or_default();
                s.event(
                    "StateRetryScheduled",
                    json!({"error": error.error, "cause": error.cause, "attempt": s.cursor.attempt, "retryAt": until}),
                );
                s.cursor.attempt += 1;
                if delay.is_zero() {
                    s.cursor.phase = Phase::Enter;
                    let transitions = s.exec.transitions;
                    s.save(transitions).await?;
                    return Ok(Next::Continue);
                }
                s.cursor.phase = Phase::Waiting { until, retry: true };
                schedule(&mut s.work, s.exec.id, Some(until)).await?;
                let transitions = s.exec.transitions;
                s.save(transitions).await?;
                return Ok(Next::Stop);
            }
            if let Some(catcher) = asl::find_catcher(state.catchers(), &error) {
                let raw = s.cursor.input.clone();
                let output = match asl::catch_output(catcher, &raw, &error) {
                    Ok(output) => output,
                    Err(e) => return ending::fail(self, s, &e, "FAILED").await,
                };
                s.event(
                    "StateCaught",
                    json!({"error": error.error, "cause": error.cause, "next": catcher.next}),
                );
                let next = catcher.next.clone();
                return self.move_to(s, &next, output, exited(&state)).await;
            }
        }
        ending::fail(self, s, &error, "FAILED").await
    }

    /// The current state is done with `output`: on to its Next, or the end.
    pub(crate) async fn go_next(&self, s: Stepping, output: Value) -> Result<Next, StepError> {
        let state = match s.state() {
            Ok(state) => state.clone(),
            Err(e) => return ending::fail(self, s, &e, "FAILED").await,
        };
        match state.transition() {
            Some(Transition::Next(next)) => {
                let next = next.to_owned();
                self.move_to(s, &next, output, exited(&state)).await
            }
            _ => {
                let mut s = s;
                s.event(exited(&state), json!({"output": output}));
                ending::succeed(self, s, output).await
            }
        }
    }

    /// Leaves the current state for `next` with `output` as its input.
    async fn move_to(
        &self,
        mut s: Stepping,
        next: &str,
        output: Value,
        exited_event: &'static str,
    ) -> Result<Next, StepError> {
        s.event(exited_event, json!({"output": output}));
        let entered = match s.definition().ok().and_then(|d| d.state(next)) {
            Some(state) => entered(state),
            None => "StateEntered",
        };
        s.cursor = Cursor::enter(next, output, s.now);
        s.event(entered, json!({"input": s.cursor.input}));
        let transitions = s.exec.transitions + 1;
        s.save(transitions).await?;
        Ok(Next::Continue)
    }
}

/// The history event of entering `state` (Step Functions' names).
pub(crate) fn entered(state: &State) -> &'static str {
    match state.kind {
        StateKind::Task(_) => "TaskStateEntered",
        StateKind::Choice(_) => "ChoiceStateEntered",
        StateKind::Wait(_) => "WaitStateEntered",
        StateKind::Pass(_) => "PassStateEntered",
        StateKind::Succeed => "SucceedStateEntered",
        StateKind::Fail(_) => "FailStateEntered",
        StateKind::Parallel(_) => "ParallelStateEntered",
        StateKind::Map(_) => "MapStateEntered",
    }
}

pub(crate) fn exited(state: &State) -> &'static str {
    match state.kind {
        StateKind::Task(_) => "TaskStateExited",
        StateKind::Choice(_) => "ChoiceStateExited",
        StateKind::Wait(_) => "WaitStateExited",
        StateKind::Pass(_) => "PassStateExited",
        StateKind::Succeed => "SucceedStateExited",
        StateKind::Fail(_) => "FailStateExited",
        StateKind::Parallel(_) => "ParallelStateExited",
        StateKind::Map(_) => "MapStateExited",
    }
}

/// A number fixed in the definition or read from the effective input by its `…Path` twin.
pub(crate) fn seconds_or_count(
    value: Option<&FixedOrPath<u64>>,
    input: &Value,
    field: &str,
) -> Result<Option<u64>, StatesError> {
    match value {
        None => Ok(None),
        Some(FixedOrPath::Fixed(n)) => Ok(Some(*n)),
        Some(FixedOrPath::Path(path)) => path
            .lookup(input, &Value::Null)
            .and_then(Value::as_u64)
            .map(Some)
            .ok_or_else(|| {
                StatesError::runtime(format!(
                    "{field} '{}' must select a non-negative integer",
                    path.as_str()
                ))
            }),
    }
}
