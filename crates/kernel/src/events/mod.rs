//! Domain events as a transactional outbox: an event is a row written in the same transaction
//! as the change it describes, so it exists if and only if the change committed (no dual
//! writes). The SSE hub, outbound webhooks and slice subscribers read them back in order.
//!
//! # The per-tenant sequence
//!
//! Each tenant's events are numbered 1, 2, 3, … by a counter row in `event_sequences`, bumped
//! by [`publish`] with `INSERT … ON CONFLICT (tenant_id) DO UPDATE … RETURNING last_seq` in the
//! caller's transaction. That statement takes the counter row's lock and keeps it until the
//! transaction ends, so publishers of one tenant are serialised:
//!
//! - **gap-free**: a rolled-back transaction rolls its bump back too, and the next publisher
//!   gets the same number; a PostgreSQL `SEQUENCE` would leave a hole;
//! - **ordered by commit**: a second publisher waits on the lock until the first commits, so a
//!   lower number is never committed after a higher one. A reader that has seen `seq = n` can
//!   ask for "everything after `n`" (SSE `Last-Event-ID`) and never miss an event that was still
//!   in flight. A `SEQUENCE` gives no such promise: numbers are taken in one order and committed
//!   in another.
//!
//! The price is that one tenant's writing transactions that publish take turns from the
//! `publish` call to their commit: publish last, just before committing. Tenants never wait on
//! each other. Transactions run at READ COMMITTED (sqlx's default); at REPEATABLE READ or above
//! a concurrent publisher would fail with a serialisation error instead of waiting.
//!
//! # Waking other instances, retention
//!
//! After the commit the caller may call [`notify_committed`], a best-effort Redis `PUBLISH` that
//! wakes readers on other instances; a lost wake-up only delays them, because the history stays
//! in PostgreSQL. [`purge_older_than`] removes old events for every tenant at once (the cleanup
//! job calls it with [`DEFAULT_RETENTION`]) through the `kernel_events_purge` SQL function,
//! the one path around row-level security.

mod event;
pub mod hub;
mod store;
pub mod subscribers;
mod wake;

use std::time::Duration;

pub use event::{validate_channel, validate_event_type, NewEvent, StoredEvent};
pub use hub::EventHub;
pub use store::{publish, purge_older_than, read_after, MAX_READ_LIMIT};
pub use subscribers::Subscriber;
pub use wake::{notify_committed, wake_channel};

use crate::Problem;

/// How long events are kept when the configuration says nothing else.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Why an event could not be published or read.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("invalid event channel {0:?}: 1-200 characters of a-z 0-9 _ . / : -")]
    InvalidChannel(String),
    #[error("invalid event type {0:?}: 1-100 characters of a-z 0-9 _ . / : -")]
    InvalidType(String),
    #[error("invalid event payload: {0}")]
    InvalidPayload(&'static str),
    /// `publish` ran outside `tenant_tx`: no `app.tenant_id` on the transaction.
    #[error("no tenant is set on the transaction")]
    NoTenant,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<EventError> for Problem {
    fn from(err: EventError) -> Self {
        match err {
            // Only a client-supplied channel filter (SSE `?channels=`) can reach a response as
            // something other than our own bug.
            EventError::InvalidChannel(_) => {
                Problem::new(crate::ProblemCode::InvalidChannel, err.to_string())
            }
            _ => Problem::internal(&err),
        }
    }
}
