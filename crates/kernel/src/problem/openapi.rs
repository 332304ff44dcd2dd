//! The problem responses of every operation, registered once.
//!
//! Routes document the answers that belong to what they do (a 409 `duplicate_email`, a 412);
//! the ones that follow from the platform are added here from the operation's shape, each a
//! reference to one shared response whose body is the [`super::Problem`] schema:
//!
//! | the operation… | answers it may give |
//! |---|---|
//! | is under `/api/` | 429 (rate limit), 503 (a dependency is down) |
//! | needs a session or an API key | 401, 403 |
//! | takes a body | 400, 413, 415, 422 |
//! | names something in its path | 404 |
//!
//! A status a route documented itself is kept as written.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// (status, shared response name, description)
const SHARED: &[(&str, &str, &str)] = &[
    (
        "400",
        "BadRequest",
        "The request could not be read (`bad_request`, `malformed_json`, `invalid_query`, …).",
    ),
    (
        "401",
        "Unauthorized",
        "No valid session cookie or API key (`unauthorized`, `invalid_api_key`).",
    ),
    (
        "403",
        "Forbidden",
        "The caller lacks the scope or role this needs (`forbidden`, `csrf_rejected`).",
    ),
    (
        "404",
        "NotFound",
        "Nothing with this id in the caller's tenant (`not_found`).",
    ),
    (
        "413",
        "PayloadTooLarge",
        "The body is larger than the server accepts (`payload_too_large`).",
    ),
    (
        "415",
        "UnsupportedMediaType",
        "The body's content type is not accepted (`unsupported_media_type`).",
    ),
    (
        "422",
        "ValidationFailed",
        "A field is invalid; `errors` names each one (`validation_failed`).",
    ),
    (
        "429",
        "RateLimited",
        "Too many requests; `Retry-After` says when to retry (`rate_limited`).",
    ),
    (
        "503",
        "DependencyDown",
        "PostgreSQL or Redis is unreachable; retry later (`dependency_down`).",
    ),
];

/// Adds the shared problem responses to `components` and to every operation they apply to.
pub fn document_problem_responses(api: &mut OpenApi) {
    let components = api.components.get_or_insert_with(Default::default);
    for (_, name, description) in SHARED {
        components
            .responses
            .insert((*name).to_owned(), RefOr::T(problem_response(description)));
    }
    for (path, item) in api.paths.paths.iter_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            for status in applicable(path, operation) {
                add_shared(operation, status);
            }
        }
    }
}

fn applicable(path: &str, operation: &Operation) -> Vec<&'static str> {
    let mut statuses = Vec::new();
    if path.starts_with("/api/") {
        statuses.extend(["429", "503"]);
    }
    let secured = operation
        .security
        .as_ref()
        .is_some_and(|requirements| !requirements.is_empty());
    if secured {
        statuses.extend(["401", "403"]);
    }
    if operation.request_body.is_some() {
        statuses.extend(["400", "413", "415", "422"]);
    }
    let names_something = operation
        .parameters
        .iter()
        .flatten()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path));
    if names_something {
        statuses.push("404");
    }
    statuses
}

fn add_shared(operation: &mut Operation, status: &str) {
    let Some((_, name, _)) = SHARED.iter().find(|(s, _, _)| *s == status) else {
        return;
    };
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
}

fn problem_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            super::PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}
