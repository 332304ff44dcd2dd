//! Profiling a project's bronze tables in the DuckDB sandbox: per column its type, null rate,
//! distinct count, min/max and top values; per table its row count, candidate keys and a few
//! sample rows; across tables the candidate join keys, checked against the data.
//!
//! One sandbox run lists the tables and columns, one run per table computes everything about it
//! from a temporary copy (the CSV is parsed once), and one run measures how much of each
//! candidate foreign key the other table covers. Values of columns that look like emails, phone
//! numbers, names or addresses are masked here, before the profile is stored or shown to a
//! model, unless the discovery allows samples to leave.

use std::collections::BTreeMap;
use std::path::Path;

use sandbox::{Sandbox, SandboxError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// Rows of each table shown as a sample.
const SAMPLE_ROWS: usize = 5;
/// Top values per column.
const TOP_VALUES: usize = 5;
/// The share of a foreign key's values found in the other table's key for the pair to count
/// as a join key.
const MIN_COVERAGE: f64 = 0.5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Profile {
    pub tables: Vec<TableProfile>,
    pub joins: Vec<JoinKey>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TableProfile {
    /// The bronze view's name (`bronze.<name>`).
    pub name: String,
    pub rows: u64,
    pub columns: Vec<ColumnProfile>,
    /// Columns with a value in every row, all different: candidate primary keys, best first.
    pub keys: Vec<String>,
    /// A few rows, sensitive values masked.
    #[schema(value_type = Vec<Object>)]
    pub sample: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ColumnProfile {
    pub name: String,
    /// DuckDB's type (`BIGINT`, `VARCHAR`, `DATE`, `DOUBLE`…).
    #[serde(rename = "type")]
    pub data_type: String,
    /// Share of rows without a value, 0 to 1.
    pub null_rate: f64,
    /// Distinct values: exact for columns that may be keys, else a HyperLogLog estimate (±2%).
    pub distinct: u64,
    pub min: Option<String>,
    pub max: Option<String>,
    pub top: Vec<TopValue>,
    /// What the values look like when they are personal data; they are masked then.
    pub sensitive: Option<Sensitive>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TopValue {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sensitive {
    Email,
    Phone,
    Name,
    Address,
}

impl Sensitive {
    fn mask(self) -> String {
        format!(
            "<{}>",
            match self {
                Sensitive::Email => "email",
                Sensitive::Phone => "phone",
                Sensitive::Name => "name",
                Sensitive::Address => "address",
            }
        )
    }
}

/// `from_table.from_column` refers to `to_table.to_column` (a key there) for `coverage` of its
/// non-null values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JoinKey {
    pub from_table: String,
    pub from_column: String,
    pub to_table: String,
    pub to_column: String,
    pub coverage: f64,
}

impl Profile {
    pub fn table(&self, name: &str) -> Option<&TableProfile> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

impl TableProfile {
    pub fn column(&self, name: &str) -> Option<&ColumnProfile> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Profiles every bronze table of `workspace`; `allow_samples` leaves values unmasked.
pub async fn profile(
    sandbox: &Sandbox,
    workspace: &Path,
    allow_samples: bool,
) -> Result<Profile, SandboxError> {
    let catalog = run(
        sandbox,
        workspace,
        "SELECT table_name, column_name, data_type FROM information_schema.columns \
         WHERE table_schema = 'bronze' ORDER BY table_name, ordinal_position",
        sandbox::protocol::MAX_SAMPLE_ROWS,
    )
    .await?;
    let mut columns: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for row in catalog {
        let text = |key: &str| row[key].as_str().unwrap_or_default().to_owned();
        columns
            .entry(text("table_name"))
            .or_default()
            .push((text("column_name"), text("data_type")));
    }
    let tables: Vec<(String, Vec<(String, String)>)> = columns.into_iter().collect();
    if tables.is_empty() {
        return Ok(Profile {
            tables: Vec::new(),
            joins: Vec::new(),
        });
    }
    let candidates = join_candidates(&tables);
    let rows = run(
        sandbox,
        workspace,
        &profile_sql(&tables, &candidates),
        tables.len(),
    )
    .await?;
    let mut profiles = Vec::with_capacity(tables.len());
    let mut coverage: BTreeMap<u64, f64> = BTreeMap::new();
    for (i, (name, columns)) in tables.iter().enumerate() {
        let row = rows
            .iter()
            .find(|r| r["t"].as_u64() == Some(i as u64))
            .cloned()
            .unwrap_or(Value::Null);
        for entry in row["joins"].as_array().into_iter().flatten() {
            if let (Some(n), Some(share)) = (entry["j"].as_u64(), entry["coverage"].as_f64()) {
                coverage.insert(n, share);
            }
        }
        profiles.push(read_table(name.clone(), columns, &row, allow_samples));
    }
    let mut joins: Vec<JoinKey> = candidates
        .iter()
        .enumerate()
        .filter_map(|(n, candidate)| {
            let share = *coverage.get(&(n as u64))?;
            let to = &profiles[candidate.to];
            (to.keys.first() == Some(&candidate.to_column) && share >= MIN_COVERAGE).then(|| {
                JoinKey {
                    from_table: profiles[candidate.from].name.clone(),
                    from_column: candidate.from_column.clone(),
                    to_table: to.name.clone(),
                    to_column: candidate.to_column.clone(),
                    coverage: round(share),
                }
            })
        })
        .collect();
    joins.sort_by(|a, b| (&a.from_table, &a.from_column).cmp(&(&b.from_table, &b.from_column)));
    Ok(Profile {
        tables: profiles,
        joins,
    })
}

async fn run(
    sandbox: &Sandbox,
    workspace: &Path,
    sql: &str,
    rows: usize,
) -> Result<Vec<Value>, SandboxError> {
    let mut request = sandbox.request(workspace, sql);
    request.sample_rows = rows;
    request.write_layers = Vec::new();
    let response = sandbox.run(&request).await?;
    Ok(response.result.map(|r| r.rows).unwrap_or_default())
}

/// A SQL quoted identifier.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Types min/max mean something for.
fn ordered(data_type: &str) -> bool {
    !(data_type.contains('[')
        || ["STRUCT", "MAP", "UNION", "JSON", "BLOB"]
            .iter()
            .any(|t| data_type.starts_with(t)))
}

/// One run profiling every table, each read once into a temporary table `__p<i>`; then per
/// table one row: `stats` (counts, an estimated distinct count, min/max and the estimated top
/// values of each column, in one scan, kept as `__s<i>`), `top` (the exact counts of those top
/// values: a scan against a five-entry set, not a group-by over every distinct value), `exact`
/// (the exact distinct count, only for columns that may be keys: no NULL and, by the estimate,
/// all different), `sample`, and `joins` (the coverage of each join candidate from it).
fn profile_sql(tables: &[(String, Vec<(String, String)>)], candidates: &[Candidate]) -> String {
    let mut setup = String::new();
    let mut rows = Vec::new();
    for (t, (table, columns)) in tables.iter().enumerate() {
        let (p, s) = (format!("__p{t}"), format!("__s{t}"));
        let mut stats = vec!["count(*) AS \"rows\"".to_owned()];
        let mut top = Vec::new();
        let mut exact = Vec::new();
        for (i, (name, data_type)) in columns.iter().enumerate() {
            let c = ident(name);
            stats.push(format!(
                "count({c}) AS n{i}, approx_count_distinct({c}) AS d{i}"
            ));
            if ordered(data_type) {
                stats.push(format!(
                    "min({c})::VARCHAR AS lo{i}, max({c})::VARCHAR AS hi{i}, \
                     approx_top_k({c}::VARCHAR, {TOP_VALUES}) AS k{i}"
                ));
                top.push(format!(
                    "SELECT {i} AS c, v, count(*) AS n FROM (SELECT {c}::VARCHAR AS v FROM {p}) \
                     WHERE v IN (SELECT unnest(k{i}) FROM {s}) GROUP BY v"
                ));
            }
            exact.push(format!(
                "(SELECT count(DISTINCT {c}) FROM {p} \
                  WHERE (SELECT n{i} = \"rows\" AND d{i} >= 0.95 * \"rows\" FROM {s})) AS x{i}"
            ));
        }
        let joins: Vec<String> = candidates
            .iter()
            .enumerate()
            .filter(|(_, candidate)| candidate.from == t)
            .map(|(n, candidate)| {
                let (c, k) = (ident(&candidate.from_column), ident(&candidate.to_column));
                format!(
                    "SELECT {n} AS j, (SELECT count(*) FILTER (WHERE {c} IN (SELECT {k} FROM __p{to}))::DOUBLE \
                     / greatest(count({c}), 1) FROM {p}) AS coverage",
                    to = candidate.to
                )
            })
            .collect();
        let none = |columns: &str| format!("SELECT {columns} WHERE false");
        let top = if top.is_empty() {
            none("NULL::INTEGER AS c, NULL::VARCHAR AS v, NULL::BIGINT AS n")
        } else {
            top.join("\nUNION ALL\n")
        };
        let joins = if joins.is_empty() {
            none("NULL::INTEGER AS j, NULL::DOUBLE AS coverage")
        } else {
            joins.join("\nUNION ALL\n")
        };
        setup.push_str(&format!(
            "CREATE TEMP TABLE {p} AS SELECT * FROM bronze.{table};\n\
             CREATE TEMP TABLE {s} AS SELECT {stats} FROM {p};\n",
            table = ident(table),
            stats = stats.join(", "),
        ));
        rows.push(format!(
            "SELECT {t} AS t,\n\
               (SELECT to_json(x) FROM {s} AS x) AS stats,\n\
               (SELECT to_json(coalesce(list(x), [])) FROM ({top}) AS x) AS top,\n\
               (SELECT to_json(x) FROM (SELECT {exact}) AS x) AS exact,\n\
               (SELECT to_json(coalesce(list(x), [])) FROM (SELECT * FROM {p} LIMIT {SAMPLE_ROWS}) AS x) AS sample,\n\
               (SELECT to_json(coalesce(list(x), [])) FROM ({joins}) AS x) AS joins",
            exact = exact.join(", "),
        ));
    }
    format!("{setup}{}", rows.join("\nUNION ALL\n"))
}

fn read_table(
    name: String,
    columns: &[(String, String)],
    row: &Value,
    allow_samples: bool,
) -> TableProfile {
    let stats = &row["stats"];
    let count = |key: String| stats[key.as_str()].as_u64().unwrap_or(0);
    let rows = count("rows".into());
    let mut tops: BTreeMap<u64, Vec<TopValue>> = BTreeMap::new();
    for entry in row["top"].as_array().into_iter().flatten() {
        if let (Some(c), Some(value), Some(count)) = (
            entry["c"].as_u64(),
            entry["v"].as_str(),
            entry["n"].as_u64(),
        ) {
            tops.entry(c).or_default().push(TopValue {
                value: value.to_owned(),
                count,
            });
        }
    }
    let mut sample: Vec<Value> = row["sample"].as_array().cloned().unwrap_or_default();
    let mut profiles = Vec::with_capacity(columns.len());
    for (i, (column, data_type)) in columns.iter().enumerate() {
        let non_null = count(format!("n{i}"));
        let text = |key: String| stats[key.as_str()].as_str().map(str::to_owned);
        let mut top = tops.remove(&(i as u64)).unwrap_or_default();
        top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        top.truncate(TOP_VALUES);
        let sensitive = sensitive(&name, column, data_type, &top, &sample);
        let mut profile = ColumnProfile {
            name: column.clone(),
            data_type: data_type.clone(),
            null_rate: if rows == 0 {
                0.0
            } else {
                round((rows - non_null.min(rows)) as f64 / rows as f64)
            },
            distinct: match row["exact"][format!("x{i}").as_str()].as_u64() {
                Some(exact) if exact > 0 => exact,
                _ => count(format!("d{i}")),
            },
            min: text(format!("lo{i}")),
            max: text(format!("hi{i}")),
            top,
            sensitive,
        };
        if let (Some(kind), false) = (sensitive, allow_samples) {
            profile.min = profile.min.map(|_| kind.mask());
            profile.max = profile.max.map(|_| kind.mask());
            for value in &mut profile.top {
                value.value = kind.mask();
            }
            for row in &mut sample {
                if let Some(value) = row.get_mut(column) {
                    if !value.is_null() {
                        *value = Value::String(kind.mask());
                    }
                }
            }
        }
        profiles.push(profile);
    }
    let keys = keys(rows, &profiles);
    TableProfile {
        name,
        rows,
        columns: profiles,
        keys,
        sample,
    }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Columns whose values identify a row, `id`-like names and integers first.
fn keys(rows: u64, columns: &[ColumnProfile]) -> Vec<String> {
    let mut keys: Vec<&ColumnProfile> = columns
        .iter()
        .filter(|c| {
            rows > 0
                && c.null_rate == 0.0
                && c.distinct == rows
                && !matches!(c.data_type.as_str(), "DOUBLE" | "FLOAT" | "BOOLEAN")
                && c.sensitive.is_none()
        })
        .collect();
    keys.sort_by_key(|c| {
        let name = c.name.to_ascii_lowercase();
        let id_like = name == "id" || name.ends_with("_id") || name.ends_with("id");
        (!id_like, !c.data_type.contains("INT"), c.name.len())
    });
    keys.into_iter().map(|c| c.name.clone()).collect()
}

/// Personal data, from the column's name (in its table) or from what most of its values look
/// like.
pub fn sensitive(
    table: &str,
    column: &str,
    data_type: &str,
    top: &[TopValue],
    sample: &[Value],
) -> Option<Sensitive> {
    let name = column.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["email", "e_mail", "mail_address"]) {
        return Some(Sensitive::Email);
    }
    if has(&["phone", "mobile", "cell", "telephone", "fax"]) || name == "tel" {
        return Some(Sensitive::Phone);
    }
    if has(&[
        "first_name",
        "last_name",
        "full_name",
        "firstname",
        "lastname",
        "surname",
    ]) || name == "name" && people(table)
        || name.ends_with("_name") && has(&["customer", "contact", "person", "user", "owner"])
    {
        return Some(Sensitive::Name);
    }
    if has(&["address", "street", "postcode", "zip"]) {
        return Some(Sensitive::Address);
    }
    if data_type != "VARCHAR" {
        return None;
    }
    let values: Vec<&str> = top
        .iter()
        .map(|t| t.value.as_str())
        .chain(sample.iter().filter_map(|r| r.get(column)?.as_str()))
        .collect();
    if values.is_empty() {
        return None;
    }
    let most =
        |looks: fn(&str) -> bool| values.iter().filter(|v| looks(v)).count() * 2 > values.len();
    if most(looks_like_email) {
        Some(Sensitive::Email)
    } else if most(looks_like_phone) {
        Some(Sensitive::Phone)
    } else {
        None
    }
}

/// Tables whose rows are people (a `name` there is a person's).
fn people(table: &str) -> bool {
    let table = table.to_ascii_lowercase();
    [
        "customer",
        "user",
        "contact",
        "person",
        "people",
        "member",
        "client",
        "employee",
        "patient",
        "lead",
        "guest",
        "account",
        "subscriber",
    ]
    .iter()
    .any(|w| table.contains(w))
}

fn looks_like_email(value: &str) -> bool {
    let value = value.trim();
    match value.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty() && domain.contains('.') && !value.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn looks_like_phone(value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && (value.starts_with('+') || value.contains(['-', ' ', '(']))
}

/// `orders` → `order`, `categories` → `category`.
pub fn singular(table: &str) -> String {
    if let Some(stem) = table.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = table.strip_suffix('s') {
        stem.to_owned()
    } else {
        table.to_owned()
    }
}

/// A possible foreign key: column `from_column` of table `from` referring to `to_column` of
/// table `to` (indexes into the profiled tables). Kept when `to_column` turns out to be the
/// key of `to` and the data agrees (see [`MIN_COVERAGE`]).
struct Candidate {
    from: usize,
    from_column: String,
    to: usize,
    to_column: String,
}

/// Candidates by name and type, before the keys are known: an id-like column `k` of a table
/// `customers` (`id`, `customer_id`, `…_id`) may be referred to as `k` (not a bare `id`),
/// `customer_<k>` or `customer_id` in another table.
fn join_candidates(tables: &[(String, Vec<(String, String)>)]) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    for (to, (to_name, to_columns)) in tables.iter().enumerate() {
        let entity = singular(to_name);
        for (key, key_type) in to_columns {
            let key_lower = key.to_ascii_lowercase();
            if !(key_lower == "id" || key_lower.ends_with("_id")) {
                continue;
            }
            let mut wanted = vec![format!("{entity}_{key_lower}"), format!("{entity}_id")];
            if key_lower != "id" {
                wanted.push(key_lower.clone());
            }
            for (from, (_, from_columns)) in tables.iter().enumerate().filter(|(i, _)| *i != to) {
                for (column, column_type) in from_columns {
                    if wanted.iter().any(|w| w.eq_ignore_ascii_case(column))
                        && same_kind(column_type, key_type)
                    {
                        candidates.push(Candidate {
                            from,
                            from_column: column.clone(),
                            to,
                            to_column: key.clone(),
                        });
                    }
                }
            }
        }
    }
    candidates
}

fn same_kind(a: &str, b: &str) -> bool {
    let kind = |t: &str| {
        if t.contains("INT") {
            "int"
        } else if t == "VARCHAR" || t == "UUID" {
            "text"
        } else {
            "other"
        }
    };
    kind(a) == kind(b) && kind(a) != "other"
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn personal_data_is_recognised_by_name_or_by_value() {
        let none: [TopValue; 0] = [];
        let people = |column: &str| sensitive("customers", column, "VARCHAR", &none, &[]);
        assert_eq!(people("email"), Some(Sensitive::Email));
        assert_eq!(people("Customer_Name"), Some(Sensitive::Name));
        assert_eq!(people("name"), Some(Sensitive::Name));
        assert_eq!(people("mobile"), Some(Sensitive::Phone));
        assert_eq!(sensitive("products", "name", "VARCHAR", &none, &[]), None);
        assert_eq!(
            sensitive("products", "product_name", "VARCHAR", &none, &[]),
            None
        );
        let rows = [
            json!({"contact": "ann@example.com"}),
            json!({"contact": "bo@x.io"}),
        ];
        assert_eq!(
            sensitive("t", "contact", "VARCHAR", &none, &rows),
            Some(Sensitive::Email)
        );
        let rows = [
            json!({"c": "+1 415-555-0100"}),
            json!({"c": "(415) 555-0199"}),
        ];
        assert_eq!(
            sensitive("t", "c", "VARCHAR", &none, &rows),
            Some(Sensitive::Phone)
        );
        let rows = [json!({"sku": "A-100-200"}), json!({"sku": "B-200"})];
        assert_eq!(sensitive("t", "sku", "VARCHAR", &none, &rows), None);
        assert_eq!(sensitive("t", "amount", "DOUBLE", &none, &[]), None);
    }

    #[test]
    fn keys_prefer_id_like_integer_columns() {
        let column = |name: &str, data_type: &str, distinct: u64| ColumnProfile {
            name: name.into(),
            data_type: data_type.into(),
            null_rate: 0.0,
            distinct,
            min: None,
            max: None,
            top: vec![],
            sensitive: None,
        };
        let columns = [
            column("code", "VARCHAR", 10),
            column("order_id", "BIGINT", 10),
            column("total", "DOUBLE", 10),
            column("status", "VARCHAR", 3),
        ];
        assert_eq!(keys(10, &columns), ["order_id", "code"]);
        assert_eq!(singular("categories"), "category");
        assert_eq!(singular("orders"), "order");
    }
}
