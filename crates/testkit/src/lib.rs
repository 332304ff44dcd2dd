//! Test helpers shared by every slice's integration tests.
//!
//! `TestApp::spawn(pool)` takes the owner pool `#[sqlx::test]` made for this test (a fresh,
//! migrated database), and starts the real application on a free port, with its runtime pool
//! connected as the RLS-bound role, Redis keys under a per-test prefix, and a cookie-keeping
//! HTTP client. Tests then talk to it over HTTP like any client would.
//!
//! Each `TestApp` also runs its own SMTP sink (`app::mail_sink`) and points the app's
//! `smtp_url` at it, so mail really goes through lettre and SMTP; `app.mailbox.wait_for(to)`
//! awaits what arrives.
//!
//! One module per concept: `app` (the app under test, [`Faults`]), `mail`, `session` (a
//! signed-in browser, [`problem`]), `sse`, `smtp` (a scripted SMTP server), `webhooks` (the
//! reference library, a fake receiver) and [`proxy`] (fault injection).

mod app;
mod mail;
pub mod provider;
pub mod proxy;
mod session;
mod smtp;
mod sse;
mod webhooks;

pub use app::{redis_url, Faults, TestApp};
pub use mail::{Mail, Mailbox};
pub use provider::{Call, FakeProvider};
pub use proxy::{Mode, Proxy};
pub use reqwest;
pub use session::{client_for, eventually, expect, problem, Session};
pub use smtp::{FakeSmtp, Script};
pub use sse::{SseEvent, SseStream};
pub use webhooks::{
    python_with, reference_python, verify_with_reference, Received, Receiver, Reply,
};
