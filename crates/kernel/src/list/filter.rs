//! The filter tree and how one field condition is checked against the allow-list and typed.
//!
//! Both wire encodings reduce a condition to (field, operator, raw value) and call
//! [`field_filter`], so the rules (filterable, operator valid for the type, value converted to
//! the field's type) live in one place.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::error::ListError;
use super::operator::{Arity, Operator};
use super::resource::{FieldType, Resource};
use super::sql::SqlValue;
use super::MAX_IN_ITEMS;

/// A filter tree. The top-level list of filters of a request is an implicit `And`.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Field {
        /// The API name of an allow-listed field.
        field: String,
        op: Operator,
        value: FilterValue,
    },
    /// All children hold. An empty group is ignored.
    And(Vec<Filter>),
    /// At least one child holds. An empty group is ignored (Refine sends empty groups for
    /// filters the user has not filled in), also inside another group.
    Or(Vec<Filter>),
}

/// A value already converted to its field's type (scalar [`SqlValue`] variants only; the
/// element type of a `TextArray` field is `Text`).
#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    /// `null` / `nnull`.
    None,
    One(SqlValue),
    /// `between` / `nbetween`.
    Two(SqlValue, SqlValue),
    /// `in` / `nin` / `ina` / `nina`.
    Many(Vec<SqlValue>),
}

impl Filter {
    /// How many field conditions the tree holds.
    pub fn leaves(&self) -> usize {
        match self {
            Filter::Field { .. } => 1,
            Filter::And(children) | Filter::Or(children) => {
                children.iter().map(Filter::leaves).sum()
            }
        }
    }
}

/// One raw value as sent, with the parameter that carried it (for error messages).
#[derive(Debug, Clone)]
pub(crate) struct RawItem<'a> {
    pub param: String,
    pub value: &'a str,
}

/// The raw value of a condition, before typing.
#[derive(Debug, Clone)]
pub(crate) enum RawValue<'a> {
    /// No value parameter at all; `param` is where it was expected.
    Absent {
        param: String,
    },
    Scalar(RawItem<'a>),
    List {
        param: String,
        items: Vec<RawItem<'a>>,
    },
}

/// Where a condition came from, for error messages.
pub(crate) struct Origin<'p> {
    pub field_param: &'p str,
    pub op_param: &'p str,
}

/// Checks one condition against the allow-list and converts its value.
pub(crate) fn field_filter(
    resource: &Resource,
    field_name: &str,
    op: Operator,
    value: RawValue<'_>,
    origin: &Origin<'_>,
) -> Result<Filter, ListError> {
    let field = resource.field(field_name).ok_or_else(|| {
        ListError::new(
            origin.field_param,
            format!("unknown field \"{field_name}\""),
        )
    })?;
    if !field.filterable {
        return Err(ListError::new(
            origin.field_param,
            format!("\"{field_name}\" cannot be filtered"),
        ));
    }
    if !op.accepts(field.ty) {
        return Err(ListError::new(
            origin.op_param,
            format!("operator \"{op}\" cannot be used on \"{field_name}\""),
        ));
    }
    let typed = |item: &RawItem<'_>| convert(field_name, field.ty, item);
    let value = match (op.arity(), value) {
        (Arity::None, _) => FilterValue::None,
        (Arity::One, RawValue::Scalar(item)) => FilterValue::One(typed(&item)?),
        (Arity::Many, RawValue::Scalar(item)) => FilterValue::Many(vec![typed(&item)?]),
        (Arity::Many, RawValue::Absent { .. }) => FilterValue::Many(Vec::new()),
        (Arity::Many, RawValue::List { param, items }) => {
            if items.len() > MAX_IN_ITEMS {
                return Err(ListError::new(
                    param,
                    format!("at most {MAX_IN_ITEMS} values are allowed"),
                ));
            }
            FilterValue::Many(items.iter().map(typed).collect::<Result<_, _>>()?)
        }
        (Arity::Two, RawValue::List { items, .. }) if items.len() == 2 => {
            FilterValue::Two(typed(&items[0])?, typed(&items[1])?)
        }
        (Arity::Two, RawValue::List { param, .. } | RawValue::Absent { param })
        | (Arity::Two, RawValue::Scalar(RawItem { param, .. })) => {
            return Err(ListError::new(
                param,
                format!("operator \"{op}\" expects exactly two values"),
            ))
        }
        (Arity::One, RawValue::Absent { param }) => {
            return Err(ListError::new(
                param,
                format!("operator \"{op}\" requires a value"),
            ))
        }
        (Arity::One, RawValue::List { param, .. }) => {
            return Err(ListError::new(
                param,
                format!("operator \"{op}\" expects a single value"),
            ))
        }
    };
    Ok(Filter::Field {
        field: field.name.to_owned(),
        op,
        value,
    })
}

/// Converts one raw value to the field's (element) type.
fn convert(field: &str, ty: FieldType, item: &RawItem<'_>) -> Result<SqlValue, ListError> {
    let v = item.value;
    let converted = match ty {
        FieldType::Text | FieldType::TextArray => Some(SqlValue::Text(v.to_owned())),
        FieldType::Uuid => Uuid::try_parse(v).ok().map(SqlValue::Uuid),
        FieldType::Int => v.parse::<i64>().ok().map(SqlValue::Int),
        FieldType::Float => v
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(SqlValue::Float),
        FieldType::Bool => match v {
            "true" | "1" => Some(SqlValue::Bool(true)),
            "false" | "0" => Some(SqlValue::Bool(false)),
            _ => None,
        },
        FieldType::Timestamp => DateTime::parse_from_rfc3339(v)
            .ok()
            .map(|t| SqlValue::Timestamp(t.with_timezone(&Utc))),
        FieldType::Date => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .ok()
            .filter(|_| v.len() == 10)
            .map(SqlValue::Date),
    };
    converted.ok_or_else(|| {
        ListError::new(
            item.param.clone(),
            format!("\"{field}\" expects {}", ty.expectation()),
        )
    })
}
