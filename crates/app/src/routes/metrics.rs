//! `GET /metrics`: Prometheus text exposition of the process's and the platform's state, for
//! an internal scraper (it carries counts across tenants, never tenant data; do not route it to
//! the internet).

use actix_web::{get, web, HttpResponse};
use kernel::events::EventHub;
use kernel::rate_limit::RateLimiter;
use sqlx::PgPool;
use std::fmt::Write;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(metrics);
}

/// Metrics in the Prometheus text format: jobs per state and queue lag, live SSE listeners on
/// this instance, and requests served unchecked because Redis was down (rate limits failing
/// open).
#[utoipa::path(
    tag = "platform",
    responses((status = 200, content_type = "text/plain; version=0.0.4", body = String))
)]
#[get("/metrics")]
async fn metrics(
    db: web::Data<PgPool>,
    hub: web::Data<EventHub>,
    limiter: web::Data<RateLimiter>,
) -> HttpResponse {
    let mut out = String::new();
    let gauge = |out: &mut String, name: &str, help: &str, samples: &[(&str, f64)]| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for (labels, value) in samples {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    };
    match kernel::jobs::counts(&db).await {
        Ok(c) => {
            gauge(
                &mut out,
                "fortress_jobs",
                "Jobs per state, every tenant.",
                &[
                    ("{state=\"queued\"}", c.queued as f64),
                    ("{state=\"failed\"}", c.failed as f64),
                    ("{state=\"running\"}", c.running as f64),
                    ("{state=\"succeeded\"}", c.succeeded as f64),
                    ("{state=\"dead\"}", c.dead as f64),
                ],
            );
            gauge(
                &mut out,
                "fortress_jobs_oldest_ready_seconds",
                "How long the oldest due job has waited to start.",
                &[("", c.oldest_ready_seconds)],
            );
        }
        Err(err) => tracing::warn!(error = %err, "metrics: job counts unavailable"),
    }
    gauge(
        &mut out,
        "fortress_sse_listeners",
        "Open event streams on this instance.",
        &[("", hub.listeners() as f64)],
    );
    let _ = writeln!(
        out,
        "# HELP fortress_rate_limit_fail_open_total Requests served unchecked because Redis did not answer.\n\
         # TYPE fortress_rate_limit_fail_open_total counter\n\
         fortress_rate_limit_fail_open_total {}",
        limiter.fail_open_count()
    );
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(out)
}
