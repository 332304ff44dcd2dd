//! The slice's problems, one constructor each. Statuses and titles come from the kernel's one
//! table ([`ProblemCode`]); this is when the orchestration routes answer with each code:
//!
//! | code | when |
//! |---|---|
//! | `not_found` | the flow, version, execution or task token is not in the caller's tenant |
//! | `validation_failed` | a field is invalid; for a definition, `errors` names each field by its JSON pointer (`definition/States/Load/Next`) and `definition_errors` lists `{state, path, message}` |
//! | `flow_name_taken` | another live flow of the tenant has this name |
//! | `execution_already_exists` | an execution of the flow has this name and another input |
//! | `execution_conflict` | stopping an execution that is not running, redriving one that has not failed |
//! | `task_already_settled` | a task token already settled, or whose execution moved on |
//! | `invalid_signature` / `webhook_replayed` | a sandbox or automation callback that is forged, late or replayed |
//! | `automation_run_exists` | an automation run of the tenant has this correlation id and another flow or input |
//! | `automation_run_finished` | an automation callback for a run that already ended |

use kernel::{Problem, ProblemCode};
use serde_json::json;

use crate::asl::ValidationError;

pub fn flow_not_found() -> Problem {
    Problem::not_found("Flow")
}

pub fn execution_not_found() -> Problem {
    Problem::not_found("Execution")
}

/// 422 naming one field.
pub fn invalid(field: &str, message: impl Into<String>) -> Problem {
    Problem::validation(Default::default()).with_field_error(field, message)
}

/// 422 naming every error of a definition, by state and field.
pub fn invalid_definition(errors: &[ValidationError]) -> Problem {
    let mut problem = Problem::validation(Default::default());
    for error in errors {
        problem =
            problem.with_field_error(&format!("definition{}", error.path), error.message.clone());
    }
    let listed: Vec<_> = errors
        .iter()
        .map(|e| json!({"state": e.state, "path": e.path, "message": e.message}))
        .collect();
    problem.with_extension("definition_errors", listed.into())
}

pub fn name_taken(name: &str) -> Problem {
    Problem::new(
        ProblemCode::FlowNameTaken,
        format!("Another flow of this tenant is named {name:?}."),
    )
    .with_field_error("name", "is used by another flow")
}

pub fn execution_exists(name: &str) -> Problem {
    Problem::new(
        ProblemCode::ExecutionAlreadyExists,
        format!("An execution of this flow is named {name:?} and was started with another input."),
    )
    .with_field_error("name", "is used by another execution of this flow")
}

pub fn execution_conflict(why: &str) -> Problem {
    Problem::new(ProblemCode::ExecutionConflict, format!("{why}."))
}

pub fn task_settled() -> Problem {
    Problem::new(
        ProblemCode::TaskAlreadySettled,
        "This task already succeeded, failed or timed out, or its execution has moved on.",
    )
}

pub fn automation_run_exists(correlation_id: &str) -> Problem {
    Problem::new(
        ProblemCode::AutomationRunExists,
        format!(
            "An automation run with correlation id {correlation_id:?} was started with another flow or input."
        ),
    )
    .with_field_error("correlation_id", "is used by another automation run")
}

pub fn automation_run_finished() -> Problem {
    Problem::new(
        ProblemCode::AutomationRunFinished,
        "This automation run already succeeded or failed.",
    )
}
