//! `PATCH /api/v1/members/{user_id}`: changes a member's role. The member's access tokens
//! are refused from now on, so its next refresh carries the new role.

use actix_web::{patch, web, HttpResponse};
use kernel::tenancy::roles;
use kernel::{tenant_tx, Problem, RequireRole, Role, ValidatedJson};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::check_owner_rules;
use crate::store::members::{self, Member};
use crate::AuthState;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMemberRequest {
    pub role: Role,
}

/// Change a member's role.
///
/// Needs the admin role or stronger (API keys hold no role, so they are refused); granting or taking away
/// `owner` needs the owner role.
#[utoipa::path(
    tag = "members",
    request_body = UpdateMemberRequest,
    security(("cookie_session" = []), ("api_key" = [])),
    params(("user_id" = Uuid, Path, description = "The member's user id")),
    responses(
        (status = 200, body = Member),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "`forbidden`: also when granting or taking away the owner role without being an owner"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "last_owner"),
    )
)]
#[patch("/{user_id}")]
#[tracing::instrument(skip_all, fields(member = %path))]
pub async fn update_member(
    state: web::Data<AuthState>,
    principal: RequireRole<roles::Admin>,
    path: web::Path<Uuid>,
    body: ValidatedJson<UpdateMemberRequest>,
) -> Result<HttpResponse, Problem> {
    let member = path.into_inner();
    let mut tx = tenant_tx(&state.db, &principal).await?;
    let (owners, current) = members::lock_for_change(&mut tx, member).await?;
    let current = current.ok_or_else(|| Problem::not_found("member"))?;
    check_owner_rules(&principal, &owners, member, current, Some(body.role))?;
    if current != body.role {
        members::set_role(&mut tx, member, body.role).await?;
    }
    let updated = members::get(&mut tx, member)
        .await?
        .ok_or_else(|| Problem::not_found("member"))?;
    tx.commit().await?;
    state.forget_identities();
    if current != body.role {
        crate::access::membership_changed(&state, principal.tenant_id, member).await;
        tracing::info!(
            from = current.as_str(),
            to = body.role.as_str(),
            "member role changed"
        );
    }
    Ok(HttpResponse::Ok().json(updated))
}
