//! The projects slice under load, against a running `fortress serve`:
//!
//! - `setup <base> <cookie>`: creates a project with a 500-node tree (bronze, silver, gold,
//!   destination, edges between neighbouring layers) and prints its id (scripts/bench.sh then
//!   reads its state document with wrk);
//! - `updates <base> <cookie> <project>`: 200 node updates one at a time (their latency), then
//!   node status updates at BENCH_UPDATE_RATE per second
//!   (default 1,000) for BENCH_DURATION seconds while one SSE stream follows the project's
//!   channel; reports the rate achieved, PATCH latency, and whether every update's event
//!   arrived and how late (each update carries a token in its `error`, echoed by its event);
//! - `upload <base> <cookie> <project> <serve-pid>`: streams a BENCH_UPLOAD_MB (default 1,024)
//!   MB CSV to the bronze layer and samples the server's RSS meanwhile.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio::sync::{Mutex, Semaphore};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn client(base: &str, cookie: &str) -> anyhow::Result<reqwest::Client> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse()?);
    headers.insert("origin", base.parse()?);
    Ok(reqwest::Client::builder()
        .default_headers(headers)
        .pool_max_idle_per_host(512)
        .build()?)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// 500 nodes: 150 bronze sources, 150 silver tables, 150 gold models, 50 destinations; each
/// node feeds the one with its number in the next layer.
fn tree() -> Value {
    let layers = [
        ("bronze", "source", 150),
        ("silver", "table", 150),
        ("gold", "model", 150),
        ("destination", "destination", 50),
    ];
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for (l, (layer, kind, count)) in layers.iter().enumerate() {
        for i in 0..*count {
            nodes.push(json!({"id": format!("{layer}_{i}"), "layer": layer, "kind": kind, "name": format!("{layer} table {i}"), "position": i}));
            if l > 0 {
                let (previous, ..) = layers[l - 1];
                edges
                    .push(json!({"from": format!("{previous}_{i}"), "to": format!("{layer}_{i}")}));
            }
        }
    }
    json!({"nodes": nodes, "edges": edges})
}

async fn setup(base: &str, cookie: &str) -> anyhow::Result<()> {
    let http = client(base, cookie)?;
    let slug = format!("bench-{}", uuid::Uuid::new_v4().simple());
    let res = http
        .post(format!("{base}/api/v1/projects"))
        .json(&json!({"name": "Bench 500 nodes", "slug": slug}))
        .send()
        .await?;
    if res.status() != 201 {
        bail!("create project: {} {}", res.status(), res.text().await?);
    }
    let id = res.json::<Value>().await?["id"]
        .as_str()
        .context("id")?
        .to_owned();
    let res = http
        .put(format!("{base}/api/v1/projects/{id}/tree"))
        .json(&tree())
        .send()
        .await?;
    if res.status() != 200 {
        bail!("tree: {} {}", res.status(), res.text().await?);
    }
    // Some state for the document: a few nodes have run.
    for i in 0..50 {
        let body = json!({"status": "GREEN", "metrics": {"rows": 1000 + i, "bytes": 65536, "duration_ms": 420}});
        http.patch(format!("{base}/api/v1/projects/{id}/nodes/silver_{i}"))
            .json(&body)
            .send()
            .await?;
    }
    println!("{id}");
    Ok(())
}

async fn updates(base: &str, cookie: &str, project: &str) -> anyhow::Result<()> {
    let rate = env_number("BENCH_UPDATE_RATE", 1000);
    let seconds = env_number("BENCH_DURATION", 10);
    let total = rate * seconds;
    let http = client(base, cookie)?;
    let sent_at: Arc<Mutex<HashMap<u64, Instant>>> = Arc::default();

    // The stream first, so no event is missed.
    let stream = http
        .get(format!("{base}/api/v1/events?channels=projects/{project}"))
        .header("accept", "text/event-stream")
        .send()
        .await?;
    if stream.status() != 200 {
        bail!("SSE: {}", stream.status());
    }
    let arrivals = {
        let sent_at = sent_at.clone();
        tokio::spawn(async move {
            let mut lags = Vec::new();
            let mut buffer = String::new();
            let mut body = stream.bytes_stream();
            while let Some(Ok(chunk)) = body.next().await {
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let block: String = buffer.drain(..end + 2).collect();
                    let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) else {
                        continue;
                    };
                    let Ok(event) = serde_json::from_str::<Value>(data.trim()) else {
                        continue;
                    };
                    let token = event["payload"]["error"]
                        .as_str()
                        .and_then(|e| e.strip_prefix("u"))
                        .and_then(|n| n.parse::<u64>().ok());
                    if let Some(token) = token {
                        if let Some(at) = sent_at.lock().await.get(&token) {
                            lags.push(at.elapsed().as_secs_f64() * 1000.0);
                        }
                    }
                    if lags.len() as u64 == total {
                        return lags;
                    }
                }
            }
            lags
        })
    };

    // Alone first: one update at a time, as a single pipeline step reports its node.
    let mut alone = Vec::with_capacity(200);
    for i in 0..200u64 {
        let body = json!({"status": if i % 2 == 0 { "RUNNING" } else { "GREEN" }});
        let t0 = Instant::now();
        let res = http
            .patch(format!(
                "{base}/api/v1/projects/{project}/nodes/destination_{}",
                i % 50
            ))
            .json(&body)
            .send()
            .await?;
        if res.status() != 200 {
            bail!("update alone: {}", res.status());
        }
        alone.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    alone.sort_by(f64::total_cmp);
    println!(
        "one update at a time (200 in sequence): p50 {:.2} ms, p99 {:.2} ms",
        percentile(&alone, 0.5),
        percentile(&alone, 0.99)
    );

    let in_flight = Arc::new(Semaphore::new(1024));
    let latencies: Arc<Mutex<Vec<f64>>> = Arc::default();
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        // Paced: update i leaves at i / rate seconds.
        let due = start + Duration::from_secs_f64(i as f64 / rate as f64);
        tokio::time::sleep_until(due.into()).await;
        let permit = in_flight.clone().acquire_owned().await?;
        let (http, sent_at, latencies, failures) = (
            http.clone(),
            sent_at.clone(),
            latencies.clone(),
            failures.clone(),
        );
        let url = format!("{base}/api/v1/projects/{project}/nodes/gold_{}", i % 150);
        tasks.push(tokio::spawn(async move {
            let status = if i % 2 == 0 { "YELLOW" } else { "RED" };
            let body = json!({"status": status, "error": format!("u{i}"), "metrics": {"rows": i}});
            let t0 = Instant::now();
            sent_at.lock().await.insert(i, t0);
            match http.patch(url).json(&body).send().await {
                Ok(res) if res.status() == 200 => latencies
                    .lock()
                    .await
                    .push(t0.elapsed().as_secs_f64() * 1000.0),
                Ok(res) => failures.lock().await.push(res.status().to_string()),
                Err(e) => failures.lock().await.push(e.to_string()),
            }
            drop(permit);
        }));
    }
    for task in tasks {
        task.await?;
    }
    let sending = start.elapsed();
    let lags = tokio::time::timeout(Duration::from_secs(30), arrivals)
        .await
        .map(|r| r.unwrap_or_default())
        .unwrap_or_default();
    let mut latencies = latencies.lock().await.clone();
    latencies.sort_by(f64::total_cmp);
    let mut lags = lags;
    lags.sort_by(f64::total_cmp);
    let failures = failures.lock().await;
    println!(
        "node updates: {} sent at {rate}/s in {:.2} s: {} answered 200 ({:.0}/s), {} failed{}",
        total,
        sending.as_secs_f64(),
        latencies.len(),
        latencies.len() as f64 / sending.as_secs_f64(),
        failures.len(),
        failures
            .first()
            .map(|f| format!(" (first: {f})"))
            .unwrap_or_default()
    );
    println!(
        "PATCH latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "events over SSE: {} of {} delivered; send-to-arrival p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        lags.len(),
        latencies.len(),
        percentile(&lags, 0.5),
        percentile(&lags, 0.99),
        lags.last().copied().unwrap_or(f64::NAN)
    );
    Ok(())
}

fn rss_kb(pid: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

async fn upload(base: &str, cookie: &str, project: &str, pid: &str) -> anyhow::Result<()> {
    let megabytes = env_number("BENCH_UPLOAD_MB", 1024);
    let size = megabytes * 1024 * 1024;
    let http = client(base, cookie)?;
    // A CSV made on the fly, in 64 KiB chunks: no file on disk, nothing held.
    let row = b"1234567,customer@example.com,Some Product Name,42,19.99,2026-11-30T12:00:00Z\n";
    let header = b"id,email,product,quantity,price,ordered_at\n";
    let mut chunk = Vec::with_capacity(64 * 1024);
    while chunk.len() + row.len() <= 64 * 1024 {
        chunk.extend_from_slice(row);
    }
    let chunk = bytes_of(chunk);
    let full_chunks = (size - header.len() as u64) / chunk.len() as u64;
    let tail = (size - header.len() as u64 - full_chunks * chunk.len() as u64) as usize;
    let head = bytes_of(header.to_vec());
    let last = chunk.slice(0..tail);
    let stream = futures_util::stream::iter(
        std::iter::once(head)
            .chain((0..full_chunks).map(move |_| chunk.clone()))
            .chain(std::iter::once(last))
            .map(Ok::<_, std::io::Error>),
    );
    let part =
        reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), size)
            .file_name("bench_orders.csv")
            .mime_str("text/csv")?;
    let form = reqwest::multipart::Form::new().part("file", part);

    let before = rss_kb(pid);
    let peak = Arc::new(std::sync::atomic::AtomicU64::new(before));
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let (peak, sampling, pid) = (peak.clone(), sampling.clone(), pid.to_owned());
        tokio::spawn(async move {
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                peak.fetch_max(rss_kb(&pid), std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let start = Instant::now();
    let res = http
        .post(format!(
            "{base}/api/v1/projects/{project}/layers/bronze/objects"
        ))
        .multipart(form)
        .send()
        .await?;
    let took = start.elapsed();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    sampler.await?;
    let status = res.status();
    let body = res.text().await?;
    if status != 201 {
        bail!("upload: {status} {body}");
    }
    let peak = peak.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "upload of a {megabytes} MB CSV to bronze: {:.2} s ({:.0} MB/s); serve RSS {:.1} MB before, peak {:.1} MB (+{:.1} MB)",
        took.as_secs_f64(),
        megabytes as f64 / took.as_secs_f64(),
        before as f64 / 1024.0,
        peak as f64 / 1024.0,
        (peak.saturating_sub(before)) as f64 / 1024.0
    );
    let stored: Value = serde_json::from_str(&body)?;
    if stored["size"].as_u64() != Some(size) {
        bail!("stored {} bytes, sent {size}", stored["size"]);
    }
    // Leave the bench database's object store as it was.
    http.delete(format!(
        "{base}/api/v1/projects/{project}/layers/bronze/objects/bench_orders.csv"
    ))
    .send()
    .await?;
    Ok(())
}

fn bytes_of(v: Vec<u8>) -> bytes::Bytes {
    bytes::Bytes::from(v)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1..).unwrap_or_default() {
        [cmd, base, cookie] if cmd == "setup" => setup(base, cookie).await,
        [cmd, base, cookie, project] if cmd == "updates" => updates(base, cookie, project).await,
        [cmd, base, cookie, project, pid] if cmd == "upload" => {
            upload(base, cookie, project, pid).await
        }
        _ => bail!(
            "usage: bench-projects setup|updates|upload <base> <cookie> [project] [serve-pid]"
        ),
    }
}
