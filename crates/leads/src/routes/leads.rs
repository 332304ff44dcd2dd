//! One lead at a time: list (with `q`), get, create, update (versioned), delete (to the trash).

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::list::{ListPage, Listing};
use kernel::{scope, JsonBody, Problem, Scoped, UnitOfWork};
use sqlx::PgPool;
use uuid::Uuid;

use super::{check_version, lead_response};
use crate::checks::Rules;
use crate::fields::{LeadInput, LeadPatch};
use crate::history::{self, Actor};
use crate::model::{Lead, LEADS, LIVE, SELECT_LEADS};
use crate::store::{self, Scope};
use crate::{problems, write, Members};

/// Live leads, with totals cached under the `leads` change counter.
static LIVE_LEADS: Listing = Listing::new(&LEADS, SELECT_LEADS)
    .filtered(LIVE)
    .counted("leads");

/// List leads (Refine's list protocol, both encodings; `?id=a&id=b` is getMany).
///
/// `q` searches first and last names, email and company, whole words and partial ones.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Vec<Lead>, headers(("X-Total-Count" = i64))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_list_query"),
    )
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_leads(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
    req: HttpRequest,
) -> Result<ListPage<Lead>, Problem> {
    LIVE_LEADS.respond(&db, &principal, &req).await
}

/// One lead, with its version as `ETag`.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = Lead, headers(("ETag" = String))),
    )
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_lead(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let lead = store::get_live_on(&db, principal.tenant_id, *id)
        .await?
        .ok_or_else(problems::lead_not_found)?;
    Ok(lead_response(HttpResponse::Ok(), &lead))
}

/// Create a lead.
///
/// Without `owner_id`, an enabled round-robin rule for the lead's `source` picks the owner.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = LeadInput,
    responses(
        (status = 201, body = Lead, headers(("ETag" = String), ("Location" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "duplicate_email: `existing_id` names the lead with this email"),
    )
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_lead(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    members: web::Data<dyn Members>,
    principal: Scoped<scope::LeadsWrite>,
    body: JsonBody<LeadInput>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let mut rules = Rules::load(&mut work, members.get_ref()).await?;
    let (lead, effects) = write::create(
        &mut work,
        &mut rules,
        Actor::from(&principal),
        body.into_inner(),
    )
    .await?;
    history::publish_leads(&mut work, "created", &[(lead.id, effects)]).await?;
    work.commit().await?;
    let mut created = HttpResponse::Created();
    created.insert_header(("Location", format!("/api/v1/leads/{}", lead.id)));
    Ok(lead_response(created, &lead))
}

/// Change a lead (absent fields stay, `null` clears).
///
/// Send the version you read as `version` in the body (a stale one is 409
/// `version_conflict`) or as `If-Match: "<version>"` (412 `precondition_failed`); either way
/// a stale write changes nothing.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "\"<version>\"")),
    request_body = LeadPatch,
    responses(
        (status = 200, body = Lead, headers(("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "version_conflict, duplicate_email"),
        (status = 412, body = Problem, content_type = "application/problem+json", description = "precondition_failed"),
    )
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_lead(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    members: web::Data<dyn Members>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
    req: HttpRequest,
    body: JsonBody<LeadPatch>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let current = store::lock(&mut work, *id, Scope::Live)
        .await?
        .ok_or_else(problems::lead_not_found)?;
    check_version(&req, body.version, &current)?;
    let mut rules = Rules::load(&mut work, members.get_ref()).await?;
    let actor = Actor::from(&principal);
    let changed = write::update(&mut work, &mut rules, actor, "update", &current, &body).await?;
    let Some((lead, effects)) = changed else {
        work.commit().await?;
        return Ok(lead_response(HttpResponse::Ok(), &current));
    };
    history::publish_leads(&mut work, "updated", &[(lead.id, effects)]).await?;
    work.commit().await?;
    Ok(lead_response(HttpResponse::Ok(), &lead))
}

/// Move a lead to the trash (restore it with `POST /{id}/restore`).
///
/// `If-Match` is honoured as on update. The answer is the deleted lead.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "\"<version>\"")),
    responses(
        (status = 200, body = Lead),
        (status = 412, body = Problem, content_type = "application/problem+json", description = "precondition_failed"),
    )
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_lead(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let current = store::lock(&mut work, *id, Scope::Live)
        .await?
        .ok_or_else(problems::lead_not_found)?;
    check_version(&req, None, &current)?;
    let lead = trash_lead(&mut work, Actor::from(&principal), &current, None).await?;
    work.publish_ids("leads", "lead.deleted", &[lead.id])
        .await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(lead))
}

/// Moves a locked live lead to the trash with its audit entry; returns it as it is now.
pub(super) async fn trash_lead(
    conn: &mut sqlx::PgConnection,
    actor: Actor,
    lead: &Lead,
    merged_into: Option<Uuid>,
) -> Result<Lead, Problem> {
    store::set_deleted(&mut *conn, lead.id, true, merged_into, actor.id).await?;
    let action = if merged_into.is_some() {
        "merged_into"
    } else {
        "delete"
    };
    let mut changes = serde_json::Map::new();
    if let Some(target) = merged_into {
        changes.insert(
            "merged_into".into(),
            serde_json::json!({"before": null, "after": target}),
        );
    }
    history::audit(&mut *conn, lead.id, action, actor, &changes).await?;
    store::get(conn, lead.id, Scope::Any)
        .await?
        .ok_or_else(problems::lead_not_found)
}
