//! The request guard: what every request passes before any slice sees it, so that no slice,
//! present or future, has to remember it.
//!
//! - A query string must percent-decode to UTF-8 (400 `invalid_query`): `%FF` is refused,
//!   not read as U+FFFD.
//! - A body announced (`Content-Length`) above the limit is refused before it is read (413):
//!   `MAX_BODY_BYTES`, or for multipart uploads `MAX_UPLOAD_BYTES` (`MAX_OBJECT_UPLOAD_BYTES`
//!   for a project's layer files; a route may hold its uploads to less while it reads them).
//! - The body must arrive within `HTTP_BODY_TIMEOUT_SECONDS` (408 `request_timeout`), plus a
//!   second per [`MIN_BODY_RATE`] bytes it announces (a large upload on a slow link is not a
//!   slow-body attack; how many such connections one client holds is capped), and the
//!   whole request (body and handler) within `HTTP_REQUEST_TIMEOUT_SECONDS` (503 with
//!   `Retry-After`): a client sending a byte a second holds its connection only that long.
//! - A JSON body is read here once and refused with 422 when any string in it (key or value)
//!   holds a NUL character, naming the field: PostgreSQL cannot store NUL in text, and no
//!   slice should have to find that out.
//! - While PostgreSQL is known down ([`kernel::db::DbHealth`]), API requests are answered
//!   503 `dependency_down` with `Retry-After` at once, rather than after the pool's timeout.
//! - A client address holding more than `HTTP_MAX_CONNECTIONS_PER_CLIENT` connections is
//!   answered 429 `too_many_connections` (see [`connections`]); `/health` and `/ready` are
//!   exempt, so probes are answered under that load.

mod body;
pub mod connections;

use std::rc::Rc;
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{mime, HttpMessage, ResponseError};
use kernel::{Problem, ProblemCode};

pub use connections::{ClientConnections, ConnectionSlot};

/// The guard's limits (from the configuration) and what it knows of PostgreSQL.
#[derive(Clone, Debug)]
pub struct Limits {
    pub db: kernel::db::DbHealth,
    /// The largest body outside multipart uploads.
    pub max_body_bytes: usize,
    /// The largest multipart upload.
    pub max_upload_bytes: usize,
    /// Layer file uploads (`…/layers/bronze/objects`) may be this large instead.
    pub max_object_upload_bytes: u64,
    /// How long the whole body may take to arrive.
    pub body_timeout: Duration,
    /// How long a request may take from its head to its response.
    pub request_timeout: Duration,
}

/// Paths that are answered whatever the connection count: the probes.
fn is_probe(path: &str) -> bool {
    matches!(path, "/health" | "/ready")
}

/// The middleware (mount with `actix_web::middleware::from_fn` over a closure holding
/// [`Limits`]).
pub async fn guard(
    limits: Rc<Limits>,
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if let Some(problem) = refuse_before_reading(&limits, &req) {
        return Ok(answer(req, &problem, true));
    }
    let allowance = upload_allowance(&req);
    // Most requests (GETs) carry no body: nothing to wait for, no timer to arm.
    if has_body(&req) {
        let payload = body::with_deadline(req.take_payload(), limits.body_timeout + allowance);
        if body::is_json(&req) {
            match body::read_json(payload, limits.max_body_bytes).await {
                Ok(bytes) => req.set_payload(Payload::from(bytes)),
                // A NUL refusal read the whole body: the connection can serve the next request.
                Err(problem) => {
                    let unread = problem.code != ProblemCode::ValidationFailed;
                    return Ok(answer(req, &problem, unread));
                }
            }
        } else {
            req.set_payload(payload);
        }
    }
    // Past this point the request belongs to the router (which needs it unshared), so a
    // refusal is returned as an error, rendered as its problem by the server.
    let needs_db = needs_db(req.path());
    let run = async {
        tokio::select! {
            res = next.call(req) => res.map(ServiceResponse::map_into_boxed_body),
            () = limits.db.went_down(), if needs_db => Err(in_request(db_down()).into()),
        }
    };
    match tokio::time::timeout(limits.request_timeout + allowance, run).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!("request deadline passed: the request was abandoned");
            let problem = Problem::new(
                ProblemCode::DependencyDown,
                "The request took too long to process; try again.",
            )
            .with_retry_after(1);
            Err(in_request(problem).into())
        }
    }
}

/// `problem` carrying the request id now, as it is rendered outside the request's scope.
fn in_request(mut problem: Problem) -> Problem {
    problem.request_id = kernel::telemetry::current_request_id();
    problem
}

/// API paths need PostgreSQL (the OpenAPI document does not).
fn needs_db(path: &str) -> bool {
    path.starts_with("/api/") && path != "/api/openapi.json"
}

fn db_down() -> Problem {
    Problem::new(
        ProblemCode::DependencyDown,
        "The database is unavailable; try again shortly.",
    )
    .with_retry_after(1)
}

/// What can be refused from the head alone.
fn refuse_before_reading(limits: &Limits, req: &ServiceRequest) -> Option<Problem> {
    if !is_probe(req.path()) {
        if let Some(slot) = req.conn_data::<ConnectionSlot>() {
            if slot.over_limit() {
                return Some(
                    Problem::new(
                        ProblemCode::TooManyConnections,
                        "This address holds too many open connections; close some and retry.",
                    )
                    .with_retry_after(1),
                );
            }
        }
    }
    if let Some(problem) = invalid_query(req.query_string()) {
        return Some(problem);
    }
    if needs_db(req.path()) && limits.db.is_down() {
        return Some(db_down());
    }
    let multipart = req
        .mime_type()
        .ok()
        .flatten()
        .is_some_and(|m| m.type_() == mime::MULTIPART);
    let limit = if multipart && is_layer_upload(req.path()) {
        limits.max_object_upload_bytes
    } else if multipart {
        limits.max_upload_bytes as u64
    } else {
        limits.max_body_bytes as u64
    };
    match announced_length(req) {
        Some(Err(())) => Some(Problem::new(
            ProblemCode::BadRequest,
            "The Content-Length header is not a number.",
        )),
        Some(Ok(len)) if len > limit => Some(Problem::new(
            ProblemCode::PayloadTooLarge,
            format!("The request body is too large (at most {limit} bytes)."),
        )),
        _ => None,
    }
}

/// A project's layer upload: large files are its purpose (the route holds them to the limit
/// while it streams them to the object store).
fn is_layer_upload(path: &str) -> bool {
    path.starts_with("/api/v1/projects/") && path.ends_with("/layers/bronze/objects")
}

/// The slowest sending rate a large body is given time for, in bytes per second.
pub const MIN_BODY_RATE: u64 = 256 * 1024;

/// Extra time for a body of the announced length to arrive at [`MIN_BODY_RATE`].
fn upload_allowance(req: &ServiceRequest) -> Duration {
    match announced_length(req) {
        Some(Ok(len)) => Duration::from_secs(len / MIN_BODY_RATE),
        _ => Duration::ZERO,
    }
}

/// Whether a body follows the head (announced, or chunked).
fn has_body(req: &ServiceRequest) -> bool {
    matches!(announced_length(req), Some(Ok(len)) if len > 0)
        || req.headers().contains_key(header::TRANSFER_ENCODING)
}

fn announced_length(req: &ServiceRequest) -> Option<Result<u64, ()>> {
    let value = req.headers().get(header::CONTENT_LENGTH)?;
    Some(
        value
            .to_str()
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .ok_or(()),
    )
}

/// 400 when a name or value of the query string does not percent-decode to UTF-8.
fn invalid_query(query: &str) -> Option<Problem> {
    let bad = query
        .split('&')
        .flat_map(|pair| pair.split('='))
        .any(|part| {
            percent_encoding::percent_decode(part.as_bytes())
                .decode_utf8()
                .is_err()
        });
    bad.then(|| {
        Problem::new(
            ProblemCode::InvalidQuery,
            "The query string is not valid UTF-8 once percent-decoded.",
        )
    })
}

/// Answers with `problem` without running the route. A refusal made before the body was read
/// closes the connection, so that the unread body is not taken for the next request.
fn answer(req: ServiceRequest, problem: &Problem, close: bool) -> ServiceResponse<BoxBody> {
    let (http, _) = req.into_parts();
    let mut res = problem.error_response();
    if close {
        res.head_mut()
            .set_connection_type(actix_web::http::ConnectionType::Close);
    }
    ServiceResponse::new(http, res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_that_decodes_to_utf8_passes() {
        assert!(invalid_query("").is_none());
        assert!(invalid_query("q=caf%C3%A9&_start=0&x").is_none());
        assert!(invalid_query("name=a+b&tags[]=%E2%9C%93").is_none());
    }

    #[test]
    fn large_bodies_get_time_to_arrive_at_the_slowest_rate_allowed() {
        let with_length = |len: &str| {
            actix_web::test::TestRequest::default()
                .insert_header((header::CONTENT_LENGTH, len))
                .to_srv_request()
        };
        assert_eq!(upload_allowance(&with_length("100")), Duration::ZERO);
        assert_eq!(
            upload_allowance(&with_length("52428800")),
            Duration::from_secs(200)
        );
        let none = actix_web::test::TestRequest::default().to_srv_request();
        assert_eq!(upload_allowance(&none), Duration::ZERO);
    }

    #[test]
    fn a_query_with_invalid_utf8_is_refused() {
        for q in ["q=%FF", "%FF=1", "a=1&b=%C3", "q=%ED%A0%80"] {
            let problem = invalid_query(q).unwrap_or_else(|| panic!("{q} passed"));
            assert_eq!(problem.code, ProblemCode::InvalidQuery);
        }
    }
}
