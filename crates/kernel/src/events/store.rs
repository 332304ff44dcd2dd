//! The outbox in PostgreSQL: writing an event in the caller's transaction, reading a tenant's
//! events in order, the subscribers' cursors, and retention. Tenant isolation is row-level
//! security's job; the explicit `tenant_id = kernel_current_tenant()` predicates only let the
//! planner use the keys.

use std::time::Duration;

use sqlx::postgres::types::PgInterval;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{EventError, NewEvent, StoredEvent};

/// The most events one [`read_after`] call returns.
pub const MAX_READ_LIMIT: i64 = 1000;

/// Writes `event` in the caller's transaction (opened with `tenant_tx`) for its tenant and
/// returns its sequence number. The tenant's counter stays locked until the transaction ends:
/// publish as late as possible before committing (see the module docs).
pub async fn publish(tx: &mut PgConnection, event: &NewEvent) -> Result<i64, EventError> {
    // No tenant on the transaction: the first CTE inserts nothing, so neither does the second,
    // and no row comes back.
    let seq = sqlx::query_scalar!(
        "WITH bumped AS (
             INSERT INTO event_sequences (tenant_id, last_seq)
             SELECT t, 1 FROM (SELECT kernel_current_tenant() AS t) current WHERE t IS NOT NULL
             ON CONFLICT (tenant_id) DO UPDATE SET last_seq = event_sequences.last_seq + 1
             RETURNING tenant_id, last_seq
         )
         INSERT INTO events (tenant_id, seq, channel, type, payload)
         SELECT tenant_id, last_seq, $1, $2, $3 FROM bumped
         RETURNING seq",
        event.channel(),
        event.event_type(),
        event.payload(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    seq.ok_or(EventError::NoTenant)
}

/// The current tenant's events with `seq > after_seq`, oldest first, at most `limit` (capped at
/// [`MAX_READ_LIMIT`]), optionally only those of `channels`. Run it in `tenant_tx`; without a
/// tenant on the transaction it reads nothing.
pub async fn read_after(
    tx: &mut PgConnection,
    after_seq: i64,
    channels: Option<&[String]>,
    limit: i64,
) -> Result<Vec<StoredEvent>, EventError> {
    let events = sqlx::query_as!(
        StoredEvent,
        "SELECT seq, channel, type AS event_type, payload, created_at FROM events
         WHERE tenant_id = kernel_current_tenant() AND seq > $1
           AND ($2::text[] IS NULL OR channel = ANY($2))
         ORDER BY seq
         LIMIT $3",
        after_seq,
        channels,
        limit.clamp(0, MAX_READ_LIMIT),
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(events)
}

/// The number of the current tenant's last event, `None` before its first. Run it in
/// `tenant_tx`.
pub(crate) async fn last_seq(tx: &mut PgConnection) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT last_seq FROM event_sequences WHERE tenant_id = kernel_current_tenant()"
    )
    .fetch_optional(tx)
    .await
}

/// Up to `max_tenants` tenants with events the subscriber `name` has not handled yet.
pub(crate) async fn tenants_behind<'e>(
    db: impl PgExecutor<'e>,
    name: &str,
    max_tenants: i32,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT tenant_id AS "tenant_id!" FROM kernel_events_behind($1, $2)"#,
        name,
        max_tenants,
    )
    .fetch_all(db)
    .await
}

/// Locks the subscriber's cursor for `tenant` until the transaction ends and returns it, or
/// `None` when another worker holds it.
pub(crate) async fn lock_cursor(
    tx: &mut PgConnection,
    name: &str,
    tenant: Uuid,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("SELECT kernel_events_lock_cursor($1, $2)", name, tenant)
        .fetch_one(tx)
        .await
}

/// Moves the subscriber's cursor for `tenant` to `seq` (in the transaction that locked it).
pub(crate) async fn advance_cursor(
    tx: &mut PgConnection,
    name: &str,
    tenant: Uuid,
    seq: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "SELECT kernel_events_advance($1, $2, $3)",
        name,
        tenant,
        seq
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Deletes every tenant's events older than `age` (at least one hour, or the database refuses)
/// and returns how many. Needs no tenant: it goes through the `kernel_events_purge` SQL
/// function, which runs as the migration owner. Sequence counters are kept, so numbering
/// carries on after a purge.
pub async fn purge_older_than<'e>(
    db: impl PgExecutor<'e>,
    age: Duration,
) -> Result<u64, EventError> {
    let age = PgInterval::try_from(age).map_err(sqlx::Error::Encode)?;
    let removed = sqlx::query_scalar!(r#"SELECT kernel_events_purge($1) AS "removed!""#, age)
        .fetch_one(db)
        .await?;
    Ok(u64::try_from(removed).unwrap_or(0))
}
