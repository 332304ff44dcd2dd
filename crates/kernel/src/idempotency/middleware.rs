//! The actix middleware: `resource.wrap(Idempotency::new(db))` on the routes that create or
//! trigger work.
//!
//! The request body is read (within the app's `PayloadConfig` limit) to fingerprint it and
//! handed on to the handler unchanged. The response body is read up to a bound (1 MiB by
//! default) to keep it; a larger one is passed on as it streams and the key is released, so
//! such a route is simply not idempotent rather than half so.

use std::future::{poll_fn, ready, Ready};
use std::rc::Rc;
use std::time::Duration;

use actix_web::body::{BodySize, BodyStream, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Payload, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{Error, FromRequest, HttpMessage, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use sqlx::PgPool;

use super::store::{self, Claim, KeyScope, StoredResponse};
use super::{fingerprint, IdempotencyKey, IDEMPOTENCY_KEY, IDEMPOTENT_REPLAYED};
use crate::problem::Problem;
use crate::tenancy::{Authenticator, Principal};

/// The response headers kept and replayed with the body.
const KEPT_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::LOCATION, header::ETAG];

/// Middleware making the routes it wraps idempotent under `Idempotency-Key`.
#[derive(Clone)]
pub struct Idempotency {
    /// `None`: the app's `web::Data<PgPool>`, looked up per request (for slices that mount
    /// their routes before any pool exists).
    db: Option<PgPool>,
    ttl: Duration,
    in_flight_lease: Duration,
    max_response_bytes: usize,
}

impl Idempotency {
    /// Keeps responses for 24 hours, up to 1 MiB each; a claim lasts 5 minutes at most.
    pub fn new(db: PgPool) -> Self {
        Self {
            db: Some(db),
            ..Self::from_app_data()
        }
    }

    /// As [`Idempotency::new`], with the pool the app registered as `web::Data<PgPool>`.
    pub fn from_app_data() -> Self {
        Self {
            db: None,
            ttl: Duration::from_secs(24 * 60 * 60),
            in_flight_lease: Duration::from_secs(5 * 60),
            max_response_bytes: 1024 * 1024,
        }
    }

    /// How long a finished response is replayed.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// How long a running request holds its key if it never finishes (the process died);
    /// make it longer than the route's slowest request.
    pub fn in_flight_lease(mut self, lease: Duration) -> Self {
        self.in_flight_lease = lease;
        self
    }

    /// The largest response body kept; larger responses are passed on and not kept.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }
}

impl<S, B> Transform<S, ServiceRequest> for Idempotency
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = IdempotencyService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(IdempotencyService {
            service: Rc::new(service),
            config: Rc::new(self.clone()),
        }))
    }
}

pub struct IdempotencyService<S> {
    service: Rc<S>,
    config: Rc<Idempotency>,
}

impl<S, B> Service<ServiceRequest> for IdempotencyService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        let config = Rc::clone(&self.config);
        Box::pin(async move {
            let Some(raw_key) = req.headers().get(IDEMPOTENCY_KEY).cloned() else {
                return Ok(service.call(req).await?.map_into_left_body());
            };
            let Some(principal) = principal_of(&req).await else {
                return Ok(service.call(req).await?.map_into_left_body());
            };
            let key = match single_key(&req, &raw_key) {
                Ok(key) => key,
                Err(problem) => return Ok(refuse(req, &problem)),
            };
            let mut req = req;
            let body = match read_body(&mut req).await {
                Ok(body) => body,
                Err(problem) => return Ok(refuse(req, &problem)),
            };
            let content_type = req
                .headers()
                .get(header::CONTENT_TYPE)
                .map_or(&b""[..], HeaderValue::as_bytes);
            let db = match config.db.clone().or_else(|| {
                req.app_data::<actix_web::web::Data<PgPool>>()
                    .map(|d| d.get_ref().clone())
            }) {
                Some(db) => db,
                None => {
                    let problem = Problem::internal(&"Idempotency: no database pool registered");
                    return Ok(refuse(req, &problem));
                }
            };
            let claim = Claimed {
                db: db.clone(),
                scope: KeyScope {
                    tenant_id: principal.tenant_id,
                    key: key.as_str().to_owned(),
                    method: req.method().as_str().to_owned(),
                    path: req.path().to_owned(),
                },
                fingerprint: fingerprint(content_type, &body),
                settled: false,
            };
            req.set_payload(Payload::from(body));

            let mut claim = claim;
            let outcome = store::claim(
                &db,
                &claim.scope,
                &claim.fingerprint,
                config.in_flight_lease,
            )
            .await;
            if !matches!(outcome, Ok(Claim::Claimed)) {
                // Nothing was claimed by this request: dropping `claim` must not release the
                // key, which may be another request's, still running (same key, same body).
                claim.settled = true;
            }
            match outcome {
                Ok(Claim::Claimed) => run_and_keep(service, req, claim, &config).await,
                Ok(Claim::Replay(stored)) => Ok(replay(req, stored)),
                Ok(Claim::Mismatch) => Ok(refuse(req, &key_reused())),
                Ok(Claim::InFlight) => Ok(refuse(req, &in_flight())),
                Err(err) => Ok(refuse(req, &Problem::from(err))),
            }
        })
    }
}

/// The request's principal: already resolved, or resolved now with the installed
/// authenticator (and cached in the extensions, so the handler does not resolve it again).
async fn principal_of(req: &ServiceRequest) -> Option<Principal> {
    if let Some(principal) = req.extensions().get::<Principal>() {
        return Some(principal.clone());
    }
    req.app_data::<actix_web::web::Data<dyn Authenticator>>()?;
    Principal::extract(req.request()).await.ok()
}

/// The key, if the request carries exactly one valid one.
fn single_key(req: &ServiceRequest, raw: &HeaderValue) -> Result<IdempotencyKey, Problem> {
    if req.headers().get_all(IDEMPOTENCY_KEY).nth(1).is_some() {
        return Err(Problem::new(
            crate::ProblemCode::InvalidIdempotencyKey,
            "Send one Idempotency-Key header, not several.",
        ));
    }
    IdempotencyKey::parse(raw)
}

/// The whole request body, within the `PayloadConfig` limit in force for the route.
async fn read_body(req: &mut ServiceRequest) -> Result<Bytes, Problem> {
    let mut payload = req.take_payload();
    Bytes::from_request(req.request(), &mut payload)
        .await
        .map_err(|err| {
            if err.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::new(
                    crate::ProblemCode::PayloadTooLarge,
                    "The request body is too large.",
                )
            } else {
                Problem::new(
                    crate::ProblemCode::BadRequest,
                    "The request body could not be read.",
                )
            }
        })
}

/// Runs the handler for a claimed key, then keeps its response or releases the key.
async fn run_and_keep<S, B>(
    service: Rc<S>,
    req: ServiceRequest,
    mut claim: Claimed,
    config: &Idempotency,
) -> Result<ServiceResponse<EitherBody<B>>, Error>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    // On an error, or if this future is dropped (client gone, panic), `claim` releases the key.
    let res = service.call(req).await?;
    let status = res.status();
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        claim.release().await;
        return Ok(res.map_into_left_body());
    }

    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let body = match read_bounded(body, config.max_response_bytes).await? {
        Bounded::Complete(body) => body,
        Bounded::TooLarge(body) => {
            claim.release().await;
            let res = ServiceResponse::new(req, head.set_body(body));
            return Ok(res.map_into_right_body());
        }
    };
    let stored = StoredResponse {
        status: status.as_u16(),
        headers: KEPT_HEADERS
            .iter()
            .filter_map(|name| {
                let value = head.headers().get(name)?.to_str().ok()?;
                Some((name.as_str().to_owned(), value.to_owned()))
            })
            .collect(),
        body: body.to_vec(),
    };
    claim.complete(&stored, config.ttl).await;
    let res = ServiceResponse::new(req, head.set_body(body).map_into_boxed_body());
    Ok(res.map_into_right_body())
}

/// A claimed key that must end kept or released. Dropped unsettled (the handler failed, the
/// client went away, a panic unwound), it releases the key in a background task.
struct Claimed {
    db: PgPool,
    scope: KeyScope,
    fingerprint: Vec<u8>,
    settled: bool,
}

impl Claimed {
    async fn complete(&mut self, stored: &StoredResponse, ttl: Duration) {
        self.settled = true;
        let kept = store::complete(&self.db, &self.scope, &self.fingerprint, stored, ttl).await;
        if let Err(err) = kept {
            // The client has its answer; a retry will run the request again, as without a key.
            tracing::error!(error = %err, "could not keep an idempotent response");
            self.settled = false;
        }
    }

    async fn release(&mut self) {
        self.settled = true;
        if let Err(err) = store::release(&self.db, &self.scope, &self.fingerprint).await {
            tracing::error!(error = %err, "could not release an idempotency key");
        }
    }
}

impl Drop for Claimed {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return; // shutting down: the lease runs out instead
        };
        let (db, scope, fingerprint) = (
            self.db.clone(),
            self.scope.clone(),
            std::mem::take(&mut self.fingerprint),
        );
        runtime.spawn(async move {
            if let Err(err) = store::release(&db, &scope, &fingerprint).await {
                tracing::error!(error = %err, "could not release an idempotency key");
            }
        });
    }
}

enum Bounded {
    Complete(Bytes),
    /// Over the bound: what was read, followed by the rest of the body as it streams.
    TooLarge(BoxBody),
}

async fn read_bounded<B: MessageBody + 'static>(body: B, limit: usize) -> Result<Bounded, Error> {
    if matches!(body.size(), BodySize::Sized(n) if n > limit as u64) {
        return Ok(Bounded::TooLarge(BoxBody::new(body)));
    }
    let mut body = Box::pin(body);
    let mut read = BytesMut::new();
    while let Some(chunk) = poll_fn(|cx| body.as_mut().poll_next(cx)).await {
        let chunk = chunk.map_err(|err| actix_web::error::ErrorInternalServerError(err.into()))?;
        read.extend_from_slice(&chunk);
        if read.len() > limit {
            let rest = futures_util::stream::poll_fn(move |cx| body.as_mut().poll_next(cx))
                .map(|chunk| chunk.map_err(Into::into));
            let whole = futures_util::stream::once(ready(Ok::<_, Box<dyn std::error::Error>>(
                read.freeze(),
            )))
            .chain(rest);
            return Ok(Bounded::TooLarge(BoxBody::new(BodyStream::new(whole))));
        }
    }
    Ok(Bounded::Complete(read.freeze()))
}

fn replay<B>(req: ServiceRequest, stored: StoredResponse) -> ServiceResponse<EitherBody<B>> {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut res = HttpResponse::build(status);
    for (name, value) in &stored.headers {
        res.insert_header((name.as_str(), value.as_str()));
    }
    res.insert_header((IDEMPOTENT_REPLAYED, HeaderValue::from_static("true")));
    req.into_response(res.body(stored.body))
        .map_into_right_body()
}

fn refuse<B>(req: ServiceRequest, problem: &Problem) -> ServiceResponse<EitherBody<B>> {
    req.into_response(problem.error_response())
        .map_into_right_body()
}

fn key_reused() -> Problem {
    Problem::new(
        crate::ProblemCode::IdempotencyKeyReused,
        "This Idempotency-Key was used with a different request body; use a new key.",
    )
}

fn in_flight() -> Problem {
    Problem::new(
        crate::ProblemCode::IdempotencyRequestInFlight,
        "A request with this Idempotency-Key is still being processed; retry later.",
    )
}
