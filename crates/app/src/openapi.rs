//! The OpenAPI document: this base (info, security schemes, the problem schema) plus every
//! path the slices register through utoipa-actix-web, so routes and spec cannot drift.

use actix_web::App;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

/// Name of the access-token cookie (documented here; set by the auth slice).
pub const SESSION_COOKIE: &str = "__Host-df_access";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "DataFortress API",
        description = "Multi-tenant sales automation and data orchestration. Errors are RFC 9457 \
                       problem+json; lists follow Refine's data-provider contract (see docs/API.md).",
        version = "0.1.0"
    ),
    components(schemas(kernel::Problem, kernel::ProblemCode, kernel::Scope)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "platform", description = "Health and readiness"),
        (name = "leads", description = "CRM leads: Refine's data provider, duplicates, trash, timeline, audit, settings"),
        (name = "pipelines", description = "Pipelines and their ordered stages"),
        (name = "outreach", description = "Cold-email sequences: mailboxes, campaigns, enrollments, the send log, suppressions, one-click unsubscribe"),
    )
)]
struct BaseDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "cookie_session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "HttpOnly session cookie set by POST /api/v1/auth/login",
            ))),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A scoped API key: `Authorization: Bearer dfk_…`"))
                    .build(),
            ),
        );
    }
}

pub fn base() -> utoipa::openapi::OpenApi {
    BaseDoc::openapi()
}

/// The whole document, built without a database or a running server.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(base())
        .configure(crate::server::mount_routes)
        .split_for_parts();
    let mut api = api;
    kernel::problem::document_problem_responses(&mut api);
    api
}

/// Pretty JSON, as committed in `web/openapi.json`.
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
