//! `POST /api/v1/auth/refresh`: trades the refresh cookie for a new pair of cookies.

use actix_web::{post, web, HttpRequest, HttpResponse, ResponseError};
use chrono::{DateTime, Utc};
use kernel::Problem;
use serde::Serialize;
use utoipa::ToSchema;

use crate::cookies::{clear_session, REFRESH_COOKIE};
use crate::{sessions, AuthState};

#[derive(Serialize, ToSchema)]
pub struct Refreshed {
    /// When the new access cookie expires: refresh again a little before.
    pub access_expires_at: DateTime<Utc>,
}

/// Rotate the session's tokens (silent refresh).
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, body = Refreshed, description = "New session cookies are set"),
        (status = 401, body = Problem, content_type = "application/problem+json", description = "No, expired, revoked or reused refresh token; cookies are cleared"),
    )
)]
#[post("/refresh")]
pub async fn refresh(
    state: web::Data<AuthState>,
    req: HttpRequest,
) -> Result<HttpResponse, Problem> {
    state.check_same_origin(&req)?;
    let Some(cookie) = req.cookie(REFRESH_COOKIE) else {
        return Err(Problem::unauthorized("Sign in first."));
    };
    match sessions::refresh(&state, cookie.value()).await {
        Ok(issued) => {
            let mut res = HttpResponse::Ok();
            issued.set_cookies(&state, &mut res);
            let expires = DateTime::from_timestamp(issued.claims.exp, 0).unwrap_or_else(Utc::now);
            Ok(res.json(Refreshed {
                access_expires_at: expires,
            }))
        }
        Err(problem) if problem.status == 401 => {
            let mut res = problem.error_response();
            let mut clearing = HttpResponse::Ok();
            clear_session(&mut clearing);
            for cookie in clearing.finish().cookies() {
                let _ = res.add_cookie(&cookie);
            }
            Ok(res)
        }
        Err(problem) => Err(problem),
    }
}
