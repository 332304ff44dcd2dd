//! The outreach API. Reads need `outreach:read`, changes `outreach:write`; the unsubscribe
//! link needs nothing but its signed token, and providers' bounce notifications their source's
//! secret URL (and, where they sign, a valid signature).

use kernel::idempotency::Idempotency;
use kernel::Problem;

pub mod campaigns;
pub mod dkim;
pub mod enrollments;
pub mod feedback;
pub mod inbox;
pub mod log;
pub mod mailboxes;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1/outreach/mailboxes")
            .wrap(Idempotency::from_app_data())
            .service(mailboxes::list_mailboxes)
            .service(mailboxes::create_mailbox)
            .service(mailboxes::get_mailbox)
            .service(mailboxes::update_mailbox)
            .service(mailboxes::delete_mailbox)
            .service(mailboxes::test_mailbox)
            .service(inbox::get_inbox)
            .service(inbox::put_inbox)
            .service(inbox::delete_inbox)
            .service(inbox::check_inbox)
            .service(dkim::get_dkim)
            .service(dkim::put_dkim)
            .service(dkim::delete_dkim),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/outreach/campaigns")
            .wrap(Idempotency::from_app_data())
            .service(campaigns::list_campaigns)
            .service(campaigns::create_campaign)
            .service(campaigns::get_campaign)
            .service(campaigns::update_campaign)
            .service(campaigns::delete_campaign)
            .service(campaigns::activate_campaign)
            .service(campaigns::pause_campaign)
            .service(campaigns::preview_campaign)
            .service(enrollments::enroll_leads),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/outreach/enrollments")
            .wrap(Idempotency::from_app_data())
            .service(enrollments::list_enrollments)
            .service(enrollments::stop_enrollment),
    );
    cfg.service(utoipa_actix_web::scope("/api/v1/outreach/messages").service(log::list_messages));
    cfg.service(utoipa_actix_web::scope("/api/v1/outreach/replies").service(inbox::list_replies));
    cfg.service(
        utoipa_actix_web::scope("/api/v1/outreach/settings")
            .wrap(Idempotency::from_app_data())
            .service(inbox::get_settings)
            .service(inbox::put_settings),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/outreach/suppressions")
            .wrap(Idempotency::from_app_data())
            .app_data(actix_web::web::PayloadConfig::new(8 << 20))
            .service(log::list_suppressions)
            .service(log::export_suppressions)
            .service(log::import_suppressions)
            .service(log::add_suppressions)
            .service(log::delete_suppression),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/outreach/feedback-sources")
            .wrap(Idempotency::from_app_data())
            .service(feedback::list_sources)
            .service(feedback::put_source)
            .service(feedback::delete_source),
    );
    cfg.service(utoipa_actix_web::scope("/api/v1/outreach/feedback").service(feedback::receive));
    cfg.service(
        utoipa_actix_web::scope("/api/v1/outreach/unsubscribe")
            .service(crate::unsubscribe::unsubscribe_page)
            .service(crate::unsubscribe::unsubscribe),
    );
}

/// A 422 naming one field.
pub(crate) fn invalid(field: &str, message: impl Into<String>) -> Problem {
    Problem::validation(Default::default()).with_field_error(field, message)
}
