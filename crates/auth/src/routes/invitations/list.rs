//! `GET /api/v1/members/invitations`: the invitations neither accepted nor expired.

use actix_web::{get, web, HttpRequest};
use kernel::list::ListPage;
use kernel::{scope, Problem, Scoped};

use crate::store::invitations::{Invitation, PENDING_LISTING};
use crate::AuthState;

/// List pending invitations.
///
/// Needs `members:read`. Speaks Refine's list protocol (docs/API.md): fields `id`, `email`,
/// `role`, `invited_by`, `created_at`, `expires_at`; oldest first, 100 to a page by default
/// (a tenant has few at a time).
#[utoipa::path(
    tag = "members",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Vec<Invitation>, headers(("X-Total-Count" = i64, description = "Pending invitations matching the filters, across all pages"))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_list_query"),
    )
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_invitations(
    state: web::Data<AuthState>,
    principal: Scoped<scope::MembersRead>,
    req: HttpRequest,
) -> Result<ListPage<Invitation>, Problem> {
    PENDING_LISTING.respond(&state.db, &principal, &req).await
}
