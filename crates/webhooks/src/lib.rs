//! Webhooks out: tenants register endpoints and receive their domain events, signed per the
//! Standard Webhooks spec (standardwebhooks.com).
//!
//! - **Fan-out** ([`fan_out`]): an event subscriber (`webhooks.fan_out`) turns each event into
//!   one delivery per matching, enabled endpoint (`UNIQUE (endpoint, event)`, so a batch handed
//!   twice creates nothing twice) and enqueues a `webhooks.deliver` job for each, in one
//!   transaction.
//! - **Delivery** ([`deliver`]): one attempt per job run: `POST` of the fixed body with
//!   `webhook-id` (the delivery, the same on every attempt: receivers dedupe on it),
//!   `webhook-timestamp` and `webhook-signature` (the current secret, and the previous one
//!   during a rotation), 15 s timeout, no redirects, internal addresses refused. Every attempt is
//!   logged. A 2xx ends it; 410 disables the endpoint; anything else is retried on the
//!   [`Settings::schedule`] (0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), later if the endpoint
//!   sent `Retry-After`. An endpoint that has failed for five days is disabled.
//! - **API** ([`routes`]): endpoints CRUD, secret rotation (the old secret stays valid 24 h),
//!   deliveries and attempts, manual redelivery.
//!
//! Like every slice it reads no other slice's tables: it consumes the kernel's event outbox.

pub mod deliver;
mod demo;
pub mod routes;
mod store;

use std::time::Duration;

pub use deliver::{fan_out, DeliverWebhook, FAN_OUT};
pub use kernel::outbound::TargetPolicy;

/// The slice: `/api/v1/webhook-endpoints`, the fan-out subscriber and the delivery job, and a
/// demo endpoint with its delivery history. The app installs [`Settings`] from its configuration.
pub fn slice() -> kernel::Slice {
    kernel::Slice::new("webhooks", routes::configure)
        .with_state(|ctx, cfg| {
            let settings = ctx.settings::<Settings>()?;
            cfg.app_data(actix_web::web::Data::from(settings));
            Ok(())
        })
        .with_jobs(|ctx, registry| {
            let settings = ctx.settings::<Settings>()?;
            deliver::register(registry, ctx.db.clone(), (*settings).clone())?;
            Ok(())
        })
        .with_demo(|ctx, tenant| Box::pin(demo::seed(ctx, tenant)))
}

/// How webhooks go out.
#[derive(Debug, Clone)]
pub struct Settings {
    pub targets: TargetPolicy,
    /// When each attempt is made, counted from the previous failure; its length is the number
    /// of attempts.
    pub schedule: Vec<Duration>,
    pub timeout: Duration,
    /// Failing this long without a success disables an endpoint.
    pub disable_after: Duration,
    /// How long a rotated-out secret still signs.
    pub rotation_overlap: Duration,
    /// The proxy deliveries go through, if any. Only this setting names one: the usual
    /// `HTTPS_PROXY`-style variables are ignored, as a proxy would resolve the target's name
    /// itself and bypass the guarded resolver.
    pub proxy: Option<String>,
}

impl Settings {
    /// The production schedule and limits; `allow_private` only for dev and tests.
    pub fn new(allow_private: bool) -> Self {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        Self {
            targets: TargetPolicy { allow_private },
            schedule: vec![
                Duration::ZERO,
                Duration::from_secs(5),
                minutes(5),
                minutes(30),
                minutes(120),
                minutes(300),
                minutes(600),
                minutes(600),
            ],
            timeout: Duration::from_secs(15),
            disable_after: Duration::from_secs(5 * 24 * 3600),
            rotation_overlap: Duration::from_secs(24 * 3600),
            proxy: None,
        }
    }
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut key = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(key)
    )
}
