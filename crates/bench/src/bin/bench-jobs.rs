//! Job throughput and start latency through one worker (`kernel::jobs::Worker`, the runtime
//! `fortress worker` runs), on a migrated database given as the owner URL.
//!
//! 1. Throughput: `JOBS` no-op jobs are enqueued first, then one worker drains them; jobs/s is
//!    the count over the time from the worker's start to the last success.
//! 2. Latency under load: producers enqueue no-op jobs, each in its own transaction as a slice
//!    would, at `RATE` jobs/s for `SECONDS`, while the worker runs; enqueue-to-start latency is
//!    `started_at - created_at` of every job, both taken from the database's clock.
//!
//! Usage: `bench-jobs <owner-database-url>` (scripts/bench.sh passes a fresh database).
//! Environment: BENCH_JOBS (default 20000), BENCH_JOBS_RATE (default 2000), BENCH_DURATION
//! (seconds of the latency run, default 10).

use std::time::{Duration, Instant};

use anyhow::Context;
use kernel::jobs::{enqueue_raw, JobContext, JobOptions, Registry, Worker, WorkerConfig};
use kernel::tenancy::{tenant_tx_for, TenantId};
use serde_json::json;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let owner_url = std::env::args()
        .nth(1)
        .context("usage: bench-jobs <owner-database-url>")?;
    let jobs = env_number("BENCH_JOBS", 20_000);
    let rate = env_number("BENCH_JOBS_RATE", 2_000);
    let seconds = env_number("BENCH_DURATION", 10);

    let owner = PgPoolOptions::new()
        .max_connections(4)
        .connect(&owner_url)
        .await?;
    let tenant = TenantId(uuid::Uuid::new_v4());
    sqlx::query("INSERT INTO tenants (id, name, slug) VALUES ($1, 'Bench', $2)")
        .bind(tenant)
        .bind(format!("bench-{}", &tenant.0.simple().to_string()[..8]))
        .execute(&owner)
        .await?;
    let worker_db = kernel::db::runtime_pool_from_owner(&owner.connect_options(), 8);
    let producer_db = kernel::db::runtime_pool_from_owner(&owner.connect_options(), 16);

    // 1. Throughput.
    let started = Instant::now();
    let mut left = jobs;
    while left > 0 {
        let n = left.min(1000);
        let mut tx = tenant_tx_for(&producer_db, tenant).await?;
        for _ in 0..n {
            enqueue_raw(&mut tx, "bench.noop", json!({}), &JobOptions::default()).await?;
        }
        tx.commit().await?;
        left -= n;
    }
    let enqueue_took = started.elapsed();
    println!(
        "enqueued {jobs} jobs in {:.2} s ({:.0} jobs/s, 1000 per transaction)",
        enqueue_took.as_secs_f64(),
        jobs as f64 / enqueue_took.as_secs_f64()
    );
    let t0 = now(&owner).await?;
    let (stop, worker) = start_worker(&worker_db);
    wait_until_idle(&owner).await?;
    // From the worker's start to the last success, on the database's clock.
    let took: f64 =
        sqlx::query_scalar("SELECT extract(epoch FROM max(finished_at) - $1)::float8 FROM jobs")
            .bind(t0)
            .fetch_one(&owner)
            .await?;
    let took = Duration::from_secs_f64(took);
    println!(
        "throughput: {jobs} no-op jobs through one worker in {:.2} s = {:.0} jobs/s",
        took.as_secs_f64(),
        jobs as f64 / took.as_secs_f64()
    );

    // 2. Latency at a steady rate, one transaction per job.
    sqlx::query("DELETE FROM jobs").execute(&owner).await?;
    let producers = 8u64;
    let per_producer = rate / producers;
    let total = per_producer * producers * seconds;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..producers {
        let db = producer_db.clone();
        tasks.push(tokio::spawn(async move {
            let mut tick =
                tokio::time::interval(Duration::from_secs_f64(1.0 / per_producer as f64));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            for _ in 0..per_producer * seconds {
                tick.tick().await;
                let mut tx = tenant_tx_for(&db, tenant).await?;
                enqueue_raw(&mut tx, "bench.noop", json!({}), &JobOptions::default()).await?;
                tx.commit().await?;
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let produced_in = started.elapsed();
    wait_until_idle(&owner).await?;
    let drained_in = started.elapsed();
    let (p50, p95, p99, max): (f64, f64, f64, f64) = sqlx::query_as(
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), \
                percentile_cont(0.95) WITHIN GROUP (ORDER BY ms), \
                percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms) \
         FROM (SELECT (extract(epoch FROM started_at - created_at) * 1000)::float8 AS ms FROM jobs) l",
    )
    .fetch_one(&owner)
    .await?;
    println!(
        "latency run: {total} jobs enqueued by {producers} producers at {:.0} jobs/s (one transaction each), all done {:.2} s after the first",
        total as f64 / produced_in.as_secs_f64(),
        drained_in.as_secs_f64()
    );
    println!(
        "enqueue-to-start latency: p50 {p50:.1} ms, p95 {p95:.1} ms, p99 {p99:.1} ms, max {max:.1} ms"
    );

    let _ = stop.send(());
    worker.await??;
    Ok(())
}

fn start_worker(
    db: &PgPool,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), sqlx::Error>>,
) {
    let mut registry = Registry::default();
    registry.on_raw("bench.noop", |_: JobContext| async { Ok(()) });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = Worker::new(db.clone(), registry, WorkerConfig::default());
    let task = tokio::spawn(worker.run(async move {
        let _ = stopped.await;
    }));
    (stop, task)
}

/// Waits until no job is waiting or running (both answered from partial indexes).
async fn wait_until_idle(owner: &PgPool) -> anyhow::Result<()> {
    loop {
        let busy: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM jobs WHERE state IN ('queued', 'failed') AND queue IS NULL) \
                 OR EXISTS (SELECT 1 FROM jobs WHERE state = 'running')",
        )
        .fetch_one(owner)
        .await?;
        if !busy {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn now(
    owner: &PgPool,
) -> anyhow::Result<sqlx::types::chrono::DateTime<sqlx::types::chrono::Utc>> {
    Ok(sqlx::query_scalar("SELECT now()").fetch_one(owner).await?)
}
