//! Inboxes (table `outreach_inboxes`): where a mailbox's replies are read (IMAP), and where the
//! last check stopped. The password is stored sealed and never read back out through the API.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

/// A mailbox's inbox as the API shows it (never its password).
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
#[schema(as = MailboxInbox)]
pub struct Inbox {
    pub mailbox_id: Uuid,
    pub host: String,
    pub port: i32,
    /// `none` (local servers only), `starttls` or `tls`.
    pub security: String,
    pub username: String,
    /// Whether an inbox password of its own is stored (else the SMTP password is used).
    pub has_password: bool,
    pub folder: String,
    /// Checked every minute while on.
    pub enabled: bool,
    pub checked_at: Option<DateTime<Utc>>,
    /// The last check's error (absent: it worked, or none ran).
    pub last_error: Option<String>,
    pub next_check_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The settings of an inbox a person sets.
pub(crate) struct InboxFields<'a> {
    pub host: &'a str,
    pub port: i32,
    pub security: &'a str,
    pub username: &'a str,
    pub folder: &'a str,
    pub enabled: bool,
}

/// Sets the inbox of `mailbox` (a new server or folder starts reading afresh); the password
/// only when `password` is `Some` (`Some(None)`: use the SMTP password).
pub(crate) async fn upsert(
    conn: &mut PgConnection,
    mailbox: Uuid,
    f: &InboxFields<'_>,
    password: Option<Option<&[u8]>>,
) -> Result<Inbox, sqlx::Error> {
    sqlx::query_as!(
        Inbox,
        r#"INSERT INTO outreach_inboxes AS i (tenant_id, mailbox_id, host, port, security, username,
               password, folder, enabled)
           VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $7, $8, $9)
           ON CONFLICT (tenant_id, mailbox_id) DO UPDATE SET
               host = EXCLUDED.host, port = EXCLUDED.port, security = EXCLUDED.security,
               username = EXCLUDED.username,
               password = CASE WHEN $6 THEN EXCLUDED.password ELSE i.password END,
               folder = EXCLUDED.folder, enabled = EXCLUDED.enabled,
               uid_validity = CASE WHEN (i.host, i.port, i.username, i.folder)
                                   = (EXCLUDED.host, EXCLUDED.port, EXCLUDED.username, EXCLUDED.folder)
                                   THEN i.uid_validity END,
               next_check_at = now(), last_error = NULL, updated_at = now()
           RETURNING mailbox_id, host, port, security, username,
               password IS NOT NULL AS "has_password!", folder, enabled, checked_at, last_error,
               next_check_at, created_at, updated_at"#,
        mailbox,
        f.host,
        f.port,
        f.security,
        f.username,
        password.is_some(),
        password.flatten(),
        f.folder,
        f.enabled,
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn get(
    conn: &mut PgConnection,
    mailbox: Uuid,
) -> Result<Option<Inbox>, sqlx::Error> {
    sqlx::query_as!(
        Inbox,
        r#"SELECT mailbox_id, host, port, security, username,
               password IS NOT NULL AS "has_password!", folder, enabled, checked_at, last_error,
               next_check_at, created_at, updated_at
           FROM outreach_inboxes WHERE mailbox_id = $1"#,
        mailbox
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn delete(conn: &mut PgConnection, mailbox: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM outreach_inboxes WHERE mailbox_id = $1",
        mailbox
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What a check needs: the server, the sealed passwords, where reading stopped, and the day
/// the mailbox's first message was planned (a new folder is read from then).
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    pub host: String,
    pub port: i32,
    pub security: String,
    pub username: String,
    pub password: Option<Vec<u8>>,
    pub smtp_password: Option<Vec<u8>>,
    pub folder: String,
    pub uid_validity: Option<i64>,
    pub last_uid: i64,
    pub first_sent: Option<DateTime<Utc>>,
}

/// The inbox as a check reads it. Two checks of one inbox that overlap read the same messages;
/// each is kept once (the replies' unique key) and the cursor only moves on.
pub(crate) async fn reader(
    conn: &mut PgConnection,
    mailbox: Uuid,
) -> Result<Option<Reader>, sqlx::Error> {
    sqlx::query_as!(
        Reader,
        r#"SELECT i.host, i.port, i.security, i.username, i.password, m.smtp_password, i.folder,
               i.uid_validity, i.last_uid,
               (SELECT min(g.created_at) FROM outreach_messages g WHERE g.mailbox_id = i.mailbox_id)
                   AS first_sent
           FROM outreach_inboxes i
           JOIN outreach_mailboxes m ON m.tenant_id = i.tenant_id AND m.id = i.mailbox_id
           WHERE i.mailbox_id = $1"#,
        mailbox
    )
    .fetch_optional(conn)
    .await
}

/// Records a check that read up to `last_uid` of `uid_validity`; the next is due at `next`.
pub(crate) async fn checked(
    conn: &mut PgConnection,
    mailbox: Uuid,
    uid_validity: i64,
    last_uid: i64,
    next: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outreach_inboxes SET uid_validity = $2,
             last_uid = CASE WHEN uid_validity = $2 THEN greatest(last_uid, $3) ELSE $3 END,
             checked_at = now(), last_error = NULL, next_check_at = $4
         WHERE mailbox_id = $1",
        mailbox,
        uid_validity,
        last_uid,
        next
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// Records a check that failed; the next is due at `next`.
pub(crate) async fn failed(
    conn: &mut PgConnection,
    mailbox: Uuid,
    error: &str,
    next: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let error: String = error.chars().take(2000).collect();
    sqlx::query!(
        "UPDATE outreach_inboxes SET checked_at = now(), last_error = $2, next_check_at = $3
         WHERE mailbox_id = $1",
        mailbox,
        error,
        next
    )
    .execute(conn)
    .await
    .map(|_| ())
}
