//! `GET /api/v1/projects/{id}/state`: the project's whole state document (the three trees and
//! destinations, lineage, active runs, month-to-date cost) with an `ETag`.
//!
//! PostgreSQL builds the document in one statement, sent with the tenant setting in one round
//! trip. When the caller sends an ETag, or this instance holds the project's last document, a
//! small statement asks first which version is current: a match is a 304, or the cached
//! document, without building JSON. A document confirmed within [`CONFIRMED_FOR`] is answered
//! from memory without asking: changes committed through this instance drop it at once
//! ([`StateCache::forget`]), changes through another instance show within that time. The ETag is `"<state version>-<billing month>"`: every
//! write that changes the document bumps the version, and a new month changes what
//! month-to-date means.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use bytes::Bytes;
use kernel::{scope, Problem, Scoped, TenantId};
use serde::Serialize;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::problems::project_not_found;
use crate::store::state as store;

/// Documents kept per instance (the latest version of each recently read project).
const CACHED_DOCUMENTS: u64 = 2_000;

/// How long a document confirmed current by PostgreSQL is answered from memory without asking
/// again. Changes made through this instance drop the document at once; a change made through
/// another instance is seen within this time (its event reaches live pages meanwhile).
pub const CONFIRMED_FOR: Duration = Duration::from_millis(200);

/// The last state document built for each project, by tenant and project, shared by the
/// server's workers (clones share the store).
#[derive(Clone)]
pub struct StateCache(moka::sync::Cache<(Uuid, Uuid), Arc<Cached>>);

pub struct Cached {
    version: i64,
    month: String,
    body: Bytes,
    /// When PostgreSQL last said this is the current version.
    confirmed: Instant,
}

impl Default for StateCache {
    fn default() -> Self {
        Self(moka::sync::Cache::new(CACHED_DOCUMENTS))
    }
}

impl StateCache {
    /// Drops `project`'s document after a change to it committed through this instance.
    pub fn forget(&self, tenant: TenantId, project: Uuid) {
        self.0.invalidate(&(tenant.0, project));
    }
}

/// The state document (its schema; PostgreSQL writes it).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectState {
    pub project: StateProject,
    /// The state version (part of the ETag).
    pub version: i64,
    pub trees: StateTrees,
    pub edges: Vec<crate::store::tree::Edge>,
    /// The project's running runs.
    pub active_jobs: Vec<ActiveJob>,
    pub billing_mtd: BillingMtd,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StateProject {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub client_name: String,
    pub status: String,
    pub timezone: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StateTrees {
    pub bronze: Vec<StateNode>,
    pub silver: Vec<StateNode>,
    pub gold: Vec<StateNode>,
    pub destination: Vec<StateNode>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StateNode {
    pub id: String,
    pub layer: String,
    pub kind: String,
    pub name: String,
    /// `IDLE`, `RUNNING`, `GREEN`, `YELLOW` or `RED`.
    pub status: String,
    pub last_run_at: Option<chrono::DateTime<chrono::Utc>>,
    pub metrics: StateMetrics,
    pub error: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StateMetrics {
    pub rows: Option<i64>,
    pub bytes: Option<i64>,
    pub duration_ms: Option<i64>,
}

/// A running run, as the state document lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActiveJob {
    pub id: Uuid,
    pub name: String,
    pub status: String,
    pub started_at: chrono::DateTime<chrono::Utc>,
}

/// This billing month's cost so far.
#[derive(Debug, Serialize, ToSchema)]
pub struct BillingMtd {
    /// `YYYY-MM`, in the tenant's billing timezone.
    pub month: String,
    pub currency: String,
    /// Rounded to cents: `"120.50"`.
    pub amount: String,
    pub budget: Option<String>,
    pub budget_used_percent: Option<f64>,
    pub by_provider: Vec<crate::store::costs::ProviderCost>,
}

/// The version and month a request's `If-None-Match` names, if it names one of ours.
fn if_none_match(req: &HttpRequest) -> Option<(i64, String)> {
    let value = req.headers().get(header::IF_NONE_MATCH)?.to_str().ok()?;
    value.split(',').find_map(|tag| {
        let tag = tag.trim().trim_start_matches("W/").trim_matches('"');
        let (version, month) = tag.split_once('-')?;
        Some((version.parse().ok()?, month.to_owned()))
    })
}

fn etag(version: i64, month: &str) -> String {
    format!("\"{version}-{month}\"")
}

fn not_modified(version: i64, month: &str) -> HttpResponse {
    HttpResponse::NotModified()
        .insert_header((header::ETAG, etag(version, month)))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .finish()
}

fn respond(version: i64, month: &str, body: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::ETAG, etag(version, month)))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(body)
}

/// A project's live state: its trees, lineage, active jobs and month-to-date cost, with an
/// `ETag` (send it as `If-None-Match`: 304 while nothing changed).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = ProjectState, headers(("ETag" = String))),
        (status = 304, description = "Not modified since the ETag sent as If-None-Match"),
    )
)]
#[get("/{id}/state")]
#[tracing::instrument(skip_all)]
pub async fn get_project_state(
    db: web::Data<PgPool>,
    cache: web::Data<StateCache>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<HttpResponse, Problem> {
    let key = (principal.tenant_id.0, *id);
    let conditional = if_none_match(&req);
    let matches = |version: i64, month: &str| {
        conditional
            .as_ref()
            .is_some_and(|(v, m)| *v == version && m == month)
    };
    let cached = cache.0.get(&key);
    // A document PostgreSQL confirmed a moment ago is answered as it is.
    if let Some(c) = cached
        .as_ref()
        .filter(|c| c.confirmed.elapsed() < CONFIRMED_FOR)
    {
        if matches(c.version, &c.month) {
            return Ok(not_modified(c.version, &c.month));
        }
        return Ok(respond(c.version, &c.month, c.body.clone()));
    }
    // Something to compare with: ask only which version is current (one small round trip).
    if conditional.is_some() || cached.is_some() {
        let (version, month) = store::version(&db, principal.tenant_id, *id)
            .await?
            .ok_or_else(project_not_found)?;
        let current = cached.filter(|c| c.version == version && c.month == month);
        if let Some(c) = &current {
            cache.0.insert(
                key,
                Arc::new(Cached {
                    version,
                    month: month.clone(),
                    body: c.body.clone(),
                    confirmed: Instant::now(),
                }),
            );
        }
        if matches(version, &month) {
            return Ok(not_modified(version, &month));
        }
        if let Some(c) = current {
            return Ok(respond(c.version, &c.month, c.body.clone()));
        }
    }
    let row = store::state(&db, principal.tenant_id, *id)
        .await?
        .ok_or_else(project_not_found)?;
    let body = Bytes::from(row.document);
    cache.0.insert(
        key,
        Arc::new(Cached {
            version: row.version,
            month: row.month.clone(),
            body: body.clone(),
            confirmed: Instant::now(),
        }),
    );
    Ok(respond(row.version, &row.month, body))
}
