//! API keys: the secret's format and peppered hash, their SQL, bearer authentication, and
//! the last-used times kept in Redis.
//!
//! **Format.** `dfk_` + base64url(32 random bytes): 47 characters. The prefix makes a leaked
//! key recognisable (to people and to secret scanners); the first 12 characters are kept in
//! clear so a list can tell keys apart. Only HMAC-SHA256(server secret, key) is stored: a
//! database leak yields no usable key and, without the server secret, nothing to test
//! guesses against. 256 random bits need no slow hash, so verifying costs one HMAC.
//!
//! **Lookup.** Bearer authentication happens before the tenant is known, so it goes through
//! `auth_api_key_by_hash()` (SECURITY DEFINER), by hash alone. It reads the row on every
//! request: a revoked key stops working at once.
//!
//! **Last used.** Writing the row on every request would turn every read into a write and
//! make busy keys contend. A use is recorded in a Redis hash instead (field
//! `<tenant_id>:<key_id>`, value unix ms); the worker moves the values into
//! `api_keys.last_used_at` every minute ([`flush_last_used`]), and the list shows the newer
//! of the two meanwhile.
//!
//! Files: `hash` (the key's format and hash), `store` (rows: authentication, create,
//! revoke, the list), `last_used` (the Redis record of uses and its flush).

mod hash;
mod last_used;
mod store;

pub use hash::{display_prefix, generate_secret, is_well_formed, key_hash};
pub use hash::{DISPLAY_PREFIX_LEN, KEY_LEN, KEY_PREFIX};
pub use last_used::{flush_last_used, unflushed_last_used, FlushError};
pub use store::{authenticate, insert, known_scopes, revoke};
pub use store::{ApiKeyStatus, ListedApiKey, NewApiKey, API_KEYS, API_KEYS_LISTING};
