//! The slice's problems, one constructor each, so a code always means the same thing here.
//! Statuses and titles come from the kernel's one table ([`ProblemCode`]); this is when the
//! leads routes answer with each code:
//!
//! | code | when |
//! |---|---|
//! | `not_found` | the lead (pipeline, stage, entry, …) does not exist in the caller's tenant |
//! | `validation_failed` | a field is invalid; `errors` names it |
//! | `duplicate_email` | another live lead has this email; `existing_id` names it |
//! | `version_conflict` | `version` in the body is not the lead's current one |
//! | `precondition_failed` | `If-Match` does not match the lead's current ETag |
//! | `invalid_if_match` | `If-Match` is not a list of quoted ETags or `*` |
//! | `invalid_query` | a bulk route's `?id=` list or a timeline's `limit`/`kind` is malformed |
//! | `invalid_cursor` | a timeline cursor that this server did not hand out |
//! | `lead_erased` | the lead's personal data was erased: it cannot be restored or merged |
//! | `in_use` | a pipeline, stage or status still used by live leads |
//! | `already_exists` | a custom field key or an assignment rule's source that exists |

use kernel::{Problem, ProblemCode};
use uuid::Uuid;

pub fn lead_not_found() -> Problem {
    Problem::not_found("Lead")
}

/// 422 naming one field.
pub fn invalid(field: &str, message: impl Into<String>) -> Problem {
    Problem::validation(Default::default()).with_field_error(field, message)
}

/// 409 naming the live lead that already has this email.
pub fn duplicate_email(existing: Option<Uuid>) -> Problem {
    let problem = Problem::new(
        ProblemCode::DuplicateEmail,
        "Another lead already has this email address.",
    )
    .with_field_error("email", "is already used by another lead");
    match existing {
        Some(id) => problem.with_extension("existing_id", id.to_string().into()),
        None => problem,
    }
}

pub fn version_conflict(current: i32) -> Problem {
    Problem::new(
        ProblemCode::VersionConflict,
        format!("The lead was changed since the version you sent; it is now at version {current}."),
    )
    .with_extension("current_version", current.into())
}

pub fn precondition_failed(current: i32) -> Problem {
    Problem::new(
        ProblemCode::PreconditionFailed,
        format!("If-Match does not match the lead's current ETag \"{current}\"."),
    )
    .with_extension("current_version", current.into())
}

pub fn lead_erased() -> Problem {
    Problem::new(
        ProblemCode::LeadErased,
        "This lead's personal data was erased; it cannot be restored or merged.",
    )
}

pub fn in_use(detail: impl Into<String>) -> Problem {
    Problem::new(ProblemCode::InUse, detail)
}

pub fn already_exists(detail: impl Into<String>) -> Problem {
    Problem::new(ProblemCode::AlreadyExists, detail)
}

pub fn invalid_if_match() -> Problem {
    Problem::new(
        ProblemCode::InvalidIfMatch,
        "If-Match must be * or a list of ETags such as \"3\".",
    )
}

/// 400 about the query string of a route that is not a list.
pub fn invalid_query(detail: impl Into<String>) -> Problem {
    Problem::new(ProblemCode::InvalidQuery, detail)
}

pub fn invalid_cursor() -> Problem {
    Problem::new(
        ProblemCode::InvalidCursor,
        "The cursor is not one this API gave.",
    )
}
