//! A project's runs: start one, end it, list them, read one with what it cost.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::list::ListPage;
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::StateCache;
use crate::store::costs::{self as costs_store, ResourceCost};
use crate::store::projects as project_store;
use crate::store::runs::{self as store, Run, RUN_LIST};
use crate::tree::publish;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRun {
    /// What runs: `nightly`, `import orders`, a flow's name.
    #[validate(length(min = 1, max = 200))]
    pub name: String,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RunOutcome {
    Succeeded,
    Failed,
    Cancelled,
}

impl RunOutcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinishRun {
    pub status: RunOutcome,
    #[validate(length(max = 4000))]
    pub error: Option<String>,
}

/// A run with what it cost.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunDetail {
    #[serde(flatten)]
    pub run: Run,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "0.42")]
    pub cost: Decimal,
    pub usage: Vec<ResourceCost>,
}

async fn publish_run(work: &mut UnitOfWork, run: &Run, version: i64) -> Result<(), Problem> {
    let payload = json!({"runId": run.id, "status": run.status, "version": version});
    Ok(publish(work, run.project_id, "run.updated", payload).await?)
}

/// Start a run of a project (it shows among the state document's active jobs until it ends).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = StartRun,
    responses((status = 201, body = Run))
)]
#[post("/{id}/runs")]
#[tracing::instrument(skip_all)]
pub async fn start_run(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    states: web::Data<StateCache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<StartRun>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    super::lock_project(&mut work, *id).await?;
    let run = store::insert_run(&mut work, *id, Uuid::now_v7(), &body.name).await?;
    let version = project_store::touch_state(&mut work, *id).await?;
    publish_run(&mut work, &run, version).await?;
    work.commit().await?;
    states.forget(principal.tenant_id, *id);
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/projects/{id}/runs/{}", run.id)))
        .json(run))
}

/// End a running run. A run that has already ended is answered as it is.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("run_id" = Uuid, Path)),
    request_body = FinishRun,
    responses((status = 200, body = Run))
)]
#[patch("/{id}/runs/{run_id}")]
#[tracing::instrument(skip_all)]
pub async fn finish_run(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    states: web::Data<StateCache>,
    principal: Scoped<scope::ProjectsWrite>,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidatedJson<FinishRun>,
) -> Result<web::Json<Run>, Problem> {
    let (project, run_id) = path.into_inner();
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    super::lock_project(&mut work, project).await?;
    let finished = store::finish_run(
        &mut work,
        project,
        run_id,
        body.status.as_str(),
        body.error.as_deref(),
    )
    .await?;
    let run = match finished {
        Some(run) => {
            let version = project_store::touch_state(&mut work, project).await?;
            publish_run(&mut work, &run, version).await?;
            run
        }
        None => store::run(&mut work, project, run_id)
            .await?
            .ok_or_else(|| Problem::not_found("Run"))?,
    };
    work.commit().await?;
    states.forget(principal.tenant_id, project);
    Ok(web::Json(run))
}

/// A project's runs, newest first (Refine's list protocol).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Run>, headers(("X-Total-Count" = i64))))
)]
#[get("/{id}/runs")]
#[tracing::instrument(skip_all)]
pub async fn list_runs(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<ListPage<Run>, Problem> {
    RUN_LIST.respond_within(&db, &principal, &req, *id).await
}

/// One run with its cost by resource.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("run_id" = Uuid, Path)),
    responses((status = 200, body = RunDetail))
)]
#[get("/{id}/runs/{run_id}")]
#[tracing::instrument(skip_all)]
pub async fn get_run(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<RunDetail>, Problem> {
    let (project, run_id) = path.into_inner();
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let run = store::run(&mut tx, project, run_id)
        .await?
        .ok_or_else(|| Problem::not_found("Run"))?;
    let usage = costs_store::run_by_resource(&mut tx, run_id).await?;
    end_read(tx);
    Ok(web::Json(RunDetail {
        cost: usage.iter().map(|u| u.amount).sum(),
        run,
        usage,
    }))
}
