//! API-key rows: bearer authentication, create, revoke, and the list.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use kernel::tenancy::{Actor, Principal};
use kernel::{Problem, ProblemCode, Role, Scope, TenantId};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use super::hash::{is_well_formed, key_hash};
use super::last_used::record_use;
use crate::state::AuthState;

fn invalid_api_key() -> Problem {
    Problem::new(
        ProblemCode::InvalidApiKey,
        "The API key is not valid: unknown, revoked or expired.",
    )
}

struct KeyForAuth {
    tenant_id: Uuid,
    id: Uuid,
    scopes: Vec<String>,
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    created_by: Option<Uuid>,
    /// The creator's role in the key's tenant now (`None`: no longer a member).
    creator_role: Option<Role>,
}

impl KeyForAuth {
    /// The scopes the key may use now: those it was created with, within what its creator's
    /// current role holds (a demoted creator's key loses what the creator lost). `None` when
    /// its creator is no longer a member: the key stops working with them.
    fn scopes_now(&self) -> Option<BTreeSet<Scope>> {
        let granted = known_scopes(&self.scopes);
        match (self.created_by, self.creator_role) {
            (None, _) => Some(granted.collect()),
            (Some(_), None) => None,
            (Some(_), Some(role)) => {
                let held = crate::permissions::scopes_for(role);
                Some(granted.filter(|s| held.contains(s)).collect())
            }
        }
    }
}

/// Authenticates `Authorization: Bearer <key>` as the key's tenant, with the key's scopes
/// as far as its creator still holds them (see [`KeyForAuth::scopes_now`]).
///
/// The principal's role is `Viewer`, the weakest, whatever its creator's role: keys are
/// meant for scope-gated routes, and role-gated ones (`RequireRole<Admin>`: members, roles)
/// are for people. A route that must refuse keys outright checks `principal.user_id()`.
pub async fn authenticate(state: &AuthState, key: &str) -> Result<Principal, Problem> {
    if !is_well_formed(key) {
        return Err(invalid_api_key());
    }
    let hash = key_hash(&state.settings.server_secret, key);
    let row = sqlx::query_as!(
        KeyForAuth,
        r#"SELECT tenant_id AS "tenant_id!", id AS "id!", scopes AS "scopes!", expires_at,
                  revoked_at, created_by, creator_role AS "creator_role: Role"
           FROM auth_api_key_by_hash($1)"#,
        hash
    )
    .fetch_optional(&state.db)
    .await?;
    let now = Utc::now();
    let Some(row) = row.filter(|k| k.revoked_at.is_none() && k.expires_at.is_none_or(|e| e > now))
    else {
        return Err(invalid_api_key());
    };
    let scopes = row.scopes_now().ok_or_else(invalid_api_key)?;
    let tenant = TenantId(row.tenant_id);
    record_use(&state.cache, tenant, row.id, now).await;
    Ok(Principal {
        tenant_id: tenant,
        actor: Actor::ApiKey(row.id),
        role: Role::Viewer,
        scopes: Arc::new(scopes),
    })
}

/// The scopes named in a key's row. A name the kernel no longer knows grants nothing.
pub fn known_scopes(names: &[String]) -> impl Iterator<Item = Scope> + '_ {
    names.iter().filter_map(|name| Scope::parse(name))
}

/// What creating a key stores.
pub struct NewApiKey<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub prefix: &'a str,
    pub key_hash: Vec<u8>,
    pub scopes: &'a BTreeSet<Scope>,
    pub created_by: Option<Uuid>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Inserts a key in the current tenant transaction; returns when it was created.
pub async fn insert(
    conn: &mut PgConnection,
    tenant: TenantId,
    key: NewApiKey<'_>,
) -> Result<DateTime<Utc>, sqlx::Error> {
    let scopes: Vec<String> = key.scopes.iter().map(|s| s.as_str().to_owned()).collect();
    sqlx::query_scalar!(
        "INSERT INTO api_keys (tenant_id, id, name, prefix, key_hash, scopes, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING created_at",
        tenant.0,
        key.id,
        key.name,
        key.prefix,
        key.key_hash,
        &scopes,
        key.created_by,
        key.expires_at
    )
    .fetch_one(conn)
    .await
}

/// Revokes a key of the current tenant (again is fine); false when there is no such key.
pub async fn revoke(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let revoked = sqlx::query_scalar!(
        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id",
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(revoked.is_some())
}

/// Where a key stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum ApiKeyStatus {
    Active,
    Expired,
    Revoked,
}

/// The status in SQL: selected and filtered on alike, so the two cannot disagree (a macro, so
/// the listing's `SELECT` can be one constant).
macro_rules! status_sql {
    () => {
        "CASE WHEN k.revoked_at IS NOT NULL THEN 'revoked' \
         WHEN k.expires_at <= now() THEN 'expired' ELSE 'active' END"
    };
}
const STATUS_SQL: &str = status_sql!();

/// The list's allow-list. `last_used_at` sorts and filters on the database column, which
/// lags recent uses by up to a flush interval.
pub static API_KEYS: Resource = Resource::new(
    "api_keys",
    &[
        Field::new("id", "k.id", FieldType::Uuid),
        Field::new("name", "k.name", FieldType::Text),
        Field::new("prefix", "k.prefix", FieldType::Text),
        Field::new("scopes", "k.scopes", FieldType::TextArray).not_sortable(),
        Field::new("status", STATUS_SQL, FieldType::Text),
        Field::new("created_at", "k.created_at", FieldType::Timestamp),
        Field::new("expires_at", "k.expires_at", FieldType::Timestamp),
        Field::new("revoked_at", "k.revoked_at", FieldType::Timestamp),
        Field::new("last_used_at", "k.last_used_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Desc)]);

/// A key as the list shows it (never its hash).
#[derive(sqlx::FromRow)]
pub struct ListedApiKey {
    pub id: Uuid,
    pub name: String,
    pub prefix: String,
    pub scopes: Vec<String>,
    pub status: ApiKeyStatus,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// As last flushed to the database.
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_by_id: Option<Uuid>,
    pub created_by_name: Option<String>,
    pub created_by_email: Option<String>,
}

/// The keys list. The creator is joined under RLS, so it shows only while it is a member of
/// the tenant.
pub const API_KEYS_LISTING: Listing<'static> = Listing::new(
    &API_KEYS,
    concat!(
        "SELECT k.id, k.name, k.prefix, k.scopes, ",
        status_sql!(),
        " AS status, k.created_at, k.expires_at, k.revoked_at, k.last_used_at, \
         u.id AS created_by_id, u.name AS created_by_name, u.email AS created_by_email \
         FROM api_keys k LEFT JOIN users u ON u.id = k.created_by"
    ),
);

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_declaration_is_consistent() {
        assert_eq!(super::API_KEYS.check(), Ok(()));
    }
}
