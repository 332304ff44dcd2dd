//! Orchestration: a data project's pipeline as one flow in Amazon States Language (ASL), run
//! durably on PostgreSQL, so it works on one machine with no cloud and the same definition stays
//! valid for AWS Step Functions.
//!
//! - **ASL** ([`asl`]): definitions parsed and validated (every error named by state and
//!   field), path processing, intrinsic functions, Choice rules, Wait, Retry and Catch. Pure
//!   functions, no I/O.
//! - **Flows** ([`store::flows`], [`routes::flows`]): named definitions with immutable versions,
//!   optionally tied to a data project whose tree their Task states colour; a built-in template
//!   for the seed's five steps.
//! - **The executor** ([`executor`]): Standard-workflow semantics on the job runtime: state
//!   persisted after every transition, tasks attempted at least once with an idempotency key,
//!   waits and timeouts as scheduled jobs, Parallel and Map as child executions, full history,
//!   stop and redrive.
//! - **Task resources** ([`resources`]): ingest, the DuckDB sandbox, scoring, reverse ETL and
//!   HTTP callbacks, each with a real adapter and an offline default.
//! - **Callbacks** ([`routes::callbacks`]): `.waitForTaskToken` tasks settled by a signed
//!   webhook (`/api/v1/webhooks/sandbox-callback`) or by an authenticated call.
//!
//! Like every slice it reads no other slice's tables: project nodes and costs go through
//! [`kernel::projects::ProjectState`], lead scores through events the leads slice consumes.

pub mod asl;
pub mod automation;
mod demo;
pub mod executor;
mod problems;
pub mod resources;
pub mod routes;
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;

use kernel::outbound::TargetPolicy;
use kernel::webhooks::WebhookSecret;

pub use executor::{Advance, Executor};
pub use resources::{Provider, Providers};

/// The slice: `/api/v1/orchestration` (flows, executions, runs, task callbacks), the signed
/// `/api/v1/webhooks/sandbox-callback`, the advance job, and the demo pipeline. The app installs
/// [`Settings`] from its configuration.
pub fn slice() -> kernel::Slice {
    kernel::Slice::new("orchestration", routes::configure)
        .with_state(|ctx, cfg| {
            let settings = ctx.settings::<Settings>()?;
            let executor = settings.executor(ctx)?;
            cfg.app_data(actix_web::web::Data::from(executor));
            cfg.app_data(actix_web::web::Data::from(settings));
            cfg.app_data(actix_web::web::Data::new(
                kernel::webhooks::WebhookVerifier::new(ctx.cache.clone()),
            ));
            Ok(())
        })
        .with_jobs(|ctx, registry| {
            let settings = ctx.settings::<Settings>()?;
            settings.executor(ctx)?.register(registry);
            Ok(())
        })
        .with_demo(|ctx, tenant| Box::pin(demo::seed(ctx, tenant)))
}

/// How flows run, from the app's configuration.
#[derive(Clone)]
pub struct Settings {
    pub providers: Providers,
    /// Whether tenant-given URLs may be loopback or private (dev and tests only).
    pub allow_private_targets: bool,
    /// This API's public base URL (what callbacks are sent to).
    pub public_url: String,
    /// The local object store's directory (`None` with an S3 store: the local sandbox then
    /// cannot run).
    pub objects_dir: Option<PathBuf>,
    /// The `fortress-sandbox` binary (`None`: not found; `sandbox:sql` tasks then fail).
    pub sandbox_bin: Option<PathBuf>,
    pub sandbox_limits: sandbox::Limits,
    /// Signs task tokens (derived from the server secret).
    pub token_secret: Vec<u8>,
    /// Secrets the sandbox callback webhook is signed with (Standard Webhooks, `whsec_…`);
    /// two during a rotation.
    pub callback_secrets: Vec<WebhookSecret>,
}

impl Settings {
    /// The executor over the platform's handles.
    pub fn executor(
        &self,
        ctx: &kernel::slice::Context,
    ) -> Result<Arc<Executor>, kernel::slice::SliceError> {
        self.executor_over(ctx.db.clone(), ctx.cache.clone(), ctx.projects.clone())
    }

    /// The executor over these handles (tests and benchmarks build one without a platform).
    pub fn executor_over(
        &self,
        db: sqlx::PgPool,
        cache: kernel::cache::Cache,
        projects: Arc<dyn kernel::projects::ProjectState>,
    ) -> Result<Arc<Executor>, kernel::slice::SliceError> {
        let sandbox = self.sandbox_bin.as_ref().map(|bin| {
            Arc::new(sandbox::Sandbox::new(bin).with_default_limits(self.sandbox_limits))
        });
        let env = resources::TaskEnv::new(
            db.clone(),
            cache.clone(),
            TargetPolicy {
                allow_private: self.allow_private_targets,
            },
            self.public_url.clone(),
            self.objects_dir.clone(),
            sandbox,
        )?;
        Ok(Arc::new(Executor {
            db,
            cache,
            projects,
            resources: resources::Resources::configured(&self.providers),
            env,
            definitions: executor::Definitions::default(),
            tokens: executor::tokens::TokenSigner::new(self.token_secret.clone()),
            automation: self.providers.activepieces.clone(),
            steps: executor::default_steps(),
        }))
    }
}
