//! Access tokens: HS256 JWTs (the only algorithm accepted), signed with the first key of
//! `JWT_KEYS` and verified with whichever key the `kid` header names, so keys rotate by
//! adding the new key first and dropping the old one after the access lifetime has passed.

use std::collections::HashMap;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use kernel::Role;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user.
    pub sub: Uuid,
    /// The tenant this session acts for.
    pub tid: Uuid,
    pub role: Role,
    /// The session (refresh-token family).
    pub sid: Uuid,
    pub jti: Uuid,
    pub iat: i64,
    /// Issued-at in milliseconds: compared with membership changes made in the same second.
    pub iat_ms: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

impl AccessClaims {
    /// The principal this (verified) token stands for; a user's scopes follow from its role.
    pub fn principal(&self) -> kernel::Principal {
        kernel::Principal {
            tenant_id: kernel::TenantId(self.tid),
            actor: kernel::tenancy::Actor::User(self.sub),
            role: self.role,
            scopes: std::sync::Arc::new(crate::permissions::scopes_for(self.role)),
        }
    }
}

pub struct JwtKeys {
    kid: String,
    signing: EncodingKey,
    verifying: HashMap<String, DecodingKey>,
    validation: Validation,
}

impl JwtKeys {
    /// `keys`: `(kid, secret)` pairs, the first one signs. Secrets must be ≥ 32 bytes.
    pub fn new(
        keys: &[(String, SecretString)],
        issuer: &str,
        audience: &str,
    ) -> Result<Self, String> {
        let Some((kid, first)) = keys.first() else {
            return Err("JWT_KEYS: at least one key is required".into());
        };
        for (kid, secret) in keys {
            if secret.expose_secret().len() < 32 {
                return Err(format!("JWT_KEYS: key {kid} is shorter than 32 bytes"));
            }
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = 5;
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Ok(Self {
            kid: kid.clone(),
            signing: EncodingKey::from_secret(first.expose_secret().as_bytes()),
            verifying: keys
                .iter()
                .map(|(k, s)| {
                    (
                        k.clone(),
                        DecodingKey::from_secret(s.expose_secret().as_bytes()),
                    )
                })
                .collect(),
            validation,
        })
    }

    pub fn sign(&self, claims: &AccessClaims) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.signing)
    }

    /// `None` for a token that is malformed, tampered with, expired, for another audience or
    /// issuer, signed with an unknown key, or using any other algorithm (`none` included).
    pub fn verify(&self, token: &str) -> Option<AccessClaims> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.alg != Algorithm::HS256 {
            return None;
        }
        let key = self.verifying.get(header.kid.as_deref()?)?;
        jsonwebtoken::decode::<AccessClaims>(token, key, &self.validation)
            .ok()
            .map(|data| data.claims)
    }
}
