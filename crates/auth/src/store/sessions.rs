//! Sessions and their refresh tokens (one family per session), in the tenant's transaction.

use chrono::{DateTime, Utc};
use kernel::{Role, TenantId};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::tokens::OpaqueToken;

/// Stores a new session of `user`.
pub async fn insert(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Uuid,
    user: Uuid,
    user_agent: Option<&str>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO sessions (tenant_id, id, user_id, user_agent, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
        tenant.0,
        id,
        user,
        user_agent,
        expires_at
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// Stores a refresh token of the session `sid`; only its secret's hash is kept.
pub async fn insert_refresh_token(
    conn: &mut PgConnection,
    tenant: TenantId,
    token: &OpaqueToken,
    sid: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO refresh_tokens (tenant_id, id, session_id, secret_hash)
         VALUES ($1, $2, $3, $4)",
        tenant.0,
        token.id,
        sid,
        token.secret_hash()
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// A presented refresh token with its session, as rotation checks it.
pub struct PresentedToken {
    pub secret_hash: Vec<u8>,
    pub used_at: Option<DateTime<Utc>>,
    pub replaced_by: Option<Uuid>,
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub revoked_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    /// Whether the successor has been used; `None` when there is none (yet, in this
    /// statement's snapshot).
    pub successor_used: Option<bool>,
}

/// Reads the refresh token `id` and its session, and locks both until the transaction ends.
pub async fn lock_presented(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<PresentedToken>, sqlx::Error> {
    sqlx::query_as!(
        PresentedToken,
        "SELECT rt.secret_hash, rt.used_at, rt.replaced_by, s.id AS session_id, s.user_id,
                s.revoked_at, s.expires_at,
                (SELECT n.used_at IS NOT NULL FROM refresh_tokens n
                  WHERE n.tenant_id = rt.tenant_id AND n.id = rt.replaced_by) AS successor_used
         FROM refresh_tokens rt
         JOIN sessions s ON s.tenant_id = rt.tenant_id AND s.id = rt.session_id
         WHERE rt.id = $1 FOR UPDATE OF rt, s",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Marks the refresh token `id` used, replaced by `successor`.
pub async fn mark_used(
    conn: &mut PgConnection,
    id: Uuid,
    successor: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE refresh_tokens SET used_at = now(), replaced_by = $2 WHERE id = $1",
        id,
        successor
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// The session of the refresh token `id` and the token's secret hash (to check the
/// presented secret against).
pub async fn session_of_refresh_token(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<(Uuid, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT session_id, secret_hash FROM refresh_tokens WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.session_id, r.secret_hash)))
}

/// Revokes the session `id` (again is fine).
pub async fn revoke(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
        id
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// What PostgreSQL says about an access token's session and its holder's membership.
pub struct AccessState {
    /// The session exists, is not revoked and has not expired.
    pub session_live: bool,
    /// The holder's role in the tenant now (`None`: no longer a member).
    pub role: Option<Role>,
    pub role_changed_at: Option<DateTime<Utc>>,
}

/// The state of session `sid` of `user` in `tenant`, and `user`'s membership there (through
/// `auth_access_state`, before any tenant is set).
pub async fn access_state(
    pool: &PgPool,
    tenant: TenantId,
    sid: Uuid,
    user: Uuid,
) -> Result<AccessState, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT session_live, role AS "role: Role", role_changed_at
           FROM auth_access_state($1, $2, $3)"#,
        tenant.0,
        sid,
        user
    )
    .fetch_one(pool)
    .await?;
    Ok(AccessState {
        session_live: row.session_live.unwrap_or(false),
        role: row.role,
        role_changed_at: row.role_changed_at,
    })
}
