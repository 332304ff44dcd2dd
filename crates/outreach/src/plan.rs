//! The planner: turns due enrollments into messages on the send queue.
//!
//! For each enrollment that is due (a batch, locked so two planners never plan the same one)
//! it checks the lead (still a lead, still has an address, not suppressed), waits for the
//! campaign's window in the lead's timezone, picks a mailbox (the one the lead heard from
//! before, else the least-sent mailbox of the campaign with allowance left today), paces the
//! mailbox (a random gap after each send), renders the step's variant and writes the message
//! with an `outreach.send` job at its time, all in one transaction. An enrollment whose window
//! is closed or whose mailboxes are spent is deferred to when that changes.
//!
//! The planner runs for a tenant when leads are enrolled or a campaign starts, when a message
//! was sent and its next step is due at once, and every minute for all tenants with due work
//! (`outreach.sweep`): deferred enrollments and later steps are found by that sweep, so nothing
//! waits on a lost wake-up and no future wake-ups pile up.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use kernel::contacts::Contact;
use kernel::events::NewEvent;
use kernel::jobs::{enqueue, Job, JobFailure, JobOptions};
use kernel::{TenantId, UnitOfWork};
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::send::SendMessage;
use crate::store::campaigns::Campaign;
use crate::store::enrollments::Due;
use crate::store::mailboxes::Sender;
use crate::store::{campaigns, enrollments, mailboxes, messages, suppressions};
use crate::template;
use crate::window::{allowance, next_day, Warmup, Window};
use crate::Outreach;

/// Plan the tenant's due enrollments.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct PlanTenant {}

impl Job for PlanTenant {
    const KIND: &'static str = "outreach.plan";
}

/// Plan every tenant with due enrollments (the minute sweep; a platform job).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Sweep {}

impl Job for Sweep {
    const KIND: &'static str = "outreach.sweep";
}

/// How long a wake-up waits, gathering others (see [`wake`]).
const WAKE_DELAY_SECONDS: i64 = 2;

/// Enrollments planned per transaction.
const BATCH: i64 = 200;

/// What one plan did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Planned {
    pub queued: usize,
    pub deferred: usize,
    pub stopped: usize,
}

/// Enqueues a plan of the tenant of `conn`'s transaction in a moment. Wake-ups within that
/// moment share one waiting job, and it cannot start before the transactions that asked for it
/// have committed (a job that started earlier would not see their changes). Later work, and a
/// transaction slower than the moment, are found by the minute sweep.
pub async fn wake(conn: &mut sqlx::PgConnection) -> Result<(), JobFailure> {
    let options = JobOptions::default()
        .key("outreach.plan.soon")
        .run_at(Utc::now() + Duration::seconds(WAKE_DELAY_SECONDS))
        .max_attempts(5);
    enqueue(conn, &PlanTenant::default(), &options)
        .await
        .map(|_| ())
        .map_err(JobFailure::retry)
}

impl Outreach {
    /// The minute sweep: plans every tenant that has due enrollments.
    pub async fn sweep(&self, now: DateTime<Utc>) -> Result<(), JobFailure> {
        let tenants = sqlx::query_scalar!(
            r#"SELECT tenant_id AS "tenant_id!" FROM outreach_due_tenants(1000)"#
        )
        .fetch_all(&self.db)
        .await
        .map_err(JobFailure::retry)?;
        for tenant in tenants {
            self.plan(TenantId(tenant), now).await?;
        }
        Ok(())
    }

    /// Plans the tenant's due enrollments, batch after batch.
    pub async fn plan(&self, tenant: TenantId, now: DateTime<Utc>) -> Result<Planned, JobFailure> {
        let mut total = Planned::default();
        loop {
            let planned = self.plan_batch(tenant, now).await?;
            let done = planned.queued + planned.deferred + planned.stopped;
            total.queued += planned.queued;
            total.deferred += planned.deferred;
            total.stopped += planned.stopped;
            if done < BATCH as usize {
                return Ok(total);
            }
        }
    }

    async fn plan_batch(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
    ) -> Result<Planned, JobFailure> {
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant)
            .await
            .map_err(JobFailure::retry)?;
        let due = enrollments::lock_due(&mut work, now, BATCH)
            .await
            .map_err(JobFailure::retry)?;
        if due.is_empty() {
            return Ok(Planned::default());
        }
        let campaign_ids: Vec<Uuid> = dedup(due.iter().map(|d| d.campaign_id));
        let campaigns: HashMap<Uuid, Campaign> = campaigns::active(&mut work, &campaign_ids)
            .await
            .map_err(JobFailure::retry)?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let lead_ids: Vec<Uuid> = dedup(due.iter().map(|d| d.lead_id));
        let contacts: HashMap<Uuid, Contact> = self
            .contacts
            .contacts(&mut work, &lead_ids)
            .await
            .map_err(JobFailure::retry)?
            .into_iter()
            .map(|c| (c.lead_id, c))
            .collect();
        let emails: Vec<String> = contacts
            .values()
            .filter_map(|c| c.email.as_deref().map(str::to_lowercase))
            .collect();
        let suppressed: Vec<String> = suppressions::among(&mut work, &emails)
            .await
            .map_err(JobFailure::retry)?
            .into_iter()
            .map(|(email, _)| email)
            .collect();
        let mailbox_ids: Vec<Uuid> = dedup(campaigns.values().flat_map(|c| c.mailbox_ids.clone()));
        let day_start = Utc.from_utc_datetime(&now.date_naive().and_time(NaiveTime::MIN));
        let mut senders: HashMap<Uuid, Sender> =
            mailboxes::lock_senders(&mut work, &mailbox_ids, day_start)
                .await
                .map_err(JobFailure::retry)?
                .into_iter()
                .map(|s| (s.id, s))
                .collect();

        let mut planned = Planned::default();
        let mut stopped_ids = Vec::new();
        let mut queued_ids = Vec::new();
        for enrollment in &due {
            let Some(campaign) = campaigns.get(&enrollment.campaign_id) else {
                continue;
            };
            let decision = decide(
                enrollment,
                campaign,
                contacts.get(&enrollment.lead_id),
                &suppressed,
                &mut senders,
                now,
            );
            match decision {
                Decision::Stop(reason) => {
                    enrollments::stop(&mut work, enrollment.id, reason)
                        .await
                        .map_err(JobFailure::retry)?;
                    stopped_ids.push(enrollment.id);
                    planned.stopped += 1;
                }
                Decision::Defer(at) => {
                    enrollments::defer(&mut work, enrollment.id, at)
                        .await
                        .map_err(JobFailure::retry)?;
                    planned.deferred += 1;
                }
                Decision::Send(send) => {
                    let id = Uuid::now_v7();
                    let inserted = messages::insert(
                        &mut work,
                        &messages::NewMessage {
                            id,
                            enrollment_id: enrollment.id,
                            campaign_id: campaign.id,
                            lead_id: enrollment.lead_id,
                            mailbox_id: send.mailbox,
                            step: enrollment.next_step,
                            variant: send.variant,
                            to_address: &send.to,
                            subject: &send.subject,
                            body: &send.body,
                            message_id: &message_id(id, &send.from_address),
                            scheduled_at: send.at,
                        },
                    )
                    .await
                    .map_err(JobFailure::retry)?;
                    enrollments::planned(&mut work, enrollment.id, send.mailbox)
                        .await
                        .map_err(JobFailure::retry)?;
                    if inserted {
                        enqueue(
                            &mut work,
                            &SendMessage { message: id },
                            &JobOptions::default()
                                .run_at(send.at)
                                .key(format!("outreach.send:{id}"))
                                .max_attempts(crate::send::ATTEMPTS),
                        )
                        .await
                        .map_err(JobFailure::retry)?;
                        queued_ids.push(id);
                    }
                    planned.queued += 1;
                }
            }
        }
        for sender in senders.values() {
            mailboxes::set_next_send_at(&mut work, sender.id, sender.next_send_at)
                .await
                .map_err(JobFailure::retry)?;
        }
        work.publish_ids("outreach_messages", "outreach.message.queued", &queued_ids)
            .await
            .map_err(JobFailure::retry)?;
        work.publish_ids(
            "outreach_enrollments",
            "outreach.enrollment.stopped",
            &stopped_ids,
        )
        .await
        .map_err(JobFailure::retry)?;
        work.commit().await.map_err(JobFailure::retry)?;
        Ok(planned)
    }
}

/// What to do with one due enrollment.
#[derive(Debug)]
enum Decision {
    Stop(&'static str),
    Defer(DateTime<Utc>),
    Send(Delivery),
}

/// A message to plan: from which mailbox, when, to whom, what.
#[derive(Debug)]
struct Delivery {
    mailbox: Uuid,
    from_address: String,
    at: DateTime<Utc>,
    to: String,
    variant: i32,
    subject: String,
    body: String,
}

fn decide(
    enrollment: &Due,
    campaign: &Campaign,
    contact: Option<&Contact>,
    suppressed: &[String],
    senders: &mut HashMap<Uuid, Sender>,
    now: DateTime<Utc>,
) -> Decision {
    let Some(contact) = contact else {
        return Decision::Stop("lead_gone");
    };
    let Some(to) = contact.email.as_deref().map(str::to_lowercase) else {
        return Decision::Stop("lead_gone");
    };
    if suppressed.contains(&to) {
        return Decision::Stop("suppressed");
    }
    let Some(step) = usize::try_from(enrollment.next_step)
        .ok()
        .and_then(|i| campaign.steps.get(i))
    else {
        // Steps were removed after it was planned: nothing is left to send.
        return Decision::Stop("manual");
    };
    let window = window_for(campaign, contact.timezone.as_deref());
    let open = window.next_open(now);
    if open > now {
        return Decision::Defer(open);
    }
    // The sender: the one the lead heard from, else the least-sent with allowance left.
    let today = now.date_naive();
    let has_room = |s: &Sender| {
        let warmup = Warmup {
            enabled: s.warmup_enabled,
            start: s.warmup_start,
            step: s.warmup_step,
            started_on: s.warmup_started_on,
        };
        s.planned_today < i64::from(allowance(s.daily_cap, warmup, today))
    };
    let chosen = match enrollment.mailbox_id {
        Some(sticky) if campaign.mailbox_ids.contains(&sticky) && senders.contains_key(&sticky) => {
            senders.get(&sticky).filter(|s| has_room(s)).map(|s| s.id)
        }
        _ => campaign
            .mailbox_ids
            .iter()
            .filter_map(|id| senders.get(id))
            .filter(|s| has_room(s))
            .min_by_key(|s| (s.planned_today, s.next_send_at, s.id))
            .map(|s| s.id),
    };
    let Some(sender) = chosen.and_then(|id| senders.get_mut(&id)) else {
        // Every mailbox is spent for today (or paused): try again when allowances renew.
        return Decision::Defer(window.next_open(next_day(now)));
    };
    let at = now.max(sender.next_send_at);
    if !window.contains(at) {
        return Decision::Defer(window.next_open(at));
    }
    let seed = seed_of(enrollment.id, enrollment.next_step);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let gap =
        rng.gen_range(sender.min_gap_seconds..=sender.max_gap_seconds.max(sender.min_gap_seconds));
    sender.next_send_at = at + Duration::seconds(i64::from(gap));
    sender.planned_today += 1;
    let weights: Vec<u32> = step.variants.iter().map(|v| v.weight).collect();
    let index = template::pick_weighted(&weights, seed);
    let variant = &step.variants[index.min(step.variants.len() - 1)];
    let rendered = template::render(&variant.subject, &contact.fields, seed)
        .and_then(|s| template::render(&variant.body, &contact.fields, seed).map(|b| (s, b)));
    let Ok((subject, body)) = rendered else {
        return Decision::Stop("template_error");
    };
    Decision::Send(Delivery {
        mailbox: sender.id,
        from_address: sender.from_address.clone(),
        at,
        to,
        variant: i32::try_from(index).unwrap_or(0),
        subject: subject.text.replace(['\r', '\n'], " ").trim().to_owned(),
        body: body.text,
    })
}

/// The campaign's window in the lead's timezone (when it names a real one), else the
/// campaign's.
pub(crate) fn window_for(campaign: &Campaign, lead_timezone: Option<&str>) -> Window {
    let tz: Tz = lead_timezone
        .and_then(|tz| tz.parse().ok())
        .or_else(|| campaign.timezone.parse().ok())
        .unwrap_or(Tz::UTC);
    Window {
        days: campaign
            .window_days
            .iter()
            .filter_map(|d| u32::try_from(*d).ok())
            .collect(),
        start: campaign.window_start,
        end: campaign.window_end,
        tz,
    }
}

/// Spintax, variant and gap choices are seeded by the enrollment and step: planning the same
/// step again chooses the same.
fn seed_of(enrollment: Uuid, step: i32) -> u64 {
    let (hi, lo) = enrollment.as_u64_pair();
    hi ^ lo.rotate_left(17) ^ u64::from(step.unsigned_abs()).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// `<message uuid>@<the sender's domain>`: unique, and the sender's own.
fn message_id(id: Uuid, from_address: &str) -> String {
    let domain = from_address
        .rsplit_once('@')
        .map_or("outreach.invalid", |(_, domain)| domain);
    format!("<{}@{domain}>", id.simple())
}

fn dedup(ids: impl Iterator<Item = Uuid>) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The event a lead's timeline shows for a message (leads' `email.*` contract).
pub(crate) fn email_event(
    event_type: &str,
    message: Uuid,
    lead: Uuid,
    campaign: Uuid,
    summary: &str,
) -> Result<NewEvent, kernel::events::EventError> {
    NewEvent::new(
        "resources/outreach_messages",
        event_type,
        json!({
            "ids": [message.to_string()],
            "lead_id": lead.to_string(),
            "campaign_id": campaign.to_string(),
            "summary": summary,
        }),
    )
}
