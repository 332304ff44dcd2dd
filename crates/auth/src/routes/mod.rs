//! The slice's HTTP routes, one file per action.

mod api_keys;
mod invitations;
mod login;
mod logout;
mod me;
mod members;
mod password;
mod refresh;
mod register;
mod switch_tenant;

pub(crate) use me::MeResponse;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // Scopes nested under /api/v1/auth go first: actix matches scopes by prefix, in order.
    password::configure(cfg);
    invitations::configure(cfg);
    members::configure(cfg);
    api_keys::configure(cfg);
    cfg.service(
        utoipa_actix_web::scope("/api/v1/auth")
            .service(register::register)
            .service(login::login)
            .service(refresh::refresh)
            .service(logout::logout)
            .service(me::me)
            .service(switch_tenant::switch_tenant),
    );
}

/// The client's address for throttling: the peer address (a proxy in front must be
/// configured to pass the real one; `X-Forwarded-For` is not trusted by default).
pub(crate) fn client_ip(req: &actix_web::HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub(crate) fn user_agent(req: &actix_web::HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
}
