//! Pipelines: CRUD, each with its ordered stages (the stages' own routes are in `stages.rs`).
//! A pipeline or stage that live leads are in cannot be deleted (409 `in_use`). Changes
//! publish `pipeline.*` events on `resources/pipelines`.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::events::EventError;
use kernel::list::ListPage;
use kernel::{scope, tenant_tx, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::Deserialize;
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::problems;
use crate::store::pipelines::{self, Pipeline};
use crate::store::stages::{self, NewStageRow};

pub(super) fn pipeline_not_found() -> Problem {
    Problem::not_found("Pipeline")
}

pub(super) fn stage_not_found() -> Problem {
    Problem::not_found("Stage")
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStage {
    #[validate(length(min = 1, max = 100), custom(function = "crate::fields::no_nul"))]
    pub name: String,
    #[validate(range(min = 0, max = 100))]
    #[serde(default)]
    pub probability: i16,
    #[serde(default)]
    pub is_won: bool,
    #[serde(default)]
    pub is_lost: bool,
    /// Where to insert it (0-based); the end by default.
    #[validate(range(min = 0))]
    pub position: Option<i32>,
}

impl NewStage {
    fn check(&self) -> Result<(), Problem> {
        if self.is_won && self.is_lost {
            return Err(problems::invalid(
                "is_won",
                "a stage cannot be both won and lost",
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPipeline {
    #[validate(length(min = 1, max = 100), custom(function = "crate::fields::no_nul"))]
    pub name: String,
    /// Its stages in order (at most 50).
    #[validate(nested)]
    #[serde(default)]
    pub stages: Vec<NewStage>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelinePatch {
    #[validate(length(min = 1, max = 100), custom(function = "crate::fields::no_nul"))]
    pub name: Option<String>,
}

pub(super) async fn load(conn: &mut PgConnection, id: Uuid) -> Result<Pipeline, Problem> {
    pipelines::find_pipeline(conn, id)
        .await?
        .ok_or_else(pipeline_not_found)
}

/// Locks the pipeline row, so stage positions change one request at a time.
pub(super) async fn lock_pipeline(conn: &mut PgConnection, id: Uuid) -> Result<(), Problem> {
    if pipelines::lock_pipeline(conn, id).await? {
        Ok(())
    } else {
        Err(pipeline_not_found())
    }
}

/// Inserts a stage at its `position` (clamped to the end), shifting the later ones down.
pub(super) async fn add_stage(
    conn: &mut PgConnection,
    pipeline: Uuid,
    stage: &NewStage,
) -> Result<Uuid, Problem> {
    stage.check()?;
    let row = NewStageRow {
        name: &stage.name,
        probability: stage.probability,
        is_won: stage.is_won,
        is_lost: stage.is_lost,
        position: stage.position,
    };
    Ok(stages::insert_stage(conn, pipeline, row).await?)
}

/// Publishes `pipeline.<what>` for pipeline `id` in `work`.
pub(super) async fn publish(work: &mut UnitOfWork, what: &str, id: Uuid) -> Result<(), EventError> {
    work.publish_ids("pipelines", &format!("pipeline.{what}"), &[id])
        .await
}

/// List pipelines (Refine's list protocol), each with its stages.
#[utoipa::path(
    tag = "pipelines",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Vec<Pipeline>, headers(("X-Total-Count" = i64))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_list_query"),
    )
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_pipelines(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
    req: HttpRequest,
) -> Result<ListPage<Pipeline>, Problem> {
    pipelines::LISTING.respond(&db, &principal, &req).await
}

/// Create a pipeline, with its stages in order.
#[utoipa::path(
    tag = "pipelines",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = NewPipeline,
    responses(
        (status = 201, body = Pipeline),
    )
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_pipeline(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    body: ValidatedJson<NewPipeline>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    if body.stages.len() > 50 {
        return Err(problems::invalid("stages", "at most 50 stages"));
    }
    if let Some(i) = body.stages.iter().position(|s| s.is_won && s.is_lost) {
        return Err(problems::invalid(
            &format!("stages[{i}].is_won"),
            "a stage cannot be both won and lost",
        ));
    }
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let id = Uuid::now_v7();
    pipelines::insert_pipeline(&mut work, id, &body.name).await?;
    for stage in &body.stages {
        add_stage(&mut work, id, stage).await?;
    }
    let pipeline = load(&mut work, id).await?;
    publish(&mut work, "created", id).await?;
    work.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/pipelines/{id}")))
        .json(pipeline))
}

/// One pipeline with its stages.
#[utoipa::path(
    tag = "pipelines",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Pipeline))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_pipeline(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut tx = tenant_tx(&db, &principal).await?;
    let pipeline = load(&mut tx, *id).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(pipeline))
}

/// Rename a pipeline.
#[utoipa::path(
    tag = "pipelines",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = PipelinePatch,
    responses((status = 200, body = Pipeline))
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_pipeline(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<PipelinePatch>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    if !pipelines::update_pipeline(&mut work, *id, body.name.as_deref()).await? {
        return Err(pipeline_not_found());
    }
    let pipeline = load(&mut work, *id).await?;
    publish(&mut work, "updated", *id).await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(pipeline))
}

/// Delete a pipeline and its stages (409 `in_use` while live leads are in it; leads in the
/// trash leave it).
#[utoipa::path(
    tag = "pipelines",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 204),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "in_use"),
    )
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_pipeline(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    lock_pipeline(&mut work, *id).await?;
    refuse_while_live(pipelines::count_live_leads_in_pipeline(&mut work, *id).await?)?;
    pipelines::detach_leads_from_pipeline(&mut work, *id).await?;
    pipelines::delete_pipeline(&mut work, *id).await?;
    publish(&mut work, "deleted", *id).await?;
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Refuses (409) to delete a pipeline or stage while `live` leads are in it (the trashed ones
/// are then taken out of it).
pub(super) fn refuse_while_live(live: i64) -> Result<(), Problem> {
    if live > 0 {
        return Err(
            problems::in_use(format!("{live} live lead(s) are in it; move them first."))
                .with_extension("lead_count", live.into()),
        );
    }
    Ok(())
}
