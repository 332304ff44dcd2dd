//! `POST /api/v1/auth/switch-tenant`: moves a user who belongs to several tenants to another
//! one: a new session there, the current one ended.

use actix_web::{post, web, HttpRequest, HttpResponse};
use kernel::tenancy::tenant_tx_for;
use kernel::{Principal, Problem, TenantId, ValidatedJson};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::cookies::ACCESS_COOKIE;
use crate::routes::{user_agent, MeResponse};
use crate::store::users;
use crate::{sessions, AuthState};

#[derive(Deserialize, Validate, ToSchema)]
pub struct SwitchTenantRequest {
    pub tenant_id: Uuid,
}

/// Switch the session to another of the user's tenants.
#[utoipa::path(
    tag = "auth",
    request_body = SwitchTenantRequest,
    security(("cookie_session" = [])),
    responses(
        (status = 200, body = MeResponse, description = "New session cookies are set"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "Not a member of that tenant"),
    )
)]
#[post("/switch-tenant")]
pub async fn switch_tenant(
    state: web::Data<AuthState>,
    req: HttpRequest,
    principal: Principal,
    body: ValidatedJson<SwitchTenantRequest>,
) -> Result<HttpResponse, Problem> {
    let Some(user) = principal.user_id() else {
        return Err(Problem::forbidden("API keys belong to one tenant."));
    };
    let target = users::memberships_of(&state.db, user)
        .await?
        .into_iter()
        .find(|m| m.tenant_id == body.tenant_id)
        .ok_or_else(|| Problem::not_found("tenant"))?;

    let tenant = TenantId(target.tenant_id);
    let mut tx = tenant_tx_for(&state.db, tenant).await?;
    let issued =
        sessions::start(&state, &mut tx, tenant, user, target.role, user_agent(&req)).await?;
    tx.commit().await?;
    if let Some(old) = req
        .cookie(ACCESS_COOKIE)
        .and_then(|c| state.jwt.verify(c.value()))
    {
        let mut tx = tenant_tx_for(&state.db, TenantId(old.tid)).await?;
        sessions::revoke(&state, &mut tx, old.sid).await?;
        tx.commit().await?;
    }

    let me = MeResponse::load(&state, &issued.principal()).await?;
    let mut res = HttpResponse::Ok();
    issued.set_cookies(&state, &mut res);
    Ok(res.json(me))
}
