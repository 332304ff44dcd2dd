//! The one error a list query can produce: which parameter is wrong, and why (a 400).

use crate::problem::Problem;

/// A list query the endpoint refuses. `param` is the query parameter as the client sent it
/// (`filters[0][value]`, `score_gte`, `_end`), so a UI can point at the culprit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{param}: {message}")]
pub struct ListError {
    pub param: String,
    pub message: String,
}

impl ListError {
    pub(crate) fn new(param: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            param: param.into(),
            message: message.into(),
        }
    }
}

impl From<ListError> for Problem {
    fn from(err: ListError) -> Self {
        let ListError { param, message } = err;
        Problem::new(
            crate::ProblemCode::InvalidListQuery,
            format!("{param}: {message}"),
        )
        .with_field_error(&param, message)
    }
}
