//! Shared state of the slice and the `Authenticator` every slice's `Principal` comes from.

use std::sync::Arc;

use actix_web::http::Method;
use actix_web::HttpRequest;
use kernel::cache::Cache;
use kernel::mail::SharedMailer;
use kernel::tenancy::{Authenticator, Principal};
use kernel::{Problem, ProblemCode};
use sqlx::PgPool;

use crate::cookies::ACCESS_COOKIE;
use crate::jwt::{AccessClaims, JwtKeys};
use crate::password::PasswordHasher;
use crate::settings::AuthSettings;

pub struct AuthState {
    /// `GET /auth/me` identities (user, tenant, memberships) for a few seconds: the page
    /// polls it, and names change rarely. Role, permissions and revocation are never cached.
    pub identities: moka::sync::Cache<(uuid::Uuid, uuid::Uuid), Arc<crate::store::users::Identity>>,
    pub settings: AuthSettings,
    pub jwt: JwtKeys,
    pub hasher: PasswordHasher,
    pub db: PgPool,
    pub cache: Cache,
    pub mailer: SharedMailer,
}

impl AuthState {
    pub fn new(
        settings: AuthSettings,
        db: PgPool,
        cache: Cache,
        mailer: SharedMailer,
    ) -> Result<Arc<Self>, String> {
        let jwt = JwtKeys::new(
            &settings.jwt_keys,
            &settings.jwt_issuer,
            &settings.jwt_audience,
        )?;
        let hasher = PasswordHasher::new(settings.hash_concurrency);
        let identities = moka::sync::Cache::builder()
            .max_capacity(100_000)
            .time_to_live(std::time::Duration::from_secs(5))
            .build();
        Ok(Arc::new(Self {
            identities,
            settings,
            jwt,
            hasher,
            db,
            cache,
            mailer,
        }))
    }

    /// Drops cached identities after a membership changed on this instance (other instances
    /// catch up within the cache's five seconds).
    pub fn forget_identities(&self) {
        self.identities.invalidate_all();
    }

    /// Checks the access cookie: signature, expiry, audience, then (see [`crate::access`])
    /// that its session is live and its holder still a member; the principal carries the
    /// role the holder has now.
    async fn authenticate_cookie(&self, req: &HttpRequest) -> Result<Principal, Problem> {
        let cookie = req
            .cookie(ACCESS_COOKIE)
            .ok_or_else(|| Problem::unauthorized("Sign in first."))?;
        let claims = self
            .jwt
            .verify(cookie.value())
            .ok_or_else(|| Problem::unauthorized("The session is invalid or has expired."))?;
        if !is_safe(req.method()) {
            self.check_same_origin(req)?;
        }
        let role = crate::access::check(self, &claims).await?;
        Ok(AccessClaims { role, ..claims }.principal())
    }

    /// CSRF defence for cookie-authenticated writes: the browser must say the request comes
    /// from our own origin (`Origin`, or `Sec-Fetch-Site: same-origin`).
    pub fn check_same_origin(&self, req: &HttpRequest) -> Result<(), Problem> {
        let headers = req.headers();
        if headers
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"same-origin")
        {
            return Ok(());
        }
        let origin = headers.get("origin").and_then(|v| v.to_str().ok());
        let ours = |o: &str| {
            let o = o.trim_end_matches('/');
            o == self.settings.public_url.trim_end_matches('/')
                || self
                    .settings
                    .allowed_origins
                    .iter()
                    .any(|a| a.trim_end_matches('/') == o)
        };
        match origin {
            Some(o) if ours(o) => Ok(()),
            _ => Err(Problem::new(
                ProblemCode::CsrfRejected,
                "Cross-site request refused: the Origin is not this application's.",
            )),
        }
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub(crate) fn redis_down(err: redis::RedisError) -> Problem {
    tracing::error!(error = %err, "redis unavailable for authentication");
    Problem::new(
        ProblemCode::DependencyDown,
        "Authentication is temporarily unavailable.",
    )
}

#[async_trait::async_trait(?Send)]
impl Authenticator for AuthState {
    async fn authenticate(&self, req: &HttpRequest) -> Result<Principal, Problem> {
        let bearer = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            // The scheme is case-insensitive (RFC 9110 §11.1).
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, key)| key);
        match bearer {
            Some(key) => crate::store::api_keys::authenticate(self, key.trim()).await,
            None => self.authenticate_cookie(req).await,
        }
    }
}
