//! The trash: deleted leads, restoring them, and erasing a lead's personal data (admins).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::list::{ListPage, Listing};
use kernel::{scope, Problem, Role, Scoped, UnitOfWork};
use sqlx::PgPool;
use uuid::Uuid;

use super::lead_response;
use crate::history::{self, Actor};
use crate::model::{Lead, SELECT_LEADS, TRASH, TRASHED};
use crate::problems;
use crate::store::{self, Scope};

static TRASHED_LEADS: Listing = Listing::new(&TRASH, SELECT_LEADS).filtered(TRASHED);

/// Deleted leads, most recently deleted first (Refine's list protocol; erased leads are not
/// listed).
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Vec<Lead>, headers(("X-Total-Count" = i64))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_list_query"),
    )
)]
#[get("/trash")]
#[tracing::instrument(skip_all)]
pub async fn list_trashed_leads(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
    req: HttpRequest,
) -> Result<ListPage<Lead>, Problem> {
    TRASHED_LEADS.respond(&db, &principal, &req).await
}

/// Take a lead out of the trash.
///
/// 409 `duplicate_email` when a live lead has taken its email meanwhile (`existing_id`).
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = Lead),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "not in the trash"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "duplicate_email"),
    )
)]
#[post("/{id}/restore")]
#[tracing::instrument(skip_all)]
pub async fn restore_lead(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let actor = Actor::from(&principal);
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let lead = store::lock(&mut work, *id, Scope::Trashed)
        .await?
        .ok_or_else(problems::lead_not_found)?;
    if let Some(email) = &lead.email {
        if let Some(existing) = store::id_by_email(&mut work, email, Some(lead.id)).await? {
            return Err(problems::duplicate_email(Some(existing)));
        }
    }
    store::set_deleted(&mut work, lead.id, false, None, actor.id).await?;
    history::audit(&mut work, lead.id, "restore", actor, &Default::default()).await?;
    history::system_entry(
        &mut work,
        lead.id,
        "Restored from the trash",
        serde_json::json!({}),
        actor,
    )
    .await?;
    let lead = store::get(&mut work, lead.id, Scope::Live)
        .await?
        .ok_or_else(problems::lead_not_found)?;
    // To a list the lead is new again: `created` makes live lists refetch.
    work.publish_ids("leads", "lead.created", &[lead.id])
        .await?;
    work.commit().await?;
    Ok(lead_response(HttpResponse::Ok(), &lead))
}

/// Erase a lead's personal data for good (admins).
///
/// Contact fields, tags, custom values, notes and tasks are removed and the audit diffs
/// emptied; an anonymous row stays (status, source, score, stage, dates) so counts and
/// reports keep adding up. The lead leaves the lists and the trash; this cannot be undone.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "erased"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "forbidden: admins only"),
    )
)]
#[post("/{id}/erase")]
#[tracing::instrument(skip_all)]
pub async fn erase_lead(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    principal.require_role(Role::Admin)?;
    let actor = Actor::from(&principal);
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let lead = store::lock(&mut work, *id, Scope::NotErased)
        .await?
        .ok_or_else(problems::lead_not_found)?;
    store::erase(&mut work, lead.id, actor.id).await?;
    history::audit(&mut work, lead.id, "erase", actor, &Default::default()).await?;
    work.publish_ids("leads", "lead.deleted", &[lead.id])
        .await?;
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
