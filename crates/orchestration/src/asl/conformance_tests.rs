//! Conformance corpus: `tests/asl/valid/*.json` must parse, every `tests/asl/invalid/*.json`
//! must be refused with a finding at the JSON pointer of the rule it breaks, and the reference
//! `asl-validator` npm package must reach the same verdict on every file (bar a short, argued
//! list of rules it does not check).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::{parse, seed_pipeline_template};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/asl");
const CHECKER_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/asl_validator");

/// Each invalid file and the JSON pointer a finding must carry.
const EXPECTED_POINTERS: &[(&str, &str)] = &[
    (
        "branch_transition_leaves_branch.json",
        "/States/P/Branches/0/States/A/Next",
    ),
    ("catch_missing_next.json", "/States/T/Catch/0"),
    ("catch_next_not_a_state.json", "/States/T/Catch/0/Next"),
    ("choice_default_not_a_state.json", "/States/C/Default"),
    ("choice_empty_choices.json", "/States/C/Choices"),
    (
        "choice_numeric_literal_is_a_string.json",
        "/States/C/Choices/0/NumericEquals",
    ),
    ("choice_rule_missing_variable.json", "/States/C/Choices/0"),
    (
        "choice_rule_next_not_a_state.json",
        "/States/C/Choices/0/Next",
    ),
    (
        "choice_two_operators_in_one_rule.json",
        "/States/C/Choices/0/NumericEquals",
    ),
    (
        "choice_variable_not_a_reference_path.json",
        "/States/C/Choices/0/Variable",
    ),
    ("choice_with_next.json", "/States/C/Next"),
    (
        "duplicate_state_names_across_branches.json",
        "/States/P/Branches/1/States/Work",
    ),
    ("end_must_be_true.json", "/States/A/End"),
    ("fail_error_and_error_path.json", "/States/F/ErrorPath"),
    ("fail_with_end.json", "/States/F/End"),
    (
        "field_not_allowed_input_path_on_fail.json",
        "/States/F/InputPath",
    ),
    (
        "field_not_allowed_result_path_on_wait.json",
        "/States/W/ResultPath",
    ),
    ("field_not_allowed_retry_on_pass.json", "/States/P/Retry"),
    (
        "heartbeat_not_below_timeout.json",
        "/States/T/HeartbeatSeconds",
    ),
    ("input_path_invalid_jsonpath.json", "/States/A/InputPath"),
    ("intrinsic_wrong_arity.json", "/States/A/Parameters/n.$"),
    (
        "items_path_not_a_reference_path.json",
        "/States/M/ItemsPath",
    ),
    (
        "map_item_selector_and_parameters.json",
        "/States/M/Parameters",
    ),
    (
        "map_tolerated_percentage_over_100.json",
        "/States/M/ToleratedFailurePercentage",
    ),
    (
        "map_transition_leaves_iterator.json",
        "/States/M/Iterator/States/A/Next",
    ),
    ("map_without_item_processor.json", "/States/M"),
    ("missing_start_at.json", ""),
    ("missing_states.json", ""),
    ("missing_terminal_state.json", "/States"),
    ("neither_next_nor_end.json", "/States/A"),
    ("next_and_end_together.json", "/States/A/End"),
    ("next_not_a_state.json", "/States/A/Next"),
    (
        "parallel_branch_missing_start_at.json",
        "/States/P/Branches/0",
    ),
    (
        "parameters_dollar_member_not_a_string.json",
        "/States/A/Parameters/x.$",
    ),
    (
        "parameters_duplicate_after_renaming.json",
        "/States/A/Parameters/a.$",
    ),
    ("parameters_invalid_path.json", "/States/A/Parameters/x.$"),
    (
        "result_path_not_a_reference_path.json",
        "/States/A/ResultPath",
    ),
    (
        "result_selector_unknown_intrinsic.json",
        "/States/T/ResultSelector/x.$",
    ),
    (
        "retry_backoff_rate_below_one.json",
        "/States/T/Retry/0/BackoffRate",
    ),
    (
        "retry_error_equals_empty.json",
        "/States/T/Retry/0/ErrorEquals",
    ),
    (
        "retry_jitter_strategy_unknown.json",
        "/States/T/Retry/0/JitterStrategy",
    ),
    (
        "retry_negative_max_attempts.json",
        "/States/T/Retry/0/MaxAttempts",
    ),
    (
        "retry_states_all_not_last.json",
        "/States/T/Retry/0/ErrorEquals",
    ),
    ("start_at_not_a_state.json", "/StartAt"),
    (
        "state_name_longer_than_80.json",
        "/States/LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL",
    ),
    ("succeed_with_next.json", "/States/S/Next"),
    ("task_missing_resource.json", "/States/T"),
    (
        "task_timeout_and_timeout_path.json",
        "/States/T/TimeoutSecondsPath",
    ),
    ("task_timeout_zero.json", "/States/T/TimeoutSeconds"),
    ("unknown_field_on_task.json", "/States/A/Foo"),
    ("unknown_state_type.json", "/States/A/Type"),
    ("unknown_top_level_field.json", "/Foo"),
    ("unreachable_state.json", "/States/Orphan"),
    ("wait_timestamp_not_rfc3339.json", "/States/W/Timestamp"),
    ("wait_two_durations.json", "/States/W/Timestamp"),
    ("wait_without_duration.json", "/States/W"),
];

/// Files on which asl-validator 4.0.0 legitimately disagrees: its schema does not check these
/// States Language rules, so it accepts documents the spec (and AWS) refuse.
const ASL_VALIDATOR_BLIND_SPOTS: &[(&str, &str)] = &[
    (
        "invalid/heartbeat_not_below_timeout.json",
        "it does not compare HeartbeatSeconds with TimeoutSeconds",
    ),
    (
        "invalid/retry_backoff_rate_below_one.json",
        "its Retry schema only requires BackoffRate >= 0",
    ),
    (
        "invalid/retry_error_equals_empty.json",
        "its Retry schema has no minItems on ErrorEquals",
    ),
    (
        "invalid/retry_jitter_strategy_unknown.json",
        "its Retry schema does not know JitterStrategy",
    ),
    (
        "invalid/retry_states_all_not_last.json",
        "it does not check that States.ALL comes last",
    ),
];

fn corpus_files(group: &str) -> Vec<(String, Value)> {
    let dir = Path::new(CORPUS).join(group);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let json = serde_json::from_str(&text)
                .unwrap_or_else(|err| panic!("{name} is not JSON: {err}"));
            (name, json)
        })
        .collect()
}

/// The state a pointer lies in: the name after its last `/States/`.
fn innermost_state(pointer: &str) -> Option<String> {
    let (_, rest) = pointer.rsplit_once("/States/")?;
    let token = rest.split('/').next()?;
    Some(token.replace("~1", "/").replace("~0", "~"))
}

#[test]
fn corpus_is_large_enough() {
    assert!(corpus_files("valid").len() >= 30);
    assert!(corpus_files("invalid").len() >= 30);
}

#[test]
fn every_valid_file_parses() {
    let failures: Vec<String> = corpus_files("valid")
        .into_iter()
        .filter_map(|(name, json)| {
            parse(&json).err().map(|errors| {
                let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
                format!("{name}: {}", listed.join("; "))
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "valid files refused:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_invalid_file_is_refused_at_the_offending_field() {
    let expected: BTreeMap<&str, &str> = EXPECTED_POINTERS.iter().copied().collect();
    let files = corpus_files("invalid");
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    for name in expected.keys() {
        assert!(
            names.contains(name),
            "{name} is listed but missing from the corpus"
        );
    }
    for (name, json) in &files {
        let pointer = expected
            .get(name.as_str())
            .unwrap_or_else(|| panic!("{name} has no expected pointer in EXPECTED_POINTERS"));
        let errors = parse(json)
            .err()
            .unwrap_or_else(|| panic!("{name} was accepted"));
        let at_pointer: Vec<_> = errors.iter().filter(|e| e.path == *pointer).collect();
        assert!(
            !at_pointer.is_empty(),
            "{name}: no finding at {pointer:?}; got {:?}",
            errors.iter().map(ToString::to_string).collect::<Vec<_>>()
        );
        if let Some(state) = innermost_state(pointer) {
            assert!(
                at_pointer
                    .iter()
                    .any(|e| e.state.as_deref() == Some(state.as_str())),
                "{name}: finding at {pointer} does not name state {state:?}: {at_pointer:?}"
            );
        }
    }
}

#[test]
fn seed_template_is_valid_and_in_the_corpus() {
    let seed = seed_pipeline_template();
    if let Err(errors) = parse(&seed) {
        panic!("seed template refused: {errors:?}");
    }
    let in_corpus: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(CORPUS).join("valid/seed_pipeline.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        in_corpus,
        seed,
        "tests/asl/valid/seed_pipeline.json must hold the seed template (so asl-validator checks \
         it too); expected:\n{}",
        serde_json::to_string_pretty(&seed).unwrap()
    );
}

/// Runs `node tests/asl_validator/check.mjs`. `None` (after a warning) when node or its
/// dependencies are unavailable and `DATAFORTRESS_REQUIRE_NODE` is unset.
fn asl_validator_verdicts() -> Option<BTreeMap<String, bool>> {
    let required = std::env::var_os("DATAFORTRESS_REQUIRE_NODE").is_some();
    let skip = |why: String| {
        assert!(!required, "{why}");
        eprintln!("warning: skipping the asl-validator comparison: {why}");
        None
    };
    if !Path::new(CHECKER_DIR)
        .join("node_modules/asl-validator")
        .is_dir()
    {
        return skip(format!(
            "tests/asl_validator/node_modules is missing: run `npm ci` in {CHECKER_DIR}"
        ));
    }
    let output = match Command::new("node")
        .arg("check.mjs")
        .current_dir(CHECKER_DIR)
        .output()
    {
        Ok(output) => output,
        Err(err) => return skip(format!("cannot run node: {err}")),
    };
    assert!(
        output.status.success(),
        "check.mjs failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("check.mjs prints a JSON object"))
}

#[test]
fn asl_validator_agrees_with_our_validator() {
    let Some(theirs) = asl_validator_verdicts() else {
        return;
    };
    let blind_spots: BTreeMap<&str, &str> = ASL_VALIDATOR_BLIND_SPOTS.iter().copied().collect();
    let mut disagreements = Vec::new();
    let mut checked = 0;
    for group in ["valid", "invalid"] {
        for (name, json) in corpus_files(group) {
            let key = format!("{group}/{name}");
            let ours = parse(&json).is_ok();
            let Some(&reference) = theirs.get(&key) else {
                panic!("asl-validator did not report on {key}");
            };
            checked += 1;
            match blind_spots.get(key.as_str()) {
                Some(reason) => assert!(
                    ours != reference,
                    "{key} is listed as an asl-validator blind spot ({reason}) but both now agree: \
                     drop it from ASL_VALIDATOR_BLIND_SPOTS"
                ),
                None if ours != reference => disagreements.push(format!(
                    "{key}: ours {}, asl-validator {}",
                    verdict(ours),
                    verdict(reference)
                )),
                None => {}
            }
        }
    }
    assert_eq!(checked, theirs.len(), "asl-validator saw files we did not");
    assert!(
        disagreements.is_empty(),
        "validators disagree:\n{}",
        disagreements.join("\n")
    );
}

fn verdict(valid: bool) -> &'static str {
    if valid {
        "valid"
    } else {
        "invalid"
    }
}
