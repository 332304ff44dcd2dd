//! The DataFortress kernel: only what two or more slices need.
//!
//! - [`problem`]: the one error shape (RFC 9457 problem+json) and the framework error mapping.
//! - [`validated`]: `ValidatedJson<T>`, a JSON body checked with `validator`.
//! - [`tenancy`]: `Principal`, roles and scopes, and `tenant_tx`, the only door to tenant data.
//! - [`db`]: connection pools for the runtime role and the migration owner, and the migrations.
//! - [`cache`]: the Redis handle with its key prefix.
//! - [`events`]: domain events written in the caller's transaction (transactional outbox), with
//!   a gap-free per-tenant sequence, read back in order; Redis only wakes other instances.
//! - [`jobs`]: durable jobs in PostgreSQL (enqueued in the caller's transaction), the worker
//!   runtime, cron schedules and the jobs admin API.
//! - [`llm`]: the LLM provider layer (OpenAI-compatible Chat Completions, or rule-based offline),
//!   versioned prompt templates, token usage for the cost tracker.
//! - [`mail`]: the `Mailer` trait and its SMTP adapter.
//! - [`contacts`]: leads as other slices may read them (the leads slice implements it).
//! - [`secrets`]: secrets at rest, sealed with per-tenant data keys under the master key.
//! - [`projects`]: what other slices may do to a data project (node status, usage).
//! - [`outbound`]: where calls to URLs tenants give may go (no internal addresses: SSRF).
//! - [`idempotency`]: the `Idempotency-Key` middleware (replays a retried POST's first response).
//! - [`list`]: Refine's list protocol (both wire encodings) mapped to parameterised SQL.
//! - [`rate_limit`]: per-tenant, per-route-class rate limits (GCRA in Redis) and their middleware.
//! - [`telemetry`]: request ids and the per-request span.
//! - [`webhooks`]: inbound webhook signatures (Stripe-like and Standard Webhooks), with replay
//!   protection.

pub mod cache;
pub mod contacts;
pub mod db;
pub mod events;
pub mod idempotency;
pub mod jobs;
pub mod list;
pub mod llm;
pub mod mail;
pub mod outbound;
pub mod problem;
pub mod projects;
pub mod rate_limit;
pub mod scopes;
pub mod secrets;
pub mod slice;
pub mod telemetry;
pub mod tenancy;
pub mod unit_of_work;
pub mod validated;
pub mod webhooks;

pub use problem::{Problem, ProblemCode};
pub use scopes::{scope, Scope, Scoped};
pub use slice::Slice;
pub use tenancy::{tenant_tx, Principal, RequireRole, Role, TenantId};
pub use unit_of_work::UnitOfWork;
pub use validated::{JsonBody, ValidatedJson};
