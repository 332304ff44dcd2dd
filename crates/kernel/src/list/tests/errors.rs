//! Every refusal names the parameter at fault and says why; bounds keep inputs cheap.

use actix_web::http::StatusCode;

use super::{refused, refused_by, BARE};
use crate::list::ListError;
use crate::problem::Problem;

/// Asserts the query is refused for `param` with a message containing `message`.
fn assert_refused(query: &str, param: &str, message: &str) {
    let err = refused(query);
    assert_eq!(err.param, param, "param of {query}: {err}");
    assert!(err.message.contains(message), "message of {query}: {err}");
}

fn native(field: &str, op: &str, value: &str) -> String {
    format!("filters[0][field]={field}&filters[0][operator]={op}&filters[0][value]={value}")
}

#[test]
fn unknown_unfilterable_and_unsortable_fields() {
    assert_refused(
        &native("nope", "eq", "1"),
        "filters[0][field]",
        "unknown field \"nope\"",
    );
    assert_refused(
        &native("secret", "eq", "1"),
        "filters[0][field]",
        "\"secret\" cannot be filtered",
    );
    assert_refused(
        "sorters[0][field]=tags&sorters[0][order]=asc",
        "sorters[0][field]",
        "cannot be sorted",
    );
    assert_refused(
        "sorters[0][field]=nope&sorters[0][order]=asc",
        "sorters[0][field]",
        "unknown field",
    );
    assert_refused("nope=1", "nope", "unknown field \"nope\"");
    assert_refused("secret=1", "secret", "cannot be filtered");
    assert_refused("score_gt=1", "score_gt", "unknown field");
    assert_refused("_sort=tags", "_sort", "cannot be sorted");
    assert_refused("_sort=nope&_order=asc", "_sort", "unknown field");
}

#[test]
fn unknown_operators_and_operators_the_type_cannot_take() {
    assert_refused(
        &native("name", "like", "x"),
        "filters[0][operator]",
        "unknown operator \"like\"",
    );
    assert_refused(
        "filters[0][field]=name&filters[0][value]=x",
        "filters[0][operator]",
        "is required",
    );
    assert_refused(
        &native("score", "contains", "1"),
        "filters[0][operator]",
        "\"contains\" cannot be used on \"score\"",
    );
    assert_refused(
        &native("active", "lt", "true"),
        "filters[0][operator]",
        "cannot be used",
    );
    assert_refused(
        &native("tags", "between", "a"),
        "filters[0][operator]",
        "cannot be used",
    );
    assert_refused(
        &native("id", "startswith", "a"),
        "filters[0][operator]",
        "cannot be used",
    );
    assert_refused(
        "score_like=1",
        "score_like",
        "\"contains\" cannot be used on \"score\"",
    );
}

#[test]
fn values_of_the_wrong_type() {
    assert_refused(
        &native("score", "eq", "abc"),
        "filters[0][value]",
        "\"score\" expects an integer",
    );
    assert_refused(
        &native("score", "eq", "1.5"),
        "filters[0][value]",
        "expects an integer",
    );
    assert_refused(
        &native("ratio", "gt", "NaN"),
        "filters[0][value]",
        "expects a number",
    );
    assert_refused(
        &native("active", "eq", "yes"),
        "filters[0][value]",
        "true or false",
    );
    assert_refused(
        &native("id", "eq", "42"),
        "filters[0][value]",
        "expects a UUID",
    );
    assert_refused(
        &native("created_at", "gt", "2024-01-01"),
        "filters[0][value]",
        "RFC 3339",
    );
    assert_refused(
        &native("due_on", "gt", "2024-13-01"),
        "filters[0][value]",
        "YYYY-MM-DD",
    );
    assert_refused(
        &native("due_on", "gt", "2024-1-1"),
        "filters[0][value]",
        "YYYY-MM-DD",
    );
    assert_refused(
        "filters[0][field]=score&filters[0][operator]=in&filters[0][value][0]=1&filters[0][value][1]=x",
        "filters[0][value][1]",
        "expects an integer",
    );
    assert_refused("score_gte=x", "score_gte", "\"score\" expects an integer");
    assert_refused("id=1&id=2", "id", "expects a UUID");
}

#[test]
fn values_of_the_wrong_shape() {
    assert_refused(
        "filters[0][field]=score&filters[0][operator]=eq",
        "filters[0][value]",
        "requires a value",
    );
    assert_refused(
        "filters[0][field]=score&filters[0][operator]=eq&filters[0][value][0]=1",
        "filters[0][value]",
        "expects a single value",
    );
    assert_refused(
        &native("score", "between", "1"),
        "filters[0][value]",
        "exactly two values",
    );
    assert_refused(
        "filters[0][field]=score&filters[0][operator]=between&filters[0][value][0]=1&filters[0][value][1]=2&filters[0][value][2]=3",
        "filters[0][value]",
        "exactly two values",
    );
    assert_refused(
        "filters[0][operator]=or&filters[0][value]=x",
        "filters[0][value]",
        "list of filters",
    );
    assert_refused(
        "filters[0][field]=score",
        "filters[0][operator]",
        "is required",
    );
    assert_refused(
        "filters[0][operator]=eq&filters[0][value]=1",
        "filters[0][field]",
        "is required",
    );
    assert_refused("filters[x][field]=score", "filters[x]", "numeric index");
    assert_refused("filters=1", "filters", "nested parameters");
}

#[test]
fn unknown_and_malformed_parameters() {
    assert_refused(
        "filters[0][operator]=or&page=2",
        "page",
        "unknown parameter",
    );
    assert_refused(
        "pagination[page]=2",
        "pagination[page]",
        "unknown parameter",
    );
    assert_refused(
        &format!("{}&filters[0][bogus]=1", native("score", "eq", "1")),
        "filters[0][bogus]",
        "unknown parameter",
    );
    assert_refused(
        "sorters[0][field]=name&sorters[0][order]=asc&sorters[0][dir]=x",
        "sorters[0][dir]",
        "unknown parameter",
    );
    assert_refused(
        "filters[0][field=name",
        "filters[0][field",
        "malformed parameter name",
    );
    assert_refused("filters[0]x=1", "filters[0]x", "malformed");
    assert_refused("_page=2", "_page", "unknown parameter");
    assert_refused(
        "filters[0][field]=name&filters[0][field]=score",
        "filters[0][field]",
        "given more than once",
    );
    assert_refused(
        "filters[0][field]=name&filters[0][field][x]=1",
        "filters[0][field][x]",
        "conflicts",
    );
    assert_refused("_start=1&_start=2", "_start", "given more than once");
}

#[test]
fn bad_pages_and_orders() {
    assert_refused(
        "pagination[currentPage]=0",
        "pagination[currentPage]",
        "positive integer",
    );
    assert_refused(
        "pagination[currentPage]=abc",
        "pagination[currentPage]",
        "positive integer",
    );
    assert_refused(
        "pagination[current]=-1",
        "pagination[current]",
        "positive integer",
    );
    assert_refused(
        "pagination[currentPage]=99999999999",
        "pagination[currentPage]",
        "at most",
    );
    assert_refused(
        "pagination[pageSize]=0",
        "pagination[pageSize]",
        "positive integer",
    );
    assert_refused(
        "pagination[mode]=all",
        "pagination[mode]",
        "server, client or off",
    );
    assert_refused("_start=-1&_end=10", "_start", "non-negative");
    assert_refused("_start=10&_end=10", "_end", "greater than _start");
    assert_refused("_start=1&_end=x", "_end", "greater than _start");
    assert_refused(
        "sorters[0][field]=name&sorters[0][order]=up",
        "sorters[0][order]",
        "asc or desc",
    );
    assert_refused("sorters[0][field]=name", "sorters[0][order]", "is required");
    assert_refused("_sort=name&_order=up", "_order", "asc or desc");
    assert_refused(
        "_sort=name,score&_order=asc",
        "_order",
        "one order per _sort field",
    );
    assert_refused("_order=asc", "_order", "without _sort");
}

#[test]
fn search_on_a_resource_without_search() {
    let err = refused_by(&BARE, "q=hello");
    assert_eq!(
        (err.param.as_str(), err.message.as_str()),
        ("q", "full-text search is not available for bare")
    );
}

#[test]
fn bounds_are_enforced() {
    let long_key = format!("{}=1", "a".repeat(201));
    assert!(refused(&long_key).message.contains("at most 200"));
    assert_refused(
        &format!("name={}", "x".repeat(1001)),
        "name",
        "at most 1000",
    );
    let sorters: String = (0..11)
        .map(|i| format!("sorters[{i}][field]=name&sorters[{i}][order]=asc&"))
        .collect();
    assert_refused(&sorters, "sorters", "at most 10 sorters");
    let sort: Vec<&str> = vec!["name"; 11];
    assert_refused(&format!("_sort={}", sort.join(",")), "_sort", "at most 10");
    let leaves: String = (0..101)
        .map(|i| {
            format!("filters[{i}][field]=score&filters[{i}][operator]=eq&filters[{i}][value]=1&")
        })
        .collect();
    assert_refused(&leaves, "filters[100]", "at most 100 filters");
    let values: String = (0..1001)
        .map(|i| format!("filters[0][value][{i}]={i}&"))
        .collect();
    assert_refused(
        &format!("filters[0][field]=score&filters[0][operator]=in&{values}"),
        "filters[0][value]",
        "at most 1000 values",
    );
    let too_many: String = (0..2001).map(|i| format!("s{i}=1&")).collect();
    assert_refused(&too_many, "query", "at most 2000 parameters");
}

#[test]
fn nesting_deeper_than_six_levels_is_refused() {
    let mut prefix = "filters[0]".to_owned();
    let mut query = String::new();
    for _ in 0..6 {
        query.push_str(&format!("{prefix}[operator]=and&"));
        prefix.push_str("[value][0]");
    }
    let leaf = format!("{prefix}[field]=score&{prefix}[operator]=eq&{prefix}[value]=1");
    assert_refused(
        &format!("{query}{leaf}"),
        &format!(
            "{}[value]",
            "filters[0]".to_owned() + &"[value][0]".repeat(5)
        ),
        "at most 6 levels",
    );

    // Six levels (five groups and a condition) are fine.
    let mut prefix = "filters[0]".to_owned();
    let mut query = String::new();
    for _ in 0..5 {
        query.push_str(&format!("{prefix}[operator]=or&"));
        prefix.push_str("[value][0]");
    }
    query.push_str(&format!(
        "{prefix}[field]=score&{prefix}[operator]=eq&{prefix}[value]=1"
    ));
    assert_eq!(super::filter_sql(&query).0, "t.score = $1");
}

#[test]
fn a_list_error_becomes_a_400_problem_naming_the_parameter() {
    let problem = Problem::from(ListError {
        param: "filters[0][value]".into(),
        message: "\"score\" expects an integer".into(),
    });
    assert_eq!(problem.status_code(), StatusCode::BAD_REQUEST);
    assert_eq!(problem.code, "invalid_list_query");
    assert_eq!(
        problem.detail.as_deref(),
        Some("filters[0][value]: \"score\" expects an integer")
    );
    let errors = problem.errors.unwrap();
    assert_eq!(
        errors["filters[0][value]"],
        vec!["\"score\" expects an integer".to_owned()]
    );
}
