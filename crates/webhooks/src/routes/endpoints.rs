//! Endpoints: register, list, read, change, delete, and rotate the signing secret.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use kernel::cache::Cache;
use kernel::events::validate_event_type;
use kernel::list::ListPage;
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::{scope, tenant_tx, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::endpoint_not_found;
use crate::store::{self, Endpoint, EndpointChange, NewEndpoint, ENDPOINT_LIST};
use crate::{new_secret, Settings};
use kernel::outbound::check_url;

const CHANNEL: &str = "webhook-endpoints";
/// Event types one endpoint may filter on.
const MAX_EVENT_TYPES: usize = 100;

/// Checks the URL against the target policy and the event types' form; 422 on the first
/// field that fails.
fn check_fields(
    settings: &Settings,
    url: Option<&str>,
    event_types: Option<&[String]>,
) -> Result<(), Problem> {
    let mut problem: Option<Problem> = None;
    let mut fail = |field: &str, message: String| {
        let p = problem
            .take()
            .unwrap_or_else(|| Problem::validation(Default::default()));
        problem = Some(p.with_field_error(field, message));
    };
    if let Some(url) = url {
        if let Err(why) = check_url(url, settings.targets) {
            fail("url", format!("The URL {why}."));
        }
    }
    if let Some(types) = event_types {
        if types.len() > MAX_EVENT_TYPES {
            fail(
                "event_types",
                format!("At most {MAX_EVENT_TYPES} event types."),
            );
        }
        if let Some(bad) = types.iter().find(|t| validate_event_type(t).is_err()) {
            fail(
                "event_types",
                format!("{bad:?} is not an event type (a-z 0-9 _ . / : -)."),
            );
        }
    }
    problem.map_or(Ok(()), Err)
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEndpoint {
    /// `https://…` (plain `http://localhost` only in dev).
    #[validate(length(min = 1, max = 2000))]
    pub url: String,
    #[validate(length(max = 500))]
    #[serde(default)]
    pub description: String,
    /// Only these event types (e.g. `lead.created`); empty or absent: every type.
    #[serde(default)]
    pub event_types: Vec<String>,
}

/// An endpoint with its signing secret: shown once, at creation and rotation.
#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointWithSecret {
    #[serde(flatten)]
    pub endpoint: Endpoint,
    /// `whsec_…`: verify our `webhook-signature` with it (Standard Webhooks).
    pub secret: String,
}

/// Register a webhook endpoint.
///
/// Needs `webhooks:write`. The answer carries the signing secret, which is never shown again.
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = CreateEndpoint,
    responses((status = 201, body = EndpointWithSecret))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_endpoint(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    settings: web::Data<Settings>,
    principal: Scoped<scope::WebhooksWrite>,
    body: ValidatedJson<CreateEndpoint>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    check_fields(&settings, Some(&body.url), Some(&body.event_types))?;
    let (id, secret) = (Uuid::now_v7(), new_secret());
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let new = NewEndpoint {
        id,
        url: &body.url,
        description: &body.description,
        event_types: &body.event_types,
        secret: &secret,
    };
    let endpoint = store::insert_endpoint(&mut work, &new).await?;
    work.publish_ids(CHANNEL, "webhook_endpoint.created", &[id])
        .await?;
    work.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/webhook-endpoints/{id}")))
        .json(EndpointWithSecret { endpoint, secret }))
}

/// List the tenant's webhook endpoints (Refine's list protocol).
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Endpoint>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_endpoints(
    db: web::Data<PgPool>,
    principal: Scoped<scope::WebhooksRead>,
    req: HttpRequest,
) -> Result<ListPage<Endpoint>, Problem> {
    ENDPOINT_LIST.respond(&db, &principal, &req).await
}

/// One webhook endpoint.
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Endpoint))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_endpoint(
    db: web::Data<PgPool>,
    principal: Scoped<scope::WebhooksRead>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Endpoint>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let endpoint = store::endpoint(&mut tx, *id).await?;
    end_read(tx);
    endpoint.map(web::Json).ok_or_else(endpoint_not_found)
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEndpoint {
    #[validate(length(min = 1, max = 2000))]
    pub url: Option<String>,
    #[validate(length(max = 500))]
    pub description: Option<String>,
    pub event_types: Option<Vec<String>>,
    /// `true` re-enables a disabled endpoint (and forgets its failures).
    pub enabled: Option<bool>,
}

/// Change a webhook endpoint.
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = UpdateEndpoint,
    responses((status = 200, body = Endpoint))
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_endpoint(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    settings: web::Data<Settings>,
    principal: Scoped<scope::WebhooksWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<UpdateEndpoint>,
) -> Result<web::Json<Endpoint>, Problem> {
    let body = body.into_inner();
    check_fields(&settings, body.url.as_deref(), body.event_types.as_deref())?;
    let change = EndpointChange {
        url: body.url.as_deref(),
        description: body.description.as_deref(),
        event_types: body.event_types.as_deref(),
        enabled: body.enabled,
    };
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let endpoint = store::update_endpoint(&mut work, *id, &change)
        .await?
        .ok_or_else(endpoint_not_found)?;
    work.publish_ids(CHANNEL, "webhook_endpoint.updated", &[*id])
        .await?;
    work.commit().await?;
    Ok(web::Json(endpoint))
}

/// Delete a webhook endpoint with its deliveries and attempts.
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204))
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_endpoint(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::WebhooksWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    if !store::delete_endpoint(&mut work, *id).await? {
        return Err(endpoint_not_found());
    }
    work.publish_ids(CHANNEL, "webhook_endpoint.deleted", &[*id])
        .await?;
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RotatedSecret {
    /// The new `whsec_…`, shown once.
    pub secret: String,
    /// Until then deliveries are signed with the old secret too.
    pub previous_secret_expires_at: DateTime<Utc>,
}

/// Rotate an endpoint's signing secret; the old one keeps signing for 24 hours.
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = RotatedSecret))
)]
#[post("/{id}/rotate-secret")]
#[tracing::instrument(skip_all)]
pub async fn rotate_secret(
    db: web::Data<PgPool>,
    settings: web::Data<Settings>,
    principal: Scoped<scope::WebhooksWrite>,
    id: web::Path<Uuid>,
) -> Result<web::Json<RotatedSecret>, Problem> {
    let secret = new_secret();
    let overlap = chrono::Duration::from_std(settings.rotation_overlap).unwrap_or_default();
    let expires = Utc::now() + overlap;
    let mut tx = tenant_tx(&db, &principal).await?;
    if !store::rotate_secret(&mut tx, *id, &secret, expires).await? {
        return Err(endpoint_not_found());
    }
    tx.commit().await?;
    Ok(web::Json(RotatedSecret {
        secret,
        previous_secret_expires_at: expires,
    }))
}
