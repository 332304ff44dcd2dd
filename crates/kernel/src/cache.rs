//! The Redis handle shared by slices, with the key prefix that keeps deployments (and
//! parallel tests) apart. The connection is made lazily and re-made by redis' connection
//! manager, so the API starts, and reports itself not ready, while Redis is down.

use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::OnceCell;

#[derive(Clone)]
pub struct Cache {
    client: redis::Client,
    conn: Arc<OnceCell<ConnectionManager>>,
    prefix: Arc<str>,
}

impl Cache {
    /// Parses the URL; does not connect yet.
    pub fn new(url: &str, prefix: &str) -> Result<Self, redis::RedisError> {
        Ok(Self {
            client: redis::Client::open(url)?,
            conn: Arc::new(OnceCell::new()),
            prefix: Arc::from(prefix),
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

    /// A multiplexed connection (cheap to clone; reconnects by itself).
    pub async fn conn(&self) -> Result<ConnectionManager, redis::RedisError> {
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

    pub async fn ping(&self) -> Result<(), redis::RedisError> {
        let mut conn = self.conn().await?;
        redis::cmd("PING").query_async::<String>(&mut conn).await?;
        Ok(())
    }
}
