//! `POST /api/v1/auth/register`: a new tenant and its owner, in one transaction; the new
//! owner is signed in. Throttled like sign-in (per email and per client address): a taken
//! email or address counts as a failed attempt, so registering cannot be used to test many
//! emails for accounts.

use actix_web::{post, web, HttpRequest, HttpResponse};
use kernel::{Problem, ProblemCode, Role, TenantId, ValidatedJson};
use secrecy::SecretString;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::routes::{client_ip, user_agent, MeResponse};
use crate::store::{unique_violation, users};
use crate::{password, sessions, throttle, AuthState};

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Acme Agency")]
    pub tenant_name: String,
    /// Lower-case letters, digits and dashes; unique.
    #[validate(length(min = 1, max = 63), custom(function = valid_slug))]
    #[schema(example = "acme")]
    pub tenant_slug: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Ada Lovelace")]
    pub name: String,
    #[validate(email, length(max = 254))]
    #[schema(example = "ada@acme.test")]
    pub email: String,
    /// 10 to 128 characters, not a commonly breached password.
    #[schema(value_type = String, format = Password, example = "correct horse battery staple")]
    pub password: SecretString,
}

pub(crate) fn valid_slug(slug: &str) -> Result<(), validator::ValidationError> {
    let ok = slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(validator::ValidationError::new("slug")
            .with_message("use lower-case letters, digits and inner dashes".into()))
    }
}

/// Create a tenant and its owner, and sign the owner in.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, body = MeResponse, description = "Signed in: session cookies are set"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "slug_taken or email_taken"),
        (status = 429, body = Problem, content_type = "application/problem+json", description = "login_throttled: too many refused attempts from this address or for this email; see Retry-After"),
    )
)]
#[post("/register")]
pub async fn register(
    state: web::Data<AuthState>,
    req: HttpRequest,
    body: ValidatedJson<RegisterRequest>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    state.check_same_origin(&req)?;
    let ip = client_ip(&req);
    throttle::check(&state, &body.email, &ip).await?;
    use secrecy::ExposeSecret;
    password::check_policy(body.password.expose_secret())
        .map_err(|m| Problem::validation(Default::default()).with_field_error("password", m))?;
    let hash = state
        .hasher
        .hash(&body.password)
        .await
        .map_err(|e| Problem::internal(&e))?;

    let tenant = TenantId(Uuid::new_v4());
    let user = Uuid::new_v4();
    let email = body.email.trim().to_lowercase();
    let mut tx = kernel::tenancy::tenant_tx_for(&state.db, tenant).await?;
    users::act_as_user(&mut tx, user).await?;
    let created = async {
        users::insert_tenant(&mut tx, tenant, body.tenant_name.trim(), &body.tenant_slug).await?;
        users::insert_user(&mut tx, user, &email, body.name.trim(), &hash).await?;
        // The tenant is new: it has no members yet.
        users::insert_membership(&mut tx, tenant, user, Role::Owner).await
    }
    .await;
    if let Err(err) = created {
        if unique_violation(&err).is_some() {
            throttle::record_failure(&state, &body.email, &ip).await?;
        }
        return Err(match unique_violation(&err) {
            Some("tenants_slug_key") => {
                Problem::new(ProblemCode::SlugTaken, "That workspace address is taken.")
                    .with_field_error("tenant_slug", "is taken")
            }
            Some("users_email_key") => Problem::new(
                ProblemCode::EmailTaken,
                "An account with this email exists: sign in instead.",
            )
            .with_field_error("email", "already has an account"),
            _ => err.into(),
        });
    }
    let issued =
        sessions::start(&state, &mut tx, tenant, user, Role::Owner, user_agent(&req)).await?;
    tx.commit().await?;
    tracing::info!(tenant_id = %tenant, user_id = %user, "tenant registered");

    let principal = issued.principal();
    let me = MeResponse::load(&state, &principal).await?;
    let mut res = HttpResponse::Created();
    issued.set_cookies(&state, &mut res);
    Ok(res.json(me))
}
