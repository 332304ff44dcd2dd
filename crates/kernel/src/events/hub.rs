//! The live-event hub of one `serve` process: one feed per tenant with listeners, fed from
//! PostgreSQL and woken by Redis pub/sub.
//!
//! A feed reads its tenant's new events once per wake-up and broadcasts them, already framed
//! for SSE, to every listener of that tenant on this instance: one query per tenant and event
//! batch, not one per client. The broadcast buffer is bounded; a listener that falls behind it
//! is told so ([`Lagged`]) and the SSE stream ends, so a slow client never holds back the
//! others and resumes by id from PostgreSQL when it reconnects.
//!
//! Wake-ups come from [`super::notify_committed`] on any instance, through one pattern
//! subscription per process. A lost wake-up is caught by each feed's poll every
//! [`POLL_EVERY`]; history is in PostgreSQL, so nothing is ever lost, only late.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use actix_web::web::Bytes;
use futures_util::StreamExt;
use serde::Serialize;
use sqlx::PgPool;
use tokio::sync::{broadcast, Notify};

use super::{read_after, store, EventError, StoredEvent, MAX_READ_LIMIT};
use crate::cache::Cache;
use crate::tenancy::{tenant_tx_for, TenantId};

/// Events a feed buffers for its slowest listener.
pub const LISTENER_BUFFER: usize = 1024;
/// A feed lets other tasks run after broadcasting this many events in a row.
const YIELD_EVERY: usize = 64;
/// How often a feed looks for events even without a wake-up.
pub const POLL_EVERY: Duration = Duration::from_secs(5);

/// An event ready to write to an SSE stream.
#[derive(Debug)]
pub struct Frame {
    pub seq: i64,
    pub channel: String,
    /// `id: …\nevent: …\ndata: …\n\n`.
    pub bytes: Bytes,
}

/// What an SSE client receives as `data:`, in the shape Refine's live provider reads.
#[derive(Serialize)]
struct LiveMessage<'a> {
    channel: &'a str,
    #[serde(rename = "type")]
    event_type: &'a str,
    payload: &'a serde_json::Value,
    date: chrono::DateTime<chrono::Utc>,
}

impl Frame {
    pub fn new(event: &StoredEvent) -> Self {
        let data = serde_json::to_string(&LiveMessage {
            channel: &event.channel,
            event_type: &event.event_type,
            payload: &event.payload,
            date: event.created_at,
        })
        .unwrap_or_else(|_| "{}".to_owned());
        // Channel and type are restricted to [a-z0-9_./:-] and JSON has no raw newline, so no
        // field can break the framing.
        let text = format!(
            "id: {}\nevent: {}\ndata: {data}\n\n",
            event.seq, event.event_type
        );
        Self {
            seq: event.seq,
            channel: event.channel.clone(),
            bytes: Bytes::from(text),
        }
    }
}

/// A listener fell more than [`LISTENER_BUFFER`] events behind.
#[derive(Debug)]
pub struct Lagged;

/// One tenant's feed on this instance.
struct Feed {
    sender: broadcast::Sender<Arc<Frame>>,
    wake: Notify,
    /// The highest sequence number broadcast (or the tenant's last one when the feed opened).
    last_seq: Mutex<i64>,
}

/// A listener's end of a feed. Holding it keeps the feed alive.
pub struct Listener {
    feed: Arc<Feed>,
    receiver: broadcast::Receiver<Arc<Frame>>,
}

impl Listener {
    /// The sequence number the feed had reached when this listener joined (or since).
    pub fn feed_seq(&self) -> i64 {
        *self
            .feed
            .last_seq
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The next broadcast frame; `Err(Lagged)` when this listener fell too far behind.
    pub async fn next(&mut self) -> Result<Arc<Frame>, Lagged> {
        match self.receiver.recv().await {
            Ok(frame) => Ok(frame),
            Err(broadcast::error::RecvError::Lagged(_)) => Err(Lagged),
            // The feed task holds the sender for as long as any listener lives.
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
        }
    }
}

/// The process's hub. Cheap to clone.
#[derive(Clone)]
pub struct EventHub {
    inner: Arc<HubInner>,
}

struct HubInner {
    db: PgPool,
    cache: Cache,
    feeds: Mutex<HashMap<TenantId, Weak<Feed>>>,
    /// Becomes true when the server shuts down: every stream ends, so draining connections
    /// does not wait for clients that would never hang up.
    closing: tokio::sync::watch::Sender<bool>,
}

impl EventHub {
    /// Creates the hub and starts its Redis subscription (reconnecting for ever).
    pub fn start(db: PgPool, cache: Cache) -> Self {
        let hub = Self {
            inner: Arc::new(HubInner {
                db,
                cache,
                feeds: Mutex::default(),
                closing: tokio::sync::watch::Sender::new(false),
            }),
        };
        tokio::spawn(subscribe(Arc::downgrade(&hub.inner)));
        hub
    }

    /// Ends every stream (server shutdown); clients reconnect to another instance by id.
    pub fn close(&self) {
        self.inner.closing.send_replace(true);
    }

    /// Resolves when [`EventHub::close`] was called.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut closing = self.inner.closing.subscribe();
        async move {
            let _ = closing.wait_for(|closed| *closed).await;
        }
    }

    pub fn db(&self) -> &PgPool {
        &self.inner.db
    }

    /// Joins `tenant`'s feed, opening it (at the tenant's latest event) if this is the first
    /// listener on this instance.
    pub async fn listen(&self, tenant: TenantId) -> Result<Listener, EventError> {
        if let Some(listener) = self.join(tenant) {
            return Ok(listener);
        }
        let last_seq = latest_seq(&self.inner.db, tenant).await?;
        let mut feeds = self
            .inner
            .feeds
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Another request may have opened it meanwhile.
        if let Some(feed) = feeds.get(&tenant).and_then(Weak::upgrade) {
            let receiver = feed.sender.subscribe();
            return Ok(Listener { feed, receiver });
        }
        let (sender, receiver) = broadcast::channel(LISTENER_BUFFER);
        let feed = Arc::new(Feed {
            sender,
            wake: Notify::new(),
            last_seq: Mutex::new(last_seq),
        });
        feeds.retain(|_, feed| feed.strong_count() > 0);
        feeds.insert(tenant, Arc::downgrade(&feed));
        tokio::spawn(run_feed(
            Arc::downgrade(&self.inner),
            tenant,
            Arc::downgrade(&feed),
        ));
        Ok(Listener { feed, receiver })
    }

    /// Subscribes to an open feed. Under the map's lock, so a feed closing (which checks for
    /// listeners under the same lock) never loses a listener that just joined.
    fn join(&self, tenant: TenantId) -> Option<Listener> {
        let feeds = self
            .inner
            .feeds
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let feed = feeds.get(&tenant).and_then(Weak::upgrade)?;
        let receiver = feed.sender.subscribe();
        Some(Listener { feed, receiver })
    }

    /// Listeners on this instance, for metrics and tests.
    pub fn listeners(&self) -> usize {
        let feeds = self
            .inner
            .feeds
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        feeds
            .values()
            .filter_map(Weak::upgrade)
            .map(|f| f.sender.receiver_count())
            .sum()
    }
}

async fn latest_seq(db: &PgPool, tenant: TenantId) -> Result<i64, EventError> {
    let mut tx = tenant_tx_for(db, tenant).await?;
    let seq = store::last_seq(&mut tx).await?;
    tx.commit().await?;
    Ok(seq.unwrap_or(0))
}

/// Reads and broadcasts the tenant's new events at each wake-up or poll, until the last
/// listener is gone.
async fn run_feed(hub: Weak<HubInner>, tenant: TenantId, feed: Weak<Feed>) {
    loop {
        let (Some(inner), Some(strong)) = (hub.upgrade(), feed.upgrade()) else {
            return;
        };
        let after = *strong
            .last_seq
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match read_batch(&inner.db, tenant, after).await {
            Ok(events) => {
                let full = events.len() as i64 == MAX_READ_LIMIT;
                for (n, event) in events.iter().enumerate() {
                    // No receiver right now is fine: the feed closes below when none is left.
                    let _ = strong.sender.send(Arc::new(Frame::new(event)));
                    // Let the streams on this thread write between sends: a burst larger than
                    // the buffer must cut off only the clients that really are slow.
                    if n % YIELD_EVERY == YIELD_EVERY - 1 {
                        tokio::task::yield_now().await;
                    }
                }
                if let Some(last) = events.last() {
                    *strong
                        .last_seq
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner) = last.seq;
                }
                if full {
                    continue;
                }
            }
            Err(err) => {
                tracing::warn!(tenant = %tenant.0, error = %err, "reading live events failed; retrying")
            }
        }
        tokio::select! {
            () = strong.wake.notified() => {}
            () = tokio::time::sleep(POLL_EVERY) => {}
        }
        let mut feeds = inner.feeds.lock().unwrap_or_else(PoisonError::into_inner);
        if strong.sender.receiver_count() == 0 {
            feeds.remove(&tenant);
            return;
        }
    }
}

async fn read_batch(
    db: &PgPool,
    tenant: TenantId,
    after: i64,
) -> Result<Vec<StoredEvent>, EventError> {
    let mut tx = tenant_tx_for(db, tenant).await?;
    let events = read_after(&mut tx, after, None, MAX_READ_LIMIT).await?;
    tx.commit().await?;
    Ok(events)
}

/// The process's one Redis subscription to every tenant's wake-up channel.
async fn subscribe(hub: Weak<HubInner>) {
    let mut delay = Duration::from_millis(100);
    loop {
        let Some(inner) = hub.upgrade() else { return };
        let pattern = inner.cache.key("events:*");
        let prefix_len = inner.cache.key("events:").len();
        let client = inner.cache.client().clone();
        drop(inner);
        let subscribed = async {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.psubscribe(&pattern).await?;
            Ok::<_, redis::RedisError>(pubsub)
        }
        .await;
        let pubsub = match subscribed {
            Ok(pubsub) => pubsub,
            Err(err) => {
                tracing::warn!(error = %err, "live events: Redis subscription failed; feeds poll meanwhile");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
                continue;
            }
        };
        delay = Duration::from_millis(100);
        // Anything committed while we were not subscribed is picked up now.
        wake_all(&hub);
        let mut messages = pubsub.into_on_message();
        while let Some(message) = messages.next().await {
            let Some(inner) = hub.upgrade() else { return };
            let tenant = message
                .get_channel_name()
                .get(prefix_len..)
                .and_then(|t| t.parse().ok())
                .map(TenantId);
            if let Some(feed) = tenant.and_then(|t| {
                let feeds = inner.feeds.lock().unwrap_or_else(PoisonError::into_inner);
                feeds.get(&t).and_then(Weak::upgrade)
            }) {
                feed.wake.notify_one();
            }
        }
        tracing::warn!("live events: Redis subscription lost; reconnecting");
    }
}

fn wake_all(hub: &Weak<HubInner>) {
    if let Some(inner) = hub.upgrade() {
        let feeds = inner.feeds.lock().unwrap_or_else(PoisonError::into_inner);
        for feed in feeds.values().filter_map(Weak::upgrade) {
            feed.wake.notify_one();
        }
    }
}
