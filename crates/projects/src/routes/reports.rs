//! Reports (seed 003): a producer upserts a project's reports in batches by slug; the UI lists
//! them and shows the latest.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::list::ListPage;
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::Deserialize;
use serde_json::Value;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::problems::{invalid, project_not_found};
use crate::store::projects as project_store;
use crate::store::reports::{self as store, Report, ReportSpec, REPORT_LIST};

/// Most reports in one batch.
const MAX_BATCH: usize = 500;
/// Largest `data` of one report, serialised.
const MAX_DATA_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportKind {
    Table,
    Metric,
    Chart,
    Text,
}

impl ReportKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Metric => "metric",
            Self::Chart => "chart",
            Self::Text => "text",
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    /// `daily_sales`: unique within the project; writing it again replaces the report.
    #[validate(length(min = 1, max = 100))]
    pub slug: String,
    #[validate(length(min = 1, max = 200))]
    pub title: String,
    pub kind: Option<ReportKind>,
    /// The report's content (a JSON object, at most 256 KiB).
    #[schema(value_type = Object)]
    #[serde(default)]
    pub data: Value,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBatch {
    pub project_id: Uuid,
    /// 1 to 500 reports; the whole batch is written or none of it.
    #[validate(nested)]
    pub reports: Vec<ReportInput>,
}

/// Every problem of the batch at once, keyed `reports[i].field`.
fn check_batch(reports: &[ReportInput]) -> Result<(), Problem> {
    let mut problem: Option<Problem> = None;
    let mut seen = std::collections::HashSet::new();
    for (i, report) in reports.iter().enumerate() {
        let mut fail = |field: &str, message: String| {
            let p = problem
                .take()
                .unwrap_or_else(|| Problem::validation(Default::default()));
            problem = Some(p.with_field_error(&format!("reports[{i}].{field}"), message));
        };
        let slug_ok = report.slug.split(['_', '-']).all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
        if !slug_ok {
            fail("slug", "Use lower-case words joined by _ or -.".into());
        } else if !seen.insert(report.slug.as_str()) {
            fail("slug", format!("{:?} is in the batch twice.", report.slug));
        }
        if !(report.data.is_object() || report.data.is_null()) {
            fail("data", "Must be a JSON object.".into());
        } else if report.data.to_string().len() > MAX_DATA_BYTES {
            fail("data", format!("At most {MAX_DATA_BYTES} bytes."));
        }
    }
    problem.map_or(Ok(()), Err)
}

/// Upsert up to 500 reports of a project by slug, all or nothing (supports `Idempotency-Key`).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = ReportBatch,
    responses((status = 200, body = Vec<Report>))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn upsert_reports(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::ProjectsWrite>,
    body: ValidatedJson<ReportBatch>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    if body.reports.is_empty() || body.reports.len() > MAX_BATCH {
        return Err(invalid(
            "reports",
            format!("1 to {MAX_BATCH} reports per batch."),
        ));
    }
    check_batch(&body.reports)?;
    let empty = Value::Object(Default::default());
    let specs: Vec<ReportSpec> = body
        .reports
        .iter()
        .map(|r| ReportSpec {
            slug: &r.slug,
            title: &r.title,
            kind: r.kind.unwrap_or(ReportKind::Table).as_str(),
            data: if r.data.is_null() { &empty } else { &r.data },
        })
        .collect();
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    if !project_store::exists(&mut work, body.project_id).await? {
        return Err(invalid("project_id", "No such project."));
    }
    let written = store::upsert(&mut work, body.project_id, &specs).await?;
    let ids = written.iter().map(|r| r.id);
    let event = kernel::events::NewEvent::for_ids("reports", "report.upserted", ids)
        .and_then(|e| e.with("projectId", body.project_id.to_string().into()))
        .map_err(|e| Problem::internal(&e))?;
    work.publish(&event)
        .await
        .map_err(|e| Problem::internal(&e))?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(written))
}

/// Reports, most recently written first (Refine's list protocol; filter on `project_id`).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Report>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_reports(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    req: HttpRequest,
) -> Result<ListPage<Report>, Problem> {
    REPORT_LIST.respond(&db, &principal, &req).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LatestQuery {
    pub project: Uuid,
}

/// A project's reports as last written, most recent first (100 at most).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(LatestQuery),
    responses((status = 200, body = Vec<Report>))
)]
#[get("/latest")]
#[tracing::instrument(skip_all)]
pub async fn latest_reports(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    query: web::Query<LatestQuery>,
) -> Result<web::Json<Vec<Report>>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    if !project_store::exists(&mut tx, query.project).await? {
        return Err(project_not_found());
    }
    let reports = store::latest(&mut tx, query.project).await?;
    end_read(tx);
    Ok(web::Json(reports))
}
