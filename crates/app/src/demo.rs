//! `fortress demo`: seeds a demo tenant (and, through the slices, its data) idempotently.

use kernel::tenancy::{tenant_tx_for, TenantId};
use uuid::Uuid;

use crate::Platform;

/// The demo tenant's fixed id, so seeding twice changes nothing.
pub const DEMO_TENANT: TenantId =
    TenantId(Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_d3e0));

/// Returns the text to print: where to go and how to log in.
pub async fn seed(platform: &Platform) -> anyhow::Result<String> {
    let mut tx = tenant_tx_for(&platform.db, DEMO_TENANT).await?;
    sqlx::query(
        "INSERT INTO tenants (id, name, slug) VALUES ($1, 'Demo Agency', 'demo') \
         ON CONFLICT DO NOTHING",
    )
    .bind(DEMO_TENANT)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(format!(
        "Demo tenant 'demo' ({DEMO_TENANT}) is ready.\nOpen {}/ (UI) or {}/docs (API docs).",
        platform.config.public_url, platform.config.public_url
    ))
}
