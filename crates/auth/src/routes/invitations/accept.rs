//! `POST /api/v1/auth/invitations/accept`: redeems an invitation token and signs the invitee
//! in to the tenant. A new email gets an account (name and a password that passes the
//! policy); an existing account proves itself with its current password, which counts
//! towards the sign-in throttle like a login.

use actix_web::{post, web, HttpRequest, HttpResponse};
use kernel::tenancy::tenant_tx_for;
use kernel::{Problem, ProblemCode, TenantId, ValidatedJson};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::routes::password::{check_new_password, invalid_token};
use crate::routes::{client_ip, user_agent, MeResponse};
use crate::store::{invitations, unique_violation, users};
use crate::tokens::OpaqueToken;
use crate::{sessions, throttle, AuthState};

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    /// The `token` parameter of the emailed link.
    #[schema(value_type = String)]
    pub token: SecretString,
    /// The new account's name (required when the email has no account yet; ignored otherwise).
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Grace Hopper")]
    pub name: Option<String>,
    /// A new password (10 to 128 characters, not commonly breached) for a new account, or the
    /// existing account's current password.
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

/// Accept an invitation and sign in.
#[utoipa::path(
    tag = "auth",
    request_body = AcceptInvitationRequest,
    responses(
        (status = 200, body = MeResponse, description = "Joined and signed in to the tenant: session cookies are set"),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_token: unknown, used or expired"),
        (status = 401, body = Problem, content_type = "application/problem+json", description = "invalid_credentials: not the existing account's password"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "csrf_rejected"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "already_member, or email_taken"),
        (status = 429, body = Problem, content_type = "application/problem+json", description = "login_throttled; see Retry-After"),
    )
)]
#[post("/accept")]
#[tracing::instrument(skip_all, fields(tenant_id, user_id))]
pub async fn accept_invitation(
    state: web::Data<AuthState>,
    req: HttpRequest,
    body: ValidatedJson<AcceptInvitationRequest>,
) -> Result<HttpResponse, Problem> {
    state.check_same_origin(&req)?;
    let body = body.into_inner();
    let token = OpaqueToken::decode(body.token.expose_secret()).ok_or_else(invalid_token)?;
    let tenant = TenantId(token.scope);

    let mut tx = tenant_tx_for(&state.db, tenant).await?;
    // Locked until commit: two requests with the same token cannot both redeem it.
    let invitation = invitations::lock(&mut tx, token.id)
        .await?
        .filter(|i| i.redeemable_by(&token))
        .ok_or_else(invalid_token)?;
    let user = match users::credentials_by_email(&state.db, &invitation.email).await? {
        Some(account) => {
            join_as_existing(&state, &req, &mut tx, &invitation.email, account, &body).await?
        }
        None => create_account(&state, &mut tx, &invitation.email, &body).await?,
    };
    if !users::insert_membership(&mut tx, tenant, user, invitation.role).await? {
        return Err(already_member());
    }
    invitations::mark_accepted(&mut tx, token.id).await?;
    let issued = sessions::start(
        &state,
        &mut tx,
        tenant,
        user,
        invitation.role,
        user_agent(&req),
    )
    .await?;
    tx.commit().await?;
    state.forget_identities();
    let span = tracing::Span::current();
    span.record("tenant_id", tracing::field::display(tenant));
    span.record("user_id", tracing::field::display(user));
    tracing::info!(role = invitation.role.as_str(), "invitation accepted");

    let me = MeResponse::load(&state, &issued.principal()).await?;
    let mut res = HttpResponse::Ok();
    issued.set_cookies(&state, &mut res);
    Ok(res.json(me))
}

fn already_member() -> Problem {
    Problem::new(
        ProblemCode::AlreadyMember,
        "This account is a member of the tenant already: sign in instead.",
    )
}

/// An existing account joins: it must give its current password.
async fn join_as_existing(
    state: &AuthState,
    req: &HttpRequest,
    tx: &mut PgConnection,
    email: &str,
    account: users::Credentials,
    body: &AcceptInvitationRequest,
) -> Result<Uuid, Problem> {
    let ip = client_ip(req);
    throttle::check(state, email, &ip).await?;
    let too_long = body.password.expose_secret().len() > 1024;
    let verified = !too_long
        && state
            .hasher
            .verify(&body.password, Some(&account.password_hash))
            .await
            .map_err(|e| Problem::internal(&e))?;
    if !verified {
        throttle::record_failure(state, email, &ip).await?;
        return Err(Problem::new(
            ProblemCode::InvalidCredentials,
            "An account with this email exists: give its current password to join.",
        ));
    }
    throttle::record_success(state, email).await?;
    if users::role_in_current_tenant(tx, account.id)
        .await?
        .is_some()
    {
        return Err(already_member());
    }
    Ok(account.id)
}

/// A new account for the invited email, with the chosen name and password.
async fn create_account(
    state: &AuthState,
    tx: &mut PgConnection,
    email: &str,
    body: &AcceptInvitationRequest,
) -> Result<Uuid, Problem> {
    let name = body.name.as_deref().map(str::trim).unwrap_or_default();
    if name.is_empty() {
        return Err(Problem::validation(Default::default())
            .with_field_error("name", "is required for a new account"));
    }
    check_new_password("password", &body.password)?;
    let hash = state
        .hasher
        .hash(&body.password)
        .await
        .map_err(|e| Problem::internal(&e))?;
    let user = Uuid::new_v4();
    users::act_as_user(tx, user).await?;
    users::insert_user(tx, user, email, name, &hash)
        .await
        .map_err(|err| match unique_violation(&err) {
            // Someone signed up with this email meanwhile: accepting again joins that account.
            Some("users_email_key") => Problem::new(
                ProblemCode::EmailTaken,
                "An account with this email was just created: accept again with its password.",
            ),
            _ => err.into(),
        })?;
    Ok(user)
}
