//! Unit tests of the list engine: both encodings, every operator, errors, bounds, properties.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod errors;
mod native;
mod paging;
mod props;
mod response;
mod simple_rest;

use super::{parse, Field, FieldType, ListError, Order, Resource, SqlParts, SqlValue};

/// A resource with one field of every type, a search, and a default sort.
pub(super) static THINGS: Resource = Resource::new(
    "things",
    &[
        Field::new("id", "t.id", FieldType::Uuid),
        Field::new("name", "t.name", FieldType::Text),
        Field::new("score", "t.score", FieldType::Int),
        Field::new("ratio", "t.ratio", FieldType::Float),
        Field::new("active", "t.active", FieldType::Bool),
        Field::new("created_at", "t.created_at", FieldType::Timestamp),
        Field::new("due_on", "t.due_on", FieldType::Date),
        Field::new("tags", "t.tags", FieldType::TextArray).not_sortable(),
        Field::new("secret", "t.secret", FieldType::Text)
            .not_sortable()
            .not_filterable(),
    ],
)
.search("(t.doc @@ websearch_to_tsquery('simple', $q) OR t.name ILIKE $q)")
.default_sort(&[("created_at", Order::Desc)]);

/// A resource without search, id or default sort.
pub(super) static BARE: Resource =
    Resource::new("bare", &[Field::new("label", "b.label", FieldType::Text)]).page_sizes(25, 50);

/// The SQL of an accepted query, placeholders from `$1`.
pub(super) fn sql(query: &str) -> SqlParts {
    match parse(&THINGS, query) {
        Ok(q) => q.to_sql(&THINGS, 1),
        Err(e) => panic!("{query:?} was refused: {e}"),
    }
}

/// WHERE and params of an accepted query.
pub(super) fn filter_sql(query: &str) -> (String, Vec<SqlValue>) {
    let parts = sql(query);
    (parts.where_sql, parts.params)
}

/// The error of a refused query.
pub(super) fn refused(query: &str) -> ListError {
    refused_by(&THINGS, query)
}

pub(super) fn refused_by(resource: &Resource, query: &str) -> ListError {
    match parse(resource, query) {
        Ok(q) => panic!("{query:?} was accepted: {q:?}"),
        Err(e) => e,
    }
}

pub(super) fn text(s: &str) -> SqlValue {
    SqlValue::Text(s.to_owned())
}

pub(super) fn texts(items: &[&str]) -> SqlValue {
    SqlValue::TextArray(items.iter().map(|s| (*s).to_owned()).collect())
}

#[test]
fn the_test_resources_are_well_declared() {
    assert_eq!(THINGS.check(), Ok(()));
    assert_eq!(BARE.check(), Ok(()));
}

#[test]
fn check_catches_mistakes_in_a_declaration() {
    static TWICE: Resource = Resource::new(
        "twice",
        &[
            Field::new("a", "a", FieldType::Int),
            Field::new("a", "b", FieldType::Int),
        ],
    );
    static BAD_SORT: Resource = Resource::new("bad", &[]).default_sort(&[("nope", Order::Asc)]);
    static NO_Q: Resource = Resource::new("noq", &[]).search("x @@ y");
    assert!(TWICE.check().is_err());
    assert!(BAD_SORT.check().is_err());
    assert!(NO_Q.check().is_err());
}
