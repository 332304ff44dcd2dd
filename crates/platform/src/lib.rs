//! platform: the product's own plumbing that is a capability of its own rather than a
//! building block: the live-event stream for the UI, the jobs admin, and the cleanups.
//!
//! - [`sse`]: `GET /api/v1/events`, the caller's tenant events as Server-Sent Events,
//!   resumable by `Last-Event-ID` (the outbox and the hub are the kernel's);
//! - [`jobs`]: `/api/v1/jobs`, the tenant's background jobs and dead letters for admins;
//! - [`cleanup`]: cron chores that purge old events, finished jobs and expired idempotency keys.

pub mod cleanup;
pub mod jobs;
pub mod sse;

pub use cleanup::Retention;

/// The slice: the events stream and the jobs admin, and the platform's chores.
pub fn slice() -> kernel::Slice {
    kernel::Slice::new("platform", |cfg| {
        sse::configure(cfg);
        jobs::configure(cfg);
    })
    .with_jobs(cleanup::register)
}
