//! The SQL for a pipeline's stages: their list, one stage, and the writes that keep their
//! positions 0, 1, 2, … without gaps.

use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

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

static STAGES: Resource = Resource::new(
    "pipeline-stages",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("name", "name", FieldType::Text),
        Field::new("position", "position", FieldType::Int),
        Field::new("probability", "probability", FieldType::Int),
        Field::new("is_won", "is_won", FieldType::Bool),
        Field::new("is_lost", "is_lost", FieldType::Bool),
    ],
)
.default_sort(&[("position", Order::Asc), ("id", Order::Asc)])
.page_sizes(100, 200);

/// The stages of the pipeline given as the parent.
// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static STAGES_OF_PIPELINE: Listing = Listing::new(
    &STAGES,
    "SELECT id, pipeline_id, name, position, probability, is_won, is_lost FROM lead_stages",
)
.filtered("pipeline_id = $1");

/// Stage `id` of `pipeline`.
pub(crate) async fn find_stage(
    conn: &mut PgConnection,
    pipeline: Uuid,
    id: Uuid,
) -> Result<Option<Stage>, sqlx::Error> {
    sqlx::query_as!(
        Stage,
        "SELECT id, pipeline_id, name, position, probability, is_won, is_lost FROM lead_stages \
         WHERE pipeline_id = $1 AND id = $2",
        pipeline,
        id
    )
    .fetch_optional(conn)
    .await
}

/// The pipeline stage `id` belongs to, if it is a stage of the tenant.
pub(crate) async fn find_stage_pipeline(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!("SELECT pipeline_id FROM lead_stages WHERE id = $1", id)
        .fetch_optional(conn)
        .await
}

/// A stage to insert.
pub(crate) struct NewStageRow<'a> {
    pub name: &'a str,
    pub probability: i16,
    pub is_won: bool,
    pub is_lost: bool,
    /// Where to insert it (0-based, clamped to the end); the end when `None`.
    pub position: Option<i32>,
}

/// Inserts a stage at its position, shifting the later ones down; returns its id.
pub(crate) async fn insert_stage(
    conn: &mut PgConnection,
    pipeline: Uuid,
    stage: NewStageRow<'_>,
) -> Result<Uuid, sqlx::Error> {
    let count = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM lead_stages WHERE pipeline_id = $1"#,
        pipeline
    )
    .fetch_one(&mut *conn)
    .await?;
    let end = i32::try_from(count).unwrap_or(i32::MAX);
    let position = stage.position.map_or(end, |p| p.min(end));
    sqlx::query!(
        "UPDATE lead_stages SET position = position + 1 WHERE pipeline_id = $1 AND position >= $2",
        pipeline,
        position
    )
    .execute(&mut *conn)
    .await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO lead_stages \
             (tenant_id, id, pipeline_id, name, position, probability, is_won, is_lost) \
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7)",
        id,
        pipeline,
        stage.name,
        position,
        stage.probability,
        stage.is_won,
        stage.is_lost
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Moves stage `id` from position `from` to `to` (clamped to the end): takes it out, closes
/// the gap, opens a gap at the target and puts it there.
pub(crate) async fn move_stage(
    conn: &mut PgConnection,
    pipeline: Uuid,
    id: Uuid,
    from: i32,
    to: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE lead_stages SET position = position - 1 WHERE pipeline_id = $1 AND position > $2",
        pipeline,
        from
    )
    .execute(&mut *conn)
    .await?;
    let others = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM lead_stages WHERE pipeline_id = $1 AND id <> $2"#,
        pipeline,
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    let to = to.min(i32::try_from(others).unwrap_or(i32::MAX));
    sqlx::query!(
        "UPDATE lead_stages SET position = position + 1 \
         WHERE pipeline_id = $1 AND position >= $2 AND id <> $3",
        pipeline,
        to,
        id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("UPDATE lead_stages SET position = $2 WHERE id = $1", id, to)
        .execute(conn)
        .await?;
    Ok(())
}

/// A change to a stage: `None` keeps the name or probability; the flags are written as given.
pub(crate) struct StageChange<'a> {
    pub name: Option<&'a str>,
    pub probability: Option<i16>,
    pub is_won: bool,
    pub is_lost: bool,
}

/// Writes a stage's name, probability and won/lost flags.
pub(crate) async fn update_stage(
    conn: &mut PgConnection,
    id: Uuid,
    change: StageChange<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE lead_stages SET name = coalesce($2, name), \
             probability = coalesce($3, probability), is_won = $4, is_lost = $5 \
         WHERE id = $1",
        id,
        change.name,
        change.probability,
        change.is_won,
        change.is_lost
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Renumbers a pipeline's stages 0, 1, 2, … in their current order.
pub(crate) async fn renumber_stages(
    conn: &mut PgConnection,
    pipeline: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE lead_stages s SET position = o.n - 1 FROM ( \
             SELECT id, row_number() OVER (ORDER BY position, id) AS n \
             FROM lead_stages WHERE pipeline_id = $1) o \
         WHERE s.id = o.id AND s.position <> o.n - 1",
        pipeline
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_stage(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM lead_stages WHERE id = $1", id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How many live leads are in stage `id`.
pub(crate) async fn count_live_leads_in_stage(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM leads WHERE stage_id = $1 AND deleted_at IS NULL"#,
        id
    )
    .fetch_one(conn)
    .await
}

/// Takes every lead in stage `id` (the trashed ones, once no live lead is left) off its
/// pipeline and stage.
pub(crate) async fn detach_leads_from_stage(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE leads SET pipeline_id = NULL, stage_id = NULL, rank = NULL WHERE stage_id = $1",
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}
