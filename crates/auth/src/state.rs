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

    /// Redis key naming a revoked access token.
    pub fn denied_jti_key(&self, jti: &uuid::Uuid) -> String {
        self.cache.key(&format!("auth:deny:jti:{jti}"))
    }

    /// Redis key naming a revoked session (all its access tokens).
    pub fn denied_session_key(&self, sid: &uuid::Uuid) -> String {
        self.cache.key(&format!("auth:deny:sid:{sid}"))
    }

    /// Redis key holding when (ms) a user's membership of a tenant last changed; access
    /// tokens issued before it carry a stale role and are refused (the client refreshes).
    pub fn membership_epoch_key(&self, tenant: &uuid::Uuid, user: &uuid::Uuid) -> String {
        self.cache.key(&format!("auth:epoch:{tenant}:{user}"))
    }

    /// Checks the access cookie: signature, expiry, audience, then revocation in Redis.
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
        self.check_not_revoked(&claims).await?;
        Ok(claims.principal())
    }

    async fn check_not_revoked(&self, claims: &AccessClaims) -> Result<(), Problem> {
        let mut conn = self.cache.conn().await.map_err(redis_down)?;
        let (jti, sid, epoch): (Option<String>, Option<String>, Option<i64>) = redis::cmd("MGET")
            .arg(self.denied_jti_key(&claims.jti))
            .arg(self.denied_session_key(&claims.sid))
            .arg(self.membership_epoch_key(&claims.tid, &claims.sub))
            .query_async(&mut conn)
            .await
            .map_err(redis_down)?;
        if jti.is_some() || sid.is_some() {
            return Err(Problem::unauthorized("The session has ended."));
        }
        if epoch.is_some_and(|e| claims.iat_ms < e) {
            return Err(Problem::unauthorized(
                "Your membership changed; refresh the session.",
            ));
        }
        Ok(())
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
