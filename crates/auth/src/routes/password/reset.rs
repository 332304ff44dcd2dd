//! `POST /api/v1/auth/password/reset`: sets a new password with an emailed reset token. The
//! token works once and within its hour; every session of the user ends.

use actix_web::{post, web, HttpRequest, HttpResponse};
use kernel::{Problem, ValidatedJson};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{check_new_password, invalid_token};
use crate::cookies::clear_session;
use crate::store::{password_resets, users};
use crate::tokens::OpaqueToken;
use crate::AuthState;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordRequest {
    /// The `token` parameter of the emailed link.
    #[schema(value_type = String)]
    pub token: SecretString,
    /// 10 to 128 characters, not a commonly breached password.
    #[schema(value_type = String, format = Password, example = "a new and longer passphrase")]
    pub new_password: SecretString,
}

/// Reset a forgotten password.
///
/// Signs the user out everywhere (this browser's cookies are cleared too); the user signs in
/// again with the new password.
#[utoipa::path(
    tag = "auth",
    request_body = ResetPasswordRequest,
    responses(
        (status = 204, description = "Password set; every session of the user has ended"),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_token: unknown, used or expired"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "csrf_rejected"),
    )
)]
#[post("/reset")]
#[tracing::instrument(skip_all, fields(user_id))]
pub async fn reset_password(
    state: web::Data<AuthState>,
    req: HttpRequest,
    body: ValidatedJson<ResetPasswordRequest>,
) -> Result<HttpResponse, Problem> {
    state.check_same_origin(&req)?;
    check_new_password("new_password", &body.new_password)?;
    let token = OpaqueToken::decode(body.token.expose_secret()).ok_or_else(invalid_token)?;
    let user = token.scope;

    let mut tx = state.db.begin().await?;
    users::act_as_user(&mut tx, user).await?;
    // Locked until commit: two requests with the same token cannot both redeem it.
    let stored = password_resets::lock(&mut tx, token.id).await?;
    if !stored.is_some_and(|r| r.redeemable_by(&token)) {
        return Err(invalid_token());
    }
    tracing::Span::current().record("user_id", tracing::field::display(user));
    let hash = state
        .hasher
        .hash(&body.new_password)
        .await
        .map_err(|e| Problem::internal(&e))?;
    password_resets::set_password(&mut tx, user, &hash, None).await?;
    password_resets::use_up_all(&mut tx).await?;
    let ended = password_resets::revoke_sessions_everywhere(&mut tx, user, None).await?;
    tx.commit().await?;
    crate::access::sessions_ended(&state, &ended).await;
    tracing::info!(sessions_ended = ended.len(), "password reset");

    let mut res = HttpResponse::NoContent();
    clear_session(&mut res);
    Ok(res.finish())
}
