//! What the application configures for this slice (from `JWT_KEYS`, `API_KEY_PEPPER`, …).

use std::time::Duration;

use secrecy::SecretString;

#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// `(kid, secret)`; the first signs, all verify.
    pub jwt_keys: Vec<(String, SecretString)>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// A refresh token presented again within this window (concurrent tabs) gets the same
    /// new token instead of revoking the session.
    pub refresh_grace: Duration,
    /// Server secret for API-key hashes (HMAC-SHA256) and refresh-token derivation.
    pub server_secret: SecretString,
    /// This deployment's public origin, e.g. `https://app.example.com`: the same-origin check
    /// on cookie-authenticated writes accepts it (and `allowed_origins`).
    pub public_url: String,
    pub allowed_origins: Vec<String>,
    /// Password hashes that may run at once.
    pub hash_concurrency: usize,
    pub invitation_ttl: Duration,
    pub reset_ttl: Duration,
}

impl AuthSettings {
    /// Parses `JWT_KEYS`: `kid:secret[,kid:secret…]`.
    pub fn parse_jwt_keys(text: &str) -> Result<Vec<(String, SecretString)>, String> {
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|pair| {
                let (kid, secret) = pair.split_once(':').ok_or_else(|| {
                    "JWT_KEYS: expected kid:secret pairs separated by commas".to_owned()
                })?;
                if kid.is_empty()
                    || !kid
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    return Err(format!("JWT_KEYS: invalid key id {kid:?}"));
                }
                Ok((kid.to_owned(), SecretString::from(secret.to_owned())))
            })
            .collect()
    }

    /// Defaults for tests and development (never for production: the app refuses them there).
    pub fn for_dev(public_url: &str) -> Self {
        Self {
            jwt_keys: vec![("dev".into(), SecretString::from(DEV_SECRET.to_owned()))],
            jwt_issuer: "datafortress".into(),
            jwt_audience: "datafortress-api".into(),
            access_ttl: Duration::from_secs(15 * 60),
            refresh_ttl: Duration::from_secs(30 * 24 * 3600),
            refresh_grace: Duration::from_secs(10),
            server_secret: SecretString::from(DEV_SECRET.to_owned()),
            public_url: public_url.to_owned(),
            allowed_origins: Vec::new(),
            hash_concurrency: 2,
            invitation_ttl: Duration::from_secs(7 * 24 * 3600),
            reset_ttl: Duration::from_secs(3600),
        }
    }
}

/// The development secret; production configuration must not use it.
pub const DEV_SECRET: &str = "dev-only-secret-change-me-0123456789abcdef";
