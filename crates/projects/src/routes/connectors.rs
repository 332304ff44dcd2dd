//! A project's connectors (the external systems it uses) and their live health.

use actix_web::{delete, get, post, web, HttpResponse};
use kernel::outbound::{check_url, TargetPolicy};
use kernel::tenancy::{end_read, tenant_read_tx, tenant_tx};
use kernel::{scope, Problem, Scoped, ValidatedJson};
use serde::Deserialize;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::health::ConnectorHealth;
use crate::problems::{invalid, project_not_found};
use crate::store::connectors::{self as store, Connector};
use crate::store::projects as project_store;
use crate::Settings;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConnectorKind {
    Airbyte,
    Http,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateConnector {
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    pub kind: ConnectorKind,
    /// `https://…`: Airbyte's base URL, or the URL to check for any HTTP API.
    #[validate(length(min = 1, max = 2000))]
    pub url: String,
}

/// A project's connectors.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Connector>))
)]
#[get("/{id}/connectors")]
#[tracing::instrument(skip_all)]
pub async fn list_connectors(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<Connector>>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    if !project_store::exists(&mut tx, *id).await? {
        return Err(project_not_found());
    }
    let connectors = store::connectors(&mut tx, *id).await?;
    end_read(tx);
    Ok(web::Json(connectors))
}

/// Add a connector to a project (its health is checked with the project's).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = CreateConnector,
    responses((status = 201, body = Connector))
)]
#[post("/{id}/connectors")]
#[tracing::instrument(skip_all)]
pub async fn create_connector(
    db: web::Data<PgPool>,
    settings: web::Data<Settings>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<CreateConnector>,
) -> Result<HttpResponse, Problem> {
    let policy = TargetPolicy {
        allow_private: settings.allow_private_targets,
    };
    check_url(&body.url, policy).map_err(|why| invalid("url", format!("The URL {why}.")))?;
    let kind = match body.kind {
        ConnectorKind::Airbyte => "airbyte",
        ConnectorKind::Http => "http",
    };
    let mut tx = tenant_tx(&db, &principal).await?;
    if !project_store::exists(&mut tx, *id).await? {
        return Err(project_not_found());
    }
    let connector = store::insert(&mut tx, *id, &body.name, kind, &body.url)
        .await?
        .ok_or_else(|| invalid("name", "The project has a connector of this name."))?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(connector))
}

/// Remove a connector.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("connector_id" = Uuid, Path)),
    responses((status = 204))
)]
#[delete("/{id}/connectors/{connector_id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_connector(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsWrite>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    let (project, connector) = path.into_inner();
    let mut tx = tenant_tx(&db, &principal).await?;
    if !store::delete(&mut tx, project, connector).await? {
        return Err(Problem::not_found("Connector"));
    }
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct HealthQuery {
    /// The project whose connectors to check.
    pub project: Uuid,
}

/// Check every connector of a project now, in parallel, each within its timeout.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(HealthQuery),
    responses((status = 200, body = Vec<ConnectorHealth>))
)]
#[get("/health/connectors")]
#[tracing::instrument(skip_all)]
pub async fn connector_health(
    db: web::Data<PgPool>,
    settings: web::Data<Settings>,
    principal: Scoped<scope::ProjectsRead>,
    query: web::Query<HealthQuery>,
) -> Result<web::Json<Vec<ConnectorHealth>>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    if !project_store::exists(&mut tx, query.project).await? {
        return Err(project_not_found());
    }
    let connectors = store::connectors(&mut tx, query.project).await?;
    end_read(tx);
    let report = settings
        .health
        .check(principal.tenant_id.0, query.project, &connectors)
        .await;
    Ok(web::Json(report))
}
