//! The outreach slice over HTTP, against real PostgreSQL, Redis, SMTP servers (the app's mail
//! sink, and a scripted one for refusals and broken connections) and IMAP (dovecot, for what
//! comes back); one test binary.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod campaigns;
mod common;
mod dovecot;
mod feedback;
mod mailboxes;
mod replies;
mod sending;
