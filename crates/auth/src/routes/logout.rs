//! `POST /api/v1/auth/logout`: ends the session for real (the refresh family is revoked and
//! the access token refused at once) and clears the cookies. Safe to repeat.

use actix_web::{post, web, HttpRequest, HttpResponse};
use kernel::tenancy::tenant_tx_for;
use kernel::{Problem, TenantId};

use crate::cookies::{clear_session, ACCESS_COOKIE, REFRESH_COOKIE};
use crate::store;
use crate::tokens::OpaqueToken;
use crate::{sessions, AuthState};

/// Sign out.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 204, description = "Signed out; cookies cleared"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "csrf_rejected"),
    )
)]
#[post("/logout")]
pub async fn logout(
    state: web::Data<AuthState>,
    req: HttpRequest,
) -> Result<HttpResponse, Problem> {
    state.check_same_origin(&req)?;
    if let Some(claims) = req
        .cookie(ACCESS_COOKIE)
        .and_then(|c| state.jwt.verify(c.value()))
    {
        let mut tx = tenant_tx_for(&state.db, TenantId(claims.tid)).await?;
        sessions::revoke(&state, &mut tx, claims.sid).await?;
        tx.commit().await?;
    }
    if let Some(token) = req
        .cookie(REFRESH_COOKIE)
        .and_then(|c| OpaqueToken::decode(c.value()))
    {
        let mut tx = tenant_tx_for(&state.db, TenantId(token.scope)).await?;
        let sid = store::sessions::session_of_refresh_token(&mut tx, token.id).await?;
        if let Some((sid, _)) = sid.filter(|(_, hash)| token.matches(hash)) {
            sessions::revoke(&state, &mut tx, sid).await?;
        }
        tx.commit().await?;
    }
    let mut res = HttpResponse::NoContent();
    clear_session(&mut res);
    Ok(res.finish())
}
