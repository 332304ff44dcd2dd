//! Memberships as the members API shows and changes them. Everything runs in a tenant
//! transaction, so another tenant's members are simply not there.

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use kernel::Role;
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

/// A member of the tenant.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Member {
    pub user_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
}

/// What the members list may be sorted and filtered on.
pub static MEMBERS: Resource = Resource::new(
    "members",
    &[
        Field::new("user_id", "m.user_id", FieldType::Uuid),
        Field::new("email", "u.email", FieldType::Text),
        Field::new("name", "u.name", FieldType::Text),
        Field::new("role", "m.role", FieldType::Text),
        Field::new("joined_at", "m.created_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("joined_at", Order::Asc), ("user_id", Order::Asc)])
.page_sizes(25, 200);

/// The list engine's SELECT of [`Member`]; [`get`] spells the same columns out.
const SELECT_MEMBERS: &str =
    "SELECT m.user_id, u.email, u.name, m.role, m.created_at AS joined_at \
     FROM memberships m JOIN users u ON u.id = m.user_id";

/// The members list.
pub const MEMBERS_LISTING: Listing<'static> = Listing::new(&MEMBERS, SELECT_MEMBERS);

/// Every member's id and role, strongest role first, then in the order they joined.
pub async fn roles(conn: &mut PgConnection) -> Result<Vec<(Uuid, Role)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT user_id, role AS "role: Role" FROM memberships
           ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'member' THEN 2 ELSE 3 END,
               created_at, user_id"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.user_id, r.role)).collect())
}

pub async fn get(conn: &mut PgConnection, user: Uuid) -> Result<Option<Member>, sqlx::Error> {
    sqlx::query_as!(
        Member,
        r#"SELECT m.user_id, u.email, u.name, m.role AS "role: Role", m.created_at AS joined_at
           FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE m.user_id = $1"#,
        user
    )
    .fetch_optional(conn)
    .await
}

/// Locks the tenant's owner rows, then the member's row, until the transaction ends, and
/// returns the owners and the member's role (`None`: not a member). Every change of a role
/// or membership takes the locks in this order, so two changes cannot both take away the
/// last owner, and they cannot deadlock.
pub async fn lock_for_change(
    conn: &mut PgConnection,
    user: Uuid,
) -> Result<(Vec<Uuid>, Option<Role>), sqlx::Error> {
    let owners = sqlx::query_scalar!(
        "SELECT user_id FROM memberships WHERE role = 'owner' ORDER BY user_id FOR UPDATE"
    )
    .fetch_all(&mut *conn)
    .await?;
    let role = sqlx::query_scalar!(
        r#"SELECT role AS "role: Role" FROM memberships WHERE user_id = $1 FOR UPDATE"#,
        user
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok((owners, role))
}

/// Changes `user`'s role; access tokens issued before now are refused from now on.
pub async fn set_role(conn: &mut PgConnection, user: Uuid, role: Role) -> Result<(), sqlx::Error> {
    sqlx::query!(
        // The application's clock: access tokens' issue times are compared with it.
        "UPDATE memberships SET role = $2, role_changed_at = $3 WHERE user_id = $1",
        user,
        role.as_str(),
        chrono::Utc::now()
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// Removes the membership and revokes the user's sessions in this tenant, returning their
/// ids (to deny their access tokens once the transaction has committed).
pub async fn remove(conn: &mut PgConnection, user: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query!("DELETE FROM memberships WHERE user_id = $1", user)
        .execute(&mut *conn)
        .await?;
    sqlx::query_scalar!(
        "UPDATE sessions SET revoked_at = now()
         WHERE user_id = $1 AND revoked_at IS NULL RETURNING id",
        user
    )
    .fetch_all(conn)
    .await
}

/// Whether someone with this email is already a member.
pub async fn has_email(conn: &mut PgConnection, email: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
                          WHERE u.email = $1) AS "exists!""#,
        email
    )
    .fetch_one(conn)
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_declaration_is_consistent() {
        assert_eq!(super::MEMBERS.check(), Ok(()));
    }
}
