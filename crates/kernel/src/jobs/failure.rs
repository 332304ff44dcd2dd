//! How a handler says an attempt failed.

use std::fmt;

use chrono::{DateTime, Utc};

/// A failed attempt: retried (at the backoff's time, or at `at`), or permanent (dead now).
#[derive(Debug)]
pub struct JobFailure {
    pub(crate) message: String,
    pub(crate) retry_at: Option<DateTime<Utc>>,
    pub(crate) permanent: bool,
}

impl JobFailure {
    /// A transient failure: retried after the backoff.
    pub fn retry(error: impl fmt::Display) -> Self {
        Self {
            message: error.to_string(),
            retry_at: None,
            permanent: false,
        }
    }

    /// A transient failure with a known time to come back (e.g. `Retry-After`).
    pub fn retry_at(error: impl fmt::Display, at: DateTime<Utc>) -> Self {
        Self {
            retry_at: Some(at),
            ..Self::retry(error)
        }
    }

    /// Retrying cannot help (a malformed payload, a deleted target): the job is dead now.
    pub fn permanent(error: impl fmt::Display) -> Self {
        Self {
            permanent: true,
            ..Self::retry(error)
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for JobFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<sqlx::Error> for JobFailure {
    fn from(err: sqlx::Error) -> Self {
        Self::retry(err)
    }
}

impl From<crate::events::EventError> for JobFailure {
    fn from(err: crate::events::EventError) -> Self {
        Self::retry(err)
    }
}

impl From<super::EnqueueError> for JobFailure {
    fn from(err: super::EnqueueError) -> Self {
        Self::retry(err)
    }
}
