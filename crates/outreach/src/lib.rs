//! Outreach: cold-email sequences sent from the tenant's own mailboxes, with deliverability
//! built in.
//!
//! - [`store`]: mailboxes, campaigns, enrollments, the send log and the suppression list.
//! - [`template`]: message templates (fields with fallbacks, spintax, minijinja in a sandbox).
//! - [`window`]: sending windows in the recipient's timezone, warm-up allowances.
//! - [`plan`]: due enrollments → messages on the send queue (windows, caps, warm-up, pacing,
//!   inbox rotation).
//! - [`send`]: the `outreach.send` job, at most once per (enrollment, step).
//! - [`smtp`]: SMTP sending that knows how far a message got, with pooled connections;
//!   [`dkim`] signs what a mailbox sends.
//! - [`unsubscribe`]: RFC 8058 one-click unsubscribe.
//! - [`inbox`]: the inbox check: replies, auto-replies, bounces and complaints read over
//!   [`imap`] and classed by [`inbound`] stop sequences; [`autopause`] pauses a mailbox or
//!   campaign whose bounce or complaint rate passes the tenant's threshold; [`feedback`] reads
//!   the bounces and complaints providers (SES through SNS, Resend, Postmark) report.
//! - [`routes`]: the HTTP API under `/api/v1/outreach`.
//!
//! Leads are read through [`kernel::contacts::Contacts`] (the leads slice implements it);
//! what happens to a lead's messages reaches its timeline as `email.*` events. Mailbox
//! passwords are sealed with the tenant's data key ([`kernel::secrets`]).

pub mod autopause;
mod demo;
pub mod dkim;
pub mod feedback;
pub mod imap;
pub mod inbound;
pub mod inbox;
pub mod plan;
pub mod routes;
pub mod send;
pub mod smtp;
pub mod store;
pub mod template;
pub mod unsubscribe;
pub mod window;

use std::sync::Arc;

use kernel::cache::Cache;
use kernel::contacts::Contacts;
use kernel::jobs::{Job, Registry, Schedule};
use kernel::secrets::Secrets;
use sqlx::PgPool;

/// The slice: `/api/v1/outreach/…` and the `outreach.plan`, `outreach.send`,
/// `outreach.inbox` and `outreach.sweep` jobs. The app installs [`Settings`] and the kernel's [`Secrets`].
pub fn slice() -> kernel::Slice {
    kernel::Slice::new("outreach", routes::configure)
        .with_state(|ctx, cfg| {
            cfg.app_data(actix_web::web::Data::new(Outreach::from_context(ctx)?));
            Ok(())
        })
        .with_jobs(|ctx, registry| {
            register(registry, Arc::new(Outreach::from_context(ctx)?))?;
            Ok(())
        })
        .with_demo(|ctx, tenant| Box::pin(demo::seed(ctx, tenant)))
}

/// Registers the planner, the sender, the inbox check and the minute sweep with a worker.
pub fn register(
    registry: &mut Registry,
    outreach: Arc<Outreach>,
) -> Result<(), croner::errors::CronError> {
    let planner = outreach.clone();
    registry.on::<plan::PlanTenant, _, _>(move |job, _| {
        let planner = planner.clone();
        async move {
            planner
                .plan(job.tenant()?, chrono::Utc::now())
                .await
                .map(|_| ())
        }
    });
    let sweeper = outreach.clone();
    registry.on::<plan::Sweep, _, _>(move |_, _| {
        let sweeper = sweeper.clone();
        async move {
            sweeper.sweep(chrono::Utc::now()).await?;
            sweeper.sweep_inboxes().await.map(|_| ())
        }
    });
    let checker = outreach.clone();
    registry.on::<inbox::CheckInbox, _, _>(move |job, check| {
        let checker = checker.clone();
        async move {
            checker
                .check_inbox(job.tenant()?, check.mailbox)
                .await
                .map(|_| ())
        }
    });
    registry.on::<send::SendMessage, _, _>(move |job, send| {
        let sender = outreach.clone();
        async move { sender.send(&job, send.message).await }
    });
    registry.schedule(Schedule::new(
        "outreach.sweep",
        "* * * * *",
        plan::Sweep::KIND,
    )?);
    Ok(())
}

/// The slice's settings, from the app's configuration.
#[derive(Clone)]
pub struct Settings {
    /// Where people reach the API (unsubscribe links point here).
    pub public_url: String,
    /// Signs unsubscribe links.
    pub unsubscribe_key: Vec<u8>,
    /// May mailboxes and inboxes point at private and loopback addresses, and SNS certificates
    /// come from this machine (dev and tests only: the local mail sink, fake providers)?
    pub allow_private_smtp: bool,
    pub timeouts: smtp::Timeouts,
    /// The local mail sink (`host`, `port`) the demo mailbox sends to, when the app's own mail
    /// goes to one.
    pub local_smtp: Option<(String, u16)>,
}

/// What the outreach routes and jobs work with.
pub struct Outreach {
    pub db: PgPool,
    pub cache: Cache,
    pub contacts: Arc<dyn Contacts>,
    pub secrets: Secrets,
    pub pool: smtp::Pool,
    /// Checks SNS signatures (SES notifications).
    pub sns: feedback::Sns,
    /// Checks signed provider webhooks (Resend) and refuses replays.
    pub verifier: kernel::webhooks::WebhookVerifier,
    pub settings: Settings,
}

impl Outreach {
    /// A sealed text (a password, a key) opened with the tenant's key; `None` stays `None`.
    /// The error says whether it was the store (worth a retry) or the value (not text).
    pub(crate) async fn open_text(
        &self,
        conn: &mut sqlx::PgConnection,
        purpose: &str,
        sealed: Option<&[u8]>,
    ) -> Result<Option<String>, kernel::jobs::JobFailure> {
        let Some(sealed) = sealed else {
            return Ok(None);
        };
        let plain = self
            .secrets
            .open(conn, purpose, sealed)
            .await
            .map_err(kernel::jobs::JobFailure::retry)?;
        String::from_utf8(plain)
            .map(Some)
            .map_err(kernel::jobs::JobFailure::permanent)
    }

    pub fn from_context(ctx: &kernel::slice::Context) -> Result<Self, kernel::slice::SliceError> {
        let settings = (*ctx.settings::<Settings>()?).clone();
        Ok(Self {
            db: ctx.db.clone(),
            cache: ctx.cache.clone(),
            contacts: ctx.contacts.clone(),
            secrets: (*ctx.settings::<Secrets>()?).clone(),
            pool: smtp::Pool::new(settings.timeouts, settings.allow_private_smtp),
            sns: feedback::Sns::new(settings.allow_private_smtp),
            verifier: kernel::webhooks::WebhookVerifier::new(ctx.cache.clone()),
            settings,
        })
    }
}
