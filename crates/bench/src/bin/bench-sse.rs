//! SSE fan-out: `CLIENTS` concurrent `GET /api/v1/events` streams of one tenant on one
//! `fortress serve`, then events created through the API; for each event, the time from
//! sending the request that creates it to its arrival on every stream.
//!
//! Usage: `bench-sse <base-url> <session-cookie> <serve-pid>` (scripts/bench.sh starts the
//! server, signs in, and passes them). Environment: BENCH_SSE_CLIENTS (default 10000),
//! BENCH_SSE_EVENTS (default 5).
//!
//! Clients are plain TCP connections speaking HTTP/1.1, so that the load generator stays light
//! next to the server on the same machine.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rss_mb(pid: &str) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("no VmRSS")?;
    Ok(kb / 1024.0)
}

/// One client: connects, reads the stream, reports (client, event id) with the arrival time.
async fn client(
    addr: String,
    host: String,
    cookie: String,
    index: usize,
    ready: mpsc::UnboundedSender<usize>,
    arrivals: mpsc::UnboundedSender<(usize, i64, Instant)>,
) -> anyhow::Result<()> {
    let mut stream = TcpStream::connect(&addr).await?;
    let request = format!(
        "GET /api/v1/events HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut lines = BufReader::new(stream).lines();
    let status = lines.next_line().await?.context("no status line")?;
    if !status.contains(" 200 ") {
        bail!("client {index}: {status}");
    }
    let mut told_ready = false;
    while let Some(line) = lines.next_line().await? {
        if line.starts_with("retry:") && !told_ready {
            told_ready = true;
            let _ = ready.send(index);
        } else if let Some(id) = line.strip_prefix("id: ") {
            let now = Instant::now();
            let _ = arrivals.send((index, id.trim().parse().unwrap_or(-1), now));
        }
    }
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let base = args
        .next()
        .context("usage: bench-sse <base-url> <cookie> <serve-pid>")?;
    let cookie = args.next().context("missing cookie")?;
    let pid = args.next().context("missing serve pid")?;
    let clients = env_number("BENCH_SSE_CLIENTS", 10_000);
    let events = env_number("BENCH_SSE_EVENTS", 5);
    let host = base.trim_start_matches("http://").to_owned();

    let rss_before = rss_mb(&pid)?;
    let (ready_tx, mut ready) = mpsc::unbounded_channel();
    let (arrival_tx, mut arrivals) = mpsc::unbounded_channel();
    let started = Instant::now();
    for index in 0..clients {
        let (addr, host, cookie) = (host.clone(), host.clone(), cookie.clone());
        let (ready_tx, arrival_tx) = (ready_tx.clone(), arrival_tx.clone());
        tokio::spawn(async move {
            if let Err(err) = client(addr, host, cookie, index, ready_tx, arrival_tx).await {
                eprintln!("client {index}: {err:#}");
            }
        });
        // Pace the connects a little so the listen backlog never overflows.
        if index % 500 == 499 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    drop((ready_tx, arrival_tx));
    let mut connected = 0;
    while connected < clients {
        match tokio::time::timeout(Duration::from_secs(60), ready.recv()).await {
            Ok(Some(_)) => connected += 1,
            _ => bail!("only {connected} of {clients} streams opened"),
        }
    }
    println!(
        "{clients} streams open in {:.1} s; serve RSS {:.1} MB before, {:.1} MB with them open",
        started.elapsed().as_secs_f64(),
        rss_before,
        rss_mb(&pid)?
    );

    let http = reqwest::Client::new();
    let mut all = Vec::new();
    for round in 0..events {
        let sent = Instant::now();
        let res = http
            .post(format!("{base}/api/v1/webhook-endpoints"))
            .header("Cookie", &cookie)
            .header("Origin", &base)
            .json(&serde_json::json!({"url": format!("https://hooks.example.com/{round}"), "event_types": ["none"]}))
            .send()
            .await?;
        if res.status() != 201 {
            bail!("creating the event's record failed: {}", res.status());
        }
        let mut seen: Option<i64> = None;
        let mut latencies = Vec::with_capacity(clients);
        while latencies.len() < clients {
            let Ok(Some((_, id, at))) =
                tokio::time::timeout(Duration::from_secs(30), arrivals.recv()).await
            else {
                bail!(
                    "event {round}: only {} of {clients} streams got it",
                    latencies.len()
                );
            };
            if *seen.get_or_insert(id) != id {
                bail!("event {round}: unexpected id {id}");
            }
            latencies.push(at.duration_since(sent).as_secs_f64() * 1000.0);
        }
        latencies.sort_by(f64::total_cmp);
        println!(
            "event {} (id {}): reached all {clients} streams; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            round + 1,
            seen.unwrap_or(-1),
            percentile(&latencies, 50.0),
            percentile(&latencies, 99.0),
            latencies.last().copied().unwrap_or(f64::NAN)
        );
        all.extend(latencies);
    }
    all.sort_by(f64::total_cmp);
    println!(
        "all {events} events: p50 {:.1} ms, p99 {:.1} ms; serve RSS {:.1} MB",
        percentile(&all, 50.0),
        percentile(&all, 99.0),
        rss_mb(&pid)?
    );
    Ok(())
}
