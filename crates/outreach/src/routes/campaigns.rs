//! Campaigns over HTTP: list, create, read (with stats), change, delete, activate, pause, and
//! preview a step for a real lead.

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use chrono::NaiveTime;
use chrono_tz::Tz;
use kernel::list::ListPage;
use kernel::{scope, Problem, ProblemCode, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::invalid;
use crate::store::campaigns::{self, Campaign, CampaignFields, CampaignStats, Step, CAMPAIGN_LIST};
use crate::store::mailboxes;
use crate::{plan, template, Outreach};

/// A campaign's settings.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    /// The window's timezone for leads without one (IANA name, default `UTC`).
    #[serde(default = "utc")]
    pub timezone: String,
    /// ISO weekdays it sends on (Monday 1 … Sunday 7; default Monday to Friday).
    #[serde(default = "weekdays")]
    #[validate(length(min = 1, max = 7))]
    pub window_days: Vec<i32>,
    /// Local time the window opens (`HH:MM`, default `09:00`).
    #[serde(default = "nine")]
    pub window_start: String,
    /// Local time it closes (`HH:MM`, default `17:00`).
    #[serde(default = "five")]
    pub window_end: String,
    /// The mailboxes it sends from.
    #[serde(default)]
    #[validate(length(max = 50))]
    pub mailbox_ids: Vec<Uuid>,
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    pub steps: Vec<Step>,
    /// Stop a lead's sequence on an automatic reply too (default: only a real reply).
    #[serde(default)]
    pub stop_on_auto_reply: bool,
    /// Stop the sequences of everyone at the same company domain when one replies.
    #[serde(default)]
    pub stop_company_on_reply: bool,
}

fn utc() -> String {
    "UTC".into()
}
fn weekdays() -> Vec<i32> {
    vec![1, 2, 3, 4, 5]
}
fn nine() -> String {
    "09:00".into()
}
fn five() -> String {
    "17:00".into()
}

/// The checked settings.
struct Checked {
    window_days: Vec<i32>,
    window_start: NaiveTime,
    window_end: NaiveTime,
}

impl CampaignInput {
    fn check(&self) -> Result<Checked, Problem> {
        if self.timezone.parse::<Tz>().is_err() {
            return Err(invalid("timezone", "is not an IANA timezone name"));
        }
        let mut days = self.window_days.clone();
        if days.iter().any(|d| !(1..=7).contains(d)) {
            return Err(invalid("window_days", "days are 1 (Monday) to 7 (Sunday)"));
        }
        days.sort_unstable();
        days.dedup();
        let time = |field: &str, value: &str| {
            NaiveTime::parse_from_str(value, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(value, "%H:%M:%S"))
                .map_err(|_| invalid(field, "must be a time of day, HH:MM"))
        };
        let start = time("window_start", &self.window_start)?;
        let end = time("window_end", &self.window_end)?;
        if start >= end {
            return Err(invalid("window_end", "must be after window_start"));
        }
        for (i, step) in self.steps.iter().enumerate() {
            for (j, variant) in step.variants.iter().enumerate() {
                for (part, source) in [("subject", &variant.subject), ("body", &variant.body)] {
                    if let Err(e) = template::check(source) {
                        return Err(invalid(&format!("steps[{i}].variants[{j}].{part}"), e.0));
                    }
                }
            }
        }
        Ok(Checked {
            window_days: days,
            window_start: start,
            window_end: end,
        })
    }

    fn fields<'a>(&'a self, checked: &'a Checked) -> CampaignFields<'a> {
        CampaignFields {
            name: self.name.trim(),
            timezone: &self.timezone,
            window_days: &checked.window_days,
            window_start: checked.window_start,
            window_end: checked.window_end,
            mailbox_ids: &self.mailbox_ids,
            steps: &self.steps,
            stop_on_auto_reply: self.stop_on_auto_reply,
            stop_company_on_reply: self.stop_company_on_reply,
        }
    }
}

/// A campaign and how it is doing.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignDetail {
    #[serde(flatten)]
    pub campaign: Campaign,
    pub stats: CampaignStats,
}

/// Which lead, step and variant to preview.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    pub lead_id: Uuid,
    /// 0-based (default 0).
    #[serde(default)]
    #[validate(range(min = 0, max = 19))]
    pub step: i32,
    /// 0-based (default 0).
    #[serde(default)]
    #[validate(range(min = 0, max = 4))]
    pub variant: i32,
}

/// A step rendered for a lead, as it would be sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignPreview {
    pub to: Option<String>,
    pub subject: String,
    pub body: String,
    /// Fields the template names that the lead lacks and that have no fallback (they render
    /// empty).
    pub missing: Vec<String>,
    /// Fields the lead lacks where the fallback stood in.
    pub fell_back: Vec<String>,
}

fn campaign_not_found() -> Problem {
    Problem::not_found("Campaign")
}

fn not_ready(detail: impl Into<String>) -> Problem {
    Problem::new(ProblemCode::CampaignNotReady, detail)
}

/// Checks that every mailbox exists in the tenant.
async fn check_mailboxes(work: &mut UnitOfWork, ids: &[Uuid]) -> Result<(), Problem> {
    for id in ids {
        if mailboxes::get(work, *id).await?.is_none() {
            return Err(invalid(
                "mailbox_ids",
                format!("{id} is not a mailbox of this tenant"),
            ));
        }
    }
    Ok(())
}

/// The tenant's campaigns (Refine's list protocol; `q` searches names).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Campaign>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_campaigns(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    req: HttpRequest,
) -> Result<ListPage<Campaign>, Problem> {
    CAMPAIGN_LIST.respond(&outreach.db, &principal, &req).await
}

/// Create a campaign (a draft: it sends once activated).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = CampaignInput,
    responses((status = 201, body = Campaign))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_campaign(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    body: ValidatedJson<CampaignInput>,
) -> Result<HttpResponse, Problem> {
    let checked = body.check()?;
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    check_mailboxes(&mut work, &body.mailbox_ids).await?;
    let campaign = campaigns::insert(
        &mut work,
        Uuid::now_v7(),
        &body.fields(&checked),
        principal.user_id(),
    )
    .await?;
    work.publish_ids(
        "outreach_campaigns",
        "outreach.campaign.created",
        &[campaign.id],
    )
    .await?;
    work.commit().await?;
    Ok(HttpResponse::Created().json(campaign))
}

/// One campaign with its stats.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = CampaignDetail))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_campaign(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut tx = kernel::tenancy::tenant_tx(&outreach.db, &principal).await?;
    let campaign = campaigns::get(&mut tx, *id)
        .await?
        .ok_or_else(campaign_not_found)?;
    let stats = campaigns::stats(&mut tx, *id).await?;
    Ok(HttpResponse::Ok().json(CampaignDetail { campaign, stats }))
}

/// Change a campaign. Steps already sent stay sent; the next ones follow the new steps.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = CampaignInput,
    responses((status = 200, body = Campaign))
)]
#[put("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_campaign(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<CampaignInput>,
) -> Result<HttpResponse, Problem> {
    let checked = body.check()?;
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    check_mailboxes(&mut work, &body.mailbox_ids).await?;
    let campaign = campaigns::update(&mut work, *id, &body.fields(&checked))
        .await?
        .ok_or_else(campaign_not_found)?;
    work.publish_ids(
        "outreach_campaigns",
        "outreach.campaign.updated",
        &[campaign.id],
    )
    .await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(campaign))
}

/// Delete a campaign with its enrollments and send log.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204))
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_campaign(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    if !campaigns::delete(&mut work, *id).await? {
        return Err(campaign_not_found());
    }
    work.publish_ids("outreach_campaigns", "outreach.campaign.deleted", &[*id])
        .await?;
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Start (or resume) sending. It needs at least one step and one active mailbox.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = Campaign),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "campaign_not_ready: no steps, no active mailbox, or archived"),
    )
)]
#[post("/{id}/activate")]
#[tracing::instrument(skip_all)]
pub async fn activate_campaign(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    set_status(&outreach, &principal, *id, "active").await
}

/// Stop sending for now: planned messages wait, nothing new is planned.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Campaign))
)]
#[post("/{id}/pause")]
#[tracing::instrument(skip_all)]
pub async fn pause_campaign(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    set_status(&outreach, &principal, *id, "paused").await
}

async fn set_status(
    outreach: &Outreach,
    principal: &kernel::Principal,
    id: Uuid,
    status: &str,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, principal).await?;
    let mut campaign = campaigns::lock(&mut work, id)
        .await?
        .ok_or_else(campaign_not_found)?;
    if campaign.status == "archived" {
        return Err(not_ready("The campaign is archived."));
    }
    if status == "active" {
        if campaign.steps.is_empty() {
            return Err(not_ready("The campaign has no steps."));
        }
        let mut active_mailboxes = 0;
        for mailbox in &campaign.mailbox_ids {
            if mailboxes::get(&mut work, *mailbox)
                .await?
                .is_some_and(|m| m.status == "active")
            {
                active_mailboxes += 1;
            }
        }
        if active_mailboxes == 0 {
            return Err(not_ready(
                "The campaign has no active mailbox to send from.",
            ));
        }
    }
    campaigns::set_status(&mut work, id, status).await?;
    campaign.status = status.to_owned();
    if status == "active" {
        plan::wake(&mut work)
            .await
            .map_err(|e| Problem::internal(&e.message()))?;
    }
    work.publish_ids("outreach_campaigns", "outreach.campaign.updated", &[id])
        .await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(campaign))
}

/// A step rendered for a real lead, with the fields it lacks.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = PreviewRequest,
    responses((status = 200, body = CampaignPreview))
)]
#[post("/{id}/preview")]
#[tracing::instrument(skip_all)]
pub async fn preview_campaign(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    id: web::Path<Uuid>,
    body: ValidatedJson<PreviewRequest>,
) -> Result<HttpResponse, Problem> {
    let mut tx = kernel::tenancy::tenant_tx(&outreach.db, &principal).await?;
    let campaign = campaigns::get(&mut tx, *id)
        .await?
        .ok_or_else(campaign_not_found)?;
    let variant = usize::try_from(body.step)
        .ok()
        .and_then(|s| campaign.steps.get(s))
        .and_then(|step| step.variants.get(usize::try_from(body.variant).ok()?))
        .ok_or_else(|| invalid("step", "the campaign has no such step and variant"))?;
    let contact = outreach
        .contacts
        .contacts(&mut tx, &[body.lead_id])
        .await?
        .pop()
        .ok_or_else(|| Problem::not_found("Lead"))?;
    let seed = u64::from(body.step.unsigned_abs());
    let render = |source: &str| {
        template::render(source, &contact.fields, seed)
            .map_err(|e| invalid("steps", format!("the template does not render: {e}")))
    };
    let subject = render(&variant.subject)?;
    let text = render(&variant.body)?;
    let mut missing = subject.missing.clone();
    missing.extend(text.missing.iter().cloned());
    missing.sort();
    missing.dedup();
    let mut fell_back = subject.fell_back.clone();
    fell_back.extend(text.fell_back.iter().cloned());
    fell_back.sort();
    fell_back.dedup();
    Ok(HttpResponse::Ok().json(CampaignPreview {
        to: contact.email,
        subject: subject.text,
        body: text.text,
        missing,
        fell_back,
    }))
}
