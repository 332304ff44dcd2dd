//! Demo data for `fortress demo`: a CRM worth opening. For the demo tenant it seeds a sales
//! pipeline and a few hundred leads that went through it, with notes and tasks
//! ([`board`]), and a finished CSV import ([`import`]), all owned by the tenant's members and
//! spread over the last three months.
//!
//! The data is made-up and the same on every run (a fixed-seed generator over fixed lists,
//! [`people`]); only the dates follow today. Seeding is idempotent: the board is seeded only
//! into a tenant without leads, the import only into one that never imported.

mod board;
mod import;
mod people;

use kernel::slice::{Context, SliceError};
use kernel::{Problem, Role, TenantId};
use uuid::Uuid;

use people::{People, Rng};

/// The generator's seed: the same people on every run.
const SEED: u64 = 0x0da7_af07_7e55_2026;
/// Companies the demo's contacts work at (several contacts each).
const COMPANIES: usize = 120;

/// Seeds the demo data of `tenant` (see the module docs).
pub async fn seed(ctx: &Context, tenant: TenantId) -> Result<(), SliceError> {
    let mut tx = kernel::UnitOfWork::begin_for(&ctx.db, &ctx.cache, tenant).await?;
    // Lead owners: the members who work leads, the tenant's owner first.
    let team: Vec<Uuid> = ctx
        .members
        .list(&mut tx)
        .await?
        .into_iter()
        .filter(|(_, role)| *role != Role::Viewer)
        .map(|(id, _)| id)
        .collect();
    let has_leads = sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM leads) AS "exists!""#)
        .fetch_one(&mut *tx)
        .await?;
    let mut rng = Rng::new(SEED);
    let mut people = People::new(&mut rng, COMPANIES);
    if !has_leads {
        board::seed(&mut tx, ctx.members.as_ref(), &team, &mut rng, &mut people).await?;
    }
    tx.commit().await?;
    // Its own generator, so the file is the same whether or not the board was seeded now.
    let mut rng = Rng::new(SEED ^ 0x1);
    import::seed(ctx, tenant, &team, &mut rng, &mut people).await?;
    tracing::info!(tenant = %tenant.0, "leads demo data seeded");
    Ok(())
}

/// A problem as a seed error, with its details (its `Display` is only status and code).
fn problem(problem: Problem) -> SliceError {
    format!("{problem:?}").into()
}
