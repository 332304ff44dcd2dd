//! The orchestration slice over HTTP, against real PostgreSQL and Redis (one test binary).

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod automation;
mod callbacks;
mod common;
mod executions;
mod flows;
mod pipeline;
mod providers;
