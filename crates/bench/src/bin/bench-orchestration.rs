//! The durable executor under load: `BENCH_EXECUTIONS` (default 200) concurrent executions of a
//! 10-state Pass/Choice/Wait(0) flow through one worker (`kernel::jobs::Worker` with the
//! orchestration slice's advance job, as `fortress worker` runs it), on a migrated database
//! given as the owner URL.
//!
//! - Throughput: transitions made by all executions over the time from the worker's start to
//!   the last execution's end, both on the database's clock.
//! - Transition overhead: for every execution, the time between one state's entry and the
//!   next's, from the history's timestamps (`clock_timestamp()` when each transition's events
//!   were written): what one transition costs, its commit included; p50 and p99. The first
//!   state is entered by `start` before the worker runs, so the gap after it (the wait for a
//!   worker slot) is reported on its own as the first pickup.
//!
//! Usage: `bench-orchestration <owner-database-url>`; REDIS_URL (default local).

use std::time::Duration;

use anyhow::Context;
use kernel::jobs::{Registry, Worker, WorkerConfig};
use kernel::tenancy::TenantId;
use kernel::UnitOfWork;
use orchestration::executor::control;
use orchestration::store::flows::Flow;
use serde_json::json;
use sqlx::postgres::PgPoolOptions;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn definition() -> serde_json::Value {
    json!({
        "StartAt": "P1",
        "States": {
            "P1": {"Type": "Pass", "Result": 1, "ResultPath": "$.a", "Next": "C1"},
            "C1": {"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericEquals": 1, "Next": "P2"}], "Default": "Done"},
            "P2": {"Type": "Pass", "Parameters": {"n.$": "$.n", "s.$": "States.Format('x{}', $.n)"}, "ResultPath": "$.b", "Next": "W1"},
            "W1": {"Type": "Wait", "Seconds": 0, "Next": "P3"},
            "P3": {"Type": "Pass", "Result": {"k": "v"}, "ResultPath": "$.c", "Next": "C2"},
            "C2": {"Type": "Choice", "Choices": [{"Variable": "$.c.k", "StringEquals": "v", "Next": "P4"}], "Default": "Done"},
            "P4": {"Type": "Pass", "OutputPath": "$", "Next": "W2"},
            "W2": {"Type": "Wait", "SecondsPath": "$.zero", "Next": "P5"},
            "P5": {"Type": "Pass", "Result": true, "ResultPath": "$.d", "Next": "Done"},
            "Done": {"Type": "Succeed"}
        }
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let owner_url = std::env::args()
        .nth(1)
        .context("usage: bench-orchestration <owner-database-url>")?;
    let executions = env_number("BENCH_EXECUTIONS", 200);
    let redis = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());

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
    let flow_id = uuid::Uuid::now_v7();
    sqlx::query("INSERT INTO flows (tenant_id, id, name) VALUES ($1, $2, 'bench')")
        .bind(tenant)
        .bind(flow_id)
        .execute(&owner)
        .await?;
    sqlx::query("INSERT INTO flow_versions (tenant_id, flow_id, version, definition) VALUES ($1, $2, 1, $3)")
        .bind(tenant)
        .bind(flow_id)
        .bind(definition())
        .execute(&owner)
        .await?;
    let db = kernel::db::runtime_pool_from_owner(&owner.connect_options(), 16);
    let cache = kernel::cache::Cache::new(&redis, &format!("bench:{}:", tenant.0.simple()))?;
    let flow = Flow {
        id: flow_id,
        name: "bench".into(),
        description: String::new(),
        project_id: None,
        current_version: 1,
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
    };
    let parsed = orchestration::asl::parse(&definition())
        .map_err(|e| anyhow::anyhow!("the bench flow is invalid: {e:?}"))?;

    // All executions started (and their first jobs enqueued) before the worker runs.
    let mut work = UnitOfWork::begin_for(&db, &cache, tenant).await?;
    for i in 0..executions {
        control::start(
            &mut work,
            &flow,
            1,
            &parsed,
            &format!("run-{i}"),
            &json!({"n": i, "zero": 0}),
        )
        .await
        .map_err(|e| anyhow::anyhow!("start: {e}"))?;
    }
    work.commit().await?;

    let settings = orchestration::Settings {
        providers: Default::default(),
        allow_private_targets: false,
        public_url: "http://127.0.0.1".into(),
        objects_dir: None,
        sandbox_bin: None,
        sandbox_limits: Default::default(),
        token_secret: b"bench".to_vec(),
        callback_secrets: Vec::new(),
    };
    let executor = settings
        .executor_over(db.clone(), cache.clone(), projects::state())
        .map_err(|e| anyhow::anyhow!("executor: {e}"))?;
    let mut registry = Registry::default();
    executor.register(&mut registry);
    let t0: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("SELECT clock_timestamp()")
        .fetch_one(&owner)
        .await?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let config = WorkerConfig {
        poll: Duration::from_millis(100),
        concurrency: usize::try_from(env_number("BENCH_CONCURRENCY", 32)).unwrap_or(32),
        ..WorkerConfig::default()
    };
    let worker = tokio::spawn(Worker::new(db.clone(), registry, config).run(async {
        let _ = stopped.await;
    }));
    loop {
        let running: i64 =
            sqlx::query_scalar("SELECT count(*) FROM executions WHERE status = 'RUNNING'")
                .fetch_one(&owner)
                .await?;
        if running == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop.send(());
    worker.await??;

    let (succeeded, transitions, took): (i64, i64, f64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE status = 'SUCCEEDED'), sum(transitions)::int8,
                extract(epoch FROM max(stopped_at) - $1)::float8
         FROM executions",
    )
    .bind(t0)
    .fetch_one(&owner)
    .await?;
    // The first state is entered by `start`, before the worker runs: the gap to the second
    // state's entry is the wait for a worker slot (all executions queued at once), reported
    // apart; every later gap is one transition made by the worker.
    let entries: Vec<(i64, f64)> = sqlx::query_as(
        "SELECT n, (extract(epoch FROM at - prev) * 1000)::float8
         FROM (SELECT at, row_number() OVER w AS n, lag(at) OVER w AS prev
               FROM execution_events WHERE type LIKE '%StateEntered'
               WINDOW w AS (PARTITION BY execution_id ORDER BY id)) e
         WHERE n >= 2",
    )
    .fetch_all(&owner)
    .await?;
    let (mut pickups, mut gaps): (Vec<f64>, Vec<f64>) = (Vec::new(), Vec::new());
    for (n, gap) in entries {
        if n == 2 {
            pickups.push(gap)
        } else {
            gaps.push(gap)
        }
    }
    pickups.sort_by(f64::total_cmp);
    gaps.sort_by(f64::total_cmp);
    println!("executions: {executions} started, {succeeded} succeeded");
    println!(
        "transitions: {transitions} in {took:.2} s = {:.0} transitions/s",
        transitions as f64 / took
    );
    println!(
        "transition overhead: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} transitions)",
        percentile(&gaps, 50.0),
        percentile(&gaps, 99.0),
        gaps.last().copied().unwrap_or(0.0),
        gaps.len()
    );
    println!(
        "first pickup (start to the second state, {executions} queued at once): p50 {:.1} ms, p99 {:.1} ms",
        percentile(&pickups, 50.0),
        percentile(&pickups, 99.0),
    );
    Ok(())
}
