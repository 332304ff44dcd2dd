//! The platform's chores, fired by cron once per tick across all workers: old events, finished
//! jobs and expired idempotency keys are removed for every tenant at once.

use std::time::Duration;

use kernel::jobs::{JobContext, Registry, Schedule};
use kernel::slice::{Context, SliceError};

const PURGE_EVENTS: &str = "platform.purge_events";
const PURGE_JOBS: &str = "platform.purge_jobs";
const PURGE_IDEMPOTENCY_KEYS: &str = "platform.purge_idempotency_keys";

/// How long finished work is kept (from the app's configuration).
#[derive(Debug, Clone)]
pub struct Retention {
    pub events: Duration,
    pub succeeded_jobs: Duration,
    pub dead_jobs: Duration,
}

pub(crate) fn register(ctx: &Context, registry: &mut Registry) -> Result<(), SliceError> {
    let retention = ctx.settings::<Retention>()?;
    let db = ctx.db.clone();
    let events = retention.events;
    registry.on_raw(PURGE_EVENTS, move |_: JobContext| {
        let db = db.clone();
        async move {
            let removed = kernel::events::purge_older_than(&db, events).await?;
            tracing::info!(removed, "old events purged");
            Ok(())
        }
    });
    let db = ctx.db.clone();
    let (succeeded, dead) = (retention.succeeded_jobs, retention.dead_jobs);
    registry.on_raw(PURGE_JOBS, move |_: JobContext| {
        let db = db.clone();
        async move {
            let removed = kernel::jobs::purge(&db, succeeded, dead).await?;
            tracing::info!(removed, "finished jobs purged");
            Ok(())
        }
    });
    let db = ctx.db.clone();
    registry.on_raw(PURGE_IDEMPOTENCY_KEYS, move |_: JobContext| {
        let db = db.clone();
        async move {
            let removed = kernel::idempotency::delete_expired(&db).await?;
            tracing::info!(removed, "expired idempotency keys purged");
            Ok(())
        }
    });
    registry
        .schedule(Schedule::new("purge-events", "7 * * * *", PURGE_EVENTS)?)
        .schedule(Schedule::new("purge-jobs", "17 * * * *", PURGE_JOBS)?)
        .schedule(Schedule::new(
            "purge-idempotency-keys",
            "27 * * * *",
            PURGE_IDEMPOTENCY_KEYS,
        )?);
    Ok(())
}
