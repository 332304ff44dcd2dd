//! Waking readers on other instances after a commit. Redis pub/sub carries only "tenant T has
//! events up to `seq`"; the events themselves are read from PostgreSQL, so a lost wake-up
//! delays a reader and never loses an event.

use crate::cache::Cache;
use crate::tenancy::TenantId;

/// The Redis pub/sub channel announcing a tenant's newly committed events; the message is the
/// highest committed `seq`. Subscribers use this name too.
pub fn wake_channel(cache: &Cache, tenant: TenantId) -> String {
    cache.key(&format!("events:{tenant}"))
}

/// Announces, after the commit, that `tenant`'s events up to `seq` exist. Best effort: a
/// failure is logged and otherwise ignored, since the event is already durable.
#[tracing::instrument(skip_all, fields(tenant = %tenant, seq))]
pub async fn notify_committed(cache: &Cache, tenant: TenantId, seq: i64) {
    let channel = wake_channel(cache, tenant);
    let published = async {
        let mut conn = cache.conn().await?;
        redis::cmd("PUBLISH")
            .arg(&channel)
            .arg(seq)
            .query_async::<i64>(&mut conn)
            .await
    }
    .await;
    if let Err(err) = published {
        tracing::warn!(error = %err, "could not announce committed events; other instances see the events at their next wake-up");
    }
}
