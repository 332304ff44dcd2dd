//! The worker: claims jobs, runs their handlers concurrently, records outcomes in batches,
//! renews leases, recovers other workers' expired leases, fires cron ticks, and stops cleanly.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use rand::Rng;
use serde_json::Value;
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use tokio::sync::{mpsc, Notify, Semaphore};
use tokio::task::JoinSet;
use tracing::Instrument;

use super::enqueue::Job;
use super::failure::JobFailure;
use super::schedule::{self, Schedule};
use super::store::{self, Claimed};
use crate::events::subscribers::{self, Subscriber};
use crate::tenancy::TenantId;

/// How a worker runs. The defaults suit production; tests shorten the times.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Handlers running at once.
    pub concurrency: usize,
    /// Jobs claimed per round trip at most.
    pub batch: usize,
    /// How long a claimed job is ours without renewal; renewed every third of it. A worker that
    /// dies holds its jobs at most this long.
    pub lease: Duration,
    /// How often to look for jobs that became due (new jobs wake the worker at once).
    pub poll: Duration,
    /// On shutdown, how long running jobs may take before they are handed back.
    pub shutdown_grace: Duration,
    /// The first retry's delay; it doubles per attempt up to `backoff_cap`, with jitter.
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            concurrency: 32,
            batch: 100,
            lease: Duration::from_secs(30),
            poll: Duration::from_secs(1),
            shutdown_grace: Duration::from_secs(20),
            backoff_base: Duration::from_secs(5),
            backoff_cap: Duration::from_secs(3600),
        }
    }
}

/// The delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed:
/// `base * 2^(attempt-1)` capped at `cap`, of which a random half is kept ("equal jitter"), so
/// jobs that failed together do not come back together.
pub fn backoff(attempt: i32, base: Duration, cap: Duration) -> Duration {
    let exponent = u32::try_from(attempt.saturating_sub(1))
        .unwrap_or(0)
        .min(30);
    let full = base.saturating_mul(1u32 << exponent).min(cap);
    let half = full / 2;
    half + rand::thread_rng().gen_range(Duration::ZERO..=half)
}

/// What a handler knows about the job it runs.
#[derive(Debug, Clone)]
pub struct JobContext {
    pub id: i64,
    pub kind: String,
    /// `None` for platform jobs (cron).
    pub tenant: Option<TenantId>,
    /// This attempt, 1-based.
    pub attempt: i32,
    pub max_attempts: i32,
    pub payload: Value,
    /// When the job became due.
    pub run_at: DateTime<Utc>,
}

impl JobContext {
    /// The job's tenant; a tenant job without one is a bug that retrying cannot fix.
    pub fn tenant(&self) -> Result<TenantId, JobFailure> {
        self.tenant
            .ok_or_else(|| JobFailure::permanent("this job needs a tenant and has none"))
    }

    pub fn is_last_attempt(&self) -> bool {
        self.attempt >= self.max_attempts
    }
}

type Handler = Arc<dyn Fn(JobContext) -> BoxFuture<'static, Result<(), JobFailure>> + Send + Sync>;

/// The job kinds a worker runs and the cron schedules it fires; slices register theirs.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<String, Handler>,
    schedules: Vec<Schedule>,
    subscribers: Vec<Subscriber>,
}

impl Registry {
    /// Runs jobs of kind `J::KIND` with `handler`; a payload that does not parse as `J` is a
    /// permanent failure.
    pub fn on<J, F, Fut>(&mut self, handler: F) -> &mut Self
    where
        J: Job,
        F: Fn(JobContext, J) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobFailure>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        self.on_raw(J::KIND, move |ctx| {
            let handler = handler.clone();
            async move {
                let job: J = serde_json::from_value(ctx.payload.clone()).map_err(|err| {
                    JobFailure::permanent(format!("payload is not a {}: {err}", J::KIND))
                })?;
                handler(ctx, job).await
            }
        })
    }

    /// Runs jobs of `kind` with `handler`, which reads the payload itself.
    pub fn on_raw<F, Fut>(&mut self, kind: &str, handler: F) -> &mut Self
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobFailure>> + Send + 'static,
    {
        assert!(super::valid_kind(kind), "invalid job kind {kind:?}");
        let handler: Handler = Arc::new(move |ctx| handler(ctx).boxed());
        let replaced = self.handlers.insert(kind.to_owned(), handler);
        assert!(replaced.is_none(), "job kind {kind:?} registered twice");
        self
    }

    /// Fires `schedule` (its kind must be registered too).
    pub fn schedule(&mut self, schedule: Schedule) -> &mut Self {
        self.schedules.push(schedule);
        self
    }

    /// Runs `subscriber` over every tenant's events.
    pub fn subscribe(&mut self, subscriber: Subscriber) -> &mut Self {
        assert!(
            self.subscribers
                .iter()
                .all(|s| s.name() != subscriber.name()),
            "subscriber {:?} registered twice",
            subscriber.name()
        );
        self.subscribers.push(subscriber);
        self
    }

    pub fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self.handlers.keys().cloned().collect();
        kinds.sort();
        kinds
    }
}

/// One worker process's job runner.
pub struct Worker {
    db: PgPool,
    registry: Arc<Registry>,
    config: WorkerConfig,
    id: String,
}

/// A finished attempt, on its way to the database.
struct Outcome {
    id: i64,
    attempt: i32,
    result: Result<(), JobFailure>,
}

/// Jobs this worker holds: claimed and not yet recorded.
type Held = Arc<Mutex<HashSet<i64>>>;

fn lock(held: &Held) -> std::sync::MutexGuard<'_, HashSet<i64>> {
    held.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Worker {
    pub fn new(db: PgPool, registry: Registry, config: WorkerConfig) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".to_owned());
        let id = format!(
            "{host}:{}:{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Self {
            db,
            registry: Arc::new(registry),
            config,
            id,
        }
    }

    /// The id written to `jobs.locked_by`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Runs jobs until `shutdown` resolves, then stops as the module docs describe.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), sqlx::Error> {
        let kinds = self.registry.kinds();
        let wake = Arc::new(Notify::new());
        let mut listener = PgListener::connect_with(&self.db).await?;
        listener
            .listen_all(["kernel_jobs", "kernel_events"])
            .await?;
        let mut background = JoinSet::new();
        let mut event_wakes = Vec::new();
        for subscriber in &self.registry.subscribers {
            let subscriber_wake = Arc::new(Notify::new());
            event_wakes.push(subscriber_wake.clone());
            background.spawn(subscribers::dispatch(
                self.db.clone(),
                subscriber.clone(),
                subscriber_wake,
                self.config.poll,
            ));
        }
        background.spawn(listen(listener, wake.clone(), event_wakes));
        let held: Held = Arc::default();
        background.spawn(heartbeat(
            self.db.clone(),
            self.id.clone(),
            held.clone(),
            self.config.lease,
        ));
        for schedule in &self.registry.schedules {
            background.spawn(schedule::fire(self.db.clone(), schedule.clone()));
        }
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        let recorder = tokio::spawn(record(
            self.db.clone(),
            self.id.clone(),
            done_rx,
            held.clone(),
            self.config.clone(),
        ));
        tracing::info!(worker = %self.id, kinds = ?kinds, concurrency = self.config.concurrency, "job worker started");

        let permits = Arc::new(Semaphore::new(self.config.concurrency.max(1)));
        let mut running = JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            while running.try_join_next().is_some() {}
            let free = permits.available_permits();
            if free == 0 {
                tokio::select! {
                    () = &mut shutdown => break,
                    permit = permits.clone().acquire_owned() => drop(permit),
                }
                continue;
            }
            let want = free.min(self.config.batch.max(1));
            let claimed =
                match store::claim(&self.db, &self.id, &kinds, want, self.config.lease).await {
                    Ok(claimed) => claimed,
                    Err(err) => {
                        tracing::warn!(error = %err, "claiming jobs failed; retrying");
                        tokio::select! {
                            () = &mut shutdown => break,
                            () = tokio::time::sleep(self.config.poll) => {}
                        }
                        continue;
                    }
                };
            let got = claimed.len();
            for job in claimed {
                let Ok(permit) = permits.clone().try_acquire_owned() else {
                    break; // cannot happen: only this loop takes permits
                };
                lock(&held).insert(job.id);
                let handler = self.registry.handlers.get(&job.kind).cloned();
                running.spawn(run_one(handler, job, done_tx.clone(), permit));
            }
            if got == want {
                continue;
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = wake.notified() => {}
                () = tokio::time::sleep(self.config.poll) => {}
            }
        }

        let in_flight = running.len();
        tracing::info!(in_flight, "job worker stopping");
        let drained = tokio::time::timeout(self.config.shutdown_grace, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                left = running.len(),
                "jobs still running after the grace period are handed back"
            );
            running.abort_all();
            while running.join_next().await.is_some() {}
        }
        drop(done_tx);
        let _ = recorder.await;
        background.abort_all();
        let unfinished: Vec<i64> = lock(&held).drain().collect();
        if !unfinished.is_empty() {
            let released = store::release(&self.db, &self.id, &unfinished).await?;
            tracing::info!(released, "unfinished jobs handed back");
        }
        tracing::info!("job worker stopped");
        Ok(())
    }
}

async fn run_one(
    handler: Option<Handler>,
    job: Claimed,
    done: mpsc::UnboundedSender<Outcome>,
    _permit: tokio::sync::OwnedSemaphorePermit,
) {
    let ctx = JobContext {
        id: job.id,
        kind: job.kind,
        tenant: job.tenant_id.map(TenantId),
        attempt: job.attempts,
        max_attempts: job.max_attempts,
        payload: job.payload,
        run_at: job.run_at,
    };
    let span = tracing::info_span!("job", job_id = ctx.id, kind = %ctx.kind,
        tenant_id = ?ctx.tenant.map(|t| t.0), attempt = ctx.attempt);
    let result = match handler {
        Some(handler) => AssertUnwindSafe(handler(ctx))
            .catch_unwind()
            .instrument(span)
            .await
            .unwrap_or_else(|_| Err(JobFailure::retry("the handler panicked"))),
        // Claims only ask for registered kinds; kept for safety.
        None => Err(JobFailure::retry("no handler for this kind on this worker")),
    };
    let _ = done.send(Outcome {
        id: job.id,
        attempt: job.attempts,
        result,
    });
}

/// Writes outcomes: successes in batches (one statement for many jobs), failures one by one.
///
/// A job stops being renewed as soon as its handler has finished. When its outcome cannot be
/// written (PostgreSQL down), the write is retried every [`RECORD_RETRY`] until it succeeds
/// or the lease has run out; after that the job, still `running` under an expired lease, is
/// recovered and runs again (at least once, never stuck). A late write is harmless: the SQL
/// only records an outcome for a job this worker still holds.
async fn record(
    db: PgPool,
    worker: String,
    mut done: mpsc::UnboundedReceiver<Outcome>,
    held: Held,
    config: WorkerConfig,
) {
    let mut pending: Vec<(Outcome, tokio::time::Instant)> = Vec::new();
    let mut batch = Vec::new();
    let mut open = true;
    while open || !pending.is_empty() {
        let arrived = if pending.is_empty() {
            done.recv_many(&mut batch, 1000).await
        } else if open {
            tokio::select! {
                n = done.recv_many(&mut batch, 1000) => n,
                () = tokio::time::sleep(RECORD_RETRY) => usize::MAX,
            }
        } else {
            // Shutting down: one more try for what is pending, then the leases decide.
            0
        };
        if arrived == 0 {
            open = false;
        }
        let now = tokio::time::Instant::now();
        {
            let mut held = lock(&held);
            for outcome in &batch {
                held.remove(&outcome.id);
            }
        }
        let expires = now + config.lease;
        let mut todo: Vec<(Outcome, tokio::time::Instant)> = std::mem::take(&mut pending);
        todo.extend(batch.drain(..).map(|outcome| (outcome, expires)));
        let unwritten = write_outcomes(&db, &worker, todo, &config).await;
        for (outcome, until) in unwritten {
            if !open {
                tracing::warn!(
                    job_id = outcome.id,
                    "outcome not written before shutdown; the job runs again after its lease"
                );
            } else if until > now {
                pending.push((outcome, until));
            } else {
                tracing::warn!(
                    job_id = outcome.id,
                    "outcome could not be written within the lease; the job runs again"
                );
            }
        }
    }
}

/// How often an outcome that could not be written is tried again.
const RECORD_RETRY: Duration = Duration::from_millis(500);

/// Writes `outcomes`, each before its lease runs out (a write still waiting for PostgreSQL
/// then is abandoned: the job is recovered instead); returns those that could not be written.
async fn write_outcomes(
    db: &PgPool,
    worker: &str,
    outcomes: Vec<(Outcome, tokio::time::Instant)>,
    config: &WorkerConfig,
) -> Vec<(Outcome, tokio::time::Instant)> {
    let mut unwritten = Vec::new();
    let (succeeded, failed): (Vec<_>, Vec<_>) =
        outcomes.into_iter().partition(|(o, _)| o.result.is_ok());
    for (outcome, until) in failed {
        let Err(failure) = &outcome.result else {
            continue;
        };
        let retry_at = failure.retry_at.unwrap_or_else(|| {
            let delay = backoff(outcome.attempt, config.backoff_base, config.backoff_cap);
            Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default()
        });
        let written = tokio::time::timeout_at(
            until,
            store::fail(
                db,
                worker,
                outcome.id,
                &failure.message,
                retry_at,
                failure.permanent,
            ),
        )
        .await
        .unwrap_or(Err(sqlx::Error::PoolTimedOut));
        match written {
            Ok(Some(state)) if state == "dead" => {
                tracing::error!(job_id = outcome.id, error = %failure, "job is dead")
            }
            Ok(_) => {
                tracing::warn!(job_id = outcome.id, error = %failure, %retry_at, "job failed; will retry")
            }
            Err(err) => {
                tracing::error!(job_id = outcome.id, error = %err, "recording a failure failed; trying again");
                unwritten.push((outcome, until));
            }
        }
    }
    if let Some(until) = succeeded.iter().map(|(_, until)| *until).min() {
        let ids: Vec<i64> = succeeded.iter().map(|(o, _)| o.id).collect();
        let written = tokio::time::timeout_at(until, store::complete(db, worker, &ids))
            .await
            .unwrap_or(Err(sqlx::Error::PoolTimedOut));
        if let Err(err) = written {
            tracing::error!(error = %err, jobs = ids.len(), "recording successes failed; trying again");
            unwritten.extend(succeeded);
        }
    }
    unwritten
}

/// Renews our leases every third of a lease, and recovers dead workers' jobs.
async fn heartbeat(db: PgPool, worker: String, held: Held, lease: Duration) {
    let mut tick = tokio::time::interval(lease / 3);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let ids: Vec<i64> = lock(&held).iter().copied().collect();
        if !ids.is_empty() {
            if let Err(err) = store::extend(&db, &worker, &ids, lease).await {
                tracing::warn!(error = %err, "renewing job leases failed");
            }
        }
        match store::recover(&db).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(
                recovered = n,
                "jobs of a worker that stopped renewing its leases are ready again"
            ),
            Err(err) => tracing::warn!(error = %err, "recovering expired leases failed"),
        }
    }
}

/// Turns `NOTIFY kernel_jobs` and `kernel_events` into wake-ups. The listener reconnects by
/// itself; a notification lost meanwhile only waits for the next poll.
async fn listen(mut listener: PgListener, jobs: Arc<Notify>, events: Vec<Arc<Notify>>) {
    loop {
        match listener.recv().await {
            Ok(note) if note.channel() == "kernel_events" => {
                for wake in &events {
                    wake.notify_one();
                }
            }
            Ok(_) => jobs.notify_one(),
            Err(err) => {
                tracing::warn!(error = %err, "job notifications lost; polling meanwhile");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}
