//! `GET /health` (the process is alive) and `GET /ready` (its dependencies answer).

use std::time::Duration;

use actix_web::{get, web, HttpResponse};
use kernel::cache::Cache;
use kernel::Problem;
use serde::Serialize;
use sqlx::PgPool;
use utoipa::ToSchema;

const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    status: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    #[schema(example = "ready")]
    status: &'static str,
    /// Each dependency: `up` or `down`.
    #[schema(example = json!({"postgres": "up", "redis": "up"}))]
    checks: serde_json::Map<String, serde_json::Value>,
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(health).service(ready);
}

/// Liveness: answers while the process can serve HTTP.
#[utoipa::path(tag = "platform", responses((status = 200, body = Health)))]
#[get("/health")]
async fn health() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

/// Readiness: PostgreSQL and Redis both answer within 2 s; otherwise 503 naming what is down.
#[utoipa::path(
    tag = "platform",
    responses(
        (status = 200, body = Readiness),
        (status = 503, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/ready")]
async fn ready(db: web::Data<PgPool>, cache: web::Data<Cache>) -> Result<HttpResponse, Problem> {
    let pg = async {
        let ping = crate::store::ping(db.get_ref());
        matches!(tokio::time::timeout(CHECK_TIMEOUT, ping).await, Ok(Ok(1)))
    };
    let redis = async {
        matches!(
            tokio::time::timeout(CHECK_TIMEOUT, cache.ping()).await,
            Ok(Ok(()))
        )
    };
    let (pg_up, redis_up) = tokio::join!(pg, redis);

    let mut checks = serde_json::Map::new();
    let mut down = Vec::new();
    for (name, up) in [("postgres", pg_up), ("redis", redis_up)] {
        checks.insert(name.into(), if up { "up" } else { "down" }.into());
        if !up {
            tracing::warn!(dependency = name, "readiness check failed");
            down.push(name);
        }
    }
    if down.is_empty() {
        return Ok(HttpResponse::Ok().json(Readiness {
            status: "ready",
            checks,
        }));
    }
    Err(Problem::new(
        kernel::ProblemCode::DependencyDown,
        format!("Not ready: {} down.", down.join(" and ")),
    )
    .with_extension("checks", checks.into()))
}
