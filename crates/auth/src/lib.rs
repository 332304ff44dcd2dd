//! auth: tenants, users and their sessions, roles and members, API keys.
//!
//! Every other slice gets its `kernel::Principal` from here, through the
//! `kernel::tenancy::Authenticator` this crate implements ([`AuthState`]): an HttpOnly cookie
//! holding a short access JWT, or `Authorization: Bearer <API key>`.
//!
//! Modules: [`settings`] (what the app configures), [`state`] (shared state and the
//! authenticator), [`password`] (policy, argon2id on a bounded pool), [`jwt`], [`tokens`]
//! (opaque refresh/invite/reset tokens), [`cookies`], [`throttle`] (login backoff),
//! [`permissions`] (the role -> scope matrix), [`sessions`] (sign-in, rotation, revocation),
//! [`store`] (SQL), and `routes/` (one file per action).

pub mod cookies;
pub mod demo;
pub mod jwt;
pub mod password;
pub mod permissions;
mod routes;
pub mod sessions;
pub mod settings;
pub mod state;
pub mod store;
pub mod throttle;
pub mod tokens;

pub use settings::AuthSettings;
pub use state::AuthState;

/// Mounts the slice's routes under `/api/v1`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    routes::configure(cfg);
}
