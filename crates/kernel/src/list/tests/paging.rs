//! Pagination and sorting in both encodings: defaults, caps, modes, stable tiebreak.

use super::{sql, BARE, THINGS};
use crate::list::{parse, Order, PaginationMode, Sorter};

fn page(query: &str) -> (i64, i64) {
    let parts = sql(query);
    (parts.offset, parts.limit)
}

#[test]
fn an_empty_query_is_the_first_page_in_the_default_order() {
    let q = parse(&THINGS, "").unwrap();
    assert_eq!(q.pagination.mode, PaginationMode::Server);
    assert_eq!((q.pagination.offset, q.pagination.limit), (0, 10));
    let parts = q.to_sql(&THINGS, 1);
    assert_eq!(parts.where_sql, "TRUE");
    assert_eq!(parts.order_sql, "t.created_at DESC, t.id ASC");
    assert!(parts.params.is_empty());
    assert_eq!(parse(&THINGS, "?").unwrap(), q);
}

#[test]
fn a_resource_without_id_or_default_sort_has_no_order() {
    let parts = parse(&BARE, "").unwrap().to_sql(&BARE, 1);
    assert_eq!(parts.order_sql, "");
    assert_eq!(parts.limit, 25);
    assert_eq!(parts.order_limit_sql(), "LIMIT 25 OFFSET 0");
}

#[test]
fn native_pages_are_one_based() {
    assert_eq!(
        page("pagination[currentPage]=3&pagination[pageSize]=20"),
        (40, 20)
    );
    assert_eq!(page("pagination[current]=2"), (10, 10));
    assert_eq!(page("pagination[pageSize]=5"), (0, 5));
    assert_eq!(
        page("pagination[mode]=server&pagination[currentPage]=1"),
        (0, 10)
    );
}

#[test]
fn native_page_size_is_capped_at_the_maximum() {
    assert_eq!(
        page("pagination[currentPage]=2&pagination[pageSize]=5000"),
        (200, 200)
    );
    let q = parse(&BARE, "pagination[pageSize]=51").unwrap();
    assert_eq!(q.pagination.limit, 50);
}

#[test]
fn client_and_off_modes_return_the_first_max_page() {
    for mode in ["client", "off"] {
        let q = parse(
            &THINGS,
            &format!("pagination[mode]={mode}&pagination[currentPage]=4"),
        )
        .unwrap();
        assert_eq!(
            (q.pagination.offset, q.pagination.limit),
            (0, 200),
            "{mode}"
        );
    }
    let q = parse(&THINGS, "pagination[mode]=off").unwrap();
    assert_eq!(q.pagination.mode, PaginationMode::Off);
}

#[test]
fn simple_rest_pages_are_start_and_end() {
    assert_eq!(page("_start=20&_end=30"), (20, 10));
    assert_eq!(page("_start=0&_end=1000"), (0, 200));
    assert_eq!(page("_start=15"), (15, 10));
    assert_eq!(page("_end=4"), (0, 4));
}

#[test]
fn native_sorters_keep_their_order_and_end_with_the_id() {
    let q = parse(
        &THINGS,
        "sorters[1][field]=name&sorters[1][order]=asc&sorters[0][field]=score&sorters[0][order]=desc",
    )
    .unwrap();
    assert_eq!(
        q.sorters,
        vec![
            Sorter {
                field: "score".into(),
                order: Order::Desc
            },
            Sorter {
                field: "name".into(),
                order: Order::Asc
            },
        ]
    );
    assert_eq!(
        q.to_sql(&THINGS, 1).order_sql,
        "t.score DESC, t.name ASC, t.id ASC"
    );
}

#[test]
fn sorting_on_the_id_needs_no_tiebreak() {
    assert_eq!(
        sql("sorters[0][field]=id&sorters[0][order]=desc").order_sql,
        "t.id DESC"
    );
}

#[test]
fn the_sql_tail_combines_order_and_page() {
    let parts = sql("pagination[currentPage]=2&pagination[pageSize]=3&sorters[0][field]=score&sorters[0][order]=asc");
    assert_eq!(
        parts.order_limit_sql(),
        "ORDER BY t.score ASC, t.id ASC LIMIT 3 OFFSET 3"
    );
}
