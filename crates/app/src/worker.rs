//! `fortress worker`: runs jobs and cron schedules until SIGINT/SIGTERM, then stops cleanly.
//! Every slice registers its job kinds, subscribers and schedules (see [`registry`]).

use kernel::jobs::{Registry, Worker};

use crate::Platform;

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
    let ctx = platform.slice_context()?;
    for slice in crate::slices::all() {
        slice
            .register_jobs(&ctx, &mut registry)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(registry)
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
