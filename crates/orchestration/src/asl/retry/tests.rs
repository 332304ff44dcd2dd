#![allow(clippy::unwrap_used)]

use super::*;
use rand::rngs::StdRng;
use rand::SeedableRng;

fn retrier(errors: &[&str], interval: u64, attempts: u64, backoff: f64) -> Retrier {
    Retrier {
        error_equals: errors.iter().map(|e| e.to_string()).collect(),
        interval_seconds: interval,
        max_attempts: attempts,
        backoff_rate: backoff,
        max_delay_seconds: None,
        jitter_strategy: JitterStrategy::None,
    }
}

fn rng() -> StdRng {
    StdRng::seed_from_u64(7)
}

fn secs(d: Option<Duration>) -> Option<f64> {
    d.map(|d| d.as_secs_f64())
}

#[test]
fn delays_grow_by_the_backoff_rate_until_attempts_run_out() {
    let retriers = [retrier(&["States.TaskFailed"], 3, 3, 2.0)];
    let error = StatesError::task_failed("boom");
    let mut counters = RetryCounters::new();
    let mut rng = rng();
    let delays: Vec<Option<f64>> = (0..4)
        .map(|_| secs(next_retry(&retriers, &error, &mut counters, &mut rng)))
        .collect();
    assert_eq!(delays, vec![Some(3.0), Some(6.0), Some(12.0), None]);
    assert_eq!(counters.attempts(0), 3);
    assert_eq!(counters.total(), 3);
}

#[test]
fn max_delay_caps_the_backoff() {
    let mut capped = retrier(&["States.ALL"], 10, 5, 3.0);
    capped.max_delay_seconds = Some(50);
    let mut counters = RetryCounters::new();
    let mut rng = rng();
    let error = StatesError::new("Custom", "");
    let delays: Vec<Option<f64>> = (0..4)
        .map(|_| {
            secs(next_retry(
                std::slice::from_ref(&capped),
                &error,
                &mut counters,
                &mut rng,
            ))
        })
        .collect();
    assert_eq!(delays, vec![Some(10.0), Some(30.0), Some(50.0), Some(50.0)]);
}

#[test]
fn full_jitter_stays_within_zero_and_the_delay_and_varies() {
    let mut jittered = retrier(&["States.ALL"], 8, 1000, 1.0);
    jittered.jitter_strategy = JitterStrategy::Full;
    let retriers = [jittered];
    let error = StatesError::task_failed("");
    let mut counters = RetryCounters::new();
    let mut rng = rng();
    let delays: Vec<f64> = (0..200)
        .map(|_| secs(next_retry(&retriers, &error, &mut counters, &mut rng)).unwrap())
        .collect();
    assert!(delays.iter().all(|d| (0.0..=8.0).contains(d)));
    assert!(delays.iter().any(|d| *d < 4.0) && delays.iter().any(|d| *d > 4.0));
}

#[test]
fn seeded_jitter_is_reproducible() {
    let mut jittered = retrier(&["States.ALL"], 8, 10, 2.0);
    jittered.jitter_strategy = JitterStrategy::Full;
    let run = || {
        let mut counters = RetryCounters::new();
        let mut rng = rng();
        (0..3)
            .map(|_| {
                next_retry(
                    std::slice::from_ref(&jittered),
                    &StatesError::task_failed(""),
                    &mut counters,
                    &mut rng,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(run(), run());
}

#[test]
fn max_attempts_zero_never_retries() {
    let retriers = [retrier(&["States.ALL"], 1, 0, 2.0)];
    let mut counters = RetryCounters::new();
    assert_eq!(
        next_retry(
            &retriers,
            &StatesError::task_failed(""),
            &mut counters,
            &mut rng()
        ),
        None
    );
    assert_eq!(counters, RetryCounters::new());
}

#[test]
fn first_matching_retrier_decides_even_when_exhausted() {
    let retriers = [
        retrier(&["States.Timeout"], 1, 1, 2.0),
        retrier(&["States.ALL"], 5, 5, 2.0),
    ];
    let timeout = StatesError::timeout("");
    let mut counters = RetryCounters::new();
    let mut rng = rng();
    assert_eq!(
        secs(next_retry(&retriers, &timeout, &mut counters, &mut rng)),
        Some(1.0)
    );
    assert_eq!(
        next_retry(&retriers, &timeout, &mut counters, &mut rng),
        None
    );
    assert_eq!(
        counters.attempts(1),
        0,
        "the States.ALL retrier was not consulted"
    );
}

#[test]
fn counters_are_kept_per_retrier() {
    let retriers = [retrier(&["A"], 1, 3, 2.0), retrier(&["B"], 10, 3, 2.0)];
    let mut counters = RetryCounters::new();
    let mut rng = rng();
    let a = StatesError::new("A", "");
    let b = StatesError::new("B", "");
    assert_eq!(
        secs(next_retry(&retriers, &a, &mut counters, &mut rng)),
        Some(1.0)
    );
    assert_eq!(
        secs(next_retry(&retriers, &b, &mut counters, &mut rng)),
        Some(10.0)
    );
    assert_eq!(
        secs(next_retry(&retriers, &a, &mut counters, &mut rng)),
        Some(2.0)
    );
    assert_eq!(
        secs(next_retry(&retriers, &b, &mut counters, &mut rng)),
        Some(20.0)
    );
    assert_eq!((counters.attempts(0), counters.attempts(1)), (2, 2));
}

#[test]
fn states_all_does_not_retry_runtime_errors() {
    let retriers = [retrier(&["States.ALL"], 1, 3, 2.0)];
    let mut counters = RetryCounters::new();
    assert_eq!(
        next_retry(
            &retriers,
            &StatesError::runtime("bad path"),
            &mut counters,
            &mut rng()
        ),
        None
    );
}

#[test]
fn task_failed_does_not_retry_timeouts() {
    let retriers = [retrier(&["States.TaskFailed"], 1, 3, 2.0)];
    let mut counters = RetryCounters::new();
    let mut rng = rng();
    assert_eq!(
        next_retry(
            &retriers,
            &StatesError::timeout(""),
            &mut counters,
            &mut rng
        ),
        None
    );
    assert_eq!(
        next_retry(
            &retriers,
            &StatesError::heartbeat_timeout(""),
            &mut counters,
            &mut rng
        ),
        None
    );
    assert!(next_retry(
        &retriers,
        &StatesError::new("Lambda.Unknown", ""),
        &mut counters,
        &mut rng
    )
    .is_some());
}

#[test]
fn counters_serialise_as_a_plain_array() {
    let retriers = [retrier(&["A"], 1, 3, 2.0), retrier(&["B"], 1, 3, 2.0)];
    let mut counters = RetryCounters::new();
    next_retry(
        &retriers,
        &StatesError::new("B", ""),
        &mut counters,
        &mut rng(),
    );
    let stored = serde_json::to_value(&counters).unwrap();
    assert_eq!(stored, serde_json::json!([0, 1]));
    let restored: RetryCounters = serde_json::from_value(stored).unwrap();
    assert_eq!(restored, counters);
}

#[test]
fn parsing_fills_aws_defaults() {
    let mut issues = Issues::default();
    let parsed = parse_retry(
        &serde_json::json!([{"ErrorEquals": ["States.ALL"]}]),
        "/Retry",
        None,
        &mut issues,
    )
    .unwrap();
    let r = &parsed[0];
    assert_eq!(
        (
            r.interval_seconds,
            r.max_attempts,
            r.backoff_rate,
            r.max_delay_seconds,
            r.jitter_strategy
        ),
        (1, 3, 2.0, None, JitterStrategy::None)
    );
}

#[test]
fn parsing_reports_each_broken_field() {
    let mut issues = Issues::default();
    let parsed = parse_retry(
        &serde_json::json!([{
            "ErrorEquals": ["States.ALL", "X"],
            "IntervalSeconds": 0,
            "MaxAttempts": 1.5,
            "BackoffRate": 0.9,
            "MaxDelaySeconds": 0,
            "JitterStrategy": "SOME",
            "Extra": 1
        }]),
        "/Retry",
        Some("T"),
        &mut issues,
    );
    assert!(parsed.is_none());
    let mut paths: Vec<String> = issues.into_vec().into_iter().map(|e| e.path).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/Retry/0/BackoffRate",
            "/Retry/0/ErrorEquals",
            "/Retry/0/Extra",
            "/Retry/0/IntervalSeconds",
            "/Retry/0/JitterStrategy",
            "/Retry/0/MaxAttempts",
            "/Retry/0/MaxDelaySeconds"
        ]
    );
}
