//! Invitations: members with `members:write` invite someone by email
//! (`/api/v1/members/invitations`: create, list pending, withdraw); the invitee follows the
//! emailed link and accepts (`/api/v1/auth/invitations/accept`), as a new user choosing a
//! password or as an existing one giving its own. One file per action.

mod accept;
mod create;
mod delete;
mod list;

/// Mounted before `/api/v1/members` and `/api/v1/auth` (see `routes::configure`): actix
/// matches scopes by prefix, in order.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1/members/invitations")
            // POSTs here create or trigger work: a retried request with the same
            // Idempotency-Key replays the first answer.
            .wrap(kernel::idempotency::Idempotency::from_app_data())
            .service(create::create_invitation)
            .service(list::list_invitations)
            .service(delete::delete_invitation),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/auth/invitations").service(accept::accept_invitation),
    );
}
