//! Users, tenants and memberships.

use kernel::{Role, TenantId};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

/// What sign-in needs of an account.
pub struct Credentials {
    pub id: Uuid,
    pub name: String,
    pub password_hash: String,
}

pub async fn credentials_by_email(
    db: &PgPool,
    email: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as!(
        Credentials,
        r#"SELECT id AS "id!", name AS "name!", password_hash AS "password_hash!"
           FROM auth_user_by_email($1)"#,
        email
    )
    .fetch_optional(db)
    .await
}

/// A tenant the user belongs to, with the role held there.
#[derive(Clone, Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct TenantMembership {
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub tenant_slug: String,
    pub role: Role,
}

pub async fn memberships_of(db: &PgPool, user: Uuid) -> Result<Vec<TenantMembership>, sqlx::Error> {
    sqlx::query_as!(
        TenantMembership,
        r#"SELECT tenant_id AS "tenant_id!", tenant_name AS "tenant_name!",
                  tenant_slug AS "tenant_slug!", role AS "role!: Role"
           FROM auth_memberships_of($1)"#,
        user
    )
    .fetch_all(db)
    .await
}

/// Makes `user` visible to RLS in this transaction (its own row, its password resets).
pub async fn act_as_user(conn: &mut PgConnection, user: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "SELECT set_config('app.user_id', $1, true)",
        user.to_string()
    )
    .fetch_one(conn)
    .await
    .map(|_| ())
}

pub async fn insert_tenant(
    conn: &mut PgConnection,
    id: TenantId,
    name: &str,
    slug: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3)",
        id.0,
        name,
        slug
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// [`insert_tenant`] unless a tenant with this id or slug exists (demo data).
pub async fn ensure_tenant(
    conn: &mut PgConnection,
    id: TenantId,
    name: &str,
    slug: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        id.0,
        name,
        slug
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// The transaction's tenant.
pub struct CurrentTenant {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
}

/// The tenant of the transaction (a `tenant_tx`).
pub async fn current_tenant(conn: &mut PgConnection) -> Result<CurrentTenant, sqlx::Error> {
    sqlx::query_as!(
        CurrentTenant,
        "SELECT id, name, slug FROM tenants WHERE id = kernel_current_tenant()"
    )
    .fetch_one(conn)
    .await
}

pub async fn insert_user(
    conn: &mut PgConnection,
    id: Uuid,
    email: &str,
    name: &str,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)",
        id,
        email,
        name,
        hash
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// Makes `user` a `role` of `tenant`; false when it is a member already, whatever the role.
pub async fn insert_membership(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: Uuid,
    role: Role,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query!(
        "INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
        tenant.0,
        user,
        role.as_str()
    )
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// The caller's role in the current tenant, if it is still a member.
pub async fn role_in_current_tenant(
    conn: &mut PgConnection,
    user: Uuid,
) -> Result<Option<Role>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT role AS "role: Role" FROM memberships WHERE user_id = $1"#,
        user
    )
    .fetch_optional(conn)
    .await
}

/// The signed-in user and tenant, as `GET /auth/me` shows them.
pub struct Identity {
    pub user_id: Uuid,
    pub email: String,
    pub name: String,
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub tenant_slug: String,
    pub tenants: sqlx::types::Json<Vec<TenantMembership>>,
}

/// User, tenant and memberships of a verified principal, in one round trip (no
/// transaction: `auth_identity` checks the membership itself).
pub async fn identity(
    db: &PgPool,
    user: Uuid,
    tenant: TenantId,
) -> Result<Option<Identity>, sqlx::Error> {
    sqlx::query_as!(
        Identity,
        r#"SELECT user_id AS "user_id!", email AS "email!", name AS "name!",
                  tenant_id AS "tenant_id!", tenant_name AS "tenant_name!",
                  tenant_slug AS "tenant_slug!",
                  tenants AS "tenants!: sqlx::types::Json<Vec<TenantMembership>>"
           FROM auth_identity($1, $2)"#,
        user,
        tenant.0
    )
    .fetch_optional(db)
    .await
}
