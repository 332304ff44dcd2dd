//! Client data projects: what a data agency runs for each client shop, watched as a live tree.
//!
//! Raw data lands in **bronze**, is cleaned into **silver** and modelled into **gold**, then
//! pushed to **destinations** such as a CRM. Each project has:
//!
//! - a **state tree** ([`tree`], [`store::tree`]): nodes per layer with their status and last
//!   run's metrics, lineage edges (never a cycle), and each node's run history. Status changes
//!   come from the API or from other slices through [`kernel::projects::ProjectState`], and
//!   stream on `projects/<id>` as `{"nodeId", "newStatus"}`;
//! - **the state document** ([`routes::state`]): tree, active runs and month-to-date cost in
//!   one statement, with an ETag (a conditional GET costs no JSON);
//! - **layers** ([`layers`]): files in object storage under
//!   `tenants/<tenant>/projects/<project>/<layer>/`, uploaded streamed, checked for format;
//! - **scripts**: versioned SQL in the object store, read through short-lived signed links;
//! - **costs** ([`costs`]): usage priced by the tenant's rate card, exact decimals,
//!   month-to-date in the billing timezone, budget alerts at 80% and 100%;
//! - **reports**: upserted in batches by slug;
//! - **connector health** ([`health`]): every connector checked live, in parallel.

mod adopt;
mod batch;
pub mod costs;
mod demo;
pub mod health;
pub mod layers;
pub mod model;
mod problems;
pub mod routes;
mod scripts;
pub mod store;
pub mod tree;

use std::sync::Arc;

use async_trait::async_trait;
use kernel::projects::{AdoptTable, Adopted, NodeUpdate, ProjectState, ScriptText, UsageItem};
use kernel::slice::SliceError;
use kernel::UnitOfWork;
use uuid::Uuid;

pub use health::HealthChecks;
pub use layers::Objects;

/// The slice: `/api/v1/projects` (projects, tree, state, runs, layers, scripts, costs),
/// `/api/v1/layers`, `/api/v1/costs`, `/api/v1/reports`, and a demo project. The app installs
/// [`Settings`] from its configuration.
pub fn slice() -> kernel::Slice {
    kernel::Slice::new("projects", routes::configure)
        .with_state(|ctx, cfg| {
            let settings = ctx.settings::<Settings>()?;
            cfg.app_data(actix_web::web::Data::from(settings.clone()));
            cfg.app_data(actix_web::web::Data::new(settings.states.clone()));
            cfg.app_data(actix_web::web::Data::new(batch::NodeBatcher::new(
                ctx.db.clone(),
                ctx.cache.clone(),
                settings.states.clone(),
            )));
            Ok(())
        })
        .with_demo(|ctx, tenant| Box::pin(demo::seed(ctx, tenant)))
}

/// Where objects go and what the layer routes allow.
#[derive(Clone)]
pub struct Settings {
    pub objects: Objects,
    /// The largest file a layer upload takes.
    pub max_object_bytes: u64,
    pub health: HealthChecks,
    /// Whether connectors may be on loopback and private addresses (dev and tests only).
    pub allow_private_targets: bool,
    /// The last state document of each project, shared by the server's workers.
    pub states: routes::StateCache,
}

/// [`ProjectState`] for other slices, through the same code the routes use.
pub struct Projects {
    /// Where adopted tables' scripts go (`None`: adopting fails).
    objects: Option<Objects>,
}

/// The [`ProjectState`] the app hands to every slice, saving adopted scripts in `objects`.
pub fn state_with(objects: Objects) -> Arc<dyn ProjectState> {
    Arc::new(Projects {
        objects: Some(objects),
    })
}

/// A [`ProjectState`] without an object store (tests and benchmarks that adopt nothing).
pub fn state() -> Arc<dyn ProjectState> {
    Arc::new(Projects { objects: None })
}

#[async_trait]
impl ProjectState for Projects {
    async fn project_by_slug(
        &self,
        work: &mut UnitOfWork,
        slug: &str,
    ) -> Result<Option<Uuid>, SliceError> {
        Ok(store::projects::id_by_slug(work, slug).await?)
    }

    async fn update_node(
        &self,
        work: &mut UnitOfWork,
        project: Uuid,
        node: &str,
        update: &NodeUpdate,
    ) -> Result<bool, SliceError> {
        match tree::change_node(work, project, node, update).await {
            Ok(_) => Ok(true),
            Err(tree::NodeChangeError::NotFound) => Ok(false),
            Err(e) => Err(Box::new(e)),
        }
    }

    async fn adopt_table(
        &self,
        work: &mut UnitOfWork,
        project: Uuid,
        table: &AdoptTable,
    ) -> Result<Option<Adopted>, SliceError> {
        match adopt::adopt(work, self.objects.as_ref(), project, table).await {
            Err(e @ (adopt::AdoptError::Cycle(_) | adopt::AdoptError::Layer(_))) => {
                Err(Box::new(kernel::projects::AdoptRefused(e.to_string())))
            }
            done => Ok(done?),
        }
    }

    async fn latest_script(
        &self,
        work: &mut UnitOfWork,
        project: Uuid,
        name: &str,
    ) -> Result<Option<ScriptText>, SliceError> {
        Ok(adopt::latest_script(work, self.objects.as_ref(), project, name).await?)
    }

    async fn record_usage(
        &self,
        work: &mut UnitOfWork,
        project: Uuid,
        usage: &[UsageItem],
    ) -> Result<Option<rust_decimal::Decimal>, SliceError> {
        match costs::record_usage(work, project, usage).await {
            Ok(recorded) => Ok(Some(recorded.amount)),
            Err(costs::UsageError::ProjectNotFound) => Ok(None),
            Err(e) => Err(Box::new(e)),
        }
    }
}
