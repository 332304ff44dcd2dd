//! The per-resource allow-list: which fields a list endpoint exposes, how they map to SQL.
//!
//! A slice declares one [`Resource`] per list endpoint, usually in a `static`:
//!
//! ```
//! use kernel::list::{Field, FieldType, Order, Resource};
//!
//! static LEADS: Resource = Resource::new(
//!     "leads",
//!     &[
//!         Field::new("id", "l.id", FieldType::Uuid),
//!         Field::new("email", "l.email", FieldType::Text),
//!         Field::new("tags", "l.tags", FieldType::TextArray).not_sortable(),
//!         Field::new("created_at", "l.created_at", FieldType::Timestamp),
//!     ],
//! )
//! .search("l.search_vector @@ websearch_to_tsquery('simple', $q)")
//! .default_sort(&[("created_at", Order::Desc)]);
//! # assert!(LEADS.check().is_ok());
//! ```
//!
//! Column expressions are trusted SQL written by the slice; nothing from a request ever
//! reaches the SQL text except through a placeholder.

/// How a field's values are typed, parsed and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Uuid,
    /// `i64` (fits `int2`/`int4`/`int8` columns).
    Int,
    Float,
    /// `true`/`false`/`1`/`0`.
    Bool,
    /// RFC 3339 in the query, compared as `timestamptz`.
    Timestamp,
    /// `YYYY-MM-DD`.
    Date,
    /// A `text[]` column: `eq`/`in` test membership (`$n = ANY(c)`, `c && $n`).
    TextArray,
}

impl FieldType {
    /// What a value of this type looks like, for error messages (`"score" expects an integer`).
    pub(crate) fn expectation(self) -> &'static str {
        match self {
            FieldType::Text | FieldType::TextArray => "a text value",
            FieldType::Uuid => "a UUID",
            FieldType::Int => "an integer",
            FieldType::Float => "a number",
            FieldType::Bool => "true or false",
            FieldType::Timestamp => "an RFC 3339 timestamp",
            FieldType::Date => "a date (YYYY-MM-DD)",
        }
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Asc,
    Desc,
}

impl Order {
    pub(crate) fn sql(self) -> &'static str {
        match self {
            Order::Asc => "ASC",
            Order::Desc => "DESC",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Order> {
        if s.eq_ignore_ascii_case("asc") {
            Some(Order::Asc)
        } else if s.eq_ignore_ascii_case("desc") {
            Some(Order::Desc)
        } else {
            None
        }
    }
}

/// One field a client may sort or filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The name in the API (what Refine sends).
    pub name: &'static str,
    /// The SQL expression it maps to, e.g. `l.email`.
    pub column: &'static str,
    pub ty: FieldType,
    pub sortable: bool,
    pub filterable: bool,
}

impl Field {
    /// A field that is both sortable and filterable.
    pub const fn new(name: &'static str, column: &'static str, ty: FieldType) -> Self {
        Self {
            name,
            column,
            ty,
            sortable: true,
            filterable: true,
        }
    }

    pub const fn not_sortable(mut self) -> Self {
        self.sortable = false;
        self
    }

    pub const fn not_filterable(mut self) -> Self {
        self.filterable = false;
        self
    }
}

/// A listable resource: its fields, optional full-text search, default sort and page sizes.
#[derive(Debug, Clone, Copy)]
pub struct Resource {
    pub name: &'static str,
    pub fields: &'static [Field],
    /// SQL with the token `$q`; every `$q` becomes the same placeholder bound to the search text.
    pub search: Option<&'static str>,
    /// Used when the request has no sorters.
    pub default_sort: &'static [(&'static str, Order)],
    pub max_page_size: u32,
    pub default_page_size: u32,
}

impl Resource {
    /// A resource with no search, no default sort, page size 10 (Refine's default), max 200.
    pub const fn new(name: &'static str, fields: &'static [Field]) -> Self {
        Self {
            name,
            fields,
            search: None,
            default_sort: &[],
            max_page_size: 200,
            default_page_size: 10,
        }
    }

    pub const fn search(mut self, sql: &'static str) -> Self {
        self.search = Some(sql);
        self
    }

    pub const fn default_sort(mut self, sort: &'static [(&'static str, Order)]) -> Self {
        self.default_sort = sort;
        self
    }

    pub const fn page_sizes(mut self, default: u32, max: u32) -> Self {
        self.default_page_size = default;
        self.max_page_size = max;
        self
    }

    /// The field with this API name, if the allow-list has it.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Consistency of the declaration, for a slice's unit test: unique names, default sort
    /// on known fields, sane page sizes, search containing `$q`.
    pub fn check(&self) -> Result<(), String> {
        for (i, f) in self.fields.iter().enumerate() {
            if self.fields[..i].iter().any(|g| g.name == f.name) {
                return Err(format!("{}: field {:?} declared twice", self.name, f.name));
            }
        }
        for (name, _) in self.default_sort {
            if self.field(name).is_none() {
                return Err(format!(
                    "{}: default sort on unknown field {name:?}",
                    self.name
                ));
            }
        }
        if self.default_page_size == 0 || self.default_page_size > self.max_page_size {
            return Err(format!(
                "{}: need 0 < default_page_size <= max_page_size",
                self.name
            ));
        }
        if let Some(search) = self.search {
            if !search.contains("$q") {
                return Err(format!("{}: search SQL has no $q", self.name));
            }
        }
        Ok(())
    }
}
