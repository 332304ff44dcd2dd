//! Request ids and the per-request span.
//!
//! `X-Request-Id` is accepted from the client when it is short visible ASCII, otherwise a new
//! one is made; it is echoed on the response, carried by the `http_request` span (with method,
//! route, status, latency and tenant) and put into every problem body. A task-local holds it so
//! error rendering deep in a handler can read it without threading the request through.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use tracing::field::Empty;
use tracing::Instrument;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served on this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// The request id, also available as a request extension.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

fn accept_client_id(value: &HeaderValue) -> Option<String> {
    let bytes = value.as_bytes();
    let ok = !bytes.is_empty() && bytes.len() <= 128 && bytes.iter().all(|b| b.is_ascii_graphic());
    ok.then(|| String::from_utf8_lossy(bytes).into_owned())
}

/// Records the tenant on the current request span once the principal is known.
pub fn record_tenant(tenant_id: &uuid::Uuid) {
    tracing::Span::current().record("tenant_id", tracing::field::display(tenant_id));
}

/// Middleware (use with `actix_web::middleware::from_fn`): request id, span, access log line.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(accept_client_id)
        .unwrap_or_else(|| uuid::Uuid::now_v7().simple().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));

    let span = tracing::info_span!(
        "http_request",
        otel.name = Empty,
        otel.kind = "server",
        http.request.method = %req.method(),
        http.route = Empty,
        http.response.status_code = Empty,
        latency_ms = Empty,
        tenant_id = Empty,
        request_id = %id,
    );
    let started = Instant::now();
    let result = REQUEST_ID
        .scope(id.clone(), next.call(req).instrument(span.clone()))
        .await;

    let mut res = match result {
        Ok(res) => res,
        Err(err) => {
            // An error the server renders itself (a middleware's refusal after routing).
            let status = err.as_response_error().status_code().as_u16();
            span.record("http.response.status_code", status);
            span.in_scope(|| tracing::warn!(status, error = %err, "request refused"));
            return Err(err);
        }
    };
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_owned());
    let status = res.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.record("http.route", route.as_str());
    span.record("otel.name", format!("{} {route}", res.request().method()));
    span.record("http.response.status_code", status);
    span.record("latency_ms", latency_ms);
    span.in_scope(|| {
        if status == 503 {
            // A dependency known to be down: expected, already logged where it was found.
            tracing::warn!(status, latency_ms, "request refused: a dependency is down");
        } else if status >= 500 {
            tracing::error!(status, latency_ms, "request failed");
        } else {
            tracing::info!(status, latency_ms, "request served");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    Ok(res)
}
