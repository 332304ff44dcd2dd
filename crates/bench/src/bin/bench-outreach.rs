//! The outreach slice under load, in-process on a migrated database given as the owner URL
//! (the library code `fortress serve` and `fortress worker` run):
//!
//! 1. **Enrollment**: `BENCH_LEADS` (default 100,000) leads of one tenant enrolled into a
//!    campaign at once (`Outreach::enroll`, what `POST …/enrollments` runs, its commit included).
//! 2. **Render + enqueue**: the planner (`Outreach::plan`) turns every due enrollment into a
//!    personalised message (fields, fallbacks, spintax, minijinja) with its send job, across 10
//!    mailboxes; messages per second, and the process's CPU time over the same span (one task:
//!    the rate is per core).
//! 3. **Sending**: `BENCH_SEND` (default 5,000) planned messages of a second tenant sent by one
//!    worker (`BENCH_SEND_CONCURRENCY`, default 10 jobs at once, so at most 10 SMTP
//!    connections) to the SMTP sink at `BENCH_SMTP` (`host:port`, e.g. postfix's smtp-sink);
//!    messages per second, and the worker process's CPU (cores busy) meanwhile.
//! 4. **Scheduler overhead**: 1,000 mailboxes pacing themselves (a random 30-90 s gap after
//!    each message) over `BENCH_SCHEDULE_LEADS` (default 20,000) due enrollments; the planner
//!    runs once a minute of simulated time (its clock is a parameter) for
//!    `BENCH_SCHEDULE_MINUTES` (default 10) minutes: messages planned per minute, and the
//!    process's CPU and the wall time (PostgreSQL included) each minute's run took, as a share
//!    of the minute.
//!
//! Usage: `bench-outreach <owner-database-url>`; REDIS_URL (default local).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use kernel::jobs::{Registry, Worker, WorkerConfig};
use kernel::tenancy::TenantId;
use kernel::UnitOfWork;
use serde_json::json;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use uuid::Uuid;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// This process's CPU time (user + system), from /proc (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// A tenant with `leads` leads (all with an email), `mailboxes` mailboxes sending to `smtp`
/// with `gap` seconds (min, max) between their messages, and an active one-step campaign from
/// them; answers (tenant, campaign, lead ids).
async fn tenant(
    owner: &PgPool,
    leads: u64,
    mailboxes: u64,
    gap: (i32, i32),
    smtp: (&str, u16),
) -> anyhow::Result<(TenantId, Uuid, Vec<Uuid>)> {
    let tenant = TenantId(Uuid::new_v4());
    let slug = format!("bench-{}", &tenant.0.simple().to_string()[..12]);
    sqlx::query("INSERT INTO tenants (id, name, slug) VALUES ($1, 'Bench', $2)")
        .bind(tenant)
        .bind(&slug)
        .execute(owner)
        .await?;
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO leads (tenant_id, id, first_name, last_name, email, company, status, custom)
         SELECT $1, gen_random_uuid(), 'Ada' || n, 'Lovelace', 'lead' || n || '@client' || (n % 500) || '.test',
                CASE WHEN n % 3 = 0 THEN NULL ELSE 'Company ' || (n % 500) END, 'new',
                jsonb_build_object('industry', 'retail')
         FROM generate_series(1, $2::int) AS n
         RETURNING id",
    )
    .bind(tenant)
    .bind(i32::try_from(leads)?)
    .fetch_all(owner)
    .await?;
    let mut boxes = Vec::new();
    for i in 0..mailboxes {
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO outreach_mailboxes (tenant_id, id, name, from_address, smtp_host, smtp_port,
                 smtp_security, daily_cap, warmup_enabled, min_gap_seconds, max_gap_seconds)
             VALUES ($1, $2, $3, $4, $5, $6, 'none', 10000, false, $7, $8)",
        )
        .bind(tenant)
        .bind(id)
        .bind(format!("Sender {i}"))
        .bind(format!("sender{i}@{slug}.test"))
        .bind(smtp.0)
        .bind(i32::from(smtp.1))
        .bind(gap.0)
        .bind(gap.1)
        .execute(owner)
        .await?;
        boxes.push(id);
    }
    let campaign = Uuid::now_v7();
    let steps = json!([{"delay_minutes": 0, "variants": [
        {"subject": "{Quick|Short} question for {{company | \"your team\"}}", "weight": 1,
         "body": "Hi {{first_name | \"there\"}},\n\n{I noticed|I saw} that {{company | \"your company\"}} works in {{custom.industry}}.\n{% if company %}We help teams like {{company}}.{% else %}We help teams like yours.{% endif %}\n\nWorth a call?"},
        {"subject": "{{first_name}}, a thought about {{custom.industry}}", "weight": 1,
         "body": "Hello {{first_name}}, {a short note|one question}: would a lookbook help?"}
    ]}]);
    sqlx::query(
        "INSERT INTO outreach_campaigns (tenant_id, id, name, status, timezone, window_days,
             window_start, window_end, mailbox_ids, steps)
         VALUES ($1, $2, 'Bench', 'active', 'UTC', '{1,2,3,4,5,6,7}', '00:00', '23:59:59', $3, $4)",
    )
    .bind(tenant)
    .bind(campaign)
    .bind(&boxes)
    .bind(steps)
    .execute(owner)
    .await?;
    Ok((tenant, campaign, ids))
}

fn outreach(db: &PgPool, cache: &kernel::cache::Cache) -> anyhow::Result<Arc<outreach::Outreach>> {
    let settings = outreach::Settings {
        public_url: "http://127.0.0.1:8080".into(),
        unsubscribe_key: b"bench unsubscribe key".to_vec(),
        allow_private_smtp: true,
        timeouts: outreach::smtp::Timeouts::default(),
        local_smtp: None,
    };
    Ok(Arc::new(outreach::Outreach {
        db: db.clone(),
        cache: cache.clone(),
        contacts: Arc::new(leads::contacts::LeadContacts),
        secrets: kernel::secrets::Secrets::new(&[7; 32])
            .map_err(|e| anyhow::anyhow!("secrets: {e}"))?,
        pool: outreach::smtp::Pool::new(settings.timeouts, true),
        sns: outreach::feedback::Sns::new(true),
        verifier: kernel::webhooks::WebhookVerifier::new(cache.clone()),
        settings,
    }))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let owner_url = std::env::args()
        .nth(1)
        .context("usage: bench-outreach <owner-database-url>")?;
    let leads = env_number("BENCH_LEADS", 100_000);
    let send = env_number("BENCH_SEND", 5_000);
    let concurrency = env_number("BENCH_SEND_CONCURRENCY", 10);
    let smtp = std::env::var("BENCH_SMTP").unwrap_or_else(|_| "127.0.0.1:2525".into());
    let (smtp_host, smtp_port) = smtp
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.to_owned(), p.parse::<u16>().ok()?)))
        .context("BENCH_SMTP is host:port")?;
    let redis = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());

    let owner = PgPoolOptions::new()
        .max_connections(4)
        .connect(&owner_url)
        .await?;
    let db = kernel::db::runtime_pool_from_owner(&owner.connect_options(), 16);
    let cache = kernel::cache::Cache::new(
        &redis,
        &format!("bench:outreach:{}:", Uuid::new_v4().simple()),
    )?;
    let outreach = outreach(&db, &cache)?;

    // 1. Enrollment.
    let smtp = (smtp_host.as_str(), smtp_port);
    let (big, campaign, ids) = tenant(&owner, leads, 10, (0, 0), smtp).await?;
    let started = Instant::now();
    let mut work = UnitOfWork::begin_for(&db, &cache, big).await?;
    let result = outreach
        .enroll(&mut work, campaign, ids)
        .await
        .map_err(|e| anyhow::anyhow!("enroll: {e:?}"))?;
    work.commit().await?;
    let took = started.elapsed().as_secs_f64();
    println!(
        "enrollment: {} leads enrolled ({} skipped) in {took:.2} s",
        result.enrolled.len(),
        result.skipped.len()
    );

    // 2. Render + enqueue.
    let (cpu0, started) = (cpu_seconds(), Instant::now());
    let planned = outreach
        .plan(big, chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("plan: {e}"))?;
    let took = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    println!(
        "render + enqueue: {} messages in {took:.2} s = {:.0} messages/s ({:.0} per CPU-second of this process; {cpu:.2} s CPU)",
        planned.queued,
        planned.queued as f64 / took,
        planned.queued as f64 / cpu.max(0.001)
    );
    // Those messages are not sent here: their jobs leave the queue.
    sqlx::query("DELETE FROM jobs WHERE tenant_id = $1")
        .bind(big)
        .execute(&owner)
        .await?;

    // 3. Sending.
    let (small, campaign, ids) = tenant(&owner, send, 10, (0, 0), smtp).await?;
    let mut work = UnitOfWork::begin_for(&db, &cache, small).await?;
    outreach
        .enroll(&mut work, campaign, ids)
        .await
        .map_err(|e| anyhow::anyhow!("enroll: {e:?}"))?;
    work.commit().await?;
    let planned = outreach
        .plan(small, chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("plan: {e}"))?;
    let mut registry = Registry::default();
    outreach::register(&mut registry, outreach.clone())
        .map_err(|e| anyhow::anyhow!("register: {e}"))?;
    let config = WorkerConfig {
        poll: Duration::from_millis(50),
        concurrency: usize::try_from(concurrency).unwrap_or(10),
        ..WorkerConfig::default()
    };
    let (cpu0, started) = (cpu_seconds(), Instant::now());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(Worker::new(db.clone(), registry, config).run(async {
        let _ = stopped.await;
    }));
    let target = i64::try_from(planned.queued)?;
    let sent = loop {
        let (sent, open): (i64, i64) = sqlx::query_as(
            "SELECT count(*) FILTER (WHERE state = 'sent'),
                    count(*) FILTER (WHERE state IN ('queued', 'sending'))
             FROM outreach_messages WHERE tenant_id = $1",
        )
        .bind(small)
        .fetch_one(&owner)
        .await?;
        if open == 0 || started.elapsed() > Duration::from_secs(600) {
            break sent;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let took = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    let _ = stop.send(());
    worker.await??;
    println!(
        "sending: {sent} of {target} messages sent to {}:{} in {took:.2} s = {:.0} messages/s, {concurrency} jobs at once; worker CPU {:.2} cores ({cpu:.2} s)",
        smtp.0,
        smtp.1,
        sent as f64 / took,
        cpu / took
    );

    // 4. Scheduler overhead: 1,000 pacing mailboxes, the planner once a simulated minute.
    let schedule_leads = env_number("BENCH_SCHEDULE_LEADS", 20_000);
    let minutes = env_number("BENCH_SCHEDULE_MINUTES", 10);
    let (paced, campaign, ids) = tenant(&owner, schedule_leads, 1_000, (30, 90), smtp).await?;
    let mut work = UnitOfWork::begin_for(&db, &cache, paced).await?;
    outreach
        .enroll(&mut work, campaign, ids)
        .await
        .map_err(|e| anyhow::anyhow!("enroll: {e:?}"))?;
    work.commit().await?;
    let t0 = chrono::Utc::now();
    let (mut planned_total, mut cpu_total, mut wall_total) = (0, 0.0, 0.0);
    for minute in 0..minutes {
        let now = t0 + chrono::Duration::minutes(i64::try_from(minute)?);
        let (cpu0, started) = (cpu_seconds(), Instant::now());
        let planned = outreach
            .plan(paced, now)
            .await
            .map_err(|e| anyhow::anyhow!("plan: {e}"))?;
        planned_total += planned.queued;
        cpu_total += cpu_seconds() - cpu0;
        wall_total += started.elapsed().as_secs_f64();
    }
    sqlx::query("DELETE FROM jobs WHERE tenant_id = $1")
        .bind(paced)
        .execute(&owner)
        .await?;
    let per_minute = |x: f64| x / minutes as f64 / 60.0 * 100.0;
    println!(
        "scheduler: 1000 mailboxes, {schedule_leads} enrollments, {minutes} simulated minutes: {:.0} messages planned a minute; per minute the planner took {:.2}% of a core (process CPU) and {:.2}% of the minute (wall, PostgreSQL included)",
        planned_total as f64 / minutes as f64,
        per_minute(cpu_total),
        per_minute(wall_total)
    );
    Ok(())
}
