//! Properties: no query string makes the parser panic, and every accepted query numbers its
//! placeholders exactly `first..first + params.len()`.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::THINGS;
use crate::list::{parse, SqlParts};

/// The placeholders `$k` the SQL text uses.
fn placeholders(parts: &SqlParts) -> BTreeSet<usize> {
    let mut used = BTreeSet::new();
    for sql in [&parts.where_sql, &parts.order_sql] {
        let bytes = sql.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'$' {
                let digits: String = sql[i + 1..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                if let Ok(k) = digits.parse() {
                    used.insert(k);
                }
                i += digits.len();
            }
            i += 1;
        }
    }
    used
}

fn assert_placeholders_are_exact(parts: &SqlParts, first: usize) -> Result<(), TestCaseError> {
    let expected: BTreeSet<usize> = (first..first + parts.params.len()).collect();
    prop_assert_eq!(placeholders(parts), expected, "{:?}", parts);
    Ok(())
}

const KEYS: &[&str] = &[
    "pagination[currentPage]",
    "pagination[current]",
    "pagination[pageSize]",
    "pagination[mode]",
    "sorters[0][field]",
    "sorters[0][order]",
    "sorters[1][field]",
    "sorters[1][order]",
    "filters[0][field]",
    "filters[0][operator]",
    "filters[0][value]",
    "filters[0][value][0]",
    "filters[0][value][1]",
    "filters[0][value][]",
    "filters[0][key]",
    "filters[0][value][0][field]",
    "filters[0][value][0][operator]",
    "filters[0][value][0][value]",
    "filters[0][value][0][value][0]",
    "filters[1][field]",
    "filters[1][operator]",
    "filters[1][value]",
    "filters[7][value][3]",
    "q",
    "_start",
    "_end",
    "_sort",
    "_order",
    "name",
    "name_like",
    "score_gte",
    "score_lte",
    "id",
    "tags",
    "created_at_gte",
    "due_on",
    "active",
    "ratio_ne",
    "secret",
    "filters",
    "pagination",
    "filters[",
    "filters[0]]",
    "filters[0][value][x]",
    "[0]",
    "",
    "filters[99999999999999999999]",
];

const VALUES: &[&str] = &[
    "name",
    "score",
    "id",
    "tags",
    "created_at",
    "due_on",
    "active",
    "ratio",
    "secret",
    "eq",
    "ne",
    "in",
    "nin",
    "or",
    "and",
    "between",
    "null",
    "contains",
    "nendswiths",
    "eqs",
    "asc",
    "desc",
    "1",
    "0",
    "-1",
    "3.5",
    "abc",
    "2024-01-01",
    "2024-01-01T00:00:00Z",
    "true",
    "0191e7a0-0000-7000-8000-000000000001",
    "server",
    "client",
    "off",
    "",
    "%",
    "_",
    "\\",
    "$1",
];

fn pair() -> impl Strategy<Value = (String, String)> {
    let key = prop_oneof![
        4 => proptest::sample::select(KEYS).prop_map(str::to_owned),
        1 => "[a-z_\\[\\]0-9]{0,16}",
    ];
    let value = prop_oneof![
        4 => proptest::sample::select(VALUES).prop_map(str::to_owned),
        1 => ".{0,12}",
    ];
    (key, value)
}

fn encode(pairs: &[(String, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// A filter that is valid by construction, to be encoded natively.
#[derive(Debug, Clone)]
enum Spec {
    Leaf(&'static str, &'static str, Vec<&'static str>),
    Group(bool, Vec<Spec>),
}

/// A field, the operators it accepts with their value counts, and valid sample values.
type Valid = (
    &'static str,
    &'static [(&'static str, usize)],
    &'static [&'static str],
);

const VALID: &[Valid] = &[
    (
        "name",
        &[
            ("eq", 1),
            ("ne", 1),
            ("eqs", 1),
            ("nes", 1),
            ("lt", 1),
            ("in", 3),
            ("nin", 2),
            ("ina", 1),
            ("nina", 0),
            ("contains", 1),
            ("ncontains", 1),
            ("containss", 1),
            ("ncontainss", 1),
            ("startswith", 1),
            ("nstartswith", 1),
            ("startswiths", 1),
            ("nstartswiths", 1),
            ("endswith", 1),
            ("nendswith", 1),
            ("endswiths", 1),
            ("nendswiths", 1),
            ("between", 2),
            ("null", 0),
        ],
        &["Ada", "a%b", "x_y\\", ""],
    ),
    (
        "score",
        &[
            ("eq", 1),
            ("gt", 1),
            ("gte", 1),
            ("lte", 1),
            ("in", 2),
            ("nbetween", 2),
            ("nnull", 0),
        ],
        &["1", "-7", "42"],
    ),
    (
        "ratio",
        &[("ne", 1), ("lt", 1), ("between", 2), ("nin", 1)],
        &["0.5", "1e3", "-2"],
    ),
    (
        "active",
        &[("eq", 1), ("ne", 1), ("in", 2), ("null", 1)],
        &["true", "false", "1", "0"],
    ),
    (
        "id",
        &[("eq", 1), ("in", 2), ("nina", 1), ("gt", 1)],
        &["0191e7a0-0000-7000-8000-000000000001"],
    ),
    (
        "created_at",
        &[("gte", 1), ("lt", 1), ("between", 2), ("nin", 2)],
        &["2024-01-01T00:00:00Z", "2024-06-01T10:00:00+02:00"],
    ),
    (
        "due_on",
        &[("eq", 1), ("nbetween", 2), ("in", 1)],
        &["2024-01-01", "2025-12-31"],
    ),
    (
        "tags",
        &[("eq", 1), ("ne", 1), ("in", 2), ("nin", 1), ("nnull", 0)],
        &["vip", "new"],
    ),
];

fn leaf() -> impl Strategy<Value = Spec> {
    (
        0..VALID.len(),
        any::<prop::sample::Index>(),
        prop::collection::vec(any::<prop::sample::Index>(), 3),
    )
        .prop_map(|(f, op, picks)| {
            let (field, ops, samples) = VALID[f];
            let (op, count) = ops[op.index(ops.len())];
            let values = picks
                .iter()
                .take(count)
                .map(|i| samples[i.index(samples.len())])
                .collect();
            Spec::Leaf(field, op, values)
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    leaf().prop_recursive(4, 24, 4, |inner| {
        (any::<bool>(), prop::collection::vec(inner, 0..4)).prop_map(|(or, c)| Spec::Group(or, c))
    })
}

fn encode_spec(spec: &Spec, prefix: &str, pairs: &mut Vec<(String, String)>) {
    match spec {
        Spec::Leaf(field, op, values) => {
            pairs.push((format!("{prefix}[field]"), (*field).to_owned()));
            pairs.push((format!("{prefix}[operator]"), (*op).to_owned()));
            let scalar = values.len() == 1 && !matches!(*op, "in" | "nin" | "ina" | "nina");
            for (i, v) in values.iter().enumerate() {
                let key = if scalar {
                    format!("{prefix}[value]")
                } else {
                    format!("{prefix}[value][{i}]")
                };
                pairs.push((key, (*v).to_owned()));
            }
        }
        Spec::Group(or, children) => {
            pairs.push((
                format!("{prefix}[operator]"),
                if *or { "or" } else { "and" }.to_owned(),
            ));
            for (i, child) in children.iter().enumerate() {
                encode_spec(child, &format!("{prefix}[value][{i}]"), pairs);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_query_strings_never_panic(pairs in prop::collection::vec(pair(), 0..14), first in 1usize..6) {
        if let Ok(query) = parse(&THINGS, &encode(&pairs)) {
            assert_placeholders_are_exact(&query.to_sql(&THINGS, first), first)?;
        }
    }

    #[test]
    fn raw_garbage_never_panics(raw in ".{0,200}") {
        if let Ok(query) = parse(&THINGS, &raw) {
            let _ = query.to_sql(&THINGS, 1);
        }
    }

    #[test]
    fn valid_native_filters_are_accepted_with_exact_placeholders(
        specs in prop::collection::vec(spec(), 0..4),
        q in proptest::option::of("[a-z ]{1,10}"),
        first in 1usize..6,
    ) {
        let mut pairs = Vec::new();
        for (i, s) in specs.iter().enumerate() {
            encode_spec(s, &format!("filters[{i}]"), &mut pairs);
        }
        if let Some(q) = q {
            pairs.push(("q".into(), q));
        }
        let raw = encode(&pairs);
        let query = parse(&THINGS, &raw).map_err(|e| TestCaseError::fail(format!("{raw}: {e}")))?;
        assert_placeholders_are_exact(&query.to_sql(&THINGS, first), first)?;
    }

    #[test]
    fn valid_simple_rest_filters_are_accepted_with_exact_placeholders(
        keys in prop::collection::vec(proptest::sample::select(&["name", "name_ne", "name_like", "score_gte", "score_lte", "score", "tags", "id"][..]), 0..8),
        first in 1usize..6,
    ) {
        let pairs: Vec<(String, String)> = keys.iter().map(|k| {
            let v = match *k {
                "score_gte" | "score_lte" | "score" => "5",
                "id" => "0191e7a0-0000-7000-8000-000000000001",
                _ => "Ab%_",
            };
            ((*k).to_owned(), v.to_owned())
        }).collect();
        let raw = encode(&pairs);
        let query = parse(&THINGS, &raw).map_err(|e| TestCaseError::fail(format!("{raw}: {e}")))?;
        assert_placeholders_are_exact(&query.to_sql(&THINGS, first), first)?;
    }
}
