//! `POST /api/v1/members/invitations`: invites an email address to the tenant with a role,
//! and emails it a link holding a single-use token. The token is in the email only.

use actix_web::{post, web, HttpResponse};
use chrono::Utc;
use kernel::mail::Mail;
use kernel::tenancy::roles;
use kernel::{tenant_tx, Problem, ProblemCode, RequireRole, Role, ValidatedJson};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::store::invitations::{self, Invitation, NewInvitation};
use crate::store::members;
use crate::tokens::OpaqueToken;
use crate::AuthState;

/// The roles an invitation may give (owners are made by promotion, by an owner).
#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum InvitedRole {
    Admin,
    Member,
    Viewer,
}

impl From<InvitedRole> for Role {
    fn from(role: InvitedRole) -> Self {
        match role {
            InvitedRole::Admin => Role::Admin,
            InvitedRole::Member => Role::Member,
            InvitedRole::Viewer => Role::Viewer,
        }
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInvitationRequest {
    #[validate(email, length(max = 254))]
    #[schema(example = "grace@acme.test")]
    pub email: String,
    pub role: InvitedRole,
}

/// Invite someone by email.
///
/// Needs the admin role or stronger (API keys hold no role, so they are refused). Inviting an address again
/// replaces its pending invitation (the old link stops working). The answer never holds the
/// token: it travels by email only.
#[utoipa::path(
    tag = "members",
    request_body = CreateInvitationRequest,
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 201, body = Invitation, description = "Invited; the link is on its way"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "already_member"),
        (status = 503, body = Problem, content_type = "application/problem+json", description = "mail_unavailable: nothing was stored"),
    )
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_invitation(
    state: web::Data<AuthState>,
    principal: RequireRole<roles::Admin>,
    body: ValidatedJson<CreateInvitationRequest>,
) -> Result<HttpResponse, Problem> {
    let email = body.email.trim().to_lowercase();
    let role = Role::from(body.role);
    let mut tx = tenant_tx(&state.db, &principal).await?;
    if members::has_email(&mut tx, &email).await? {
        return Err(Problem::new(
            ProblemCode::AlreadyMember,
            "Someone with this email is a member already.",
        )
        .with_field_error("email", "is a member already"));
    }
    let token = OpaqueToken::generate(principal.tenant_id.0);
    let invitation = invitations::insert(
        &mut tx,
        NewInvitation {
            token: &token,
            email: &email,
            role,
            invited_by: principal.user_id(),
            expires_at: Utc::now() + state.settings.invitation_ttl,
        },
    )
    .await?;
    let (tenant_name, inviter) = invitations::mail_context(&mut tx, principal.user_id()).await?;

    // Sent before committing: when the email cannot go, no invitation is left behind.
    let link = format!(
        "{}/accept-invite?token={}",
        state.settings.public_url.trim_end_matches('/'),
        token.encode()
    );
    let who = inviter.unwrap_or_else(|| "A member".into());
    let text = format!(
        "Hello,\n\n\
         {who} invited you to join {tenant_name} on DataFortress as {role}. To accept, open \
         this link before {expires} (UTC):\n\n{link}\n\n\
         If you did not expect this invitation, ignore this email.\n",
        role = role.as_str(),
        expires = invitation.expires_at.format("%Y-%m-%d %H:%M"),
    );
    let mail = Mail {
        to: email.clone(),
        subject: format!("Join {tenant_name} on DataFortress"),
        text,
    };
    if let Err(err) = state.mailer.send(mail).await {
        tracing::error!(error = %err, "invitation email not sent");
        return Err(Problem::new(
            ProblemCode::MailUnavailable,
            "The invitation email could not be sent; try again later.",
        ));
    }
    tx.commit().await?;
    tracing::info!(invitation_id = %invitation.id, role = role.as_str(), "member invited");
    Ok(HttpResponse::Created().json(invitation))
}
