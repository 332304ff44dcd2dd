//! `POST /api/v1/auth/password/change`: a signed-in user sets a new password by giving the
//! current one. Its other sessions, in every tenant, end at once; this one goes on.

use actix_web::{post, web, HttpRequest, HttpResponse};
use kernel::{tenant_tx, Principal, Problem, ValidatedJson};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::check_new_password;
use crate::cookies::ACCESS_COOKIE;
use crate::routes::client_ip;
use crate::store::{password_resets, users};
use crate::{throttle, AuthState};

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[schema(value_type = String, format = Password)]
    pub current_password: SecretString,
    /// 10 to 128 characters, not a commonly breached password.
    #[schema(value_type = String, format = Password, example = "a new and longer passphrase")]
    pub new_password: SecretString,
}

fn wrong_current_password() -> Problem {
    Problem::validation(Default::default()).with_field_error("current_password", "is not right")
}

/// Change the signed-in user's password.
///
/// Ends the user's other sessions in every tenant. Wrong current passwords count towards
/// the sign-in throttle, so a stolen session cannot be used to guess the password.
#[utoipa::path(
    tag = "auth",
    request_body = ChangePasswordRequest,
    security(("cookie_session" = [])),
    responses(
        (status = 204, description = "Changed; the other sessions are ended"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "forbidden (API keys have no password) or csrf_rejected"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "validation_failed: `errors.current_password` or `errors.new_password`"),
        (status = 429, body = Problem, content_type = "application/problem+json", description = "login_throttled; see Retry-After"),
    )
)]
#[post("/change")]
#[tracing::instrument(skip_all, fields(user_id))]
pub async fn change_password(
    state: web::Data<AuthState>,
    req: HttpRequest,
    principal: Principal,
    body: ValidatedJson<ChangePasswordRequest>,
) -> Result<HttpResponse, Problem> {
    let Some(user) = principal.user_id() else {
        return Err(Problem::forbidden("API keys have no password to change."));
    };
    tracing::Span::current().record("user_id", tracing::field::display(user));
    // The session that stays: the one whose access cookie authenticated this request.
    let session = req
        .cookie(ACCESS_COOKIE)
        .and_then(|c| state.jwt.verify(c.value()))
        .ok_or_else(|| Problem::unauthorized("Sign in first."))?;
    check_new_password("new_password", &body.new_password)?;
    if body.new_password.expose_secret() == body.current_password.expose_secret() {
        return Err(Problem::validation(Default::default())
            .with_field_error("new_password", "must differ from the current password"));
    }

    let mut tx = tenant_tx(&state.db, &principal).await?;
    users::act_as_user(&mut tx, user).await?;
    let (email, old_hash) = password_resets::current_password(&mut tx, user)
        .await?
        .ok_or_else(|| Problem::unauthorized("The account no longer exists."))?;
    tx.commit().await?;

    let ip = client_ip(&req);
    throttle::check(&state, &email, &ip).await?;
    let verified = state
        .hasher
        .verify(&body.current_password, Some(&old_hash))
        .await
        .map_err(|e| Problem::internal(&e))?;
    if !verified {
        throttle::record_failure(&state, &email, &ip).await?;
        return Err(wrong_current_password());
    }
    let new_hash = state
        .hasher
        .hash(&body.new_password)
        .await
        .map_err(|e| Problem::internal(&e))?;

    let mut tx = tenant_tx(&state.db, &principal).await?;
    users::act_as_user(&mut tx, user).await?;
    // Only over the hash just verified: a concurrent change wins, and this one is refused.
    if !password_resets::set_password(&mut tx, user, &new_hash, Some(&old_hash)).await? {
        return Err(wrong_current_password());
    }
    password_resets::use_up_all(&mut tx).await?;
    let ended =
        password_resets::revoke_sessions_everywhere(&mut tx, user, Some(session.sid)).await?;
    tx.commit().await?;
    crate::access::sessions_ended(&state, &ended).await;
    tracing::info!(sessions_ended = ended.len(), "password changed");
    Ok(HttpResponse::NoContent().finish())
}
