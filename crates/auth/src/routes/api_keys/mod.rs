//! `/api/v1/api-keys`: create, list and revoke the tenant's API keys, one file per action.
//! The key format, its hash, bearer authentication and last-used tracking live in
//! `store::api_keys`.

mod create;
mod list;
mod revoke;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1/api-keys")
            // POSTs here create or trigger work: a retried request with the same
            // Idempotency-Key replays the first answer.
            .wrap(kernel::idempotency::Idempotency::from_app_data())
            .service(create::create_api_key)
            .service(list::list_api_keys)
            .service(revoke::revoke_api_key),
    );
}
