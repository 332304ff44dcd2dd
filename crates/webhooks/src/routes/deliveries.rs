//! An endpoint's log: its deliveries and their attempts, and sending a delivery again.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use kernel::jobs::{enqueue, JobOptions};
use kernel::list::{ListPage, Listing};
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::{scope, tenant_tx, Principal, Problem, Scoped};
use sqlx::PgPool;
use uuid::Uuid;

use super::endpoint_not_found;
use crate::deliver::DeliverWebhook;
use crate::store::{self, Attempt, Delivery, ATTEMPT_LOG, DELIVERY_LOG};

/// One page of an endpoint's log in Refine's list protocol; 404 when the endpoint is not the
/// tenant's.
async fn endpoint_log<T>(
    db: &PgPool,
    principal: &Principal,
    endpoint: Uuid,
    req: &HttpRequest,
    log: &Listing<'_>,
) -> Result<ListPage<T>, Problem>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let mut tx = tenant_read_tx(db, principal).await?;
    let known = store::endpoint(&mut tx, endpoint).await?.is_some();
    end_read(tx);
    if !known {
        return Err(endpoint_not_found());
    }
    log.respond_within(db, principal, req, endpoint).await
}

/// An endpoint's deliveries, newest first (Refine's list protocol).
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Delivery>, headers(("X-Total-Count" = i64))))
)]
#[get("/{id}/deliveries")]
#[tracing::instrument(skip_all)]
pub async fn list_deliveries(
    db: web::Data<PgPool>,
    principal: Scoped<scope::WebhooksRead>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<ListPage<Delivery>, Problem> {
    endpoint_log(&db, &principal, *id, &req, &DELIVERY_LOG).await
}

/// An endpoint's delivery attempts, newest first: status, error, the start of the response.
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Attempt>, headers(("X-Total-Count" = i64))))
)]
#[get("/{id}/attempts")]
#[tracing::instrument(skip_all)]
pub async fn list_attempts(
    db: web::Data<PgPool>,
    principal: Scoped<scope::WebhooksRead>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<ListPage<Attempt>, Problem> {
    endpoint_log(&db, &principal, *id, &req, &ATTEMPT_LOG).await
}

/// Send a delivery again now (one attempt, whatever its state); the attempt is logged.
#[utoipa::path(
    tag = "webhooks",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("delivery_id" = Uuid, Path)),
    responses((status = 202, body = Delivery))
)]
#[post("/{id}/deliveries/{delivery_id}/redeliver")]
#[tracing::instrument(skip_all)]
pub async fn redeliver(
    db: web::Data<PgPool>,
    principal: Scoped<scope::WebhooksWrite>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    let (endpoint, delivery_id) = path.into_inner();
    let mut tx = tenant_tx(&db, &principal).await?;
    let delivery = store::reset_delivery(&mut tx, endpoint, delivery_id)
        .await?
        .ok_or_else(|| Problem::not_found("Delivery"))?;
    let job = DeliverWebhook {
        delivery_id,
        manual: true,
    };
    enqueue(&mut tx, &job, &JobOptions::default().max_attempts(1)).await?;
    tx.commit().await?;
    Ok(HttpResponse::Accepted().json(delivery))
}
