//! The locked-down DuckDB sandbox: runs a user's SQL over one project's `bronze`/`silver`/`gold`
//! layers and writes the tables it creates in the writable layers as Parquet.
//!
//! Each run is a fresh `fortress-sandbox` process, so tenants share no DuckDB state, a crash or a
//! runaway query takes down only that process, and the operating system can limit it (CPU time,
//! address space, file sizes, no network) in ways a thread never could. This library is the
//! parent side and never links DuckDB: crates that run the sandbox (orchestration's
//! `sandbox:sql` task, profiling) depend on it without the `child` feature and build in seconds.
//!
//! - [`protocol`]: the request, the response and the errors (JSON over the child's stdin/stdout).
//! - [`client`]: [`Sandbox`], which spawns the child, enforces the wall-clock limit, maps a killed
//!   child to an error and publishes the Parquet files the child staged.
//! - [`check`]: the SQL pre-check, run by the parent before spawning and again by the child.
//! - [`staging`]: where the child leaves outputs for the parent to publish.
//!
//! The child itself (`src/bin/fortress-sandbox/`, behind the default `child` feature) applies
//! the OS limits, opens DuckDB with external access off and its configuration locked, creates a
//! view per dataset file and runs the SQL.

pub mod check;
pub mod client;
pub mod protocol;
pub mod staging;

pub use client::Sandbox;
pub use protocol::{
    Column, Layer, LimitKind, Limits, QueryResult, Reply, Request, Response, SandboxError,
    TableResult,
};
