//! Cron schedules: at each tick of a cron expression (UTC), one platform job is enqueued,
//! however many workers run. Ticks missed while no worker ran are not made up for; the jobs
//! scheduled this way (cleanups) catch up by doing all that is due.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use croner::Cron;
use serde_json::Value;
use sqlx::PgPool;

use super::store;

/// A named cron schedule that enqueues a platform job of `kind`.
#[derive(Clone)]
pub struct Schedule {
    name: String,
    cron: Arc<Cron>,
    kind: String,
    payload: Value,
}

impl Schedule {
    /// `cron` is a cron expression in UTC: five fields (`0 * * * *`: hourly), or six with seconds
    /// first.
    pub fn new(name: &str, cron: &str, kind: &str) -> Result<Self, croner::errors::CronError> {
        Ok(Self {
            name: name.to_owned(),
            cron: Arc::new(Cron::new(cron).with_seconds_optional().parse()?),
            kind: kind.to_owned(),
            payload: Value::Object(Default::default()),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Sleeps until each tick; the worker that claims the tick enqueues the job.
pub(crate) async fn fire(db: PgPool, schedule: Schedule) {
    loop {
        let now = Utc::now();
        let next = match schedule.cron.find_next_occurrence(&now, false) {
            Ok(next) => next,
            Err(err) => {
                tracing::error!(schedule = %schedule.name, error = %err, "cron schedule has no next tick");
                return;
            }
        };
        let wait = (next - now).to_std().unwrap_or(Duration::ZERO);
        tokio::time::sleep(wait).await;
        let fired = async {
            if store::claim_tick(&db, &schedule.name, next).await? {
                let key = format!("cron:{}", schedule.name);
                store::enqueue_platform(&db, &schedule.kind, &schedule.payload, &key, 3).await?;
                tracing::info!(schedule = %schedule.name, tick = %next, "cron tick fired");
            }
            Ok::<_, sqlx::Error>(())
        }
        .await;
        if let Err(err) = fired {
            tracing::warn!(schedule = %schedule.name, error = %err, "firing a cron tick failed");
        }
    }
}
