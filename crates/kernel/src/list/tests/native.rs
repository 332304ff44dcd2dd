//! Refine's native encoding: every operator, nested groups, search.

use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use super::{filter_sql, text, texts};
use crate::list::{parse, Filter, FilterValue, Operator, SqlValue};

const ID1: &str = "0191e7a0-0000-7000-8000-000000000001";
const ID2: &str = "0191e7a0-0000-7000-8000-000000000002";

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap()
}

/// One native filter with a scalar value.
fn one(field: &str, op: &str, value: &str) -> String {
    let value = form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>();
    format!("filters[0][field]={field}&filters[0][operator]={op}&filters[0][value]={value}")
}

/// One native filter with a list value.
fn many(field: &str, op: &str, values: &[&str]) -> String {
    let mut q = format!("filters[0][field]={field}&filters[0][operator]={op}");
    for (i, v) in values.iter().enumerate() {
        q.push_str(&format!("&filters[0][value][{i}]={v}"));
    }
    q
}

fn assert_sql(query: &str, where_sql: &str, params: Vec<SqlValue>) {
    let (got_sql, got_params) = filter_sql(query);
    assert_eq!(got_sql, where_sql, "SQL of {query}");
    assert_eq!(got_params, params, "params of {query}");
}

#[test]
fn eq_and_ne_are_case_insensitive_on_text_and_plain_elsewhere() {
    assert_sql(
        &one("name", "eq", "Ada"),
        "kernel_lower(t.name) = kernel_lower($1)",
        vec![text("Ada")],
    );
    assert_sql(
        &one("name", "ne", "Ada"),
        "kernel_lower(t.name) IS DISTINCT FROM kernel_lower($1)",
        vec![text("Ada")],
    );
    assert_sql(
        &one("score", "eq", "5"),
        "t.score = $1",
        vec![SqlValue::Int(5)],
    );
    assert_sql(
        &one("score", "ne", "-5"),
        "t.score IS DISTINCT FROM $1",
        vec![SqlValue::Int(-5)],
    );
    assert_sql(
        &one("id", "eq", ID1),
        "t.id = $1",
        vec![SqlValue::Uuid(uuid(ID1))],
    );
    assert_sql(
        &one("active", "eq", "1"),
        "t.active = $1",
        vec![SqlValue::Bool(true)],
    );
    assert_sql(
        &one("active", "ne", "false"),
        "t.active IS DISTINCT FROM $1",
        vec![SqlValue::Bool(false)],
    );
    assert_sql(
        &one("ratio", "eq", "0.5"),
        "t.ratio = $1",
        vec![SqlValue::Float(0.5)],
    );
}

#[test]
fn eqs_and_nes_are_case_sensitive() {
    assert_sql(&one("name", "eqs", "Ada"), "t.name = $1", vec![text("Ada")]);
    assert_sql(
        &one("name", "nes", "Ada"),
        "t.name IS DISTINCT FROM $1",
        vec![text("Ada")],
    );
}

#[test]
fn eq_and_ne_on_a_text_array_test_membership() {
    assert_sql(
        &one("tags", "eq", "vip"),
        "$1 = ANY(t.tags)",
        vec![text("vip")],
    );
    assert_sql(
        &one("tags", "ne", "vip"),
        "NOT coalesce($1 = ANY(t.tags), false)",
        vec![text("vip")],
    );
}

#[test]
fn comparisons_convert_the_value_to_the_field_type() {
    assert_sql(
        &one("score", "lt", "3"),
        "t.score < $1",
        vec![SqlValue::Int(3)],
    );
    assert_sql(
        &one("score", "gt", "3"),
        "t.score > $1",
        vec![SqlValue::Int(3)],
    );
    assert_sql(
        &one("ratio", "lte", "1e3"),
        "t.ratio <= $1",
        vec![SqlValue::Float(1000.0)],
    );
    let at = Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).unwrap();
    assert_sql(
        &one("created_at", "gte", "2024-05-01T12:00:00+02:00"),
        "t.created_at >= $1",
        vec![SqlValue::Timestamp(at)],
    );
    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    assert_sql(
        &one("due_on", "lt", "2024-02-29"),
        "t.due_on < $1",
        vec![SqlValue::Date(day)],
    );
    assert_sql(&one("name", "gt", "m"), "t.name > $1", vec![text("m")]);
}

#[test]
fn in_and_nin_lower_case_text_lists() {
    assert_sql(
        &many("name", "in", &["Ada", "BOB"]),
        "kernel_lower(t.name) = ANY($1)",
        vec![texts(&["ada", "bob"])],
    );
    assert_sql(
        &many("name", "nin", &["Ada"]),
        "NOT coalesce(kernel_lower(t.name) = ANY($1), false)",
        vec![texts(&["ada"])],
    );
    assert_sql(
        &many("id", "in", &[ID1, ID2]),
        "t.id = ANY($1)",
        vec![SqlValue::UuidArray(vec![uuid(ID1), uuid(ID2)])],
    );
    assert_sql(
        &many("score", "nin", &["1", "2"]),
        "NOT coalesce(t.score = ANY($1), false)",
        vec![SqlValue::IntArray(vec![1, 2])],
    );
}

#[test]
fn ina_and_nina_keep_the_case() {
    assert_sql(
        &many("name", "ina", &["Ada", "BOB"]),
        "t.name = ANY($1)",
        vec![texts(&["Ada", "BOB"])],
    );
    assert_sql(
        &many("name", "nina", &["Ada"]),
        "NOT coalesce(t.name = ANY($1), false)",
        vec![texts(&["Ada"])],
    );
}

#[test]
fn in_on_a_text_array_is_overlap() {
    assert_sql(
        &many("tags", "in", &["vip", "new"]),
        "t.tags && $1",
        vec![texts(&["vip", "new"])],
    );
    assert_sql(
        &many("tags", "nin", &["vip"]),
        "NOT coalesce(t.tags && $1, false)",
        vec![texts(&["vip"])],
    );
}

#[test]
fn in_accepts_a_scalar_a_missing_value_and_sparse_unordered_indices() {
    assert_sql(
        &one("score", "in", "7"),
        "t.score = ANY($1)",
        vec![SqlValue::IntArray(vec![7])],
    );
    assert_sql(
        "filters[0][field]=score&filters[0][operator]=in",
        "t.score = ANY($1)",
        vec![SqlValue::IntArray(vec![])],
    );
    assert_sql(
        "filters[0][value][10]=3&filters[0][value][2]=1&filters[0][field]=score&filters[0][operator]=in",
        "t.score = ANY($1)",
        vec![SqlValue::IntArray(vec![1, 3])],
    );
    assert_sql(
        "filters[0][field]=score&filters[0][operator]=in&filters[0][value][]=4&filters[0][value][]=5",
        "t.score = ANY($1)",
        vec![SqlValue::IntArray(vec![4, 5])],
    );
}

#[test]
fn pattern_operators_escape_wildcards() {
    let esc = "ESCAPE '\\'";
    let cases = [
        ("contains", "t.name ILIKE $1", "%a\\%b\\_c\\\\%"),
        (
            "ncontains",
            "coalesce(t.name, '') NOT ILIKE $1",
            "%a\\%b\\_c\\\\%",
        ),
        ("containss", "t.name LIKE $1", "%a\\%b\\_c\\\\%"),
        (
            "ncontainss",
            "coalesce(t.name, '') NOT LIKE $1",
            "%a\\%b\\_c\\\\%",
        ),
        ("startswith", "t.name ILIKE $1", "a\\%b\\_c\\\\%"),
        (
            "nstartswith",
            "coalesce(t.name, '') NOT ILIKE $1",
            "a\\%b\\_c\\\\%",
        ),
        ("startswiths", "t.name LIKE $1", "a\\%b\\_c\\\\%"),
        (
            "nstartswiths",
            "coalesce(t.name, '') NOT LIKE $1",
            "a\\%b\\_c\\\\%",
        ),
        ("endswith", "t.name ILIKE $1", "%a\\%b\\_c\\\\"),
        (
            "nendswith",
            "coalesce(t.name, '') NOT ILIKE $1",
            "%a\\%b\\_c\\\\",
        ),
        ("endswiths", "t.name LIKE $1", "%a\\%b\\_c\\\\"),
        (
            "nendswiths",
            "coalesce(t.name, '') NOT LIKE $1",
            "%a\\%b\\_c\\\\",
        ),
    ];
    for (op, sql, pattern) in cases {
        assert_sql(
            &one("name", op, "a%b_c\\"),
            &format!("{sql} {esc}"),
            vec![text(pattern)],
        );
    }
}

#[test]
fn between_and_nbetween_take_two_values() {
    assert_sql(
        &many("score", "between", &["1", "9"]),
        "t.score BETWEEN $1 AND $2",
        vec![SqlValue::Int(1), SqlValue::Int(9)],
    );
    let (a, b) = (
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
    );
    assert_sql(
        &many("due_on", "nbetween", &["2024-01-01", "2024-12-31"]),
        "NOT coalesce(t.due_on BETWEEN $1 AND $2, false)",
        vec![SqlValue::Date(a), SqlValue::Date(b)],
    );
}

#[test]
fn null_and_nnull_ignore_the_value() {
    assert_sql(
        "filters[0][field]=name&filters[0][operator]=null",
        "t.name IS NULL",
        vec![],
    );
    assert_sql(&one("name", "null", "true"), "t.name IS NULL", vec![]);
    assert_sql(&one("tags", "nnull", ""), "t.tags IS NOT NULL", vec![]);
    assert_sql(
        &many("score", "nnull", &["x", "y"]),
        "t.score IS NOT NULL",
        vec![],
    );
}

#[test]
fn top_level_filters_are_anded_in_order() {
    let q = format!(
        "{}&{}",
        one("name", "eq", "a"),
        one("score", "gt", "1").replace("[0]", "[1]")
    );
    assert_sql(
        &q,
        "(kernel_lower(t.name) = kernel_lower($1) AND t.score > $2)",
        vec![text("a"), SqlValue::Int(1)],
    );
}

#[test]
fn or_and_groups_nest_three_levels_deep() {
    // status = new OR (score > 5 AND (tags has vip OR name contains x)), with a `key` to ignore.
    let q = "filters[0][operator]=or&filters[0][key]=k1\
        &filters[0][value][0][field]=name&filters[0][value][0][operator]=eq&filters[0][value][0][value]=new\
        &filters[0][value][1][operator]=and\
        &filters[0][value][1][value][0][field]=score&filters[0][value][1][value][0][operator]=gt&filters[0][value][1][value][0][value]=5\
        &filters[0][value][1][value][1][operator]=or&filters[0][value][1][value][1][key]=k2\
        &filters[0][value][1][value][1][value][0][field]=tags&filters[0][value][1][value][1][value][0][operator]=eq&filters[0][value][1][value][1][value][0][value]=vip\
        &filters[0][value][1][value][1][value][1][field]=name&filters[0][value][1][value][1][value][1][operator]=contains&filters[0][value][1][value][1][value][1][value]=x";
    assert_sql(
        q,
        "(kernel_lower(t.name) = kernel_lower($1) OR (t.score > $2 AND ($3 = ANY(t.tags) OR t.name ILIKE $4 ESCAPE '\\')))",
        vec![text("new"), SqlValue::Int(5), text("vip"), text("%x%")],
    );
    let parsed = parse(&super::THINGS, q).unwrap();
    let Some(Filter::Or(children)) = &parsed.filter else {
        panic!("expected an or group: {parsed:?}");
    };
    assert_eq!(children.len(), 2);
    assert_eq!(parsed.filter.as_ref().map(Filter::leaves), Some(4));
}

#[test]
fn empty_groups_are_ignored() {
    assert_sql("filters[0][operator]=or", "TRUE", vec![]);
    assert_sql(
        &format!(
            "filters[0][operator]=and&{}",
            one("score", "eq", "1").replace("[0]", "[1]")
        ),
        "t.score = $1",
        vec![SqlValue::Int(1)],
    );
    let q = "filters[0][operator]=or&filters[0][value][0][operator]=and\
        &filters[0][value][1][field]=score&filters[0][value][1][operator]=eq&filters[0][value][1][value]=2";
    assert_sql(q, "t.score = $1", vec![SqlValue::Int(2)]);
}

#[test]
fn the_parsed_model_is_typed() {
    let q = parse(&super::THINGS, &one("score", "gte", "10")).unwrap();
    assert_eq!(
        q.filter,
        Some(Filter::Field {
            field: "score".into(),
            op: Operator::Gte,
            value: FilterValue::One(SqlValue::Int(10)),
        })
    );
}

#[test]
fn search_binds_one_placeholder_for_every_q() {
    let parts = super::sql(&format!("q=hello%20world&{}", one("score", "eq", "1")));
    assert_eq!(
        parts.where_sql,
        "t.score = $1 AND ((t.doc @@ websearch_to_tsquery('simple', $2) OR t.name ILIKE $2))"
    );
    assert_eq!(parts.params, vec![SqlValue::Int(1), text("hello world")]);
    assert_eq!(super::sql("q=%20&pagination[pageSize]=5").where_sql, "TRUE");
}

#[test]
fn placeholders_start_where_the_slice_wants() {
    let q = parse(&super::THINGS, &many("score", "between", &["1", "2"])).unwrap();
    assert_eq!(
        q.to_sql(&super::THINGS, 3).where_sql,
        "t.score BETWEEN $3 AND $4"
    );
}

#[test]
fn percent_encoded_brackets_are_the_same_keys() {
    assert_sql(
        "filters%5B0%5D%5Bfield%5D=name&filters%5B0%5D%5Boperator%5D=eq&filters%5B0%5D%5Bvalue%5D=A%26B",
        "kernel_lower(t.name) = kernel_lower($1)",
        vec![text("A&B")],
    );
}
