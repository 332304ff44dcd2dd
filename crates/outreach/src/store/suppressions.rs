//! The suppression list (table `outreach_suppressions`): addresses never written to again.

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Suppression {
    /// Lower case.
    pub email: String,
    /// `unsubscribed`, `bounced`, `complaint` or `manual`.
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

static SUPPRESSIONS: Resource = Resource::new(
    "outreach_suppressions",
    &[
        Field::new("email", "email", FieldType::Text),
        Field::new("reason", "reason", FieldType::Text),
        Field::new("created_at", "created_at", FieldType::Timestamp),
    ],
)
.search("strpos(email, lower($q)) > 0")
.default_sort(&[("created_at", Order::Desc), ("email", Order::Asc)])
.page_sizes(25, 1000);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static SUPPRESSION_LIST: Listing = Listing::new(
    &SUPPRESSIONS,
    "SELECT email, reason, created_at FROM outreach_suppressions",
);

/// Adds addresses (lower-cased by the caller); answers those that were not listed yet.
pub(crate) async fn insert_many(
    conn: &mut PgConnection,
    emails: &[String],
    reason: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO outreach_suppressions (tenant_id, email, reason)
         SELECT kernel_current_tenant(), e, $2 FROM unnest($1::text[]) AS e
         ON CONFLICT (tenant_id, email) DO NOTHING
         RETURNING email",
        emails,
        reason
    )
    .fetch_all(conn)
    .await
}

/// The addresses among `emails` (lower case) that are suppressed, with why.
pub(crate) async fn among(
    conn: &mut PgConnection,
    emails: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT email, reason FROM outreach_suppressions WHERE email = ANY($1)",
        emails
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.email, r.reason)).collect())
}

pub(crate) async fn delete(conn: &mut PgConnection, email: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM outreach_suppressions WHERE email = lower($1)",
        email
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The whole list, by address (the CSV export).
pub(crate) async fn all(conn: &mut PgConnection) -> Result<Vec<Suppression>, sqlx::Error> {
    sqlx::query_as!(
        Suppression,
        "SELECT email, reason, created_at FROM outreach_suppressions ORDER BY email"
    )
    .fetch_all(conn)
    .await
}
