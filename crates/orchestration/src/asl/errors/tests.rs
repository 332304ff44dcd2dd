use super::*;

#[test]
fn all_matches_custom_and_states_errors_but_not_terminal_ones() {
    assert!(error_name_matches(ALL, "Airbyte.SyncFailed"));
    assert!(error_name_matches(ALL, TIMEOUT));
    assert!(error_name_matches(ALL, TASK_FAILED));
    assert!(!error_name_matches(ALL, RUNTIME));
    assert!(!error_name_matches(ALL, DATA_LIMIT_EXCEEDED));
}

#[test]
fn task_failed_matches_everything_except_timeouts_and_runtime() {
    assert!(error_name_matches(TASK_FAILED, "Lambda.Unknown"));
    assert!(error_name_matches(TASK_FAILED, TASK_FAILED));
    assert!(error_name_matches(TASK_FAILED, PERMISSIONS));
    assert!(!error_name_matches(TASK_FAILED, TIMEOUT));
    assert!(!error_name_matches(TASK_FAILED, HEARTBEAT_TIMEOUT));
    assert!(!error_name_matches(TASK_FAILED, RUNTIME));
}

#[test]
fn timeout_covers_heartbeat_timeout_but_not_the_reverse() {
    assert!(error_name_matches(TIMEOUT, HEARTBEAT_TIMEOUT));
    assert!(!error_name_matches(HEARTBEAT_TIMEOUT, TIMEOUT));
}

#[test]
fn other_names_match_exactly_and_case_sensitively() {
    assert!(error_name_matches("Custom.Error", "Custom.Error"));
    assert!(!error_name_matches("Custom.Error", "custom.error"));
    assert!(error_name_matches(RUNTIME, RUNTIME));
}

#[test]
fn error_value_has_the_catcher_shape() {
    let err = StatesError::task_failed("boom");
    assert_eq!(
        err.to_value(),
        serde_json::json!({"Error": "States.TaskFailed", "Cause": "boom"})
    );
    assert_eq!(err.to_string(), "States.TaskFailed: boom");
}

#[test]
fn matcher_list_matches_if_any_entry_does() {
    let list = vec!["A".to_string(), "B".to_string()];
    assert!(error_equals_matches(&list, &StatesError::new("B", "")));
    assert!(!error_equals_matches(&list, &StatesError::new("C", "")));
}
