//! The projects crate's integration tests, over HTTP against real PostgreSQL, Redis and the
//! local object store: one test binary with a module per feature.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod common;
mod costs;
mod health;
mod isolation;
mod layers;
mod projects;
mod reports;
mod tree;
