//! Typed configuration, loaded once at start: defaults, then an optional TOML file named by
//! `FORTRESS_CONFIG`, then environment variables (upper-case keys, e.g. `DATABASE_URL`).
//! Secrets are `SecretString`s, so printing the config never shows them.
//! `.env.example` documents every key.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppEnv {
    Dev,
    Prod,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// The sandbox callback's signing secret in dev (`whsec_` + base64 of
/// "datafortress dev sandbox callback"): never valid in prod.
pub const DEV_CALLBACK_SECRET: &str = "whsec_ZGF0YWZvcnRyZXNzIGRldiBzYW5kYm94IGNhbGxiYWNr";

/// Missing keys take their value from `Config::default()` (`#[serde(default)]`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Config {
    pub app_env: AppEnv,
    pub http_addr: SocketAddr,
    pub public_url: String,
    pub database_url: SecretString,
    pub database_owner_url: SecretString,
    pub database_max_connections: u32,
    pub redis_url: SecretString,
    pub redis_prefix: String,
    pub log_format: Option<LogFormat>,
    pub otel_exporter_otlp_endpoint: Option<String>,
    pub otel_service_name: String,
    /// Comma-separated list of origins allowed to call the API with credentials.
    pub cors_allowed_origins: String,
    pub max_body_bytes: usize,
    /// The largest multipart upload (a CSV import: 50 MiB and its form fields).
    pub max_upload_bytes: usize,
    /// How long a request body may take to arrive (a slow sender is answered 408).
    pub http_body_timeout_seconds: u64,
    /// How long a request may take from its head to its response (then 503, Retry-After).
    pub http_request_timeout_seconds: u64,
    /// Open connections the server holds at most, over all its workers.
    pub http_max_connections: usize,
    /// Open connections one client address (IPv6: one /64) may hold; 0 for no limit. Behind
    /// a proxy every client has the proxy's address: raise it or set 0 there.
    pub http_max_connections_per_client: usize,
    pub web_dist: PathBuf,
    /// Where the local object store keeps layer files and scripts (when OBJECT_STORE_URL is unset).
    pub objects_dir: PathBuf,
    /// `s3://bucket` for an S3-compatible store (with the `AWS_*` variables: `AWS_ENDPOINT`,
    /// `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP`); unset:
    /// the local directory OBJECTS_DIR.
    pub object_store_url: Option<String>,
    /// The largest file a layer upload takes.
    pub max_object_upload_bytes: u64,
    /// How long each connector health check may take.
    pub connector_check_timeout_ms: u64,
    /// The DuckDB sandbox binary; unset: `fortress-sandbox` beside this binary, else on PATH.
    pub sandbox_bin: Option<PathBuf>,
    /// One sandbox run's DuckDB memory limit, threads and wall-clock limit.
    pub sandbox_memory_mb: u64,
    pub sandbox_threads: u32,
    pub sandbox_timeout_seconds: u64,
    /// Standard Webhooks secret(s) (`whsec_…`, comma-separated during a rotation) that sign
    /// `POST /api/v1/webhooks/sandbox-callback`. Unset: a fixed dev secret in dev, none (every
    /// callback refused) in prod.
    pub sandbox_callback_secret: Option<SecretString>,
    /// Airbyte's API (`https://api.airbyte.com`) and key; unset: files are loaded locally.
    pub airbyte_url: Option<String>,
    pub airbyte_token: Option<SecretString>,
    /// A Modal web endpoint running the scoring model, and its key; unset: a SQL model in the sandbox.
    pub modal_url: Option<String>,
    pub modal_token: Option<SecretString>,
    /// HubSpot's API (`https://api.hubapi.com`) and a private-app token; unset: scores go to our leads.
    pub hubspot_url: Option<String>,
    pub hubspot_token: Option<SecretString>,
    /// ActivePieces (`https://cloud.activepieces.com` or self-hosted), whose flows automation
    /// runs start through their webhook trigger, and an optional bearer key the trigger checks;
    /// unset: automation runs run the tenant's own flows.
    pub activepieces_url: Option<String>,
    pub activepieces_token: Option<SecretString>,
    /// An OpenAI-compatible Chat Completions server up to its API version
    /// (`https://api.openai.com/v1`, Ollama's `http://127.0.0.1:11434/v1`); unset: the
    /// rule-based provider answers offline.
    pub llm_base_url: Option<String>,
    pub llm_model: String,
    pub llm_api_key: Option<SecretString>,
    /// How long one answer may take (a streamed one: between two pieces).
    pub llm_timeout_seconds: u64,
    /// `kid:secret[,kid:secret…]`: the first key signs access tokens, all verify.
    pub jwt_keys: SecretString,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    /// Server secret for API-key hashes and refresh-token derivation (≥ 32 bytes).
    pub auth_secret: SecretString,
    /// The master key that wraps each tenant's data key (secrets at rest): 32 bytes, base64.
    /// Required when APP_ENV=prod; in dev it is derived from AUTH_SECRET.
    pub master_key: Option<SecretString>,
    /// May outreach mailboxes point at private and loopback SMTP servers (default: in dev)?
    pub outreach_allow_private_smtp: Option<bool>,
    pub access_token_ttl_seconds: u64,
    pub refresh_token_ttl_days: u64,
    pub refresh_grace_seconds: u64,
    /// Outgoing mail, e.g. `smtp://127.0.0.1:2525` (a local sink) or `smtps://user:pass@host`.
    pub smtp_url: SecretString,
    pub mail_from: String,
    /// Job handlers one worker runs at once.
    pub jobs_concurrency: usize,
    /// How long a worker holds a job without renewing (a killed worker's jobs run again after it).
    pub jobs_lease_seconds: u64,
    /// On SIGTERM, how long running jobs may take before they are handed back.
    pub jobs_shutdown_grace_seconds: u64,
    /// How often a worker looks for jobs that became due (new jobs wake it at once).
    pub jobs_poll_ms: u64,
    /// The first retry's delay; it doubles per attempt (with jitter) up to an hour.
    pub jobs_backoff_base_ms: u64,
    /// How long succeeded jobs are kept for the admin list.
    pub jobs_keep_succeeded_hours: u64,
    /// How long dead jobs are kept for admins to retry.
    pub jobs_keep_dead_days: u64,
    /// How long domain events are kept (SSE resume and webhook redelivery read them).
    pub events_retention_days: u64,
    /// Whether webhooks may go to loopback and private addresses (and plain http to
    /// localhost). Unset: yes in dev, no in prod.
    pub webhooks_allow_private_targets: Option<bool>,
    /// The proxy webhook deliveries go through (`http://host:port`). Unset: none, whatever
    /// `HTTPS_PROXY` and the like say.
    pub webhooks_proxy_url: Option<String>,
    /// The `api` rate-limit class (every `/api/` path, per tenant, or per client address before
    /// sign-in): `<limit>/<seconds>:<burst>`, or `off`.
    pub rate_limit_api: String,
    /// When Redis does not answer: serve unchecked (true, logged and counted) or answer 503.
    pub rate_limit_fail_open: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            app_env: AppEnv::Dev,
            http_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: "http://127.0.0.1:8080".into(),
            // A database on this machine: TLS over loopback would only cost CPU (a remote
            // database's URL says `sslmode=verify-full`).
            database_url: "postgres://fortress_app@127.0.0.1:5432/fortress?sslmode=disable".into(),
            database_owner_url: "postgres://postgres@127.0.0.1:5432/fortress".into(),
            database_max_connections: 16,
            redis_url: "redis://127.0.0.1:6379".into(),
            redis_prefix: "df:".into(),
            log_format: None,
            otel_exporter_otlp_endpoint: None,
            otel_service_name: "datafortress".into(),
            cors_allowed_origins: "http://localhost:5173".into(),
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 51 * 1024 * 1024,
            http_body_timeout_seconds: 30,
            http_request_timeout_seconds: 60,
            http_max_connections: 20_000,
            http_max_connections_per_client: 256,
            web_dist: PathBuf::from("web/dist"),
            objects_dir: PathBuf::from(".data/objects"),
            object_store_url: None,
            max_object_upload_bytes: 5 * 1024 * 1024 * 1024,
            connector_check_timeout_ms: 3000,
            sandbox_bin: None,
            sandbox_memory_mb: 1024,
            sandbox_threads: 2,
            sandbox_timeout_seconds: 600,
            sandbox_callback_secret: None,
            airbyte_url: None,
            airbyte_token: None,
            modal_url: None,
            modal_token: None,
            hubspot_url: None,
            hubspot_token: None,
            activepieces_url: None,
            activepieces_token: None,
            llm_base_url: None,
            llm_model: "gpt-4o-mini".into(),
            llm_api_key: None,
            llm_timeout_seconds: 60,
            jwt_keys: format!("dev:{}", auth::settings::DEV_SECRET).into(),
            jwt_issuer: "datafortress".into(),
            jwt_audience: "datafortress-api".into(),
            auth_secret: auth::settings::DEV_SECRET.into(),
            master_key: None,
            outreach_allow_private_smtp: None,
            access_token_ttl_seconds: 15 * 60,
            refresh_token_ttl_days: 30,
            refresh_grace_seconds: 10,
            smtp_url: "smtp://127.0.0.1:2525".into(),
            mail_from: "DataFortress <no-reply@datafortress.local>".into(),
            jobs_concurrency: 32,
            jobs_lease_seconds: 30,
            jobs_shutdown_grace_seconds: 20,
            jobs_poll_ms: 1000,
            jobs_backoff_base_ms: 5000,
            jobs_keep_succeeded_hours: 24,
            jobs_keep_dead_days: 30,
            events_retention_days: 7,
            webhooks_allow_private_targets: None,
            webhooks_proxy_url: None,
            rate_limit_api: "6000/60:1000".into(),
            rate_limit_fail_open: true,
        }
    }
}

/// Every key read from the environment (the TOML file uses the same names in lower case).
pub const KEYS: &[&str] = &[
    "APP_ENV",
    "HTTP_ADDR",
    "PUBLIC_URL",
    "DATABASE_URL",
    "DATABASE_OWNER_URL",
    "DATABASE_MAX_CONNECTIONS",
    "REDIS_URL",
    "REDIS_PREFIX",
    "LOG_FORMAT",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_SERVICE_NAME",
    "CORS_ALLOWED_ORIGINS",
    "MAX_BODY_BYTES",
    "MAX_UPLOAD_BYTES",
    "HTTP_BODY_TIMEOUT_SECONDS",
    "HTTP_REQUEST_TIMEOUT_SECONDS",
    "HTTP_MAX_CONNECTIONS",
    "HTTP_MAX_CONNECTIONS_PER_CLIENT",
    "WEB_DIST",
    "OBJECTS_DIR",
    "OBJECT_STORE_URL",
    "MAX_OBJECT_UPLOAD_BYTES",
    "CONNECTOR_CHECK_TIMEOUT_MS",
    "SANDBOX_BIN",
    "SANDBOX_MEMORY_MB",
    "SANDBOX_THREADS",
    "SANDBOX_TIMEOUT_SECONDS",
    "SANDBOX_CALLBACK_SECRET",
    "AIRBYTE_URL",
    "AIRBYTE_TOKEN",
    "MODAL_URL",
    "MODAL_TOKEN",
    "HUBSPOT_URL",
    "HUBSPOT_TOKEN",
    "ACTIVEPIECES_URL",
    "ACTIVEPIECES_TOKEN",
    "LLM_BASE_URL",
    "LLM_MODEL",
    "LLM_API_KEY",
    "LLM_TIMEOUT_SECONDS",
    "JWT_KEYS",
    "JWT_ISSUER",
    "JWT_AUDIENCE",
    "AUTH_SECRET",
    "MASTER_KEY",
    "OUTREACH_ALLOW_PRIVATE_SMTP",
    "ACCESS_TOKEN_TTL_SECONDS",
    "REFRESH_TOKEN_TTL_DAYS",
    "REFRESH_GRACE_SECONDS",
    "SMTP_URL",
    "MAIL_FROM",
    "JOBS_CONCURRENCY",
    "JOBS_LEASE_SECONDS",
    "JOBS_SHUTDOWN_GRACE_SECONDS",
    "JOBS_POLL_MS",
    "JOBS_BACKOFF_BASE_MS",
    "JOBS_KEEP_SUCCEEDED_HOURS",
    "JOBS_KEEP_DEAD_DAYS",
    "EVENTS_RETENTION_DAYS",
    "WEBHOOKS_ALLOW_PRIVATE_TARGETS",
    "WEBHOOKS_PROXY_URL",
    "RATE_LIMIT_API",
    "RATE_LIMIT_FAIL_OPEN",
];

impl Config {
    /// Loads and checks the configuration. The error is one line, fit to print as is.
    pub fn load() -> Result<Self, String> {
        let mut figment = Figment::new();
        if let Ok(path) = std::env::var("FORTRESS_CONFIG") {
            if !std::path::Path::new(&path).is_file() {
                return Err(format!("FORTRESS_CONFIG names {path}, which is not a file"));
            }
            figment = figment.merge(Toml::file(path));
        }
        // Env keys are matched case-insensitively and lower-cased to the field names.
        figment = figment.merge(Env::raw().only(KEYS));
        let config: Config = figment.extract().map_err(|e| one_line(&e))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), String> {
        self.api_rate_limit()?;
        for (key, url) in [
            ("DATABASE_URL", &self.database_url),
            ("DATABASE_OWNER_URL", &self.database_owner_url),
        ] {
            let url = url.expose_secret();
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(format!("{key} must be a postgres:// URL"));
            }
            sqlx::postgres::PgConnectOptions::from_str(url)
                .map_err(|e| format!("{key} is not a valid PostgreSQL URL: {e}"))?;
        }
        kernel::cache::Cache::new(self.redis_url.expose_secret(), &self.redis_prefix)
            .map_err(|e| format!("REDIS_URL is not a valid Redis URL: {e}"))?;
        if self.database_max_connections == 0 {
            return Err("DATABASE_MAX_CONNECTIONS must be at least 1".into());
        }
        if self.max_body_bytes < 1024 {
            return Err("MAX_BODY_BYTES must be at least 1024".into());
        }
        if self.max_upload_bytes < self.max_body_bytes {
            return Err("MAX_UPLOAD_BYTES must be at least MAX_BODY_BYTES".into());
        }
        if self.http_body_timeout_seconds == 0
            || self.http_request_timeout_seconds < self.http_body_timeout_seconds
        {
            return Err("HTTP_BODY_TIMEOUT_SECONDS must be at least 1 and at most HTTP_REQUEST_TIMEOUT_SECONDS".into());
        }
        if self.connector_check_timeout_ms == 0 {
            return Err("CONNECTOR_CHECK_TIMEOUT_MS must be at least 1".into());
        }
        if self.http_max_connections == 0 {
            return Err("HTTP_MAX_CONNECTIONS must be at least 1".into());
        }
        let settings = self.auth_settings()?;
        auth::jwt::JwtKeys::new(
            &settings.jwt_keys,
            &settings.jwt_issuer,
            &settings.jwt_audience,
        )?;
        if self.auth_secret.expose_secret().len() < 32 {
            return Err("AUTH_SECRET must be at least 32 bytes".into());
        }
        if self.app_env == AppEnv::Prod {
            let dev = auth::settings::DEV_SECRET;
            if self.jwt_keys.expose_secret().contains(dev)
                || self.auth_secret.expose_secret() == dev
            {
                return Err(
                    "JWT_KEYS and AUTH_SECRET must be set to real secrets when APP_ENV=prod".into(),
                );
            }
        }
        self.llm()?;
        self.secrets_at_rest()?;
        if !(60..=3600).contains(&self.access_token_ttl_seconds) {
            return Err("ACCESS_TOKEN_TTL_SECONDS must be between 60 and 3600".into());
        }
        Ok(())
    }

    /// The auth slice's settings.
    pub fn auth_settings(&self) -> Result<auth::AuthSettings, String> {
        let mut s = auth::AuthSettings::for_dev(&self.public_url);
        s.jwt_keys = auth::AuthSettings::parse_jwt_keys(self.jwt_keys.expose_secret())?;
        s.jwt_issuer = self.jwt_issuer.clone();
        s.jwt_audience = self.jwt_audience.clone();
        s.server_secret = self.auth_secret.clone();
        s.access_ttl = std::time::Duration::from_secs(self.access_token_ttl_seconds);
        s.refresh_ttl = std::time::Duration::from_secs(self.refresh_token_ttl_days * 24 * 3600);
        s.refresh_grace = std::time::Duration::from_secs(self.refresh_grace_seconds);
        s.allowed_origins = self.cors_origins();
        s.hash_concurrency = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Ok(s)
    }

    /// The job worker's settings.
    pub fn worker_config(&self) -> kernel::jobs::WorkerConfig {
        use std::time::Duration;
        kernel::jobs::WorkerConfig {
            concurrency: self.jobs_concurrency.max(1),
            lease: Duration::from_secs(self.jobs_lease_seconds.max(1)),
            poll: Duration::from_millis(self.jobs_poll_ms.max(10)),
            shutdown_grace: Duration::from_secs(self.jobs_shutdown_grace_seconds),
            backoff_base: Duration::from_millis(self.jobs_backoff_base_ms),
            ..kernel::jobs::WorkerConfig::default()
        }
    }

    /// The `api` rate-limit policy; `None` when it is `off`.
    pub fn api_rate_limit(&self) -> Result<Option<kernel::rate_limit::Policy>, String> {
        parse_policy("api", &self.rate_limit_api)
            .map_err(|e| format!("RATE_LIMIT_API: {e} (expected <limit>/<seconds>:<burst> or off)"))
    }

    /// Outbound webhook settings.
    pub fn webhook_settings(&self) -> webhooks::Settings {
        let allow_private = self
            .webhooks_allow_private_targets
            .unwrap_or(self.app_env == AppEnv::Dev);
        webhooks::Settings {
            proxy: self.webhooks_proxy_url.clone(),
            ..webhooks::Settings::new(allow_private)
        }
    }

    /// The projects slice's object store, upload limit and connector checks. Fails when the
    /// object store cannot be set up (a directory that cannot be created, a bad S3 URL).
    pub fn projects_settings(&self) -> Result<projects::Settings, String> {
        let objects = match &self.object_store_url {
            Some(url) => projects::Objects::s3(url),
            None => projects::Objects::local(
                &self.objects_dir,
                self.auth_secret.expose_secret().as_bytes(),
                &self.public_url,
            ),
        }
        .map_err(|e| format!("object store: {e}"))?;
        let allow_private = self
            .webhooks_allow_private_targets
            .unwrap_or(self.app_env == AppEnv::Dev);
        let timeout = std::time::Duration::from_millis(self.connector_check_timeout_ms);
        let client = reqwest::Client::builder()
            .dns_resolver(std::sync::Arc::new(kernel::outbound::GuardedResolver(
                kernel::outbound::TargetPolicy { allow_private },
            )))
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .build()
            .map_err(|e| format!("connector check client: {e}"))?;
        let smtp = url::Url::parse(self.smtp_url.expose_secret())
            .ok()
            .filter(|u| u.scheme() == "smtp" || u.scheme() == "smtps")
            .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port().unwrap_or(587))));
        Ok(projects::Settings {
            health: projects::HealthChecks {
                objects: objects.clone(),
                smtp,
                client,
                timeout,
            },
            objects,
            max_object_bytes: self.max_object_upload_bytes,
            allow_private_targets: allow_private,
            states: Default::default(),
        })
    }

    /// The orchestration slice's providers, sandbox and callback secrets.
    pub fn orchestration_settings(&self) -> Result<orchestration::Settings, String> {
        let provider =
            |url: &Option<String>, token: &Option<SecretString>, name: &str| match (url, token) {
                (Some(url), Some(token)) => Ok(Some(orchestration::Provider {
                    base_url: url.clone(),
                    token: token.expose_secret().to_owned(),
                })),
                (None, _) => Ok(None),
                (Some(_), None) => Err(format!("{name}_URL is set without {name}_TOKEN")),
            };
        let callback_secrets = match &self.sandbox_callback_secret {
            Some(secret) => secret
                .expose_secret()
                .split(',')
                .map(|s| kernel::webhooks::WebhookSecret::standard(s.trim()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("SANDBOX_CALLBACK_SECRET: {e}"))?,
            None if self.app_env == AppEnv::Dev => {
                vec![
                    kernel::webhooks::WebhookSecret::standard(DEV_CALLBACK_SECRET)
                        .map_err(|e| format!("dev callback secret: {e}"))?,
                ]
            }
            None => Vec::new(),
        };
        Ok(orchestration::Settings {
            providers: orchestration::Providers {
                airbyte: provider(&self.airbyte_url, &self.airbyte_token, "AIRBYTE")?,
                modal: provider(&self.modal_url, &self.modal_token, "MODAL")?,
                hubspot: provider(&self.hubspot_url, &self.hubspot_token, "HUBSPOT")?,
                activepieces: self
                    .activepieces_url
                    .as_ref()
                    .map(|url| orchestration::Provider {
                        base_url: url.clone(),
                        token: self
                            .activepieces_token
                            .as_ref()
                            .map(|t| t.expose_secret().to_owned())
                            .unwrap_or_default(),
                    }),
            },
            allow_private_targets: self
                .webhooks_allow_private_targets
                .unwrap_or(self.app_env == AppEnv::Dev),
            public_url: self.public_url.clone(),
            objects_dir: self.local_objects_dir(),
            sandbox_bin: self.sandbox_bin(),
            sandbox_limits: self.sandbox_limits(),
            token_secret: self.auth_secret.expose_secret().as_bytes().to_vec(),
            callback_secrets,
        })
    }

    /// The LLM provider layer: the OpenAI-compatible server when `LLM_BASE_URL` is set, else the
    /// rule-based provider. None of the app's own secrets is ever sent in a prompt.
    pub fn llm(&self) -> Result<kernel::llm::Llm, String> {
        let llm = match &self.llm_base_url {
            Some(url) => kernel::llm::Llm::remote(kernel::llm::RemoteConfig {
                api_key: self.llm_api_key.clone(),
                timeout: std::time::Duration::from_secs(self.llm_timeout_seconds.max(1)),
                ..kernel::llm::RemoteConfig::new(url, &self.llm_model)
            })?,
            None => kernel::llm::Llm::offline(),
        };
        Ok(llm.never_send(self.secrets()))
    }

    /// Every secret value the configuration holds: keys, tokens, and the passwords inside URLs.
    fn secrets(&self) -> Vec<SecretString> {
        let password = |url: &SecretString| {
            url::Url::parse(url.expose_secret())
                .ok()
                .and_then(|u| u.password().map(|p| SecretString::from(p.to_owned())))
        };
        let mut all: Vec<SecretString> = [
            &self.database_url,
            &self.database_owner_url,
            &self.redis_url,
            &self.smtp_url,
        ]
        .into_iter()
        .filter_map(password)
        .collect();
        all.push(self.auth_secret.clone());
        all.extend(
            self.jwt_keys
                .expose_secret()
                .split(',')
                .filter_map(|k| k.split_once(':'))
                .map(|(_, secret)| SecretString::from(secret.trim().to_owned())),
        );
        all.extend(
            [
                &self.sandbox_callback_secret,
                &self.airbyte_token,
                &self.modal_token,
                &self.hubspot_token,
                &self.activepieces_token,
                &self.llm_api_key,
                &self.master_key,
            ]
            .into_iter()
            .flatten()
            .cloned(),
        );
        all
    }

    /// Secrets at rest: the master key, or in dev one derived from AUTH_SECRET.
    pub fn secrets_at_rest(&self) -> Result<kernel::secrets::Secrets, String> {
        use sha2::Digest;
        match &self.master_key {
            Some(key) => kernel::secrets::Secrets::from_base64(key.expose_secret())
                .map_err(|e| format!("MASTER_KEY: {e}")),
            None if self.app_env == AppEnv::Prod => {
                Err("MASTER_KEY must be set (32 random bytes, base64) when APP_ENV=prod".into())
            }
            None => {
                let mut derived = sha2::Sha256::new();
                derived.update(b"datafortress dev master key:");
                derived.update(self.auth_secret.expose_secret().as_bytes());
                kernel::secrets::Secrets::new(&derived.finalize())
                    .map_err(|e| format!("MASTER_KEY: {e}"))
            }
        }
    }

    /// The outreach slice's settings.
    pub fn outreach_settings(&self) -> outreach::Settings {
        use sha2::Digest;
        let mut key = sha2::Sha256::new();
        key.update(b"datafortress outreach unsubscribe:");
        key.update(self.auth_secret.expose_secret().as_bytes());
        outreach::Settings {
            public_url: self.public_url.clone(),
            unsubscribe_key: key.finalize().to_vec(),
            allow_private_smtp: self
                .outreach_allow_private_smtp
                .unwrap_or(self.app_env == AppEnv::Dev),
            timeouts: outreach::smtp::Timeouts::default(),
            local_smtp: self.local_smtp(),
        }
    }

    /// `SMTP_URL` as (`host`, `port`) when it is a plain `smtp://` sink without credentials.
    fn local_smtp(&self) -> Option<(String, u16)> {
        let url = url::Url::parse(self.smtp_url.expose_secret()).ok()?;
        let plain = url.scheme() == "smtp" && url.username().is_empty() && url.password().is_none();
        plain.then(|| Some((url.host_str()?.to_owned(), url.port().unwrap_or(25))))?
    }

    /// The discovery slice's sandbox and object store.
    pub fn discovery_settings(&self) -> discovery::Settings {
        discovery::Settings {
            objects_dir: self.local_objects_dir(),
            sandbox_bin: self.sandbox_bin(),
            sandbox_limits: self.sandbox_limits(),
        }
    }

    /// The local object store's directory; `None` with an S3 store.
    fn local_objects_dir(&self) -> Option<PathBuf> {
        self.object_store_url
            .is_none()
            .then(|| self.objects_dir.clone())
    }

    fn sandbox_bin(&self) -> Option<PathBuf> {
        self.sandbox_bin.clone().or_else(sandbox::Sandbox::locate)
    }

    /// One sandbox run's limits.
    fn sandbox_limits(&self) -> sandbox::Limits {
        sandbox::Limits {
            memory_mb: self.sandbox_memory_mb,
            threads: self.sandbox_threads,
            wall_ms: self.sandbox_timeout_seconds.saturating_mul(1000),
            cpu_seconds: self
                .sandbox_timeout_seconds
                .saturating_mul(u64::from(self.sandbox_threads.max(1))),
            ..sandbox::Limits::default()
        }
    }

    pub fn retention(&self) -> platform::Retention {
        let days = |n: u64| std::time::Duration::from_secs(n * 24 * 3600);
        platform::Retention {
            events: days(self.events_retention_days),
            succeeded_jobs: std::time::Duration::from_secs(self.jobs_keep_succeeded_hours * 3600),
            dead_jobs: days(self.jobs_keep_dead_days),
        }
    }

    pub fn log_format(&self) -> LogFormat {
        self.log_format.unwrap_or(match self.app_env {
            AppEnv::Dev => LogFormat::Pretty,
            AppEnv::Prod => LogFormat::Json,
        })
    }

    pub fn cors_origins(&self) -> Vec<String> {
        self.cors_allowed_origins
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

fn one_line(err: &figment::Error) -> String {
    let key = err.path.last().map(|k| k.to_ascii_uppercase());
    match key {
        Some(key) => format!("{key}: {}", err.kind),
        None => err.kind.to_string(),
    }
}

/// `<limit>/<seconds>:<burst>` (e.g. `6000/60:1000`), or `off`.
fn parse_policy(name: &str, spec: &str) -> Result<Option<kernel::rate_limit::Policy>, String> {
    if spec.trim().eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let (rate, burst) = spec.split_once(':').ok_or("no burst")?;
    let (limit, period) = rate.split_once('/').ok_or("no period")?;
    let number = |s: &str| {
        s.trim()
            .parse::<u32>()
            .map_err(|_| format!("{s:?} is not a number"))
    };
    let period = std::time::Duration::from_secs(u64::from(number(period)?));
    kernel::rate_limit::Policy::new(name, number(limit)?, period, number(burst)?)
        .map(Some)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_secrets() {
        let config = Config {
            database_url: "postgres://app:hunter2hunter2@db/x".into(),
            ..Config::default()
        };
        assert!(!format!("{config:?}").contains("hunter2"));
    }

    fn echo(_: &kernel::llm::RuleInput<'_>) -> Result<kernel::llm::Answer, String> {
        Ok(kernel::llm::Answer::Text("ok".into()))
    }

    static ECHO: kernel::llm::Prompt =
        kernel::llm::Prompt::new("test.echo", 1, "Echo.", "{{ text }}", echo);

    #[tokio::test]
    async fn no_configured_secret_can_go_out_in_a_prompt() {
        let config = Config {
            database_url: "postgres://app:db-password-1234@db/x".into(),
            smtp_url: "smtps://mailer:smtp-password-99@mail.example:465".into(),
            hubspot_token: Some("pat-hubspot-token-1".into()),
            ..Config::default()
        };
        let llm = config.llm().unwrap();
        assert_eq!(llm.provider(), "rule-based");
        let ask =
            |text: &str| kernel::llm::Request::new(&ECHO, serde_json::json!({ "text": text }));
        assert!(llm.complete(&ask("a harmless question")).await.is_ok());
        for leaked in [
            "db-password-1234",
            "smtp-password-99",
            "pat-hubspot-token-1",
            auth::settings::DEV_SECRET,
        ] {
            let err = llm
                .complete(&ask(&format!("psst: {leaked}")))
                .await
                .unwrap_err();
            assert!(
                matches!(err, kernel::llm::LlmError::SecretInRequest),
                "{leaked}: {err}"
            );
        }
    }

    #[test]
    fn a_bad_llm_server_url_fails_at_start() {
        let config = Config {
            llm_base_url: Some("not a url".into()),
            ..Config::default()
        };
        assert!(config.check().unwrap_err().contains("LLM_BASE_URL"));
    }

    #[test]
    fn rate_limit_specs_parse_or_fail_clearly() {
        let policy = parse_policy("api", "6000/60:1000").unwrap().unwrap();
        assert_eq!(
            (policy.limit(), policy.period().as_secs(), policy.burst()),
            (6000, 60, 1000)
        );
        assert!(parse_policy("api", "off").unwrap().is_none());
        for bad in ["6000", "6000/60", "x/60:1", "0/60:1", "10/0:1"] {
            assert!(parse_policy("api", bad).is_err(), "{bad}");
        }
    }
}
