//! API keys: the secret's format and peppered hash, their SQL, bearer authentication, and
//! the last-used times kept in Redis.
//!
//! **Format.** `dfk_` + base64url(32 random bytes): 47 characters. The prefix makes a leaked
//! key recognisable (to people and to secret scanners); the first 12 characters are kept in
//! clear so a list can tell keys apart. Only HMAC-SHA256(server secret, key) is stored: a
//! database leak yields no usable key and, without the server secret, nothing to test
//! guesses against. 256 random bits need no slow hash, so verifying costs one HMAC.
//!
//! **Lookup.** Bearer authentication happens before the tenant is known, so it goes through
//! `auth_api_key_by_hash()` (SECURITY DEFINER), by hash alone. It reads the row on every
//! request: a revoked key stops working at once.
//!
//! **Last used.** Writing the row on every request would turn every read into a write and
//! make busy keys contend. A use is recorded in a Redis hash instead (field
//! `<tenant_id>:<key_id>`, value unix ms); the worker moves the values into
//! `api_keys.last_used_at` every minute ([`flush_last_used`]), and the list shows the newer
//! of the two meanwhile.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use kernel::cache::Cache;
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use kernel::tenancy::{tenant_tx_for, Actor, Principal};
use kernel::{Problem, ProblemCode, Role, Scope, TenantId};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use sha2::Sha256;
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::state::AuthState;

/// What every key starts with.
pub const KEY_PREFIX: &str = "dfk_";
/// `dfk_` and 43 base64url characters (32 bytes, unpadded).
pub const KEY_LEN: usize = 47;
/// How much of a key is kept in clear and shown in lists.
pub const DISPLAY_PREFIX_LEN: usize = 12;

/// A new random key, in full (shown to its creator once, never stored).
pub fn generate_secret() -> SecretString {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    SecretString::from(format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// The part of a key shown in lists.
pub fn display_prefix(key: &str) -> &str {
    key.get(..DISPLAY_PREFIX_LEN).unwrap_or(key)
}

/// True only for something shaped like a key this server issues; checked before any I/O.
pub fn is_well_formed(key: &str) -> bool {
    key.len() == KEY_LEN
        && key.strip_prefix(KEY_PREFIX).is_some_and(|body| {
            URL_SAFE_NO_PAD
                .decode(body)
                .is_ok_and(|bytes| bytes.len() == 32)
        })
}

/// What is stored in place of the key.
pub fn key_hash(server_secret: &SecretString, key: &str) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(server_secret.expose_secret().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(key.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn invalid_api_key() -> Problem {
    Problem::new(
        ProblemCode::InvalidApiKey,
        "The API key is not valid: unknown, revoked or expired.",
    )
}

#[derive(sqlx::FromRow)]
struct KeyForAuth {
    tenant_id: Uuid,
    id: Uuid,
    scopes: Vec<String>,
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

/// Authenticates `Authorization: Bearer <key>` as the key's tenant, with the key's scopes.
///
/// The principal's role is `Viewer`, the weakest, whatever its creator's role: keys are
/// meant for scope-gated routes, and role-gated ones (`RequireRole<Admin>`: members, roles)
/// are for people. A route that must refuse keys outright checks `principal.user_id()`.
pub async fn authenticate(state: &AuthState, key: &str) -> Result<Principal, Problem> {
    if !is_well_formed(key) {
        return Err(invalid_api_key());
    }
    let hash = key_hash(&state.settings.server_secret, key);
    let row: Option<KeyForAuth> = sqlx::query_as(
        "SELECT tenant_id, id, scopes, expires_at, revoked_at FROM auth_api_key_by_hash($1)",
    )
    .bind(hash)
    .fetch_optional(&state.db)
    .await?;
    let now = Utc::now();
    let Some(row) = row.filter(|k| k.revoked_at.is_none() && k.expires_at.is_none_or(|e| e > now))
    else {
        return Err(invalid_api_key());
    };
    let tenant = TenantId(row.tenant_id);
    record_use(&state.cache, tenant, row.id, now).await;
    Ok(Principal {
        tenant_id: tenant,
        actor: Actor::ApiKey(row.id),
        role: Role::Viewer,
        scopes: Arc::new(known_scopes(&row.scopes).collect()),
    })
}

/// The scopes named in a key's row. A name the kernel no longer knows grants nothing.
pub fn known_scopes(names: &[String]) -> impl Iterator<Item = Scope> + '_ {
    names.iter().filter_map(|name| Scope::parse(name))
}

fn last_used_key(cache: &Cache) -> String {
    cache.key("auth:api_keys:last_used")
}

fn last_used_field(tenant: TenantId, id: Uuid) -> String {
    format!("{tenant}:{id}")
}

/// Notes a use in Redis. Losing one is harmless, so a failure is logged and not fatal.
async fn record_use(cache: &Cache, tenant: TenantId, id: Uuid, at: DateTime<Utc>) {
    let recorded = async {
        let mut conn = cache.conn().await?;
        redis::cmd("HSET")
            .arg(last_used_key(cache))
            .arg(last_used_field(tenant, id))
            .arg(at.timestamp_millis())
            .query_async::<()>(&mut conn)
            .await
    }
    .await;
    if let Err(err) = recorded {
        tracing::warn!(error = %err, api_key_id = %id, "could not record an API key's use");
    }
}

/// Uses recorded in Redis and not yet flushed, for these keys of a tenant.
pub async fn unflushed_last_used(
    cache: &Cache,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<Option<DateTime<Utc>>>, redis::RedisError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut conn = cache.conn().await?;
    let mut cmd = redis::cmd("HMGET");
    cmd.arg(last_used_key(cache));
    for id in ids {
        cmd.arg(last_used_field(tenant, *id));
    }
    let millis: Vec<Option<i64>> = cmd.query_async(&mut conn).await?;
    Ok(millis
        .into_iter()
        .map(|ms| ms.and_then(DateTime::from_timestamp_millis))
        .collect())
}

#[derive(Debug, thiserror::Error)]
pub enum FlushError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// One tenant's uses as read from Redis: keys, times, and the `(field, value)` pairs read.
#[derive(Default)]
struct TenantUses {
    ids: Vec<Uuid>,
    times: Vec<DateTime<Utc>>,
    read: Vec<(String, String)>,
}

/// Deletes each `field` whose value is still `value`: a use recorded after the read survives
/// for the next flush.
const FORGET_IF_UNCHANGED: &str = r"
local n = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    n = n + redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
return n";

/// Moves the last-used times recorded in Redis into `api_keys.last_used_at` (never moving
/// it back), one transaction per tenant; returns how many keys it wrote. A field is
/// deleted only after its tenant's commit and only if no newer use replaced it meanwhile,
/// so a failure part-way loses nothing: the rest is written by the next flush.
#[tracing::instrument(skip_all)]
pub async fn flush_last_used(db: &PgPool, cache: &Cache) -> Result<usize, FlushError> {
    let mut conn = cache.conn().await?;
    let hash_key = last_used_key(cache);
    let recorded: BTreeMap<String, String> = redis::cmd("HGETALL")
        .arg(&hash_key)
        .query_async(&mut conn)
        .await?;

    let mut by_tenant: BTreeMap<TenantId, TenantUses> = BTreeMap::new();
    let mut garbage = Vec::new();
    for (field, value) in recorded {
        let parsed = field.split_once(':').and_then(|(tenant, id)| {
            let at = value
                .parse()
                .ok()
                .and_then(DateTime::from_timestamp_millis)?;
            Some((TenantId(tenant.parse().ok()?), id.parse::<Uuid>().ok()?, at))
        });
        match parsed {
            Some((tenant, id, at)) => {
                let uses = by_tenant.entry(tenant).or_default();
                uses.ids.push(id);
                uses.times.push(at);
                uses.read.push((field, value));
            }
            None => garbage.push((field, value)),
        }
    }
    if !garbage.is_empty() {
        tracing::warn!(
            fields = garbage.len(),
            "dropping unreadable last-used entries"
        );
        forget_if_unchanged(&mut conn, &hash_key, &garbage).await?;
    }

    let mut written = 0;
    for (tenant, uses) in by_tenant {
        let mut tx = tenant_tx_for(db, tenant).await?;
        sqlx::query(
            "UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, u.at) \
             FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at) WHERE k.id = u.id",
        )
        .bind(&uses.ids)
        .bind(&uses.times)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        forget_if_unchanged(&mut conn, &hash_key, &uses.read).await?;
        written += uses.ids.len();
    }
    Ok(written)
}

async fn forget_if_unchanged(
    conn: &mut redis::aio::ConnectionManager,
    hash_key: &str,
    fields: &[(String, String)],
) -> Result<(), redis::RedisError> {
    let script = redis::Script::new(FORGET_IF_UNCHANGED);
    let mut invocation = script.key(hash_key);
    for (field, value) in fields {
        invocation.arg(field).arg(value);
    }
    invocation.invoke_async::<i64>(conn).await.map(|_| ())
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
    sqlx::query_scalar(
        "INSERT INTO api_keys (tenant_id, id, name, prefix, key_hash, scopes, created_by, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING created_at",
    )
    .bind(tenant)
    .bind(key.id)
    .bind(key.name)
    .bind(key.prefix)
    .bind(key.key_hash)
    .bind(key.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>())
    .bind(key.created_by)
    .bind(key.expires_at)
    .fetch_one(conn)
    .await
}

/// Revokes a key of the current tenant (again is fine); false when there is no such key.
pub async fn revoke(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let revoked: Option<Uuid> = sqlx::query_scalar(
        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id",
    )
    .bind(id)
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
    use super::*;

    #[test]
    fn generated_keys_are_well_formed_and_distinct() {
        let a = generate_secret();
        let b = generate_secret();
        assert!(is_well_formed(a.expose_secret()));
        assert_eq!(a.expose_secret().len(), KEY_LEN);
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert_eq!(display_prefix(a.expose_secret()).len(), DISPLAY_PREFIX_LEN);
    }

    #[test]
    fn shape_check_refuses_anything_else() {
        let key = generate_secret().expose_secret().to_owned();
        for bad in [
            "",
            "junk",
            &key[..KEY_LEN - 1],
            &format!("{key}A"),
            &key.replacen("dfk_", "dfx_", 1),
            &format!("dfk_{}", "!".repeat(43)),
        ] {
            assert!(!is_well_formed(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_hash_depends_on_the_server_secret() {
        let key = generate_secret().expose_secret().to_owned();
        let one = SecretString::from("one".to_owned());
        let two = SecretString::from("two".to_owned());
        assert_eq!(key_hash(&one, &key), key_hash(&one, &key));
        assert_ne!(key_hash(&one, &key), key_hash(&two, &key));
    }

    #[test]
    fn the_list_declaration_is_consistent() {
        assert_eq!(API_KEYS.check(), Ok(()));
    }

    /// Needs the Redis server the integration tests use (`REDIS_URL`).
    #[tokio::test]
    async fn forgetting_keeps_fields_that_changed_since_the_read() {
        let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
        let cache = Cache::new(&url, &format!("test:{}:", Uuid::new_v4().simple())).unwrap();
        let key = last_used_key(&cache);
        let mut conn = cache.conn().await.unwrap();
        redis::cmd("HSET")
            .arg(&key)
            .arg(&["read", "1", "rewritten", "3"])
            .query_async::<()>(&mut conn)
            .await
            .unwrap();

        let flushed = [("read", "1"), ("rewritten", "2")].map(|(f, v)| (f.into(), v.into()));
        forget_if_unchanged(&mut conn, &key, &flushed)
            .await
            .unwrap();

        let left: BTreeMap<String, String> = redis::cmd("HGETALL")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .unwrap();
        assert_eq!(left, BTreeMap::from([("rewritten".into(), "3".into())]));
        redis::cmd("DEL")
            .arg(&key)
            .query_async::<()>(&mut conn)
            .await
            .unwrap();
    }
}
