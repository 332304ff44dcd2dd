//! The inbox check (`outreach.inbox`): reads a mailbox's new mail over IMAP and acts on what
//! answers our messages.
//!
//! 1. The inbox's settings and password are read (the transaction ends before the network).
//! 2. New messages are read ([`crate::imap`]) and classed ([`crate::inbound`]).
//! 3. In one transaction with the new cursor, each message that is about one of ours (by its
//!    `In-Reply-To`/`References`, a report's returned Message-ID, or else the sender's address)
//!    is kept once and acted on:
//!    - a reply stops the lead's sequence (`replied`), and with the campaign's
//!      `stop_company_on_reply` the sequences of everyone at the same company domain in that
//!      campaign (`company_replied`; never for free-mail domains);
//!    - an auto-reply stops it only when the campaign says so (`stop_on_auto_reply`);
//!    - a bounce marks the message bounced, suppresses the address and stops its sequences;
//!    - a complaint suppresses the address and stops its sequences (`complained`);
//!
//!    each lands on the lead's timeline as an `email.*` event, and bounces and complaints may
//!    pause the mailbox or campaign ([`crate::autopause`]).
//!
//! Mail that is about none of our messages is read past and never kept. A check that fails
//! (server down, password changed) keeps its error on the inbox and tries again in five
//! minutes; the minute sweep enqueues the checks that are due.

use chrono::{Duration, Utc};
use kernel::jobs::{enqueue, Job, JobFailure, JobOptions};
use kernel::{TenantId, UnitOfWork};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::imap::{self, Cursor, ImapServer};
use crate::inbound::{self, Inbound, Kind};
use crate::send::PASSWORD_PURPOSE;
use crate::store::messages::Answered;
use crate::store::replies::NewReply;
use crate::store::{campaigns, enrollments, inboxes, messages, replies, suppressions};
use crate::{autopause, plan, Outreach};

/// Check mailbox `mailbox`'s inbox.
#[derive(Debug, Serialize, Deserialize)]
pub struct CheckInbox {
    pub mailbox: Uuid,
}

impl Job for CheckInbox {
    const KIND: &'static str = "outreach.inbox";
}

/// The purpose inbox passwords are sealed for (kernel secrets).
pub(crate) const INBOX_PURPOSE: &str = "outreach.inbox";

/// Seconds between two checks of an inbox.
const EVERY_SECONDS: i64 = 60;
/// Minutes before a failed check is tried again.
const AFTER_ERROR_MINUTES: i64 = 5;
/// Messages read per check.
const BATCH: usize = 200;
/// Inboxes the sweep enqueues per minute.
const SWEEP_LIMIT: i32 = 5000;

/// Domains shared by many people: a reply from one of them says nothing of the others.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yahoo.fr",
    "ymail.com",
    "outlook.com",
    "hotmail.com",
    "hotmail.co.uk",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "gmx.com",
    "web.de",
    "t-online.de",
    "mail.ru",
    "yandex.ru",
    "qq.com",
    "163.com",
    "zoho.com",
    "fastmail.com",
    "hey.com",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "libero.it",
];

/// What one check did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CheckSummary {
    /// New messages read.
    pub read: usize,
    pub replies: usize,
    pub auto_replies: usize,
    pub bounces: usize,
    pub complaints: usize,
    /// Why the check failed, if it did.
    pub error: Option<String>,
}

impl Outreach {
    /// Checks `mailbox`'s inbox now.
    #[tracing::instrument(skip_all, fields(mailbox = %mailbox))]
    pub async fn check_inbox(
        &self,
        tenant: TenantId,
        mailbox: Uuid,
    ) -> Result<CheckSummary, JobFailure> {
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant).await?;
        let Some(reader) = inboxes::reader(&mut work, mailbox).await? else {
            return Ok(CheckSummary::default()); // removed since
        };
        // Its own password, else the mailbox's SMTP one.
        let password = match &reader.password {
            Some(own) => self.open_text(&mut work, INBOX_PURPOSE, Some(own)).await?,
            None => {
                self.open_text(&mut work, PASSWORD_PURPOSE, reader.smtp_password.as_deref())
                    .await?
            }
        }
        .unwrap_or_default();
        // The transaction is not held across the network.
        work.commit().await?;
        let server = ImapServer {
            host: reader.host.clone(),
            port: u16::try_from(reader.port).unwrap_or(993),
            security: reader.security.clone(),
            username: reader.username.clone(),
            password,
            folder: reader.folder.clone(),
        };
        let cursor = Cursor {
            uid_validity: reader.uid_validity.and_then(|v| u32::try_from(v).ok()),
            last_uid: u32::try_from(reader.last_uid).unwrap_or(0),
        };
        let since = reader.first_sent.unwrap_or_else(Utc::now).date_naive() - Duration::days(1);
        let fetched = imap::fetch_new(
            &server,
            cursor,
            since,
            BATCH,
            &self.settings.timeouts,
            self.settings.allow_private_smtp,
        )
        .await;
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant).await?;
        let batch = match fetched {
            Ok(batch) => batch,
            Err(why) => {
                tracing::info!(error = %why, "inbox check failed");
                let next = Utc::now() + Duration::minutes(AFTER_ERROR_MINUTES);
                inboxes::failed(&mut work, mailbox, &why, next).await?;
                work.commit().await?;
                return Ok(CheckSummary {
                    error: Some(why),
                    ..CheckSummary::default()
                });
            }
        };
        let mut summary = CheckSummary {
            read: batch.messages.len(),
            ..CheckSummary::default()
        };
        for (uid, raw) in &batch.messages {
            let Some(inbound) = inbound::read(raw) else {
                continue;
            };
            let key = format!("imap:{mailbox}:{}:{uid}", batch.uid_validity);
            if let Some(kind) = self.take(&mut work, Some(mailbox), &key, &inbound).await? {
                match kind {
                    Kind::Reply => summary.replies += 1,
                    Kind::AutoReply => summary.auto_replies += 1,
                    Kind::Bounce => summary.bounces += 1,
                    Kind::Complaint => summary.complaints += 1,
                }
            }
        }
        let next = if batch.more {
            Utc::now()
        } else {
            Utc::now() + Duration::seconds(EVERY_SECONDS)
        };
        inboxes::checked(
            &mut work,
            mailbox,
            i64::from(batch.uid_validity),
            i64::from(batch.last_uid),
            next,
        )
        .await?;
        work.commit().await?;
        Ok(summary)
    }

    /// Keeps and acts on one message (read from `mailbox`'s inbox, or a provider's
    /// notification) if it is about one of ours, once per `source_key`; answers its kind then.
    pub(crate) async fn take(
        &self,
        work: &mut UnitOfWork,
        mailbox: Option<Uuid>,
        source_key: &str,
        inbound: &Inbound,
    ) -> Result<Option<Kind>, JobFailure> {
        let mut answered = None;
        if !inbound.refers_to.is_empty() {
            answered = messages::by_message_ids(work, &inbound.refers_to).await?;
        }
        if answered.is_none() && inbound.from.contains('@') {
            answered = messages::latest_to(work, mailbox, &inbound.from).await?;
        }
        let Some(answered) = answered else {
            return Ok(None);
        };
        let id = Uuid::now_v7();
        let kept = replies::insert(
            work,
            &NewReply {
                id,
                mailbox_id: answered.mailbox_id,
                kind: inbound.kind.as_str(),
                message_id: answered.id,
                enrollment_id: answered.enrollment_id,
                campaign_id: answered.campaign_id,
                lead_id: answered.lead_id,
                from_address: &inbound.from,
                subject: &inbound.subject,
                snippet: &inbound.snippet,
                detail: inbound.detail.as_deref(),
                rfc_message_id: inbound.message_id.as_deref(),
                received_at: inbound.received_at.unwrap_or_else(Utc::now),
                source_key,
            },
        )
        .await?;
        if !kept {
            return Ok(None); // read (or delivered) before
        }
        work.publish_ids("outreach_replies", "outreach.reply.created", &[id])
            .await?;
        self.act(work, &answered, inbound).await?;
        Ok(Some(inbound.kind))
    }

    /// What a reply, auto-reply, bounce or complaint does to the sequences.
    pub(crate) async fn act(
        &self,
        work: &mut UnitOfWork,
        answered: &Answered,
        inbound: &Inbound,
    ) -> Result<(), JobFailure> {
        let campaign = campaigns::get(work, answered.campaign_id).await?;
        let email = answered.to_address.to_lowercase();
        let (event, summary) = match inbound.kind {
            Kind::Reply => {
                stop_one(work, answered.enrollment_id, "replied").await?;
                let domain = email.rsplit_once('@').map(|(_, d)| d.to_owned());
                if let (Some(campaign), Some(domain)) = (&campaign, domain) {
                    if campaign.stop_company_on_reply && !FREE_MAIL.contains(&domain.as_str()) {
                        let stopped =
                            enrollments::stop_domain(work, campaign.id, &domain, "company_replied")
                                .await?;
                        messages::cancel_of_enrollments(work, &stopped).await?;
                    }
                }
                ("email.replied", format!("Replied: {}", inbound.subject))
            }
            Kind::AutoReply => {
                if campaign.as_ref().is_some_and(|c| c.stop_on_auto_reply) {
                    stop_one(work, answered.enrollment_id, "auto_replied").await?;
                }
                (
                    "email.auto_replied",
                    format!("Auto-reply: {}", inbound.subject),
                )
            }
            Kind::Bounce => {
                let detail = inbound.detail.as_deref().unwrap_or("bounced");
                messages::bounced_later(work, answered.id, detail).await?;
                stop_address(work, &email, "bounced", "bounced").await?;
                ("email.bounced", format!("Bounced: {email} ({detail})"))
            }
            Kind::Complaint => {
                stop_address(work, &email, "complaint", "complained").await?;
                ("email.complained", format!("Marked as spam by {email}"))
            }
        };
        let event = plan::email_event(
            event,
            answered.id,
            answered.lead_id,
            answered.campaign_id,
            &summary,
        )?;
        work.publish(&event).await?;
        if matches!(inbound.kind, Kind::Bounce | Kind::Complaint) {
            autopause::check(work, answered.mailbox_id, answered.campaign_id).await?;
        }
        Ok(())
    }

    /// The minute sweep's share: claims the inboxes that are due and enqueues their checks.
    pub async fn sweep_inboxes(&self) -> Result<usize, JobFailure> {
        let due = sqlx::query!(
            r#"SELECT tenant_id AS "tenant_id!", mailbox_id AS "mailbox_id!"
               FROM outreach_claim_inboxes($1)"#,
            SWEEP_LIMIT
        )
        .fetch_all(&self.db)
        .await?;
        for row in &due {
            let mut work =
                UnitOfWork::begin_for(&self.db, &self.cache, TenantId(row.tenant_id)).await?;
            enqueue(
                &mut work,
                &CheckInbox {
                    mailbox: row.mailbox_id,
                },
                &JobOptions::default()
                    .key(format!("outreach.inbox:{}", row.mailbox_id))
                    .max_attempts(3),
            )
            .await?;
            work.commit().await?;
        }
        Ok(due.len())
    }
}

async fn stop_one(work: &mut UnitOfWork, enrollment: Uuid, reason: &str) -> Result<(), JobFailure> {
    if enrollments::stop(work, enrollment, reason).await? {
        messages::cancel_of_enrollment(work, enrollment).await?;
    }
    Ok(())
}

/// Suppresses `email` and stops every sequence to it.
async fn stop_address(
    work: &mut UnitOfWork,
    email: &str,
    suppression: &str,
    reason: &str,
) -> Result<(), JobFailure> {
    suppressions::insert_many(work, &[email.to_owned()], suppression).await?;
    enrollments::stop_address(work, email, reason).await?;
    messages::cancel_to(work, email).await?;
    Ok(())
}
