//! The slice's problems, one constructor each. Statuses and titles come from the kernel's one
//! table ([`ProblemCode`]); this is when the projects routes answer with each code:
//!
//! | code | when |
//! |---|---|
//! | `not_found` | the project (node, run, object, script, report) is not in the caller's tenant, or a key does not name one of its objects |
//! | `validation_failed` | a field is invalid; `errors` names it |
//! | `project_slug_taken` | another live project of the tenant has this slug |
//! | `lineage_cycle` | the edges would make data flow in a circle; `cycle` lists its nodes |
//! | `signed_url_invalid` | a signed object URL whose signature does not match or has expired |
//! | `unsupported_media_type` | an upload that is not CSV, JSON lines or Parquet |
//! | `payload_too_large` | an upload over the object size limit |
//! | `invalid_multipart` | an upload without its `file` part |

use kernel::{Problem, ProblemCode};

pub fn project_not_found() -> Problem {
    Problem::not_found("Project")
}

/// 422 naming one field.
pub fn invalid(field: &str, message: impl Into<String>) -> Problem {
    Problem::validation(Default::default()).with_field_error(field, message)
}

pub fn slug_taken(slug: &str) -> Problem {
    Problem::new(
        ProblemCode::ProjectSlugTaken,
        format!("Another project of this tenant has the slug {slug:?}."),
    )
    .with_field_error("slug", "is used by another project")
}

/// 422 naming the nodes of the cycle in flow order, the first repeated at the end.
pub fn lineage_cycle(cycle: &[String]) -> Problem {
    Problem::new(
        ProblemCode::LineageCycle,
        format!("These edges make a cycle: {}.", cycle.join(" -> ")),
    )
    .with_extension("cycle", cycle.into())
}

pub fn signed_url_invalid() -> Problem {
    Problem::new(
        ProblemCode::SignedUrlInvalid,
        "This link's signature does not match or it has expired; ask for a new one.",
    )
}
