//! RFC 9457 `application/problem+json`: the one error shape every response uses.
//!
//! Slices keep their own `thiserror` enums and convert them into [`Problem`]; the
//! framework's own errors (unknown route, wrong method, bad JSON, body too large, wrong
//! content type) are converted by [`normalize_errors`], so a client only ever has to parse
//! one shape. Internal details are logged where the problem is made and never returned.

use std::collections::BTreeMap;

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::telemetry::current_request_id;

mod code;
mod openapi;

pub use code::ProblemCode;
pub use openapi::document_problem_responses;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Field name -> human-readable messages, as returned with 422 (and with 400 for lists).
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// An RFC 9457 problem document. `code` is stable and snake_case; clients switch on it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "https://datafortress.dev/problems/validation_failed",
    "title": "Unprocessable Entity",
    "status": 422,
    "detail": "The request body is not valid.",
    "code": "validation_failed",
    "request_id": "01J9Z3X4…",
    "errors": {"email": ["must be a valid email address"]}
}))]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub code: ProblemCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<FieldErrors>,
    /// RFC 9457 extension members (e.g. `checks` on a 503 from `/ready`).
    #[serde(flatten, skip_serializing_if = "serde_json::Map::is_empty")]
    #[schema(value_type = Object)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
    /// Seconds until a retry makes sense (rendered as the `Retry-After` header, not in the body).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem of kind `code` (its status and title come from the code table).
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self {
            type_uri: format!("https://datafortress.dev/problems/{code}"),
            title: code.title().to_owned(),
            status: code.status().as_u16(),
            detail: Some(detail.into()),
            code,
            request_id: None,
            errors: None,
            extensions: serde_json::Map::new(),
            retry_after: None,
        }
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(ProblemCode::Unauthorized, detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(ProblemCode::Forbidden, detail)
    }

    /// 404 for a resource that does not exist *in the caller's tenant*.
    pub fn not_found(what: &str) -> Self {
        Self::new(ProblemCode::NotFound, format!("{what} not found"))
    }

    /// 422 with a field -> messages map.
    pub fn validation(errors: FieldErrors) -> Self {
        Self::new(ProblemCode::ValidationFailed, "The request is not valid.").with_errors(errors)
    }

    pub fn too_many_requests(retry_after_secs: u64) -> Self {
        let mut p = Self::new(ProblemCode::RateLimited, "Too many requests; retry later.");
        p.retry_after = Some(retry_after_secs.max(1));
        p
    }

    /// A 500. The cause is logged here, once, with the request id; the body says nothing of it.
    pub fn internal(cause: &(dyn std::fmt::Display + '_)) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            ProblemCode::InternalError,
            "Something went wrong on our side. Quote the request_id when reporting it.",
        )
    }

    pub fn with_errors(mut self, errors: FieldErrors) -> Self {
        self.errors = Some(errors);
        self
    }

    /// Replaces the code (and the `type` URI, title and status that derive from it).
    pub fn with_code(self, code: ProblemCode) -> Self {
        Self {
            type_uri: format!("https://datafortress.dev/problems/{code}"),
            title: code.title().to_owned(),
            status: code.status().as_u16(),
            code,
            ..self
        }
    }

    /// Retries make sense after `secs` seconds (the `Retry-After` header).
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs.max(1));
        self
    }

    /// Adds an RFC 9457 extension member.
    pub fn with_extension(mut self, name: &str, value: serde_json::Value) -> Self {
        self.extensions.insert(name.to_owned(), value);
        self
    }

    /// One field, one message.
    pub fn with_field_error(mut self, field: &str, message: impl Into<String>) -> Self {
        self.errors
            .get_or_insert_with(BTreeMap::new)
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
        self
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn render(&self) -> HttpResponse {
        let mut body = self.clone();
        if body.request_id.is_none() {
            body.request_id = current_request_id();
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        if let Some(secs) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        res.body(json)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.code)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        Problem::status_code(self)
    }

    fn error_response(&self) -> HttpResponse {
        self.render()
    }
}

impl From<sqlx::Error> for Problem {
    /// PostgreSQL out of reach is a 503 the client may retry; anything else is a bug (500).
    fn from(err: sqlx::Error) -> Self {
        if crate::db::is_unreachable(&err) {
            tracing::warn!(error = %err, "PostgreSQL unreachable");
            return Problem::new(
                ProblemCode::DependencyDown,
                "The database is unavailable; try again shortly.",
            )
            .with_retry_after(1);
        }
        Problem::internal(&err)
    }
}

impl From<redis::RedisError> for Problem {
    fn from(err: redis::RedisError) -> Self {
        Problem::internal(&err)
    }
}

impl From<validator::ValidationErrors> for Problem {
    fn from(errs: validator::ValidationErrors) -> Self {
        Problem::validation(validation_messages(&errs))
    }
}

/// Flattens validator's nested errors into `a.b[0].c -> messages`.
pub fn validation_messages(errs: &validator::ValidationErrors) -> FieldErrors {
    fn walk(prefix: &str, errs: &validator::ValidationErrors, out: &mut FieldErrors) {
        use validator::ValidationErrorsKind as K;
        for (field, kind) in errs.errors() {
            let path = if prefix.is_empty() {
                field.to_string()
            } else {
                format!("{prefix}.{field}")
            };
            match kind {
                K::Field(list) => {
                    let msgs = out.entry(path).or_default();
                    for e in list {
                        msgs.push(match &e.message {
                            Some(m) => m.to_string(),
                            None => describe(e),
                        });
                    }
                }
                K::Struct(inner) => walk(&path, inner, out),
                K::List(items) => {
                    for (i, inner) in items {
                        walk(&format!("{path}[{i}]"), inner, out);
                    }
                }
            }
        }
    }
    let mut out = FieldErrors::new();
    walk("", errs, &mut out);
    out
}

fn describe(e: &validator::ValidationError) -> String {
    let p = |k: &str| e.params.get(k).map(|v| v.to_string());
    match e.code.as_ref() {
        "email" => "must be a valid email address".into(),
        "url" => "must be a valid URL".into(),
        "required" => "is required".into(),
        "length" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("length must be between {min} and {max}"),
            (Some(min), None) => format!("length must be at least {min}"),
            (None, Some(max)) => format!("length must be at most {max}"),
            _ => "has an invalid length".into(),
        },
        "range" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "is out of range".into(),
        },
        other => format!("is invalid ({other})"),
    }
}

/// Middleware that turns every error response the framework produced without a problem body
/// (unknown route, wrong method, payload too large, …) into problem+json, keeping its status.
pub fn normalize_errors<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(|res: ServiceResponse<B>| {
        let is_problem = res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
        if is_problem {
            return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
        }
        let status = res.status();
        let problem = framework_problem(status);
        let (req, old) = res.into_parts();
        let mut new = problem.render();
        // Keep headers the framework set for a reason (e.g. `Allow` on 405).
        for (name, value) in old.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                new.headers_mut().insert(name.clone(), value.clone());
            }
        }
        new.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        let res = ServiceResponse::new(req, new.map_into_boxed_body()).map_into_right_body();
        Ok(ErrorHandlerResponse::Response(res))
    })
}

fn framework_problem(status: StatusCode) -> Problem {
    use ProblemCode as C;
    let (code, detail) = match status.as_u16() {
        400 => (C::BadRequest, "The request could not be understood."),
        401 => (C::Unauthorized, "Authentication is required."),
        403 => (C::Forbidden, "You are not allowed to do this."),
        404 => (C::RouteNotFound, "No such route."),
        405 => (
            C::MethodNotAllowed,
            "This route does not accept that method.",
        ),
        406 => (C::NotAcceptable, "Cannot produce an acceptable response."),
        408 => (C::RequestTimeout, "The request took too long to arrive."),
        411 => (C::LengthRequired, "A Content-Length is required."),
        413 => (C::PayloadTooLarge, "The request body is too large."),
        414 => (C::UriTooLong, "The request URI is too long."),
        415 => (
            C::UnsupportedMediaType,
            "The request body has an unsupported content type.",
        ),
        431 => (
            C::RequestHeaderFieldsTooLarge,
            "The request headers are too large.",
        ),
        s if s >= 500 => {
            tracing::error!(status = s, "framework produced a server error");
            (
                C::InternalError,
                "Something went wrong on our side. Quote the request_id when reporting it.",
            )
        }
        _ => (C::ClientError, "The request was refused."),
    };
    let mut problem = Problem::new(code, detail);
    // A status the table has no code of its own for keeps its number.
    problem.status = status.as_u16();
    problem
}

/// JSON body extractor errors as problems: malformed 400, too large 413, wrong type 415.
pub fn json_config(limit: usize) -> actix_web::web::JsonConfig {
    use actix_web::error::JsonPayloadError as E;
    actix_web::web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| {
            let problem = match &err {
                E::OverflowKnownLength { .. } | E::Overflow { .. } => Problem::new(
                    ProblemCode::PayloadTooLarge,
                    "The request body is too large.",
                ),
                E::ContentType => Problem::new(
                    ProblemCode::UnsupportedMediaType,
                    "Send the body as application/json.",
                ),
                E::Deserialize(e) if e.is_data() => Problem::validation(FieldErrors::from([(
                    "body".to_owned(),
                    vec![e.to_string()],
                )])),
                E::Deserialize(e) => Problem::new(
                    ProblemCode::MalformedJson,
                    format!("The body is not valid JSON: {e}"),
                ),
                _ => Problem::new(
                    ProblemCode::BadRequest,
                    "The request body could not be read.",
                ),
            };
            problem.into()
        })
}

/// Query-string extractor errors as problems (400 naming the parameter).
pub fn query_config() -> actix_web::web::QueryConfig {
    actix_web::web::QueryConfig::default().error_handler(|err, _req| {
        Problem::new(
            ProblemCode::InvalidQuery,
            format!("Invalid query string: {err}"),
        )
        .into()
    })
}

/// Path-segment extractor errors (e.g. a malformed UUID) as a 404: the id names nothing.
pub fn path_config() -> actix_web::web::PathConfig {
    actix_web::web::PathConfig::default()
        .error_handler(|_err, _req| Problem::not_found("resource").into())
}

/// The problem for a multipart body that could not be read (uploads).
pub fn multipart_problem(err: actix_multipart::MultipartError) -> Problem {
    use actix_multipart::MultipartError;
    match err {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => Problem::new(
            ProblemCode::UnsupportedMediaType,
            "Send the upload as multipart/form-data.",
        ),
        MultipartError::Payload(_) => Problem::new(
            ProblemCode::PayloadTooLarge,
            "The upload is too large or was cut short.",
        ),
        other => Problem::new(
            ProblemCode::InvalidMultipart,
            format!("The multipart body could not be read: {other}"),
        ),
    }
}
