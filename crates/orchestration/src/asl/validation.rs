//! Validation findings: where in the document a rule is broken, in which state, and why.
//!
//! Findings are addressed with JSON pointers into the submitted document (RFC 6901) so an
//! editor can highlight the exact field, and carry the innermost state name because that is
//! what users think in. Parsing never stops at the first finding: the collector gathers them
//! all so one round-trip shows every problem.

use std::fmt;

/// One broken rule in a state machine definition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ValidationError {
    /// JSON pointer to the offending member, e.g. `/States/Load/Retry/0/BackoffRate`.
    pub path: String,
    /// The innermost state the member belongs to, if any.
    pub state: Option<String>,
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        match &self.state {
            Some(state) => write!(f, "{at} (state {state:?}): {}", self.message),
            None => write!(f, "{at}: {}", self.message),
        }
    }
}

impl std::error::Error for ValidationError {}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 requires
/// (state names may contain both).
pub(crate) fn pointer(base: &str, token: &str) -> String {
    format!("{base}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// Collects findings while the parser keeps going.
#[derive(Debug, Default)]
pub(crate) struct Issues {
    found: Vec<ValidationError>,
}

impl Issues {
    pub(crate) fn report(&mut self, path: &str, state: Option<&str>, message: impl Into<String>) {
        self.found.push(ValidationError {
            path: path.to_string(),
            state: state.map(str::to_string),
            message: message.into(),
        });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    pub(crate) fn into_vec(self) -> Vec<ValidationError> {
        self.found
    }
}
