//! Proposals: silver tables and gold models as SQL, asked of the LLM layer with the profile.
//!
//! The prompt (`prompts/propose.v1.*`) gets the masked profile and asks for JSON matching
//! [`proposals_schema`]. Its offline rule ([`rules`]) proposes on its own for the common shapes:
//! a cleaned, deduplicated silver table per bronze table; daily sales from any table with a date
//! and an amount; customer lifetime value and churn features where such a table refers to a
//! customers table; product sales where it refers to products; daily activity for event tables.

use kernel::llm::{Answer, Prompt, RuleInput};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::profile::{ident, singular, ColumnProfile, Profile, Sensitive, TableProfile};

pub static PROPOSE: Prompt = Prompt::new(
    "discovery.propose",
    1,
    include_str!("../prompts/propose.v1.system.jinja"),
    include_str!("../prompts/propose.v1.user.jinja"),
    rules::propose,
);

pub static REPAIR: Prompt = Prompt::new(
    "discovery.repair",
    1,
    include_str!("../prompts/repair.v1.system.jinja"),
    include_str!("../prompts/repair.v1.user.jinja"),
    rules::repair,
);

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Silver,
    Gold,
}

impl Layer {
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Silver => "silver",
            Layer::Gold => "gold",
        }
    }

    pub fn sandbox(self) -> sandbox::Layer {
        match self {
            Layer::Silver => sandbox::Layer::Silver,
            Layer::Gold => sandbox::Layer::Gold,
        }
    }
}

/// A table the model proposes: `CREATE OR REPLACE TABLE <layer>.<name> AS …`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Proposed {
    pub layer: Layer,
    pub name: String,
    pub description: String,
    pub sql: String,
}

#[derive(Debug, Deserialize)]
pub struct Proposals {
    pub proposals: Vec<Proposed>,
}

#[derive(Debug, Deserialize)]
pub struct Repaired {
    pub sql: String,
}

pub fn proposals_schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["proposals"],
        "properties": {"proposals": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["layer", "name", "description", "sql"],
            "properties": {
                "layer": {"type": "string", "enum": ["silver", "gold"]},
                "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                "description": {"type": "string"},
                "sql": {"type": "string"},
            },
        }}},
    })
}

pub fn repair_schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["sql"],
        "properties": {"sql": {"type": "string"}},
    })
}

/// The offline provider's answers.
pub mod rules {
    use super::*;

    /// Proposals for the profile in `vars.profile`, capped at `vars.max_proposals`.
    pub fn propose(input: &RuleInput<'_>) -> Result<Answer, String> {
        let profile: Profile = serde_json::from_value(input.vars["profile"].clone())
            .map_err(|e| format!("the profile: {e}"))?;
        let max = input.vars["max_proposals"].as_u64().unwrap_or(20) as usize;
        let mut proposals = silver(&profile);
        proposals.extend(gold(&profile));
        proposals.truncate(max);
        Ok(Answer::Json(json!({ "proposals": proposals })))
    }

    /// Rules write SQL that needs no repair; what failed is reported as it is.
    pub fn repair(_: &RuleInput<'_>) -> Result<Answer, String> {
        Err("the rule-based provider does not rewrite SQL".into())
    }
}

fn silver(profile: &Profile) -> Vec<Proposed> {
    profile
        .tables
        .iter()
        .map(|table| {
            let columns: Vec<String> = table.columns.iter().map(clean).collect();
            let source = format!("bronze.{}", ident(&table.name));
            let sql = match table.keys.first() {
                Some(key) => format!(
                    "CREATE OR REPLACE TABLE silver.{name} AS\nSELECT DISTINCT ON ({key})\n  {columns}\nFROM {source}\nWHERE {key} IS NOT NULL\nORDER BY {key}",
                    name = ident(&table.name),
                    key = ident(key),
                    columns = columns.join(",\n  "),
                ),
                None => format!(
                    "CREATE OR REPLACE TABLE silver.{name} AS\nSELECT DISTINCT\n  {columns}\nFROM {source}",
                    name = ident(&table.name),
                    columns = columns.join(",\n  "),
                ),
            };
            let dedup = match table.keys.first() {
                Some(key) => format!("one row per {key}"),
                None => "exact duplicate rows removed".into(),
            };
            Proposed {
                layer: Layer::Silver,
                name: table.name.clone(),
                description: format!(
                    "{} cleaned: text trimmed (empty as NULL), emails lower-cased, times typed (UTC); {dedup}.",
                    table.name
                ),
                sql,
            }
        })
        .collect()
}

/// A silver column from its bronze column.
fn clean(column: &ColumnProfile) -> String {
    let c = ident(&column.name);
    let text = column.data_type == "VARCHAR";
    if text && column.sensitive == Some(Sensitive::Email) {
        format!("lower(NULLIF(trim({c}), '')) AS {c}")
    } else if text && time_like(&column.name) {
        format!("TRY_CAST(NULLIF(trim({c}), '') AS TIMESTAMP) AS {c}")
    } else if text {
        format!("NULLIF(trim({c}), '') AS {c}")
    } else if column.data_type == "TIMESTAMP WITH TIME ZONE" {
        // In UTC: the sandbox has no time zone database (no ICU), so dates of a TIMESTAMPTZ
        // cannot be taken downstream; of a TIMESTAMP they can.
        format!("CAST({c} AS TIMESTAMP) AS {c}")
    } else {
        c
    }
}

fn time_like(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("date") || name.ends_with("_at") || name.contains("time") || name == "day"
}

fn temporal(column: &ColumnProfile) -> bool {
    column.data_type.starts_with("DATE")
        || column.data_type.starts_with("TIMESTAMP")
        || (column.data_type == "VARCHAR" && time_like(&column.name))
}

fn numeric(column: &ColumnProfile) -> bool {
    [
        "INT", "DOUBLE", "FLOAT", "DECIMAL", "NUMERIC", "REAL", "HUGEINT",
    ]
    .iter()
    .any(|t| column.data_type.contains(t))
}

fn amount(table: &TableProfile) -> Option<&ColumnProfile> {
    ["amount", "total", "revenue", "price", "value", "sales"]
        .iter()
        .find_map(|word| {
            table
                .columns
                .iter()
                .find(|c| numeric(c) && c.name.to_ascii_lowercase().contains(word))
        })
}

fn timestamp(table: &TableProfile) -> Option<&ColumnProfile> {
    table.columns.iter().find(|c| temporal(c))
}

/// The day of a silver column (typed by the silver proposal when it was text).
fn day(column: &str) -> String {
    format!("CAST({} AS DATE)", ident(column))
}

fn gold(profile: &Profile) -> Vec<Proposed> {
    let mut proposals = Vec::new();
    for table in &profile.tables {
        let (Some(when), Some(amount)) = (timestamp(table), amount(table)) else {
            continue;
        };
        let t = ident(&table.name);
        let (when, amount) = (&when.name, &amount.name);
        let name = if table.name.contains("order") {
            "daily_sales".to_owned()
        } else {
            format!("daily_{}", table.name)
        };
        proposals.push(Proposed {
            layer: Layer::Gold,
            description: format!("Per day: how many {} and their total {amount}.", table.name),
            sql: format!(
                "CREATE OR REPLACE TABLE gold.{n} AS\nSELECT {day} AS day, count(*) AS {count}, sum({a}) AS {total}\nFROM silver.{t}\nWHERE {w} IS NOT NULL\nGROUP BY 1\nORDER BY 1",
                n = ident(&name),
                day = day(when),
                count = ident(&table.name),
                a = ident(amount),
                total = ident(&format!("total_{amount}")),
                w = ident(when),
            ),
            name,
        });
        for join in profile.joins.iter().filter(|j| j.from_table == table.name) {
            let Some(target) = profile.table(&join.to_table) else {
                continue;
            };
            let entity = singular(&target.name);
            let (fk, key) = (ident(&join.from_column), ident(&join.to_column));
            let target_name = ident(&target.name);
            let alias = ident(&format!("{entity}_id"));
            if entity.contains("customer") || entity.contains("user") || entity.contains("client") {
                proposals.push(Proposed {
                    layer: Layer::Gold,
                    name: format!("{entity}_lifetime_value"),
                    description: format!("Per {entity}: {} count, lifetime {amount}, first and last.", table.name),
                    sql: format!(
                        "CREATE OR REPLACE TABLE gold.{name} AS\nSELECT c.{key} AS {alias}, count(o.{fk}) AS {count}, coalesce(sum(o.{a}), 0) AS lifetime_value,\n  min({first}) AS first_at, max({first}) AS last_at\nFROM silver.{target_name} AS c\nLEFT JOIN silver.{t} AS o ON o.{fk} = c.{key}\nGROUP BY 1\nORDER BY 1",
                        name = ident(&format!("{entity}_lifetime_value")),
                        count = ident(&table.name),
                        a = ident(amount),
                        first = format!("o.{}", ident(when)),
                    ),
                });
                proposals.push(Proposed {
                    layer: Layer::Gold,
                    name: format!("{entity}_churn_features"),
                    description: format!("Per {entity} with {}: recency, frequency and spend, counted back from the latest {when}.", table.name),
                    sql: format!(
                        "CREATE OR REPLACE TABLE gold.{name} AS\nWITH latest AS (SELECT max({d}) AS as_of FROM silver.{t})\nSELECT o.{fk} AS {alias},\n  date_diff('day', max({od}), latest.as_of) AS days_since_last,\n  count(*) AS {count},\n  count(*) FILTER (WHERE {od} > latest.as_of - INTERVAL 90 DAY) AS last_90_days,\n  sum(o.{a}) AS spend\nFROM silver.{t} AS o CROSS JOIN latest\nWHERE o.{fk} IS NOT NULL AND o.{w} IS NOT NULL\nGROUP BY o.{fk}, latest.as_of\nORDER BY 1",
                        name = ident(&format!("{entity}_churn_features")),
                        d = day(when),
                        od = format!("CAST(o.{} AS DATE)", ident(when)),
                        count = ident(&table.name),
                        a = ident(amount),
                        w = ident(when),
                    ),
                });
            } else if entity.contains("product") || entity.contains("item") {
                let quantity = table.columns.iter().find(|c| {
                    numeric(c)
                        && ["quantity", "qty", "units"]
                            .iter()
                            .any(|w| c.name.to_ascii_lowercase().contains(w))
                });
                let units = quantity.map_or(String::new(), |q| {
                    format!(", sum(o.{}) AS units", ident(&q.name))
                });
                proposals.push(Proposed {
                    layer: Layer::Gold,
                    name: format!("{entity}_sales"),
                    description: format!("Per {entity}: {} count{} and total {amount}.", table.name, if quantity.is_some() { ", units" } else { "" }),
                    sql: format!(
                        "CREATE OR REPLACE TABLE gold.{name} AS\nSELECT p.{key} AS {alias}, count(o.{fk}) AS {count}{units}, coalesce(sum(o.{a}), 0) AS revenue\nFROM silver.{target_name} AS p\nLEFT JOIN silver.{t} AS o ON o.{fk} = p.{key}\nGROUP BY 1\nORDER BY 1",
                        name = ident(&format!("{entity}_sales")),
                        count = ident(&table.name),
                        a = ident(amount),
                    ),
                });
            }
        }
    }
    for table in &profile.tables {
        let kind = table.columns.iter().find(|c| {
            c.data_type == "VARCHAR"
                && ["event", "event_type", "type", "action", "event_name"]
                    .contains(&c.name.to_ascii_lowercase().as_str())
        });
        let (Some(kind), Some(when)) = (kind, timestamp(table)) else {
            continue;
        };
        if amount(table).is_some() {
            continue;
        }
        let who = table.columns.iter().find(|c| {
            let name = c.name.to_ascii_lowercase();
            name.ends_with("_id")
                && (name.contains("user") || name.contains("customer") || name.contains("session"))
        });
        let users = who.map_or(String::new(), |w| {
            format!(", count(DISTINCT {}) AS actors", ident(&w.name))
        });
        proposals.push(Proposed {
            layer: Layer::Gold,
            name: format!("daily_{}", table.name),
            description: format!("Per day and {}: how many {}{}.", kind.name, table.name, if who.is_some() { " and by how many actors" } else { "" }),
            sql: format!(
                "CREATE OR REPLACE TABLE gold.{name} AS\nSELECT {day} AS day, {k}, count(*) AS {count}{users}\nFROM silver.{t}\nWHERE {w} IS NOT NULL\nGROUP BY 1, 2\nORDER BY 1, 2",
                name = ident(&format!("daily_{}", table.name)),
                day = day(&when.name),
                k = ident(&kind.name),
                count = ident(&table.name),
                t = ident(&table.name),
                w = ident(&when.name),
            ),
        });
    }
    proposals
}
