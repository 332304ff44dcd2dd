//! Messages (table `outreach_messages`): the send log, one row per (enrollment, step), written
//! before anything is handed to a provider.

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

/// One message of the send log.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Message {
    pub id: Uuid,
    pub enrollment_id: Uuid,
    pub campaign_id: Uuid,
    pub lead_id: Uuid,
    pub mailbox_id: Uuid,
    /// The step (0-based) and the variant of it that was chosen.
    pub step: i32,
    pub variant: i32,
    pub to_address: String,
    pub subject: String,
    /// The RFC 5322 Message-ID (replies are matched on it).
    pub message_id: String,
    /// `queued`, `sending`, `sent`, `bounced`, `failed`, `unknown` (the connection broke
    /// mid-message: never sent again) or `cancelled`.
    pub state: String,
    pub scheduled_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    /// The provider's last answer or error.
    pub response: Option<String>,
    pub unsubscribed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

static MESSAGES: Resource = Resource::new(
    "outreach_messages",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("campaign_id", "campaign_id", FieldType::Uuid),
        Field::new("enrollment_id", "enrollment_id", FieldType::Uuid),
        Field::new("lead_id", "lead_id", FieldType::Uuid),
        Field::new("mailbox_id", "mailbox_id", FieldType::Uuid),
        Field::new("step", "step", FieldType::Int),
        Field::new("to_address", "to_address", FieldType::Text),
        Field::new("state", "state", FieldType::Text),
        Field::new("scheduled_at", "scheduled_at", FieldType::Timestamp),
        Field::new("sent_at", "sent_at", FieldType::Timestamp),
        Field::new("created_at", "created_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 500);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static MESSAGE_LIST: Listing = Listing::new(
    &MESSAGES,
    "SELECT id, enrollment_id, campaign_id, lead_id, mailbox_id, step, variant, to_address, \
     subject, message_id, state, scheduled_at, sent_at, attempts, response, unsubscribed_at, \
     created_at FROM outreach_messages",
);

/// A message planned for sending.
pub(crate) struct NewMessage<'a> {
    pub id: Uuid,
    pub enrollment_id: Uuid,
    pub campaign_id: Uuid,
    pub lead_id: Uuid,
    pub mailbox_id: Uuid,
    pub step: i32,
    pub variant: i32,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub message_id: &'a str,
    pub scheduled_at: DateTime<Utc>,
}

/// Plans a message; `false` when its (enrollment, step) has one already.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    m: &NewMessage<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO outreach_messages (tenant_id, id, enrollment_id, campaign_id, lead_id,
             mailbox_id, step, variant, to_address, subject, body, message_id, scheduled_at)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (tenant_id, enrollment_id, step) DO NOTHING",
        m.id,
        m.enrollment_id,
        m.campaign_id,
        m.lead_id,
        m.mailbox_id,
        m.step,
        m.variant,
        m.to_address,
        m.subject,
        m.body,
        m.message_id,
        m.scheduled_at,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What the sender needs of a message, locked until its transaction ends.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub id: Uuid,
    pub enrollment_id: Uuid,
    pub campaign_id: Uuid,
    pub lead_id: Uuid,
    pub mailbox_id: Uuid,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub message_id: String,
    pub state: String,
}

pub(crate) async fn lock(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Outgoing>, sqlx::Error> {
    sqlx::query_as!(
        Outgoing,
        "SELECT id, enrollment_id, campaign_id, lead_id, mailbox_id, to_address, subject, body,
                message_id, state
         FROM outreach_messages WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Moves a message to `state`, recording the provider's answer.
pub(crate) async fn set_state(
    conn: &mut PgConnection,
    id: Uuid,
    state: &str,
    response: Option<&str>,
) -> Result<(), sqlx::Error> {
    let response = response.map(|r| r.chars().take(2000).collect::<String>());
    sqlx::query!(
        "UPDATE outreach_messages
         SET state = $2,
             response = coalesce($3, response),
             attempts = attempts + CASE WHEN $2 = 'sending' THEN 1 ELSE 0 END,
             sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
         WHERE id = $1",
        id,
        state,
        response
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// Cancels the queued messages of enrollments writing to `email`.
pub(crate) async fn cancel_to(conn: &mut PgConnection, email: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE outreach_messages SET state = 'cancelled'
         WHERE lower(to_address) = lower($1) AND state = 'queued'",
        email
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Marks the message unsubscribed; answers its address, `None` when there is no such message.
pub(crate) async fn mark_unsubscribed(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<(String, Uuid, Uuid)>, sqlx::Error> {
    let row = sqlx::query!(
        "UPDATE outreach_messages SET unsubscribed_at = coalesce(unsubscribed_at, now())
         WHERE id = $1 RETURNING to_address, lead_id, campaign_id",
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.to_address, r.lead_id, r.campaign_id)))
}

/// Cancels the queued message of an enrollment.
pub(crate) async fn cancel_of_enrollment(
    conn: &mut PgConnection,
    enrollment: Uuid,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE outreach_messages SET state = 'cancelled'
         WHERE enrollment_id = $1 AND state = 'queued'",
        enrollment
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// One of our messages that something came back for.
#[derive(Debug, Clone)]
pub(crate) struct Answered {
    pub id: Uuid,
    pub enrollment_id: Uuid,
    pub campaign_id: Uuid,
    pub lead_id: Uuid,
    pub mailbox_id: Uuid,
    pub to_address: String,
}

/// The newest of our messages among these Message-IDs (angle brackets included).
pub(crate) async fn by_message_ids(
    conn: &mut PgConnection,
    ids: &[String],
) -> Result<Option<Answered>, sqlx::Error> {
    sqlx::query_as!(
        Answered,
        "SELECT id, enrollment_id, campaign_id, lead_id, mailbox_id, to_address
         FROM outreach_messages WHERE message_id = ANY($1)
         ORDER BY created_at DESC LIMIT 1",
        ids
    )
    .fetch_optional(conn)
    .await
}

/// The newest message sent (or maybe sent) to `address`, from `mailbox` when given.
pub(crate) async fn latest_to(
    conn: &mut PgConnection,
    mailbox: Option<Uuid>,
    address: &str,
) -> Result<Option<Answered>, sqlx::Error> {
    sqlx::query_as!(
        Answered,
        "SELECT id, enrollment_id, campaign_id, lead_id, mailbox_id, to_address
         FROM outreach_messages
         WHERE lower(to_address) = lower($2) AND ($1::uuid IS NULL OR mailbox_id = $1)
           AND state IN ('sent', 'unknown', 'bounced')
         ORDER BY created_at DESC LIMIT 1",
        mailbox,
        address
    )
    .fetch_optional(conn)
    .await
}

/// A message that went out bounced later (a delivery status report); `false` when it was
/// settled otherwise already.
pub(crate) async fn bounced_later(
    conn: &mut PgConnection,
    id: Uuid,
    detail: &str,
) -> Result<bool, sqlx::Error> {
    let detail: String = detail.chars().take(2000).collect();
    let done = sqlx::query!(
        "UPDATE outreach_messages SET state = 'bounced', response = $2
         WHERE id = $1 AND state IN ('sent', 'unknown')",
        id,
        detail
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn cancel_of_enrollments(
    conn: &mut PgConnection,
    enrollments: &[Uuid],
) -> Result<u64, sqlx::Error> {
    if enrollments.is_empty() {
        return Ok(0);
    }
    let done = sqlx::query!(
        "UPDATE outreach_messages SET state = 'cancelled'
         WHERE enrollment_id = ANY($1) AND state = 'queued'",
        enrollments
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
