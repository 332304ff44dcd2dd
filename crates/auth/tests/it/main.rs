//! The auth crate's integration tests: one test binary with a module per feature. Every test
//! binary links the whole application, so one binary per crate keeps the link time of
//! `make test` down; a new feature's tests go in a new module here, not a new file under
//! `tests/`.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod api_keys;
mod members;
mod passwords;
mod revocation;
mod sessions;
