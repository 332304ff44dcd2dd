//! Refine's createMany, updateMany and deleteMany: all or nothing, in one transaction, with
//! one event per kind of change for all the leads.

use std::collections::BTreeSet;

use actix_web::{delete, patch, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::{scope, JsonBody, Problem, Scoped, UnitOfWork};
use serde::Deserialize;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use super::ids_in_query;
use super::leads::trash_lead;
use crate::checks::Rules;
use crate::fields::{LeadInput, LeadPatch};
use crate::history::{self, Actor};
use crate::model::Lead;
use crate::{problems, store, write, Members};

/// Most leads one bulk request may touch.
pub const MAX_BULK: usize = 500;

/// A problem about the `index`-th item of a bulk request: field errors become `[i].field`.
fn at_index(index: usize, mut problem: Problem) -> Problem {
    if let Some(errors) = problem.errors.take() {
        problem.errors = Some(
            errors
                .into_iter()
                .map(|(field, messages)| (format!("[{index}].{field}"), messages))
                .collect(),
        );
    }
    problem.with_extension("index", index.into())
}

fn bulk_size(n: usize, field: &str) -> Result<(), Problem> {
    if (1..=MAX_BULK).contains(&n) {
        Ok(())
    } else {
        Err(problems::invalid(
            field,
            format!("must hold 1 to {MAX_BULK} items"),
        ))
    }
}

/// Create many leads at once (Refine's createMany).
///
/// All or nothing: the first invalid item fails the request with its index (`index`, and
/// field errors as `[i].field`); an email used by a live lead, or twice in the request, is a
/// 409 `duplicate_email` naming the existing lead.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = Vec<LeadInput>,
    responses(
        (status = 201, body = Vec<Lead>),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "duplicate_email"),
    )
)]
#[post("/bulk")]
#[tracing::instrument(skip_all)]
pub async fn create_leads(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    members: web::Data<dyn Members>,
    principal: Scoped<scope::LeadsWrite>,
    body: JsonBody<Vec<LeadInput>>,
) -> Result<HttpResponse, Problem> {
    let inputs = body.into_inner();
    bulk_size(inputs.len(), "body")?;
    let actor = Actor::from(&principal);
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let mut rules = Rules::load(&mut work, members.get_ref()).await?;
    let mut created = Vec::with_capacity(inputs.len());
    let mut effects = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.into_iter().enumerate() {
        let (lead, effect) = write::create(&mut work, &mut rules, actor, input)
            .await
            .map_err(|p| at_index(i, p))?;
        effects.push((lead.id, effect));
        created.push(lead);
    }
    history::publish_leads(&mut work, "created", &effects).await?;
    work.commit().await?;
    Ok(HttpResponse::Created().json(created))
}

/// Refine's updateMany: the same change to several leads.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkUpdate {
    /// 1 to 500 lead ids.
    pub ids: Vec<Uuid>,
    /// The change, as for `PATCH /api/v1/leads/{id}` (without `version`: a bulk change is
    /// not checked against each lead's version).
    pub values: LeadPatch,
}

/// Apply one change to many leads (Refine's updateMany). All or nothing.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = BulkUpdate,
    responses(
        (status = 200, body = Vec<Lead>),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "not_found: `missing_ids` lists the ids that are not live leads"),
    )
)]
#[patch("/bulk")]
#[tracing::instrument(skip_all)]
pub async fn update_leads(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    members: web::Data<dyn Members>,
    principal: Scoped<scope::LeadsWrite>,
    body: JsonBody<BulkUpdate>,
) -> Result<HttpResponse, Problem> {
    let BulkUpdate { ids, values } = body.into_inner();
    bulk_size(ids.len(), "ids")?;
    if values.version.is_some() {
        return Err(problems::invalid(
            "values.version",
            "is not accepted in a bulk change; use PATCH /api/v1/leads/{id}",
        ));
    }
    let actor = Actor::from(&principal);
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let leads = lock_all(&mut work, &ids).await?;
    let mut rules = Rules::load(&mut work, members.get_ref()).await?;
    let mut answer = Vec::with_capacity(leads.len());
    let mut effects = Vec::new();
    for (i, current) in leads.iter().enumerate() {
        match write::update(&mut work, &mut rules, actor, "update", current, &values)
            .await
            .map_err(|p| at_index(i, p))?
        {
            Some((lead, effect)) => {
                effects.push((lead.id, effect));
                answer.push(lead);
            }
            None => answer.push(current.clone()),
        }
    }
    history::publish_leads(&mut work, "updated", &effects).await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// Move many leads to the trash (Refine's deleteMany): `?id=a&id=b`. All or nothing.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Vec<Uuid>, Query, description = "repeated: `?id=a&id=b`")),
    responses(
        (status = 200, body = Vec<Lead>),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_query"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "not_found: `missing_ids`"),
    )
)]
#[delete("/bulk")]
#[tracing::instrument(skip_all)]
pub async fn delete_leads(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    req: HttpRequest,
) -> Result<HttpResponse, Problem> {
    let ids = ids_in_query(&req)?;
    bulk_size(ids.len(), "id")?;
    let actor = Actor::from(&principal);
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let leads = lock_all(&mut work, &ids).await?;
    let mut deleted = Vec::with_capacity(leads.len());
    for lead in &leads {
        deleted.push(trash_lead(&mut work, actor, lead, None).await?);
    }
    let ids: Vec<Uuid> = deleted.iter().map(|l| l.id).collect();
    work.publish_ids("leads", "lead.deleted", &ids).await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(deleted))
}

/// Locks the live leads with these ids (duplicates ignored); 404 naming the missing ones.
async fn lock_all(conn: &mut sqlx::PgConnection, ids: &[Uuid]) -> Result<Vec<Lead>, Problem> {
    let wanted: BTreeSet<Uuid> = ids.iter().copied().collect();
    let ids: Vec<Uuid> = wanted.iter().copied().collect();
    let leads = store::lock_many(conn, &ids).await?;
    if leads.len() < wanted.len() {
        let missing: Vec<String> = wanted
            .iter()
            .filter(|id| !leads.iter().any(|l| l.id == **id))
            .map(Uuid::to_string)
            .collect();
        return Err(problems::lead_not_found().with_extension("missing_ids", missing.into()));
    }
    Ok(leads)
}
