//! Password-reset tokens, and the writes every password change shares: the new hash, and the
//! end of the user's sessions in every tenant. Resets belong to a user, not a tenant: their
//! rows (and the user's own row) are visible once `users::act_as_user` has run.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::tokens::OpaqueToken;

/// Stores a reset token for `user` (the token's scope); only its secret's hash is kept.
pub async fn insert(
    conn: &mut PgConnection,
    token: &OpaqueToken,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO password_resets (user_id, id, secret_hash, expires_at) VALUES ($1, $2, $3, $4)",
        token.scope,
        token.id,
        token.secret_hash(),
        expires_at
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// A stored reset, as a presented token is checked against it.
pub struct StoredReset {
    pub secret_hash: Vec<u8>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

impl StoredReset {
    /// The token matches, is unused and has not expired.
    pub fn redeemable_by(&self, token: &OpaqueToken) -> bool {
        token.matches(&self.secret_hash) && self.used_at.is_none() && self.expires_at > Utc::now()
    }
}

/// Reads a reset and locks it until the transaction ends, so it is redeemed at most once.
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> Result<Option<StoredReset>, sqlx::Error> {
    sqlx::query_as!(
        StoredReset,
        "SELECT secret_hash, expires_at, used_at FROM password_resets WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Marks every unused reset of the acting user used: after any password change, older links
/// must not work any more.
pub async fn use_up_all(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE password_resets SET used_at = now()
         WHERE user_id = auth_current_user() AND used_at IS NULL"
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// The acting user's email and password hash.
pub async fn current_password(
    conn: &mut PgConnection,
    user: Uuid,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query!("SELECT email, password_hash FROM users WHERE id = $1", user)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| (r.email, r.password_hash)))
}

/// Replaces the password hash; with `expected`, only if the hash is still that one (so a
/// change based on a verified old password cannot overwrite a concurrent change). True when
/// the row was updated.
pub async fn set_password(
    conn: &mut PgConnection,
    user: Uuid,
    hash: &str,
    expected: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE users SET password_hash = $2, password_changed_at = now()
         WHERE id = $1 AND ($3::text IS NULL OR password_hash = $3)",
        user,
        hash,
        expected
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes the user's sessions in every tenant except `keep`, returning their ids (to deny
/// their access tokens in Redis once the transaction has committed).
pub async fn revoke_sessions_everywhere(
    conn: &mut PgConnection,
    user: Uuid,
    keep: Option<Uuid>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT auth_revoke_user_sessions($1, $2) AS "id!""#,
        user,
        keep
    )
    .fetch_all(conn)
    .await
}
