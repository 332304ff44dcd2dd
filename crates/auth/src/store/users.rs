//! Users, tenants and memberships.

use kernel::{Role, TenantId};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

/// What sign-in needs of an account.
#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub id: Uuid,
    pub name: String,
    pub password_hash: String,
}

pub async fn credentials_by_email(
    db: &PgPool,
    email: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, password_hash FROM auth_user_by_email($1)")
        .bind(email)
        .fetch_optional(db)
        .await
}

/// A tenant the user belongs to, with the role held there.
#[derive(Clone, Debug, Serialize, serde::Deserialize, ToSchema, sqlx::FromRow)]
pub struct TenantMembership {
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub tenant_slug: String,
    pub role: Role,
}

pub async fn memberships_of(db: &PgPool, user: Uuid) -> Result<Vec<TenantMembership>, sqlx::Error> {
    sqlx::query_as("SELECT tenant_id, tenant_name, tenant_slug, role FROM auth_memberships_of($1)")
        .bind(user)
        .fetch_all(db)
        .await
}

/// Makes `user` visible to RLS in this transaction (its own row, its password resets).
pub async fn act_as_user(conn: &mut PgConnection, user: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT set_config('app.user_id', $1, true)")
        .bind(user.to_string())
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn insert_tenant(
    conn: &mut PgConnection,
    id: TenantId,
    name: &str,
    slug: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(name)
        .bind(slug)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn insert_user(
    conn: &mut PgConnection,
    id: Uuid,
    email: &str,
    name: &str,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(email)
        .bind(name)
        .bind(hash)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn insert_membership(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: Uuid,
    role: Role,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)")
        .bind(tenant)
        .bind(user)
        .bind(role)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The caller's role in the current tenant, if it is still a member.
pub async fn role_in_current_tenant(
    conn: &mut PgConnection,
    user: Uuid,
) -> Result<Option<Role>, sqlx::Error> {
    sqlx::query_scalar("SELECT role FROM memberships WHERE user_id = $1")
        .bind(user)
        .fetch_optional(conn)
        .await
}

/// The signed-in user and tenant, as `GET /auth/me` shows them.
#[derive(sqlx::FromRow)]
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
    sqlx::query_as(
        "SELECT user_id, email, name, tenant_id, tenant_name, tenant_slug, tenants \
         FROM auth_identity($1, $2)",
    )
    .bind(user)
    .bind(tenant)
    .fetch_optional(db)
    .await
}
