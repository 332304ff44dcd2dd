//! The `fortress` application: configuration, telemetry, the HTTP server that mounts every
//! slice, the worker, and the admin commands (`migrate`, `openapi`, `demo`).
//! It is thin on purpose: capabilities live in the slice crates.

pub mod config;
pub mod demo;
pub mod guard;
pub mod mail_sink;
pub mod members;
pub mod openapi;
mod routes;
pub mod server;
pub mod slices;
mod store;
pub mod telemetry;
pub mod worker;

pub use server::{Application, Platform};
