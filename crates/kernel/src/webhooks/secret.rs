//! A webhook signing secret: the HMAC key bytes, parsed once when config is loaded and never
//! printed (`Debug` shows `[REDACTED]`).

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use secrecy::{ExposeSecret, SecretSlice};

/// Standard base64 that accepts the secret with or without padding, as the reference
/// `standardwebhooks` library does.
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

const STANDARD_PREFIX: &str = "whsec_";

/// The key one provider signs with. A source has one, or two while its secret is rotated.
#[derive(Debug)]
pub struct WebhookSecret(SecretSlice<u8>);

#[derive(Debug, thiserror::Error)]
pub enum InvalidSecret {
    #[error("the webhook secret is empty")]
    Empty,
    #[error("the webhook secret is not base64 after `whsec_`")]
    NotBase64,
}

impl WebhookSecret {
    /// The Standard Webhooks form, `whsec_<base64 key>`: the key is the decoded bytes. The
    /// prefix is optional, as in the reference library.
    pub fn standard(encoded: &str) -> Result<Self, InvalidSecret> {
        let b64 = encoded.strip_prefix(STANDARD_PREFIX).unwrap_or(encoded);
        let key = LENIENT_BASE64
            .decode(b64)
            .map_err(|_| InvalidSecret::NotBase64)?;
        Self::from_bytes(key)
    }

    /// The key bytes as they are. Stripe-like providers key the HMAC with their whole secret
    /// string (`whsec_…` included, not decoded): `WebhookSecret::from_bytes(secret.as_bytes())`.
    pub fn from_bytes(key: impl Into<Vec<u8>>) -> Result<Self, InvalidSecret> {
        let key: Vec<u8> = key.into();
        if key.is_empty() {
            return Err(InvalidSecret::Empty);
        }
        Ok(Self(SecretSlice::from(key)))
    }

    pub(crate) fn key(&self) -> &[u8] {
        self.0.expose_secret()
    }
}

impl Clone for WebhookSecret {
    fn clone(&self) -> Self {
        Self(SecretSlice::from(self.key().to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_secret_decodes_with_or_without_prefix_and_padding() {
        let with_prefix = WebhookSecret::standard("whsec_c2VjcmV0").map(|s| s.key().to_vec());
        let bare = WebhookSecret::standard("c2VjcmV0").map(|s| s.key().to_vec());
        let unpadded = WebhookSecret::standard("whsec_c2VjcmV0MQ").map(|s| s.key().to_vec());

        assert_eq!(with_prefix.ok().as_deref(), Some(&b"secret"[..]));
        assert_eq!(bare.ok().as_deref(), Some(&b"secret"[..]));
        assert_eq!(unpadded.ok().as_deref(), Some(&b"secret1"[..]));
    }

    #[test]
    fn empty_or_undecodable_secrets_are_refused() {
        assert!(matches!(
            WebhookSecret::standard("whsec_"),
            Err(InvalidSecret::Empty)
        ));
        assert!(matches!(
            WebhookSecret::standard("whsec_not base64!"),
            Err(InvalidSecret::NotBase64)
        ));
        assert!(matches!(
            WebhookSecret::from_bytes(Vec::new()),
            Err(InvalidSecret::Empty)
        ));
    }

    #[test]
    fn debug_does_not_print_the_key() {
        let secret = WebhookSecret::from_bytes(&b"hunter2"[..]).map(|s| format!("{s:?}"));
        assert!(secret.is_ok_and(|s| !s.contains("hunter2")));
    }
}
