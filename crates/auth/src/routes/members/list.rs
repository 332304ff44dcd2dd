//! `GET /api/v1/members`: the tenant's members, in Refine's list protocol.

use actix_web::{get, web, HttpRequest};
use kernel::list::ListPage;
use kernel::{scope, Problem, Scoped};

use crate::store::members::{Member, MEMBERS_LISTING};
use crate::AuthState;

/// List the tenant's members.
///
/// Needs `members:read`. Speaks Refine's list protocol (docs/API.md): fields `user_id`,
/// `email`, `name`, `role`, `joined_at`; earliest joined first by default.
#[utoipa::path(
    tag = "members",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Vec<Member>, headers(("X-Total-Count" = i64, description = "Members matching the filters, across all pages"))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_list_query"),
    )
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_members(
    state: web::Data<AuthState>,
    principal: Scoped<scope::MembersRead>,
    req: HttpRequest,
) -> Result<ListPage<Member>, Problem> {
    MEMBERS_LISTING.respond(&state.db, &principal, &req).await
}
