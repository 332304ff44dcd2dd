//! A project's layer files: upload to bronze (multipart, streamed to the object store), list a
//! layer, download, preview the first rows, delete. Keys are built from the caller's tenant,
//! the project and a plain file name; nothing a client sends becomes a key whole.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use futures_util::{StreamExt, TryStreamExt};
use kernel::cache::Cache;
use kernel::problem::multipart_problem;
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::{scope, Principal, Problem, ProblemCode, Scoped, UnitOfWork};
use object_store::{ObjectStore, WriteMultipart};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::layers::format::{Format, Sniffer};
use crate::layers::key::{is_name, plain_file_name};
use crate::layers::preview::{self, Preview};
use crate::layers::{Area, ObjectKey};
use crate::model::Layer;
use crate::problems::{invalid, project_not_found};
use crate::store::projects as project_store;
use crate::tree::publish;
use crate::Settings;

/// Parts of this size go to the store while the next arrives (S3's minimum is 5 MiB).
const PART_BYTES: usize = 8 * 1024 * 1024;
/// Parts in flight at once: what an upload holds in memory is about this times PART_BYTES.
const PARTS_IN_FLIGHT: usize = 2;
/// Most objects one listing returns.
const MAX_LISTED: usize = 1000;

/// A file in a layer.
#[derive(Debug, Serialize, ToSchema)]
pub struct LayerObject {
    /// The full key: `tenants/<tenant>/projects/<project>/<layer>/<name>`.
    pub key: String,
    pub name: String,
    pub layer: Layer,
    pub size: u64,
    pub format: Option<Format>,
    pub last_modified: DateTime<Utc>,
}

/// 404 unless the project is the caller's and live.
pub(crate) async fn require_project(
    db: &PgPool,
    principal: &Principal,
    project: Uuid,
) -> Result<(), Problem> {
    let mut tx = tenant_read_tx(db, principal).await?;
    let found = project_store::exists(&mut tx, project).await?;
    end_read(tx);
    if found {
        Ok(())
    } else {
        Err(project_not_found())
    }
}

/// Tells the project's page that a layer's files changed (`object.uploaded`, `object.deleted`).
async fn publish_object_event(
    db: &PgPool,
    cache: &Cache,
    principal: &Principal,
    key: &ObjectKey,
    event_type: &str,
    size: Option<u64>,
) -> Result<(), Problem> {
    let payload = serde_json::json!({"layer": key.area.as_str(), "name": key.name(), "size": size});
    let mut work = UnitOfWork::begin(db, cache, principal).await?;
    publish(&mut work, key.project, event_type, payload).await?;
    work.commit().await?;
    Ok(())
}

fn object_not_found() -> Problem {
    Problem::not_found("Object")
}

fn store_problem(err: object_store::Error) -> Problem {
    match err {
        object_store::Error::NotFound { .. } => object_not_found(),
        other => {
            tracing::error!(error = %other, "object store failed");
            Problem::new(
                ProblemCode::DependencyDown,
                "The object store did not answer; try again.",
            )
            .with_retry_after(5)
        }
    }
}

fn layer_key(
    principal: &Principal,
    project: Uuid,
    layer: &str,
    name: &str,
) -> Result<ObjectKey, Problem> {
    let layer = Layer::parse(layer).ok_or_else(|| Problem::not_found("Layer"))?;
    if !is_name(name) {
        return Err(object_not_found());
    }
    ObjectKey::new(principal.tenant_id.0, project, Area::Layer(layer), &[name])
        .map_err(|_| object_not_found())
}

/// The multipart form of an upload (for the OpenAPI document).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// A CSV (`.csv`), JSON lines (`.jsonl`, `.ndjson`) or Parquet (`.parquet`) file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Upload a file to a project's bronze layer (streamed; a file of the same name is replaced).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = LayerObject),
        (status = 413, body = Problem, content_type = "application/problem+json", description = "payload_too_large"),
        (status = 415, body = Problem, content_type = "application/problem+json", description = "unsupported_media_type: not CSV, JSON lines or Parquet"),
    )
)]
#[post("/{id}/layers/bronze/objects")]
#[tracing::instrument(skip_all, fields(project = %id))]
pub async fn upload_object(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    settings: web::Data<Settings>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    mut form: Multipart,
) -> Result<HttpResponse, Problem> {
    require_project(&db, &principal, *id).await?;
    let mut stored = None;
    while let Some(mut field) = form.try_next().await.map_err(multipart_problem)? {
        if field.name() != Some("file") || stored.is_some() {
            return Err(invalid(
                field.name().unwrap_or("?"),
                "The form takes one field: file.",
            ));
        }
        let raw_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or_default()
            .to_owned();
        let name =
            plain_file_name(&raw_name).ok_or_else(|| invalid("file", "The file needs a name."))?;
        let format = Format::of_name(&name).ok_or_else(|| {
            Problem::new(
                ProblemCode::UnsupportedMediaType,
                "Upload a .csv, .jsonl, .ndjson or .parquet file.",
            )
        })?;
        if let Some(declared) = field.content_type() {
            if !format.accepts(declared.essence_str()) {
                return Err(Problem::new(
                    ProblemCode::UnsupportedMediaType,
                    format!("A {name} file cannot be {declared}."),
                ));
            }
        }
        let key = ObjectKey::new(
            principal.tenant_id.0,
            *id,
            Area::Layer(Layer::Bronze),
            &[&name],
        )
        .map_err(|_| invalid("file", "The file name is not usable."))?;
        let store = settings.objects.store();
        let upload = store
            .put_multipart(&key.path())
            .await
            .map_err(store_problem)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut sniffer = Sniffer::new(format);
        let mut checked_head = false;
        let mut size: u64 = 0;
        let outcome: Result<(), Problem> = async {
            while let Some(chunk) = field.try_next().await.map_err(multipart_problem)? {
                size += chunk.len() as u64;
                if size > settings.max_object_bytes {
                    return Err(Problem::new(
                        ProblemCode::PayloadTooLarge,
                        format!(
                            "A layer file is at most {} bytes.",
                            settings.max_object_bytes
                        ),
                    ));
                }
                sniffer.feed(&chunk);
                if !checked_head && sniffer.head_is_full() {
                    sniffer
                        .check(false)
                        .map_err(|why| Problem::new(ProblemCode::UnsupportedMediaType, why))?;
                    checked_head = true;
                }
                writer
                    .wait_for_capacity(PARTS_IN_FLIGHT)
                    .await
                    .map_err(store_problem)?;
                writer.write(&chunk);
            }
            sniffer
                .check(true)
                .map_err(|why| Problem::new(ProblemCode::UnsupportedMediaType, why))
        }
        .await;
        match outcome {
            Ok(()) => {
                writer.finish().await.map_err(store_problem)?;
            }
            Err(problem) => {
                if let Err(e) = writer.abort().await {
                    tracing::warn!(error = %e, "could not abort a refused upload");
                }
                return Err(problem);
            }
        }
        tracing::info!(key = %key, size, "layer file uploaded");
        publish_object_event(&db, &cache, &principal, &key, "object.uploaded", Some(size)).await?;
        stored = Some(LayerObject {
            key: key.to_string(),
            name,
            layer: Layer::Bronze,
            size,
            format: Some(format),
            last_modified: Utc::now(),
        });
    }
    let object = stored.ok_or_else(|| invalid("file", "is required"))?;
    Ok(HttpResponse::Created().json(object))
}

/// A layer's files, by name (1,000 at most).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("layer" = Layer, Path)),
    responses((status = 200, body = Vec<LayerObject>))
)]
#[get("/{id}/layers/{layer}/objects")]
#[tracing::instrument(skip_all)]
pub async fn list_objects(
    db: web::Data<PgPool>,
    settings: web::Data<Settings>,
    principal: Scoped<scope::ProjectsRead>,
    path: web::Path<(Uuid, String)>,
) -> Result<web::Json<Vec<LayerObject>>, Problem> {
    let (project, layer) = path.into_inner();
    let layer = Layer::parse(&layer).ok_or_else(|| Problem::not_found("Layer"))?;
    require_project(&db, &principal, project).await?;
    let prefix = ObjectKey::area_prefix(principal.tenant_id.0, project, Area::Layer(layer));
    let metas: Vec<object_store::ObjectMeta> = settings
        .objects
        .store()
        .list(Some(&prefix))
        .take(MAX_LISTED)
        .try_collect()
        .await
        .map_err(store_problem)?;
    let mut objects: Vec<LayerObject> = metas
        .into_iter()
        .filter_map(|meta| {
            let key = ObjectKey::parse(meta.location.as_ref()).ok()?;
            Some(LayerObject {
                name: key.name().to_owned(),
                format: Format::of_name(key.name()),
                key: key.to_string(),
                layer,
                size: meta.size,
                last_modified: meta.last_modified,
            })
        })
        .collect();
    objects.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(web::Json(objects))
}

/// Download a layer file.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("layer" = Layer, Path), ("name" = String, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"))
)]
#[get("/{id}/layers/{layer}/objects/{name}")]
#[tracing::instrument(skip_all)]
pub async fn download_object(
    db: web::Data<PgPool>,
    settings: web::Data<Settings>,
    principal: Scoped<scope::ProjectsRead>,
    path: web::Path<(Uuid, String, String)>,
) -> Result<HttpResponse, Problem> {
    let (project, layer, name) = path.into_inner();
    let key = layer_key(&principal, project, &layer, &name)?;
    require_project(&db, &principal, project).await?;
    stream_object(settings.objects.store().as_ref(), &key).await
}

/// Answers with the object's bytes, streamed from the store.
pub(crate) async fn stream_object(
    store: &dyn ObjectStore,
    key: &ObjectKey,
) -> Result<HttpResponse, Problem> {
    let found = store.get(&key.path()).await.map_err(store_problem)?;
    let size = found.meta.size;
    let content_type = match Format::of_name(key.name()) {
        Some(format) => format.content_type(),
        None if key.name().ends_with(".sql") => "text/plain; charset=utf-8",
        None => "application/octet-stream",
    };
    let stream = found.into_stream().map_err(|e| {
        tracing::error!(error = %e, "object stream failed");
        actix_web::error::ErrorServiceUnavailable("object store")
    });
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_LENGTH, size))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", key.name()),
        ))
        .streaming(stream))
}

/// Delete a layer file.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("layer" = Layer, Path), ("name" = String, Path)),
    responses((status = 204))
)]
#[delete("/{id}/layers/{layer}/objects/{name}")]
#[tracing::instrument(skip_all)]
pub async fn delete_object(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    settings: web::Data<Settings>,
    principal: Scoped<scope::ProjectsWrite>,
    path: web::Path<(Uuid, String, String)>,
) -> Result<HttpResponse, Problem> {
    let (project, layer, name) = path.into_inner();
    let key = layer_key(&principal, project, &layer, &name)?;
    require_project(&db, &principal, project).await?;
    let store = settings.objects.store();
    store.head(&key.path()).await.map_err(store_problem)?;
    store.delete(&key.path()).await.map_err(store_problem)?;
    tracing::info!(key = %key, "layer file deleted");
    publish_object_event(&db, &cache, &principal, &key, "object.deleted", None).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PreviewQuery {
    /// Rows to show (1-100, default 20).
    pub limit: Option<usize>,
}

/// The first rows of a CSV, JSON lines or Parquet file.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("layer" = Layer, Path), ("name" = String, Path), PreviewQuery),
    responses(
        (status = 200, body = Preview),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_query: limit is not 1 to 100"),
        (status = 415, body = Problem, content_type = "application/problem+json", description = "unsupported_media_type: not CSV, JSON lines or Parquet"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "validation_failed: a Parquet file too large to preview here, or unreadable"),
    )
)]
#[get("/{id}/layers/{layer}/objects/{name}/preview")]
#[tracing::instrument(skip_all)]
pub async fn preview_object(
    db: web::Data<PgPool>,
    settings: web::Data<Settings>,
    principal: Scoped<scope::ProjectsRead>,
    path: web::Path<(Uuid, String, String)>,
    query: web::Query<PreviewQuery>,
) -> Result<web::Json<Preview>, Problem> {
    let (project, layer, name) = path.into_inner();
    let key = layer_key(&principal, project, &layer, &name)?;
    let limit = query.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(Problem::new(
            ProblemCode::InvalidQuery,
            "limit must be 1 to 100.",
        ));
    }
    require_project(&db, &principal, project).await?;
    let format = Format::of_name(key.name()).ok_or_else(|| {
        Problem::new(
            ProblemCode::UnsupportedMediaType,
            "Only CSV, JSON lines and Parquet files have a preview.",
        )
    })?;
    let store = settings.objects.store();
    let meta = store.head(&key.path()).await.map_err(store_problem)?;
    let preview = match format {
        Format::Csv | Format::Jsonl => {
            let end = meta.size.min(preview::TEXT_BYTES);
            let bytes = store
                .get_range(&key.path(), 0..end)
                .await
                .map_err(store_problem)?;
            let cut = meta.size > end;
            match format {
                Format::Csv => preview::csv(&bytes, limit, cut),
                _ => preview::jsonl(&bytes, limit, cut),
            }
        }
        Format::Parquet => {
            if meta.size > preview::PARQUET_BYTES {
                return Err(invalid(
                    "name",
                    format!(
                        "Parquet files over {} MiB are previewed by the sandbox.",
                        preview::PARQUET_BYTES / (1024 * 1024)
                    ),
                ));
            }
            let bytes = store
                .get(&key.path())
                .await
                .map_err(store_problem)?
                .bytes()
                .await
                .map_err(store_problem)?;
            preview::parquet(bytes, limit).map_err(|why| invalid("name", why))?
        }
    };
    Ok(web::Json(preview))
}
