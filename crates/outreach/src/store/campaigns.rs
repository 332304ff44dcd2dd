//! Campaigns (table `outreach_campaigns`): a sequence of steps, each with weighted variants,
//! sent inside a window from a set of mailboxes.

use chrono::{DateTime, NaiveTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// One step of a sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Minutes after the previous step was sent (the first step: after enrollment). A day is
    /// 1440.
    #[validate(range(min = 0, max = 525600))]
    pub delay_minutes: i32,
    /// The versions of this step's message (A/B), chosen by weight.
    #[validate(length(min = 1, max = 5), nested)]
    pub variants: Vec<Variant>,
}

/// One version of a step's message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// A template: `{{first_name | "there"}}`, `{Hi|Hello}`.
    #[validate(length(min = 1, max = 500))]
    pub subject: String,
    /// Plain text, a template like the subject.
    #[validate(length(min = 1, max = 20000))]
    pub body: String,
    /// Relative weight (default 1).
    #[serde(default = "one")]
    #[validate(range(min = 1, max = 100))]
    pub weight: u32,
}

fn one() -> u32 {
    1
}

/// A campaign as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Campaign {
    pub id: Uuid,
    pub name: String,
    /// `draft`, `active`, `paused` or `archived`.
    pub status: String,
    /// Why it was paused automatically (its bounce or complaint rate), if it was.
    pub paused_reason: Option<String>,
    /// The window's timezone for leads without one of their own.
    pub timezone: String,
    /// ISO weekdays (Monday 1 … Sunday 7) it sends on.
    pub window_days: Vec<i32>,
    #[schema(value_type = String, example = "09:00:00")]
    pub window_start: NaiveTime,
    #[schema(value_type = String, example = "17:00:00")]
    pub window_end: NaiveTime,
    /// The mailboxes it sends from (least-sent first).
    pub mailbox_ids: Vec<Uuid>,
    #[schema(value_type = Vec<Step>)]
    pub steps: Json<Vec<Step>>,
    pub stop_on_auto_reply: bool,
    pub stop_company_on_reply: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

static CAMPAIGNS: Resource = Resource::new(
    "outreach_campaigns",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("name", "name", FieldType::Text),
        Field::new("status", "status", FieldType::Text),
        Field::new("created_at", "created_at", FieldType::Timestamp),
        Field::new("updated_at", "updated_at", FieldType::Timestamp),
    ],
)
.search("strpos(lower(name), lower($q)) > 0")
.default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static CAMPAIGN_LIST: Listing = Listing::new(
    &CAMPAIGNS,
    "SELECT id, name, status, paused_reason, timezone, window_days, window_start, window_end, mailbox_ids, \
     steps, stop_on_auto_reply, stop_company_on_reply, created_at, updated_at \
     FROM outreach_campaigns",
);

/// What a person sets on a campaign.
pub(crate) struct CampaignFields<'a> {
    pub name: &'a str,
    pub timezone: &'a str,
    pub window_days: &'a [i32],
    pub window_start: NaiveTime,
    pub window_end: NaiveTime,
    pub mailbox_ids: &'a [Uuid],
    pub steps: &'a [Step],
    pub stop_on_auto_reply: bool,
    pub stop_company_on_reply: bool,
}

pub(crate) async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    f: &CampaignFields<'_>,
    created_by: Option<Uuid>,
) -> Result<Campaign, sqlx::Error> {
    sqlx::query_as!(
        Campaign,
        r#"INSERT INTO outreach_campaigns (tenant_id, id, name, timezone, window_days,
               window_start, window_end, mailbox_ids, steps, stop_on_auto_reply,
               stop_company_on_reply, created_by)
           VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           RETURNING id, name, status, paused_reason, timezone, window_days, window_start, window_end,
               mailbox_ids, steps AS "steps: Json<Vec<Step>>", stop_on_auto_reply,
               stop_company_on_reply, created_at, updated_at"#,
        id,
        f.name,
        f.timezone,
        f.window_days,
        f.window_start,
        f.window_end,
        f.mailbox_ids,
        Json(f.steps) as _,
        f.stop_on_auto_reply,
        f.stop_company_on_reply,
        created_by,
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    f: &CampaignFields<'_>,
) -> Result<Option<Campaign>, sqlx::Error> {
    sqlx::query_as!(
        Campaign,
        r#"UPDATE outreach_campaigns SET name = $2, timezone = $3, window_days = $4,
               window_start = $5, window_end = $6, mailbox_ids = $7, steps = $8,
               stop_on_auto_reply = $9, stop_company_on_reply = $10, updated_at = now()
           WHERE id = $1
           RETURNING id, name, status, paused_reason, timezone, window_days, window_start, window_end,
               mailbox_ids, steps AS "steps: Json<Vec<Step>>", stop_on_auto_reply,
               stop_company_on_reply, created_at, updated_at"#,
        id,
        f.name,
        f.timezone,
        f.window_days,
        f.window_start,
        f.window_end,
        f.mailbox_ids,
        Json(f.steps) as _,
        f.stop_on_auto_reply,
        f.stop_company_on_reply,
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn get(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Campaign>, sqlx::Error> {
    sqlx::query_as!(
        Campaign,
        r#"SELECT id, name, status, paused_reason, timezone, window_days, window_start, window_end, mailbox_ids,
               steps AS "steps: Json<Vec<Step>>", stop_on_auto_reply, stop_company_on_reply,
               created_at, updated_at
           FROM outreach_campaigns WHERE id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// As [`get`], locked until the transaction ends (status changes and enrollments take turns).
pub(crate) async fn lock(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Campaign>, sqlx::Error> {
    sqlx::query_as!(
        Campaign,
        r#"SELECT id, name, status, paused_reason, timezone, window_days, window_start, window_end, mailbox_ids,
               steps AS "steps: Json<Vec<Step>>", stop_on_auto_reply, stop_company_on_reply,
               created_at, updated_at
           FROM outreach_campaigns WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outreach_campaigns SET status = $2, paused_reason = NULL, updated_at = now()
         WHERE id = $1",
        id,
        status
    )
    .execute(conn)
    .await
    .map(|_| ())
}

pub(crate) async fn delete(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM outreach_campaigns WHERE id = $1", id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The active campaigns among `ids`.
pub(crate) async fn active(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<Campaign>, sqlx::Error> {
    sqlx::query_as!(
        Campaign,
        r#"SELECT id, name, status, paused_reason, timezone, window_days, window_start, window_end, mailbox_ids,
               steps AS "steps: Json<Vec<Step>>", stop_on_auto_reply, stop_company_on_reply,
               created_at, updated_at
           FROM outreach_campaigns WHERE id = ANY($1) AND status = 'active'"#,
        ids
    )
    .fetch_all(conn)
    .await
}

/// How a campaign is doing: enrollments by status, messages by state.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct CampaignStats {
    pub enrolled: i64,
    pub active: i64,
    pub finished: i64,
    pub stopped: i64,
    pub queued: i64,
    pub sent: i64,
    pub bounced: i64,
    pub failed: i64,
    pub unknown: i64,
    pub unsubscribed: i64,
}

pub(crate) async fn stats(conn: &mut PgConnection, id: Uuid) -> Result<CampaignStats, sqlx::Error> {
    let e = sqlx::query!(
        r#"SELECT count(*) AS "enrolled!",
                  count(*) FILTER (WHERE status = 'active') AS "active!",
                  count(*) FILTER (WHERE status = 'finished') AS "finished!",
                  count(*) FILTER (WHERE status = 'stopped') AS "stopped!"
           FROM outreach_enrollments WHERE campaign_id = $1"#,
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    let m = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE state IN ('queued', 'sending')) AS "queued!",
                  count(*) FILTER (WHERE state = 'sent') AS "sent!",
                  count(*) FILTER (WHERE state = 'bounced') AS "bounced!",
                  count(*) FILTER (WHERE state = 'failed') AS "failed!",
                  count(*) FILTER (WHERE state = 'unknown') AS "unknown!",
                  count(*) FILTER (WHERE unsubscribed_at IS NOT NULL) AS "unsubscribed!"
           FROM outreach_messages WHERE campaign_id = $1"#,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok(CampaignStats {
        enrolled: e.enrolled,
        active: e.active,
        finished: e.finished,
        stopped: e.stopped,
        queued: m.queued,
        sent: m.sent,
        bounced: m.bounced,
        failed: m.failed,
        unknown: m.unknown,
        unsubscribed: m.unsubscribed,
    })
}

/// Pauses an active campaign for `reason` (its rates); `false` when it was not active.
pub(crate) async fn pause_for(
    conn: &mut PgConnection,
    id: Uuid,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE outreach_campaigns SET status = 'paused', paused_reason = $2, updated_at = now()
         WHERE id = $1 AND status = 'active'",
        id,
        reason
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
