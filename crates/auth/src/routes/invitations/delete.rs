//! `DELETE /api/v1/members/invitations/{id}`: withdraws a pending invitation; its link stops
//! working.

use actix_web::{delete, web, HttpResponse};
use kernel::tenancy::roles;
use kernel::{tenant_tx, Problem, RequireRole};
use uuid::Uuid;

use crate::store::invitations;
use crate::AuthState;

/// Withdraw a pending invitation.
///
/// Needs the admin role or stronger (API keys hold no role, so they are refused). An accepted invitation, or
/// another tenant's, is a 404.
#[utoipa::path(
    tag = "members",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The invitation's id")),
    responses(
        (status = 204, description = "Withdrawn"),
    )
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all, fields(invitation_id = %path))]
pub async fn delete_invitation(
    state: web::Data<AuthState>,
    principal: RequireRole<roles::Admin>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut tx = tenant_tx(&state.db, &principal).await?;
    if !invitations::delete_pending(&mut tx, path.into_inner()).await? {
        return Err(Problem::not_found("invitation"));
    }
    tx.commit().await?;
    tracing::info!("invitation withdrawn");
    Ok(HttpResponse::NoContent().finish())
}
