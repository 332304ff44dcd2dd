//! Pipelines: CRUD, each with its ordered stages (the stages' own routes are in `stages.rs`).
//! A pipeline or stage that live leads are in cannot be deleted (409 `in_use`). Changes
//! publish `pipeline.*` events on `resources/pipelines`.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use kernel::cache::Cache;
use kernel::events::EventError;
use kernel::list::{Field, FieldType, ListPage, Listing, Order, Resource};
use kernel::{scope, tenant_tx, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::problems;

/// A pipeline with its stages in order.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Pipeline {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[sqlx(json)]
    pub stages: Vec<Stage>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct Stage {
    pub id: Uuid,
    pub pipeline_id: Uuid,
    pub name: String,
    /// 0-based order within the pipeline.
    pub position: i32,
    /// Chance of winning a lead in this stage, in percent.
    pub probability: i16,
    pub is_won: bool,
    pub is_lost: bool,
}

/// Pipelines with their stages in order, in one statement.
const SELECT_PIPELINES: &str = "SELECT p.id, p.name, p.created_at, p.updated_at, \
     (SELECT coalesce(json_agg(s ORDER BY s.position, s.id), '[]') FROM ( \
         SELECT id, pipeline_id, name, position, probability, is_won, is_lost \
         FROM lead_stages WHERE pipeline_id = p.id) s) AS stages \
     FROM lead_pipelines p";
pub(super) const SELECT_STAGES: &str =
    "SELECT id, pipeline_id, name, position, probability, is_won, is_lost FROM lead_stages";

static PIPELINES: Resource = Resource::new(
    "pipelines",
    &[
        Field::new("id", "p.id", FieldType::Uuid),
        Field::new("name", "p.name", FieldType::Text),
        Field::new("created_at", "p.created_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Asc), ("id", Order::Asc)])
.page_sizes(25, 200);

static LISTING: Listing = Listing::new(&PIPELINES, SELECT_PIPELINES);

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
    sqlx::query_as(&format!("{SELECT_PIPELINES} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(pipeline_not_found)
}

/// Inserts a stage at `position` (clamped to the end), shifting the later ones down.
pub(super) async fn insert_stage(
    conn: &mut PgConnection,
    pipeline: Uuid,
    stage: &NewStage,
) -> Result<Uuid, Problem> {
    stage.check()?;
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM lead_stages WHERE pipeline_id = $1")
        .bind(pipeline)
        .fetch_one(&mut *conn)
        .await?;
    let end = i32::try_from(count).unwrap_or(i32::MAX);
    let position = stage.position.map_or(end, |p| p.min(end));
    sqlx::query(
        "UPDATE lead_stages SET position = position + 1 WHERE pipeline_id = $1 AND position >= $2",
    )
    .bind(pipeline)
    .bind(position)
    .execute(&mut *conn)
    .await?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO lead_stages (tenant_id, id, pipeline_id, name, position, probability, is_won, is_lost) \
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(pipeline)
    .bind(&stage.name)
    .bind(position)
    .bind(stage.probability)
    .bind(stage.is_won)
    .bind(stage.is_lost)
    .execute(conn)
    .await?;
    Ok(id)
}

/// Renumbers a pipeline's stages 0, 1, 2, … in their current order.
pub(super) async fn renumber(conn: &mut PgConnection, pipeline: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE lead_stages s SET position = o.n - 1 FROM ( \
             SELECT id, row_number() OVER (ORDER BY position, id) AS n \
             FROM lead_stages WHERE pipeline_id = $1) o \
         WHERE s.id = o.id AND s.position <> o.n - 1",
    )
    .bind(pipeline)
    .execute(conn)
    .await?;
    Ok(())
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
    LISTING.respond(&db, &principal, &req).await
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
    sqlx::query(
        "INSERT INTO lead_pipelines (tenant_id, id, name) VALUES (kernel_current_tenant(), $1, $2)",
    )
    .bind(id)
    .bind(&body.name)
    .execute(&mut *work)
    .await?;
    for stage in &body.stages {
        insert_stage(&mut work, id, stage).await?;
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
    let found = sqlx::query(
        "UPDATE lead_pipelines SET name = coalesce($2, name), updated_at = now() WHERE id = $1",
    )
    .bind(*id)
    .bind(&body.name)
    .execute(&mut *work)
    .await?;
    if found.rows_affected() == 0 {
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
    let exists: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM lead_pipelines WHERE id = $1 FOR UPDATE")
            .bind(*id)
            .fetch_optional(&mut *work)
            .await?;
    exists.ok_or_else(pipeline_not_found)?;
    release_leads(&mut work, "pipeline_id", *id).await?;
    sqlx::query("DELETE FROM lead_pipelines WHERE id = $1")
        .bind(*id)
        .execute(&mut *work)
        .await?;
    publish(&mut work, "deleted", *id).await?;
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Refuses (409) while live leads are in the pipeline or stage; takes trashed leads out.
pub(super) async fn release_leads(
    conn: &mut PgConnection,
    column: &str,
    id: Uuid,
) -> Result<(), Problem> {
    let column = if column == "stage_id" {
        "stage_id"
    } else {
        "pipeline_id"
    };
    let live: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM leads WHERE {column} = $1 AND deleted_at IS NULL"
    ))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if live > 0 {
        return Err(
            problems::in_use(format!("{live} live lead(s) are in it; move them first."))
                .with_extension("lead_count", live.into()),
        );
    }
    sqlx::query(&format!(
        "UPDATE leads SET pipeline_id = NULL, stage_id = NULL, rank = NULL WHERE {column} = $1"
    ))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
