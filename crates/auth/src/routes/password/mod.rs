//! `/api/v1/auth/password`: change the password (signed in), or forget it and reset it with an
//! emailed single-use link. Every way of setting a password ends the user's other sessions
//! and voids older reset links. One file per action.

mod change;
mod forgot;
mod reset;

use kernel::{Problem, ProblemCode};
use secrecy::{ExposeSecret, SecretString};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1/auth/password")
            .service(change::change_password)
            .service(forgot::forgot_password)
            .service(reset::reset_password),
    );
}

/// The password policy, as a 422 naming `field`.
pub(crate) fn check_new_password(field: &str, password: &SecretString) -> Result<(), Problem> {
    crate::password::check_policy(password.expose_secret())
        .map_err(|message| Problem::validation(Default::default()).with_field_error(field, message))
}

/// A reset or invitation token that is malformed, unknown, used or expired: one answer for
/// all, so a caller learns nothing about which.
pub(crate) fn invalid_token() -> Problem {
    Problem::new(
        ProblemCode::InvalidToken,
        "This link is invalid, has expired or was already used.",
    )
}
