//! Typed configuration, loaded once at start: defaults, then an optional TOML file named by
//! `FORTRESS_CONFIG`, then environment variables (upper-case keys, e.g. `DATABASE_URL`).
//! Secrets are `SecretString`s, so printing the config never shows them.
//! `.env.example` documents every key.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use figment::providers::{Env, Format, Serialized, Toml};
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

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Config {
    pub app_env: AppEnv,
    pub http_addr: SocketAddr,
    pub public_url: String,
    #[serde(serialize_with = "redacted")]
    pub database_url: SecretString,
    #[serde(serialize_with = "redacted")]
    pub database_owner_url: SecretString,
    pub database_max_connections: u32,
    #[serde(serialize_with = "redacted")]
    pub redis_url: SecretString,
    pub redis_prefix: String,
    pub log_format: Option<LogFormat>,
    pub otel_exporter_otlp_endpoint: Option<String>,
    pub otel_service_name: String,
    /// Comma-separated list of origins allowed to call the API with credentials.
    pub cors_allowed_origins: String,
    pub max_body_bytes: usize,
    pub web_dist: PathBuf,
}

fn redacted<S: serde::Serializer>(_: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("[redacted]")
}

impl Default for Config {
    fn default() -> Self {
        Self {
            app_env: AppEnv::Dev,
            http_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: "http://127.0.0.1:8080".into(),
            database_url: "postgres://fortress_app@127.0.0.1:5432/fortress".into(),
            database_owner_url: "postgres://postgres@127.0.0.1:5432/fortress".into(),
            database_max_connections: 16,
            redis_url: "redis://127.0.0.1:6379".into(),
            redis_prefix: "df:".into(),
            log_format: None,
            otel_exporter_otlp_endpoint: None,
            otel_service_name: "datafortress".into(),
            cors_allowed_origins: "http://localhost:5173".into(),
            max_body_bytes: 1024 * 1024,
            web_dist: PathBuf::from("web/dist"),
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
    "WEB_DIST",
];

impl Config {
    /// Loads and checks the configuration. The error is one line, fit to print as is.
    pub fn load() -> Result<Self, String> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
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
        for (key, url) in [
            ("DATABASE_URL", &self.database_url),
            ("DATABASE_OWNER_URL", &self.database_owner_url),
        ] {
            sqlx::postgres::PgConnectOptions::from_str(url.expose_secret())
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
        Ok(())
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
        let json = serde_json::to_string(&config).unwrap_or_default();
        assert!(!json.contains("hunter2") && json.contains("[redacted]"));
    }
}
