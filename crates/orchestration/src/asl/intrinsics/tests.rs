#![allow(clippy::unwrap_used)]

use super::*;
use serde_json::json;

fn eval(call: &str, input: Value) -> Result<Value, StatesError> {
    Intrinsic::parse(call)
        .unwrap()
        .evaluate(&input, &json!({"Execution": {"Id": "e-1"}}))
}

fn ok(call: &str, input: Value) -> Value {
    eval(call, input).unwrap_or_else(|err| panic!("{call}: {err}"))
}

fn failure_of(call: &str, input: Value) -> StatesError {
    let err = eval(call, input).unwrap_err();
    assert_eq!(err.error, "States.IntrinsicFailure", "{call}: {err}");
    err
}

#[test]
fn format_fills_placeholders_in_order() {
    let input = json!({"name": "Arnav", "age": 30, "vip": true, "nick": null});
    assert_eq!(
        ok(
            "States.Format('Hello, my name is {}.', $.name)",
            input.clone()
        ),
        json!("Hello, my name is Arnav.")
    );
    assert_eq!(
        ok(
            "States.Format('{} is {} ({}, {})', $.name, $.age, $.vip, $.nick)",
            input
        ),
        json!("Arnav is 30 (true, null)")
    );
}

#[test]
fn format_escapes_braces_quotes_and_backslashes() {
    assert_eq!(
        ok(
            r"States.Format('\{literal\} \'{}\' \\', $.x)",
            json!({"x": "v"})
        ),
        json!(r"{literal} 'v' \")
    );
}

#[test]
fn format_counts_must_match_and_objects_are_refused() {
    failure_of("States.Format('{} {}', $.x)", json!({"x": 1}));
    failure_of("States.Format('{}', $.x, $.x)", json!({"x": 1}));
    failure_of("States.Format('{}', $.x)", json!({"x": {"a": 1}}));
    failure_of("States.Format('lone { brace')", json!({}));
}

#[test]
fn string_to_json_and_back() {
    assert_eq!(
        ok("States.StringToJson($.s)", json!({"s": "{\"number\": 20}"})),
        json!({"number": 20})
    );
    failure_of("States.StringToJson($.s)", json!({"s": "{nope"}));
    assert_eq!(
        ok(
            "States.JsonToString($.o)",
            json!({"o": {"name": "Foo", "zipcode": "98101"}})
        ),
        json!(r#"{"name":"Foo","zipcode":"98101"}"#)
    );
}

#[test]
fn array_collects_literals_paths_and_calls() {
    assert_eq!(
        ok(
            "States.Array($.id, 'two', 3, -4.5, true, null, States.Array())",
            json!({"id": 123456})
        ),
        json!([123456, "two", 3, -4.5, true, null, []])
    );
}

#[test]
fn array_partition_chunks_with_a_short_last_chunk() {
    let input = json!({"a": [1, 2, 3, 4, 5, 6, 7, 8, 9]});
    assert_eq!(
        ok("States.ArrayPartition($.a, 4)", input.clone()),
        json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]])
    );
    failure_of("States.ArrayPartition($.a, 0)", input);
}

#[test]
fn array_contains_get_item_length_unique() {
    let input = json!({"a": [1, 2, 3, 3, 3, 4, 5, 6, 7]});
    assert_eq!(
        ok("States.ArrayContains($.a, 5)", input.clone()),
        json!(true)
    );
    assert_eq!(
        ok("States.ArrayContains($.a, 'x')", input.clone()),
        json!(false)
    );
    assert_eq!(ok("States.ArrayGetItem($.a, 5)", input.clone()), json!(4));
    failure_of("States.ArrayGetItem($.a, 99)", input.clone());
    assert_eq!(ok("States.ArrayLength($.a)", input.clone()), json!(9));
    assert_eq!(
        ok("States.ArrayUnique($.a)", input),
        json!([1, 2, 3, 4, 5, 6, 7])
    );
    failure_of("States.ArrayLength($.s)", json!({"s": "text"}));
}

#[test]
fn array_range_is_inclusive_and_bounded() {
    assert_eq!(
        ok("States.ArrayRange(1, 9, 2)", json!({})),
        json!([1, 3, 5, 7, 9])
    );
    assert_eq!(
        ok("States.ArrayRange(0, 10, 3)", json!({})),
        json!([0, 3, 6, 9])
    );
    assert_eq!(
        ok("States.ArrayRange(5, 1, -2)", json!({})),
        json!([5, 3, 1])
    );
    assert_eq!(ok("States.ArrayRange(5, 1, 1)", json!({})), json!([]));
    failure_of("States.ArrayRange(1, 5, 0)", json!({}));
    failure_of("States.ArrayRange(1, 5000, 1)", json!({}));
}

#[test]
fn base64_round_trip() {
    assert_eq!(
        ok("States.Base64Encode($.d)", json!({"d": "Data to encode"})),
        json!("RGF0YSB0byBlbmNvZGU=")
    );
    assert_eq!(
        ok(
            "States.Base64Decode($.d)",
            json!({"d": "RGF0YSB0byBlbmNvZGU="})
        ),
        json!("Data to encode")
    );
    failure_of("States.Base64Decode('***')", json!({}));
    failure_of("States.Base64Encode($.d)", json!({"d": "x".repeat(10_001)}));
}

#[test]
fn hash_supports_sha2_and_refuses_legacy_algorithms() {
    let input = json!({"d": "input data"});
    assert_eq!(
        ok("States.Hash($.d, 'SHA-256')", input.clone()),
        json!("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3")
    );
    assert_eq!(
        ok("States.Hash($.d, 'SHA-384')", input.clone()),
        json!("d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562")
    );
    let sha512 = ok("States.Hash($.d, 'SHA-512')", input.clone());
    assert!(sha512
        .as_str()
        .unwrap()
        .starts_with("6ce4adb348546d4f449c4d25aad9a7c9"));
    assert!(failure_of("States.Hash($.d, 'MD5')", input.clone())
        .cause
        .contains("not supported"));
    failure_of("States.Hash($.d, 'CRC32')", input);
}

#[test]
fn json_merge_is_shallow_only() {
    let input =
        json!({"a": {"a": {"a1": 1, "a2": 2}, "b": 2}, "b": {"a": {"a3": 1, "a4": 2}, "c": 3}});
    assert_eq!(
        ok("States.JsonMerge($.a, $.b, false)", input.clone()),
        json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3})
    );
    failure_of("States.JsonMerge($.a, $.b, true)", input.clone());
    failure_of("States.JsonMerge($.a, 'x', false)", input);
}

#[test]
fn math_random_stays_in_range_and_is_reproducible_with_a_seed() {
    for _ in 0..50 {
        let n = ok("States.MathRandom(1, 5)", json!({})).as_i64().unwrap();
        assert!((1..5).contains(&n));
    }
    let first = ok("States.MathRandom(0, 1000, 42)", json!({}));
    assert_eq!(first, ok("States.MathRandom(0, 1000, 42)", json!({})));
    failure_of("States.MathRandom(5, 5)", json!({}));
}

#[test]
fn math_add_takes_integers() {
    assert_eq!(ok("States.MathAdd($.v, -1)", json!({"v": 111})), json!(110));
    assert_eq!(ok("States.MathAdd(2.0, 3)", json!({})), json!(5));
    failure_of("States.MathAdd(1.5, 1)", json!({}));
    failure_of("States.MathAdd($.s, 1)", json!({"s": "1"}));
}

#[test]
fn string_split_splits_on_any_delimiter_character() {
    assert_eq!(
        ok("States.StringSplit($.s, ',')", json!({"s": "1,2,3,4,5"})),
        json!(["1", "2", "3", "4", "5"])
    );
    assert_eq!(
        ok(
            "States.StringSplit($.s, $.d)",
            json!({"s": "This.is+a,test=string", "d": ".+,="})
        ),
        json!(["This", "is", "a", "test", "string"])
    );
}

#[test]
fn uuid_is_a_fresh_v4() {
    let a = ok("States.UUID()", json!({}));
    let b = ok("States.UUID()", json!({}));
    assert_ne!(a, b);
    let parsed = uuid::Uuid::parse_str(a.as_str().unwrap()).unwrap();
    assert_eq!(parsed.get_version_num(), 4);
}

#[test]
fn nested_calls_and_context_paths() {
    assert_eq!(
        ok(
            "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit($.arn, '/'), 1), $$.Execution.Id)",
            json!({"arn": "recipe/my-image/1.0"})
        ),
        json!("my-image.e-1")
    );
}

#[test]
fn missing_path_argument_is_a_runtime_error() {
    assert_eq!(
        eval("States.Array($.nope)", json!({})).unwrap_err().error,
        "States.Runtime"
    );
}

#[test]
fn parser_refuses_unknown_functions_bad_arity_and_bad_syntax() {
    assert!(Intrinsic::parse("States.Nope()")
        .unwrap_err()
        .contains("unknown"));
    assert!(Intrinsic::parse("States.UUID(1)")
        .unwrap_err()
        .contains("takes 0"));
    assert!(Intrinsic::parse("States.ArrayRange(1, 2)")
        .unwrap_err()
        .contains("takes 3"));
    assert!(Intrinsic::parse("States.Format()")
        .unwrap_err()
        .contains("at least 1"));
    assert!(Intrinsic::parse("States.Format('open)").is_err());
    assert!(Intrinsic::parse("States.Array($.a) trailing").is_err());
    assert!(Intrinsic::parse("States.Array(bogus)").is_err());
    assert!(Intrinsic::parse("States.Array($.a[)").is_err());
}

#[test]
fn path_arguments_may_contain_commas_and_parentheses_in_brackets() {
    let value = ok(
        "States.Array($['a,b'], $['c)'])",
        json!({"a,b": 1, "c)": 2}),
    );
    assert_eq!(value, json!([1, 2]));
}
