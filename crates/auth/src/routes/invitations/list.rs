//! `GET /api/v1/members/invitations`: the invitations neither accepted nor expired.

use actix_web::{get, web};
use kernel::list::ListPage;
use kernel::{scope, tenant_tx, Problem, Scoped};

use crate::store::invitations::{self, Invitation};
use crate::AuthState;

/// List pending invitations.
///
/// Needs `members:read`. Oldest first; all of them (a tenant has few at a time).
#[utoipa::path(
    tag = "members",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Vec<Invitation>, headers(("X-Total-Count" = i64, description = "Pending invitations"))),
    )
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_invitations(
    state: web::Data<AuthState>,
    principal: Scoped<scope::MembersRead>,
) -> Result<ListPage<Invitation>, Problem> {
    let mut tx = tenant_tx(&state.db, &principal).await?;
    let items = invitations::pending(&mut tx).await?;
    tx.commit().await?;
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    Ok(ListPage { items, total })
}
