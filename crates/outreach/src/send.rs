//! The sender (`outreach.send`): hands one planned message to its mailbox's server, at most
//! once.
//!
//! 1. In one transaction: the message is locked; only a `queued` one goes on. It becomes
//!    `sending` (commit). A job that finds it `sending` is a retry after a crash mid-send: the
//!    message may have left, so it becomes `unknown` and is never sent again.
//! 2. The message is sent ([`crate::smtp`] says how far it got).
//! 3. In one transaction: `sent` (the next step is due after its delay), back to `queued` for
//!    a retry with backoff (a 4xx, or a failure before the message left), `bounced` (5xx: the
//!    address is suppressed and its sequences stop), or `unknown`.
//!
//! A paused campaign or mailbox holds its messages: the job looks again later.

use chrono::{Duration, Utc};
use kernel::jobs::{enqueue, Job, JobContext, JobFailure, JobOptions};
use kernel::{TenantId, UnitOfWork};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox as Address;
use lettre::Message;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::smtp::{Outcome, Server};
use crate::store::mailboxes::Transport;
use crate::store::messages::Outgoing;
use crate::store::{campaigns, enrollments, mailboxes, messages, suppressions};
use crate::{plan, unsubscribe, Outreach};

/// Send message `message`.
#[derive(Debug, Serialize, Deserialize)]
pub struct SendMessage {
    pub message: Uuid,
}

impl Job for SendMessage {
    const KIND: &'static str = "outreach.send";
}

/// Attempts before a message that keeps failing for now is given up (`failed`).
pub const ATTEMPTS: i32 = 8;

/// How long a held message (paused campaign or mailbox) waits before looking again.
const HOLD_MINUTES: i64 = 15;

/// The mailbox key messages are sealed under (kernel secrets' purpose).
pub(crate) const PASSWORD_PURPOSE: &str = "outreach.mailbox";

/// A message claimed for sending, with what its mailbox needs unsealed.
struct Claimed {
    message: Outgoing,
    transport: Transport,
    password: Option<String>,
    /// The DKIM private key (PEM), when the mailbox signs.
    dkim_key: Option<String>,
}

enum Claim {
    /// Go on and send it.
    Send(Box<Claimed>),
    /// Nothing to do (sent, cancelled, held, or settled as unknown).
    Done,
}

impl Outreach {
    #[tracing::instrument(skip_all, fields(message = %id))]
    pub async fn send(&self, job: &JobContext, id: Uuid) -> Result<(), JobFailure> {
        let tenant = job.tenant()?;
        let Claimed {
            message,
            transport,
            password,
            dkim_key,
        } = match self.claim(tenant, id).await? {
            Claim::Send(claimed) => *claimed,
            Claim::Done => return Ok(()),
        };
        let (envelope, bytes) = self
            .compose(tenant, &message, &transport, dkim_key.as_deref())
            .map_err(JobFailure::permanent)?;
        let server = Server {
            host: transport.smtp_host.clone(),
            port: u16::try_from(transport.smtp_port).unwrap_or(25),
            security: transport.smtp_security.clone(),
            username: transport.smtp_username.clone(),
            password,
        };
        let outcome = self
            .pool
            .send(message.mailbox_id, &server, &envelope, &bytes)
            .await;
        self.record(tenant, &message, outcome, job.is_last_attempt())
            .await
    }

    async fn claim(&self, tenant: TenantId, id: Uuid) -> Result<Claim, JobFailure> {
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant)
            .await
            .map_err(JobFailure::retry)?;
        let Some(message) = messages::lock(&mut work, id)
            .await
            .map_err(JobFailure::retry)?
        else {
            return Ok(Claim::Done); // deleted with its campaign
        };
        match message.state.as_str() {
            "queued" => {}
            "sending" => {
                // The last attempt stopped after the message was handed over, or maybe not.
                messages::set_state(
                    &mut work,
                    id,
                    "unknown",
                    Some("the sender stopped while sending; not sent again"),
                )
                .await
                .map_err(JobFailure::retry)?;
                self.next_step(&mut work, &message).await?;
                work.commit().await.map_err(JobFailure::retry)?;
                return Ok(Claim::Done);
            }
            _ => return Ok(Claim::Done),
        }
        let active = enrollments::progress(&mut work, message.enrollment_id)
            .await
            .map_err(JobFailure::retry)?
            .is_some_and(|(status, _)| status == "active");
        if !active {
            messages::set_state(&mut work, id, "cancelled", Some("the sequence stopped"))
                .await
                .map_err(JobFailure::retry)?;
            work.commit().await.map_err(JobFailure::retry)?;
            return Ok(Claim::Done);
        }
        let Some(transport) = mailboxes::transport(&mut work, message.mailbox_id)
            .await
            .map_err(JobFailure::retry)?
        else {
            messages::set_state(&mut work, id, "failed", Some("the mailbox was deleted"))
                .await
                .map_err(JobFailure::retry)?;
            enrollments::stop(&mut work, message.enrollment_id, "mailbox_gone")
                .await
                .map_err(JobFailure::retry)?;
            work.commit().await.map_err(JobFailure::retry)?;
            return Ok(Claim::Done);
        };
        let campaign_active = campaigns::get(&mut work, message.campaign_id)
            .await
            .map_err(JobFailure::retry)?
            .is_some_and(|c| c.status == "active");
        if !campaign_active || transport.status != "active" {
            // Held: a fresh job looks again later (this one ends without using an attempt).
            enqueue(
                &mut work,
                &SendMessage { message: id },
                &JobOptions::default()
                    .run_at(Utc::now() + Duration::minutes(HOLD_MINUTES))
                    .key(format!("outreach.send:{id}"))
                    .max_attempts(ATTEMPTS),
            )
            .await
            .map_err(JobFailure::retry)?;
            work.commit().await.map_err(JobFailure::retry)?;
            return Ok(Claim::Done);
        }
        let password = self
            .open_text(
                &mut work,
                PASSWORD_PURPOSE,
                transport.smtp_password.as_deref(),
            )
            .await?;
        let dkim_key = self
            .open_text(
                &mut work,
                crate::dkim::DKIM_PURPOSE,
                transport.dkim_private_key.as_deref(),
            )
            .await?;
        messages::set_state(&mut work, id, "sending", None)
            .await
            .map_err(JobFailure::retry)?;
        work.commit().await.map_err(JobFailure::retry)?;
        Ok(Claim::Send(Box::new(Claimed {
            message,
            transport,
            password,
            dkim_key,
        })))
    }

    /// The message as it goes on the wire: headers (with one-click unsubscribe), the text, the
    /// signature and a visible unsubscribe link; DKIM-signed when the mailbox has a key.
    fn compose(
        &self,
        tenant: TenantId,
        message: &Outgoing,
        transport: &Transport,
        dkim_key: Option<&str>,
    ) -> Result<(lettre::address::Envelope, Vec<u8>), String> {
        let link = format!(
            "{}/api/v1/outreach/unsubscribe/{}",
            self.settings.public_url.trim_end_matches('/'),
            unsubscribe::token(&self.settings.unsubscribe_key, tenant, message.id)
        );
        let from = Address::new(
            (!transport.from_name.is_empty()).then(|| transport.from_name.clone()),
            transport
                .from_address
                .parse()
                .map_err(|e| format!("from address {}: {e}", transport.from_address))?,
        );
        let to: Address = message
            .to_address
            .parse()
            .map_err(|e| format!("to address {}: {e}", message.to_address))?;
        let mut text = message.body.trim_end().to_owned();
        if !transport.signature.trim().is_empty() {
            text.push_str("\n\n-- \n");
            text.push_str(transport.signature.trim());
        }
        text.push_str(&format!("\n\nUnsubscribe: {link}\n"));
        let header = |name: &str, value: String| {
            HeaderName::new_from_ascii(name.to_owned())
                .map(|name| HeaderValue::new(name, value))
                .map_err(|e| e.to_string())
        };
        let mut email = Message::builder()
            .from(from)
            .to(to)
            .subject(message.subject.clone())
            .message_id(Some(message.message_id.clone()))
            .raw_header(header("List-Unsubscribe", format!("<{link}>"))?)
            .raw_header(header(
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".to_owned(),
            )?)
            .header(ContentType::TEXT_PLAIN)
            .body(text)
            .map_err(|e| e.to_string())?;
        if let (Some(key), Some(domain), Some(selector)) =
            (dkim_key, &transport.dkim_domain, &transport.dkim_selector)
        {
            email.sign(&crate::dkim::config(selector, domain, key)?);
        }
        Ok((email.envelope().clone(), email.formatted()))
    }

    async fn record(
        &self,
        tenant: TenantId,
        message: &Outgoing,
        outcome: Outcome,
        last_attempt: bool,
    ) -> Result<(), JobFailure> {
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant)
            .await
            .map_err(JobFailure::retry)?;
        let id = message.id;
        let (event, summary) = match &outcome {
            Outcome::Sent(reply) => {
                messages::set_state(&mut work, id, "sent", Some(reply))
                    .await
                    .map_err(JobFailure::retry)?;
                self.next_step(&mut work, message).await?;
                ("email.sent", format!("Sent: {}", message.subject))
            }
            Outcome::Unknown(why) => {
                messages::set_state(&mut work, id, "unknown", Some(why))
                    .await
                    .map_err(JobFailure::retry)?;
                self.next_step(&mut work, message).await?;
                (
                    "email.unknown",
                    format!("Maybe sent (connection lost): {}", message.subject),
                )
            }
            Outcome::Rejected(why) => {
                messages::set_state(&mut work, id, "bounced", Some(why))
                    .await
                    .map_err(JobFailure::retry)?;
                let email = message.to_address.to_lowercase();
                suppressions::insert_many(&mut work, std::slice::from_ref(&email), "bounced")
                    .await
                    .map_err(JobFailure::retry)?;
                enrollments::stop_address(&mut work, &email, "bounced")
                    .await
                    .map_err(JobFailure::retry)?;
                messages::cancel_to(&mut work, &email)
                    .await
                    .map_err(JobFailure::retry)?;
                crate::autopause::check(&mut work, message.mailbox_id, message.campaign_id).await?;
                ("email.bounced", format!("Bounced: {}", message.subject))
            }
            Outcome::Retry(why) if last_attempt => {
                messages::set_state(&mut work, id, "failed", Some(why))
                    .await
                    .map_err(JobFailure::retry)?;
                enrollments::stop(&mut work, message.enrollment_id, "send_failed")
                    .await
                    .map_err(JobFailure::retry)?;
                ("email.failed", format!("Not sent: {}", message.subject))
            }
            Outcome::Retry(why) => {
                messages::set_state(&mut work, id, "queued", Some(why))
                    .await
                    .map_err(JobFailure::retry)?;
                work.commit().await.map_err(JobFailure::retry)?;
                return Err(JobFailure::retry(why));
            }
        };
        let event = plan::email_event(event, id, message.lead_id, message.campaign_id, &summary)
            .map_err(JobFailure::retry)?;
        work.publish(&event).await.map_err(JobFailure::retry)?;
        work.commit().await.map_err(JobFailure::retry)?;
        Ok(())
    }

    /// After a step went (or may have): the next is due after its delay, or the sequence is
    /// finished.
    async fn next_step(&self, work: &mut UnitOfWork, message: &Outgoing) -> Result<(), JobFailure> {
        let Some((status, next_step)) = enrollments::progress(work, message.enrollment_id)
            .await
            .map_err(JobFailure::retry)?
        else {
            return Ok(());
        };
        if status != "active" {
            return Ok(());
        }
        let campaign = campaigns::get(work, message.campaign_id)
            .await
            .map_err(JobFailure::retry)?;
        let next = campaign.and_then(|c| {
            usize::try_from(next_step)
                .ok()
                .and_then(|i| c.steps.get(i).map(|s| s.delay_minutes))
        });
        let due = next.map(|minutes| Utc::now() + Duration::minutes(i64::from(minutes)));
        enrollments::advance(work, message.enrollment_id, due)
            .await
            .map_err(JobFailure::retry)?;
        if due.is_some_and(|due| due <= Utc::now()) {
            plan::wake(work).await?;
        }
        Ok(())
    }
}
