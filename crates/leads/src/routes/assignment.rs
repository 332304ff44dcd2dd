//! Round-robin assignment rules: new leads of a source without an owner go to the rule's
//! members in turn (see `crate::checks::round_robin`).

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::list::ListPage;
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::Deserialize;
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::checks::Rules;
use crate::store::assignment_rules::{self, AssignmentRule, NewRuleRow};
use crate::{problems, Members};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRule {
    #[validate(length(min = 1, max = 100), custom(function = "crate::fields::no_nul"))]
    pub source: String,
    /// 1 to 100 members of the tenant.
    #[validate(length(min = 1, max = 100))]
    pub member_ids: Vec<Uuid>,
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulePatch {
    /// A new list restarts the turns from its first member.
    #[validate(length(min = 1, max = 100))]
    pub member_ids: Option<Vec<Uuid>>,
    pub enabled: Option<bool>,
}

fn rule_not_found() -> Problem {
    Problem::not_found("Assignment rule")
}

async fn check_members(
    conn: &mut PgConnection,
    members: &dyn Members,
    ids: &[Uuid],
) -> Result<(), Problem> {
    let mut rules = Rules::load(&mut *conn, members).await?;
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(problems::invalid(
                &format!("member_ids[{i}]"),
                "is listed twice",
            ));
        }
        if !rules.is_member(&mut *conn, *id).await? {
            return Err(problems::invalid(
                &format!("member_ids[{i}]"),
                "is not a member of this workspace",
            ));
        }
    }
    Ok(())
}

async fn rule(conn: &mut PgConnection, id: Uuid) -> Result<AssignmentRule, Problem> {
    assignment_rules::find_rule(conn, id)
        .await?
        .ok_or_else(rule_not_found)
}

/// The tenant's assignment rules (Refine's list protocol).
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Vec<AssignmentRule>, headers(("X-Total-Count" = i64))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_list_query"),
    )
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_assignment_rules(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
    req: HttpRequest,
) -> Result<ListPage<AssignmentRule>, Problem> {
    assignment_rules::LISTING
        .respond(&db, &principal, &req)
        .await
}

/// Create a round-robin rule for a lead source (one rule per source).
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = NewRule,
    responses(
        (status = 201, body = AssignmentRule),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "already_exists"),
    )
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_assignment_rule(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    members: web::Data<dyn Members>,
    principal: Scoped<scope::LeadsWrite>,
    body: ValidatedJson<NewRule>,
) -> Result<HttpResponse, Problem> {
    let source = body.source.trim().to_lowercase();
    if source.is_empty() {
        return Err(problems::invalid("source", "must not be blank"));
    }
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    check_members(&mut work, members.get_ref(), &body.member_ids).await?;
    let id = Uuid::now_v7();
    let new = NewRuleRow {
        id,
        source: &source,
        member_ids: &body.member_ids,
        enabled: body.enabled,
    };
    if !assignment_rules::insert_rule(&mut work, new).await? {
        return Err(problems::already_exists(format!(
            "A rule for source {source:?} exists."
        )));
    }
    let rule = rule(&mut work, id).await?;
    work.commit().await?;
    Ok(HttpResponse::Created().json(rule))
}

/// Change a rule's members or switch it on or off.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = RulePatch,
    responses(
        (status = 200, body = AssignmentRule),
    )
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_assignment_rule(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    members: web::Data<dyn Members>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<RulePatch>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    rule(&mut work, *id).await?;
    if let Some(ids) = &body.member_ids {
        check_members(&mut work, members.get_ref(), ids).await?;
    }
    assignment_rules::update_rule(&mut work, *id, body.member_ids.as_deref(), body.enabled).await?;
    let rule = rule(&mut work, *id).await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(rule))
}

/// Delete a rule.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204))
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_assignment_rule(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    if !assignment_rules::delete_rule(&mut work, *id).await? {
        return Err(rule_not_found());
    }
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
