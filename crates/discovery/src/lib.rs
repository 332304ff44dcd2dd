//! AI logic discovery (seed 000, feature 3): from a project's bronze tables to validated silver
//! and gold SQL.
//!
//! - [`profile`]: the bronze tables profiled in the DuckDB sandbox (types, null rates, distinct
//!   counts, min/max, top values, candidate keys, join keys, masked samples).
//! - [`propose`]: the prompts (`prompts/*.jinja`) and the rule-based proposals the offline
//!   provider answers with.
//! - [`validate`]: each proposal run in the sandbox over a scratch copy of bronze; failures and
//!   suspicious results repaired by the model for a few rounds, then valid or rejected.
//! - [`run`]: the `discovery.run` job tying the steps together, with live progress.
//! - [`decide`]: accepting a proposal (the project adopts its script, node and lineage) or
//!   dismissing it.
//! - [`routes`]: start, list and read discoveries; accept or dismiss proposals.
//!
//! It is its own slice rather than part of projects or orchestration: it is a capability of its
//! own (a model in the loop, reviewed by a person) that uses the sandbox and the LLM layer and
//! touches a project only through [`kernel::projects::ProjectState`], like orchestration does.

pub mod decide;
pub mod profile;
pub mod propose;
pub mod routes;
pub mod run;
mod store;
pub mod validate;

use std::path::PathBuf;
use std::sync::Arc;

pub use run::Discoverer;
pub use store::{Discovery, Proposal};

/// The slice: `POST /api/v1/projects/{id}/discoveries`, `/api/v1/discoveries`, and the
/// `discovery.run` job. The app installs [`Settings`] and the kernel's `Llm`.
pub fn slice() -> kernel::Slice {
    kernel::Slice::new("discovery", routes::configure)
        .with_state(|ctx, cfg| {
            cfg.app_data(actix_web::web::Data::from(ctx.projects.clone()));
            Ok(())
        })
        .with_jobs(|ctx, registry| {
            let discoverer = Arc::new(ctx.settings::<Settings>()?.discoverer(ctx)?);
            registry.on::<run::RunDiscovery, _, _>(move |job, run| {
                let discoverer = discoverer.clone();
                async move { discoverer.run(&job, run.discovery).await }
            });
            Ok(())
        })
}

/// Where discoveries run, from the app's configuration.
#[derive(Clone)]
pub struct Settings {
    /// The local object store's directory (`None` with an S3 store: the local sandbox cannot
    /// read the layers then).
    pub objects_dir: Option<PathBuf>,
    /// The `fortress-sandbox` binary (`None`: not found; discoveries then fail).
    pub sandbox_bin: Option<PathBuf>,
    pub sandbox_limits: sandbox::Limits,
}

impl Settings {
    pub fn discoverer(
        &self,
        ctx: &kernel::slice::Context,
    ) -> Result<Discoverer, kernel::slice::SliceError> {
        let llm = ctx.settings::<kernel::llm::Llm>()?;
        Ok(Discoverer {
            db: ctx.db.clone(),
            cache: ctx.cache.clone(),
            llm: (*llm).clone(),
            projects: ctx.projects.clone(),
            sandbox: self.sandbox_bin.as_ref().map(|bin| {
                Arc::new(sandbox::Sandbox::new(bin).with_default_limits(self.sandbox_limits))
            }),
            objects_dir: self.objects_dir.clone(),
        })
    }
}
