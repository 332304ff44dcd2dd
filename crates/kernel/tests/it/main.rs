//! The kernel crate's integration tests: one test binary with a module per feature. Every test
//! binary links the whole application, so one binary per crate keeps the link time of
//! `make test` down; a new feature's tests go in a new module here, not a new file under
//! `tests/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// tests: a failed unwrap is a failed test
// Some features wrap their tests in a module named after the feature (`rate_limit::rate_limit`),
// as when each was a binary of its own; the names stay as they were.
#![allow(clippy::module_inception)]

mod common;
mod events;
mod idempotency;
mod jobs;
mod list_sql;
mod llm;
mod rate_limit;
mod webhooks_in;
