//! The SQL for a lead's timeline as the routes read and write it: pages of entries, notes and
//! tasks, and moving entries to another lead (system entries are written by `crate::history`).

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

/// An entry of a lead's timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub id: Uuid,
    pub lead_id: Uuid,
    /// `note`, `task`, `system`, `call` or `email`.
    pub kind: String,
    pub body: String,
    /// Structured details (a system entry's field, before and after).
    #[schema(value_type = Object)]
    pub data: Value,
    /// Tasks: when the task is due.
    pub due_at: Option<DateTime<Utc>>,
    /// Tasks: whether it is done, and when it was done.
    pub done: bool,
    pub done_at: Option<DateTime<Utc>>,
    /// The user or API key that wrote it.
    pub author_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Up to `limit` entries of `lead`, newest first: those before `after` (a `created_at` and
/// id), of `kind` when given.
pub(crate) async fn timeline_page(
    conn: &mut PgConnection,
    lead: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    kind: Option<&str>,
    limit: i64,
) -> Result<Vec<TimelineEntry>, sqlx::Error> {
    let (after_at, after_id) = after.unzip();
    sqlx::query_as!(
        TimelineEntry,
        "SELECT id, lead_id, kind, body, data, due_at, done, done_at, author_id, created_at, \
             updated_at \
         FROM lead_timeline WHERE lead_id = $1 \
           AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3)) \
           AND ($4::text IS NULL OR kind = $4) \
         ORDER BY created_at DESC, id DESC LIMIT $5",
        lead,
        after_at,
        after_id,
        kind,
        limit
    )
    .fetch_all(conn)
    .await
}

/// A note or task to add to a lead's timeline.
pub(crate) struct NewEntry<'a> {
    pub lead: Uuid,
    /// `note` or `task`.
    pub kind: &'a str,
    pub body: &'a str,
    pub due_at: Option<DateTime<Utc>>,
    pub author: Option<Uuid>,
}

pub(crate) async fn insert_entry(
    conn: &mut PgConnection,
    entry: NewEntry<'_>,
) -> Result<TimelineEntry, sqlx::Error> {
    sqlx::query_as!(
        TimelineEntry,
        "INSERT INTO lead_timeline (tenant_id, id, lead_id, kind, body, due_at, author_id) \
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6) \
         RETURNING id, lead_id, kind, body, data, due_at, done, done_at, author_id, \
             created_at, updated_at",
        Uuid::now_v7(),
        entry.lead,
        entry.kind,
        entry.body,
        entry.due_at,
        entry.author
    )
    .fetch_one(conn)
    .await
}

/// A change to a note or task: `None` keeps a field; `due_at: Some(None)` clears the due
/// date; marking a task done records when.
pub(crate) struct EntryChange<'a> {
    pub body: Option<&'a str>,
    pub due_at: Option<Option<DateTime<Utc>>>,
    pub done: Option<bool>,
}

/// Changes entry `id` of `lead` if it is of `kind`; `None` when there is no such entry.
pub(crate) async fn update_entry(
    conn: &mut PgConnection,
    (lead, id): (Uuid, Uuid),
    kind: &str,
    change: EntryChange<'_>,
) -> Result<Option<TimelineEntry>, sqlx::Error> {
    sqlx::query_as!(
        TimelineEntry,
        "UPDATE lead_timeline SET body = coalesce($4, body), \
             due_at = CASE WHEN $5 THEN $6 ELSE due_at END, \
             done = coalesce($7, done), \
             done_at = CASE WHEN $7 IS NULL THEN done_at WHEN $7 AND NOT done THEN now() \
                            WHEN $7 THEN done_at END, \
             updated_at = now() \
         WHERE lead_id = $1 AND id = $2 AND kind = $3 \
         RETURNING id, lead_id, kind, body, data, due_at, done, done_at, author_id, \
             created_at, updated_at",
        lead,
        id,
        kind,
        change.body,
        change.due_at.is_some(),
        change.due_at.flatten(),
        change.done
    )
    .fetch_optional(conn)
    .await
}

/// Deletes entry `id` of `lead` if it is of `kind`, returning it; `None` when there is no
/// such entry.
pub(crate) async fn delete_entry(
    conn: &mut PgConnection,
    (lead, id): (Uuid, Uuid),
    kind: &str,
) -> Result<Option<TimelineEntry>, sqlx::Error> {
    sqlx::query_as!(
        TimelineEntry,
        "DELETE FROM lead_timeline WHERE lead_id = $1 AND id = $2 AND kind = $3 \
         RETURNING id, lead_id, kind, body, data, due_at, done, done_at, author_id, \
             created_at, updated_at",
        lead,
        id,
        kind
    )
    .fetch_optional(conn)
    .await
}

/// Moves every entry of lead `from` to lead `to`; returns how many moved.
pub(crate) async fn move_entries(
    conn: &mut PgConnection,
    from: Uuid,
    to: Uuid,
) -> Result<u64, sqlx::Error> {
    let moved = sqlx::query!(
        "UPDATE lead_timeline SET lead_id = $1 WHERE lead_id = $2",
        to,
        from
    )
    .execute(conn)
    .await?;
    Ok(moved.rows_affected())
}
