//! Secrets at rest: per-tenant data keys (AES-256-GCM) wrapped by the master key from the
//! configuration, for provider credentials and other sensitive fields.
//!
//! A tenant's data key is made the first time something of the tenant is sealed, and kept
//! wrapped in `tenant_keys` (row-level security: only the tenant's own transactions see it).
//! Every sealed value binds the tenant and a purpose (`"outreach.mailbox"`) as associated data,
//! so a value copied to another tenant or another column does not open. Deleting the tenant's
//! key ([`Secrets::forget`]) makes everything sealed for it unreadable (crypto-shredding).
//!
//! Sealed layout: `version (1 byte) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use sqlx::PgConnection;

use crate::tenancy::TenantId;

const VERSION: u8 = 1;
const KEY_LEN: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the master key must be 32 bytes (base64), got {0}")]
    MasterKey(String),
    /// The value was not sealed for this tenant and purpose, was changed, or its key is gone.
    #[error("the sealed value does not open (wrong tenant, purpose or key, or changed)")]
    Unreadable,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The master key, and sealing with the tenants' data keys. Cheap to clone.
#[derive(Clone)]
pub struct Secrets {
    master: std::sync::Arc<LessSafeKey>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(..)")
    }
}

impl Secrets {
    /// From the 32 raw bytes of the master key.
    pub fn new(master: &[u8]) -> Result<Self, SecretError> {
        Ok(Self {
            master: std::sync::Arc::new(key(master)?),
        })
    }

    /// From the master key as base64 (`MASTER_KEY`).
    pub fn from_base64(encoded: &str) -> Result<Self, SecretError> {
        use base64::Engine;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|e| SecretError::MasterKey(e.to_string()))?;
        Self::new(&raw)
    }

    /// Seals `plain` for the tenant of `conn`'s transaction (a `tenant_tx`) and `purpose`.
    pub async fn seal(
        &self,
        conn: &mut PgConnection,
        purpose: &str,
        plain: &[u8],
    ) -> Result<Vec<u8>, SecretError> {
        let (tenant, data_key) = self.data_key(conn).await?;
        Ok(seal_with(&data_key, &aad(tenant, purpose), plain))
    }

    /// Opens what [`Secrets::seal`] sealed for this tenant and `purpose`.
    pub async fn open(
        &self,
        conn: &mut PgConnection,
        purpose: &str,
        sealed: &[u8],
    ) -> Result<Vec<u8>, SecretError> {
        let Some((tenant, wrapped)) = stored_key(conn).await? else {
            return Err(SecretError::Unreadable);
        };
        let data_key = key(&open_with(&self.master, &tenant_aad(tenant), &wrapped)?)?;
        open_with(&data_key, &aad(tenant, purpose), sealed)
    }

    /// Deletes the tenant's data key: everything sealed for the tenant is unreadable from now.
    pub async fn forget(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
        let deleted =
            sqlx::query!("DELETE FROM tenant_keys WHERE tenant_id = kernel_current_tenant()")
                .execute(conn)
                .await?;
        Ok(deleted.rows_affected() == 1)
    }

    /// The tenant's data key, made (and stored wrapped) on first use.
    async fn data_key(
        &self,
        conn: &mut PgConnection,
    ) -> Result<(TenantId, LessSafeKey), SecretError> {
        if let Some((tenant, wrapped)) = stored_key(conn).await? {
            let raw = open_with(&self.master, &tenant_aad(tenant), &wrapped)?;
            return Ok((tenant, key(&raw)?));
        }
        let tenant = sqlx::query_scalar!(r#"SELECT kernel_current_tenant() AS "id!""#)
            .fetch_one(&mut *conn)
            .await?;
        let tenant = TenantId(tenant);
        let raw: [u8; KEY_LEN] = rand::random();
        let wrapped = seal_with(&self.master, &tenant_aad(tenant), &raw);
        // Two first seals at once: one key wins, and both use the stored one.
        sqlx::query!(
            "INSERT INTO tenant_keys (tenant_id, wrapped) VALUES (kernel_current_tenant(), $1)
             ON CONFLICT (tenant_id) DO NOTHING",
            wrapped
        )
        .execute(&mut *conn)
        .await?;
        let (tenant, wrapped) = stored_key(conn).await?.ok_or(SecretError::Unreadable)?;
        let raw = open_with(&self.master, &tenant_aad(tenant), &wrapped)?;
        Ok((tenant, key(&raw)?))
    }
}

async fn stored_key(conn: &mut PgConnection) -> Result<Option<(TenantId, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT tenant_id, wrapped FROM tenant_keys WHERE tenant_id = kernel_current_tenant()"
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (TenantId(r.tenant_id), r.wrapped)))
}

fn key(raw: &[u8]) -> Result<LessSafeKey, SecretError> {
    if raw.len() != KEY_LEN {
        return Err(SecretError::MasterKey(format!("{} bytes", raw.len())));
    }
    let unbound = UnboundKey::new(&AES_256_GCM, raw)
        .map_err(|_| SecretError::MasterKey("rejected".into()))?;
    Ok(LessSafeKey::new(unbound))
}

fn tenant_aad(tenant: TenantId) -> Vec<u8> {
    format!("tenant-key:{}", tenant.0).into_bytes()
}

fn aad(tenant: TenantId, purpose: &str) -> Vec<u8> {
    format!("{}:{purpose}", tenant.0).into_bytes()
}

fn seal_with(key: &LessSafeKey, aad: &[u8], plain: &[u8]) -> Vec<u8> {
    let nonce: [u8; NONCE_LEN] = rand::random();
    let mut in_out = plain.to_vec();
    // Sealing fails only for inputs over ~64 GB.
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce),
        Aad::from(aad),
        &mut in_out,
    )
    .unwrap_or_else(|_| unreachable!("AES-GCM refused a small input"));
    let mut sealed = Vec::with_capacity(1 + NONCE_LEN + in_out.len());
    sealed.push(VERSION);
    sealed.extend_from_slice(&nonce);
    sealed.extend_from_slice(&in_out);
    sealed
}

fn open_with(key: &LessSafeKey, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, SecretError> {
    let Some((&VERSION, rest)) = sealed.split_first() else {
        return Err(SecretError::Unreadable);
    };
    if rest.len() < NONCE_LEN {
        return Err(SecretError::Unreadable);
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| SecretError::Unreadable)?;
    let mut in_out = ciphertext.to_vec();
    let plain = key
        .open_in_place(nonce, Aad::from(aad), &mut in_out)
        .map_err(|_| SecretError::Unreadable)?;
    Ok(plain.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(byte: u8) -> LessSafeKey {
        key(&[byte; KEY_LEN]).unwrap()
    }

    #[test]
    fn a_sealed_value_opens_with_its_key_and_associated_data_only() {
        let sealed = seal_with(&k(1), b"t1:purpose", b"smtp password");

        assert_eq!(
            open_with(&k(1), b"t1:purpose", &sealed).unwrap(),
            b"smtp password"
        );
        assert!(
            open_with(&k(2), b"t1:purpose", &sealed).is_err(),
            "another key"
        );
        assert!(
            open_with(&k(1), b"t2:purpose", &sealed).is_err(),
            "another tenant"
        );
        let mut changed = sealed.clone();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        assert!(
            open_with(&k(1), b"t1:purpose", &changed).is_err(),
            "a changed byte"
        );
        assert!(
            open_with(&k(1), b"t1:purpose", &sealed[..5]).is_err(),
            "cut short"
        );
    }

    #[test]
    fn sealing_twice_gives_different_bytes() {
        let a = seal_with(&k(1), b"aad", b"same");
        let b = seal_with(&k(1), b"aad", b"same");
        assert_ne!(a, b, "a fresh nonce each time");
        assert_eq!(a[0], VERSION);
    }

    #[test]
    fn master_keys_must_be_32_bytes() {
        assert!(Secrets::new(&[0; 16]).is_err());
        assert!(Secrets::from_base64("not base64!").is_err());
        assert!(Secrets::new(&[7; 32]).is_ok());
    }
}
