//! `@refinedev/simple-rest`'s wire format: the operators it can express, sorting, search.

use super::{filter_sql, sql, text, texts};
use crate::list::SqlValue;

#[test]
fn a_bare_field_is_eq_and_case_insensitive_on_text() {
    assert_eq!(
        filter_sql("name=Ada"),
        (
            "kernel_lower(t.name) = kernel_lower($1)".into(),
            vec![text("Ada")]
        )
    );
    assert_eq!(
        filter_sql("score=3"),
        ("t.score = $1".into(), vec![SqlValue::Int(3)])
    );
    assert_eq!(
        filter_sql("tags=vip"),
        ("$1 = ANY(t.tags)".into(), vec![text("vip")])
    );
}

#[test]
fn suffixes_map_to_ne_gte_lte_and_contains() {
    assert_eq!(
        filter_sql("name_ne=Ada"),
        (
            "kernel_lower(t.name) IS DISTINCT FROM kernel_lower($1)".into(),
            vec![text("Ada")]
        )
    );
    assert_eq!(
        filter_sql("score_gte=2"),
        ("t.score >= $1".into(), vec![SqlValue::Int(2)])
    );
    assert_eq!(
        filter_sql("score_lte=9"),
        ("t.score <= $1".into(), vec![SqlValue::Int(9)])
    );
    assert_eq!(
        filter_sql("name_like=50%25_off"),
        (
            "t.name ILIKE $1 ESCAPE '\\'".into(),
            vec![text("%50\\%\\_off%")]
        )
    );
}

#[test]
fn the_longest_exact_field_name_wins_over_a_suffix() {
    let d = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
    assert_eq!(
        filter_sql("due_on_gte=2024-03-01"),
        ("t.due_on >= $1".into(), vec![SqlValue::Date(d)])
    );
}

#[test]
fn repeated_keys_are_in_and_nin() {
    assert_eq!(
        filter_sql("score=1&score=2"),
        (
            "t.score = ANY($1)".into(),
            vec![SqlValue::IntArray(vec![1, 2])]
        )
    );
    assert_eq!(
        filter_sql("name=Ada&name=Bob"),
        (
            "kernel_lower(t.name) = ANY($1)".into(),
            vec![texts(&["ada", "bob"])]
        )
    );
    assert_eq!(
        filter_sql("name_ne=Ada&name_ne=Bob"),
        (
            "NOT coalesce(kernel_lower(t.name) = ANY($1), false)".into(),
            vec![texts(&["ada", "bob"])]
        )
    );
    assert_eq!(
        filter_sql("tags=a&tags=b"),
        ("t.tags && $1".into(), vec![texts(&["a", "b"])])
    );
}

#[test]
fn get_many_sends_repeated_ids() {
    let (a, b) = (
        "0191e7a0-0000-7000-8000-00000000000a",
        "0191e7a0-0000-7000-8000-00000000000b",
    );
    let (where_sql, params) = filter_sql(&format!("id={a}&id={b}"));
    assert_eq!(where_sql, "t.id = ANY($1)");
    let ids = [a, b].map(|s| uuid::Uuid::parse_str(s).unwrap()).to_vec();
    assert_eq!(params, vec![SqlValue::UuidArray(ids)]);
}

#[test]
fn several_filters_and_range_suffixes_are_anded() {
    assert_eq!(
        filter_sql("score_gte=1&score_lte=5&name_like=x&name_like=y"),
        (
            "(t.score >= $1 AND t.score <= $2 AND t.name ILIKE $3 ESCAPE '\\' AND t.name ILIKE $4 ESCAPE '\\')".into(),
            vec![SqlValue::Int(1), SqlValue::Int(5), text("%x%"), text("%y%")]
        )
    );
}

#[test]
fn sort_and_order_are_paired_by_position() {
    let parts = sql("_sort=score,name&_order=desc,asc");
    assert_eq!(parts.order_sql, "t.score DESC, t.name ASC, t.id ASC");
    assert_eq!(sql("_sort=id&_order=desc").order_sql, "t.id DESC");
    assert_eq!(sql("_sort=name").order_sql, "t.name ASC, t.id ASC");
}

#[test]
fn q_is_full_text_search() {
    let parts = sql("q=ada&active=true");
    assert_eq!(
        parts.where_sql,
        "t.active = $1 AND ((t.doc @@ websearch_to_tsquery('simple', $2) OR t.name ILIKE $2))"
    );
    assert_eq!(parts.params, vec![SqlValue::Bool(true), text("ada")]);
}
