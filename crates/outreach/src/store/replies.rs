//! What came back (table `outreach_replies`): replies, auto-replies, bounces and complaints
//! matched to one of our messages.

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

/// Something that came back for one of our messages.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
#[schema(as = OutreachReply)]
pub struct Reply {
    pub id: Uuid,
    pub mailbox_id: Uuid,
    /// `reply`, `auto_reply`, `bounce` or `complaint`.
    pub kind: String,
    /// The message of ours it answers.
    pub message_id: Uuid,
    pub enrollment_id: Uuid,
    pub campaign_id: Uuid,
    pub lead_id: Uuid,
    /// Who wrote (for a bounce: the address that failed).
    pub from_address: String,
    pub subject: String,
    /// The start of the new text (quoted lines left out).
    pub snippet: String,
    /// Why it was classed so (a bounce's status, an auto-reply's marker).
    pub detail: Option<String>,
    pub received_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

static REPLIES: Resource = Resource::new(
    "outreach_replies",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("mailbox_id", "mailbox_id", FieldType::Uuid),
        Field::new("kind", "kind", FieldType::Text),
        Field::new("message_id", "message_id", FieldType::Uuid),
        Field::new("enrollment_id", "enrollment_id", FieldType::Uuid),
        Field::new("campaign_id", "campaign_id", FieldType::Uuid),
        Field::new("lead_id", "lead_id", FieldType::Uuid),
        Field::new("from_address", "from_address", FieldType::Text),
        Field::new("received_at", "received_at", FieldType::Timestamp),
        Field::new("created_at", "created_at", FieldType::Timestamp),
    ],
)
.search("strpos(lower(from_address || ' ' || subject || ' ' || snippet), lower($q)) > 0")
.default_sort(&[("received_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 500);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static REPLY_LIST: Listing = Listing::new(
    &REPLIES,
    "SELECT id, mailbox_id, kind, message_id, enrollment_id, campaign_id, lead_id, \
     from_address, subject, snippet, detail, received_at, created_at FROM outreach_replies",
);

pub(crate) struct NewReply<'a> {
    pub id: Uuid,
    pub mailbox_id: Uuid,
    pub kind: &'a str,
    pub message_id: Uuid,
    pub enrollment_id: Uuid,
    pub campaign_id: Uuid,
    pub lead_id: Uuid,
    pub from_address: &'a str,
    pub subject: &'a str,
    pub snippet: &'a str,
    pub detail: Option<&'a str>,
    pub rfc_message_id: Option<&'a str>,
    pub received_at: DateTime<Utc>,
    /// Where it came from (`imap:…`, `ses:…`, `resend:…`, `postmark:…`): kept once per key.
    pub source_key: &'a str,
}

/// Keeps a reply; `false` when it was kept before (read twice).
pub(crate) async fn insert(conn: &mut PgConnection, r: &NewReply<'_>) -> Result<bool, sqlx::Error> {
    let clip = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    let done = sqlx::query!(
        "INSERT INTO outreach_replies (tenant_id, id, mailbox_id, kind, message_id, enrollment_id,
             campaign_id, lead_id, from_address, subject, snippet, detail, rfc_message_id,
             received_at, source_key)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                 $14)
         ON CONFLICT (tenant_id, source_key) DO NOTHING",
        r.id,
        r.mailbox_id,
        r.kind,
        r.message_id,
        r.enrollment_id,
        r.campaign_id,
        r.lead_id,
        clip(r.from_address, 320),
        clip(r.subject, 1000),
        clip(r.snippet, 4000),
        r.detail.map(|d| clip(d, 1000)),
        r.rfc_message_id.map(|d| clip(d, 1000)),
        r.received_at,
        clip(r.source_key, 500),
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
