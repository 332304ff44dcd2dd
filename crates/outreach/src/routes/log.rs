//! The send log and the suppression list over HTTP.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use kernel::list::ListPage;
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::invalid;
use crate::store::messages::{Message, MESSAGE_LIST};
use crate::store::suppressions::{self, Suppression, SUPPRESSION_LIST};
use crate::store::{enrollments, messages};
use crate::Outreach;

/// Every message planned or sent, newest first (Refine's list protocol; filter by
/// `campaign_id`, `lead_id`, `mailbox_id`, `state`…).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Message>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_messages(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    req: HttpRequest,
) -> Result<ListPage<Message>, Problem> {
    MESSAGE_LIST.respond(&outreach.db, &principal, &req).await
}

/// The suppression list (Refine's list protocol; `q` searches addresses).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Suppression>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_suppressions(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    req: HttpRequest,
) -> Result<ListPage<Suppression>, Problem> {
    SUPPRESSION_LIST
        .respond(&outreach.db, &principal, &req)
        .await
}

/// Addresses to suppress (an import).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuppressRequest {
    #[validate(length(min = 1, max = 10000))]
    pub emails: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuppressResult {
    /// How many addresses were new to the list.
    pub added: usize,
}

/// Suppress addresses (reason `manual`): nothing is sent to them again, and their active
/// sequences stop.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = SuppressRequest,
    responses((status = 200, body = SuppressResult))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn add_suppressions(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    body: ValidatedJson<SuppressRequest>,
) -> Result<HttpResponse, Problem> {
    let mut emails = Vec::with_capacity(body.emails.len());
    for (i, email) in body.emails.iter().enumerate() {
        let email = email.trim().to_lowercase();
        if !validator::ValidateEmail::validate_email(&email) || email.len() > 320 {
            return Err(invalid(&format!("emails[{i}]"), "is not an email address"));
        }
        emails.push(email);
    }
    emails.sort();
    emails.dedup();
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    let added = suppressions::insert_many(&mut work, &emails, "manual").await?;
    for email in &added {
        enrollments::stop_address(&mut work, email, "suppressed").await?;
        messages::cancel_to(&mut work, email).await?;
    }
    if !added.is_empty() {
        let event = kernel::events::NewEvent::for_ids(
            "outreach_suppressions",
            "outreach.suppression.created",
            added.iter(),
        )?;
        work.publish(&event).await?;
    }
    work.commit().await?;
    Ok(HttpResponse::Ok().json(SuppressResult { added: added.len() }))
}

/// Take an address off the list (it may be written to again).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("email" = String, Path)),
    responses((status = 204))
)]
#[delete("/{email}")]
#[tracing::instrument(skip_all)]
pub async fn delete_suppression(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    email: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    if !suppressions::delete(&mut work, &email).await? {
        return Err(Problem::not_found("Suppression"));
    }
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
