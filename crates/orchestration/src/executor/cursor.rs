//! Where an execution stands, as stored in `executions.cursor` after every transition.
//!
//! The cursor is everything the executor needs to go on after a crash: the state it is in, that
//! state's raw input (paths are applied again from it, deterministically), the retry counters
//! and attempt, and what it waits for. It is JSON so that a new phase is a new variant, not a
//! migration.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::asl::RetryCounters;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cursor {
    /// The state being run.
    pub state: String,
    /// The state's raw input (before InputPath).
    pub input: Value,
    pub entered_at: DateTime<Utc>,
    /// Attempts of this state's task so far (1 on the first).
    pub attempt: u32,
    #[serde(default)]
    pub retries: RetryCounters,
    pub phase: Phase,
}

/// What the state is doing.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Phase {
    /// About to run the state (or its task's next attempt).
    Enter,
    /// A Wait state waiting, or a task's retry waiting for its back-off.
    Waiting {
        until: DateTime<Utc>,
        #[serde(default)]
        retry: bool,
    },
    /// The task was handed to its resource: a repeated run (after a crash) hands it again with
    /// the same idempotency key.
    Task {
        key: String,
        started_at: DateTime<Utc>,
        /// The job that handed it over (another job leaves the task alone while that one runs).
        job: i64,
    },
    /// A `.waitForTaskToken` task waits for its callback.
    Token {
        token_hash: String,
        deadline: Option<DateTime<Utc>>,
        heartbeat_deadline: Option<DateTime<Utc>>,
        /// HeartbeatSeconds as resolved when the task started: each heartbeat moves the
        /// deadline this far.
        #[serde(default)]
        heartbeat_seconds: Option<u64>,
    },
    /// A Parallel or Map state waits for its child executions.
    Children {
        total: usize,
        /// Children created so far (a Map with MaxConcurrency creates them as others end).
        created: usize,
        /// At most this many running at once (0: no limit).
        concurrency: usize,
    },
    /// The execution ended (the state it ended in stays in `state`, for redrive).
    Done,
}

impl Cursor {
    pub fn enter(state: &str, input: Value, now: DateTime<Utc>) -> Self {
        Self {
            state: state.to_owned(),
            input,
            entered_at: now,
            attempt: 1,
            retries: RetryCounters::default(),
            phase: Phase::Enter,
        }
    }

    /// The idempotency key of this state's current attempt: `<execution>:<state>:<attempt>`
    /// (with the redrive count, since a redriven state runs its task again on purpose).
    pub fn task_key(&self, execution: uuid::Uuid, redrives: i32) -> String {
        let mut key = format!("{execution}:{}:{}", self.state, self.attempt);
        if redrives > 0 {
            key.push_str(&format!(":r{redrives}"));
        }
        key
    }
}
