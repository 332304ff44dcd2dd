//! One lead at a time: list (with `q`), get, create, update (versioned), delete (to the trash).

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::list::{self, Counted, ListPage, Totals};
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::{scope, tenant_tx, Problem, Scoped};
use sqlx::PgPool;
use uuid::Uuid;

use super::{check_version, lead_response};
use crate::checks::Rules;
use crate::fields::{LeadInput, LeadPatch};
use crate::history::{self, Actor, Events};
use crate::model::{Lead, LEADS, LIVE, SELECT_LEADS};
use crate::store::{self, Scope};
use crate::{problems, write, Members};

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
    totals: web::Data<Totals>,
    principal: Scoped<scope::LeadsRead>,
    req: HttpRequest,
) -> Result<ListPage<Lead>, Problem> {
    let query = kernel::list::parse(&LEADS, req.query_string())?;
    let parts = query.to_sql(&LEADS, 1);
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let counted = Counted {
        tenant: principal.tenant_id,
        table: "leads",
    };
    let (items, total) =
        list::fetch_page_counted(&mut tx, SELECT_LEADS, Some(LIVE), &parts, &totals, counted)
            .await?;
    end_read(tx);
    Ok(ListPage { items, total })
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
    body: web::Json<LeadInput>,
) -> Result<HttpResponse, Problem> {
    let mut tx = tenant_tx(&db, &principal).await?;
    let mut rules = Rules::load(&mut tx, members.get_ref()).await?;
    let (lead, effects) = write::create(
        &mut tx,
        &mut rules,
        Actor::from(&principal),
        body.into_inner(),
    )
    .await?;
    let mut events = Events::default();
    events
        .leads(&mut tx, "created", &[(lead.id, effects)])
        .await?;
    tx.commit().await?;
    events.notify(&cache, principal.tenant_id).await;
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
    body: web::Json<LeadPatch>,
) -> Result<HttpResponse, Problem> {
    let mut tx = tenant_tx(&db, &principal).await?;
    let current = store::lock(&mut tx, *id, Scope::Live)
        .await?
        .ok_or_else(problems::lead_not_found)?;
    check_version(&req, body.version, &current)?;
    let mut rules = Rules::load(&mut tx, members.get_ref()).await?;
    let actor = Actor::from(&principal);
    let changed = write::update(&mut tx, &mut rules, actor, "update", &current, &body).await?;
    let Some((lead, effects)) = changed else {
        tx.commit().await?;
        return Ok(lead_response(HttpResponse::Ok(), &current));
    };
    let mut events = Events::default();
    events
        .leads(&mut tx, "updated", &[(lead.id, effects)])
        .await?;
    tx.commit().await?;
    events.notify(&cache, principal.tenant_id).await;
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
    let mut tx = tenant_tx(&db, &principal).await?;
    let current = store::lock(&mut tx, *id, Scope::Live)
        .await?
        .ok_or_else(problems::lead_not_found)?;
    check_version(&req, None, &current)?;
    let lead = trash_lead(&mut tx, Actor::from(&principal), &current, None).await?;
    let mut events = Events::default();
    events
        .publish(&mut tx, "leads", "lead.deleted", &[lead.id])
        .await?;
    tx.commit().await?;
    events.notify(&cache, principal.tenant_id).await;
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
