//! Dependencies failing under a running `fortress serve`: its PostgreSQL and Redis are reached
//! through fault-injecting TCP proxies (testkit's), which this program takes down and back.
//!
//! 1. Redis hangs (accepts, never answers): API-key reads (`GET /api/v1/leads`, 8 at a time)
//!    before and while it hangs: p50, p99, max, throughput; and how long until Redis is used
//!    again once it answers.
//! 2. PostgreSQL refuses connections, then hangs: for each, the latency of every API request
//!    from the moment it goes down (all must be 503 with `Retry-After`), and how long until
//!    requests succeed again once it is back.
//!
//! 3. Slow bodies: `BENCH_SLOW_CLIENTS` (default 2,000) connections each announce a 100-byte
//!    sign-in body and send one byte; meanwhile `GET /health` is timed; then how long until the
//!    server has answered 408 and closed every one (`HTTP_BODY_TIMEOUT_SECONDS=5` here).
//!
//! Usage: `bench-faults <fortress-bin> <database>`: the database is migrated and seeded with
//! the demo tenant (scripts/bench.sh does both). Environment: BENCH_DURATION (seconds per
//! measurement, default 10).

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use reqwest::Client;
use testkit::{Mode, Proxy};

const EMAIL: &str = "demo@datafortress.local";
const PASSWORD: &str = "fortress-demo-2026";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[at]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// `GET url` with the key from `workers` tasks for `duration`: latencies and statuses.
async fn load(
    client: &Client,
    url: &str,
    key: &str,
    workers: usize,
    duration: Duration,
) -> (Vec<Duration>, Vec<u16>, bool) {
    let until = Instant::now() + duration;
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (client, url, key) = (client.clone(), url.to_owned(), key.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut seen = (Vec::new(), Vec::new(), false);
            while Instant::now() < until {
                let started = Instant::now();
                let res = client.get(&url).bearer_auth(&key).send().await;
                seen.0.push(started.elapsed());
                match res {
                    Ok(res) => {
                        seen.2 |= res.headers().contains_key("ratelimit");
                        seen.1.push(res.status().as_u16());
                    }
                    Err(_) => seen.1.push(0),
                }
            }
            seen
        }));
    }
    let mut all = (Vec::new(), Vec::new(), false);
    for task in tasks {
        if let Ok((lat, status, limited)) = task.await {
            all.0.extend(lat);
            all.1.extend(status);
            all.2 |= limited;
        }
    }
    all.0.sort();
    all
}

fn report(what: &str, (lat, status, limited): &(Vec<Duration>, Vec<u16>, bool), took: Duration) {
    let ok = status.iter().filter(|s| **s == 200).count();
    println!(
        "{what}: {} requests ({:.0}/s), {ok} answered 200, p50 {}, p99 {}, max {}; rate limit counted: {limited}",
        lat.len(),
        lat.len() as f64 / took.as_secs_f64(),
        ms(percentile(lat, 0.50)),
        ms(percentile(lat, 0.99)),
        ms(lat.last().copied().unwrap_or_default()),
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(fortress), Some(database)) = (args.get(1), args.get(2)) else {
        bail!("usage: bench-faults <fortress-bin> <database>");
    };
    let duration = Duration::from_secs(
        std::env::var("BENCH_DURATION")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10),
    );
    let postgres = Proxy::start("127.0.0.1:5432".parse()?).await;
    let redis = Proxy::start("127.0.0.1:6379".parse()?).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut serve = tokio::process::Command::new(fortress)
        .arg("serve")
        .env("APP_ENV", "dev")
        .env("RUST_LOG", "error")
        .env("HTTP_ADDR", format!("127.0.0.1:{port}"))
        .env("PUBLIC_URL", &base)
        .env(
            "DATABASE_URL",
            format!(
                "postgres://fortress_app@127.0.0.1:{}/{database}?sslmode=disable",
                postgres.port()
            ),
        )
        .env("REDIS_URL", format!("redis://127.0.0.1:{}", redis.port()))
        .env(
            "REDIS_PREFIX",
            format!("bench-faults:{}:", std::process::id()),
        )
        .env("RATE_LIMIT_API", "1000000/60:1000000")
        // The slow-body hold below comes from one address: measure the deadlines, not the cap.
        .env("HTTP_MAX_CONNECTIONS_PER_CLIENT", "0")
        .env("HTTP_BODY_TIMEOUT_SECONDS", "5")
        .env("HTTP_REQUEST_TIMEOUT_SECONDS", "10")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("starting fortress serve")?;
    let client = Client::builder().timeout(Duration::from_secs(30)).build()?;
    let started = Instant::now();
    let ready = |res: Result<reqwest::Response, reqwest::Error>| {
        res.is_ok_and(|r| r.status() == reqwest::StatusCode::OK)
    };
    while !ready(client.get(format!("{base}/ready")).send().await) {
        if started.elapsed() > Duration::from_secs(20) {
            bail!("fortress serve did not become ready");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // An API key of the demo tenant.
    let browser = Client::builder().cookie_store(true).build()?;
    let login = browser
        .post(format!("{base}/api/v1/auth/login"))
        .header("origin", &base)
        .json(&serde_json::json!({"email": EMAIL, "password": PASSWORD}))
        .send()
        .await?;
    if !login.status().is_success() {
        bail!("demo sign-in failed: {}", login.status());
    }
    let key: serde_json::Value = browser
        .post(format!("{base}/api/v1/api-keys"))
        .header("origin", &base)
        .json(&serde_json::json!({"name": "bench-faults", "scopes": ["leads:read"]}))
        .send()
        .await?
        .json()
        .await?;
    let key = key["secret"].as_str().context("no key secret")?.to_owned();
    let url = format!("{base}/api/v1/leads?_start=0&_end=25");

    println!(
        "\n## Redis hangs: API-key reads (GET /api/v1/leads, 25 rows, 8 at a time, {}s each)",
        duration.as_secs()
    );
    report(
        "Redis up",
        &load(&client, &url, &key, 8, duration).await,
        duration,
    );
    redis.set(Mode::Silent);
    let first = Instant::now();
    let _ = client.get(&url).bearer_auth(&key).send().await;
    println!(
        "first request meeting the hanging Redis: {}",
        ms(first.elapsed())
    );
    report(
        "Redis hanging",
        &load(&client, &url, &key, 8, duration).await,
        duration,
    );
    redis.set(Mode::Forward);
    let back = Instant::now();
    loop {
        let res = client.get(&url).bearer_auth(&key).send().await?;
        if res.headers().contains_key("ratelimit") {
            break;
        }
        if back.elapsed() > Duration::from_secs(30) {
            bail!("Redis was not used again within 30 s");
        }
    }
    println!("Redis used again {} after it answers", ms(back.elapsed()));

    for mode in [Mode::Down, Mode::Silent] {
        println!(
            "\n## PostgreSQL {mode:?}: every API request from the moment it goes down ({}s)",
            duration.as_secs()
        );
        postgres.set(mode);
        let (all, statuses, _) = load(&client, &url, &key, 8, duration).await;
        let s503 = statuses.iter().filter(|s| **s == 503).count();
        let other = statuses.len() - s503;
        println!(
            "{} requests, {s503} answered 503, {other} otherwise; p50 {}, p99 {}, max {}",
            statuses.len(),
            ms(percentile(&all, 0.50)),
            ms(percentile(&all, 0.99)),
            ms(all.last().copied().unwrap_or_default()),
        );
        postgres.set(Mode::Forward);
        let back = Instant::now();
        loop {
            let res = client.get(&url).bearer_auth(&key).send().await?;
            if res.status() == 200 {
                break;
            }
            if back.elapsed() > Duration::from_secs(30) {
                bail!("PostgreSQL was not used again within 30 s");
            }
        }
        println!(
            "requests succeed again {} after it is back",
            ms(back.elapsed())
        );
    }
    slow_bodies(&client, &base, port).await?;
    serve.kill().await.ok();
    Ok(())
}

/// Section 3 (see the module docs).
async fn slow_bodies(client: &Client, base: &str, port: u16) -> anyhow::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let clients: usize = std::env::var("BENCH_SLOW_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    println!(
        "\n## Slow bodies: {clients} connections each send 1 of 100 announced bytes, then nothing"
    );
    let head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{";
    let started = Instant::now();
    let mut held = Vec::with_capacity(clients);
    for _ in 0..clients {
        let mut conn = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        conn.write_all(head.as_bytes()).await?;
        held.push(conn);
    }
    println!("{clients} connections open in {}", ms(started.elapsed()));
    let mut health = Vec::new();
    while started.elapsed() < Duration::from_secs(4) {
        let asked = Instant::now();
        let ok = client
            .get(format!("{base}/health"))
            .send()
            .await?
            .status()
            .is_success();
        health.push(asked.elapsed());
        if !ok {
            bail!("/health failed during the hold");
        }
    }
    health.sort();
    println!(
        "GET /health during the hold: {} requests, all 200, p50 {}, p99 {}, max {}",
        health.len(),
        ms(percentile(&health, 0.50)),
        ms(percentile(&health, 0.99)),
        ms(health.last().copied().unwrap_or_default()),
    );
    let mut timed_out = 0;
    let mut answered_by = Duration::ZERO;
    for mut conn in held {
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(30), conn.read_to_end(&mut answer))
            .await
            .context("a slow connection was still held 30 s after the deadline")??;
        answered_by = answered_by.max(started.elapsed());
        if answer.starts_with(b"HTTP/1.1 408") {
            timed_out += 1;
        }
    }
    println!(
        "{timed_out} of {clients} answered 408 and closed; the last {} after the first was opened (deadline 5 s)",
        ms(answered_by)
    );
    Ok(())
}
