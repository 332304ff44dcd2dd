//! The typed form of a state machine definition, as the executor consumes it.
//!
//! Everything that can be checked statically already is once a [`Definition`] exists: paths
//! are compiled, templates and intrinsic calls parsed, transitions point at existing states.
//! Defaults are filled in (`InputPath` `$`, retry intervals...) so the executor never has to
//! know which fields were omitted. Nested machines (Parallel branches, Map item processors)
//! are the same [`Definition`] type, so one interpreter loop runs all of them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::catch::Catcher;
use super::choice::ChoiceRule;
use super::jsonpath::{Path, ReferencePath};
use super::retry::Retrier;
use super::template::Template;
use super::validation::ValidationError;

/// A parsed, validated state machine (or a branch / item processor of one).
#[derive(Debug, Clone)]
pub struct Definition {
    pub comment: Option<String>,
    pub start_at: String,
    /// Keyed by state name; ordered so that iteration is deterministic.
    pub states: BTreeMap<String, State>,
    pub timeout_seconds: Option<u64>,
    pub version: Option<String>,
}

impl Definition {
    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.get(name)
    }

    /// The state execution begins with.
    pub fn start_state(&self) -> Option<&State> {
        self.state(&self.start_at)
    }
}

/// Parses and validates an ASL document (JSONPath query language), collecting every finding:
/// field types and allowed fields per state type, paths, payload templates and intrinsic
/// calls, retriers and catchers, transition targets per scope, reachability from `StartAt`,
/// terminal states and document-wide unique state names.
pub fn parse(json: &Value) -> Result<Definition, Vec<ValidationError>> {
    super::parse::parse_document(json)
}

/// One state, with the fields every type shares pulled up.
#[derive(Debug, Clone)]
pub struct State {
    pub name: String,
    pub comment: Option<String>,
    /// `None` stands for JSON `null` (the state sees `{}`); an omitted field is `$`.
    pub input_path: Option<Path>,
    /// `None` stands for JSON `null` (the state emits `{}`); an omitted field is `$`.
    pub output_path: Option<Path>,
    pub kind: StateKind,
}

#[derive(Debug, Clone)]
pub enum StateKind {
    Task(TaskState),
    Choice(ChoiceState),
    Wait(WaitState),
    Pass(PassState),
    Succeed,
    Fail(FailState),
    Parallel(ParallelState),
    Map(MapState),
}

/// Where a non-terminal-by-type state goes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Next(String),
    End,
}

impl State {
    /// `Next`/`End` of Task, Pass, Wait, Parallel and Map; `None` for Choice, Succeed, Fail.
    pub fn transition(&self) -> Option<&Transition> {
        match &self.kind {
            StateKind::Task(s) => Some(&s.transition),
            StateKind::Wait(s) => Some(&s.transition),
            StateKind::Pass(s) => Some(&s.transition),
            StateKind::Parallel(s) => Some(&s.transition),
            StateKind::Map(s) => Some(&s.transition),
            StateKind::Choice(_) | StateKind::Succeed | StateKind::Fail(_) => None,
        }
    }

    /// `Parameters` of Task, Pass and Parallel (a Map's `ItemSelector` applies per item).
    pub fn parameters(&self) -> Option<&Template> {
        match &self.kind {
            StateKind::Task(s) => s.parameters.as_ref(),
            StateKind::Pass(s) => s.parameters.as_ref(),
            StateKind::Parallel(s) => s.parameters.as_ref(),
            _ => None,
        }
    }

    pub fn result_selector(&self) -> Option<&Template> {
        match &self.kind {
            StateKind::Task(s) => s.result_selector.as_ref(),
            StateKind::Parallel(s) => s.result_selector.as_ref(),
            StateKind::Map(s) => s.result_selector.as_ref(),
            _ => None,
        }
    }

    /// `Some(None)` is `ResultPath: null` (discard the result); `None` means the state type has
    /// no ResultPath and its result is its output.
    pub fn result_path(&self) -> Option<Option<&ReferencePath>> {
        match &self.kind {
            StateKind::Task(s) => Some(s.result_path.as_ref()),
            StateKind::Pass(s) => Some(s.result_path.as_ref()),
            StateKind::Parallel(s) => Some(s.result_path.as_ref()),
            StateKind::Map(s) => Some(s.result_path.as_ref()),
            _ => None,
        }
    }

    pub fn retriers(&self) -> &[Retrier] {
        match &self.kind {
            StateKind::Task(s) => &s.retry,
            StateKind::Parallel(s) => &s.retry,
            StateKind::Map(s) => &s.retry,
            _ => &[],
        }
    }

    pub fn catchers(&self) -> &[Catcher] {
        match &self.kind {
            StateKind::Task(s) => &s.catch,
            StateKind::Parallel(s) => &s.catch,
            StateKind::Map(s) => &s.catch,
            _ => &[],
        }
    }
}

/// How a Task waits for its resource, from the `Resource` suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integration {
    /// No suffix: the call's response is the result.
    RequestResponse,
    /// `.sync` (or `.sync:2`): wait for the started job to finish.
    Sync,
    /// `.waitForTaskToken`: pause until a callback hands back the token.
    WaitForTaskToken,
}

/// A number written in the definition (`TimeoutSeconds`) or read from the effective input
/// through its `...Path` twin (`TimeoutSecondsPath`).
#[derive(Debug, Clone)]
pub enum FixedOrPath<T> {
    Fixed(T),
    Path(ReferencePath),
}

#[derive(Debug, Clone)]
pub struct TaskState {
    /// The resource without its integration suffix, e.g. `airbyte:sync`.
    pub resource: String,
    pub integration: Integration,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub result_path: Option<ReferencePath>,
    pub timeout: Option<FixedOrPath<u64>>,
    pub heartbeat: Option<FixedOrPath<u64>>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub transition: Transition,
}

#[derive(Debug, Clone)]
pub struct ChoiceState {
    pub choices: Vec<ChoiceBranch>,
    pub default: Option<String>,
}

/// A top-level Choice rule and the state it leads to.
#[derive(Debug, Clone)]
pub struct ChoiceBranch {
    pub rule: ChoiceRule,
    pub next: String,
}

/// Exactly one of the four ways of saying how long to wait.
#[derive(Debug, Clone)]
pub enum WaitFor {
    Seconds(u64),
    Timestamp(chrono::DateTime<chrono::FixedOffset>),
    SecondsPath(ReferencePath),
    TimestampPath(ReferencePath),
}

#[derive(Debug, Clone)]
pub struct WaitState {
    pub wait_for: WaitFor,
    pub transition: Transition,
}

#[derive(Debug, Clone)]
pub struct PassState {
    /// Fixed result; when absent the result is the effective input.
    pub result: Option<Value>,
    pub parameters: Option<Template>,
    pub result_path: Option<ReferencePath>,
    pub transition: Transition,
}

/// `Error`/`ErrorPath` and `Cause`/`CausePath` (the paths may also be intrinsic calls).
#[derive(Debug, Clone, Default)]
pub struct FailState {
    pub error: Option<FailText>,
    pub cause: Option<FailText>,
}

#[derive(Debug, Clone)]
pub enum FailText {
    Fixed(String),
    Dynamic(Template),
}

#[derive(Debug, Clone)]
pub struct ParallelState {
    pub branches: Vec<Definition>,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub result_path: Option<ReferencePath>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub transition: Transition,
}

#[derive(Debug, Clone)]
pub struct MapState {
    /// Where the items array is found in the effective input; defaults to `$`.
    pub items_path: ReferencePath,
    /// `ItemSelector`, or the legacy `Parameters` of a Map, applied to each item.
    pub item_selector: Option<Template>,
    /// `ItemProcessor` (INLINE mode), or the legacy `Iterator`.
    pub item_processor: Box<Definition>,
    /// 0 means "as many as possible", as in AWS.
    pub max_concurrency: FixedOrPath<u64>,
    pub tolerated_failure_percentage: Option<FixedOrPath<f64>>,
    pub tolerated_failure_count: Option<FixedOrPath<u64>>,
    pub label: Option<String>,
    pub result_selector: Option<Template>,
    pub result_path: Option<ReferencePath>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub transition: Transition,
}
