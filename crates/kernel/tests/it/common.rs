//! Arrangements shared by the kernel's database tests.
#![allow(dead_code)] // each test file uses what it needs

use kernel::tenancy::TenantId;
use sqlx::PgPool;
use uuid::Uuid;

/// Two tenants, made by the owner.
pub async fn tenants(owner: &PgPool) -> (TenantId, TenantId) {
    let (a, b) = (TenantId(Uuid::new_v4()), TenantId(Uuid::new_v4()));
    sqlx::query(
        "INSERT INTO tenants (id, name, slug) VALUES ($1, 'A', 'tenant-a'), ($2, 'B', 'tenant-b')",
    )
    .bind(a)
    .bind(b)
    .execute(owner)
    .await
    .unwrap_or_else(|e| panic!("tenants: {e}"));
    (a, b)
}

/// A pool as the runtime role, on the test's database.
pub fn runtime(owner: &PgPool) -> PgPool {
    kernel::db::runtime_pool_from_owner(&owner.connect_options(), 8)
}
