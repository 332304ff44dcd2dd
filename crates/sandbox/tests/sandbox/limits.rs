//! Each limit stops a run with a `Limit` error that names it, and publishes nothing.

use std::time::Instant;

use crate::TestWorkspace;
use sandbox::{LimitKind, Limits, SandboxError};

/// Runs for hours if nothing stops it.
const ENDLESS: &str = "SELECT count(*) FROM range(1000000000000) a, range(1000000000000) b WHERE a.range + b.range = -1";

#[tokio::test]
async fn an_endless_query_is_killed_at_the_wall_clock_limit() {
    // Arrange
    let workspace = TestWorkspace::new();
    let limits = Limits {
        wall_ms: 1500,
        ..Limits::default()
    };

    // Act
    let started = Instant::now();
    let result = workspace.run_with_limits(ENDLESS, limits).await;

    // Assert
    let Err(SandboxError::Limit {
        which: LimitKind::Wall,
        message,
    }) = result
    else {
        panic!("{result:?}")
    };
    assert!(message.contains("1500 ms"), "{message}");
    assert!(
        started.elapsed().as_secs() < 10,
        "the child was stopped promptly"
    );
}

#[tokio::test]
async fn cpu_time_is_limited() {
    // Arrange
    let workspace = TestWorkspace::new();
    let limits = Limits {
        cpu_seconds: 1,
        wall_ms: 60_000,
        ..Limits::default()
    };

    // Act
    let result = workspace.run_with_limits(ENDLESS, limits).await;

    // Assert
    let Err(SandboxError::Limit {
        which: LimitKind::Cpu,
        message,
    }) = result
    else {
        panic!("{result:?}")
    };
    assert!(message.contains("1 s of CPU"), "{message}");
}

#[tokio::test]
async fn a_query_over_the_memory_limit_fails_with_a_clear_message() {
    // Arrange: a list aggregate cannot spill to disk.
    let workspace = TestWorkspace::new();
    let limits = Limits {
        memory_mb: 64,
        ..Limits::default()
    };

    // Act
    let result = workspace
        .run_with_limits(
            "CREATE TABLE silver.big AS SELECT list(range) AS all_numbers FROM range(50000000)",
            limits,
        )
        .await;

    // Assert
    let Err(SandboxError::Limit {
        which: LimitKind::Memory,
        message,
    }) = result
    else {
        panic!("{result:?}")
    };
    assert!(message.to_lowercase().contains("memory"), "{message}");
    assert!(!workspace.path().join("silver/big.parquet").exists());
}

#[tokio::test]
async fn output_over_the_size_limit_is_not_published() {
    // Arrange: md5 strings do not compress, so this is tens of megabytes of Parquet.
    let workspace = TestWorkspace::new();
    let limits = Limits {
        max_output_mb: 1,
        temp_mb: 1,
        ..Limits::default()
    };

    // Act
    let result = workspace
        .run_with_limits("CREATE TABLE silver.big AS SELECT range AS id, md5(range::VARCHAR) AS h FROM range(1000000)", limits)
        .await;

    // Assert
    let Err(SandboxError::Limit {
        which: LimitKind::Output,
        message,
    }) = result
    else {
        panic!("{result:?}")
    };
    assert!(message.contains("MB"), "{message}");
    assert!(!workspace.path().join("silver/big.parquet").exists());
}

#[tokio::test]
async fn the_total_of_the_tables_written_is_limited() {
    // Arrange: the file-size limit is the temp budget (2 GB), so the total is what stops this.
    let workspace = TestWorkspace::new();
    let limits = Limits {
        max_output_mb: 1,
        ..Limits::default()
    };
    let sql = "CREATE TABLE silver.a AS SELECT md5(range::VARCHAR) AS h FROM range(200000)";

    // Act
    let result = workspace.run_with_limits(sql, limits).await;

    // Assert
    let Err(SandboxError::Limit {
        which: LimitKind::Output,
        message,
    }) = result
    else {
        panic!("{result:?}")
    };
    assert!(message.contains("more than 1 MB"), "{message}");
    assert!(!workspace.path().join("silver/a.parquet").exists());
}
