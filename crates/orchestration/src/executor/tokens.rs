//! Task tokens: what a `.waitForTaskToken` task hands its resource and a callback hands back.
//!
//! A token is derived from the attempt's idempotency key with a server secret (HMAC-SHA256),
//! so an attempt handed to its resource twice (after a crash) hands the same token both times
//! and nothing secret is stored: the database keeps only the token's SHA-256.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct TokenSigner {
    secret: Vec<u8>,
}

impl TokenSigner {
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self {
            secret: secret.into(),
        }
    }

    /// The token of the attempt with idempotency key `key`.
    pub fn token(&self, key: &str) -> String {
        // HMAC accepts keys of any length: new_from_slice cannot fail.
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.secret).unwrap_or_else(|_| unreachable!());
        // Domain-separated from every other use of the server secret.
        mac.update(b"datafortress task token\n");
        mac.update(key.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

/// What the database keeps of a token.
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_always_gives_the_same_token_and_keys_differ() {
        let signer = TokenSigner::new(b"secret".to_vec());
        assert_eq!(signer.token("e:S:1"), signer.token("e:S:1"));
        assert_ne!(signer.token("e:S:1"), signer.token("e:S:2"));
        assert_ne!(
            signer.token("e:S:1"),
            TokenSigner::new(b"other".to_vec()).token("e:S:1")
        );
        assert_eq!(hash("t").len(), 32);
    }
}
