//! The DuckDB sandbox on a realistic transform: `BENCH_SANDBOX_ROWS` (default 1,000,000) bronze
//! CSV order rows become a typed silver Parquet table and a gold per-day aggregate, in one
//! sandbox run (a fresh `fortress-sandbox` child, with its default limits), as the
//! orchestration slice's `sandbox:sql` task runs it.
//!
//! Reports the wall time of the run as the parent sees it (spawn, DuckDB, Parquet written and
//! published), the child's own duration, the rows and bytes written and the child's peak memory.
//! `BENCH_RUNS` (default 3) runs, each on a fresh workspace copy of the same bronze file.
//!
//! Usage: `bench-sandbox` (SANDBOX_BIN, else the binary beside this one).

use std::io::Write;
use std::time::Instant;

use anyhow::Context;
use sandbox::{Layer, Sandbox};

const TRANSFORM: &str = "
    CREATE TABLE silver.orders AS
    SELECT id::BIGINT AS id, customer_id::BIGINT AS customer_id, product,
           amount::DECIMAL(12,2) AS amount, created_at::TIMESTAMP AS created_at
    FROM bronze.orders
    WHERE amount IS NOT NULL;
    CREATE TABLE gold.sales_by_day AS
    SELECT created_at::DATE AS day, count(*) AS orders, count(DISTINCT customer_id) AS customers,
           sum(amount) AS revenue
    FROM silver.orders GROUP BY 1;
    SELECT count(*) AS days, sum(orders) AS orders FROM gold.sales_by_day";

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Writes `rows` orders over a year of days, a hundred thousand customers and fifty products;
/// customers and amounts are scattered by multiplicative hashing, so the columns do not
/// compress to nothing.
fn write_orders(path: &std::path::Path, rows: u64) -> anyhow::Result<u64> {
    let file = std::fs::File::create(path)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(out, "id,customer_id,product,amount,created_at")?;
    for id in 1..=rows {
        let scattered = id.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20;
        let day = scattered % 365;
        let (month, day_of_month) = (1 + day / 31 % 12, 1 + day % 28);
        writeln!(
            out,
            "{id},{},P{},{}.{:02},2026-{month:02}-{day_of_month:02} {:02}:{:02}:00",
            scattered % 100_000,
            scattered % 50,
            scattered % 500,
            (scattered >> 8) % 100,
            (scattered >> 16) % 24,
            (scattered >> 24) % 60,
        )?;
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rows = env_number("BENCH_SANDBOX_ROWS", 1_000_000);
    let runs = env_number("BENCH_RUNS", 3).max(1);
    let bin = Sandbox::locate().context("fortress-sandbox not found: set SANDBOX_BIN")?;
    let sandbox = Sandbox::new(&bin);
    let scratch = tempfile::tempdir()?;
    let source = scratch.path().join("orders.csv");
    let csv_bytes = write_orders(&source, rows)?;
    println!(
        "bench-sandbox: {} with {rows} bronze rows ({:.1} MB CSV), {runs} runs",
        bin.display(),
        csv_bytes as f64 / 1e6
    );

    let mut walls = Vec::new();
    for run in 1..=runs {
        let workspace = scratch.path().join(format!("ws{run}"));
        for layer in ["bronze", "silver", "gold"] {
            std::fs::create_dir_all(workspace.join(layer))?;
        }
        std::fs::hard_link(&source, workspace.join("bronze/orders.csv"))?;
        let started = Instant::now();
        let response = sandbox
            .run(&sandbox.request(&workspace, TRANSFORM))
            .await
            .map_err(|e| anyhow::anyhow!("run {run}: {e:?}"))?;
        let wall = started.elapsed().as_secs_f64();
        let silver = response
            .tables
            .iter()
            .find(|t| t.layer == Layer::Silver)
            .context("no silver table")?;
        let gold = response
            .tables
            .iter()
            .find(|t| t.layer == Layer::Gold)
            .context("no gold table")?;
        anyhow::ensure!(
            silver.rows == rows,
            "silver has {} rows, {rows} expected",
            silver.rows
        );
        println!(
            "  run {run}: {wall:.2} s wall ({} ms in the child), silver {} rows {:.1} MB, gold {} rows, peak memory {} MB",
            response.duration_ms,
            silver.rows,
            silver.bytes as f64 / 1e6,
            gold.rows,
            response
                .peak_memory_mb
                .map_or_else(|| "?".to_owned(), |m| m.to_string()),
        );
        walls.push(wall);
        std::fs::remove_dir_all(&workspace)?;
    }
    walls.sort_by(f64::total_cmp);
    println!(
        "sandbox {rows}-row transform: median {:.2} s, best {:.2} s (target < 10 s)",
        walls[walls.len() / 2],
        walls[0]
    );
    Ok(())
}
