//! Database pools and migrations.
//!
//! Two roles: migrations run as the owner of the tables (`DATABASE_OWNER_URL`); the runtime
//! pool connects as `fortress_app` (`DATABASE_URL`), which owns nothing and has no BYPASSRLS,
//! so row-level security holds even if a query forgets a tenant filter.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgPool};

/// Every slice's migrations, in `migrations/` at the workspace root.
pub static MIGRATOR: Migrator = sqlx::migrate!("../../migrations");

/// The role the runtime pool connects as; created by the first migration.
pub const RUNTIME_ROLE: &str = "fortress_app";

/// A lazily connecting pool: the API starts (and reports not ready) while PostgreSQL is down.
pub fn runtime_pool(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?.application_name("fortress");
    Ok(pool_options(max_connections).connect_lazy_with(options))
}

/// The runtime pool for an owner URL: same server and database, as [`RUNTIME_ROLE`].
/// Used by tests, whose per-test databases are made by the owner.
pub fn runtime_pool_from_owner(owner: &PgConnectOptions, max_connections: u32) -> PgPool {
    let options = owner
        .clone()
        .username(RUNTIME_ROLE)
        .password("")
        .application_name("fortress");
    pool_options(max_connections).connect_lazy_with(options)
}

/// A connection idle for longer than this is pinged before use.
const PING_AFTER_IDLE: Duration = Duration::from_secs(15);

fn pool_options(max_connections: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(5))
        // sqlx pings every connection it hands out by default: a round trip on every request.
        // A connection in steady use has just proved itself; only one that sat idle (the
        // server may have closed it since) is pinged, and a failed ping discards it.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_AFTER_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

/// Runs pending migrations as the owner.
pub async fn migrate(owner_url: &str) -> Result<(), sqlx::migrate::MigrateError> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .connect(owner_url)
        .await?;
    MIGRATOR.run(&pool).await?;
    pool.close().await;
    Ok(())
}
