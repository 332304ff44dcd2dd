//! A key's format and what is stored in its place (see the module above for why).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

/// What every key starts with.
pub const KEY_PREFIX: &str = "dfk_";
/// `dfk_` and 43 base64url characters (32 bytes, unpadded).
pub const KEY_LEN: usize = 47;
/// How much of a key is kept in clear and shown in lists.
pub const DISPLAY_PREFIX_LEN: usize = 12;

/// A new random key, in full (shown to its creator once, never stored).
pub fn generate_secret() -> SecretString {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    SecretString::from(format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// The part of a key shown in lists.
pub fn display_prefix(key: &str) -> &str {
    key.get(..DISPLAY_PREFIX_LEN).unwrap_or(key)
}

/// True only for something shaped like a key this server issues; checked before any I/O.
pub fn is_well_formed(key: &str) -> bool {
    key.len() == KEY_LEN
        && key.strip_prefix(KEY_PREFIX).is_some_and(|body| {
            URL_SAFE_NO_PAD
                .decode(body)
                .is_ok_and(|bytes| bytes.len() == 32)
        })
}

/// What is stored in place of the key.
pub fn key_hash(server_secret: &SecretString, key: &str) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(server_secret.expose_secret().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(key.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_are_well_formed_and_distinct() {
        let a = generate_secret();
        let b = generate_secret();
        assert!(is_well_formed(a.expose_secret()));
        assert_eq!(a.expose_secret().len(), KEY_LEN);
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert_eq!(display_prefix(a.expose_secret()).len(), DISPLAY_PREFIX_LEN);
    }

    #[test]
    fn shape_check_refuses_anything_else() {
        let key = generate_secret().expose_secret().to_owned();
        for bad in [
            "",
            "junk",
            &key[..KEY_LEN - 1],
            &format!("{key}A"),
            &key.replacen("dfk_", "dfx_", 1),
            &format!("dfk_{}", "!".repeat(43)),
        ] {
            assert!(!is_well_formed(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_hash_depends_on_the_server_secret() {
        let key = generate_secret().expose_secret().to_owned();
        let one = SecretString::from("one".to_owned());
        let two = SecretString::from("two".to_owned());
        assert_eq!(key_hash(&one, &key), key_hash(&one, &key));
        assert_ne!(key_hash(&one, &key), key_hash(&two, &key));
    }
}
