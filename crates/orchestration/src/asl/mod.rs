//! A pure Amazon States Language (ASL) engine: parsing and validating state machine
//! definitions, and the per-state rules an executor needs (input/output processing, payload
//! templates, intrinsic functions, Choice evaluation, Wait deadlines, retries and catchers).
//!
//! Nothing here does I/O or keeps time: functions take JSON values (and "now", or an RNG, when
//! they need one) and return JSON values or `States.*` errors, so the durable executor built on
//! top can persist every step and replay it. Only the JSONPath query language is supported;
//! JSONata definitions are refused at validation time.
//!
//! Typical use by an executor:
//! 1. [`parse`] the definition once (it validates everything and collects all findings);
//! 2. for each state: [`effective_input`], run the state, [`state_output`];
//! 3. on error: [`next_retry`] (persist [`RetryCounters`]), else [`find_catcher`] and
//!    [`catch_output`]; Choice states use [`choose`], Wait states [`wait_until`].

mod catch;
mod choice;
mod choice_parse;
mod context;
mod definition;
mod errors;
mod fields;
mod graph;
mod intrinsic_functions;
mod intrinsics;
mod jsonpath;
mod parse;
mod parse_states;
mod paths;
mod retry;
mod seed;
mod template;
mod validation;
mod wait;

#[cfg(test)]
mod conformance_tests;

pub use catch::{find_catcher, Catcher};
pub use choice::{
    choose, choose_with_context, ChoiceRule, Comparison, DataTest, Operand, ValueKind,
};
pub use context::ContextObject;
pub use definition::{
    parse, ChoiceBranch, ChoiceState, Definition, FailState, FailText, FixedOrPath, Integration,
    MapState, ParallelState, PassState, State, StateKind, TaskState, Transition, WaitFor,
    WaitState,
};
pub use errors::{error_equals_matches, error_name_matches, StatesError};
pub use intrinsics::{Argument, Function, Intrinsic};
pub use jsonpath::{Path, ReferencePath, Segment};
pub use parse_states::split_integration;
pub use paths::{catch_output, effective_input, fail_error, item_input, map_items, state_output};
pub use retry::{next_retry, JitterStrategy, Retrier, RetryCounters};
pub use seed::seed_pipeline_template;
pub use template::Template;
pub use validation::ValidationError;
pub use wait::wait_until;

/// Error names defined by the States Language (`States.ALL`, `States.Timeout`...).
pub mod error_names {
    pub use super::errors::{
        ALL, BRANCH_FAILED, DATA_LIMIT_EXCEEDED, EXCEED_TOLERATED_FAILURE_THRESHOLD,
        HEARTBEAT_TIMEOUT, INTRINSIC_FAILURE, NO_CHOICE_MATCHED, PARAMETER_PATH_FAILURE,
        PERMISSIONS, RESULT_PATH_MATCH_FAILURE, RUNTIME, TASK_FAILED, TIMEOUT,
    };
}

/// Validates a definition and returns every finding (empty when it is valid).
pub fn validate(json: &serde_json::Value) -> Vec<ValidationError> {
    parse(json).err().unwrap_or_default()
}
