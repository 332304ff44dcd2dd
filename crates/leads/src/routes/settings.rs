//! The tenant's lead settings: its status list and its custom field definitions.

use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use kernel::cache::Cache;
use kernel::{scope, tenant_tx, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use validator::Validate;

use crate::checks::{self, FieldDefinition, FIELD_KINDS};
use crate::problems;
use crate::store::settings::{self, NewDefinition};

/// The statuses a lead can have, in order.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Statuses {
    /// 1 to 30 distinct names of 1 to 50 characters.
    #[validate(length(min = 1, max = 30))]
    pub statuses: Vec<String>,
}

/// The tenant's lead statuses (New, Assigned, In Process, Converted, Recycled, Dead until it
/// sets its own).
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Statuses))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_lead_statuses(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
) -> Result<HttpResponse, Problem> {
    let mut tx = tenant_tx(&db, &principal).await?;
    let statuses = checks::statuses(&mut tx).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(Statuses { statuses }))
}

/// Replace the status list. A status that live leads have cannot be left out (409 `in_use`).
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = Statuses,
    responses(
        (status = 200, body = Statuses),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "in_use"),
    )
)]
#[put("")]
#[tracing::instrument(skip_all)]
pub async fn replace_lead_statuses(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    body: ValidatedJson<Statuses>,
) -> Result<HttpResponse, Problem> {
    let mut names: Vec<String> = Vec::new();
    for name in body.statuses.iter().map(|s| s.trim()) {
        if name.is_empty() || name.chars().count() > 50 || name.contains('\0') {
            return Err(problems::invalid(
                "statuses",
                "each status is 1 to 50 characters",
            ));
        }
        if names.iter().any(|n| n == name) {
            return Err(problems::invalid(
                "statuses",
                format!("{name:?} is listed twice"),
            ));
        }
        names.push(name.to_owned());
    }
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    settings::lock_statuses(&mut work).await?;
    let orphaned = settings::statuses_used_besides(&mut work, &names).await?;
    if !orphaned.is_empty() {
        return Err(problems::in_use(format!(
            "Live leads have the statuses left out: {}.",
            orphaned.join(", ")
        ))
        .with_extension("statuses", orphaned.into()));
    }
    settings::replace_statuses(&mut work, &names).await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(Statuses { statuses: names }))
}

/// A new custom field.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewField {
    /// `a-z`, digits and `_`, starting with a letter; at most 50 characters.
    #[validate(length(min = 1, max = 50))]
    pub key: String,
    #[validate(length(min = 1, max = 100), custom(function = "crate::fields::no_nul"))]
    pub label: String,
    /// `text`, `number`, `date`, `select`, `multiselect` or `boolean`.
    pub kind: String,
    /// The choices of a select or multiselect (1 to 100 of 1 to 100 characters).
    #[serde(default)]
    pub options: Vec<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldPatch {
    #[validate(length(min = 1, max = 100), custom(function = "crate::fields::no_nul"))]
    pub label: Option<String>,
    /// New choices; values leads already hold stay until changed.
    pub options: Option<Vec<String>>,
}

fn check_options(kind: &str, options: &[String]) -> Result<(), Problem> {
    let choice = matches!(kind, "select" | "multiselect");
    if choice && !(1..=100).contains(&options.len()) {
        return Err(problems::invalid(
            "options",
            "a select needs 1 to 100 options",
        ));
    }
    if !choice && !options.is_empty() {
        return Err(problems::invalid(
            "options",
            "only select fields have options",
        ));
    }
    if options
        .iter()
        .any(|o| o.is_empty() || o.chars().count() > 100)
    {
        return Err(problems::invalid(
            "options",
            "each option is 1 to 100 characters",
        ));
    }
    Ok(())
}

async fn definition(conn: &mut PgConnection, key: &str) -> Result<FieldDefinition, Problem> {
    if key.contains('\0') {
        return Err(Problem::not_found("Custom field"));
    }
    settings::definition(conn, key)
        .await?
        .ok_or_else(|| Problem::not_found("Custom field"))
}

/// The tenant's custom lead fields.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<FieldDefinition>))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_lead_fields(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
) -> Result<HttpResponse, Problem> {
    let mut tx = tenant_tx(&db, &principal).await?;
    let fields = checks::definitions(&mut tx).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(fields))
}

/// Define a custom lead field.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = NewField,
    responses(
        (status = 201, body = FieldDefinition),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "already_exists"),
    )
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_lead_field(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    body: ValidatedJson<NewField>,
) -> Result<HttpResponse, Problem> {
    let key_ok = body.key.starts_with(|c: char| c.is_ascii_lowercase())
        && body
            .key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !key_ok {
        return Err(problems::invalid(
            "key",
            "must be a-z, digits and _, starting with a letter",
        ));
    }
    if !FIELD_KINDS.contains(&body.kind.as_str()) {
        return Err(problems::invalid(
            "kind",
            format!("must be one of: {}", FIELD_KINDS.join(", ")),
        ));
    }
    check_options(&body.kind, &body.options)?;
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let new = NewDefinition {
        key: &body.key,
        label: &body.label,
        kind: &body.kind,
        options: &body.options,
    };
    if !settings::insert_definition(&mut work, new).await? {
        return Err(problems::already_exists(format!(
            "A custom field {:?} exists.",
            body.key
        )));
    }
    let field = definition(&mut work, &body.key).await?;
    work.commit().await?;
    Ok(HttpResponse::Created().json(field))
}

/// Change a custom field's label or options (its kind is fixed).
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("key" = String, Path)),
    request_body = FieldPatch,
    responses(
        (status = 200, body = FieldDefinition),
    )
)]
#[patch("/{key}")]
#[tracing::instrument(skip_all)]
pub async fn update_lead_field(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    key: web::Path<String>,
    body: ValidatedJson<FieldPatch>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let current = definition(&mut work, &key).await?;
    if let Some(options) = &body.options {
        check_options(&current.kind, options)?;
    }
    let (label, options) = (body.label.as_deref(), body.options.as_deref());
    settings::update_definition(&mut work, &key, label, options).await?;
    let field = definition(&mut work, &key).await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(field))
}

/// Delete a custom field and its value on every lead.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("key" = String, Path)),
    responses((status = 204))
)]
#[delete("/{key}")]
#[tracing::instrument(skip_all)]
pub async fn delete_lead_field(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    key: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    definition(&mut work, &key).await?;
    settings::delete_definition(&mut work, &key).await?;
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
