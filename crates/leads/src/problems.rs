//! The slice's problem codes, one constructor each, so a code always means the same thing.
//!
//! | code | status | when |
//! |---|---|---|
//! | `not_found` | 404 | the lead (pipeline, stage, entry, …) does not exist in the caller's tenant |
//! | `validation_failed` | 422 | a field is invalid; `errors` names it |
//! | `duplicate_email` | 409 | another live lead has this email; `existing_id` names it |
//! | `version_conflict` | 409 | `version` in the body is not the lead's current one |
//! | `precondition_failed` | 412 | `If-Match` does not match the lead's current ETag |
//! | `invalid_if_match` | 400 | `If-Match` is not a list of quoted ETags or `*` |
//! | `invalid_cursor` | 400 | a timeline cursor that this server did not hand out |
//! | `lead_erased` | 409 | the lead's personal data was erased: it cannot be restored or merged |
//! | `in_use` | 409 | a pipeline, stage or status still used by live leads |
//! | `already_exists` | 409 | a custom field key or an assignment rule's source that exists |

use kernel::Problem;
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
        kernel::ProblemCode::DuplicateEmail,
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
        kernel::ProblemCode::VersionConflict,
        format!("The lead was changed since the version you sent; it is now at version {current}."),
    )
    .with_extension("current_version", current.into())
}

pub fn precondition_failed(current: i32) -> Problem {
    Problem::new(
        kernel::ProblemCode::PreconditionFailed,
        format!("If-Match does not match the lead's current ETag \"{current}\"."),
    )
    .with_extension("current_version", current.into())
}

pub fn lead_erased() -> Problem {
    Problem::new(
        kernel::ProblemCode::LeadErased,
        "This lead's personal data was erased; it cannot be restored or merged.",
    )
}

pub fn in_use(detail: impl Into<String>) -> Problem {
    Problem::new(kernel::ProblemCode::InUse, detail)
}

pub fn already_exists(detail: impl Into<String>) -> Problem {
    Problem::new(kernel::ProblemCode::AlreadyExists, detail)
}

/// True when `err` is a unique violation of the constraint or index `name`.
pub fn is_unique_violation(err: &sqlx::Error, name: &str) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.code().as_deref() == Some("23505") && db.constraint() == Some(name)
        }
        _ => false,
    }
}
