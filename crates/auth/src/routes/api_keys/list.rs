//! `GET /api/v1/api-keys`: the tenant's keys (never their secrets or hashes), with who made
//! them and when they were last used.

use actix_web::{get, web, HttpRequest};
use chrono::{DateTime, Utc};
use kernel::list::ListPage;
use kernel::{scope, Problem, Scope, Scoped};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::store::api_keys::{self, ApiKeyStatus, ListedApiKey, API_KEYS_LISTING};
use crate::AuthState;

/// The member who created a key.
#[derive(Serialize, ToSchema)]
pub struct ApiKeyCreator {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

/// A key as listed.
#[derive(Serialize, ToSchema)]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    /// The key's first 12 characters, to tell keys apart.
    #[schema(example = "dfk_3q2-7wAb")]
    pub prefix: String,
    pub scopes: Vec<Scope>,
    pub status: ApiKeyStatus,
    /// Absent when another key created it, or the creator is no longer a member.
    pub created_by: Option<ApiKeyCreator>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The latest authenticated request made with the key.
    pub last_used_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    fn from_row(row: ListedApiKey, unflushed_use: Option<DateTime<Utc>>) -> Self {
        let created_by = match (row.created_by_id, row.created_by_name, row.created_by_email) {
            (Some(id), Some(name), Some(email)) => Some(ApiKeyCreator { id, name, email }),
            _ => None,
        };
        Self {
            id: row.id,
            name: row.name,
            prefix: row.prefix,
            scopes: api_keys::known_scopes(&row.scopes).collect(),
            status: row.status,
            created_by,
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
            last_used_at: row.last_used_at.max(unflushed_use),
        }
    }
}

/// List the tenant's API keys.
///
/// Needs `api_keys:read`. Speaks Refine's list protocol (docs/API.md): fields `id`, `name`,
/// `prefix`, `scopes`, `status`, `created_at`, `expires_at`, `revoked_at`, `last_used_at`;
/// newest first by default.
#[utoipa::path(
    tag = "api_keys",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Vec<ApiKey>, description = "One page of the tenant's keys", headers(("X-Total-Count" = i64, description = "Keys matching the filters, across all pages"))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_list_query"),
    )
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_api_keys(
    state: web::Data<AuthState>,
    principal: Scoped<scope::ApiKeysRead>,
    req: HttpRequest,
) -> Result<ListPage<ApiKey>, Problem> {
    let page: ListPage<ListedApiKey> = API_KEYS_LISTING
        .respond(&state.db, &principal, &req)
        .await?;

    let ids: Vec<Uuid> = page.items.iter().map(|r| r.id).collect();
    let unflushed = api_keys::unflushed_last_used(&state.cache, principal.tenant_id, &ids)
        .await
        .unwrap_or_else(|err| {
            tracing::warn!(error = %err, "recent API-key uses unavailable; listing flushed ones");
            Vec::new()
        });
    let mut unflushed = unflushed.into_iter();
    Ok(page.map(|row| ApiKey::from_row(row, unflushed.next().flatten())))
}
