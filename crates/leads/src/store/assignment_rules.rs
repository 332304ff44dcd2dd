//! The SQL for round-robin assignment rules: their list, one rule, and its writes (the turns
//! themselves are taken in `crate::checks`).

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

/// A round-robin rule.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct AssignmentRule {
    pub id: Uuid,
    /// The lead source it applies to (lower case; matched case-insensitively).
    pub source: String,
    /// The members who take turns, in order.
    pub member_ids: Vec<Uuid>,
    /// How many leads it has assigned.
    pub assigned: i64,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

static RULES: Resource = Resource::new(
    "lead-assignment-rules",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("source", "source", FieldType::Text),
        Field::new("enabled", "enabled", FieldType::Bool),
        Field::new("created_at", "created_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Asc), ("id", Order::Asc)])
.page_sizes(25, 200);

/// The tenant's rules (the SELECT of [`find_rule`]).
// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static LISTING: Listing = Listing::new(
    &RULES,
    "SELECT id, source, member_ids, next_index AS assigned, enabled, created_at, updated_at \
     FROM lead_assignment_rules",
);

pub(crate) async fn find_rule(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<AssignmentRule>, sqlx::Error> {
    sqlx::query_as!(
        AssignmentRule,
        "SELECT id, source, member_ids, next_index AS assigned, enabled, created_at, updated_at \
         FROM lead_assignment_rules WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// A rule to insert.
pub(crate) struct NewRuleRow<'a> {
    pub id: Uuid,
    pub source: &'a str,
    pub member_ids: &'a [Uuid],
    pub enabled: bool,
}

/// Inserts a rule; `false` when the tenant has a rule for this source.
pub(crate) async fn insert_rule(
    conn: &mut PgConnection,
    rule: NewRuleRow<'_>,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query!(
        "INSERT INTO lead_assignment_rules (tenant_id, id, source, member_ids, enabled) \
         VALUES (kernel_current_tenant(), $1, $2, $3, $4) ON CONFLICT DO NOTHING",
        rule.id,
        rule.source,
        rule.member_ids,
        rule.enabled
    )
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() > 0)
}

/// Changes a rule's members (restarting the turns) and whether it is on; `None` keeps either.
pub(crate) async fn update_rule(
    conn: &mut PgConnection,
    id: Uuid,
    member_ids: Option<&[Uuid]>,
    enabled: Option<bool>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE lead_assignment_rules SET member_ids = coalesce($2, member_ids), \
             next_index = CASE WHEN $2 IS NULL THEN next_index ELSE 0 END, \
             enabled = coalesce($3, enabled), updated_at = now() WHERE id = $1",
        id,
        member_ids,
        enabled
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes a rule; `false` when there is no such rule.
pub(crate) async fn delete_rule(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let deleted = sqlx::query!("DELETE FROM lead_assignment_rules WHERE id = $1", id)
        .execute(conn)
        .await?;
    Ok(deleted.rows_affected() > 0)
}
