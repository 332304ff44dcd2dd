//! The application under test: [`TestApp`] on a free port with a fresh database, its own
//! Redis prefix and SMTP sink, optionally behind fault-injecting proxies ([`Faults`]).

use std::net::TcpListener;
use std::sync::Arc;

use app::config::Config;
use app::{Application, Platform};
use kernel::cache::Cache;
use sqlx::PgPool;

use crate::mail::Mailbox;
use crate::proxy::Proxy;
use crate::session::{client_for, send, uuid_at, Session};

/// The Redis server the tests use (`REDIS_URL`, default the local one).
pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

pub struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub address: String,
    /// Cookie-keeping client; `Origin` is set so cookie-authenticated writes pass CSRF checks.
    pub client: reqwest::Client,
    /// The pool as the application sees it (runtime role, RLS applies).
    pub db: PgPool,
    /// The per-test database as its owner (to arrange and inspect state behind the API).
    pub owner_db: PgPool,
    pub cache: Cache,
    pub config: Arc<Config>,
    /// Mail the app sent, as its SMTP sink received it.
    pub mailbox: Mailbox,
    handle: actix_web::dev::ServerHandle,
    hub: kernel::events::EventHub,
}

impl TestApp {
    pub async fn spawn(owner_db: PgPool) -> Self {
        Self::spawn_with(owner_db, |_| {}).await
    }

    /// As `spawn`, with a chance to change the configuration first.
    pub async fn spawn_with(owner_db: PgPool, tweak: impl FnOnce(&mut Config)) -> Self {
        Self::spawn_inner(owner_db, tweak, None).await
    }

    /// As `spawn_with`, reaching PostgreSQL and Redis through fault-injecting proxies (the
    /// tests' own connections, `owner_db`, go direct).
    pub async fn spawn_behind_proxies(
        owner_db: PgPool,
        tweak: impl FnOnce(&mut Config),
    ) -> (Self, Faults) {
        let pg = owner_db.connect_options();
        let pg_addr = resolve(&format!("{}:{}", pg.get_host(), pg.get_port())).await;
        let redis = redis_url();
        let redis_host = redis
            .trim_start_matches("redis://")
            .split(['/', '?'])
            .next()
            .unwrap_or_default()
            .rsplit('@')
            .next()
            .unwrap_or_default()
            .to_owned();
        let redis_addr = resolve(&redis_host).await;
        let faults = Faults {
            postgres: Proxy::start(pg_addr).await,
            redis: Proxy::start(redis_addr).await,
        };
        let app = Self::spawn_inner(owner_db, tweak, Some(&faults)).await;
        (app, faults)
    }

    async fn spawn_inner(
        owner_db: PgPool,
        tweak: impl FnOnce(&mut Config),
        faults: Option<&Faults>,
    ) -> Self {
        let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("{e}"))
            .port();
        let address = format!("http://127.0.0.1:{port}");
        let (mailbox, smtp_url) = Mailbox::start().await;
        let mut config = Config {
            redis_url: redis_url().into(),
            redis_prefix: prefix,
            public_url: address.clone(),
            smtp_url: smtp_url.into(),
            objects_dir: std::env::temp_dir().join(format!(
                "datafortress-objects-{}",
                uuid::Uuid::new_v4().simple()
            )),
            ..Config::default()
        };
        if let Some(faults) = faults {
            config.redis_url = format!("redis://{}", faults.redis.addr()).into();
        }
        tweak(&mut config);
        let mut owner_options = (*owner_db.connect_options()).clone();
        if let Some(faults) = faults {
            owner_options = owner_options.host("127.0.0.1").port(faults.postgres.port());
        }
        let db = kernel::db::runtime_pool_from_owner(&owner_options, 8);
        let cache = Cache::new(
            secrecy::ExposeSecret::expose_secret(&config.redis_url),
            &config.redis_prefix,
        )
        .unwrap_or_else(|e| panic!("REDIS_URL: {e}"));
        let mailer: kernel::mail::SharedMailer = Arc::new(
            kernel::mail::SmtpMailer::new(
                secrecy::ExposeSecret::expose_secret(&config.smtp_url),
                &config.mail_from,
            )
            .unwrap_or_else(|e| panic!("SMTP_URL: {e}")),
        );
        let config = Arc::new(config);
        let platform = Platform {
            db: db.clone(),
            cache: cache.clone(),
            config: config.clone(),
            mailer,
        };
        let app = Application::build(platform, listener).unwrap_or_else(|e| panic!("build: {e}"));
        let (server, hub) = app.into_parts();
        let handle = server.handle();
        tokio::spawn(server);

        let client = client_for(&address);
        Self {
            address,
            client,
            db,
            owner_db,
            cache,
            config,
            mailbox,
            handle,
            hub,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        send(
            &self.client,
            &self.address,
            reqwest::Method::GET,
            path,
            None,
        )
        .await
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        send(
            &self.client,
            &self.address,
            reqwest::Method::POST,
            path,
            Some(body),
        )
        .await
    }

    /// Stops the server and closes its pool (so the per-test database can be dropped).
    /// Runs `registry`'s jobs in this process on the app's database, polling and backing off
    /// every 50 ms (tests wait for jobs, not for timers); stops when the returned sender is
    /// dropped.
    pub fn start_worker(
        &self,
        registry: kernel::jobs::Registry,
    ) -> tokio::sync::oneshot::Sender<()> {
        let config = kernel::jobs::WorkerConfig {
            poll: std::time::Duration::from_millis(50),
            backoff_base: std::time::Duration::from_millis(50),
            ..kernel::jobs::WorkerConfig::default()
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(
            kernel::jobs::Worker::new(self.db.clone(), registry, config).run(async {
                let _ = stopped.await;
            }),
        );
        stop
    }

    pub async fn stop(self) {
        self.hub.close();
        self.handle.stop(true).await;
        self.db.close().await;
    }
}

/// The proxies a [`TestApp::spawn_behind_proxies`] app reaches its dependencies through.
pub struct Faults {
    pub postgres: Proxy,
    pub redis: Proxy,
}

async fn resolve(host_port: &str) -> std::net::SocketAddr {
    tokio::net::lookup_host(host_port)
        .await
        .ok()
        .and_then(|mut addrs| addrs.next())
        .unwrap_or_else(|| panic!("cannot resolve {host_port}"))
}

impl TestApp {
    /// A new browser: a cookie-keeping client that sends this app's `Origin`.
    pub fn browser(&self) -> reqwest::Client {
        client_for(&self.address)
    }

    /// Registers a new tenant `slug` with its owner and returns the owner, signed in.
    pub async fn sign_up(&self, slug: &str) -> Session {
        let client = self.browser();
        let email = format!("owner@{slug}.test");
        let password = format!("{slug} owner's long passphrase");
        let res = client
            .post(self.url("/api/v1/auth/register"))
            .json(&serde_json::json!({
                "tenant_name": format!("Tenant {slug}"),
                "tenant_slug": slug,
                "name": format!("Owner of {slug}"),
                "email": email,
                "password": password,
            }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("register: {e}"));
        assert_eq!(
            res.status(),
            201,
            "register {slug}: {}",
            res.text().await.unwrap_or_default()
        );
        let me: serde_json::Value = res.json().await.unwrap_or_else(|e| panic!("{e}"));
        Session {
            client,
            base: self.address.clone(),
            email,
            password,
            user_id: uuid_at(&me["user"]["id"]),
            tenant_id: uuid_at(&me["tenant"]["id"]),
            tenant_slug: slug.to_owned(),
        }
    }

    /// Signs `email` in with a fresh browser; panics unless it succeeds.
    pub async fn sign_in(&self, email: &str, password: &str) -> Session {
        let client = self.browser();
        let res = client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("login: {e}"));
        assert_eq!(
            res.status(),
            200,
            "login {email}: {}",
            res.text().await.unwrap_or_default()
        );
        let me: serde_json::Value = res.json().await.unwrap_or_else(|e| panic!("{e}"));
        Session {
            client,
            base: self.address.clone(),
            email: email.to_owned(),
            password: password.to_owned(),
            user_id: uuid_at(&me["user"]["id"]),
            tenant_id: uuid_at(&me["tenant"]["id"]),
            tenant_slug: me["tenant"]["slug"].as_str().unwrap_or_default().to_owned(),
        }
    }
}
