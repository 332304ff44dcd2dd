//! Refine's native encoding: `pagination[…]`, `sorters[i][…]` and `filters[i][…]` nested to
//! any depth, as Refine v5 writes them with `qs.stringify`.

use std::collections::BTreeMap;

use super::error::ListError;
use super::filter::{field_filter, Filter, Origin, RawItem, RawValue};
use super::operator::{AnyOperator, Operator};
use super::qs::{self, Node};
use super::resource::{Order, Resource};
use super::{
    page, positive_int, sorter, ListQuery, Pagination, PaginationMode, Sorter, MAX_DEPTH,
    MAX_LEAVES, MAX_SORTERS,
};

type Children<'n, 'a> = &'n BTreeMap<String, Node<'a>>;

pub(crate) fn parse(
    resource: &Resource,
    pairs: &[(String, String)],
) -> Result<ListQuery, ListError> {
    let tree = qs::tree(pairs)?;
    let mut query = ListQuery::defaults(resource);
    let mut leaves = 0;
    for (name, node) in &tree {
        match (name.as_str(), node) {
            ("pagination", Node::Map(children)) => {
                query.pagination = pagination(resource, children)?
            }
            ("sorters", Node::Map(children)) => query.sorters = sorters(resource, children)?,
            ("filters", Node::Map(children)) => {
                let mut all = Vec::new();
                for (param, node) in Node::items(children, "filters")? {
                    all.push(filter(resource, node, &param, 1, &mut leaves)?);
                }
                query.filter = match all.len() {
                    0 => None,
                    1 => all.pop(),
                    _ => Some(Filter::And(all)),
                };
            }
            ("q", Node::Leaf(q)) => query.q = Some((*q).to_owned()),
            ("pagination" | "sorters" | "filters", Node::Leaf(_)) => {
                return Err(ListError::new(name.as_str(), "expected nested parameters"))
            }
            _ => return Err(ListError::new(param_name(name, node), "unknown parameter")),
        }
    }
    Ok(query)
}

/// The first full parameter name under an unknown top-level name (for the error).
fn param_name(name: &str, node: &Node<'_>) -> String {
    let mut param = name.to_owned();
    let mut node = node;
    while let Node::Map(children) = node {
        match children.iter().next() {
            Some((key, child)) => {
                param = format!("{param}[{key}]");
                node = child;
            }
            None => break,
        }
    }
    param
}

fn leaf<'a>(
    children: Children<'_, 'a>,
    key: &str,
    param: &str,
) -> Result<Option<&'a str>, ListError> {
    match children.get(key) {
        None => Ok(None),
        Some(Node::Leaf(v)) => Ok(Some(*v)),
        Some(Node::Map(_)) => Err(ListError::new(
            format!("{param}[{key}]"),
            "expected a single value",
        )),
    }
}

fn only_keys(children: Children<'_, '_>, allowed: &[&str], param: &str) -> Result<(), ListError> {
    match children.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err(ListError::new(
            format!("{param}[{key}]"),
            "unknown parameter",
        )),
        None => Ok(()),
    }
}

fn pagination(resource: &Resource, children: Children<'_, '_>) -> Result<Pagination, ListError> {
    const P: &str = "pagination";
    only_keys(children, &["currentPage", "current", "pageSize", "mode"], P)?;
    let mode = match leaf(children, "mode", P)? {
        None | Some("server") => PaginationMode::Server,
        Some("client") => PaginationMode::Client,
        Some("off") => PaginationMode::Off,
        Some(_) => {
            return Err(ListError::new(
                "pagination[mode]",
                "must be server, client or off",
            ))
        }
    };
    let (page_param, current) = match leaf(children, "currentPage", P)? {
        Some(v) => ("pagination[currentPage]", Some(v)),
        None => ("pagination[current]", leaf(children, "current", P)?),
    };
    let current = current.map(|v| positive_int(page_param, v)).transpose()?;
    let size = leaf(children, "pageSize", P)?
        .map(|v| positive_int("pagination[pageSize]", v))
        .transpose()?;
    page(resource, mode, current, size, page_param)
}

fn sorters(resource: &Resource, children: Children<'_, '_>) -> Result<Vec<Sorter>, ListError> {
    let items = Node::items(children, "sorters")?;
    if items.len() > MAX_SORTERS {
        return Err(ListError::new(
            "sorters",
            format!("at most {MAX_SORTERS} sorters are allowed"),
        ));
    }
    items
        .into_iter()
        .map(|(param, node)| {
            let Node::Map(children) = node else {
                return Err(ListError::new(param, "expected [field] and [order]"));
            };
            only_keys(children, &["field", "order"], &param)?;
            let field_param = format!("{param}[field]");
            let order_param = format!("{param}[order]");
            let field = leaf(children, "field", &param)?
                .ok_or_else(|| ListError::new(field_param.as_str(), "is required"))?;
            let order = leaf(children, "order", &param)?
                .ok_or_else(|| ListError::new(order_param.as_str(), "is required"))?;
            let order = Order::parse(order)
                .ok_or_else(|| ListError::new(order_param.as_str(), "must be asc or desc"))?;
            sorter(resource, field, order, &field_param)
        })
        .collect()
}

/// One entry of a filter list; `depth` is 1 at the top level.
fn filter(
    resource: &Resource,
    node: &Node<'_>,
    param: &str,
    depth: usize,
    leaves: &mut usize,
) -> Result<Filter, ListError> {
    let Node::Map(children) = node else {
        return Err(ListError::new(
            param,
            "expected [field], [operator] and [value]",
        ));
    };
    let op_param = format!("{param}[operator]");
    let value_param = format!("{param}[value]");
    let op_name = leaf(children, "operator", param)?
        .ok_or_else(|| ListError::new(op_param.as_str(), "is required"))?;
    let op = Operator::parse(op_name).ok_or_else(|| {
        ListError::new(op_param.as_str(), format!("unknown operator \"{op_name}\""))
    })?;
    let op = match op {
        AnyOperator::Field(op) => op,
        AnyOperator::Or | AnyOperator::And => {
            only_keys(children, &["operator", "value", "key"], param)?;
            if depth >= MAX_DEPTH {
                return Err(ListError::new(
                    value_param,
                    format!("filters may be nested at most {MAX_DEPTH} levels deep"),
                ));
            }
            let nested = match children.get("value") {
                None => Vec::new(),
                Some(Node::Leaf(_)) => {
                    return Err(ListError::new(value_param, "expected a list of filters"))
                }
                Some(Node::Map(items)) => Node::items(items, &value_param)?
                    .into_iter()
                    .map(|(p, n)| filter(resource, n, &p, depth + 1, leaves))
                    .collect::<Result<Vec<_>, _>>()?,
            };
            return Ok(if op == AnyOperator::Or {
                Filter::Or(nested)
            } else {
                Filter::And(nested)
            });
        }
    };
    only_keys(children, &["field", "operator", "value"], param)?;
    *leaves += 1;
    if *leaves > MAX_LEAVES {
        return Err(ListError::new(
            param,
            format!("at most {MAX_LEAVES} filters are allowed"),
        ));
    }
    let field_param = format!("{param}[field]");
    let field = leaf(children, "field", param)?
        .ok_or_else(|| ListError::new(field_param.as_str(), "is required"))?;
    let value = match children.get("value") {
        None => RawValue::Absent { param: value_param },
        Some(Node::Leaf(v)) => RawValue::Scalar(RawItem {
            param: value_param,
            value: v,
        }),
        Some(Node::Map(items)) => {
            let items = Node::items(items, &value_param)?
                .into_iter()
                .map(|(param, node)| match node {
                    Node::Leaf(value) => Ok(RawItem { param, value }),
                    Node::Map(_) => Err(ListError::new(param, "expected a single value")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            RawValue::List {
                param: value_param,
                items,
            }
        }
    };
    let origin = Origin {
        field_param: &field_param,
        op_param: &op_param,
    };
    field_filter(resource, field, op, value, &origin)
}
