//! `fortress worker`: runs jobs and cron schedules until SIGINT/SIGTERM, then stops cleanly.
//! Every slice registers its job kinds, subscribers and schedules (see [`registry`]).

use std::time::Duration;

use kernel::jobs::{JobContext, Registry, Schedule, Worker};

use crate::Platform;

/// The platform's own job kinds (cleanups), fired by cron.
const PURGE_EVENTS: &str = "platform.purge_events";
const PURGE_JOBS: &str = "platform.purge_jobs";
const PURGE_IDEMPOTENCY_KEYS: &str = "platform.purge_idempotency_keys";

pub async fn run(platform: Platform) -> anyhow::Result<()> {
    // Listen for signals before saying we started: a SIGTERM right after the log line must
    // stop the worker cleanly, not kill it with the default action.
    let shutdown = shutdown_signal()?;
    let worker = Worker::new(
        platform.db.clone(),
        registry(&platform)?,
        platform.config.worker_config(),
    );
    tracing::info!(
        worker = worker.id(),
        redis_prefix = platform.cache.prefix(),
        "worker started"
    );
    worker.run(shutdown).await?;
    platform.db.close().await;
    tracing::info!("worker stopped");
    Ok(())
}

/// Every job kind, subscriber and schedule this build runs.
pub fn registry(platform: &Platform) -> anyhow::Result<Registry> {
    let mut registry = Registry::default();
    platform_jobs(&mut registry, platform)?;
    let ctx = platform.slice_context()?;
    kernel::webhooks::outbound::deliver::register(
        &mut registry,
        platform.db.clone(),
        platform.config.webhook_settings(),
    )?;
    for slice in crate::slices::all() {
        slice
            .register_jobs(&ctx, &mut registry)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(registry)
}

fn platform_jobs(registry: &mut Registry, platform: &Platform) -> anyhow::Result<()> {
    let config = platform.config.clone();
    let db = platform.db.clone();
    let retention = days(config.events_retention_days);
    registry.on_raw(PURGE_EVENTS, move |_: JobContext| {
        let db = db.clone();
        async move {
            let removed = kernel::events::purge_older_than(&db, retention).await?;
            tracing::info!(removed, "old events purged");
            Ok(())
        }
    });
    let db = platform.db.clone();
    let (succeeded, dead) = (
        Duration::from_secs(config.jobs_keep_succeeded_hours * 3600),
        days(config.jobs_keep_dead_days),
    );
    registry.on_raw(PURGE_JOBS, move |_: JobContext| {
        let db = db.clone();
        async move {
            let removed = kernel::jobs::purge(&db, succeeded, dead).await?;
            tracing::info!(removed, "finished jobs purged");
            Ok(())
        }
    });
    let db = platform.db.clone();
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

fn days(n: u64) -> Duration {
    Duration::from_secs(n * 24 * 3600)
}

/// Installs the SIGINT/SIGTERM handlers now; the future resolves on the first signal.
pub fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    Ok(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    })
}
