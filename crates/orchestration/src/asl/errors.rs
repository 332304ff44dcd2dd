//! Runtime errors of a state machine execution and the rules that decide which
//! `ErrorEquals` list catches or retries them.
//!
//! Errors are plain `(error, cause)` string pairs, exactly like Step Functions reports them,
//! because the executor persists them, shows them to users and feeds them back into catchers
//! as `{"Error": ..., "Cause": ...}`. Matching follows the AWS error-handling rules rather than
//! a type hierarchy: a couple of names act as wildcards with documented exceptions.

use serde::{Deserialize, Serialize};

/// Wildcard matching every error except the terminal ones (`States.Runtime`,
/// `States.DataLimitExceeded`).
pub const ALL: &str = "States.ALL";
/// A Task ran longer than its `TimeoutSeconds`.
pub const TIMEOUT: &str = "States.Timeout";
/// A Task failed; as a matcher it covers every error except timeouts and terminal errors.
pub const TASK_FAILED: &str = "States.TaskFailed";
/// A Task did not heartbeat within `HeartbeatSeconds`; it is also a kind of `States.Timeout`.
pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
/// The execution could not go on (bad path, bad type...). Never retried nor caught by wildcards.
pub const RUNTIME: &str = "States.Runtime";
/// A `ResultPath` could not be applied to the state's input.
pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
/// A `.$` field of a payload template could not be resolved (historic name, kept for catchers).
pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
/// An intrinsic function failed.
pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
/// No Choice rule matched and the Choice state has no `Default`.
pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
/// A Parallel branch failed.
pub const BRANCH_FAILED: &str = "States.BranchFailed";
/// A Task lacked the privileges to run.
pub const PERMISSIONS: &str = "States.Permissions";
/// A Map state's failed items exceeded its tolerated failure threshold.
pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
/// A payload exceeded the size quota; terminal like `States.Runtime`.
pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";

/// An error raised while running a state, in the Step Functions `(Error, Cause)` shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct StatesError {
    /// The error name, e.g. `States.Timeout` or a task-defined `Airbyte.SyncFailed`.
    pub error: String,
    /// Human-readable detail.
    pub cause: String,
}

impl StatesError {
    /// An error with any name.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            cause: cause.into(),
        }
    }

    pub fn timeout(cause: impl Into<String>) -> Self {
        Self::new(TIMEOUT, cause)
    }

    pub fn task_failed(cause: impl Into<String>) -> Self {
        Self::new(TASK_FAILED, cause)
    }

    pub fn heartbeat_timeout(cause: impl Into<String>) -> Self {
        Self::new(HEARTBEAT_TIMEOUT, cause)
    }

    pub fn runtime(cause: impl Into<String>) -> Self {
        Self::new(RUNTIME, cause)
    }

    pub fn result_path_match_failure(cause: impl Into<String>) -> Self {
        Self::new(RESULT_PATH_MATCH_FAILURE, cause)
    }

    pub fn parameter_path_failure(cause: impl Into<String>) -> Self {
        Self::new(PARAMETER_PATH_FAILURE, cause)
    }

    pub fn intrinsic_failure(cause: impl Into<String>) -> Self {
        Self::new(INTRINSIC_FAILURE, cause)
    }

    pub fn no_choice_matched(cause: impl Into<String>) -> Self {
        Self::new(NO_CHOICE_MATCHED, cause)
    }

    pub fn branch_failed(cause: impl Into<String>) -> Self {
        Self::new(BRANCH_FAILED, cause)
    }

    pub fn permissions(cause: impl Into<String>) -> Self {
        Self::new(PERMISSIONS, cause)
    }

    pub fn exceed_tolerated_failure_threshold(cause: impl Into<String>) -> Self {
        Self::new(EXCEED_TOLERATED_FAILURE_THRESHOLD, cause)
    }

    /// The object a catcher hands to its `ResultPath`: `{"Error": ..., "Cause": ...}`.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::json!({ "Error": self.error, "Cause": self.cause })
    }

    /// Terminal errors end the execution whatever the retriers and catchers say, unless a
    /// matcher names them explicitly.
    pub fn is_terminal(&self) -> bool {
        self.error == RUNTIME || self.error == DATA_LIMIT_EXCEEDED
    }
}

/// Does one `ErrorEquals` entry match this error name?
///
/// * `States.ALL` matches everything but the terminal errors.
/// * `States.TaskFailed` matches everything but timeouts (`States.Timeout` and its
///   `States.HeartbeatTimeout` flavour) and the terminal errors.
/// * `States.Timeout` also matches `States.HeartbeatTimeout`, since AWS documents a missed
///   heartbeat as a timeout.
/// * Anything else is an exact, case-sensitive name match.
pub fn error_name_matches(matcher: &str, error: &str) -> bool {
    let terminal = error == RUNTIME || error == DATA_LIMIT_EXCEEDED;
    match matcher {
        ALL => !terminal,
        TASK_FAILED => !terminal && error != TIMEOUT && error != HEARTBEAT_TIMEOUT,
        TIMEOUT => error == TIMEOUT || error == HEARTBEAT_TIMEOUT,
        _ => matcher == error,
    }
}

/// Does any entry of an `ErrorEquals` list match?
pub fn error_equals_matches(error_equals: &[String], error: &StatesError) -> bool {
    error_equals
        .iter()
        .any(|matcher| error_name_matches(matcher, &error.error))
}

#[cfg(test)]
mod tests;
