//! The wire format of `@refinedev/simple-rest` (json-server style): `_start`/`_end`,
//! `_sort`/`_order`, `field=v`, `field_ne`, `field_gte`, `field_lte`, `field_like`, `q`.
//!
//! A repeated `field=v` is `in` (Refine's `getMany` sends `id=1&id=2`), a repeated
//! `field_ne=v` is `nin`; repeated `_gte`/`_lte`/`_like` are each applied (AND).

use std::collections::HashMap;

use super::error::ListError;
use super::filter::{field_filter, Filter, Origin, RawItem, RawValue};
use super::operator::Operator;
use super::resource::{Order, Resource};
use super::{page, sorter, ListQuery, PaginationMode, MAX_LEAVES, MAX_SORTERS};

const SUFFIXES: [(&str, Operator); 4] = [
    ("_ne", Operator::Ne),
    ("_gte", Operator::Gte),
    ("_lte", Operator::Lte),
    ("_like", Operator::Contains),
];

pub(crate) fn parse<'a>(
    resource: &Resource,
    pairs: &'a [(String, String)],
) -> Result<ListQuery, ListError> {
    // Group values by key, keeping the order in which keys first appear.
    let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (key, value) in pairs {
        match index.get(key.as_str()) {
            Some(&i) => grouped[i].1.push(value),
            None => {
                index.insert(key, grouped.len());
                grouped.push((key, vec![value]));
            }
        }
    }
    let single = |key: &str| -> Result<Option<&str>, ListError> {
        match index.get(key).map(|&i| &grouped[i].1) {
            None => Ok(None),
            Some(values) if values.len() == 1 => Ok(Some(values[0])),
            Some(_) => Err(ListError::new(key, "given more than once")),
        }
    };

    let mut query = ListQuery::defaults(resource);
    query.pagination = pagination(resource, single("_start")?, single("_end")?)?;
    query.sorters = sorters(resource, single("_sort")?, single("_order")?)?;
    query.q = single("q")?.map(str::to_owned);

    let mut filters = Vec::new();
    for (key, values) in &grouped {
        if matches!(*key, "_start" | "_end" | "_sort" | "_order" | "q") {
            continue;
        }
        let (field, op) = field_and_operator(resource, key)?;
        let origin = Origin {
            field_param: key,
            op_param: key,
        };
        let item = |value: &&'a str| RawItem {
            param: (*key).to_owned(),
            value,
        };
        let repeated = values.len() > 1;
        match op {
            Operator::Eq | Operator::Ne if repeated => {
                let op = if op == Operator::Eq {
                    Operator::In
                } else {
                    Operator::Nin
                };
                let items = values.iter().map(item).collect();
                let raw = RawValue::List {
                    param: (*key).to_owned(),
                    items,
                };
                filters.push(field_filter(resource, field, op, raw, &origin)?);
            }
            _ => {
                for value in values {
                    let raw = RawValue::Scalar(item(value));
                    filters.push(field_filter(resource, field, op, raw, &origin)?);
                }
            }
        }
        if filters.len() > MAX_LEAVES {
            return Err(ListError::new(
                *key,
                format!("at most {MAX_LEAVES} filters are allowed"),
            ));
        }
    }
    query.filter = match filters.len() {
        0 => None,
        1 => filters.pop(),
        _ => Some(Filter::And(filters)),
    };
    Ok(query)
}

/// `created_at_gte` -> (`created_at`, gte); an exact field name wins over a suffix.
fn field_and_operator<'k>(
    resource: &Resource,
    key: &'k str,
) -> Result<(&'k str, Operator), ListError> {
    if resource.field(key).is_some() {
        return Ok((key, Operator::Eq));
    }
    SUFFIXES
        .iter()
        .find_map(|(suffix, op)| {
            key.strip_suffix(suffix)
                .filter(|field| resource.field(field).is_some())
                .map(|field| (field, *op))
        })
        .ok_or_else(|| {
            let message = if key.starts_with('_') {
                "unknown parameter".to_owned()
            } else {
                format!("unknown field \"{key}\"")
            };
            ListError::new(key, message)
        })
}

fn pagination(
    resource: &Resource,
    start: Option<&str>,
    end: Option<&str>,
) -> Result<super::Pagination, ListError> {
    let start_n = start
        .map(|v| {
            v.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| ListError::new("_start", "must be a non-negative integer"))
        })
        .transpose()?
        .unwrap_or(0);
    let size = end
        .map(|v| {
            v.parse::<i64>()
                .ok()
                .and_then(|end| end.checked_sub(start_n))
                .filter(|n| *n >= 1)
                .ok_or_else(|| ListError::new("_end", "must be an integer greater than _start"))
        })
        .transpose()?;
    let mut p = page(resource, PaginationMode::Server, None, size, "_start")?;
    p.offset = start_n;
    Ok(p)
}

fn sorters(
    resource: &Resource,
    sort: Option<&str>,
    order: Option<&str>,
) -> Result<Vec<super::Sorter>, ListError> {
    let sort = sort.filter(|s| !s.is_empty());
    let order = order.filter(|s| !s.is_empty());
    let Some(sort) = sort else {
        return match order {
            Some(_) => Err(ListError::new("_order", "given without _sort")),
            None => Ok(Vec::new()),
        };
    };
    let fields: Vec<&str> = sort.split(',').collect();
    if fields.len() > MAX_SORTERS {
        return Err(ListError::new(
            "_sort",
            format!("at most {MAX_SORTERS} sort fields are allowed"),
        ));
    }
    let orders: Vec<Option<Order>> = match order {
        None => vec![Some(Order::Asc); fields.len()],
        Some(order) => order.split(',').map(Order::parse).collect(),
    };
    if orders.len() != fields.len() {
        return Err(ListError::new("_order", "needs one order per _sort field"));
    }
    fields
        .into_iter()
        .zip(orders)
        .map(|(field, order)| {
            let order = order.ok_or_else(|| ListError::new("_order", "must be asc or desc"))?;
            sorter(resource, field, order, "_sort")
        })
        .collect()
}
