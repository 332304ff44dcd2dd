//! A pipeline's stages: list, add at a position, change or move, delete. A stage has a win
//! probability and may be the won or the lost stage. Changes publish `pipeline.updated`.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::list::ListPage;
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::Deserialize;
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::pipelines::{
    add_stage, load, lock_pipeline, publish, refuse_while_live, stage_not_found, NewStage,
};
use crate::problems;
use crate::store::stages::{self, Stage, StageChange};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StagePatch {
    #[validate(length(min = 1, max = 100), custom(function = "crate::fields::no_nul"))]
    pub name: Option<String>,
    #[validate(range(min = 0, max = 100))]
    pub probability: Option<i16>,
    pub is_won: Option<bool>,
    pub is_lost: Option<bool>,
    /// Move it to this place (0-based); the others shift.
    #[validate(range(min = 0))]
    pub position: Option<i32>,
}

/// A pipeline's stages in order (Refine's list protocol).
#[utoipa::path(
    tag = "pipelines",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = Vec<Stage>, headers(("X-Total-Count" = i64))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_list_query"),
    )
)]
#[get("/{id}/stages")]
#[tracing::instrument(skip_all)]
pub async fn list_stages(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<ListPage<Stage>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let pipeline = load(&mut tx, *id).await?;
    end_read(tx);
    stages::STAGES_OF_PIPELINE
        .respond_within(&db, &principal, &req, pipeline.id)
        .await
}

/// Add a stage to a pipeline (at `position`, the end by default).
#[utoipa::path(
    tag = "pipelines",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = NewStage,
    responses(
        (status = 201, body = Stage),
    )
)]
#[post("/{id}/stages")]
#[tracing::instrument(skip_all)]
pub async fn create_stage(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<NewStage>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    lock_pipeline(&mut work, *id).await?;
    let stage_id = add_stage(&mut work, *id, &body).await?;
    let stage = stage(&mut work, *id, stage_id).await?;
    publish(&mut work, "updated", *id).await?;
    work.commit().await?;
    Ok(HttpResponse::Created().json(stage))
}

async fn stage(conn: &mut PgConnection, pipeline: Uuid, id: Uuid) -> Result<Stage, Problem> {
    stages::find_stage(conn, pipeline, id)
        .await?
        .ok_or_else(stage_not_found)
}

/// Change a stage, or move it to another position.
#[utoipa::path(
    tag = "pipelines",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("stage_id" = Uuid, Path)),
    request_body = StagePatch,
    responses(
        (status = 200, body = Stage),
    )
)]
#[patch("/{id}/stages/{stage_id}")]
#[tracing::instrument(skip_all)]
pub async fn update_stage(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidatedJson<StagePatch>,
) -> Result<HttpResponse, Problem> {
    let (pipeline, stage_id) = path.into_inner();
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    lock_pipeline(&mut work, pipeline).await?;
    let current = stage(&mut work, pipeline, stage_id).await?;
    let (is_won, is_lost) = (
        body.is_won.unwrap_or(current.is_won),
        body.is_lost.unwrap_or(current.is_lost),
    );
    if is_won && is_lost {
        return Err(problems::invalid(
            "is_won",
            "a stage cannot be both won and lost",
        ));
    }
    if let Some(to) = body.position {
        stages::move_stage(&mut work, pipeline, stage_id, current.position, to).await?;
    }
    let change = StageChange {
        name: body.name.as_deref(),
        probability: body.probability,
        is_won,
        is_lost,
    };
    stages::update_stage(&mut work, stage_id, change).await?;
    stages::renumber_stages(&mut work, pipeline).await?;
    let stage = stage(&mut work, pipeline, stage_id).await?;
    publish(&mut work, "updated", pipeline).await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(stage))
}

/// Delete a stage (409 `in_use` while live leads are in it).
#[utoipa::path(
    tag = "pipelines",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("stage_id" = Uuid, Path)),
    responses(
        (status = 204),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "in_use"),
    )
)]
#[delete("/{id}/stages/{stage_id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_stage(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    let (pipeline, stage_id) = path.into_inner();
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    lock_pipeline(&mut work, pipeline).await?;
    stage(&mut work, pipeline, stage_id).await?;
    refuse_while_live(stages::count_live_leads_in_stage(&mut work, stage_id).await?)?;
    stages::detach_leads_from_stage(&mut work, stage_id).await?;
    stages::delete_stage(&mut work, stage_id).await?;
    stages::renumber_stages(&mut work, pipeline).await?;
    publish(&mut work, "updated", pipeline).await?;
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
