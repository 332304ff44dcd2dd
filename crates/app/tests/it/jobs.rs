//! The jobs admin API over HTTP: the dead-letter list, retry and discard, stats, scopes, and
//! tenant isolation. Jobs are run by an in-process worker on the same database.

use std::time::Duration;

use kernel::jobs::{
    enqueue_raw, JobContext, JobFailure, JobOptions, Registry, Worker, WorkerConfig,
};
use kernel::tenancy::{tenant_tx_for, TenantId};
use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{problem, Session, TestApp};

async fn enqueue(app: &TestApp, tenant: uuid::Uuid, attempts: i32) -> i64 {
    let mut tx = tenant_tx_for(&app.db, TenantId(tenant)).await.unwrap();
    let options = JobOptions::default().max_attempts(attempts);
    let id = enqueue_raw(&mut tx, "test.sync", json!({"crm": "hubspot"}), &options)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Polls the jobs API until the job is in `state`.
async fn wait_until(session: &Session, id: i64, state: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let job: Value = session
            .get(&format!("/api/v1/jobs/{id}"))
            .await
            .json()
            .await
            .unwrap();
        if job["state"] == state {
            return job;
        }
        assert!(tokio::time::Instant::now() < deadline, "job stayed {job}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[sqlx::test(migrations = "../../migrations")]
async fn admins_see_dead_jobs_and_retry_or_discard_them(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let other = app.sign_up("other").await;

    // A provider that is down, then back.
    let (up_tx, up) = tokio::sync::watch::channel(false);
    let mut registry = Registry::default();
    registry.on_raw("test.sync", move |_: JobContext| {
        let up = *up.borrow();
        async move {
            if up {
                Ok(())
            } else {
                Err(JobFailure::retry("hubspot answered 503"))
            }
        }
    });
    let config = WorkerConfig {
        poll: Duration::from_millis(50),
        backoff_base: Duration::from_millis(10),
        backoff_cap: Duration::from_millis(20),
        ..WorkerConfig::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(Worker::new(app.db.clone(), registry, config).run(async {
        let _ = stopped.await;
    }));

    let dead_id = enqueue(&app, acme.tenant_id, 2).await;
    let discard_id = enqueue(&app, acme.tenant_id, 1).await;
    let dead = wait_until(&acme, dead_id, "dead").await;
    assert_eq!(dead["attempts"], 2);
    assert_eq!(dead["last_error"], "hubspot answered 503");
    assert_eq!(dead["payload"]["crm"], "hubspot");
    wait_until(&acme, discard_id, "dead").await;

    // The dead-letter list, Refine style.
    let res = acme.get("/api/v1/jobs?state=dead").await;
    assert_eq!(res.headers()["x-total-count"], "2");
    let listed: Vec<Value> = res.json().await.unwrap();
    assert_eq!(listed[0]["id"], discard_id, "newest first");
    let stats: Value = acme.get("/api/v1/jobs/stats").await.json().await.unwrap();
    assert_eq!(stats["dead"], 2);

    // Another tenant sees none of it and can touch none of it.
    let theirs = other.get("/api/v1/jobs?state=dead").await;
    assert_eq!(theirs.headers()["x-total-count"], "0");
    problem(other.get(&format!("/api/v1/jobs/{dead_id}")).await, 404).await;
    problem(
        other
            .post_json(&format!("/api/v1/jobs/{dead_id}/retry"), &json!({}))
            .await,
        404,
    )
    .await;
    problem(other.delete(&format!("/api/v1/jobs/{dead_id}")).await, 404).await;

    // The provider is back: a retry succeeds; the other is discarded.
    up_tx.send_replace(true);
    let retried: Value = acme
        .post_json(&format!("/api/v1/jobs/{dead_id}/retry"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (retried["state"].as_str(), retried["attempts"].as_i64()),
        (Some("queued"), Some(0))
    );
    wait_until(&acme, dead_id, "succeeded").await;
    let again = problem(
        acme.post_json(&format!("/api/v1/jobs/{dead_id}/retry"), &json!({}))
            .await,
        409,
    )
    .await;
    assert_eq!(again["code"], "job_not_retryable");
    assert_eq!(
        acme.delete(&format!("/api/v1/jobs/{discard_id}"))
            .await
            .status(),
        204
    );
    problem(acme.get(&format!("/api/v1/jobs/{discard_id}")).await, 404).await;

    let _ = stop.send(());
    worker.await.unwrap().unwrap();
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_jobs_api_needs_the_jobs_scopes(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let key = &acme.new_api_key(&["leads:read"]).await;
    let res = testkit::reqwest::Client::new()
        .get(app.url("/api/v1/jobs"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    problem(res, 403).await;
    problem(app.get("/api/v1/jobs").await, 401).await;
    let bad = problem(
        acme.get("/api/v1/jobs?state_eq=dead&_sort=payload").await,
        400,
    )
    .await;
    assert_eq!(bad["code"], "invalid_list_query");
    // PostgreSQL text cannot hold NUL: the list parser refuses it for every slice (not a 500).
    let nul = problem(acme.get("/api/v1/jobs?state=%00").await, 400).await;
    assert_eq!(nul["code"], "invalid_list_query");
    app.stop().await;
}

/// PostgreSQL goes down as a job's handler finishes, so its success cannot be written: the
/// worker keeps trying within the lease (a short outage: recorded once), and past the lease
/// the job is recovered and runs again (a long outage). It never stays `running`.
#[sqlx::test(migrations = "../../migrations")]
async fn a_job_whose_outcome_cannot_be_written_is_recorded_later_or_runs_again(owner: PgPool) {
    use std::sync::Arc;
    use testkit::Mode;

    let (app, faults) = TestApp::spawn_behind_proxies(owner, |_| {}).await;
    let acme = app.sign_up("acme").await;
    let faults = Arc::new(faults);
    let lease = Duration::from_millis(900);
    // The first run of each job takes PostgreSQL down as it returns, and says so.
    let runs: Arc<std::sync::Mutex<std::collections::HashMap<i64, usize>>> = Arc::default();
    let (ran_tx, mut ran) = tokio::sync::mpsc::unbounded_channel::<i64>();
    let mut registry = Registry::default();
    {
        let (runs, faults) = (runs.clone(), faults.clone());
        registry.on_raw("test.sync", move |ctx: JobContext| {
            let first = {
                let mut runs = runs.lock().unwrap();
                let n = runs.entry(ctx.id).or_default();
                *n += 1;
                *n == 1
            };
            if first {
                faults.postgres.set(Mode::Down);
                let _ = ran_tx.send(ctx.id);
            }
            async { Ok(()) }
        });
    }
    let config = WorkerConfig {
        lease,
        poll: Duration::from_millis(50),
        ..WorkerConfig::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(Worker::new(app.db.clone(), registry, config).run(async {
        let _ = stopped.await;
    }));
    let state = |id: i64| {
        let db = app.owner_db.clone();
        async move {
            sqlx::query_as::<_, (String, i32)>("SELECT state, attempts FROM jobs WHERE id = $1")
                .bind(id)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    let finished = |id: i64| async move {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let (s, attempts) = state(id).await;
            if s == "succeeded" {
                return attempts;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "job {id} stayed {s}"
            );
            tokio::task::yield_now().await;
        }
    };

    // A short outage: back before the lease ends, the success is written, the job ran once.
    let short = enqueue(&app, acme.tenant_id, 5).await;
    assert_eq!(ran.recv().await, Some(short));
    faults.postgres.set(Mode::Forward);
    assert_eq!(finished(short).await, 1);
    assert_eq!(runs.lock().unwrap()[&short], 1);

    // A long outage: past the lease the job is recovered and runs again, then succeeds.
    let long = enqueue(&app, acme.tenant_id, 5).await;
    assert_eq!(ran.recv().await, Some(long));
    tokio::time::sleep(lease * 2).await; // the outage itself, not a wait for an event
    faults.postgres.set(Mode::Forward);
    assert_eq!(finished(long).await, 2);
    assert_eq!(runs.lock().unwrap()[&long], 2);

    let _ = stop.send(());
    worker.await.unwrap().unwrap();
    app.stop().await;
}
