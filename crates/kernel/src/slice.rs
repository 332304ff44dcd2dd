//! The slice contract: what a capability crate hands the app.
//!
//! Each slice exposes one [`Slice`] (`pub fn slice() -> Slice`) carrying its routes (with
//! their OpenAPI paths, registered through utoipa-actix-web so the two cannot drift), the
//! state its routes need, its job kinds, event subscribers and cron schedules, and its demo
//! seed. The app keeps one list of slices and mounts it for `serve`, `worker`, `demo` and
//! `openapi`; adding a slice is one line there.
//!
//! The routes part takes no state so that the OpenAPI document can be built without a
//! database; everything that needs the running platform receives a [`Context`].

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use sqlx::PgPool;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::cache::Cache;
use crate::contacts::Contacts;
use crate::jobs::Registry;
use crate::mail::SharedMailer;
use crate::projects::ProjectState;
use crate::tenancy::{Members, TenantId};

/// Why a slice could not register its work or seed its demo data.
pub type SliceError = Box<dyn std::error::Error + Send + Sync>;

/// The running platform as slices see it: the runtime pool, Redis, the mailer, who the
/// tenants' members are, what may be done to data projects, and the settings the app read from its configuration.
#[derive(Clone)]
pub struct Context {
    pub db: PgPool,
    pub cache: Cache,
    pub mailer: SharedMailer,
    pub members: Arc<dyn Members>,
    /// What other slices may do to a data project (node status, usage).
    pub projects: Arc<dyn ProjectState>,
    /// Leads as other slices may read them.
    pub contacts: Arc<dyn Contacts>,
    settings: Settings,
}

impl Context {
    pub fn new(
        db: PgPool,
        cache: Cache,
        mailer: SharedMailer,
        members: Arc<dyn Members>,
        projects: Arc<dyn ProjectState>,
        contacts: Arc<dyn Contacts>,
        settings: Settings,
    ) -> Self {
        Self {
            db,
            cache,
            mailer,
            members,
            projects,
            contacts,
            settings,
        }
    }

    /// A slice's settings of type `T`, as the app installed them.
    pub fn settings<T: Send + Sync + 'static>(&self) -> Result<Arc<T>, SliceError> {
        self.settings.get::<T>().ok_or_else(|| {
            format!(
                "the app installed no settings of type {}",
                std::any::type_name::<T>()
            )
            .into()
        })
    }
}

/// Typed settings, one value per type (`WebhookSettings`, `AuthSettings`, …), filled by the
/// app from its configuration.
#[derive(Clone, Default)]
pub struct Settings(HashMap<TypeId, Arc<dyn Any + Send + Sync>>);

impl Settings {
    pub fn with<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.0.insert(TypeId::of::<T>(), Arc::new(value));
        self
    }

    pub fn get<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        self.0
            .get(&TypeId::of::<T>())
            .and_then(|v| v.clone().downcast::<T>().ok())
    }
}

type StateFn = fn(&Context, &mut ServiceConfig) -> Result<(), SliceError>;
type JobsFn = fn(&Context, &mut Registry) -> Result<(), SliceError>;
type DemoFn = for<'c> fn(&'c Context, TenantId) -> BoxFuture<'c, Result<(), SliceError>>;

/// One business capability, as the app mounts it (see the module docs).
#[derive(Clone, Copy)]
pub struct Slice {
    name: &'static str,
    routes: fn(&mut ServiceConfig),
    state: Option<StateFn>,
    jobs: Option<JobsFn>,
    demo: Option<DemoFn>,
}

impl Slice {
    /// A slice named `name` whose routes `routes` mounts (under its own scopes).
    pub const fn new(name: &'static str, routes: fn(&mut ServiceConfig)) -> Self {
        Self {
            name,
            routes,
            state: None,
            jobs: None,
            demo: None,
        }
    }

    /// What the routes need besides the platform's shared handles (`app_data`).
    pub const fn with_state(mut self, state: StateFn) -> Self {
        self.state = Some(state);
        self
    }

    /// Job kinds, event subscribers and cron schedules, registered for `fortress worker`.
    pub const fn with_jobs(mut self, jobs: JobsFn) -> Self {
        self.jobs = Some(jobs);
        self
    }

    /// Demo data for `fortress demo`: must be idempotent (seeding twice changes nothing).
    pub const fn with_demo(mut self, demo: DemoFn) -> Self {
        self.demo = Some(demo);
        self
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Mounts the routes only (also how the OpenAPI document is built).
    pub fn mount_routes(&self, cfg: &mut ServiceConfig) {
        (self.routes)(cfg);
    }

    /// Mounts the routes and the state they need.
    pub fn mount(&self, ctx: &Context, cfg: &mut ServiceConfig) -> Result<(), SliceError> {
        if let Some(state) = self.state {
            state(ctx, cfg).map_err(|e| self.failed("install its state", e))?;
        }
        (self.routes)(cfg);
        Ok(())
    }

    /// Registers the slice's background work.
    pub fn register_jobs(&self, ctx: &Context, registry: &mut Registry) -> Result<(), SliceError> {
        match self.jobs {
            Some(jobs) => jobs(ctx, registry).map_err(|e| self.failed("register its jobs", e)),
            None => Ok(()),
        }
    }

    /// Seeds the slice's demo data for `tenant`.
    pub async fn seed_demo(&self, ctx: &Context, tenant: TenantId) -> Result<(), SliceError> {
        match self.demo {
            Some(demo) => demo(ctx, tenant)
                .await
                .map_err(|e| self.failed("seed its demo data", e)),
            None => Ok(()),
        }
    }

    fn failed(&self, what: &str, err: SliceError) -> SliceError {
        format!("the {} slice could not {what}: {err}", self.name).into()
    }
}
