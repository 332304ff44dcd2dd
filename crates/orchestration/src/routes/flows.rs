//! Flows: create, list, read, save a new version, change details, delete (soft), versions,
//! validate without saving, and the built-in templates.

use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::db::is_unique_violation;
use kernel::list::ListPage;
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::asl::{self, Definition, ValidationError};
use crate::executor::Executor;
use crate::problems::{self, flow_not_found};
use crate::store::flows::{self as store, Flow, FlowVersion, NewFlow, FLOW_LIST};

pub(crate) const RESOURCE: &str = "flows";

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFlow {
    /// Letters, digits, `_`, `.` and `-` (AWS's rule for state machine names), unique per tenant.
    #[validate(length(min = 1, max = 80))]
    pub name: String,
    #[serde(default)]
    #[validate(length(max = 2000))]
    pub description: String,
    /// The data project whose tree the Task states colour.
    pub project_id: Option<Uuid>,
    /// The Amazon States Language document.
    #[schema(value_type = Object)]
    pub definition: Value,
    /// Task state name → project tree node id (a state not listed colours the node named like it).
    #[serde(default)]
    pub nodes: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveVersion {
    #[schema(value_type = Object)]
    pub definition: Value,
    #[serde(default)]
    pub nodes: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateFlow {
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// `null` detaches the flow from its project.
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    pub project_id: Option<Option<Uuid>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateDefinition {
    #[schema(value_type = Object)]
    pub definition: Value,
}

/// A flow with its current definition.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlowDetail {
    #[serde(flatten)]
    pub flow: Flow,
    #[schema(value_type = Object)]
    pub definition: Value,
    #[schema(value_type = Object)]
    pub nodes: Value,
}

/// What validating a definition found.
#[derive(Debug, Serialize, ToSchema)]
pub struct Validation {
    pub valid: bool,
    pub errors: Vec<DefinitionError>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DefinitionError {
    /// The innermost state the error is in.
    pub state: Option<String>,
    /// JSON pointer into the definition (`/States/Load/Retry/0/BackoffRate`).
    pub path: String,
    pub message: String,
}

/// A built-in flow to start from.
#[derive(Debug, Serialize, ToSchema)]
pub struct Template {
    pub name: String,
    pub description: String,
    #[schema(value_type = Object)]
    pub definition: Value,
}

/// Parses and validates `definition`: the ASL rules, and that every Task names a resource
/// this platform runs (checked on the document itself, so both kinds of error come together).
pub(crate) fn check_definition(
    definition: &Value,
    executor: &Executor,
) -> Result<Definition, Vec<ValidationError>> {
    let mut errors = Vec::new();
    unknown_resources(definition, "", executor, &mut errors);
    match asl::parse(definition) {
        Ok(parsed) if errors.is_empty() => Ok(parsed),
        Ok(_) => Err(errors),
        Err(mut found) => {
            found.append(&mut errors);
            Err(found)
        }
    }
}

/// Walks the document's states (and those of Parallel branches and Map processors) for Task
/// resources this platform does not run.
fn unknown_resources(
    scope: &Value,
    prefix: &str,
    executor: &Executor,
    errors: &mut Vec<ValidationError>,
) {
    let Some(states) = scope.get("States").and_then(Value::as_object) else {
        return;
    };
    for (name, state) in states {
        let path = format!("{prefix}/States/{}", pointer_escape(name));
        match state.get("Type").and_then(Value::as_str) {
            Some("Task") => {
                let Some(resource) = state.get("Resource").and_then(Value::as_str) else {
                    continue;
                };
                let (base, _) = asl::split_integration(resource);
                if executor.resources.get(&base).is_none() {
                    let known: Vec<&str> = executor.resources.names().collect();
                    errors.push(ValidationError {
                        path: format!("{path}/Resource"),
                        state: Some(name.clone()),
                        message: format!(
                            "unknown resource {resource:?}; this platform runs {} (optionally with .waitForTaskToken)",
                            known.join(", ")
                        ),
                    });
                }
            }
            Some("Parallel") => {
                let branches = state.get("Branches").and_then(Value::as_array);
                for (i, branch) in branches.into_iter().flatten().enumerate() {
                    unknown_resources(branch, &format!("{path}/Branches/{i}"), executor, errors);
                }
            }
            Some("Map") => {
                for field in ["ItemProcessor", "Iterator"] {
                    if let Some(processor) = state.get(field) {
                        unknown_resources(processor, &format!("{path}/{field}"), executor, errors);
                    }
                }
            }
            _ => {}
        }
    }
}

fn pointer_escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// The checks `validator` cannot express.
fn check_name(name: &str) -> Result<(), Problem> {
    let ok = name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if ok {
        Ok(())
    } else {
        Err(problems::invalid(
            "name",
            "Use letters, digits, _, . and -, starting with a letter or digit.",
        ))
    }
}

fn check_nodes(nodes: &std::collections::BTreeMap<String, String>) -> Result<(), Problem> {
    let bad = nodes.values().find(|id| {
        id.is_empty()
            || id.len() > 100
            || !id.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-')
            })
    });
    match bad {
        Some(id) => Err(problems::invalid(
            "nodes",
            format!("{id:?} is not a tree node id"),
        )),
        None => Ok(()),
    }
}

/// A foreign key to projects that does not hold: the project is not the tenant's.
fn project_problem(err: sqlx::Error) -> Problem {
    match &err {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            problems::invalid("project_id", "No such project in this tenant.")
        }
        _ => err.into(),
    }
}

/// Flows, newest first (Refine's list protocol; `q` searches names).
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Flow>, headers(("X-Total-Count" = i64))))
)]
#[get("/flows")]
#[tracing::instrument(skip_all)]
pub async fn list_flows(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    req: HttpRequest,
) -> Result<ListPage<Flow>, Problem> {
    FLOW_LIST.respond(&db, &principal, &req).await
}

/// Create a flow from an ASL definition (version 1). A definition with errors is refused with
/// every error named by state and field.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = CreateFlow,
    responses((status = 201, body = FlowDetail))
)]
#[post("/flows")]
#[tracing::instrument(skip_all)]
pub async fn create_flow(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    executor: web::Data<Executor>,
    principal: Scoped<scope::ProjectsWrite>,
    body: ValidatedJson<CreateFlow>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    check_name(&body.name)?;
    check_nodes(&body.nodes)?;
    check_definition(&body.definition, &executor).map_err(|e| problems::invalid_definition(&e))?;
    let nodes = json!(body.nodes);
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let new = NewFlow {
        id: Uuid::now_v7(),
        name: &body.name,
        description: &body.description,
        project_id: body.project_id,
    };
    let flow = match store::insert_flow(&mut work, &new, &body.definition, &nodes).await {
        Ok(flow) => flow,
        Err(e) if is_unique_violation(&e, "flows_name_key") => {
            return Err(problems::name_taken(&body.name))
        }
        Err(e) => return Err(project_problem(e)),
    };
    work.publish_ids(RESOURCE, "flow.created", &[flow.id])
        .await?;
    work.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/orchestration/flows/{}", flow.id),
        ))
        .json(FlowDetail {
            flow,
            definition: body.definition,
            nodes,
        }))
}

/// One flow with its current definition.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = FlowDetail))
)]
#[get("/flows/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_flow(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
) -> Result<web::Json<FlowDetail>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let flow = store::flow(&mut tx, *id)
        .await?
        .ok_or_else(flow_not_found)?;
    let version = store::version(&mut tx, flow.id, flow.current_version)
        .await?
        .ok_or_else(flow_not_found)?;
    end_read(tx);
    Ok(web::Json(FlowDetail {
        flow,
        definition: version.definition,
        nodes: version.nodes,
    }))
}

/// Save a new version of a flow's definition; it becomes current (running executions keep
/// theirs).
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = SaveVersion,
    responses((status = 200, body = FlowDetail))
)]
#[put("/flows/{id}/definition")]
#[tracing::instrument(skip_all)]
pub async fn save_version(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    executor: web::Data<Executor>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<SaveVersion>,
) -> Result<web::Json<FlowDetail>, Problem> {
    let body = body.into_inner();
    check_nodes(&body.nodes)?;
    check_definition(&body.definition, &executor).map_err(|e| problems::invalid_definition(&e))?;
    let nodes = json!(body.nodes);
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let flow = store::lock_flow(&mut work, *id)
        .await?
        .ok_or_else(flow_not_found)?;
    store::add_version(&mut work, &flow, &body.definition, &nodes).await?;
    let flow = store::flow(&mut work, *id)
        .await?
        .ok_or_else(flow_not_found)?;
    work.publish_ids(RESOURCE, "flow.updated", &[flow.id])
        .await?;
    work.commit().await?;
    Ok(web::Json(FlowDetail {
        flow,
        definition: body.definition,
        nodes,
    }))
}

/// Change a flow's description or project.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = UpdateFlow,
    responses((status = 200, body = Flow))
)]
#[patch("/flows/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_flow(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<UpdateFlow>,
) -> Result<web::Json<Flow>, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    store::lock_flow(&mut work, *id)
        .await?
        .ok_or_else(flow_not_found)?;
    store::update_details(&mut work, *id, body.description.as_deref(), body.project_id)
        .await
        .map_err(project_problem)?;
    let flow = store::flow(&mut work, *id)
        .await?
        .ok_or_else(flow_not_found)?;
    work.publish_ids(RESOURCE, "flow.updated", &[flow.id])
        .await?;
    work.commit().await?;
    Ok(web::Json(flow))
}

/// Delete a flow (its executions and versions stay readable; its name can be reused).
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204))
)]
#[delete("/flows/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_flow(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    if !store::delete_flow(&mut work, *id).await? {
        return Err(flow_not_found());
    }
    work.publish_ids(RESOURCE, "flow.deleted", &[*id]).await?;
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A flow's versions, newest first.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<FlowVersion>))
)]
#[get("/flows/{id}/versions")]
#[tracing::instrument(skip_all)]
pub async fn list_versions(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<FlowVersion>>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    store::flow(&mut tx, *id)
        .await?
        .ok_or_else(flow_not_found)?;
    let versions = store::versions(&mut tx, *id).await?;
    end_read(tx);
    Ok(web::Json(versions))
}

/// Check a definition without saving it.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = ValidateDefinition,
    responses((status = 200, body = Validation))
)]
#[post("/flows/validate")]
#[tracing::instrument(skip_all)]
pub async fn validate_definition(
    executor: web::Data<Executor>,
    _principal: Scoped<scope::ProjectsRead>,
    body: web::Json<ValidateDefinition>,
) -> web::Json<Validation> {
    let errors = match check_definition(&body.definition, &executor) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .map(|e| DefinitionError {
                state: e.state,
                path: e.path,
                message: e.message,
            })
            .collect(),
    };
    web::Json(Validation {
        valid: errors.is_empty(),
        errors,
    })
}

/// The built-in flows to start from.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Template>))
)]
#[get("/templates")]
#[tracing::instrument(skip_all)]
pub async fn list_templates(_principal: Scoped<scope::ProjectsRead>) -> web::Json<Vec<Template>> {
    web::Json(crate::demo::templates())
}
