//! The SQL for pipelines: their list, one pipeline with its stages, and the pipeline row's
//! writes (its stages' are in [`super::stages`]).

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::Serialize;
use sqlx::types::Json;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use super::stages::Stage;

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

/// A [`Pipeline`] as [`find_pipeline`] reads it: the stages as one JSON array.
struct PipelineRow {
    id: Uuid,
    name: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    stages: Json<Vec<Stage>>,
}

impl From<PipelineRow> for Pipeline {
    fn from(row: PipelineRow) -> Self {
        Pipeline {
            id: row.id,
            name: row.name,
            created_at: row.created_at,
            updated_at: row.updated_at,
            stages: row.stages.0,
        }
    }
}

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

/// Pipelines with their stages in order, in one statement (the SELECT of [`find_pipeline`]).
// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static LISTING: Listing = Listing::new(
    &PIPELINES,
    "SELECT p.id, p.name, p.created_at, p.updated_at, \
     (SELECT coalesce(json_agg(s ORDER BY s.position, s.id), '[]') FROM ( \
         SELECT id, pipeline_id, name, position, probability, is_won, is_lost \
         FROM lead_stages WHERE pipeline_id = p.id) s) AS stages \
     FROM lead_pipelines p",
);

/// Pipeline `id` with its stages in order.
pub(crate) async fn find_pipeline(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Pipeline>, sqlx::Error> {
    let row = sqlx::query_as!(
        PipelineRow,
        r#"SELECT p.id, p.name, p.created_at, p.updated_at,
             (SELECT coalesce(json_agg(s ORDER BY s.position, s.id), '[]') FROM (
                 SELECT id, pipeline_id, name, position, probability, is_won, is_lost
                 FROM lead_stages WHERE pipeline_id = p.id) s) AS "stages!: Json<Vec<Stage>>"
           FROM lead_pipelines p WHERE p.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(Pipeline::from))
}

pub(crate) async fn insert_pipeline(
    conn: &mut PgConnection,
    id: Uuid,
    name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO lead_pipelines (tenant_id, id, name) VALUES (kernel_current_tenant(), $1, $2)",
        id,
        name
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Renames pipeline `id` (`None` keeps its name) and marks it updated; `false` when there is
/// no such pipeline.
pub(crate) async fn update_pipeline(
    conn: &mut PgConnection,
    id: Uuid,
    name: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query!(
        "UPDATE lead_pipelines SET name = coalesce($2, name), updated_at = now() WHERE id = $1",
        id,
        name
    )
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() > 0)
}

/// Locks pipeline `id` until the transaction ends, so its stage positions change one request
/// at a time; `false` when there is no such pipeline.
pub(crate) async fn lock_pipeline(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let found = sqlx::query_scalar!("SELECT id FROM lead_pipelines WHERE id = $1 FOR UPDATE", id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// Deletes pipeline `id` and (by cascade) its stages.
pub(crate) async fn delete_pipeline(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM lead_pipelines WHERE id = $1", id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How many live leads are in pipeline `id`.
pub(crate) async fn count_live_leads_in_pipeline(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM leads WHERE pipeline_id = $1 AND deleted_at IS NULL"#,
        id
    )
    .fetch_one(conn)
    .await
}

/// Takes every lead in pipeline `id` (the trashed ones, once no live lead is left) off its
/// pipeline and stage.
pub(crate) async fn detach_leads_from_pipeline(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE leads SET pipeline_id = NULL, stage_id = NULL, rank = NULL WHERE pipeline_id = $1",
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}
