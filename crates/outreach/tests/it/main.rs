//! The outreach slice over HTTP, against real PostgreSQL, Redis and SMTP servers (the app's
//! mail sink, and a scripted one for refusals and broken connections); one test binary.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod campaigns;
mod common;
mod mailboxes;
mod sending;
