//! Round-robin assignment rules: new leads of a source without an owner go to the rule's
//! members in turn (see `crate::checks::round_robin`).

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use kernel::cache::Cache;
use kernel::list::{Field, FieldType, ListPage, Listing, Order, Resource};
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::checks::Rules;
use crate::{problems, Members};

/// A round-robin rule.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct AssignmentRule {
    pub id: Uuid,
    /// The lead source it applies to (lower case; matched case-insensitively).
    pub source: String,
    /// The members who take turns, in order.
    pub member_ids: Vec<Uuid>,
    /// How many leads it has assigned.
    pub assigned: i64,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const SELECT_RULES: &str = "SELECT id, source, member_ids, next_index AS assigned, enabled, \
     created_at, updated_at FROM lead_assignment_rules";

static RULES: Resource = Resource::new(
    "lead-assignment-rules",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("source", "source", FieldType::Text),
        Field::new("enabled", "enabled", FieldType::Bool),
        Field::new("created_at", "created_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Asc), ("id", Order::Asc)])
.page_sizes(25, 200);

static LISTING: Listing = Listing::new(&RULES, SELECT_RULES);

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
    sqlx::query_as(&format!("{SELECT_RULES} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
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
    LISTING.respond(&db, &principal, &req).await
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
    let inserted = sqlx::query(
        "INSERT INTO lead_assignment_rules (tenant_id, id, source, member_ids, enabled) \
         VALUES (kernel_current_tenant(), $1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(&source)
    .bind(&body.member_ids)
    .bind(body.enabled)
    .execute(&mut *work)
    .await?;
    if inserted.rows_affected() == 0 {
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
    sqlx::query(
        "UPDATE lead_assignment_rules SET member_ids = coalesce($2, member_ids), \
             next_index = CASE WHEN $2 IS NULL THEN next_index ELSE 0 END, \
             enabled = coalesce($3, enabled), updated_at = now() WHERE id = $1",
    )
    .bind(*id)
    .bind(&body.member_ids)
    .bind(body.enabled)
    .execute(&mut *work)
    .await?;
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
    let deleted = sqlx::query("DELETE FROM lead_assignment_rules WHERE id = $1")
        .bind(*id)
        .execute(&mut *work)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(rule_not_found());
    }
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
