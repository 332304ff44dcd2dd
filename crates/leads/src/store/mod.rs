//! The slice's SQL, one module per concept. Every function runs on a `tenant_tx` connection
//! (or a [`kernel::UnitOfWork`]): row-level security keeps other tenants' rows out of every
//! statement.
//!
//! Static SQL is written with `sqlx::query!` & co. and checked at compile time against the
//! offline cache `.sqlx/` (`make sqlx` regenerates it); only what the list engine puts
//! together at run time is plain `sqlx::query`.
//!
//! - [`leads`]: the lead rows (re-exported here: `store::get`, `store::lock`, …);
//! - [`settings`]: the tenant's status list and custom field definitions;
//! - [`pipelines`], [`stages`]: pipelines and their ordered stages; [`lead_moves`]: a lead's
//!   moves between stages;
//! - [`assignment_rules`]: who new leads go to; [`duplicates`]: the upsert's lock;
//! - [`imports`]: CSV imports and their failures; [`export`]: the streamed CSV export;
//! - [`timeline`], [`audit`]: a lead's activities and its change history.

pub mod leads;
pub mod settings;

pub use leads::*;

pub(crate) mod assignment_rules;
pub(crate) mod audit;
pub(crate) mod duplicates;
pub(crate) mod export;
pub(crate) mod imports;
pub(crate) mod lead_moves;
pub(crate) mod pipelines;
pub(crate) mod stages;
pub(crate) mod timeline;
