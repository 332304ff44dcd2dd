//! `/api/v1/webhook-endpoints`: the tenant's webhook endpoints ([`endpoints`]), their
//! deliveries and attempts ([`deliveries`]). Reading needs `webhooks:read`, changing
//! `webhooks:write`. Changes publish `webhook_endpoint.*` events on
//! `resources/webhook-endpoints` (Refine live mode).

mod deliveries;
mod endpoints;

pub use endpoints::{CreateEndpoint, EndpointWithSecret, RotatedSecret, UpdateEndpoint};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1/webhook-endpoints")
            // POSTs here create or trigger work: a retried request with the same
            // Idempotency-Key replays the first answer.
            .wrap(kernel::idempotency::Idempotency::from_app_data())
            .service(endpoints::create_endpoint)
            .service(endpoints::list_endpoints)
            .service(endpoints::get_endpoint)
            .service(endpoints::update_endpoint)
            .service(endpoints::delete_endpoint)
            .service(endpoints::rotate_secret)
            .service(deliveries::list_deliveries)
            .service(deliveries::list_attempts)
            .service(deliveries::redeliver),
    );
}

fn endpoint_not_found() -> kernel::Problem {
    kernel::Problem::not_found("Webhook endpoint")
}
