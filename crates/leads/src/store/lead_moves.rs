//! The SQL for moving a lead on the kanban board: the ranks of its new neighbours, and the
//! row update that puts it in its new stage and place.

use sqlx::PgConnection;
use uuid::Uuid;

/// The rank of `neighbour` if it is another live lead (not `lead`) in `stage`; its rank may be
/// `None`.
pub(crate) async fn neighbour_rank(
    conn: &mut PgConnection,
    neighbour: Uuid,
    stage: Uuid,
    lead: Uuid,
) -> Result<Option<Option<String>>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT rank FROM leads \
         WHERE id = $1 AND stage_id = $2 AND deleted_at IS NULL AND id <> $3",
        neighbour,
        stage,
        lead
    )
    .fetch_optional(conn)
    .await
}

/// The largest rank below `below` among the live leads of `stage` other than `lead`.
pub(crate) async fn rank_above(
    conn: &mut PgConnection,
    stage: Uuid,
    lead: Uuid,
    below: Option<&str>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT max(rank) AS "rank?" FROM leads WHERE stage_id = $1 AND deleted_at IS NULL
           AND id <> $2 AND rank < $3"#,
        stage,
        lead,
        below
    )
    .fetch_one(conn)
    .await
}

/// The smallest rank above `above` among the live leads of `stage` other than `lead`.
pub(crate) async fn rank_below(
    conn: &mut PgConnection,
    stage: Uuid,
    lead: Uuid,
    above: Option<&str>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT min(rank) AS "rank?" FROM leads WHERE stage_id = $1 AND deleted_at IS NULL
           AND id <> $2 AND rank > $3"#,
        stage,
        lead,
        above
    )
    .fetch_one(conn)
    .await
}

/// Where a lead goes.
pub(crate) struct LeadMove<'a> {
    pub stage: Uuid,
    pub pipeline: Uuid,
    pub rank: &'a str,
    pub actor: Option<Uuid>,
}

/// Puts lead `id` in its new stage, pipeline and rank, bumping the version.
pub(crate) async fn move_lead(
    conn: &mut PgConnection,
    id: Uuid,
    to: LeadMove<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE leads SET stage_id = $2, pipeline_id = $3, rank = $4, updated_by = $5, \
             version = version + 1, updated_at = now() \
         WHERE id = $1",
        id,
        to.stage,
        to.pipeline,
        to.rank,
        to.actor
    )
    .execute(conn)
    .await?;
    Ok(())
}
