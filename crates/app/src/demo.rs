//! `fortress demo`: every slice seeds its demo data for one demo tenant, in the order of the
//! slice list (auth first: the tenant, its owner and a member), idempotently.

use kernel::TenantId;
use uuid::Uuid;

use crate::Platform;

/// The demo tenant's fixed id, so seeding twice changes nothing.
pub const DEMO_TENANT: TenantId =
    TenantId(Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_d3e0));

/// Seeds every slice's demo data; returns the text to print: where to go and how to log in.
pub async fn seed(platform: &Platform) -> anyhow::Result<String> {
    seed_only(platform, None).await
}

/// As [`seed`], with only the slices named in `only` when given (`auth` alone gives an empty
/// agency to sign in to, as the browser test wants). An unknown name is an error.
pub async fn seed_only(platform: &Platform, only: Option<&[String]>) -> anyhow::Result<String> {
    let slices = crate::slices::all();
    if let Some(names) = only {
        if let Some(unknown) = names
            .iter()
            .find(|n| !slices.iter().any(|s| s.name() == n.as_str()))
        {
            let known: Vec<&str> = slices.iter().map(|s| s.name()).collect();
            anyhow::bail!(
                "no slice is named {unknown:?} (slices: {})",
                known.join(", ")
            );
        }
    }
    let ctx = platform.slice_context()?;
    // In list order: the auth slice makes the tenant and its owner the others build on.
    let chosen = slices
        .iter()
        .filter(|s| only.is_none_or(|names| names.iter().any(|n| n == s.name())));
    for slice in chosen {
        slice
            .seed_demo(&ctx, DEMO_TENANT)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let url = &platform.config.public_url;
    Ok(format!(
        "Demo tenant '{slug}' is ready.\n  UI:       {url}/\n  API docs: {url}/docs\n  Sign in:  {email} / {password} (owner), or {member} (member, same password)",
        slug = auth::demo::DEMO_SLUG,
        email = auth::demo::DEMO_EMAIL,
        password = auth::demo::DEMO_PASSWORD,
        member = auth::demo::DEMO_MEMBER_EMAIL,
    ))
}
