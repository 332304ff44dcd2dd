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

/// How often [`DbHealth`] checks PostgreSQL, and how long a check may take.
pub const HEALTH_EVERY: Duration = Duration::from_millis(250);

/// Whether PostgreSQL answers, kept current by a background check on a connection of its own
/// (so a busy pool is not taken for a dead server). While it is down the API answers 503 at
/// once, and requests still waiting on the pool when it goes down are answered too, instead
/// of each waiting out the pool's acquire timeout.
#[derive(Clone, Debug)]
pub struct DbHealth {
    down: std::sync::Arc<tokio::sync::watch::Sender<bool>>,
}

impl DbHealth {
    /// Starts checking the server `pool` connects to, every [`HEALTH_EVERY`], until every
    /// clone of the returned value is gone. Starts as up: the first failed check says down.
    pub fn watch(pool: &PgPool) -> Self {
        let health = Self {
            down: std::sync::Arc::new(tokio::sync::watch::Sender::new(false)),
        };
        let weak = std::sync::Arc::downgrade(&health.down);
        let options = (*pool.connect_options()).clone();
        tokio::spawn(async move {
            let mut conn: Option<sqlx::PgConnection> = None;
            let mut tick = tokio::time::interval(HEALTH_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let up = tokio::time::timeout(HEALTH_EVERY, check(&mut conn, &options))
                    .await
                    .unwrap_or(false);
                if !up {
                    conn = None;
                }
                let Some(down) = weak.upgrade() else { return };
                let was_down = down.send_replace(!up);
                if was_down == up {
                    if up {
                        tracing::info!("PostgreSQL answers again");
                    } else {
                        tracing::warn!("PostgreSQL does not answer: the API answers 503");
                    }
                }
            }
        });
        health
    }

    /// Whether the last check failed.
    pub fn is_down(&self) -> bool {
        *self.down.borrow()
    }

    /// Resolves when a check fails (at once if the last one did).
    pub async fn went_down(&self) {
        let mut down = self.down.subscribe();
        // The sender lives as long as `self`: `wait_for` cannot see it closed.
        let _ = down.wait_for(|down| *down).await;
    }
}

/// One check: `SELECT 1` on the kept connection, made first if there is none.
async fn check(conn: &mut Option<sqlx::PgConnection>, options: &PgConnectOptions) -> bool {
    if conn.is_none() {
        match sqlx::PgConnection::connect_with(options).await {
            Ok(made) => *conn = Some(made),
            Err(_) => return false,
        }
    }
    match conn.as_mut() {
        Some(c) => c.ping().await.is_ok(),
        None => false,
    }
}

/// Whether `err` means PostgreSQL could not be reached (rather than refused the query).
/// True when `err` is a unique violation of the constraint or index `name` (a slice turns it
/// into its own 409 or 422).
pub fn is_unique_violation(err: &sqlx::Error, name: &str) -> bool {
    match err {
        sqlx::Error::Database(db) => db.is_unique_violation() && db.constraint() == Some(name),
        _ => false,
    }
}

pub fn is_unreachable(err: &sqlx::Error) -> bool {
    matches!(
        err,
        sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
    )
}
