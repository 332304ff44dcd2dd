//! `fortress worker`: runs background work until SIGINT/SIGTERM, then stops cleanly.
//! Job kinds and event handlers are registered here by the slices as they arrive.

use crate::Platform;

pub async fn run(platform: Platform) -> anyhow::Result<()> {
    tracing::info!(
        redis_prefix = platform.cache.prefix(),
        "worker started; no job kinds are registered yet"
    );
    shutdown_signal().await;
    tracing::info!("worker stopping");
    platform.db.close().await;
    tracing::info!("worker stopped");
    Ok(())
}

/// Resolves on the first SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; waiting for SIGINT only");
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
