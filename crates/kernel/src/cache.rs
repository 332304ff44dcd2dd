//! The Redis handle shared by slices, with the key prefix that keeps deployments (and
//! parallel tests) apart. The connection is made lazily and re-made by redis' connection
//! manager, so the API starts, and reports itself not ready, while Redis is down.
//!
//! A circuit breaker stands in front of it: once a command fails because Redis cannot be
//! reached (refused, dropped, timed out), every command fails at once with
//! [`Cache::is_down`] true, instead of each request paying the timeouts; a background task
//! pings Redis every [`PROBE_EVERY`] and closes the breaker when it answers. Callers decide
//! what a failure means for them: rate limits serve unchecked (fail open), authentication
//! falls back to PostgreSQL.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::{Cmd, ErrorKind, Pipeline, RedisError, RedisFuture, Value};
use tokio::sync::OnceCell;

/// How often a down Redis is pinged, and how long a ping may take.
pub const PROBE_EVERY: Duration = Duration::from_millis(250);

#[derive(Clone)]
pub struct Cache {
    client: redis::Client,
    conn: Arc<OnceCell<ConnectionManager>>,
    prefix: Arc<str>,
    breaker: Arc<Breaker>,
}

impl Cache {
    /// Parses the URL; does not connect yet.
    pub fn new(url: &str, prefix: &str) -> Result<Self, redis::RedisError> {
        Ok(Self {
            client: redis::Client::open(url)?,
            conn: Arc::new(OnceCell::new()),
            prefix: Arc::from(prefix),
            breaker: Arc::default(),
        })
    }

    /// `prefix + suffix`: every key this application touches goes through here.
    pub fn key(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.prefix)
    }

    /// The client, for connections of their own (pub/sub subscribers).
    pub fn client(&self) -> &redis::Client {
        &self.client
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Whether Redis is known to be unreachable (the breaker is open).
    pub fn is_down(&self) -> bool {
        self.breaker.open.load(Ordering::Acquire)
    }

    /// A multiplexed connection (cheap to clone; reconnects by itself), behind the breaker:
    /// while Redis is known down this fails at once.
    pub async fn conn(&self) -> Result<Guarded, RedisError> {
        if self.is_down() {
            return Err(down());
        }
        match self.manager().await {
            Ok(inner) => Ok(Guarded {
                inner,
                cache: self.clone(),
            }),
            Err(e) => {
                self.failed(&e);
                Err(e)
            }
        }
    }

    /// Pings Redis past the breaker (for `/ready` and the probe).
    pub async fn ping(&self) -> Result<(), RedisError> {
        let mut conn = self.manager().await?;
        redis::cmd("PING").query_async::<String>(&mut conn).await?;
        Ok(())
    }

    async fn manager(&self) -> Result<ConnectionManager, RedisError> {
        let client = self.client.clone();
        self.conn
            .get_or_try_init(|| async move {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Duration::from_secs(2))
                    .set_response_timeout(Duration::from_secs(2))
                    .set_number_of_retries(1);
                ConnectionManager::new_with_config(client, config).await
            })
            .await
            .cloned()
    }

    /// Opens the breaker when `err` says Redis cannot be reached, and starts the probe.
    fn failed(&self, err: &RedisError) {
        let unreachable = err.is_io_error()
            || err.is_timeout()
            || err.is_connection_dropped()
            || err.is_connection_refusal();
        if !unreachable || self.breaker.open.swap(true, Ordering::AcqRel) {
            return;
        }
        tracing::warn!(error = %err, "Redis unreachable: commands fail fast until it answers");
        let cache = self.clone();
        // Without a runtime (a synchronous caller) the next `conn()` after a restart retries.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { cache.probe_until_up().await });
        } else {
            self.breaker.open.store(false, Ordering::Release);
        }
    }

    async fn probe_until_up(self) {
        loop {
            tokio::time::sleep(PROBE_EVERY).await;
            if let Ok(Ok(())) = tokio::time::timeout(PROBE_EVERY, self.ping()).await {
                self.breaker.open.store(false, Ordering::Release);
                tracing::info!("Redis answers again");
                return;
            }
        }
    }
}

/// Breaker state: open while Redis is known unreachable.
#[derive(Debug, Default)]
struct Breaker {
    open: AtomicBool,
}

fn down() -> RedisError {
    RedisError::from((ErrorKind::IoError, "Redis is unreachable (circuit open)"))
}

/// A connection that reports its failures to the breaker.
#[derive(Clone)]
pub struct Guarded {
    inner: ConnectionManager,
    cache: Cache,
}

impl Guarded {
    fn note<T>(&self, result: Result<T, RedisError>) -> Result<T, RedisError> {
        if let Err(e) = &result {
            self.cache.failed(e);
        }
        result
    }
}

impl ConnectionLike for Guarded {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        Box::pin(async move {
            if self.cache.is_down() {
                return Err(down());
            }
            let result = self.inner.req_packed_command(cmd).await;
            self.note(result)
        })
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        Box::pin(async move {
            if self.cache.is_down() {
                return Err(down());
            }
            let result = self.inner.req_packed_commands(cmd, offset, count).await;
            self.note(result)
        })
    }

    fn get_db(&self) -> i64 {
        self.inner.get_db()
    }
}
