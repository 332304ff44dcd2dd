//! AI logic discovery, offline: profiling `BENCH_DISCOVERY_ROWS` (default 1,000,000) bronze rows
//! across three tables (orders 80%, customers 15%, products 5%), then the whole discovery of
//! the same tables (profile → rule-based proposals → each validated in the sandbox over a
//! scratch copy), as the `discovery.run` job does it (without the database writes).
//!
//! Reports the wall time of each, the proposals and their verdicts. `BENCH_RUNS` (default 3)
//! runs of each. Targets (issue 15): profiling 1M rows across three tables < 5 s; the whole
//! offline discovery < 15 s.
//!
//! Usage: `bench-discovery` (SANDBOX_BIN, else the binary beside this one).

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use discovery::profile::profile;
use discovery::propose::{proposals_schema, Proposals, PROPOSE};
use discovery::validate::{validate, Verdict};
use kernel::llm::{Llm, Request};
use sandbox::Sandbox;
use serde_json::json;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Scattered values by multiplicative hashing, so columns neither repeat nor compress away.
fn scatter(n: u64) -> u64 {
    n.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20
}

fn write_shop(bronze: &Path, rows: u64) -> anyhow::Result<u64> {
    let (orders, customers) = (rows * 80 / 100, rows * 15 / 100);
    let products = rows - orders - customers;
    let mut bytes = 0;
    let mut file =
        |name: &str, header: &str, n: u64, line: &dyn Fn(u64) -> String| -> anyhow::Result<()> {
            let path = bronze.join(name);
            let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
            writeln!(out, "{header}")?;
            for i in 1..=n {
                writeln!(out, "{}", line(i))?;
            }
            out.flush()?;
            bytes += std::fs::metadata(&path)?.len();
            Ok(())
        };
    file(
        "customers.csv",
        "customer_id,email,full_name,country,signed_up",
        customers,
        &|i| {
            let s = scatter(i);
            format!(
                "{i},user{i}@example.com,Person {i},{},2025-{:02}-{:02}",
                ["de", "fr", "ro", "es", "it"][(s % 5) as usize],
                1 + s % 12,
                1 + s % 28
            )
        },
    )?;
    file(
        "products.csv",
        "product_id,name,category,price",
        products,
        &|i| {
            let s = scatter(i);
            format!(
                "{i},Product {i},cat{},{}.{:02}",
                s % 40,
                5 + s % 300,
                s % 100
            )
        },
    )?;
    file(
        "orders.csv",
        "order_id,customer_id,product_id,quantity,amount,ordered_at,status",
        orders,
        &|i| {
            let s = scatter(i);
            format!(
                "{i},{},{},{},{}.{:02},2026-{:02}-{:02}T{:02}:{:02}:00Z,{}",
                1 + s % customers.max(1),
                1 + (s >> 7) % products.max(1),
                1 + s % 4,
                10 + s % 500,
                (s >> 8) % 100,
                1 + (s >> 12) % 12,
                1 + (s >> 16) % 28,
                (s >> 20) % 24,
                (s >> 24) % 60,
                ["paid", "paid", "paid", "refunded"][(s % 4) as usize]
            )
        },
    )?;
    Ok(bytes)
}

fn median(mut values: Vec<f64>) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    (values[values.len() / 2], values[0])
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rows = env_number("BENCH_DISCOVERY_ROWS", 1_000_000);
    let runs = env_number("BENCH_RUNS", 3).max(1);
    let bin = Sandbox::locate().context("fortress-sandbox not found: set SANDBOX_BIN")?;
    let sandbox = Sandbox::new(&bin);
    let root = tempfile::tempdir()?;
    let workspace = root.path().join("project");
    for layer in ["bronze", "silver", "gold"] {
        std::fs::create_dir_all(workspace.join(layer))?;
    }
    let bytes = write_shop(&workspace.join("bronze"), rows)?;
    println!(
        "bench-discovery: {} with {rows} bronze rows in 3 tables ({:.1} MB CSV), {runs} runs",
        bin.display(),
        bytes as f64 / 1e6
    );

    let mut profiling = Vec::new();
    for run in 1..=runs {
        let started = Instant::now();
        let found = profile(&sandbox, &workspace, false)
            .await
            .map_err(|e| anyhow::anyhow!("profile: {e:?}"))?;
        let wall = started.elapsed().as_secs_f64();
        anyhow::ensure!(
            found.rows() == rows,
            "profiled {} rows, {rows} expected",
            found.rows()
        );
        println!(
            "  profile run {run}: {wall:.2} s, {} tables, {} join keys",
            found.tables.len(),
            found.joins.len()
        );
        profiling.push(wall);
    }

    let llm = Llm::offline();
    let mut whole = Vec::new();
    for run in 1..=runs {
        let started = Instant::now();
        let found = profile(&sandbox, &workspace, false)
            .await
            .map_err(|e| anyhow::anyhow!("profile: {e:?}"))?;
        let request = Request::new(&PROPOSE, json!({"profile": found, "max_proposals": 12}))
            .schema("proposals", proposals_schema());
        let (proposals, _) = llm.json::<Proposals>(&request).await?;
        let scratch = root.path().join(format!("scratch{run}"));
        for layer in ["bronze", "silver", "gold"] {
            std::fs::create_dir_all(scratch.join(layer))?;
        }
        for entry in std::fs::read_dir(workspace.join("bronze"))? {
            let entry = entry?;
            std::fs::hard_link(entry.path(), scratch.join("bronze").join(entry.file_name()))?;
        }
        let mut verdicts = Vec::new();
        for proposal in &proposals.proposals {
            let mut completions = Vec::new();
            let checked = validate(
                &sandbox,
                &llm,
                &scratch,
                &found,
                proposal,
                2,
                &mut completions,
            )
            .await;
            verdicts.push(format!(
                "{}.{} {}",
                proposal.layer.as_str(),
                proposal.name,
                match checked.verdict {
                    Verdict::Valid => format!("valid ({} rows)", checked.rows.unwrap_or(0)),
                    Verdict::Rejected =>
                        format!("REJECTED: {}", checked.reason.unwrap_or_default()),
                }
            ));
        }
        let wall = started.elapsed().as_secs_f64();
        println!(
            "  discovery run {run}: {wall:.2} s: {}",
            verdicts.join("; ")
        );
        std::fs::remove_dir_all(&scratch)?;
        whole.push(wall);
    }
    let (p50, best) = median(profiling);
    println!("discovery profiling of {rows} rows / 3 tables: median {p50:.2} s, best {best:.2} s (target < 5 s)");
    let (p50, best) = median(whole);
    println!("discovery, whole offline run: median {p50:.2} s, best {best:.2} s (target < 15 s)");
    Ok(())
}
