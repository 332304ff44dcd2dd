//! `/api/v1/leads/imports`: upload a CSV (multipart) to import as a durable job, and follow
//! it. Mounted as its own scope, before `/api/v1/leads`, with a body limit of its own.

use std::collections::BTreeMap;

use actix_multipart::{Field, Multipart};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use futures_util::TryStreamExt;
use kernel::cache::Cache;
use kernel::jobs::{enqueue, JobOptions};
use kernel::list::ListPage;
use kernel::problem::multipart_problem;
use kernel::{scope, tenant_tx, Problem, ProblemCode, Scoped, UnitOfWork};
use serde_json::{Map, Value};
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::checks;
use crate::history::Actor;
use crate::import::{self, ImportLeads, POLICIES};
use crate::problems;
use crate::registry::ImportTarget;
use crate::store::imports::{self, LeadImport, NewImport};

/// Largest CSV file accepted.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// The body limit of the scope (the file plus the other form fields).
pub const MAX_BODY_BYTES: usize = MAX_FILE_BYTES + 1024 * 1024;
/// Failures listed in an import's answer.
const MAX_FAILURES_SHOWN: i64 = 10_000;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1/leads/imports")
            .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
            .wrap(kernel::idempotency::Idempotency::from_app_data())
            .service(create_import)
            .service(list_imports)
            .service(get_import),
    );
}

/// The multipart form of an upload (for the OpenAPI document).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportForm {
    /// The CSV file (UTF-8, comma-separated, a header row; at most 50 MB).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// JSON object: CSV column -> lead field (`email`, `custom.industry`, …). Without it,
    /// columns named like fields (`First Name`, `email`) are used.
    mapping: Option<BTreeMap<String, ImportTarget>>,
    /// `skip` (default), `update` or `create` (a row whose email a live lead has fails).
    on_duplicate: Option<String>,
}

/// Import leads from a CSV file.
///
/// The file is checked (readable, header row, mapping) and stored; a job imports it. Follow
/// it at `GET /api/v1/leads/imports/{id}` or as `lead_import.progress` events on
/// `resources/lead-imports`. Bad rows are reported with their row number and reason and
/// never stop the import.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body(content = ImportForm, content_type = "multipart/form-data"),
    responses(
        (status = 202, body = LeadImport, headers(("Location" = String))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_multipart"),
        (status = 413, body = Problem, content_type = "application/problem+json", description = "payload_too_large: the file is over 50 MB"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "validation_failed: no file, not CSV, a bad mapping or policy"),
    )
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_import(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    mut form: Multipart,
) -> Result<HttpResponse, Problem> {
    let (mut file, mut filename, mut mapping, mut policy) = (None, String::new(), None, None);
    while let Some(field) = form.try_next().await.map_err(multipart_problem)? {
        match field.name().unwrap_or_default() {
            "file" => {
                filename = field
                    .content_disposition()
                    .and_then(|d| d.get_filename())
                    .unwrap_or_default()
                    .chars()
                    .filter(|c| *c != '\0')
                    .take(255)
                    .collect();
                file = Some(read(field, MAX_FILE_BYTES, "file").await?);
            }
            "mapping" => {
                let raw = read(field, 64 * 1024, "mapping").await?;
                let parsed: Map<String, Value> = serde_json::from_slice(&raw).map_err(|_| {
                    problems::invalid("mapping", "must be a JSON object of column -> field")
                })?;
                mapping = Some(parsed);
            }
            "on_duplicate" => {
                let raw = read(field, 64, "on_duplicate").await?;
                let value = String::from_utf8_lossy(&raw).trim().to_owned();
                if !POLICIES.contains(&value.as_str()) {
                    return Err(problems::invalid(
                        "on_duplicate",
                        "must be skip, update or create",
                    ));
                }
                policy = Some(value);
            }
            other => {
                return Err(problems::invalid(
                    other,
                    "is not a field of this form (file, mapping, on_duplicate)",
                ))
            }
        }
    }
    let file = file.ok_or_else(|| problems::invalid("file", "is required"))?;
    let headers = import::headers(&file).map_err(|why| problems::invalid("file", why))?;
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let definitions = checks::definitions(&mut work).await?;
    let plan = import::plan(&headers, mapping.as_ref(), &definitions)
        .map_err(|why| problems::invalid("mapping", why))?;
    // Stored resolved, so the job and the answer show the mapping actually used.
    let mapping = import::resolved(&headers, &plan);
    let id = Uuid::now_v7();
    let upload = NewImport {
        id,
        filename: &filename,
        file: &file,
        mapping: &Value::Object(mapping),
        on_duplicate: policy.as_deref().unwrap_or("skip"),
        created_by: Actor::from(&principal),
    };
    imports::insert_import(&mut work, upload).await?;
    // One attempt per retry resumes after the last committed chunk (see `crate::import`).
    enqueue(
        &mut work,
        &ImportLeads { import_id: id },
        &JobOptions::default().key(format!("leads.import:{id}")),
    )
    .await?;
    let created = fetch(&mut work, id).await?;
    work.commit().await?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/leads/imports/{id}")))
        .json(created))
}

/// Reads a form field, refusing more than `limit` bytes.
async fn read(mut field: Field, limit: usize, name: &str) -> Result<Vec<u8>, Problem> {
    let mut out = Vec::new();
    while let Some(chunk) = field.try_next().await.map_err(multipart_problem)? {
        if out.len() + chunk.len() > limit {
            return Err(Problem::new(
                ProblemCode::PayloadTooLarge,
                format!("{name} is larger than {limit} bytes."),
            ));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

async fn fetch(conn: &mut PgConnection, id: Uuid) -> Result<LeadImport, Problem> {
    imports::find_import(conn, id, MAX_FAILURES_SHOWN)
        .await?
        .ok_or_else(|| Problem::not_found("Import"))
}

/// The tenant's imports, newest first (without their failures).
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Vec<LeadImport>, headers(("X-Total-Count" = i64))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_list_query"),
    )
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_imports(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
    req: HttpRequest,
) -> Result<ListPage<LeadImport>, Problem> {
    imports::LISTING.respond(&db, &principal, &req).await
}

/// An import's progress and result, with the rejected rows and why.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = LeadImport))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_import(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut tx = tenant_tx(&db, &principal).await?;
    let found = fetch(&mut tx, *id).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(found))
}
