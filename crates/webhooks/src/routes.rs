//! `/api/v1/webhook-endpoints`: the tenant's webhook endpoints, their deliveries and attempts.
//! Reading needs `webhooks:read`, changing `webhooks:write`. Changes publish
//! `webhook_endpoint.*` events on `resources/webhook-endpoints` (Refine live mode).

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::deliver::DeliverWebhook;
use crate::guard::check_url;
use crate::store::{
    Attempt, Delivery, Endpoint, ATTEMPTS, DELIVERIES, ENDPOINTS, SELECT_ATTEMPTS,
    SELECT_DELIVERIES, SELECT_ENDPOINTS,
};
use crate::{new_secret, Settings};
use kernel::cache::Cache;
use kernel::events::{self, validate_event_type, NewEvent};
use kernel::jobs::{enqueue, JobOptions};
use kernel::list::{self, ListPage};
use kernel::{tenant_tx, Principal, Problem, ValidatedJson};

const CHANNEL: &str = "webhook-endpoints";
/// Event types one endpoint may filter on.
const MAX_EVENT_TYPES: usize = 100;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1/webhook-endpoints")
            // POSTs here create or trigger work: a retried request with the same
            // Idempotency-Key replays the first answer.
            .wrap(kernel::idempotency::Idempotency::from_app_data())
            .service(create_endpoint)
            .service(list_endpoints)
            .service(get_endpoint)
            .service(update_endpoint)
            .service(delete_endpoint)
            .service(rotate_secret)
            .service(list_deliveries)
            .service(list_attempts)
            .service(redeliver),
    );
}

fn not_found() -> Problem {
    Problem::not_found("Webhook endpoint")
}

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

async fn publish(tx: &mut PgConnection, event_type: &str, id: Uuid) -> Result<i64, Problem> {
    let event = NewEvent::for_ids(CHANNEL, event_type, [id])?;
    Ok(events::publish(tx, &event).await?)
}

async fn fetch(tx: &mut PgConnection, id: Uuid) -> Result<Endpoint, Problem> {
    sqlx::query_as(&format!("{SELECT_ENDPOINTS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(tx)
        .await?
        .ok_or_else(not_found)
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
    responses(
        (status = 201, body = EndpointWithSecret),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "validation_failed: a bad or internal URL, bad event types"),
    )
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_endpoint(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    settings: web::Data<Settings>,
    principal: Principal,
    body: ValidatedJson<CreateEndpoint>,
) -> Result<HttpResponse, Problem> {
    principal.require_scope(kernel::Scope::WebhooksWrite)?;
    let body = body.into_inner();
    check_fields(&settings, Some(&body.url), Some(&body.event_types))?;
    let (id, secret) = (Uuid::now_v7(), new_secret());
    let mut tx = tenant_tx(&db, &principal).await?;
    sqlx::query(
        "INSERT INTO webhook_endpoints (tenant_id, id, url, description, event_types, secret) \
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(&body.url)
    .bind(&body.description)
    .bind(&body.event_types)
    .bind(&secret)
    .execute(&mut *tx)
    .await?;
    let endpoint = fetch(&mut tx, id).await?;
    let seq = publish(&mut tx, "webhook_endpoint.created", id).await?;
    tx.commit().await?;
    events::notify_committed(&cache, principal.tenant_id, seq).await;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/webhook-endpoints/{id}")))
        .json(EndpointWithSecret { endpoint, secret }))
}

/// List the tenant's webhook endpoints (Refine's list protocol).
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Vec<Endpoint>, headers(("X-Total-Count" = i64))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_list_query"),
    )
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_endpoints(
    db: web::Data<PgPool>,
    principal: Principal,
    req: HttpRequest,
) -> Result<ListPage<Endpoint>, Problem> {
    principal.require_scope(kernel::Scope::WebhooksRead)?;
    let query = list::parse(&ENDPOINTS, req.query_string())?;
    let parts = query.to_sql(&ENDPOINTS, 1);
    let mut tx = tenant_tx(&db, &principal).await?;
    let (items, total) = list::fetch_page(&mut tx, SELECT_ENDPOINTS, None, &parts).await?;
    tx.commit().await?;
    Ok(ListPage { items, total })
}

/// One webhook endpoint.
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Endpoint), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_endpoint(
    db: web::Data<PgPool>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<web::Json<Endpoint>, Problem> {
    principal.require_scope(kernel::Scope::WebhooksRead)?;
    let mut tx = tenant_tx(&db, &principal).await?;
    let endpoint = fetch(&mut tx, *id).await?;
    tx.commit().await?;
    Ok(web::Json(endpoint))
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
    responses(
        (status = 200, body = Endpoint),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_endpoint(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    settings: web::Data<Settings>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: ValidatedJson<UpdateEndpoint>,
) -> Result<web::Json<Endpoint>, Problem> {
    principal.require_scope(kernel::Scope::WebhooksWrite)?;
    let body = body.into_inner();
    check_fields(&settings, body.url.as_deref(), body.event_types.as_deref())?;
    let mut tx = tenant_tx(&db, &principal).await?;
    let updated = sqlx::query(
        "UPDATE webhook_endpoints SET url = coalesce($2, url), \
                description = coalesce($3, description), \
                event_types = coalesce($4, event_types), \
                enabled = coalesce($5, enabled), \
                disabled_reason = CASE WHEN $5 THEN NULL ELSE disabled_reason END, \
                failing_since = CASE WHEN $5 THEN NULL ELSE failing_since END, \
                updated_at = now() \
         WHERE id = $1",
    )
    .bind(*id)
    .bind(body.url.as_deref())
    .bind(body.description.as_deref())
    .bind(body.event_types.as_deref())
    .bind(body.enabled)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(not_found());
    }
    let endpoint = fetch(&mut tx, *id).await?;
    let seq = publish(&mut tx, "webhook_endpoint.updated", *id).await?;
    tx.commit().await?;
    events::notify_committed(&cache, principal.tenant_id, seq).await;
    Ok(web::Json(endpoint))
}

/// Delete a webhook endpoint with its deliveries and attempts.
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_endpoint(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    principal.require_scope(kernel::Scope::WebhooksWrite)?;
    let mut tx = tenant_tx(&db, &principal).await?;
    let deleted = sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
        .bind(*id)
        .execute(&mut *tx)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(not_found());
    }
    let seq = publish(&mut tx, "webhook_endpoint.deleted", *id).await?;
    tx.commit().await?;
    events::notify_committed(&cache, principal.tenant_id, seq).await;
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
    responses((status = 200, body = RotatedSecret), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[post("/{id}/rotate-secret")]
#[tracing::instrument(skip_all)]
pub async fn rotate_secret(
    db: web::Data<PgPool>,
    settings: web::Data<Settings>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<web::Json<RotatedSecret>, Problem> {
    principal.require_scope(kernel::Scope::WebhooksWrite)?;
    let secret = new_secret();
    let overlap = chrono::Duration::from_std(settings.rotation_overlap).unwrap_or_default();
    let expires = Utc::now() + overlap;
    let mut tx = tenant_tx(&db, &principal).await?;
    let rotated = sqlx::query(
        "UPDATE webhook_endpoints SET previous_secret = secret, secret = $2, \
                previous_secret_expires_at = $3, updated_at = now() \
         WHERE id = $1",
    )
    .bind(*id)
    .bind(&secret)
    .bind(expires)
    .execute(&mut *tx)
    .await?;
    if rotated.rows_affected() == 0 {
        return Err(not_found());
    }
    tx.commit().await?;
    Ok(web::Json(RotatedSecret {
        secret,
        previous_secret_expires_at: expires,
    }))
}

/// One page of an endpoint's log (`select` from a table with an `endpoint_id` column), in
/// Refine's list protocol; 404 when the endpoint is not the tenant's.
async fn endpoint_log<T>(
    db: &PgPool,
    principal: &Principal,
    endpoint: Uuid,
    req: &HttpRequest,
    resource: &list::Resource,
    select: &str,
) -> Result<ListPage<T>, Problem>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    principal.require_scope(kernel::Scope::WebhooksRead)?;
    let query = list::parse(resource, req.query_string())?;
    // $1 is the endpoint; the list's own parameters follow.
    let parts = query.to_sql(resource, 2);
    let mut tx = tenant_tx(db, principal).await?;
    fetch(&mut tx, endpoint).await?;
    let (items, total) =
        list::fetch_page_with(&mut tx, select, "endpoint_id = $1", endpoint, &parts).await?;
    tx.commit().await?;
    Ok(ListPage { items, total })
}

/// An endpoint's deliveries, newest first (Refine's list protocol).
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Delivery>, headers(("X-Total-Count" = i64))), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/{id}/deliveries")]
#[tracing::instrument(skip_all)]
pub async fn list_deliveries(
    db: web::Data<PgPool>,
    principal: Principal,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<ListPage<Delivery>, Problem> {
    endpoint_log(&db, &principal, *id, &req, &DELIVERIES, SELECT_DELIVERIES).await
}

/// An endpoint's delivery attempts, newest first: status, error, the start of the response.
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Attempt>, headers(("X-Total-Count" = i64))), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/{id}/attempts")]
#[tracing::instrument(skip_all)]
pub async fn list_attempts(
    db: web::Data<PgPool>,
    principal: Principal,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<ListPage<Attempt>, Problem> {
    endpoint_log(&db, &principal, *id, &req, &ATTEMPTS, SELECT_ATTEMPTS).await
}

/// Send a delivery again now (one attempt, whatever its state); the attempt is logged.
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("delivery_id" = Uuid, Path)),
    responses((status = 202, body = Delivery), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[post("/{id}/deliveries/{delivery_id}/redeliver")]
#[tracing::instrument(skip_all)]
pub async fn redeliver(
    db: web::Data<PgPool>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    principal.require_scope(kernel::Scope::WebhooksWrite)?;
    let (endpoint, delivery_id) = path.into_inner();
    let mut tx = tenant_tx(&db, &principal).await?;
    let reset = sqlx::query(
        "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now() \
         WHERE id = $1 AND endpoint_id = $2",
    )
    .bind(delivery_id)
    .bind(endpoint)
    .execute(&mut *tx)
    .await?;
    if reset.rows_affected() == 0 {
        return Err(Problem::not_found("Delivery"));
    }
    let delivery: Delivery = sqlx::query_as(&format!("{SELECT_DELIVERIES} WHERE id = $1"))
        .bind(delivery_id)
        .fetch_one(&mut *tx)
        .await?;
    let job = DeliverWebhook {
        delivery_id,
        manual: true,
    };
    enqueue(&mut tx, &job, &JobOptions::default().max_attempts(1)).await?;
    tx.commit().await?;
    Ok(HttpResponse::Accepted().json(delivery))
}
