//! `DELETE /api/v1/api-keys/{id}`: revokes a key. The row stays (the list shows it as
//! revoked); authentication refuses the key from the next request on.

use actix_web::{delete, web, HttpResponse};
use kernel::{tenant_tx, Principal, Problem};
use uuid::Uuid;

use crate::store::api_keys;
use crate::AuthState;

/// Revoke an API key.
///
/// Needs `api_keys:write`. Revoking a revoked key again is a 204; a key of another tenant is
/// answered like one that does not exist.
#[utoipa::path(
    tag = "api_keys",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The key's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, body = Problem, content_type = "application/problem+json", description = "unauthorized or invalid_api_key"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "forbidden: no `api_keys:write`"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "not_found"),
    )
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn revoke_api_key(
    state: web::Data<AuthState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    principal.require_scope(kernel::Scope::ApiKeysWrite)?;
    let id = id.into_inner();
    let mut tx = tenant_tx(&state.db, &principal).await?;
    if !api_keys::revoke(&mut tx, id).await? {
        return Err(Problem::not_found("API key"));
    }
    tx.commit().await?;
    tracing::info!(tenant_id = %principal.tenant_id, api_key_id = %id, "API key revoked");
    Ok(HttpResponse::NoContent().finish())
}
