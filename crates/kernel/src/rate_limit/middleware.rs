//! The actix middleware: one policy over a scope, the subject chosen per request.
//!
//! `scope.wrap(RateLimit::new(limiter, policy))` limits each tenant (or, before sign-in,
//! each client address) separately; `.with_subject(f)` picks another subject.

use std::future::{ready, Future, Ready};
use std::rc::Rc;
use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, ResponseError};
use futures_util::future::LocalBoxFuture;

use super::{Policy, RateLimiter};
use crate::tenancy::{Authenticator, Principal};

type SubjectFn = Arc<dyn Fn(HttpRequest) -> LocalBoxFuture<'static, String> + Send + Sync>;
type PathFilter = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// Middleware applying one [`Policy`] to every request of the scope it wraps.
#[derive(Clone)]
pub struct RateLimit {
    limiter: RateLimiter,
    policy: Arc<Policy>,
    subject: SubjectFn,
    applies_to: PathFilter,
}

impl RateLimit {
    /// Limits per tenant, or per client address for unauthenticated requests
    /// (see [`tenant_or_peer`]).
    pub fn new(limiter: RateLimiter, policy: Policy) -> Self {
        Self {
            limiter,
            policy: Arc::new(policy),
            subject: Arc::new(|req| Box::pin(tenant_or_peer(req))),
            applies_to: Arc::new(|_| true),
        }
    }

    /// Limits only requests whose path satisfies `applies_to` (a route class wrapped around
    /// the whole app, e.g. every path under `/api/`); others pass untouched.
    pub fn for_paths(mut self, applies_to: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        self.applies_to = Arc::new(applies_to);
        self
    }

    /// Limits per whatever `subject` returns for the request.
    pub fn with_subject<F, Fut>(mut self, subject: F) -> Self
    where
        F: Fn(HttpRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = String> + 'static,
    {
        self.subject = Arc::new(move |req| Box::pin(subject(req)));
        self
    }
}

/// `tenant:<id>` for an authenticated request, `ip:<peer address>` otherwise.
///
/// The principal is taken from the request's extensions, or resolved with the installed
/// authenticator (and kept in the extensions, so the handler does not resolve it again).
/// The address is the TCP peer's: `X-Forwarded-For` is not trusted, as for sign-in throttling.
pub async fn tenant_or_peer(req: HttpRequest) -> String {
    let known = req.extensions().get::<Principal>().map(|p| p.tenant_id);
    let tenant = match known {
        Some(tenant) => Some(tenant),
        None if req
            .app_data::<actix_web::web::Data<dyn Authenticator>>()
            .is_some() =>
        {
            Principal::extract(&req).await.ok().map(|p| p.tenant_id)
        }
        None => None,
    };
    match (tenant, req.peer_addr()) {
        (Some(tenant), _) => format!("tenant:{tenant}"),
        (None, Some(peer)) => format!("ip:{}", peer.ip()),
        (None, None) => "ip:unknown".to_owned(),
    }
}

impl<S, B> Transform<S, ServiceRequest> for RateLimit
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = RateLimitService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RateLimitService {
            service: Rc::new(service),
            limit: self.clone(),
        }))
    }
}

pub struct RateLimitService<S> {
    service: Rc<S>,
    limit: RateLimit,
}

impl<S, B> Service<ServiceRequest> for RateLimitService<S>
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
        let limit = self.limit.clone();
        Box::pin(async move {
            if !(limit.applies_to)(req.path()) {
                return Ok(service.call(req).await?.map_into_left_body());
            }
            let subject = (limit.subject)(req.request().clone()).await;
            let decision = limit.limiter.check(&limit.policy, &subject).await;
            if let Some(problem) = decision.problem() {
                let mut res = problem.error_response();
                decision.apply_headers(&limit.policy, res.headers_mut());
                return Ok(req.into_response(res).map_into_right_body());
            }
            let mut res = service.call(req).await?;
            decision.apply_headers(&limit.policy, res.headers_mut());
            Ok(res.map_into_left_body())
        })
    }
}
