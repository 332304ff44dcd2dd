//! Refine's list protocol: one parser for both wire encodings, checked against a per-resource
//! allow-list and turned into parameterised PostgreSQL.
//!
//! A list endpoint does three things:
//!
//! ```ignore
//! let query = list::parse(&LEADS, req.query_string())?; // ListError -> 400 Problem
//! let parts = query.to_sql(&LEADS, 1);
//! let select = "SELECT l.id, l.email FROM leads l";
//! let (items, total) = list::fetch_page::<LeadRow>(&mut *tx, select, None, &parts).await?;
//! Ok(ListPage { items, total }) // JSON array + X-Total-Count
//! ```
//!
//! A slice writing its own query uses `parts.where_sql`, `parts.order_limit_sql()` and
//! `parts.add_to(&mut args)` (with `to_sql(&R, n + 1)` after its own `n` parameters).
//!
//! **Encodings.** If any key is `pagination…`, `sorters…` or `filters…` the query is read as
//! Refine's native `qs` encoding (`native.rs`: `pagination[currentPage]`, `sorters[i][field]`,
//! `filters[i][operator]`, nested `or`/`and` to any depth); otherwise as the wire format of
//! `@refinedev/simple-rest` (`simple_rest.rs`: `_start`, `_end`, `_sort`, `_order`,
//! `field`, `field_ne`, `field_gte`, `field_lte`, `field_like`). Both accept `q` for the
//! resource's full-text search. An empty query is the first page in the default order.
//!
//! **Decisions.**
//! - A page size above the resource's `max_page_size` is capped silently (Refine's UI offers
//!   page sizes the server may not want; a short page is a better answer than an error).
//!   A page size or page number that is not a positive integer is a 400.
//! - `pagination[mode]=client|off` returns the first `max_page_size` rows: "all rows" is never
//!   unbounded.
//! - Negated operators keep rows whose column is NULL (`ne` is `IS DISTINCT FROM`, and so on).
//! - An `or`/`and` group with no conditions is ignored (Refine sends such groups for
//!   filters the user has not filled in).
//! - `q` on a resource without search, an unknown parameter, an unknown/unsortable/unfilterable
//!   field, an operator the field's type does not support, or a value of the wrong type are all
//!   a [`ListError`] naming the parameter. Nothing is silently ignored except page-size caps.
//! - Every input is bounded (see the `MAX_*` constants) so no query string is expensive.

mod error;
mod fetch;
mod filter;
mod native;
mod operator;
mod qs;
mod resource;
mod respond;
mod response;
mod simple_rest;
mod sql;

#[cfg(test)]
mod tests;

pub use error::ListError;
pub use fetch::{fetch_page, fetch_page_counted, fetch_page_with, Counted, Totals};
pub use filter::{Filter, FilterValue};
pub use operator::Operator;
pub use resource::{Field, FieldType, Order, Resource};
pub use respond::Listing;
pub use response::{ListPage, TOTAL_COUNT_HEADER};
pub use sql::{SqlParts, SqlValue};

/// Longest accepted parameter name, in characters.
pub const MAX_KEY_LEN: usize = 200;
/// Longest accepted parameter value, in characters.
pub const MAX_VALUE_LEN: usize = 1000;
/// Most `key=value` pairs in one query string.
pub const MAX_PARAMS: usize = 2000;
/// Deepest nesting of `or`/`and` groups (a top-level filter is at depth 1).
pub const MAX_DEPTH: usize = 6;
/// Most field conditions in one query.
pub const MAX_LEAVES: usize = 100;
/// Most sort fields.
pub const MAX_SORTERS: usize = 10;
/// Most values in one `in`/`nin` list.
pub const MAX_IN_ITEMS: usize = 1000;
/// Largest accepted page number, so offsets stay far from overflow.
const MAX_PAGE: i64 = 1_000_000_000;

/// A validated list request.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub pagination: Pagination,
    /// As requested; empty means the resource's default sort.
    pub sorters: Vec<Sorter>,
    pub filter: Option<Filter>,
    /// Full-text search text (never empty).
    pub q: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    pub offset: i64,
    pub limit: i64,
    pub mode: PaginationMode,
}

/// Refine's `pagination.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaginationMode {
    Server,
    Client,
    Off,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sorter {
    /// The API name of an allow-listed, sortable field.
    pub field: String,
    pub order: Order,
}

/// Parses a raw query string (with or without the leading `?`) for `resource`.
pub fn parse(resource: &Resource, raw_query: &str) -> Result<ListQuery, ListError> {
    let raw = raw_query.strip_prefix('?').unwrap_or(raw_query);
    let mut pairs = Vec::new();
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        if pairs.len() == MAX_PARAMS {
            return Err(ListError::new(
                "query",
                format!("at most {MAX_PARAMS} parameters are allowed"),
            ));
        }
        if key.chars().count() > MAX_KEY_LEN {
            let start: String = key.chars().take(40).collect();
            return Err(ListError::new(
                format!("{start}…"),
                format!("parameter names are at most {MAX_KEY_LEN} characters"),
            ));
        }
        // PostgreSQL text cannot hold NUL: refused here, or binding it would be a 500.
        if key.contains('\0') || value.contains('\0') {
            return Err(ListError::new(
                key.replace('\0', "\\0"),
                "must not contain NUL characters",
            ));
        }
        if value.chars().count() > MAX_VALUE_LEN {
            return Err(ListError::new(
                key.into_owned(),
                format!("values are at most {MAX_VALUE_LEN} characters"),
            ));
        }
        pairs.push((key.into_owned(), value.into_owned()));
    }
    let native = pairs.iter().any(|(key, _)| is_native_key(key));
    let mut query = if native {
        native::parse(resource, &pairs)?
    } else {
        simple_rest::parse(resource, &pairs)?
    };
    query.q = query.q.filter(|q| !q.trim().is_empty());
    if query.q.is_some() && resource.search.is_none() {
        return Err(ListError::new(
            "q",
            format!("full-text search is not available for {}", resource.name),
        ));
    }
    Ok(query)
}

fn is_native_key(key: &str) -> bool {
    ["pagination", "sorters", "filters"].iter().any(|name| {
        key.strip_prefix(name)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
    })
}

impl ListQuery {
    /// The first page in the default order, no filter.
    pub fn defaults(resource: &Resource) -> Self {
        Self {
            pagination: Pagination {
                offset: 0,
                limit: i64::from(
                    resource
                        .default_page_size
                        .clamp(1, resource.max_page_size.max(1)),
                ),
                mode: PaginationMode::Server,
            },
            sorters: Vec::new(),
            filter: None,
            q: None,
        }
    }
}

/// A 1-based page of `size` rows (defaults and cap from `resource`).
fn page(
    resource: &Resource,
    mode: PaginationMode,
    current: Option<i64>,
    size: Option<i64>,
    page_param: &str,
) -> Result<Pagination, ListError> {
    let max = i64::from(resource.max_page_size.max(1));
    if mode != PaginationMode::Server {
        return Ok(Pagination {
            offset: 0,
            limit: max,
            mode,
        });
    }
    let limit = size
        .unwrap_or(i64::from(resource.default_page_size))
        .clamp(1, max);
    let current = current.unwrap_or(1);
    if current > MAX_PAGE {
        return Err(ListError::new(
            page_param,
            format!("must be at most {MAX_PAGE}"),
        ));
    }
    Ok(Pagination {
        offset: (current - 1) * limit,
        limit,
        mode,
    })
}

/// Parses a strictly positive integer parameter.
fn positive_int(param: &str, value: &str) -> Result<i64, ListError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ListError::new(param, "must be a positive integer"))
}

/// Checks a sort field against the allow-list.
fn sorter(
    resource: &Resource,
    field: &str,
    order: Order,
    param: &str,
) -> Result<Sorter, ListError> {
    match resource.field(field) {
        None => Err(ListError::new(param, format!("unknown field \"{field}\""))),
        Some(f) if !f.sortable => Err(ListError::new(
            param,
            format!("\"{field}\" cannot be sorted"),
        )),
        Some(f) => Ok(Sorter {
            field: f.name.to_owned(),
            order,
        }),
    }
}
