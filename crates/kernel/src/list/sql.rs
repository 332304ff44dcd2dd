//! The SQL builder: a validated [`ListQuery`] becomes a WHERE clause, an ORDER BY, a page
//! and the values for its placeholders.
//!
//! Column names come only from the allow-list; every client value is a placeholder. Negated
//! operators are NULL-safe: a row whose column is NULL is kept by `ne`, `nin`, `nbetween` and
//! the `n…` pattern operators, because NULL is not equal to, in, between or like the value.
//!
//! Case-insensitive comparisons use `kernel_lower`, a LEAKPROOF alias of `lower` (see the
//! migration `kernel_list_counts`): under row-level security only leakproof conditions can use
//! an index, so `lower(column)` would read every row of the tenant.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::PgArguments;
use sqlx::Arguments;
use uuid::Uuid;

use super::filter::{Filter, FilterValue};
use super::operator::Operator;
use super::resource::{Field, FieldType, Resource};
use super::ListQuery;

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Text(String),
    TextArray(Vec<String>),
    Uuid(Uuid),
    UuidArray(Vec<Uuid>),
    Int(i64),
    IntArray(Vec<i64>),
    Float(f64),
    FloatArray(Vec<f64>),
    Bool(bool),
    BoolArray(Vec<bool>),
    Timestamp(DateTime<Utc>),
    TimestampArray(Vec<DateTime<Utc>>),
    Date(NaiveDate),
    DateArray(Vec<NaiveDate>),
}

/// The SQL pieces of one list request.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlParts {
    /// A boolean expression; `TRUE` when there is no filter and no search.
    pub where_sql: String,
    /// `c1 ASC, c2 DESC`, ending with `id ASC` when the resource has an `id` field not already
    /// sorted on (a stable order makes pages disjoint). Empty only if there is nothing to sort by.
    pub order_sql: String,
    pub limit: i64,
    pub offset: i64,
    /// The values of placeholders `$first..`, in order.
    pub params: Vec<SqlValue>,
}

impl SqlParts {
    /// Binds [`params`](Self::params) after whatever `args` already holds.
    pub fn add_to(&self, args: &mut PgArguments) -> Result<(), sqlx::error::BoxDynError> {
        for value in &self.params {
            match value.clone() {
                SqlValue::Text(v) => args.add(v)?,
                SqlValue::TextArray(v) => args.add(v)?,
                SqlValue::Uuid(v) => args.add(v)?,
                SqlValue::UuidArray(v) => args.add(v)?,
                SqlValue::Int(v) => args.add(v)?,
                SqlValue::IntArray(v) => args.add(v)?,
                SqlValue::Float(v) => args.add(v)?,
                SqlValue::FloatArray(v) => args.add(v)?,
                SqlValue::Bool(v) => args.add(v)?,
                SqlValue::BoolArray(v) => args.add(v)?,
                SqlValue::Timestamp(v) => args.add(v)?,
                SqlValue::TimestampArray(v) => args.add(v)?,
                SqlValue::Date(v) => args.add(v)?,
                SqlValue::DateArray(v) => args.add(v)?,
            }
        }
        Ok(())
    }

    /// Fresh arguments holding only [`params`](Self::params) (for `first_placeholder == 1`).
    pub fn arguments(&self) -> Result<PgArguments, sqlx::error::BoxDynError> {
        let mut args = PgArguments::default();
        self.add_to(&mut args)?;
        Ok(args)
    }

    /// `ORDER BY … LIMIT n OFFSET m`, to append after a WHERE clause.
    pub fn order_limit_sql(&self) -> String {
        let page = format!("LIMIT {} OFFSET {}", self.limit, self.offset);
        if self.order_sql.is_empty() {
            page
        } else {
            format!("ORDER BY {} {page}", self.order_sql)
        }
    }
}

impl ListQuery {
    /// The SQL for this query, numbering placeholders from `first_placeholder` (at least 1)
    /// so a slice can bind its own parameters first. Fields are looked up again in
    /// `resource`; a field it does not know (only possible for a hand-built query) matches
    /// nothing and is not sorted on.
    pub fn to_sql(&self, resource: &Resource, first_placeholder: usize) -> SqlParts {
        let mut b = Builder {
            resource,
            first: first_placeholder.max(1),
            params: Vec::new(),
        };
        let mut conditions = Vec::new();
        if let Some(filter) = &self.filter {
            let sql = b.filter(filter);
            if sql != "TRUE" {
                conditions.push(sql);
            }
        }
        if let (Some(q), Some(search)) = (&self.q, resource.search) {
            if search.contains("$q") {
                let p = b.bind(SqlValue::Text(q.clone()));
                conditions.push(format!("({})", search.replace("$q", &p)));
            }
        }
        let where_sql = if conditions.is_empty() {
            "TRUE".to_owned()
        } else {
            conditions.join(" AND ")
        };
        SqlParts {
            where_sql,
            order_sql: self.order_sql(resource),
            limit: self.pagination.limit,
            offset: self.pagination.offset,
            params: b.params,
        }
    }

    fn order_sql(&self, resource: &Resource) -> String {
        let requested: Vec<(&str, _)> = if self.sorters.is_empty() {
            resource.default_sort.to_vec()
        } else {
            self.sorters
                .iter()
                .map(|s| (s.field.as_str(), s.order))
                .collect()
        };
        let mut terms = Vec::new();
        let mut has_id = false;
        for (name, order) in requested {
            if let Some(field) = resource.field(name) {
                has_id |= field.name == "id";
                terms.push(format!("{} {}", field.column, order.sql()));
            }
        }
        if let (false, Some(id)) = (has_id, resource.field("id")) {
            terms.push(format!("{} ASC", id.column));
        }
        terms.join(", ")
    }
}

struct Builder<'r> {
    resource: &'r Resource,
    first: usize,
    params: Vec<SqlValue>,
}

impl Builder<'_> {
    fn bind(&mut self, value: SqlValue) -> String {
        self.params.push(value);
        format!("${}", self.first + self.params.len() - 1)
    }

    fn filter(&mut self, filter: &Filter) -> String {
        match filter {
            Filter::And(children) => self.group(children, " AND "),
            Filter::Or(children) => self.group(children, " OR "),
            Filter::Field { field, op, value } => match self.resource.field(field) {
                Some(field) => self.condition(field, *op, value),
                None => "FALSE".to_owned(),
            },
        }
    }

    fn group(&mut self, children: &[Filter], separator: &str) -> String {
        let parts: Vec<String> = children
            .iter()
            .map(|c| self.filter(c))
            .filter(|sql| sql != "TRUE")
            .collect();
        match parts.len() {
            0 => "TRUE".to_owned(),
            1 => parts.concat(),
            _ => format!("({})", parts.join(separator)),
        }
    }

    fn condition(&mut self, field: &Field, op: Operator, value: &FilterValue) -> String {
        use Operator::*;
        let c = field.column;
        let is_text = field.ty == FieldType::Text;
        let is_array = field.ty == FieldType::TextArray;
        let negated = matches!(op, Ne | Nes | Nin | Nina | Nbetween);
        let positive = match (op, value) {
            (Null, _) => return format!("{c} IS NULL"),
            (Nnull, _) => return format!("{c} IS NOT NULL"),
            (Eq | Ne | Eqs | Nes, FilterValue::One(v)) => {
                let p = self.bind(v.clone());
                if is_array {
                    format!("{p} = ANY({c})")
                } else if is_text && op == Eq {
                    return format!("kernel_lower({c}) = kernel_lower({p})");
                } else if is_text && op == Ne {
                    return format!("kernel_lower({c}) IS DISTINCT FROM kernel_lower({p})");
                } else if negated {
                    return format!("{c} IS DISTINCT FROM {p}");
                } else {
                    format!("{c} = {p}")
                }
            }
            (Lt | Gt | Lte | Gte, FilterValue::One(v)) => {
                let sign = match op {
                    Lt => "<",
                    Gt => ">",
                    Lte => "<=",
                    _ => ">=",
                };
                return format!("{c} {sign} {}", self.bind(v.clone()));
            }
            (In | Nin | Ina | Nina, FilterValue::Many(vs)) => {
                if is_array {
                    format!("{c} && {}", self.bind(array(FieldType::Text, vs, false)))
                } else if is_text && matches!(op, In | Nin) {
                    let p = self.bind(array(FieldType::Text, vs, true));
                    format!("kernel_lower({c}) = ANY({p})")
                } else {
                    format!("{c} = ANY({})", self.bind(array(field.ty, vs, false)))
                }
            }
            (Between | Nbetween, FilterValue::Two(a, b)) => {
                let (a, b) = (self.bind(a.clone()), self.bind(b.clone()));
                format!("{c} BETWEEN {a} AND {b}")
            }
            (_, FilterValue::One(SqlValue::Text(text))) => match op.pattern() {
                Some((case_sensitive, negated, lead, trail)) => {
                    let like = if case_sensitive { "LIKE" } else { "ILIKE" };
                    let p = self.bind(SqlValue::Text(like_pattern(text, lead, trail)));
                    return if negated {
                        format!("coalesce({c}, '') NOT {like} {p} ESCAPE '\\'")
                    } else {
                        format!("{c} {like} {p} ESCAPE '\\'")
                    };
                }
                None => return "FALSE".to_owned(),
            },
            _ => return "FALSE".to_owned(),
        };
        if negated {
            format!("NOT coalesce({positive}, false)")
        } else {
            positive
        }
    }
}

/// An array parameter of the given element type (lower-cased for case-insensitive text).
fn array(ty: FieldType, values: &[SqlValue], lower: bool) -> SqlValue {
    macro_rules! collect {
        ($variant:ident, $array:ident) => {
            SqlValue::$array(
                values
                    .iter()
                    .filter_map(|v| match v {
                        SqlValue::$variant(x) => Some(x.clone()),
                        _ => None,
                    })
                    .collect(),
            )
        };
    }
    match ty {
        FieldType::Text | FieldType::TextArray => SqlValue::TextArray(
            values
                .iter()
                .filter_map(|v| match v {
                    SqlValue::Text(s) if lower => Some(s.to_lowercase()),
                    SqlValue::Text(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
        ),
        FieldType::Uuid => collect!(Uuid, UuidArray),
        FieldType::Int => collect!(Int, IntArray),
        FieldType::Float => collect!(Float, FloatArray),
        FieldType::Bool => collect!(Bool, BoolArray),
        FieldType::Timestamp => collect!(Timestamp, TimestampArray),
        FieldType::Date => collect!(Date, DateArray),
    }
}

/// Escapes `\`, `%` and `_` (for `ESCAPE '\'`) and adds the wildcards.
fn like_pattern(text: &str, lead: bool, trail: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    if lead {
        out.push('%');
    }
    for ch in text.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    if trail {
        out.push('%');
    }
    out
}
