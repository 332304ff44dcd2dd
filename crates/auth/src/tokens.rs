//! Opaque tokens (refresh tokens, invitations, password resets): `base64url(scope ‖ id ‖
//! secret)`. The scope (a tenant or a user id) lets the server open the right row-level
//! security context before the lookup; only a SHA-256 of the secret is stored, and it is
//! compared in constant time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpaqueToken {
    pub scope: Uuid,
    pub id: Uuid,
    secret: [u8; 32],
}

impl OpaqueToken {
    pub fn generate(scope: Uuid) -> Self {
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        Self {
            scope,
            id: Uuid::new_v4(),
            secret,
        }
    }

    pub fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(self.scope.as_bytes());
        bytes.extend_from_slice(self.id.as_bytes());
        bytes.extend_from_slice(&self.secret);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// `None` for anything that is not exactly a token of this shape.
    pub fn decode(text: &str) -> Option<Self> {
        if text.len() != 86 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        let bytes: [u8; 64] = bytes.try_into().ok()?;
        let mut secret = [0u8; 32];
        secret.copy_from_slice(&bytes[32..]);
        Some(Self {
            scope: Uuid::from_slice(&bytes[..16]).ok()?,
            id: Uuid::from_slice(&bytes[16..32]).ok()?,
            secret,
        })
    }

    /// What is stored in place of the secret.
    pub fn secret_hash(&self) -> Vec<u8> {
        Sha256::digest(self.secret).to_vec()
    }

    /// Constant-time comparison with a stored hash.
    pub fn matches(&self, stored_hash: &[u8]) -> bool {
        self.secret_hash().ct_eq(stored_hash).into()
    }

    /// The token that replaces this one on rotation: derived with a server key, so it can be
    /// recomputed (for concurrent refreshes in the grace window) but not guessed.
    pub fn successor(&self, server_key: &[u8]) -> Self {
        let derive = |label: &[u8]| {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(server_key)
                .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
            mac.update(b"datafortress/refresh-successor/");
            mac.update(label);
            mac.update(self.id.as_bytes());
            mac.update(&self.secret);
            mac.finalize().into_bytes()
        };
        let id_bytes = derive(b"id");
        let mut id = [0u8; 16];
        id.copy_from_slice(&id_bytes[..16]);
        let mut secret = [0u8; 32];
        secret.copy_from_slice(&derive(b"secret"));
        Self {
            scope: self.scope,
            id: uuid::Builder::from_random_bytes(id).into_uuid(),
            secret,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let t = OpaqueToken::generate(Uuid::new_v4());
        assert_eq!(OpaqueToken::decode(&t.encode()), Some(t.clone()));
        assert!(OpaqueToken::decode("nope").is_none());
        assert!(OpaqueToken::decode(&"A".repeat(86)).is_some_and(|x| !x.matches(&t.secret_hash())));
        assert!(t.matches(&t.secret_hash()));
    }

    #[test]
    fn successor_is_deterministic_per_key() {
        let t = OpaqueToken::generate(Uuid::new_v4());
        assert_eq!(t.successor(b"k1"), t.successor(b"k1"));
        assert_ne!(t.successor(b"k1"), t.successor(b"k2"));
        assert_ne!(t.successor(b"k1").id, t.id);
        assert_eq!(t.successor(b"k1").scope, t.scope);
    }
}
