//! `/api/v1/jobs`: the tenant's jobs for admins: list (dead letters with `?state=dead`), one
//! job, counts and start latency, retry, discard. Row-level security scopes every query; the
//! SQL is the kernel's (`kernel::jobs::store`), which owns the jobs table.

use std::time::Duration;

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use kernel::jobs::store::{self, JobCounts, JobRow, JOBS, SELECT_JOBS};
use kernel::list::{ListPage, Listing};
use kernel::{scope, tenant_tx, Problem, ProblemCode, Scoped};
use serde::Serialize;
use sqlx::PgPool;
use utoipa::ToSchema;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1/jobs")
            // POSTs here create or trigger work: a retried request with the same
            // Idempotency-Key replays the first answer.
            .wrap(kernel::idempotency::Idempotency::from_app_data())
            .service(list_jobs)
            .service(job_stats)
            .service(get_job)
            .service(retry_job)
            .service(discard_job),
    );
}

/// The window of [`JobStats::start_latency_p50_ms`].
const LATENCY_WINDOW: Duration = Duration::from_secs(15 * 60);

const LISTING: Listing = Listing::new(&JOBS, SELECT_JOBS);

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
    )
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_jobs(
    db: web::Data<PgPool>,
    principal: Scoped<scope::JobsRead>,
    req: HttpRequest,
) -> Result<ListPage<JobRow>, Problem> {
    LISTING.respond(&db, &principal, &req).await
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
    responses((status = 200, body = JobStats))
)]
#[get("/stats")]
#[tracing::instrument(skip_all)]
pub async fn job_stats(
    db: web::Data<PgPool>,
    principal: Scoped<scope::JobsRead>,
) -> Result<web::Json<JobStats>, Problem> {
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

/// One job.
///
/// Needs `jobs:read`.
#[utoipa::path(
    tag = "jobs",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = i64, Path, description = "The job's id")),
    responses((status = 200, body = JobRow))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all, fields(job_id = *id))]
pub async fn get_job(
    db: web::Data<PgPool>,
    principal: Scoped<scope::JobsRead>,
    id: web::Path<i64>,
) -> Result<web::Json<JobRow>, Problem> {
    let mut tx = tenant_tx(&db, &principal).await?;
    let job = store::get(&mut tx, *id).await?;
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
        (status = 409, body = Problem, content_type = "application/problem+json", description = "job_not_retryable, job_key_waiting"),
    )
)]
#[post("/{id}/retry")]
#[tracing::instrument(skip_all, fields(job_id = *id))]
pub async fn retry_job(
    db: web::Data<PgPool>,
    principal: Scoped<scope::JobsWrite>,
    id: web::Path<i64>,
) -> Result<web::Json<JobRow>, Problem> {
    let mut tx = tenant_tx(&db, &principal).await?;
    let state = store::lock_state(&mut tx, *id)
        .await?
        .ok_or_else(not_found)?;
    if !matches!(state.as_str(), "dead" | "failed") {
        return Err(Problem::new(
            ProblemCode::JobNotRetryable,
            format!("Only dead or failed jobs can be retried; this one is {state}."),
        ));
    }
    let job = store::requeue(&mut tx, *id)
        .await
        .map_err(|err| match &err {
            // A waiting job with the same key exists: that one will do the work.
            sqlx::Error::Database(db) if db.is_unique_violation() => Problem::new(
                ProblemCode::JobKeyWaiting,
                "Another job with this key is already waiting to run.",
            ),
            _ => Problem::from(err),
        })?;
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
        (status = 409, body = Problem, content_type = "application/problem+json", description = "job_running"),
    )
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all, fields(job_id = *id))]
pub async fn discard_job(
    db: web::Data<PgPool>,
    principal: Scoped<scope::JobsWrite>,
    id: web::Path<i64>,
) -> Result<HttpResponse, Problem> {
    let mut tx = tenant_tx(&db, &principal).await?;
    let state = store::lock_state(&mut tx, *id)
        .await?
        .ok_or_else(not_found)?;
    if state == "running" {
        return Err(Problem::new(
            ProblemCode::JobRunning,
            "A running job cannot be discarded; retry after it ends.",
        ));
    }
    store::discard(&mut tx, *id).await?;
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
