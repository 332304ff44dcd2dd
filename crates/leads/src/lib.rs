//! leads: the CRM lead engine behind Refine's data contract.
//!
//! A lead is a person the tenant sells to: contact details (email normalised and unique per
//! tenant among live leads, phone in E.164), a status from the tenant's list, a score, an
//! owner, tags, custom fields checked against the tenant's definitions, and a place on a
//! pipeline's kanban board. Every change is versioned (optimistic concurrency), audited field
//! by field, summarised on the lead's timeline and published as a domain event on
//! `resources/leads`, all in the transaction that makes the change.
//!
//! Modules:
//! - [`activity`]: calls and emails other slices report, onto the timeline;
//! - [`demo`]: the demo tenant's pipeline, leads, notes, tasks and past import;
//! - [`model`]: the lead as the API shows it, and its list allow-lists;
//! - [`registry`]: every field of a lead declared once, with what lists, the CSV import and
//!   export and merges may do with it;
//! - [`fields`]: the editable fields, how requests set them and how they are normalised;
//! - [`checks`]: the checks that need the tenant's data (statuses, custom fields, stages,
//!   members) and round-robin assignment;
//! - [`import`]: CSV imports as a durable job;
//! - [`history`]: audit entries, system timeline entries, stage history and events;
//! - [`rank`]: lexicographic rank keys for kanban positions;
//! - [`store`]: the slice's SQL, one module per concept (routes hold none);
//! - [`write`]: creating and changing one lead, as every route does it;
//! - [`problems`]: the slice's problem codes;
//! - `routes/`: one file per concept (leads, bulk, duplicates, deletion, pipelines, timeline,
//!   settings, assignment).

pub mod activity;
pub mod checks;
pub mod contacts;
pub mod demo;
pub mod fields;
pub mod history;
pub mod import;
pub mod model;
pub mod problems;
pub mod rank;
pub mod registry;
mod routes;
pub mod scores;
pub mod store;
pub mod write;

/// Who the tenant's members are (owners, round-robin turns): the kernel's trait, implemented by
/// the app over the auth slice.
pub use kernel::tenancy::Members;

/// The slice: routes under `/api/v1/leads`, `/api/v1/pipelines`, `/api/v1/lead-statuses`,
/// `/api/v1/lead-fields` and `/api/v1/lead-assignment-rules`; the import job and the
/// timeline's event subscriber; demo leads for `fortress demo`.
pub fn slice() -> kernel::Slice {
    kernel::Slice::new("leads", routes::configure)
        .with_jobs(|ctx, registry| {
            import::register(
                registry,
                ctx.db.clone(),
                ctx.cache.clone(),
                ctx.members.clone(),
            );
            activity::register(registry, ctx.db.clone());
            scores::register(registry, ctx.db.clone(), ctx.cache.clone());
            Ok(())
        })
        .with_demo(|ctx, tenant| Box::pin(demo::seed(ctx, tenant)))
}
