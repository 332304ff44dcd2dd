//! The HTTP server: shared state, the middleware stack, every slice's routes, the API docs
//! and (when built) the web UI.

use std::net::TcpListener;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use actix_cors::Cors;
use actix_web::dev::{fn_service, Server, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use kernel::cache::Cache;
use kernel::mail::{SharedMailer, SmtpMailer};
use kernel::problem;
use kernel::tenancy::Authenticator;
use secrecy::ExposeSecret;
use sqlx::PgPool;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Config;

/// What every request handler may need: the runtime pool, Redis, the configuration.
#[derive(Clone)]
pub struct Platform {
    pub db: PgPool,
    pub cache: Cache,
    pub config: Arc<Config>,
    pub mailer: SharedMailer,
}

impl Platform {
    /// Pools from the configuration. Nothing connects yet: `/ready` reports what is down.
    pub fn from_config(config: Config) -> anyhow::Result<Self> {
        let db = kernel::db::runtime_pool(
            config.database_url.expose_secret(),
            config.database_max_connections,
        )?;
        let cache = Cache::new(config.redis_url.expose_secret(), &config.redis_prefix)?;
        let mailer: SharedMailer = Arc::new(SmtpMailer::new(
            config.smtp_url.expose_secret(),
            &config.mail_from,
        )?);
        Ok(Self {
            db,
            cache,
            config: Arc::new(config),
            mailer,
        })
    }

    /// The auth slice's state; it is also the authenticator every slice's `Principal` uses.
    pub fn auth_state(&self) -> anyhow::Result<Arc<auth::AuthState>> {
        let settings = self.config.auth_settings().map_err(anyhow::Error::msg)?;
        auth::AuthState::new(
            settings,
            self.db.clone(),
            self.cache.clone(),
            self.mailer.clone(),
        )
        .map_err(anyhow::Error::msg)
    }
}

impl Platform {
    /// What the slices' jobs, state and demo seeds are given.
    pub fn slice_context(&self) -> anyhow::Result<kernel::slice::Context> {
        let projects = self
            .config
            .projects_settings()
            .map_err(anyhow::Error::msg)?;
        let objects = projects.objects.clone();
        let settings = kernel::slice::Settings::default()
            .with(self.config.webhook_settings())
            .with(self.config.retention())
            .with(projects)
            .with(self.config.auth_settings().map_err(anyhow::Error::msg)?)
            .with(self.config.llm().map_err(anyhow::Error::msg)?)
            .with(self.config.discovery_settings())
            .with(self.config.outreach_settings())
            .with(self.config.secrets_at_rest().map_err(anyhow::Error::msg)?)
            .with(
                self.config
                    .orchestration_settings()
                    .map_err(anyhow::Error::msg)?,
            );
        Ok(kernel::slice::Context::new(
            self.db.clone(),
            self.cache.clone(),
            self.mailer.clone(),
            Arc::new(crate::members::AuthMembers),
            projects::state_with(objects),
            Arc::new(leads::contacts::LeadContacts),
            settings,
        ))
    }
}

/// The app's own routes (health, readiness, metrics) and every slice's, without state: how
/// the OpenAPI document is built.
pub fn mount_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    mount_own_routes(cfg);
    for slice in crate::slices::all() {
        slice.mount_routes(cfg);
    }
}

fn mount_own_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    crate::routes::health::configure(cfg);
    crate::routes::metrics::configure(cfg);
}

/// Every slice with its state, for the server. Fails when a slice's state cannot be made.
fn mount_slices(
    ctx: &kernel::slice::Context,
    slices: &[kernel::Slice],
    cfg: &mut utoipa_actix_web::service_config::ServiceConfig,
) -> Result<(), kernel::slice::SliceError> {
    mount_own_routes(cfg);
    for slice in slices {
        slice.mount(ctx, cfg)?;
    }
    Ok(())
}

pub struct Application {
    server: Server,
    port: u16,
    hub: kernel::events::EventHub,
}

impl Application {
    /// Binds (port 0 picks a free port, as the tests do) and prepares the server.
    pub fn build(platform: Platform, listener: TcpListener) -> anyhow::Result<Self> {
        let port = listener.local_addr()?.port();
        let spec = crate::openapi::document();
        let auth_state = platform.auth_state()?;
        let ctx = platform.slice_context()?;
        let slices = crate::slices::all();
        // Mount once before serving, so a slice whose state cannot be made stops the start
        // here instead of in every server worker.
        let mut mounted = Ok(());
        let _ = App::new()
            .into_utoipa_app()
            .configure(|cfg| mounted = mount_slices(&ctx, &slices, cfg));
        mounted.map_err(|e| anyhow::anyhow!("{e}"))?;
        // One live-event hub per process: one Redis subscription, one feed per tenant.
        let hub = kernel::events::EventHub::start(platform.db.clone(), platform.cache.clone());
        let app_hub = hub.clone();
        let limiter = kernel::rate_limit::RateLimiter::new(
            platform.cache.clone(),
            platform.config.rate_limit_fail_open,
        );
        // The `api` class over every API path; `Condition` skips it when configured off.
        let api_policy = platform
            .config
            .api_rate_limit()
            .map_err(anyhow::Error::msg)?;
        let limit_api = api_policy.is_some();
        let api_policy = match api_policy {
            Some(policy) => policy,
            None => {
                kernel::rate_limit::Policy::new("api", 1, std::time::Duration::from_secs(1), 1)?
            }
        };
        let app_limiter = limiter.clone();
        // List totals, shared by the workers (exact: see kernel::list::Totals).
        let totals = kernel::list::Totals::new();
        let api_limit = kernel::rate_limit::RateLimit::new(limiter, api_policy)
            .for_paths(|path| path.starts_with("/api/") && path != "/api/openapi.json");
        let config = platform.config.clone();
        let limits = crate::guard::Limits {
            db: kernel::db::DbHealth::watch(&platform.db),
            max_body_bytes: config.max_body_bytes,
            max_upload_bytes: config.max_upload_bytes,
            max_object_upload_bytes: config.max_object_upload_bytes,
            body_timeout: Duration::from_secs(config.http_body_timeout_seconds),
            request_timeout: Duration::from_secs(config.http_request_timeout_seconds),
        };
        let clients = crate::guard::ClientConnections::new(config.http_max_connections_per_client);
        let workers = std::thread::available_parallelism().map_or(1, usize::from);
        let server = HttpServer::new(move || {
            let p = &platform;
            let limits = Rc::new(limits.clone());
            let authenticator: Arc<dyn Authenticator> = auth_state.clone();
            let members = ctx.members.clone();
            let (app, _) = App::new()
                .into_utoipa_app()
                .app_data(web::Data::from(auth_state.clone()))
                .app_data(web::Data::from(authenticator))
                .app_data(web::Data::from(members))
                .app_data(web::Data::new(p.db.clone()))
                .app_data(web::Data::new(app_hub.clone()))
                .app_data(web::Data::new(app_limiter.clone()))
                .app_data(web::Data::new(totals.clone()))
                .app_data(web::Data::new(p.cache.clone()))
                .app_data(web::Data::from(p.config.clone()))
                .app_data(problem::json_config(p.config.max_body_bytes))
                .app_data(problem::query_config())
                .app_data(problem::path_config())
                .app_data(web::PayloadConfig::new(p.config.max_body_bytes))
                .configure(|cfg| {
                    // Checked above: the same slices and context mounted without error.
                    let _ = mount_slices(&ctx, &slices, cfg);
                })
                .split_for_parts();
            app.service(web::redirect("/docs", "/docs/"))
                .service(SwaggerUi::new("/docs/{_:.*}").url("/api/openapi.json", spec.clone()))
                .service(web_ui(&p.config.web_dist))
                .wrap(actix_web::middleware::Condition::new(
                    limit_api,
                    api_limit.clone(),
                ))
                .wrap(from_fn(move |req, next| {
                    crate::guard::guard(limits.clone(), req, next)
                }))
                .wrap(problem::normalize_errors())
                .wrap(cors(&p.config))
                .wrap(from_fn(kernel::telemetry::request_context))
        })
        .workers(workers)
        .max_connections(config.http_max_connections.div_ceil(workers))
        .on_connect(move |conn, ext| clients.on_connect(conn, ext))
        .listen(listener)?
        .shutdown_timeout(20)
        // Signals are ours (run_until_stopped): live streams must end before the drain.
        .disable_signals()
        .run();
        Ok(Self { server, port, hub })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server future and the live-event hub, for callers that stop it themselves (tests):
    /// close the hub, then stop the server.
    pub fn into_parts(self) -> (Server, kernel::events::EventHub) {
        (self.server, self.hub)
    }

    /// Runs until SIGINT/SIGTERM, then ends the live streams and drains in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let shutdown = crate::worker::shutdown_signal()?;
        let (handle, hub) = (self.server.handle(), self.hub.clone());
        tokio::spawn(async move {
            shutdown.await;
            tracing::info!("shutting down: ending live streams, draining requests");
            hub.close();
            handle.stop(true).await;
        });
        self.server.await
    }
}

fn cors(config: &Config) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        .allowed_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::AUTHORIZATION,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("last-event-id"),
            kernel::telemetry::REQUEST_ID_HEADER,
        ])
        .expose_headers([
            header::HeaderName::from_static("x-total-count"),
            kernel::telemetry::REQUEST_ID_HEADER,
            header::ETAG,
            header::RETRY_AFTER,
        ])
        .supports_credentials()
        .max_age(600);
    for origin in config.cors_origins() {
        cors = cors.allowed_origin(&origin);
    }
    cors
}

/// The built web UI at `/` with SPA fallback; API and docs paths never fall back to it.
fn web_ui(dist: &PathBuf) -> actix_files::Files {
    let index = dist.join("index.html");
    actix_files::Files::new("/", dist)
        .index_file("index.html")
        .default_handler(fn_service(move |req: ServiceRequest| {
            let index = index.clone();
            async move {
                let (req, _) = req.into_parts();
                let path = req.path();
                let is_api = ["/api", "/docs", "/health", "/ready", "/metrics"]
                    .iter()
                    .any(|p| path == *p || path.starts_with(&format!("{p}/")));
                if is_api || !index.is_file() {
                    let res =
                        problem::Problem::new(kernel::ProblemCode::RouteNotFound, "No such route.");
                    return Ok(ServiceResponse::new(
                        req,
                        actix_web::ResponseError::error_response(&res),
                    ));
                }
                let file = actix_files::NamedFile::open_async(&index).await?;
                let res = file.into_response(&req);
                Ok(ServiceResponse::new(req, res))
            }
        }))
}
