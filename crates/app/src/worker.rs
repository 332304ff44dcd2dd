//! `fortress worker`: runs background work until SIGINT/SIGTERM, then stops cleanly.
//! Job kinds and event handlers are registered here by the slices as they arrive.

use std::time::Duration;

use tokio::time::MissedTickBehavior;

use crate::Platform;

/// How often API-key last-used times move from Redis to the database.
const API_KEY_FLUSH_EVERY: Duration = Duration::from_secs(60);

pub async fn run(platform: Platform) -> anyhow::Result<()> {
    // Listen for signals before saying we started: a SIGTERM right after the log line must
    // stop the worker cleanly, not kill it with the default action.
    let shutdown = shutdown_signal()?;
    tokio::pin!(shutdown);
    tracing::info!(redis_prefix = platform.cache.prefix(), "worker started");
    let mut flush_api_keys = tokio::time::interval(API_KEY_FLUSH_EVERY);
    flush_api_keys.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            _ = flush_api_keys.tick() => {
                // Unflushed times stay in Redis, so a failed run is retried by the next one.
                if let Err(err) =
                    auth::store::api_keys::flush_last_used(&platform.db, &platform.cache).await
                {
                    tracing::warn!(error = %err, "flushing API-key last-used times failed");
                }
            }
        }
    }
    tracing::info!("worker stopping");
    platform.db.close().await;
    tracing::info!("worker stopped");
    Ok(())
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
