//! `DELETE /api/v1/members/{user_id}`: removes a member from the tenant. Its sessions here
//! end and its access tokens are refused at once; the account itself stays (it may belong to
//! other tenants, or be invited again).

use actix_web::{delete, web, HttpResponse};
use kernel::tenancy::roles;
use kernel::{tenant_tx, Problem, RequireRole};
use uuid::Uuid;

use super::check_owner_rules;
use crate::store::members;
use crate::AuthState;

/// Remove a member.
///
/// Needs the admin role or stronger (API keys hold no role, so they are refused); removing an owner needs the
/// owner role.
#[utoipa::path(
    tag = "members",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("user_id" = Uuid, Path, description = "The member's user id")),
    responses(
        (status = 204, description = "Removed; the member's sessions here have ended"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "`forbidden`: also when removing an owner without being one"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "last_owner"),
    )
)]
#[delete("/{user_id}")]
#[tracing::instrument(skip_all, fields(member = %path))]
pub async fn remove_member(
    state: web::Data<AuthState>,
    principal: RequireRole<roles::Admin>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let member = path.into_inner();
    let mut tx = tenant_tx(&state.db, &principal).await?;
    let (owners, current) = members::lock_for_change(&mut tx, member).await?;
    let current = current.ok_or_else(|| Problem::not_found("member"))?;
    check_owner_rules(&principal, &owners, member, current, None)?;
    let ended = members::remove(&mut tx, member).await?;
    tx.commit().await?;
    state.forget_identities();
    crate::access::sessions_ended(&state, &ended).await;
    crate::access::membership_changed(&state, principal.tenant_id, member).await;
    tracing::info!(role = current.as_str(), "member removed");
    Ok(HttpResponse::NoContent().finish())
}
