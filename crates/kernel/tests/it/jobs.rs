//! Durable jobs against real PostgreSQL, as the runtime role, with in-process workers:
//! transactional enqueue, keys, retries to dead, permanent failures, lease recovery after a
//! worker vanishes, graceful shutdown, serial queues, cron ticks fired once, isolation.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::{runtime, tenants};
use kernel::jobs::{
    self, enqueue, enqueue_raw, Job, JobContext, JobFailure, JobOptions, Registry, Schedule,
    Worker, WorkerConfig,
};
use kernel::tenancy::{tenant_tx_for, TenantId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot, Notify};

fn fast() -> WorkerConfig {
    WorkerConfig {
        lease: Duration::from_secs(2),
        poll: Duration::from_millis(50),
        shutdown_grace: Duration::from_secs(5),
        backoff_base: Duration::from_millis(20),
        backoff_cap: Duration::from_millis(100),
        ..WorkerConfig::default()
    }
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Greet {
    name: String,
}

impl Job for Greet {
    const KIND: &'static str = "test.greet";
}

/// A running worker and the way to stop it.
struct Running {
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), sqlx::Error>>,
}

fn start(db: &PgPool, registry: Registry, config: WorkerConfig) -> Running {
    let (stop, stopped) = oneshot::channel::<()>();
    let worker = Worker::new(db.clone(), registry, config);
    let task = tokio::spawn(worker.run(async move {
        let _ = stopped.await;
    }));
    Running { stop, task }
}

impl Running {
    async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.unwrap().unwrap();
    }
}

async fn enqueue_for<J: Job>(db: &PgPool, tenant: TenantId, job: &J, options: &JobOptions) -> i64 {
    let mut tx = tenant_tx_for(db, tenant).await.unwrap();
    let id = enqueue(&mut tx, job, options).await.unwrap();
    tx.commit().await.unwrap();
    id
}

#[derive(Debug, sqlx::FromRow)]
struct Row {
    state: String,
    attempts: i32,
    last_error: Option<String>,
}

async fn row(owner: &PgPool, id: i64) -> Row {
    sqlx::query_as("SELECT state, attempts, last_error FROM jobs WHERE id = $1")
        .bind(id)
        .fetch_one(owner)
        .await
        .unwrap()
}

/// Polls the job until it reaches `state` (a deadline, not a sleep: it returns at once).
async fn wait_for_state(owner: &PgPool, id: i64, state: &str) -> Row {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let row = row(owner, id).await;
        if row.state == state {
            return row;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "job {id} stayed {row:?}, never {state}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_job_runs_once_when_its_transaction_commits_and_never_when_it_rolls_back(owner: PgPool) {
    let (a, _) = tenants(&owner).await;
    let db = runtime(&owner);
    let mut tx = tenant_tx_for(&db, a).await.unwrap();
    enqueue(
        &mut tx,
        &Greet {
            name: "rolled back".into(),
        },
        &JobOptions::default(),
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();

    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let mut registry = Registry::default();
    registry.on(move |ctx: JobContext, job: Greet| {
        let seen_tx = seen_tx.clone();
        async move {
            seen_tx.send((ctx.tenant, ctx.attempt, job.name)).unwrap();
            Ok(())
        }
    });
    let worker = start(&db, registry, fast());
    let id = enqueue_for(
        &db,
        a,
        &Greet {
            name: "committed".into(),
        },
        &JobOptions::default(),
    )
    .await;
    let (tenant, attempt, name) = seen.recv().await.unwrap();
    assert_eq!((tenant, attempt, name.as_str()), (Some(a), 1, "committed"));
    let row = wait_for_state(&owner, id, "succeeded").await;
    assert_eq!(row.attempts, 1);
    worker.stop().await;
    assert!(
        seen.try_recv().is_err(),
        "the rolled-back job must never run"
    );
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs")
        .fetch_one(&owner)
        .await
        .unwrap();
    assert_eq!(total, 1);
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_waiting_key_is_enqueued_once_per_tenant(owner: PgPool) {
    let (a, b) = tenants(&owner).await;
    let db = runtime(&owner);
    let keyed = JobOptions::default().key("sync:42");
    let first = enqueue_for(&db, a, &Greet { name: "x".into() }, &keyed).await;
    let again = enqueue_for(&db, a, &Greet { name: "y".into() }, &keyed).await;
    let other_tenant = enqueue_for(&db, b, &Greet { name: "z".into() }, &keyed).await;
    assert_eq!(first, again);
    assert_ne!(first, other_tenant);
    // Enqueueing needs a tenant on the transaction, and a valid kind.
    let mut tx = db.begin().await.unwrap();
    assert!(matches!(
        enqueue_raw(&mut tx, "test.greet", json!({}), &JobOptions::default()).await,
        Err(jobs::EnqueueError::NoTenant)
    ));
    let mut tx = tenant_tx_for(&db, a).await.unwrap();
    assert!(matches!(
        enqueue_raw(&mut tx, "Bad Kind", json!({}), &JobOptions::default()).await,
        Err(jobs::EnqueueError::InvalidKind(_))
    ));
}

#[sqlx::test(migrations = "../../migrations")]
async fn failures_are_retried_with_backoff_then_the_job_is_dead(owner: PgPool) {
    let (a, _) = tenants(&owner).await;
    let db = runtime(&owner);
    let calls = Arc::new(AtomicUsize::new(0));
    let mut registry = Registry::default();
    let counter = calls.clone();
    registry.on(move |ctx: JobContext, _: Greet| {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            Err(JobFailure::retry(format!(
                "provider down (attempt {})",
                ctx.attempt
            )))
        }
    });
    let worker = start(&db, registry, fast());
    let options = JobOptions::default().max_attempts(3);
    let id = enqueue_for(&db, a, &Greet { name: "x".into() }, &options).await;
    let dead = wait_for_state(&owner, id, "dead").await;
    worker.stop().await;
    assert_eq!(dead.attempts, 3);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(
        dead.last_error.as_deref(),
        Some("provider down (attempt 3)")
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_permanent_failure_or_a_bad_payload_is_dead_at_once(owner: PgPool) {
    let (a, _) = tenants(&owner).await;
    let db = runtime(&owner);
    let mut registry = Registry::default();
    registry.on(|_: JobContext, _: Greet| async { Err(JobFailure::permanent("lead was erased")) });
    let worker = start(&db, registry, fast());
    let permanent = enqueue_for(&db, a, &Greet { name: "x".into() }, &JobOptions::default()).await;
    let mut tx = tenant_tx_for(&db, a).await.unwrap();
    let malformed = enqueue_raw(
        &mut tx,
        Greet::KIND,
        json!({"nom": 1}),
        &JobOptions::default(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let dead = wait_for_state(&owner, permanent, "dead").await;
    assert_eq!(dead.attempts, 1);
    assert_eq!(dead.last_error.as_deref(), Some("lead was erased"));
    let dead = wait_for_state(&owner, malformed, "dead").await;
    assert_eq!(dead.attempts, 1);
    assert!(dead
        .last_error
        .unwrap()
        .contains("payload is not a test.greet"));
    worker.stop().await;
}

#[test]
fn backoff_doubles_with_jitter_and_is_capped() {
    let base = Duration::from_secs(5);
    let cap = Duration::from_secs(3600);
    for attempt in 1..=20 {
        let full = (base * 2u32.pow((attempt - 1).min(20) as u32)).min(cap);
        let delay = jobs::backoff(attempt, base, cap);
        assert!(
            delay >= full / 2 && delay <= full,
            "attempt {attempt}: {delay:?}"
        );
    }
    // Jitter: twenty draws are not all equal.
    let draws: std::collections::HashSet<_> =
        (0..20).map(|_| jobs::backoff(4, base, cap)).collect();
    assert!(draws.len() > 1);
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_job_of_a_worker_that_vanished_runs_again_on_another_after_the_lease(owner: PgPool) {
    let (a, _) = tenants(&owner).await;
    let db = runtime(&owner);
    // Worker 1 takes the job and never finishes; then it vanishes without a word (its task
    // is aborted: no release, no more lease renewals), as a SIGKILL would leave it.
    let started = Arc::new(Notify::new());
    let mut hanging = Registry::default();
    let signal = started.clone();
    hanging.on(move |_: JobContext, _: Greet| {
        let signal = signal.clone();
        async move {
            signal.notify_one();
            std::future::pending::<()>().await;
            Ok(())
        }
    });
    let first = start(&db, hanging, fast());
    let id = enqueue_for(&db, a, &Greet { name: "x".into() }, &JobOptions::default()).await;
    started.notified().await;
    first.task.abort();
    let _ = first.task.await;
    assert_eq!(row(&owner, id).await.state, "running");

    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let mut registry = Registry::default();
    registry.on(move |ctx: JobContext, _: Greet| {
        let seen_tx = seen_tx.clone();
        async move {
            seen_tx.send(ctx.attempt).unwrap();
            Ok(())
        }
    });
    let second = start(&db, registry, fast());
    assert_eq!(
        seen.recv().await,
        Some(2),
        "the second attempt runs on the other worker"
    );
    wait_for_state(&owner, id, "succeeded").await;
    second.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn shutdown_lets_running_jobs_finish_or_hands_them_back(owner: PgPool) {
    let (a, _) = tenants(&owner).await;
    let db = runtime(&owner);
    let started = Arc::new(Notify::new());
    let release = Arc::new(Notify::new());
    let mut registry = Registry::default();
    let (s, r) = (started.clone(), release.clone());
    registry.on(move |_: JobContext, job: Greet| {
        let (s, r) = (s.clone(), r.clone());
        async move {
            s.notify_one();
            if job.name == "slow" {
                r.notified().await;
            } else {
                std::future::pending::<()>().await;
            }
            Ok(())
        }
    });
    // Within the grace period: the job finishes and counts as succeeded.
    let worker = start(&db, registry.clone(), fast());
    let finishes = enqueue_for(
        &db,
        a,
        &Greet {
            name: "slow".into(),
        },
        &JobOptions::default(),
    )
    .await;
    started.notified().await;
    let _ = worker.stop.send(());
    release.notify_one();
    worker.task.await.unwrap().unwrap();
    assert_eq!(row(&owner, finishes).await.state, "succeeded");

    // Past the grace period: the job is handed back, its attempt not counted.
    let config = WorkerConfig {
        shutdown_grace: Duration::from_millis(100),
        ..fast()
    };
    let worker = start(&db, registry, config);
    let hangs = enqueue_for(
        &db,
        a,
        &Greet {
            name: "stuck".into(),
        },
        &JobOptions::default(),
    )
    .await;
    started.notified().await;
    worker.stop().await;
    let back = row(&owner, hangs).await;
    assert_eq!((back.state.as_str(), back.attempts), ("queued", 0));
}

#[sqlx::test(migrations = "../../migrations")]
async fn jobs_of_one_queue_run_one_at_a_time_in_order(owner: PgPool) {
    let (a, _) = tenants(&owner).await;
    let db = runtime(&owner);
    let running = Arc::new(AtomicUsize::new(0));
    let (order_tx, mut order) = mpsc::unbounded_channel();
    let mut registry = Registry::default();
    let now_running = running.clone();
    registry.on(move |_: JobContext, job: Greet| {
        let (now_running, order_tx) = (now_running.clone(), order_tx.clone());
        async move {
            let overlapping = now_running.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            now_running.fetch_sub(1, Ordering::SeqCst);
            order_tx.send((job.name, overlapping)).unwrap();
            Ok(())
        }
    });
    // Enqueued before any worker runs, so all are ready together.
    let queue = JobOptions::default().queue("mailbox:1");
    for n in 0..5 {
        enqueue_for(
            &db,
            a,
            &Greet {
                name: n.to_string(),
            },
            &queue,
        )
        .await;
    }
    let workers = [
        start(&db, registry.clone(), fast()),
        start(&db, registry, fast()),
    ];
    let mut seen = Vec::new();
    for _ in 0..5 {
        let (name, overlapping) = order.recv().await.unwrap();
        assert_eq!(overlapping, 0, "job {name} ran beside another of its queue");
        seen.push(name);
    }
    assert_eq!(seen, ["0", "1", "2", "3", "4"]);
    for worker in workers {
        worker.stop().await;
    }
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_cron_tick_fires_once_however_many_workers_run(owner: PgPool) {
    let db = runtime(&owner);
    let runs = Arc::new(AtomicUsize::new(0));
    let (tick_tx, mut ticks) = mpsc::unbounded_channel();
    let mut registry = Registry::default();
    let counter = runs.clone();
    registry.on_raw("test.tick", move |ctx: JobContext| {
        let (counter, tick_tx) = (counter.clone(), tick_tx.clone());
        async move {
            assert!(ctx.tenant.is_none(), "cron jobs act for no tenant");
            counter.fetch_add(1, Ordering::SeqCst);
            tick_tx.send(()).unwrap();
            Ok(())
        }
    });
    registry.schedule(Schedule::new("every-second", "* * * * * *", "test.tick").unwrap());
    let workers = [
        start(&db, registry.clone(), fast()),
        start(&db, registry.clone(), fast()),
        start(&db, registry, fast()),
    ];
    for _ in 0..3 {
        ticks.recv().await.unwrap();
    }
    for worker in workers {
        worker.stop().await;
    }
    // Every job is a distinct tick: none fired twice.
    let (jobs, distinct_seconds): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(DISTINCT date_trunc('second', created_at)) FROM jobs \
         WHERE kind = 'test.tick'",
    )
    .fetch_one(&owner)
    .await
    .unwrap();
    assert_eq!(jobs, distinct_seconds);
    assert!(jobs >= 3);
    assert_eq!(runs.load(Ordering::SeqCst) as i64, jobs);
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_tenant_never_sees_or_touches_another_tenants_jobs(owner: PgPool) {
    let (a, b) = tenants(&owner).await;
    let db = runtime(&owner);
    let id = enqueue_for(&db, a, &Greet { name: "x".into() }, &JobOptions::default()).await;
    let mut tx = tenant_tx_for(&db, b).await.unwrap();
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let changed = sqlx::query("UPDATE jobs SET state = 'dead' WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!((seen, changed), (0, 0));
    // Nor can a tenant enqueue for another: the policy pins tenant_id.
    let forged = sqlx::query("INSERT INTO jobs (tenant_id, kind) VALUES ($1, 'test.greet')")
        .bind(a)
        .execute(&mut *tx)
        .await;
    assert!(forged.is_err());
    // And the runtime role cannot claim behind the functions' back.
    let direct = sqlx::query("SELECT * FROM job_queues").execute(&db).await;
    assert!(direct.is_err());
}

#[sqlx::test(migrations = "../../migrations")]
async fn subscribers_get_every_tenants_events_in_order_again_after_a_failure(owner: PgPool) {
    use kernel::events::{self, NewEvent, Subscriber};
    let (a, b) = tenants(&owner).await;
    let db = runtime(&owner);
    for (tenant, n) in [(a, 3), (b, 2)] {
        let mut tx = tenant_tx_for(&db, tenant).await.unwrap();
        for i in 0..n {
            events::publish(
                &mut tx,
                &NewEvent::for_ids("leads", "lead.created", [i]).unwrap(),
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let failed_once = Arc::new(AtomicUsize::new(0));
    let mut registry = Registry::default();
    let fail = failed_once.clone();
    registry.subscribe(Subscriber::new("test.audit", move |tenant, batch| {
        let (seen_tx, fail) = (seen_tx.clone(), fail.clone());
        async move {
            let seqs: Vec<i64> = batch.iter().map(|e| e.seq).collect();
            seen_tx.send((tenant, seqs)).unwrap();
            // Tenant A's first batch fails: it must be handed again, whole.
            if tenant == a && fail.fetch_add(1, Ordering::SeqCst) == 0 {
                return Err(JobFailure::retry("audit store down"));
            }
            Ok(())
        }
    }));
    let worker = start(&db, registry, fast());
    let mut got = Vec::new();
    while got.len() < 3 {
        got.push(seen.recv().await.unwrap());
    }
    let for_a: Vec<_> = got
        .iter()
        .filter(|(t, _)| *t == a)
        .map(|(_, s)| s.clone())
        .collect();
    let for_b: Vec<_> = got
        .iter()
        .filter(|(t, _)| *t == b)
        .map(|(_, s)| s.clone())
        .collect();
    assert_eq!(
        for_a,
        [vec![1, 2, 3], vec![1, 2, 3]],
        "the failed batch came again"
    );
    assert_eq!(for_b, [vec![1, 2]]);
    // A new event is handed on its own, once.
    let mut tx = tenant_tx_for(&db, b).await.unwrap();
    events::publish(
        &mut tx,
        &NewEvent::for_ids("leads", "lead.updated", [9]).unwrap(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(seen.recv().await.unwrap(), (b, vec![3]));
    worker.stop().await;
    assert!(seen.try_recv().is_err());
}
