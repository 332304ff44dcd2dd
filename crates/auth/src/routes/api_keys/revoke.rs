//! `DELETE /api/v1/api-keys/{id}`: revokes a key. The row stays (the list shows it as
//! revoked); authentication refuses the key from the next request on.

use actix_web::{delete, web, HttpResponse};
use kernel::{scope, tenant_tx, Problem, Scoped};
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
    )
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn revoke_api_key(
    state: web::Data<AuthState>,
    principal: Scoped<scope::ApiKeysWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let id = id.into_inner();
    let mut tx = tenant_tx(&state.db, &principal).await?;
    if !api_keys::revoke(&mut tx, id).await? {
        return Err(Problem::not_found("API key"));
    }
    tx.commit().await?;
    tracing::info!(tenant_id = %principal.tenant_id, api_key_id = %id, "API key revoked");
    Ok(HttpResponse::NoContent().finish())
}
