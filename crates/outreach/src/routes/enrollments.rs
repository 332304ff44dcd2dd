//! Enrolling leads into a campaign, listing enrollments, stopping one.

use std::collections::{HashMap, HashSet};

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use kernel::list::ListPage;
use kernel::{scope, Problem, ProblemCode, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::invalid;
use crate::store::enrollments::{self, Enrollment, ENROLLMENT_LIST};
use crate::store::{campaigns, messages, suppressions};
use crate::{plan, Outreach};

/// The leads to enroll: by id, or every lead the leads list shows for a filter.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// Up to 10,000 leads.
    #[serde(default)]
    #[validate(length(max = 10000))]
    pub lead_ids: Vec<Uuid>,
    /// Instead of ids: the leads list's query string (its filters and `q`, e.g.
    /// `status=new&q=acme`; paging is ignored), up to 100,000 matching leads.
    #[validate(length(min = 1, max = 4000))]
    pub filter: Option<String>,
}

/// Leads a filter may enroll at once.
const MAX_BY_FILTER: i64 = 100_000;

/// What enrolling did, lead by lead.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrollResult {
    /// Leads enrolled now.
    pub enrolled: Vec<Uuid>,
    /// Leads left out, each with why.
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Skipped {
    pub lead_id: Uuid,
    /// `not_found` (not a live lead of the tenant), `no_email`, `already_enrolled`, or the
    /// suppression's reason: `unsubscribed`, `bounced`, `complaint`, `manual`.
    pub reason: String,
}

/// Enroll leads (by id, or all that the leads list shows for a filter): each is checked (a
/// live lead with an email, not suppressed, not in the campaign yet) and the others are
/// reported with a reason. An active campaign starts on
/// them at once (within its window); a draft or paused one when it is activated.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The campaign")),
    request_body = EnrollRequest,
    responses(
        (status = 200, body = EnrollResult),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "campaign_not_ready: the campaign is archived"),
    )
)]
#[post("/{id}/enrollments")]
#[tracing::instrument(skip_all, fields(leads = body.lead_ids.len(), by_filter = body.filter.is_some()))]
pub async fn enroll_leads(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<EnrollRequest>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    let chosen = match (&body.filter, body.lead_ids.is_empty()) {
        (Some(filter), true) => {
            let matching = outreach
                .contacts
                .matching(&mut work, filter, MAX_BY_FILTER + 1)
                .await
                .map_err(|e| match e {
                    kernel::contacts::MatchError::Query(e) => invalid("filter", e.to_string()),
                    e => e.into(),
                })?;
            if matching.len() > MAX_BY_FILTER as usize {
                return Err(invalid(
                    "filter",
                    format!("matches more than {MAX_BY_FILTER} leads: narrow it"),
                ));
            }
            matching
        }
        (None, false) => body.lead_ids.clone(),
        _ => return Err(invalid("lead_ids", "give either lead_ids or a filter")),
    };
    let result = outreach.enroll(&mut work, *id, chosen).await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(result))
}

impl Outreach {
    /// Enrolls `leads` into `campaign` in `work`'s transaction (the caller commits): each is
    /// checked (a live lead with an email, not suppressed, not in the campaign yet) and the
    /// others are reported with a reason; an active campaign is woken.
    pub async fn enroll(
        &self,
        work: &mut UnitOfWork,
        campaign: Uuid,
        leads: Vec<Uuid>,
    ) -> Result<EnrollResult, Problem> {
        let id = campaign;
        let campaign = campaigns::lock(work, id)
            .await?
            .ok_or_else(|| Problem::not_found("Campaign"))?;
        if campaign.status == "archived" {
            return Err(Problem::new(
                ProblemCode::CampaignNotReady,
                "The campaign is archived.",
            ));
        }
        let mut seen = HashSet::new();
        let leads: Vec<Uuid> = leads.into_iter().filter(|id| seen.insert(*id)).collect();
        let contacts: HashMap<Uuid, Option<String>> = self
            .contacts
            .contacts(work, &leads)
            .await?
            .into_iter()
            .map(|c| (c.lead_id, c.email.map(|e| e.to_lowercase())))
            .collect();
        let emails: Vec<String> = contacts.values().flatten().cloned().collect();
        let suppressed: HashMap<String, String> = suppressions::among(work, &emails)
            .await?
            .into_iter()
            .collect();
        let enrolled_before: HashSet<Uuid> = enrollments::enrolled_among(work, id, &leads)
            .await?
            .into_iter()
            .collect();

        let mut skipped = Vec::new();
        let (mut to_enroll, mut to_emails) = (Vec::new(), Vec::new());
        for lead in leads {
            let reason = match contacts.get(&lead) {
                None => Some("not_found".to_owned()),
                Some(None) => Some("no_email".to_owned()),
                Some(Some(_)) if enrolled_before.contains(&lead) => {
                    Some("already_enrolled".to_owned())
                }
                Some(Some(email)) => suppressed.get(email).cloned(),
            };
            match (reason, contacts.get(&lead)) {
                (Some(reason), _) => skipped.push(Skipped {
                    lead_id: lead,
                    reason,
                }),
                (None, Some(Some(email))) => {
                    to_enroll.push(lead);
                    to_emails.push(email.clone());
                }
                (None, _) => {}
            }
        }
        let enrolled =
            enrollments::insert_many(work, id, &to_enroll, &to_emails, Utc::now()).await?;
        // A concurrent request may have enrolled some of them first.
        let now_enrolled: HashSet<Uuid> = enrolled.iter().copied().collect();
        for lead in to_enroll.iter().filter(|l| !now_enrolled.contains(l)) {
            skipped.push(Skipped {
                lead_id: *lead,
                reason: "already_enrolled".to_owned(),
            });
        }
        if campaign.status == "active" && !enrolled.is_empty() {
            plan::wake(work)
                .await
                .map_err(|e| Problem::internal(&e.message()))?;
        }
        work.publish_ids("outreach_campaigns", "outreach.campaign.updated", &[id])
            .await?;
        Ok(EnrollResult { enrolled, skipped })
    }
}

/// Enrollments (Refine's list protocol; filter by `campaign_id`, `lead_id`, `status`).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Enrollment>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_enrollments(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    req: HttpRequest,
) -> Result<ListPage<Enrollment>, Problem> {
    ENROLLMENT_LIST
        .respond(&outreach.db, &principal, &req)
        .await
}

/// Stop one lead's sequence (its planned message is cancelled).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204))
)]
#[post("/{id}/stop")]
#[tracing::instrument(skip_all)]
pub async fn stop_enrollment(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    if enrollments::progress(&mut work, *id).await?.is_none() {
        return Err(Problem::not_found("Enrollment"));
    }
    enrollments::stop(&mut work, *id, "manual").await?;
    messages::cancel_of_enrollment(&mut work, *id).await?;
    work.publish_ids(
        "outreach_enrollments",
        "outreach.enrollment.stopped",
        &[*id],
    )
    .await?;
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
