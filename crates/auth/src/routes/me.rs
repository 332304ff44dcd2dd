//! `GET /api/v1/auth/me`: who is signed in, for which tenant, with which permissions
//! (what Refine's `getIdentity` and `getPermissions` read).

use actix_web::{get, web, HttpResponse};
use kernel::{tenant_tx, Principal, Problem, Role, Scope};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::store::users::{self, TenantMembership};
use crate::AuthState;

#[derive(Serialize, ToSchema)]
pub struct MeUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeTenant {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    /// The signed-in user (absent for API keys).
    pub user: Option<MeUser>,
    /// The API key in use (absent for users).
    pub api_key_id: Option<Uuid>,
    pub tenant: MeTenant,
    pub role: Role,
    /// Scopes this principal holds, e.g. `leads:write`.
    pub permissions: Vec<Scope>,
    /// Every tenant the user belongs to (for switching).
    pub tenants: Vec<TenantMembership>,
}

impl MeResponse {
    /// Builds the identity of a principal.
    pub(crate) async fn load(state: &AuthState, principal: &Principal) -> Result<Self, Problem> {
        let (user, tenant, tenants) = match principal.user_id() {
            Some(uid) => {
                let key = (principal.tenant_id.0, uid);
                let id = match state.identities.get(&key) {
                    Some(id) => id,
                    None => {
                        let id = users::identity(&state.db, uid, principal.tenant_id)
                            .await?
                            .ok_or_else(|| {
                                Problem::unauthorized("The account or membership no longer exists.")
                            })?;
                        let id = std::sync::Arc::new(id);
                        state.identities.insert(key, id.clone());
                        id
                    }
                };
                (
                    Some(MeUser {
                        id: id.user_id,
                        email: id.email.clone(),
                        name: id.name.clone(),
                    }),
                    MeTenant {
                        id: id.tenant_id,
                        name: id.tenant_name.clone(),
                        slug: id.tenant_slug.clone(),
                    },
                    id.tenants.0.clone(),
                )
            }
            None => {
                let mut tx = tenant_tx(&state.db, principal).await?;
                let current = users::current_tenant(&mut tx).await?;
                tx.commit().await?;
                let tenant = MeTenant {
                    id: current.id,
                    name: current.name,
                    slug: current.slug,
                };
                (None, tenant, Vec::new())
            }
        };
        Ok(Self {
            user,
            api_key_id: principal.api_key_id(),
            tenant,
            role: principal.role,
            permissions: principal.scopes.iter().copied().collect(),
            tenants,
        })
    }
}

/// The signed-in principal.
#[utoipa::path(
    tag = "auth",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = MeResponse),
    )
)]
#[get("/me")]
pub async fn me(
    state: web::Data<AuthState>,
    principal: Principal,
) -> Result<HttpResponse, Problem> {
    Ok(HttpResponse::Ok().json(MeResponse::load(&state, &principal).await?))
}
