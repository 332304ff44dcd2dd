//! Demo data for `fortress demo`: one tenant with an owner who can sign in. Idempotent.

use kernel::tenancy::tenant_tx_for;
use kernel::{Role, TenantId};
use secrecy::SecretString;
use sqlx::PgPool;
use uuid::Uuid;

use crate::password::PasswordHasher;
use crate::store::users;

pub const DEMO_EMAIL: &str = "demo@datafortress.local";
pub const DEMO_PASSWORD: &str = "fortress-demo-2026";
pub const DEMO_SLUG: &str = "demo";

/// Creates the demo tenant and its owner unless they exist; returns the owner's id.
pub async fn seed(db: &PgPool, tenant: TenantId) -> Result<Uuid, sqlx::Error> {
    let existing = users::credentials_by_email(db, DEMO_EMAIL).await?;
    let user = existing.as_ref().map(|u| u.id).unwrap_or_else(Uuid::new_v4);
    let hash = match &existing {
        Some(u) => u.password_hash.clone(),
        None => PasswordHasher::new(1)
            .hash(&SecretString::from(DEMO_PASSWORD))
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?,
    };
    let mut tx = tenant_tx_for(db, tenant).await?;
    users::act_as_user(&mut tx, user).await?;
    sqlx::query("INSERT INTO tenants (id, name, slug) VALUES ($1, 'Demo Agency', $2) ON CONFLICT DO NOTHING")
        .bind(tenant)
        .bind(DEMO_SLUG)
        .execute(&mut *tx)
        .await?;
    if existing.is_none() {
        users::insert_user(&mut tx, user, DEMO_EMAIL, "Demo Owner", &hash).await?;
    }
    sqlx::query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(tenant)
        .bind(user)
        .bind(Role::Owner)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(user)
}
