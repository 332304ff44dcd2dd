//! `POST /api/v1/auth/password/forgot`: emails a single-use reset link to the account with
//! this email, if there is one.
//!
//! The answer is the same, in status, body and time, whether or not the account exists: the
//! lookup, the token and the email happen in a task started after the answer is decided.
//! A given address gets at most one link per minute, so the endpoint cannot flood an inbox.

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use kernel::mail::{Mail, MailError};
use kernel::{Problem, ValidatedJson};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tracing::Instrument;
use utoipa::ToSchema;
use validator::Validate;

use crate::store::{password_resets, users};
use crate::tokens::OpaqueToken;
use crate::AuthState;

/// Shortest time between two reset links to the same address.
const COOLDOWN_SECS: u64 = 60;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotPasswordRequest {
    #[validate(email, length(max = 254))]
    #[schema(example = "ada@acme.test")]
    pub email: String,
}

#[derive(Serialize, ToSchema)]
pub struct ForgotPasswordResponse {
    #[schema(
        example = "If an account uses this email, a link to reset its password is on its way."
    )]
    pub message: String,
}

/// Ask for a password-reset link.
///
/// Always 202 with the same body: whether an account exists is never revealed. The link
/// works once, for an hour.
#[utoipa::path(
    tag = "auth",
    request_body = ForgotPasswordRequest,
    responses(
        (status = 202, body = ForgotPasswordResponse, description = "Accepted (whether or not the account exists)"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "csrf_rejected"),
    )
)]
#[post("/forgot")]
#[tracing::instrument(skip_all)]
pub async fn forgot_password(
    state: web::Data<AuthState>,
    req: HttpRequest,
    body: ValidatedJson<ForgotPasswordRequest>,
) -> Result<HttpResponse, Problem> {
    state.check_same_origin(&req)?;
    let email = body.into_inner().email.trim().to_lowercase();
    let state = state.into_inner();
    tokio::spawn(
        async move {
            if let Err(err) = send_reset_link(&state, &email).await {
                tracing::error!(error = %err, "password reset link not sent");
            }
        }
        .instrument(tracing::Span::current()),
    );
    Ok(HttpResponse::Accepted().json(ForgotPasswordResponse {
        message: "If an account uses this email, a link to reset its password is on its way."
            .into(),
    }))
}

#[derive(Debug, thiserror::Error)]
enum ResetLinkError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error(transparent)]
    Mail(#[from] MailError),
}

async fn send_reset_link(state: &AuthState, email: &str) -> Result<(), ResetLinkError> {
    let Some(account) = users::credentials_by_email(&state.db, email).await? else {
        return Ok(());
    };
    if !cooldown_over(state, email).await? {
        tracing::info!(user_id = %account.id, "reset link already sent within the last minute");
        return Ok(());
    }
    let token = OpaqueToken::generate(account.id);
    let expires_at = Utc::now() + state.settings.reset_ttl;
    let mut tx = state.db.begin().await?;
    users::act_as_user(&mut tx, account.id).await?;
    password_resets::insert(&mut tx, &token, expires_at).await?;
    tx.commit().await?;

    let link = format!(
        "{}/reset-password?token={}",
        state.settings.public_url.trim_end_matches('/'),
        token.encode()
    );
    let minutes = state.settings.reset_ttl.as_secs() / 60;
    let text = format!(
        "Hello {name},\n\n\
         Someone asked to reset the password of your DataFortress account. To choose a new \
         password, open this link within {minutes} minutes:\n\n{link}\n\n\
         The link works once. If you did not ask for it, ignore this email: your password \
         stays as it is.\n",
        name = account.name,
    );
    let mail = Mail {
        to: email.to_owned(),
        subject: "Reset your DataFortress password".into(),
        text,
    };
    state.mailer.send(mail).await?;
    tracing::info!(user_id = %account.id, "password reset link sent");
    Ok(())
}

/// True (and the next minute claimed) unless a link went to this address within a minute.
async fn cooldown_over(state: &AuthState, email: &str) -> Result<bool, redis::RedisError> {
    let digest = hex::encode(Sha256::digest(email.as_bytes()));
    let key = state
        .cache
        .key(&format!("auth:reset:sent:{}", &digest[..32]));
    let mut conn = state.cache.conn().await?;
    let claimed: Option<String> = redis::cmd("SET")
        .arg(key)
        .arg(1)
        .arg("NX")
        .arg("EX")
        .arg(COOLDOWN_SECS)
        .query_async(&mut conn)
        .await?;
    Ok(claimed.is_some())
}
