//! The outbox in PostgreSQL: writing an event in the caller's transaction, reading a tenant's
//! events in order, and retention. Tenant isolation is row-level security's job; the explicit
//! `tenant_id = kernel_current_tenant()` predicates only let the planner use the keys.

use std::time::Duration;

use sqlx::{PgConnection, PgExecutor};

use super::{EventError, NewEvent, StoredEvent};

/// The most events one [`read_after`] call returns.
pub const MAX_READ_LIMIT: i64 = 1000;

/// Writes `event` in the caller's transaction (opened with `tenant_tx`) for its tenant and
/// returns its sequence number. The tenant's counter stays locked until the transaction ends:
/// publish as late as possible before committing (see the module docs).
pub async fn publish(tx: &mut PgConnection, event: &NewEvent) -> Result<i64, EventError> {
    // No tenant on the transaction: the first CTE inserts nothing, so neither does the second,
    // and no row comes back.
    let seq: Option<i64> = sqlx::query_scalar(
        "WITH bumped AS ( \
             INSERT INTO event_sequences (tenant_id, last_seq) \
             SELECT t, 1 FROM (SELECT kernel_current_tenant() AS t) current WHERE t IS NOT NULL \
             ON CONFLICT (tenant_id) DO UPDATE SET last_seq = event_sequences.last_seq + 1 \
             RETURNING tenant_id, last_seq \
         ) \
         INSERT INTO events (tenant_id, seq, channel, type, payload) \
         SELECT tenant_id, last_seq, $1, $2, $3 FROM bumped \
         RETURNING seq",
    )
    .bind(event.channel())
    .bind(event.event_type())
    .bind(event.payload())
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
    let events = sqlx::query_as(
        "SELECT seq, channel, type, payload, created_at FROM events \
         WHERE tenant_id = kernel_current_tenant() AND seq > $1 \
           AND ($2::text[] IS NULL OR channel = ANY($2)) \
         ORDER BY seq \
         LIMIT $3",
    )
    .bind(after_seq)
    .bind(channels)
    .bind(limit.clamp(0, MAX_READ_LIMIT))
    .fetch_all(&mut *tx)
    .await?;
    Ok(events)
}

/// Deletes every tenant's events older than `age` (at least one hour, or the database refuses)
/// and returns how many. Needs no tenant: it goes through the `kernel_events_purge` SQL
/// function, which runs as the migration owner. Sequence counters are kept, so numbering
/// carries on after a purge.
pub async fn purge_older_than<'e>(
    db: impl PgExecutor<'e>,
    age: Duration,
) -> Result<u64, EventError> {
    let removed: i64 = sqlx::query_scalar("SELECT kernel_events_purge($1)")
        .bind(age)
        .fetch_one(db)
        .await?;
    Ok(u64::try_from(removed).unwrap_or(0))
}
