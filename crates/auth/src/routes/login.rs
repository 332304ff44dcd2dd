//! `POST /api/v1/auth/login`: email and password in, session cookies out. A wrong email and
//! a wrong password answer alike, in comparable time; failures are throttled.

use actix_web::{post, web, HttpRequest, HttpResponse};
use kernel::tenancy::tenant_tx_for;
use kernel::{Problem, ProblemCode, TenantId, ValidatedJson};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::routes::{client_ip, user_agent, MeResponse};
use crate::store::users;
use crate::{sessions, throttle, AuthState};

#[derive(Deserialize, Validate, ToSchema)]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 254))]
    #[schema(example = "ada@acme.test")]
    pub email: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
    /// Which tenant to sign in to, for users of several (default: the first joined).
    #[validate(length(min = 1, max = 63))]
    pub tenant_slug: Option<String>,
}

fn invalid_credentials() -> Problem {
    Problem::new(
        ProblemCode::InvalidCredentials,
        "The email or password is not right.",
    )
}

/// Sign in.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = MeResponse, description = "Signed in: session cookies are set"),
        (status = 401, body = Problem, content_type = "application/problem+json", description = "invalid_credentials"),
        (status = 429, body = Problem, content_type = "application/problem+json", description = "login_throttled; see Retry-After"),
    )
)]
#[post("/login")]
pub async fn login(
    state: web::Data<AuthState>,
    req: HttpRequest,
    body: ValidatedJson<LoginRequest>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    state.check_same_origin(&req)?;
    let ip = client_ip(&req);
    throttle::check(&state, &body.email, &ip).await?;

    let too_long = body.password.expose_secret().len() > 1024;
    let account = users::credentials_by_email(&state.db, body.email.trim()).await?;
    let verified = state
        .hasher
        .verify(
            &body.password,
            account.as_ref().map(|a| a.password_hash.as_str()),
        )
        .await
        .map_err(|e| Problem::internal(&e))?;
    let account = match account {
        Some(account) if verified && !too_long => account,
        _ => {
            throttle::record_failure(&state, &body.email, &ip).await?;
            return Err(invalid_credentials());
        }
    };

    let memberships = users::memberships_of(&state.db, account.id).await?;
    let chosen = match &body.tenant_slug {
        Some(slug) => memberships.iter().find(|m| &m.tenant_slug == slug),
        None => memberships.first(),
    };
    let Some(membership) = chosen else {
        throttle::record_failure(&state, &body.email, &ip).await?;
        return Err(invalid_credentials());
    };
    throttle::record_success(&state, &body.email).await?;

    let tenant = TenantId(membership.tenant_id);
    let mut tx = tenant_tx_for(&state.db, tenant).await?;
    let issued = sessions::start(
        &state,
        &mut tx,
        tenant,
        account.id,
        membership.role,
        user_agent(&req),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(tenant_id = %tenant, user_id = %account.id, "signed in");

    let me = MeResponse::load(&state, &issued.principal()).await?;
    let mut res = HttpResponse::Ok();
    issued.set_cookies(&state, &mut res);
    Ok(res.json(me))
}
