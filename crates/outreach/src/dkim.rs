//! DKIM signing of a mailbox's messages (RFC 6376, `rsa-sha256`, relaxed/relaxed).
//!
//! A mailbox gets a 2048-bit RSA key made here (or one the person brings, PKCS#1 or PKCS#8
//! PEM); the private key is sealed with the tenant's data key and the DNS record to publish is
//! shown (`<selector>._domainkey.<domain> TXT "v=DKIM1; k=rsa; p=…"`). The signature covers
//! From, To, Subject, Date, Message-ID, List-Unsubscribe and List-Unsubscribe-Post, so the
//! one-click unsubscribe headers cannot be stripped or changed on the way without breaking it.

use base64::Engine;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, LineEnding};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::RsaPrivateKey;

/// The purpose DKIM keys are sealed for (kernel secrets).
pub(crate) const DKIM_PURPOSE: &str = "outreach.dkim";

/// The headers every signature covers.
const SIGNED: &[&str] = &[
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

/// A key pair: the private key as PKCS#1 PEM, the public key as base64 DER (the DNS `p=`).
pub struct KeyPair {
    pub private_pem: String,
    pub public_base64: String,
}

/// Makes a new 2048-bit key (a second or so: run it off the async threads).
pub fn generate() -> Result<KeyPair, String> {
    let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).map_err(|e| e.to_string())?;
    pair(&key)
}

/// A key someone brings: PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`) PEM,
/// 1024 bits or more.
pub fn import(pem: &str) -> Result<KeyPair, String> {
    let key = RsaPrivateKey::from_pkcs1_pem(pem.trim())
        .or_else(|_| RsaPrivateKey::from_pkcs8_pem(pem.trim()))
        .map_err(|_| "must be an RSA private key in PEM (PKCS#1 or PKCS#8)".to_owned())?;
    if rsa::traits::PublicKeyParts::size(&key) < 128 {
        return Err("must be at least 1024 bits".into());
    }
    pair(&key)
}

fn pair(key: &RsaPrivateKey) -> Result<KeyPair, String> {
    let private_pem = key
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|e| e.to_string())?
        .to_string();
    let public = key
        .to_public_key()
        .to_public_key_der()
        .map_err(|e| e.to_string())?;
    Ok(KeyPair {
        private_pem,
        public_base64: base64::engine::general_purpose::STANDARD.encode(public.as_bytes()),
    })
}

/// The TXT record to publish for a public key.
pub fn dns_value(public_base64: &str) -> String {
    format!("v=DKIM1; k=rsa; p={public_base64}")
}

/// How a message is signed.
pub fn config(selector: &str, domain: &str, private_pem: &str) -> Result<DkimConfig, String> {
    let key = DkimSigningKey::new(private_pem, DkimSigningAlgorithm::Rsa)
        .map_err(|e| format!("DKIM key: {e}"))?;
    let headers = SIGNED
        .iter()
        .map(|h| HeaderName::new_from_ascii((*h).to_owned()).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DkimConfig::new(
        selector.to_owned(),
        domain.to_owned(),
        key,
        headers,
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imported_keys_round_trip_and_garbage_is_refused() {
        let made = generate().unwrap();
        let again = import(&made.private_pem).unwrap();
        assert_eq!(again.public_base64, made.public_base64);
        assert!(dns_value(&made.public_base64).starts_with("v=DKIM1; k=rsa; p=MII"));
        assert!(import("-----BEGIN RSA PRIVATE KEY-----\nnope\n").is_err());
        assert!(config("s1", "acme.test", &made.private_pem).is_ok());
    }
}
