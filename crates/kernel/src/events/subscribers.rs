//! Event subscribers: handlers run by `fortress worker` for every tenant's events, in order,
//! at least once.
//!
//! A subscriber keeps a cursor per tenant (`event_cursors`). Its dispatcher finds the tenants
//! whose events are ahead of the cursor, locks one tenant's cursor (`SKIP LOCKED`: two workers
//! never handle the same tenant at once; they share the tenants), hands the next batch to the
//! handler, and advances the cursor in the same transaction once the handler succeeded. A
//! failed handler or a crash leaves the cursor where it was, so the batch is handed again:
//! handlers are idempotent (an insert that ignores what exists, a key).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use sqlx::PgPool;
use tokio::sync::Notify;

use super::{read_after, store, StoredEvent};
use crate::jobs::JobFailure;
use crate::tenancy::{tenant_tx_for, TenantId};

/// Events handed to a subscriber at once, at most.
pub const BATCH: i64 = 200;
/// Tenants looked at per pass.
const TENANTS_PER_PASS: i32 = 100;

type Handler = Arc<
    dyn Fn(TenantId, Vec<StoredEvent>) -> BoxFuture<'static, Result<(), JobFailure>> + Send + Sync,
>;

/// A named handler of every tenant's events.
#[derive(Clone)]
pub struct Subscriber {
    name: String,
    handler: Handler,
}

impl Subscriber {
    /// `name` is stable (it keys the cursors): `<slice>.<purpose>`, e.g. `webhooks.fan_out`.
    pub fn new<F, Fut>(name: &str, handler: F) -> Self
    where
        F: Fn(TenantId, Vec<StoredEvent>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobFailure>> + Send + 'static,
    {
        assert!(
            crate::jobs::valid_kind(name),
            "invalid subscriber name {name:?}"
        );
        Self {
            name: name.to_owned(),
            handler: Arc::new(move |tenant, events| handler(tenant, events).boxed()),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Runs one subscriber for ever: a pass over the tenants that are behind, then a wait for new
/// events (`wake`) or the poll interval.
pub(crate) async fn dispatch(
    db: PgPool,
    subscriber: Subscriber,
    wake: Arc<Notify>,
    poll: Duration,
) {
    loop {
        match pass(&db, &subscriber).await {
            // Work was done: there may be more.
            Ok(true) => continue,
            Ok(false) => {}
            Err(err) => {
                tracing::warn!(subscriber = %subscriber.name, error = %err, "event dispatch failed; retrying")
            }
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(poll) => {}
        }
    }
}

/// One pass; true when some tenant's cursor moved.
async fn pass(db: &PgPool, subscriber: &Subscriber) -> Result<bool, sqlx::Error> {
    let behind = store::tenants_behind(db, &subscriber.name, TENANTS_PER_PASS).await?;
    let mut moved = false;
    for tenant in behind {
        let tenant = TenantId(tenant);
        let mut cursor_tx = db.begin().await?;
        let cursor = store::lock_cursor(&mut cursor_tx, &subscriber.name, tenant.0).await?;
        let Some(after) = cursor else { continue }; // another worker has this tenant
        let mut read = tenant_tx_for(db, tenant).await?;
        let events = read_after(&mut read, after, None, BATCH)
            .await
            .map_err(|err| sqlx::Error::Protocol(err.to_string()))?;
        read.commit().await?;
        let Some(last) = events.last().map(|e| e.seq) else {
            continue;
        };
        let count = events.len();
        match (subscriber.handler)(tenant, events).await {
            Ok(()) => {
                store::advance_cursor(&mut cursor_tx, &subscriber.name, tenant.0, last).await?;
                cursor_tx.commit().await?;
                tracing::debug!(subscriber = %subscriber.name, tenant = %tenant.0, count, last, "events handled");
                moved = true;
            }
            Err(failure) => {
                tracing::warn!(subscriber = %subscriber.name, tenant = %tenant.0, error = %failure,
                    "event handler failed; the batch is handed again");
            }
        }
    }
    Ok(moved)
}
