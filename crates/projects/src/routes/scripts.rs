//! Scripts (SQL for silver and gold), versioned in the object store, and the signed links that
//! read them: `GET /api/v1/layers/scripts?key=…` hands out a link that expires in five
//! minutes; `GET /api/v1/layers/signed?…` serves it for the local store (S3 serves its own).
//! A key that is malformed, another tenant's, another project's or unknown is a 404; a link
//! whose signature does not match or has expired is a 403. Both are logged.

use actix_web::{get, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use kernel::cache::Cache;
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::{scope, Problem, ProblemCode, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::layers::stream_object;
use crate::layers::key::is_name;
use crate::layers::{Area, ObjectKey};
use crate::problems::{invalid, project_not_found, signed_url_invalid};
use crate::scripts::{self, ScriptError};
use crate::store::projects as project_store;
use crate::store::scripts::{self as store, ScriptVersion};
use crate::Settings;

/// The largest script, in bytes.
const MAX_SCRIPT_BYTES: usize = 512 * 1024;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScriptLayer {
    Silver,
    Gold,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveScript {
    /// The layer the script writes.
    pub layer: ScriptLayer,
    /// The SQL text (at most 512 KiB).
    #[validate(length(min = 1))]
    pub sql: String,
}

/// Save a new version of a script (the first save creates it).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("name" = String, Path)),
    request_body = SaveScript,
    responses((status = 201, body = ScriptVersion))
)]
#[put("/{id}/scripts/{name}")]
#[tracing::instrument(skip_all)]
pub async fn save_script(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    settings: web::Data<Settings>,
    principal: Scoped<scope::ProjectsWrite>,
    path: web::Path<(Uuid, String)>,
    body: ValidatedJson<SaveScript>,
) -> Result<HttpResponse, Problem> {
    let (project, name) = path.into_inner();
    let body = body.into_inner();
    if !is_name(&name) || name.len() > 100 || name.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(invalid(
            "name",
            "Use a-z 0-9 _ . - (starting with a letter or digit).",
        ));
    }
    if body.sql.len() > MAX_SCRIPT_BYTES {
        return Err(invalid(
            "sql",
            format!("A script is at most {MAX_SCRIPT_BYTES} bytes."),
        ));
    }
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    super::lock_project(&mut work, project).await?;
    let layer = match body.layer {
        ScriptLayer::Silver => "silver",
        ScriptLayer::Gold => "gold",
    };
    let script = scripts::save(
        &mut work,
        &settings.objects,
        project,
        &name,
        layer,
        body.sql,
    )
    .await
    .map_err(|e| match e {
        ScriptError::BadName => invalid("name", "The name is not usable."),
        ScriptError::Store(e) => {
            tracing::error!(error = %e, "object store failed");
            Problem::new(
                ProblemCode::DependencyDown,
                "The object store did not answer; try again.",
            )
        }
        ScriptError::Db(e) => e.into(),
        ScriptError::Event(e) => Problem::internal(&e),
    })?;
    work.commit().await?;
    Ok(HttpResponse::Created().json(script))
}

/// The latest version of each of a project's scripts.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<ScriptVersion>))
)]
#[get("/{id}/scripts")]
#[tracing::instrument(skip_all)]
pub async fn list_scripts(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<ScriptVersion>>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    if !project_store::exists(&mut tx, *id).await? {
        return Err(project_not_found());
    }
    let scripts = store::latest(&mut tx, *id).await?;
    end_read(tx);
    Ok(web::Json(scripts))
}

/// Every version of a script, newest first.
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("name" = String, Path)),
    responses((status = 200, body = Vec<ScriptVersion>))
)]
#[get("/{id}/scripts/{name}/versions")]
#[tracing::instrument(skip_all)]
pub async fn list_script_versions(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    path: web::Path<(Uuid, String)>,
) -> Result<web::Json<Vec<ScriptVersion>>, Problem> {
    let (project, name) = path.into_inner();
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let versions = store::versions(&mut tx, project, &name).await?;
    end_read(tx);
    if versions.is_empty() {
        return Err(Problem::not_found("Script"));
    }
    Ok(web::Json(versions))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct KeyQuery {
    /// A script version's key, as the script routes give it.
    pub key: String,
}

/// A short-lived link to read an object.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedLink {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// A link that reads a script version for five minutes (S3 presigned, or signed by this API
/// for the local store).
#[utoipa::path(
    tag = "projects",
    security(("cookie_session" = []), ("api_key" = [])),
    params(KeyQuery),
    responses((status = 200, body = SignedLink))
)]
#[get("/scripts")]
#[tracing::instrument(skip_all)]
pub async fn script_link(
    db: web::Data<PgPool>,
    settings: web::Data<Settings>,
    principal: Scoped<scope::ProjectsRead>,
    query: web::Query<KeyQuery>,
) -> Result<web::Json<SignedLink>, Problem> {
    let refuse = |why: &str| {
        tracing::warn!(key = %query.key.escape_debug(), why, "script key refused");
        Problem::not_found("Script")
    };
    let key = ObjectKey::parse(&query.key).map_err(|_| refuse("not a key"))?;
    if key.tenant != principal.tenant_id.0 {
        return Err(refuse("another tenant's key"));
    }
    if key.area != Area::Scripts {
        return Err(refuse("not a script"));
    }
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let known = project_store::exists(&mut tx, key.project).await?
        && store::has_key(&mut tx, key.project, &query.key).await?;
    end_read(tx);
    if !known {
        return Err(refuse("no such script version in the tenant"));
    }
    let (url, expires_at) = settings.objects.link(&key).await.map_err(|e| {
        tracing::error!(error = %e, "could not sign a link");
        Problem::new(
            ProblemCode::DependencyDown,
            "The object store did not answer; try again.",
        )
    })?;
    Ok(web::Json(SignedLink { url, expires_at }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SignedQuery {
    pub key: String,
    /// Unix seconds.
    pub expires: i64,
    /// Hex HMAC-SHA256 of the key and expiry.
    pub signature: String,
}

/// Read an object through a signed link (no session needed: the signature is the permission).
#[utoipa::path(
    tag = "projects",
    params(SignedQuery),
    responses(
        (status = 200, description = "The object", content_type = "text/plain"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "signed_url_invalid"),
    )
)]
#[get("/signed")]
#[tracing::instrument(skip_all)]
pub async fn read_signed(
    settings: web::Data<Settings>,
    query: web::Query<SignedQuery>,
) -> Result<HttpResponse, Problem> {
    if !settings
        .objects
        .verify_link(&query.key, query.expires, &query.signature)
    {
        tracing::warn!(key = %query.key.escape_debug(), expires = query.expires, "signed link refused");
        return Err(signed_url_invalid());
    }
    // Signed by us, so a key we built; parsed again all the same.
    let key = ObjectKey::parse(&query.key).map_err(|_| Problem::not_found("Object"))?;
    stream_object(settings.objects.store().as_ref(), &key).await
}
