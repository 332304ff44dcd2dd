//! Last-used times: recorded in Redis on each authenticated request, moved into
//! `api_keys.last_used_at` by the flush job (see the module above for why).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kernel::cache::Cache;
use kernel::tenancy::tenant_tx_for;
use kernel::TenantId;
use sqlx::PgPool;
use uuid::Uuid;

fn last_used_key(cache: &Cache) -> String {
    cache.key("auth:api_keys:last_used")
}

fn last_used_field(tenant: TenantId, id: Uuid) -> String {
    format!("{tenant}:{id}")
}

/// Notes a use in Redis. Losing one is harmless, so a failure is logged and not fatal.
pub(super) async fn record_use(cache: &Cache, tenant: TenantId, id: Uuid, at: DateTime<Utc>) {
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
        sqlx::query!(
            "UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, u.at)
             FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at) WHERE k.id = u.id",
            &uses.ids,
            &uses.times
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        forget_if_unchanged(&mut conn, &hash_key, &uses.read).await?;
        written += uses.ids.len();
    }
    Ok(written)
}

async fn forget_if_unchanged(
    conn: &mut kernel::cache::Guarded,
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

#[cfg(test)]
mod tests {
    use super::*;

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
