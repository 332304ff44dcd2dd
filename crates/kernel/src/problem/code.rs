//! Every problem code the API answers with, its HTTP status and its title, in one table.
//!
//! Clients switch on `code`; the OpenAPI document lists these values as an enum, so a
//! generated client knows them all. A code always has the same status. Add a row here when a
//! slice needs a new kind of refusal; never reuse a code for another meaning.

use actix_web::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! problem_codes {
    ($($variant:ident = ($status:ident, $code:literal, $title:literal);)*) => {
        /// A problem's stable code (its `type` URI ends with it).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ProblemCode {
            $(#[doc = $title] $variant,)*
        }

        impl ProblemCode {
            /// Every code, in table order.
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$variant,)*];

            pub const fn as_str(self) -> &'static str {
                match self { $(ProblemCode::$variant => $code,)* }
            }

            pub const fn status(self) -> StatusCode {
                match self { $(ProblemCode::$variant => StatusCode::$status,)* }
            }

            /// A short, human summary of this kind of problem (the problem's `title`).
            pub const fn title(self) -> &'static str {
                match self { $(ProblemCode::$variant => $title,)* }
            }
        }
    };
}

problem_codes! {
    // 400: the request cannot be read as sent.
    BadRequest = (BAD_REQUEST, "bad_request", "Bad request");
    MalformedJson = (BAD_REQUEST, "malformed_json", "Malformed JSON body");
    InvalidQuery = (BAD_REQUEST, "invalid_query", "Invalid query string");
    InvalidListQuery = (BAD_REQUEST, "invalid_list_query", "Invalid list query");
    InvalidMultipart = (BAD_REQUEST, "invalid_multipart", "Invalid multipart body");
    InvalidIfMatch = (BAD_REQUEST, "invalid_if_match", "Invalid If-Match header");
    InvalidCursor = (BAD_REQUEST, "invalid_cursor", "Invalid cursor");
    InvalidChannel = (BAD_REQUEST, "invalid_channel", "Invalid event channel");
    InvalidLastEventId = (BAD_REQUEST, "invalid_last_event_id", "Invalid Last-Event-ID");
    InvalidIdempotencyKey = (BAD_REQUEST, "invalid_idempotency_key", "Invalid Idempotency-Key");
    InvalidToken = (BAD_REQUEST, "invalid_token", "Invalid or expired token");
    // 401: who is calling is unknown or not believed.
    Unauthorized = (UNAUTHORIZED, "unauthorized", "Authentication required");
    InvalidCredentials = (UNAUTHORIZED, "invalid_credentials", "Invalid credentials");
    InvalidApiKey = (UNAUTHORIZED, "invalid_api_key", "Invalid API key");
    RefreshReused = (UNAUTHORIZED, "refresh_reused", "Refresh token reused");
    InvalidSignature = (UNAUTHORIZED, "invalid_signature", "Invalid webhook signature");
    // 403: known caller, not allowed.
    Forbidden = (FORBIDDEN, "forbidden", "Forbidden");
    CsrfRejected = (FORBIDDEN, "csrf_rejected", "Cross-site request refused");
    SignedUrlInvalid = (FORBIDDEN, "signed_url_invalid", "Signed URL invalid or expired");
    ScopeNotHeld = (FORBIDDEN, "scope_not_held", "Scope not held");
    // 404, 405, 406, 408, 411
    NotFound = (NOT_FOUND, "not_found", "Not found");
    RouteNotFound = (NOT_FOUND, "route_not_found", "No such route");
    MethodNotAllowed = (METHOD_NOT_ALLOWED, "method_not_allowed", "Method not allowed");
    NotAcceptable = (NOT_ACCEPTABLE, "not_acceptable", "Not acceptable");
    RequestTimeout = (REQUEST_TIMEOUT, "request_timeout", "Request timeout");
    LengthRequired = (LENGTH_REQUIRED, "length_required", "Length required");
    // 409: the request conflicts with the current state.
    DuplicateEmail = (CONFLICT, "duplicate_email", "Duplicate email");
    EmailTaken = (CONFLICT, "email_taken", "Email already registered");
    SlugTaken = (CONFLICT, "slug_taken", "Tenant slug taken");
    AlreadyMember = (CONFLICT, "already_member", "Already a member");
    AlreadyExists = (CONFLICT, "already_exists", "Already exists");
    InUse = (CONFLICT, "in_use", "Still in use");
    LastOwner = (CONFLICT, "last_owner", "The last owner cannot leave");
    VersionConflict = (CONFLICT, "version_conflict", "Version conflict");
    LeadErased = (CONFLICT, "lead_erased", "Lead erased");
    IdempotencyRequestInFlight = (CONFLICT, "idempotency_request_in_flight", "Request with this Idempotency-Key in flight");
    JobRunning = (CONFLICT, "job_running", "Job running");
    JobNotRetryable = (CONFLICT, "job_not_retryable", "Job cannot be retried");
    JobKeyWaiting = (CONFLICT, "job_key_waiting", "A job with this key is waiting");
    WebhookReplayed = (CONFLICT, "webhook_replayed", "Webhook replayed");
    ProjectSlugTaken = (CONFLICT, "project_slug_taken", "Project slug taken");
    FlowNameTaken = (CONFLICT, "flow_name_taken", "Flow name taken");
    ExecutionAlreadyExists = (CONFLICT, "execution_already_exists", "Execution already exists");
    ExecutionConflict = (CONFLICT, "execution_conflict", "Execution cannot do that now");
    TaskAlreadySettled = (CONFLICT, "task_already_settled", "Task already settled");
    AutomationRunExists = (CONFLICT, "automation_run_exists", "Automation run with this correlation id exists");
    AutomationRunFinished = (CONFLICT, "automation_run_finished", "Automation run already finished");
    ProposalNotOpen = (CONFLICT, "proposal_not_open", "Proposal cannot be decided now");
    CampaignNotReady = (CONFLICT, "campaign_not_ready", "Campaign cannot do that now");
    // 412, 413, 414, 415, 422, 429, 431
    PreconditionFailed = (PRECONDITION_FAILED, "precondition_failed", "Precondition failed");
    PayloadTooLarge = (PAYLOAD_TOO_LARGE, "payload_too_large", "Payload too large");
    UriTooLong = (URI_TOO_LONG, "uri_too_long", "URI too long");
    UnsupportedMediaType = (UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Unsupported media type");
    ValidationFailed = (UNPROCESSABLE_ENTITY, "validation_failed", "Validation failed");
    LineageCycle = (UNPROCESSABLE_ENTITY, "lineage_cycle", "Lineage cycle");
    IdempotencyKeyReused = (UNPROCESSABLE_ENTITY, "idempotency_key_reused", "Idempotency-Key reused with another request");
    RateLimited = (TOO_MANY_REQUESTS, "rate_limited", "Too many requests");
    LoginThrottled = (TOO_MANY_REQUESTS, "login_throttled", "Too many sign-in attempts");
    TooManyConnections = (TOO_MANY_REQUESTS, "too_many_connections", "Too many connections from this address");
    RequestHeaderFieldsTooLarge = (REQUEST_HEADER_FIELDS_TOO_LARGE, "request_header_fields_too_large", "Request headers too large");
    ClientError = (BAD_REQUEST, "client_error", "Request refused");
    // 5xx: never with internals.
    InternalError = (INTERNAL_SERVER_ERROR, "internal_error", "Internal error");
    DependencyDown = (SERVICE_UNAVAILABLE, "dependency_down", "A dependency is down");
    MailUnavailable = (SERVICE_UNAVAILABLE, "mail_unavailable", "Mail unavailable");
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ProblemCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::ProblemCode;

    #[test]
    fn the_wire_name_is_the_tables_code() {
        for code in ProblemCode::ALL {
            let wire = serde_json::to_value(code).unwrap_or_default();
            assert_eq!(wire, code.as_str(), "{code:?}");
        }
    }

    #[test]
    fn docs_api_lists_every_code_with_its_status() {
        let doc = include_str!("../../../../docs/API.md");
        for code in ProblemCode::ALL {
            let row = format!(
                "| `{}` | {} | {} |",
                code,
                code.status().as_u16(),
                code.title()
            );
            assert!(doc.contains(&row), "docs/API.md has no row {row}");
        }
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in ProblemCode::ALL {
            assert!(seen.insert(code.as_str()), "{code:?} twice");
        }
    }
}
