//! Mailboxes (table `outreach_mailboxes`): where a tenant's messages are sent from. The SMTP
//! password is stored sealed and never read back out through the API.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

/// A mailbox as the API shows it (never its password).
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Mailbox {
    pub id: Uuid,
    pub name: String,
    pub from_address: String,
    pub from_name: String,
    pub signature: String,
    pub smtp_host: String,
    pub smtp_port: i32,
    /// `none` (local sinks only), `starttls` or `tls`.
    pub smtp_security: String,
    pub smtp_username: Option<String>,
    /// Whether a password is stored (it is never shown).
    pub has_password: bool,
    pub daily_cap: i32,
    pub warmup_enabled: bool,
    pub warmup_start: i32,
    pub warmup_step: i32,
    pub warmup_started_on: NaiveDate,
    pub min_gap_seconds: i32,
    pub max_gap_seconds: i32,
    /// `active` or `paused`.
    pub status: String,
    pub paused_reason: Option<String>,
    pub last_tested_at: Option<DateTime<Utc>>,
    /// The last connection test's error (absent: it passed, or none ran).
    pub last_test_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

static MAILBOXES: Resource = Resource::new(
    "outreach_mailboxes",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("name", "name", FieldType::Text),
        Field::new("from_address", "from_address", FieldType::Text),
        Field::new("status", "status", FieldType::Text),
        Field::new("created_at", "created_at", FieldType::Timestamp),
    ],
)
.search("strpos(lower(name || ' ' || from_address), lower($q)) > 0")
.default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static MAILBOX_LIST: Listing = Listing::new(
    &MAILBOXES,
    "SELECT id, name, from_address, from_name, signature, smtp_host, smtp_port, smtp_security, \
     smtp_username, smtp_password IS NOT NULL AS has_password, daily_cap, warmup_enabled, \
     warmup_start, warmup_step, warmup_started_on, min_gap_seconds, max_gap_seconds, status, \
     paused_reason, last_tested_at, last_test_error, created_at, updated_at \
     FROM outreach_mailboxes",
);

/// The fields of a mailbox a person sets.
pub(crate) struct MailboxFields<'a> {
    pub name: &'a str,
    pub from_address: &'a str,
    pub from_name: &'a str,
    pub signature: &'a str,
    pub smtp_host: &'a str,
    pub smtp_port: i32,
    pub smtp_security: &'a str,
    pub smtp_username: Option<&'a str>,
    pub daily_cap: i32,
    pub warmup_enabled: bool,
    pub warmup_start: i32,
    pub warmup_step: i32,
    pub min_gap_seconds: i32,
    pub max_gap_seconds: i32,
}

/// Inserts a mailbox; `None` when the tenant has one with this from address.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    f: &MailboxFields<'_>,
    password: Option<&[u8]>,
) -> Result<Option<Mailbox>, sqlx::Error> {
    sqlx::query_as!(
        Mailbox,
        r#"INSERT INTO outreach_mailboxes (tenant_id, id, name, from_address, from_name, signature,
               smtp_host, smtp_port, smtp_security, smtp_username, smtp_password, daily_cap,
               warmup_enabled, warmup_start, warmup_step, min_gap_seconds, max_gap_seconds)
           VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                   $13, $14, $15, $16)
           ON CONFLICT (tenant_id, from_address) DO NOTHING
           RETURNING id, name, from_address, from_name, signature, smtp_host, smtp_port,
               smtp_security, smtp_username, smtp_password IS NOT NULL AS "has_password!",
               daily_cap, warmup_enabled, warmup_start, warmup_step, warmup_started_on,
               min_gap_seconds, max_gap_seconds, status, paused_reason, last_tested_at,
               last_test_error, created_at, updated_at"#,
        id,
        f.name,
        f.from_address,
        f.from_name,
        f.signature,
        f.smtp_host,
        f.smtp_port,
        f.smtp_security,
        f.smtp_username,
        password,
        f.daily_cap,
        f.warmup_enabled,
        f.warmup_start,
        f.warmup_step,
        f.min_gap_seconds,
        f.max_gap_seconds,
    )
    .fetch_optional(conn)
    .await
}

/// Replaces a mailbox's settings; the password only when `password` is `Some` (`Some(None)`
/// removes it). `None` when there is no such mailbox.
pub(crate) async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    f: &MailboxFields<'_>,
    password: Option<Option<&[u8]>>,
    status: &str,
) -> Result<Option<Mailbox>, sqlx::Error> {
    sqlx::query_as!(
        Mailbox,
        r#"UPDATE outreach_mailboxes SET name = $2, from_address = $3, from_name = $4,
               signature = $5, smtp_host = $6, smtp_port = $7, smtp_security = $8,
               smtp_username = $9,
               smtp_password = CASE WHEN $10 THEN $11 ELSE smtp_password END,
               daily_cap = $12, warmup_enabled = $13, warmup_start = $14, warmup_step = $15,
               min_gap_seconds = $16, max_gap_seconds = $17, status = $18,
               paused_reason = CASE WHEN $18 = 'active' THEN NULL ELSE paused_reason END,
               updated_at = now()
           WHERE id = $1
           RETURNING id, name, from_address, from_name, signature, smtp_host, smtp_port,
               smtp_security, smtp_username, smtp_password IS NOT NULL AS "has_password!",
               daily_cap, warmup_enabled, warmup_start, warmup_step, warmup_started_on,
               min_gap_seconds, max_gap_seconds, status, paused_reason, last_tested_at,
               last_test_error, created_at, updated_at"#,
        id,
        f.name,
        f.from_address,
        f.from_name,
        f.signature,
        f.smtp_host,
        f.smtp_port,
        f.smtp_security,
        f.smtp_username,
        password.is_some(),
        password.flatten(),
        f.daily_cap,
        f.warmup_enabled,
        f.warmup_start,
        f.warmup_step,
        f.min_gap_seconds,
        f.max_gap_seconds,
        status,
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn get(conn: &mut PgConnection, id: Uuid) -> Result<Option<Mailbox>, sqlx::Error> {
    sqlx::query_as!(
        Mailbox,
        r#"SELECT id, name, from_address, from_name, signature, smtp_host, smtp_port,
               smtp_security, smtp_username, smtp_password IS NOT NULL AS "has_password!",
               daily_cap, warmup_enabled, warmup_start, warmup_step, warmup_started_on,
               min_gap_seconds, max_gap_seconds, status, paused_reason, last_tested_at,
               last_test_error, created_at, updated_at
           FROM outreach_mailboxes WHERE id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// `false` when there is no such mailbox. Its campaigns keep it in their lists; the planner
/// skips mailboxes that are gone.
pub(crate) async fn delete(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM outreach_mailboxes WHERE id = $1", id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn record_test(
    conn: &mut PgConnection,
    id: Uuid,
    error: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outreach_mailboxes SET last_tested_at = now(), last_test_error = $2 WHERE id = $1",
        id,
        error
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// What the planner needs of a mailbox, locked until the plan commits (pacing is per mailbox).
#[derive(Debug, Clone)]
pub(crate) struct Sender {
    pub id: Uuid,
    pub from_address: String,
    pub daily_cap: i32,
    pub warmup_enabled: bool,
    pub warmup_start: i32,
    pub warmup_step: i32,
    pub warmup_started_on: NaiveDate,
    pub min_gap_seconds: i32,
    pub max_gap_seconds: i32,
    pub next_send_at: DateTime<Utc>,
    /// Messages planned on the UTC day of the plan (not cancelled).
    pub planned_today: i64,
}

pub(crate) async fn lock_senders(
    conn: &mut PgConnection,
    ids: &[Uuid],
    day_start: DateTime<Utc>,
) -> Result<Vec<Sender>, sqlx::Error> {
    sqlx::query_as!(
        Sender,
        r#"SELECT m.id, m.from_address, m.daily_cap, m.warmup_enabled, m.warmup_start, m.warmup_step,
               m.warmup_started_on, m.min_gap_seconds, m.max_gap_seconds, m.next_send_at,
               (SELECT count(*) FROM outreach_messages g
                 WHERE g.mailbox_id = m.id AND g.scheduled_at >= $2
                   AND g.scheduled_at < $2 + interval '1 day' AND g.state <> 'cancelled')
                   AS "planned_today!"
           FROM outreach_mailboxes m
           WHERE m.id = ANY($1) AND m.status = 'active'
           ORDER BY m.id
           FOR UPDATE OF m"#,
        ids,
        day_start
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn set_next_send_at(
    conn: &mut PgConnection,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outreach_mailboxes SET next_send_at = $2 WHERE id = $1",
        id,
        at
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// What sending needs of a mailbox.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    pub from_address: String,
    pub from_name: String,
    pub signature: String,
    pub smtp_host: String,
    pub smtp_port: i32,
    pub smtp_security: String,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<Vec<u8>>,
    pub status: String,
    pub dkim_domain: Option<String>,
    pub dkim_selector: Option<String>,
    /// Sealed (purpose `outreach.dkim`).
    pub dkim_private_key: Option<Vec<u8>>,
}

pub(crate) async fn transport(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Transport>, sqlx::Error> {
    sqlx::query_as!(
        Transport,
        "SELECT from_address, from_name, signature, smtp_host, smtp_port, smtp_security,
                smtp_username, smtp_password, status, dkim_domain, dkim_selector, dkim_private_key
         FROM outreach_mailboxes WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Pauses an active mailbox for `reason` (its rates); `false` when it was not active.
pub(crate) async fn pause_for(
    conn: &mut PgConnection,
    id: Uuid,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE outreach_mailboxes SET status = 'paused', paused_reason = $2, updated_at = now()
         WHERE id = $1 AND status = 'active'",
        id,
        reason
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A mailbox's DKIM key as the API shows it: the DNS record to publish (never the private key).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dkim {
    pub domain: String,
    pub selector: String,
    /// The TXT record's name: `<selector>._domainkey.<domain>`.
    pub dns_name: String,
    /// The TXT record's value: `v=DKIM1; k=rsa; p=…`.
    pub dns_value: String,
}

impl Dkim {
    fn new(domain: String, selector: String, public_key: &str) -> Self {
        Self {
            dns_name: format!("{selector}._domainkey.{domain}"),
            dns_value: crate::dkim::dns_value(public_key),
            domain,
            selector,
        }
    }
}

/// `None`: no such mailbox; `Some(None)`: it does not sign.
pub(crate) async fn dkim(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Option<Dkim>>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT dkim_domain, dkim_selector, dkim_public_key FROM outreach_mailboxes WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(
        |r| match (r.dkim_domain, r.dkim_selector, r.dkim_public_key) {
            (Some(domain), Some(selector), Some(public)) => {
                Some(Dkim::new(domain, selector, &public))
            }
            _ => None,
        },
    ))
}

/// Sets a mailbox's DKIM key; `None` when there is no such mailbox.
pub(crate) async fn set_dkim(
    conn: &mut PgConnection,
    id: Uuid,
    domain: &str,
    selector: &str,
    sealed_private: &[u8],
    public_key: &str,
) -> Result<Option<Dkim>, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE outreach_mailboxes SET dkim_domain = $2, dkim_selector = $3,
             dkim_private_key = $4, dkim_public_key = $5, updated_at = now()
         WHERE id = $1",
        id,
        domain,
        selector,
        sealed_private,
        public_key
    )
    .execute(conn)
    .await?;
    Ok((done.rows_affected() == 1)
        .then(|| Dkim::new(domain.to_owned(), selector.to_owned(), public_key)))
}

/// Stops signing; `false` when there is no such mailbox or it did not sign.
pub(crate) async fn clear_dkim(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE outreach_mailboxes SET dkim_domain = NULL, dkim_selector = NULL,
             dkim_private_key = NULL, dkim_public_key = NULL, updated_at = now()
         WHERE id = $1 AND dkim_domain IS NOT NULL",
        id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
