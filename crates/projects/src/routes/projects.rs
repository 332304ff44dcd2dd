//! Projects: create, list, read, change, delete (soft), and the audit trail.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::list::ListPage;
use kernel::tenancy::{end_read, tenant_read_tx, Actor};
use kernel::{scope, Principal, Problem, Scoped, UnitOfWork, ValidatedJson};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::StateCache;
use crate::model::{is_currency, is_slug, is_timezone, Project, ProjectStatus};
use crate::problems::{self, project_not_found};
use crate::store::projects::{self as store, AuditEntry, NewProject, ProjectChange, LISTING};

/// Refine's resource channel for projects.
pub(crate) const RESOURCE: &str = "projects";

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProject {
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    /// Lower-case words joined by dashes (`fashion-shop`), unique among the tenant's projects.
    #[validate(length(min = 1, max = 100))]
    pub slug: String,
    #[serde(default)]
    #[validate(length(max = 200))]
    pub client_name: String,
    #[serde(default)]
    #[validate(length(max = 5000))]
    pub description: String,
    pub status: Option<ProjectStatus>,
    /// IANA zone, `UTC` when absent.
    pub timezone: Option<String>,
    /// The monthly budget, exact: `"1500.00"` (at most 2 decimal places).
    #[schema(value_type = Option<String>, example = "1500.00")]
    pub budget_amount: Option<Decimal>,
    /// ISO 4217 code, `USD` when absent.
    pub budget_currency: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProject {
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    #[validate(length(min = 1, max = 100))]
    pub slug: Option<String>,
    #[validate(length(max = 200))]
    pub client_name: Option<String>,
    #[validate(length(max = 5000))]
    pub description: Option<String>,
    pub status: Option<ProjectStatus>,
    pub timezone: Option<String>,
    /// `null` removes the budget.
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<String>, example = "1500.00")]
    pub budget_amount: Option<Option<Decimal>>,
    pub budget_currency: Option<String>,
}

/// The checks `validator` cannot express; 422 naming every field that fails.
fn check_fields(
    slug: Option<&str>,
    timezone: Option<&str>,
    budget: Option<Decimal>,
    currency: Option<&str>,
) -> Result<(), Problem> {
    let mut failed: Vec<(&str, &str)> = Vec::new();
    if slug.is_some_and(|s| !is_slug(s)) {
        failed.push((
            "slug",
            "Use lower-case letters and digits in words joined by single dashes.",
        ));
    }
    if timezone.is_some_and(|tz| !is_timezone(tz)) {
        failed.push(("timezone", "Not an IANA time zone (e.g. Europe/Bucharest)."));
    }
    if budget.is_some_and(|amount| {
        amount.is_sign_negative()
            || amount.scale() > 2
            || amount >= Decimal::from(1_000_000_000_000i64)
    }) {
        failed.push((
            "budget_amount",
            "A non-negative amount below 10^12 with at most 2 decimal places.",
        ));
    }
    if currency.is_some_and(|c| !is_currency(c)) {
        failed.push((
            "budget_currency",
            "A three-letter ISO 4217 code such as EUR.",
        ));
    }
    if failed.is_empty() {
        return Ok(());
    }
    Err(failed.into_iter().fold(
        Problem::validation(Default::default()),
        |p, (field, message)| p.with_field_error(field, message),
    ))
}

/// The party behind a change, as the audit trail records it.
pub(crate) fn actor(principal: &Principal) -> (&'static str, Option<Uuid>) {
    match principal.actor {
        Actor::User(id) => ("user", Some(id)),
        Actor::ApiKey(id) => ("api_key", Some(id)),
    }
}

/// `{field: {"before": …, "after": …}}` for every field of the project that differs.
fn diff(before: Option<&Project>, after: Option<&Project>) -> Value {
    let fields = |p: Option<&Project>| match p.map(serde_json::to_value) {
        Some(Ok(Value::Object(map))) => map,
        _ => Map::new(),
    };
    let (before, after) = (fields(before), fields(after));
    let mut changes = Map::new();
    for key in before.keys().chain(after.keys()) {
        if matches!(key.as_str(), "id" | "created_at" | "updated_at") || changes.contains_key(key) {
            continue;
        }
        let (b, a) = (before.get(key), after.get(key));
        if b != a {
            changes.insert(key.clone(), json!({"before": b, "after": a}));
        }
    }
    Value::Object(changes)
}

fn map_slug_conflict(slug: &str) -> impl FnOnce(sqlx::Error) -> Problem + '_ {
    move |e| {
        if kernel::db::is_unique_violation(&e, "projects_slug_key") {
            problems::slug_taken(slug)
        } else {
            e.into()
        }
    }
}

/// Create a project.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = CreateProject,
    responses((status = 201, body = Project, headers(("Location" = String))))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_project(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::ProjectsWrite>,
    body: ValidatedJson<CreateProject>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    check_fields(
        Some(&body.slug),
        body.timezone.as_deref(),
        body.budget_amount,
        body.budget_currency.as_deref(),
    )?;
    let id = Uuid::now_v7();
    let new = NewProject {
        id,
        name: &body.name,
        slug: &body.slug,
        client_name: &body.client_name,
        description: &body.description,
        status: body.status.unwrap_or(ProjectStatus::Active).as_str(),
        timezone: body.timezone.as_deref().unwrap_or("UTC"),
        budget_amount: body.budget_amount,
        budget_currency: body.budget_currency.as_deref().unwrap_or("USD"),
    };
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let project = store::insert_project(&mut work, &new)
        .await
        .map_err(map_slug_conflict(&body.slug))?;
    store::insert_audit(
        &mut work,
        id,
        "created",
        actor(&principal),
        &diff(None, Some(&project)),
    )
    .await?;
    work.publish_ids(RESOURCE, "project.created", &[id]).await?;
    work.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/projects/{id}")))
        .json(project))
}

/// List the tenant's projects (Refine's list protocol; `q` searches name, client and slug).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Project>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_projects(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    req: HttpRequest,
) -> Result<ListPage<Project>, Problem> {
    LISTING.respond(&db, &principal, &req).await
}

/// One project.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Project))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_project(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Project>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let project = store::project(&mut tx, *id).await?;
    end_read(tx);
    project.map(web::Json).ok_or_else(project_not_found)
}

/// Change a project.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = UpdateProject,
    responses((status = 200, body = Project))
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_project(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    states: web::Data<StateCache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<UpdateProject>,
) -> Result<web::Json<Project>, Problem> {
    let body = body.into_inner();
    check_fields(
        body.slug.as_deref(),
        body.timezone.as_deref(),
        body.budget_amount.flatten(),
        body.budget_currency.as_deref(),
    )?;
    let change = ProjectChange {
        name: body.name.as_deref(),
        slug: body.slug.as_deref(),
        client_name: body.client_name.as_deref(),
        description: body.description.as_deref(),
        status: body.status.map(ProjectStatus::as_str),
        timezone: body.timezone.as_deref(),
        budget_amount: body.budget_amount,
        budget_currency: body.budget_currency.as_deref(),
    };
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let before = super::lock_project(&mut work, *id).await?;
    let after = store::update_project(&mut work, *id, &change)
        .await
        .map_err(map_slug_conflict(body.slug.as_deref().unwrap_or_default()))?
        .ok_or_else(project_not_found)?;
    let changes = diff(Some(&before), Some(&after));
    if changes.as_object().is_some_and(|c| !c.is_empty()) {
        store::insert_audit(&mut work, *id, "updated", actor(&principal), &changes).await?;
    }
    work.publish_ids(RESOURCE, "project.updated", &[*id])
        .await?;
    work.commit().await?;
    states.forget(principal.tenant_id, *id);
    Ok(web::Json(after))
}

/// Delete a project (soft: its data stays until the tenant is deleted; its slug is free).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204))
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_project(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    states: web::Data<StateCache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    if !store::delete_project(&mut work, *id).await? {
        return Err(project_not_found());
    }
    store::insert_audit(&mut work, *id, "deleted", actor(&principal), &json!({})).await?;
    work.publish_ids(RESOURCE, "project.deleted", &[*id])
        .await?;
    work.commit().await?;
    states.forget(principal.tenant_id, *id);
    Ok(HttpResponse::NoContent().finish())
}

/// A project's audit trail, newest first (the last 100 entries).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<AuditEntry>))
)]
#[get("/{id}/audit")]
#[tracing::instrument(skip_all)]
pub async fn list_project_audit(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<AuditEntry>>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    if !store::exists(&mut tx, *id).await? {
        return Err(project_not_found());
    }
    let entries = store::audit(&mut tx, *id).await?;
    end_read(tx);
    Ok(web::Json(entries))
}
