//! Enrollments (table `outreach_enrollments`): a lead in a campaign, and where it stands.

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Enrollment {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub lead_id: Uuid,
    pub email: String,
    /// `active`, `finished` (every step sent) or `stopped`.
    pub status: String,
    /// Why it stopped: `replied`, `auto_replied`, `bounced`, `unsubscribed`, `suppressed`,
    /// `company_replied`, `manual`, `lead_gone`, `template_error`, `send_failed`,
    /// `mailbox_gone`.
    pub stop_reason: Option<String>,
    /// The next step to send (0-based).
    pub next_step: i32,
    /// When the next step is due (absent while one is being sent, or when none is left).
    pub next_at: Option<DateTime<Utc>>,
    pub mailbox_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

static ENROLLMENTS: Resource = Resource::new(
    "outreach_enrollments",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("campaign_id", "campaign_id", FieldType::Uuid),
        Field::new("lead_id", "lead_id", FieldType::Uuid),
        Field::new("email", "email", FieldType::Text),
        Field::new("status", "status", FieldType::Text),
        Field::new("stop_reason", "stop_reason", FieldType::Text),
        Field::new("next_at", "next_at", FieldType::Timestamp),
        Field::new("created_at", "created_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 500);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static ENROLLMENT_LIST: Listing = Listing::new(
    &ENROLLMENTS,
    "SELECT id, campaign_id, lead_id, email, status, stop_reason, next_step, next_at, \
     mailbox_id, created_at, updated_at FROM outreach_enrollments",
);

/// Enrolls the leads (`ids[i]` with `emails[i]`), due at `due`; answers the lead ids enrolled
/// now (leads enrolled before are left as they are).
pub(crate) async fn insert_many(
    conn: &mut PgConnection,
    campaign: Uuid,
    leads: &[Uuid],
    emails: &[String],
    due: DateTime<Utc>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let ids: Vec<Uuid> = leads.iter().map(|_| Uuid::now_v7()).collect();
    sqlx::query_scalar!(
        "INSERT INTO outreach_enrollments (tenant_id, id, campaign_id, lead_id, email, next_at)
         SELECT kernel_current_tenant(), e.id, $1, e.lead_id, e.email, $5
         FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS e(id, lead_id, email)
         ON CONFLICT (tenant_id, campaign_id, lead_id) DO NOTHING
         RETURNING lead_id",
        campaign,
        &ids,
        leads,
        emails,
        due
    )
    .fetch_all(conn)
    .await
}

/// The leads among `leads` already in `campaign`.
pub(crate) async fn enrolled_among(
    conn: &mut PgConnection,
    campaign: Uuid,
    leads: &[Uuid],
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT lead_id FROM outreach_enrollments WHERE campaign_id = $1 AND lead_id = ANY($2)",
        campaign,
        leads
    )
    .fetch_all(conn)
    .await
}

/// An enrollment the planner is about to plan, locked (other planners skip it).
#[derive(Debug, Clone)]
pub(crate) struct Due {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub lead_id: Uuid,
    pub next_step: i32,
    pub mailbox_id: Option<Uuid>,
}

pub(crate) async fn lock_due(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    batch: i64,
) -> Result<Vec<Due>, sqlx::Error> {
    sqlx::query_as!(
        Due,
        "SELECT e.id, e.campaign_id, e.lead_id, e.next_step, e.mailbox_id
         FROM outreach_enrollments e
         JOIN outreach_campaigns c ON c.tenant_id = e.tenant_id AND c.id = e.campaign_id
         WHERE e.status = 'active' AND e.next_at <= $1 AND c.status = 'active'
         ORDER BY e.next_at, e.id
         LIMIT $2
         FOR UPDATE OF e SKIP LOCKED",
        now,
        batch
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn defer(
    conn: &mut PgConnection,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outreach_enrollments SET next_at = $2, updated_at = now() WHERE id = $1",
        id,
        at
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// The step was planned: the next one waits for this one to be sent.
pub(crate) async fn planned(
    conn: &mut PgConnection,
    id: Uuid,
    mailbox: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outreach_enrollments
         SET next_step = next_step + 1, next_at = NULL, mailbox_id = $2, updated_at = now()
         WHERE id = $1",
        id,
        mailbox
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// After a step was sent: due again at `next_at`, or finished when no step is left.
pub(crate) async fn advance(
    conn: &mut PgConnection,
    id: Uuid,
    next_at: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outreach_enrollments
         SET next_at = $2,
             status = CASE WHEN $2::timestamptz IS NULL THEN 'finished' ELSE status END,
             updated_at = now()
         WHERE id = $1 AND status = 'active'",
        id,
        next_at
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// Stops an active enrollment for `reason`; `false` when it was not active.
pub(crate) async fn stop(
    conn: &mut PgConnection,
    id: Uuid,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE outreach_enrollments
         SET status = 'stopped', stop_reason = $2, next_at = NULL, updated_at = now()
         WHERE id = $1 AND status = 'active'",
        id,
        reason
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stops every active enrollment writing to `email` (unsubscribed, bounced); answers how many.
pub(crate) async fn stop_address(
    conn: &mut PgConnection,
    email: &str,
    reason: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE outreach_enrollments
         SET status = 'stopped', stop_reason = $2, next_at = NULL, updated_at = now()
         WHERE lower(email) = lower($1) AND status = 'active'",
        email,
        reason
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// An enrollment's status and the step it plans next.
pub(crate) async fn progress(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<(String, i32)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT status, next_step FROM outreach_enrollments WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.status, r.next_step)))
}

/// Stops the active enrollments of `campaign` whose address is at `domain`; answers them.
pub(crate) async fn stop_domain(
    conn: &mut PgConnection,
    campaign: Uuid,
    domain: &str,
    reason: &str,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "UPDATE outreach_enrollments
         SET status = 'stopped', stop_reason = $3, next_at = NULL, updated_at = now()
         WHERE campaign_id = $1 AND status = 'active'
           AND lower(split_part(email, '@', 2)) = lower($2)
         RETURNING id",
        campaign,
        domain,
        reason
    )
    .fetch_all(conn)
    .await
}
