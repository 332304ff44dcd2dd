//! Demo data for `fortress demo`: one tenant with an owner who can sign in, and a second
//! member (a sales rep) so that leads have more than one owner. Idempotent.

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
/// The second demo member, a sales rep; signs in with [`DEMO_PASSWORD`] too.
pub const DEMO_MEMBER_EMAIL: &str = "sam@datafortress.local";

/// A demo user: email, name, role in the demo tenant.
const DEMO_USERS: [(&str, &str, Role); 2] = [
    (DEMO_EMAIL, "Demo Owner", Role::Owner),
    (DEMO_MEMBER_EMAIL, "Sam Rivera", Role::Member),
];

/// Creates the demo tenant, its owner and its second member unless they exist; returns the
/// owner's id.
pub async fn seed(db: &PgPool, tenant: TenantId) -> Result<Uuid, sqlx::Error> {
    // Hashing is slow: done before the transaction, and only for users that do not exist.
    let mut users = Vec::with_capacity(DEMO_USERS.len());
    for (email, name, role) in DEMO_USERS {
        let existing = users::credentials_by_email(db, email).await?;
        let new_hash = match existing {
            Some(_) => None,
            None => Some(
                PasswordHasher::new(1)
                    .hash(&SecretString::from(DEMO_PASSWORD))
                    .await
                    .map_err(|e| sqlx::Error::Protocol(e.to_string()))?,
            ),
        };
        let id = existing.map(|u| u.id).unwrap_or_else(Uuid::new_v4);
        users.push((id, email, name, role, new_hash));
    }
    let mut tx = tenant_tx_for(db, tenant).await?;
    for (i, (id, email, name, role, new_hash)) in users.iter().enumerate() {
        // A user row may only be written by that user (row-level security).
        users::act_as_user(&mut tx, *id).await?;
        if i == 0 {
            users::ensure_tenant(&mut tx, tenant, "Demo Agency", DEMO_SLUG).await?;
        }
        if let Some(hash) = new_hash {
            users::insert_user(&mut tx, *id, email, name, hash).await?;
        }
        users::insert_membership(&mut tx, tenant, *id, *role).await?;
    }
    tx.commit().await?;
    Ok(users[0].0)
}
