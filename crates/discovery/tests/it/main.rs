//! The discovery slice over HTTP, against real PostgreSQL, Redis and the DuckDB sandbox (one
//! test binary).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod common;
mod discoveries;
mod model;
