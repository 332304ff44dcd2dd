//! `/api/v1/jobs`: the tenant's jobs for admins: list (dead letters with `?state=dead`), one
//! job, counts and start latency, retry, discard. Row-level security scopes every query.

use std::time::Duration;

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use serde::Serialize;
use sqlx::PgPool;
use utoipa::ToSchema;

use super::store::{self, JobCounts, JobRow, JOBS, SELECT_JOBS};
use crate::list::{self, ListPage};
use crate::{tenant_tx, Principal, Problem};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1/jobs")
            // POSTs here create or trigger work: a retried request with the same
            // Idempotency-Key replays the first answer.
            .wrap(crate::idempotency::Idempotency::from_app_data())
            .service(list_jobs)
            .service(job_stats)
            .service(get_job)
            .service(retry_job)
            .service(discard_job),
    );
}

/// The window of [`JobStats::start_latency_p50_ms`].
const LATENCY_WINDOW: Duration = Duration::from_secs(15 * 60);

/// List the tenant's jobs.
///
/// Needs `jobs:read`. Refine's list protocol (docs/API.md): fields `id`, `kind`, `queue`,
/// `state`, `attempts`, `run_at`, `created_at`, `finished_at`; newest first. The dead-letter
/// queue is `?state=dead`; jobs waiting for a retry are `?state=failed`.
#[utoipa::path(
    tag = "jobs",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Vec<JobRow>, headers(("X-Total-Count" = i64, description = "Jobs matching the filters"))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_list_query"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "forbidden: no `jobs:read`"),
    )
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_jobs(
    db: web::Data<PgPool>,
    principal: Principal,
    req: HttpRequest,
) -> Result<ListPage<JobRow>, Problem> {
    principal.require_scope(crate::Scope::JobsRead)?;
    let query = list::parse(&JOBS, req.query_string())?;
    let parts = query.to_sql(&JOBS, 1);
    let mut tx = tenant_tx(&db, &principal).await?;
    let (items, total) = list::fetch_page(&mut tx, SELECT_JOBS, None, &parts).await?;
    tx.commit().await?;
    Ok(ListPage { items, total })
}

/// The tenant's job counts and start latency.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobStats {
    #[serde(flatten)]
    pub counts: JobCounts,
    /// Median time from due to started over the last 15 minutes' first attempts (ms).
    pub start_latency_p50_ms: Option<f64>,
    pub start_latency_p95_ms: Option<f64>,
}

/// Job metrics: counts per state, queue lag and start latency.
///
/// Needs `jobs:read`.
#[utoipa::path(
    tag = "jobs",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = JobStats),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stats")]
#[tracing::instrument(skip_all)]
pub async fn job_stats(
    db: web::Data<PgPool>,
    principal: Principal,
) -> Result<web::Json<JobStats>, Problem> {
    principal.require_scope(crate::Scope::JobsRead)?;
    let mut tx = tenant_tx(&db, &principal).await?;
    let counts = store::tenant_counts(&mut tx).await?;
    let latency = store::tenant_latency(&mut tx, LATENCY_WINDOW).await?;
    tx.commit().await?;
    Ok(web::Json(JobStats {
        counts,
        start_latency_p50_ms: latency.map(|l| l.0),
        start_latency_p95_ms: latency.map(|l| l.1),
    }))
}

fn not_found() -> Problem {
    Problem::not_found("Job")
}

/// Locks the tenant's job until the transaction ends and returns its state (404 if none).
async fn lock_state(tx: &mut sqlx::PgConnection, id: i64) -> Result<String, Problem> {
    sqlx::query_scalar("SELECT state FROM jobs WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(tx)
        .await?
        .ok_or_else(not_found)
}

/// One job.
///
/// Needs `jobs:read`.
#[utoipa::path(
    tag = "jobs",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = i64, Path, description = "The job's id")),
    responses(
        (status = 200, body = JobRow),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "not_found"),
    )
)]
#[get("/{id}")]
#[tracing::instrument(skip_all, fields(job_id = *id))]
pub async fn get_job(
    db: web::Data<PgPool>,
    principal: Principal,
    id: web::Path<i64>,
) -> Result<web::Json<JobRow>, Problem> {
    principal.require_scope(crate::Scope::JobsRead)?;
    let mut tx = tenant_tx(&db, &principal).await?;
    let job: Option<JobRow> = sqlx::query_as(&format!("{SELECT_JOBS} WHERE id = $1"))
        .bind(*id)
        .fetch_optional(&mut *tx)
        .await?;
    tx.commit().await?;
    job.map(web::Json).ok_or_else(not_found)
}

/// Retry a dead or failed job now, with its attempts reset.
///
/// Needs `jobs:write`. A job that is queued, running or succeeded gets 409 `job_not_retryable`.
#[utoipa::path(
    tag = "jobs",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = i64, Path, description = "The job's id")),
    responses(
        (status = 200, body = JobRow, description = "The job, queued again"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "not_found"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "job_not_retryable"),
    )
)]
#[post("/{id}/retry")]
#[tracing::instrument(skip_all, fields(job_id = *id))]
pub async fn retry_job(
    db: web::Data<PgPool>,
    principal: Principal,
    id: web::Path<i64>,
) -> Result<web::Json<JobRow>, Problem> {
    principal.require_scope(crate::Scope::JobsWrite)?;
    let mut tx = tenant_tx(&db, &principal).await?;
    match lock_state(&mut tx, *id).await?.as_str() {
        "dead" | "failed" => {}
        other => {
            return Err(Problem::new(
                crate::ProblemCode::JobNotRetryable,
                format!("Only dead or failed jobs can be retried; this one is {other}."),
            ))
        }
    }
    let job: JobRow = sqlx::query_as(
        "UPDATE jobs SET state = 'queued', attempts = 0, run_at = now(), finished_at = NULL \
         WHERE id = $1 \
         RETURNING id, kind, queue, state, priority, attempts, max_attempts, job_key AS key, \
                   payload, last_error, run_at, created_at, started_at, finished_at",
    )
    .bind(*id)
    .fetch_one(&mut *tx)
    .await
    .map_err(|err| match &err {
        // A waiting job with the same key exists: that one will do the work.
        sqlx::Error::Database(db) if db.is_unique_violation() => Problem::new(
            crate::ProblemCode::JobKeyWaiting,
            "Another job with this key is already waiting to run.",
        ),
        _ => Problem::from(err),
    })?;
    sqlx::query("SELECT pg_notify('kernel_jobs', '')")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(web::Json(job))
}

/// Discard a job that is not running (a dead letter, a failed or waiting job).
///
/// Needs `jobs:write`. A running job gets 409 `job_running`.
#[utoipa::path(
    tag = "jobs",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = i64, Path, description = "The job's id")),
    responses(
        (status = 204, description = "Discarded"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "not_found"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "job_running"),
    )
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all, fields(job_id = *id))]
pub async fn discard_job(
    db: web::Data<PgPool>,
    principal: Principal,
    id: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    principal.require_scope(crate::Scope::JobsWrite)?;
    let mut tx = tenant_tx(&db, &principal).await?;
    if lock_state(&mut tx, *id).await? == "running" {
        return Err(Problem::new(
            crate::ProblemCode::JobRunning,
            "A running job cannot be discarded; retry after it ends.",
        ));
    }
    sqlx::query("DELETE FROM jobs WHERE id = $1")
        .bind(*id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
