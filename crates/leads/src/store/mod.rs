//! The slice's SQL, one module per concept. Every function runs on a `tenant_tx` connection
//! (or a [`kernel::UnitOfWork`]): row-level security keeps other tenants' rows out of every
//! statement.
//!
//! - [`leads`]: the lead rows (re-exported here: `store::get`, `store::lock`, …);
//! - [`settings`]: the tenant's status list and custom field definitions.

pub mod leads;
pub mod settings;

pub use leads::*;

// The routes' SQL, one module per concept.
pub(crate) mod assignment_rules;
pub(crate) mod audit;
pub(crate) mod duplicates;
pub(crate) mod export;
pub(crate) mod imports;
pub(crate) mod lead_moves;
pub(crate) mod pipelines;
pub(crate) mod stages;
pub(crate) mod timeline;
