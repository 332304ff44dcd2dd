//! Invitations to join a tenant: stored with a hash of their token's secret, listed while
//! pending, redeemed once.

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use kernel::Role;
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::tokens::OpaqueToken;

/// An invitation as the API shows it (never its token).
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Invitation {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    /// The member who invited (absent once that account is deleted).
    pub invited_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What an invitation says, once its token has been checked.
pub struct NewInvitation<'a> {
    pub token: &'a OpaqueToken,
    pub email: &'a str,
    pub role: Role,
    pub invited_by: Option<Uuid>,
    pub expires_at: DateTime<Utc>,
}

/// Stores an invitation in the current tenant, replacing any pending one for the same email
/// (inviting again sends a fresh link; the old one stops working).
pub async fn insert(
    conn: &mut PgConnection,
    new: NewInvitation<'_>,
) -> Result<Invitation, sqlx::Error> {
    sqlx::query!(
        "DELETE FROM invitations WHERE email = $1 AND accepted_at IS NULL",
        new.email
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query_as!(
        Invitation,
        r#"INSERT INTO invitations (tenant_id, id, email, role, secret_hash, invited_by, expires_at)
           VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6)
           RETURNING id, email, role AS "role: Role", invited_by, created_at, expires_at"#,
        new.token.id,
        new.email,
        new.role.as_str(),
        new.token.secret_hash(),
        new.invited_by,
        new.expires_at
    )
    .fetch_one(conn)
    .await
}

/// What the pending-invitations list may be sorted and filtered on. A tenant has few at a
/// time, so one default page holds them all.
pub static INVITATIONS: Resource = Resource::new(
    "invitations",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("email", "email", FieldType::Text),
        Field::new("role", "role", FieldType::Text),
        Field::new("invited_by", "invited_by", FieldType::Uuid),
        Field::new("created_at", "created_at", FieldType::Timestamp),
        Field::new("expires_at", "expires_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Asc), ("id", Order::Asc)])
.page_sizes(100, 200);

/// Invitations neither accepted nor expired, oldest first.
pub const PENDING_LISTING: Listing<'static> = Listing::new(
    &INVITATIONS,
    "SELECT id, email, role, invited_by, created_at, expires_at FROM invitations",
)
.filtered("accepted_at IS NULL AND expires_at > now()");

/// Withdraws a pending invitation; false when there is none with this id.
pub async fn delete_pending(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM invitations WHERE id = $1 AND accepted_at IS NULL",
        id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A stored invitation, as a presented token is checked against it.
pub struct StoredInvitation {
    pub email: String,
    pub role: Role,
    pub secret_hash: Vec<u8>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

impl StoredInvitation {
    /// The token matches, and the invitation is neither accepted nor expired.
    pub fn redeemable_by(&self, token: &OpaqueToken) -> bool {
        token.matches(&self.secret_hash)
            && self.accepted_at.is_none()
            && self.expires_at > Utc::now()
    }
}

/// Reads an invitation and locks it until the transaction ends, so it is accepted once.
pub async fn lock(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<StoredInvitation>, sqlx::Error> {
    sqlx::query_as!(
        StoredInvitation,
        r#"SELECT email, role AS "role: Role", secret_hash, expires_at, accepted_at
           FROM invitations WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub async fn mark_accepted(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE invitations SET accepted_at = now() WHERE id = $1",
        id
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// The current tenant's name and the inviting user's name, for the invitation email.
pub async fn mail_context(
    conn: &mut PgConnection,
    inviter: Option<Uuid>,
) -> Result<(String, Option<String>), sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT t.name, (SELECT u.name FROM users u WHERE u.id = $1) AS "inviter?"
           FROM tenants t WHERE t.id = kernel_current_tenant()"#,
        inviter
    )
    .fetch_one(conn)
    .await?;
    Ok((row.name, row.inviter))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_declaration_is_consistent() {
        assert_eq!(super::INVITATIONS.check(), Ok(()));
    }
}
