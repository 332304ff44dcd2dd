//! Executions: start one (`run-flow`, `trigger-sync`), list, read with the progress of each
//! state, history, stop, redrive.

use std::collections::BTreeMap;

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::list::ListPage;
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::PgPool;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::flows::check_definition;
use crate::executor::control::{self, ControlError, Started};
use crate::executor::Executor;
use crate::problems::{self, execution_not_found, flow_not_found};
use crate::store::executions::{
    self as store, Execution, HistoryEvent, EXECUTION_LIST, FLOW_EXECUTION_LIST,
};
use crate::store::flows::{self as flows_store, Flow};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunFlow {
    /// The flow, by id…
    pub flow_id: Option<Uuid>,
    /// …or by name.
    #[validate(length(min = 1, max = 80))]
    pub flow: Option<String>,
    /// Unique per flow: starting again with the same name and input answers the first
    /// execution (200); with another input, 409. Default: a new id.
    #[validate(length(min = 1, max = 80))]
    pub name: Option<String>,
    /// The execution's input (default `{}`).
    #[schema(value_type = Option<Object>)]
    pub input: Option<Value>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TriggerSync {
    /// The data project whose pipeline flow runs (its oldest flow).
    pub project_id: Uuid,
    /// The Airbyte connection to sync (passed as `connectionId` in the input).
    #[validate(length(min = 1, max = 200))]
    pub connection_id: Option<String>,
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StopExecution {
    #[validate(length(max = 256))]
    pub error: Option<String>,
    #[validate(length(max = 32768))]
    pub cause: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HistoryQuery {
    /// Events after this id (paging).
    #[serde(default)]
    pub after: i32,
    /// At most this many (1-1000, default 500).
    pub limit: Option<i64>,
}

/// How far a state got in this execution (for colouring the graph).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StateProgress {
    /// `running`, `succeeded`, `failed`, `caught`, `retrying` or `waiting`.
    pub status: String,
    /// Times entered (a retried or looped state counts each time).
    pub entered: u32,
    #[schema(value_type = Option<Object>)]
    pub input: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
}

/// A child execution (a Parallel branch or a Map item), in brief.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChildExecution {
    pub id: Uuid,
    pub status: String,
    pub current_state: Option<String>,
    pub error: Option<String>,
}

/// An execution with its flow's definition and each state's progress.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExecutionDetail {
    #[serde(flatten)]
    pub execution: Execution,
    pub flow_name: Option<String>,
    #[schema(value_type = Object)]
    pub definition: Value,
    /// State name → progress, for the states this execution (not its children) entered.
    pub states: BTreeMap<String, StateProgress>,
    pub children: Vec<ChildExecution>,
}

async fn find_flow(work: &mut UnitOfWork, body: &RunFlow) -> Result<Flow, Problem> {
    let flow = match (&body.flow_id, &body.flow) {
        (Some(id), _) => flows_store::flow(work, *id).await?,
        (None, Some(name)) => flows_store::flow_by_name(work, name).await?,
        (None, None) => {
            return Err(problems::invalid(
                "flow_id",
                "Name the flow by flow_id or flow.",
            ))
        }
    };
    flow.ok_or_else(flow_not_found)
}

/// Starts `flow`'s current version in `work`.
async fn start(
    work: &mut UnitOfWork,
    executor: &Executor,
    flow: &Flow,
    name: &str,
    input: &Value,
) -> Result<HttpResponse, Problem> {
    let version = flows_store::version(work, flow.id, flow.current_version)
        .await?
        .ok_or_else(flow_not_found)?;
    let definition = check_definition(&version.definition, executor)
        .map_err(|e| problems::invalid_definition(&e))?;
    let started = control::start(work, flow, flow.current_version, &definition, name, input)
        .await
        .map_err(|e| Problem::internal(&e))?;
    Ok(match started {
        Started::New(execution) => HttpResponse::Created()
            .insert_header((
                "Location",
                format!("/api/v1/orchestration/executions/{}", execution.id),
            ))
            .json(execution),
        Started::Existing(execution) if execution.input == *input => {
            HttpResponse::Ok().json(execution)
        }
        Started::Existing(_) => return Err(problems::execution_exists(name)),
    })
}

/// Start an execution of a flow (Step Functions' StartExecution). Idempotent by execution name,
/// and by `Idempotency-Key`.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = RunFlow,
    responses((status = 201, body = Execution), (status = 200, body = Execution))
)]
#[post("/run-flow")]
#[tracing::instrument(skip_all)]
pub async fn run_flow(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    executor: web::Data<Executor>,
    principal: Scoped<scope::ProjectsWrite>,
    body: ValidatedJson<RunFlow>,
) -> Result<HttpResponse, Problem> {
    let input = body.input.clone().unwrap_or_else(|| json!({}));
    if !input.is_object() {
        return Err(problems::invalid("input", "The input is a JSON object."));
    }
    let name = body
        .name
        .clone()
        .unwrap_or_else(|| Uuid::now_v7().to_string());
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let flow = find_flow(&mut work, &body).await?;
    let response = start(&mut work, &executor, &flow, &name, &input).await?;
    work.commit().await?;
    Ok(response)
}

/// Run a data project's pipeline from its ingest step (its oldest flow), optionally for one
/// Airbyte connection.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = TriggerSync,
    responses((status = 201, body = Execution))
)]
#[post("/trigger-sync")]
#[tracing::instrument(skip_all)]
pub async fn trigger_sync(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    executor: web::Data<Executor>,
    principal: Scoped<scope::ProjectsWrite>,
    body: ValidatedJson<TriggerSync>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let flow = flows_store::project_flow(&mut work, body.project_id)
        .await?
        .ok_or_else(|| {
            problems::invalid(
                "project_id",
                "This project has no flow: create one (the pipeline template is a start).",
            )
        })?;
    let mut input = json!({"projectId": body.project_id});
    if let Some(connection) = &body.connection_id {
        input["connectionId"] = json!(connection);
    }
    let name = format!("sync-{}", Uuid::now_v7());
    let response = start(&mut work, &executor, &flow, &name, &input).await?;
    work.commit().await?;
    Ok(response)
}

/// Executions, newest first (Refine's list protocol; filter by `flow_id`, `project_id`,
/// `status`; `q` searches names).
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Execution>, headers(("X-Total-Count" = i64))))
)]
#[get("/executions")]
#[tracing::instrument(skip_all)]
pub async fn list_executions(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    req: HttpRequest,
) -> Result<ListPage<Execution>, Problem> {
    EXECUTION_LIST.respond(&db, &principal, &req).await
}

/// A flow's executions, newest first.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Execution>, headers(("X-Total-Count" = i64))))
)]
#[get("/flows/{id}/executions")]
#[tracing::instrument(skip_all)]
pub async fn list_flow_executions(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<ListPage<Execution>, Problem> {
    FLOW_EXECUTION_LIST
        .respond_within(&db, &principal, &req, *id)
        .await
}

/// One execution: its input, output, cost, each state's progress and its children.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ExecutionDetail))
)]
#[get("/executions/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_execution(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
) -> Result<web::Json<ExecutionDetail>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let execution = store::get(&mut tx, *id)
        .await?
        .ok_or_else(execution_not_found)?;
    let flow = flows_store::flow_any(&mut tx, execution.flow_id).await?;
    let definition = flows_store::version(&mut tx, execution.flow_id, execution.flow_version)
        .await?
        .map(|v| v.definition)
        .unwrap_or(Value::Null);
    let history = store::history(&mut tx, *id, 0, 10_000).await?;
    let children = store::children(&mut tx, *id).await?;
    end_read(tx);
    Ok(web::Json(ExecutionDetail {
        flow_name: flow.map(|f| f.name),
        definition,
        states: progress(&history),
        children: children
            .into_iter()
            .map(|c| ChildExecution {
                id: c.id,
                status: c.status,
                current_state: c.current_state,
                error: c.error,
            })
            .collect(),
        execution,
    }))
}

/// Each state's progress, read from the history.
fn progress(history: &[HistoryEvent]) -> BTreeMap<String, StateProgress> {
    let mut states: BTreeMap<String, StateProgress> = BTreeMap::new();
    for event in history {
        let Some(name) = &event.state else { continue };
        let entry = states.entry(name.clone()).or_insert_with(|| StateProgress {
            status: "running".into(),
            entered: 0,
            input: None,
            output: None,
            error: None,
            cause: None,
        });
        let text = |field: &str| {
            event
                .details
                .get(field)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let kind = event.r#type.as_str();
        if kind.ends_with("StateEntered") || kind == "ExecutionRedriven" {
            entry.status = "running".into();
            entry.entered += 1;
            entry.input = event.details.get("input").cloned().or(entry.input.take());
        } else if kind.ends_with("StateExited") {
            if entry.status != "caught" {
                entry.status = "succeeded".into();
            }
            entry.output = event.details.get("output").cloned();
        } else if kind == "TaskFailed" || kind == "TaskTimedOut" {
            entry.status = "failed".into();
            entry.error = text("error");
            entry.cause = text("cause");
        } else if kind == "StateRetryScheduled" {
            entry.status = "retrying".into();
        } else if kind == "StateCaught" {
            entry.status = "caught".into();
            entry.error = text("error");
            entry.cause = text("cause");
        } else if kind == "TaskSubmitted" {
            entry.status = "waiting".into();
        } else if kind == "TaskStarted" || kind == "TaskScheduled" {
            entry.status = "running".into();
        }
    }
    for event in history {
        if matches!(
            event.r#type.as_str(),
            "ExecutionFailed" | "ExecutionTimedOut"
        ) {
            if let Some(last) = history.iter().rev().find_map(|e| e.state.clone()) {
                if let Some(entry) = states.get_mut(&last) {
                    if entry.status != "succeeded" {
                        entry.status = "failed".into();
                        entry.error = event
                            .details
                            .get("error")
                            .and_then(Value::as_str)
                            .map(str::to_owned);
                        entry.cause = event
                            .details
                            .get("cause")
                            .and_then(Value::as_str)
                            .map(str::to_owned);
                    }
                }
            }
        }
    }
    states
}

/// An execution's history, oldest first (Step Functions' GetExecutionHistory).
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), HistoryQuery),
    responses((status = 200, body = Vec<HistoryEvent>))
)]
#[get("/executions/{id}/history")]
#[tracing::instrument(skip_all)]
pub async fn get_history(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<Vec<HistoryEvent>>, Problem> {
    let limit = query.limit.unwrap_or(500);
    if !(1..=1000).contains(&limit) {
        return Err(problems::invalid("limit", "Between 1 and 1000."));
    }
    let mut tx = tenant_read_tx(&db, &principal).await?;
    store::get(&mut tx, *id)
        .await?
        .ok_or_else(execution_not_found)?;
    let history = store::history(&mut tx, *id, query.after.max(0), limit).await?;
    end_read(tx);
    Ok(web::Json(history))
}

fn control_problem(err: ControlError) -> Problem {
    match err {
        ControlError::NotFound => execution_not_found(),
        ControlError::Conflict(why) => problems::execution_conflict(why),
        ControlError::Step(e) => Problem::internal(&e),
    }
}

/// Stop a running execution (ABORTED; a task in flight is not waited for).
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = StopExecution,
    responses((status = 200, body = Execution))
)]
#[post("/executions/{id}/cancel")]
#[tracing::instrument(skip_all)]
pub async fn cancel_execution(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    body: Option<ValidatedJson<StopExecution>>,
) -> Result<web::Json<Execution>, Problem> {
    let body = body.map(ValidatedJson::into_inner).unwrap_or_default();
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    control::stop(&mut work, *id, body.error.as_deref(), body.cause.as_deref())
        .await
        .map_err(control_problem)?;
    let execution = store::get(&mut work, *id)
        .await?
        .ok_or_else(execution_not_found)?;
    work.commit().await?;
    Ok(web::Json(execution))
}

/// Run a failed, timed-out or stopped execution again from the state it ended in.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Execution))
)]
#[post("/executions/{id}/redrive")]
#[tracing::instrument(skip_all)]
pub async fn redrive_execution(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Execution>, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    control::redrive(&mut work, *id)
        .await
        .map_err(control_problem)?;
    let execution = store::get(&mut work, *id)
        .await?
        .ok_or_else(execution_not_found)?;
    work.commit().await?;
    Ok(web::Json(execution))
}
