//! The slice's vocabulary: a project, the layers and kinds of its tree's nodes, and the
//! statuses a node and a project go through. Enums are what requests carry (a value outside
//! them is a 422 naming the field); rows carry them as the text the tables check.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A client data project.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Project {
    pub id: Uuid,
    pub name: String,
    /// Unique among the tenant's live projects: `fashion-shop`.
    pub slug: String,
    pub client_name: String,
    pub description: String,
    /// `active`, `paused` or `archived`.
    pub status: String,
    /// IANA zone the project's schedules and reports use (`Europe/Bucharest`).
    pub timezone: String,
    /// The monthly budget, exact (`"1500.00"`); absent: no budget, no alerts.
    #[schema(value_type = Option<String>, example = "1500.00")]
    pub budget_amount: Option<Decimal>,
    pub budget_currency: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProjectStatus {
    Active,
    Paused,
    Archived,
}

impl ProjectStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Archived => "archived",
        }
    }
}

/// Where a node sits: raw data, cleaned tables, models, or a tool data is pushed back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Bronze,
    Silver,
    Gold,
    Destination,
}

impl Layer {
    pub const ALL: [Layer; 4] = [Self::Bronze, Self::Silver, Self::Gold, Self::Destination];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bronze => "bronze",
            Self::Silver => "silver",
            Self::Gold => "gold",
            Self::Destination => "destination",
        }
    }

    pub fn parse(name: &str) -> Option<Layer> {
        Self::ALL.into_iter().find(|l| l.as_str() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Source,
    Table,
    Script,
    Model,
    Destination,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Source => "source",
            Self::Table => "table",
            Self::Script => "script",
            Self::Model => "model",
            Self::Destination => "destination",
        }
    }
}

pub use kernel::projects::NodeStatus;

/// A node's identifier within its project: `gold_sales` (a-z 0-9 _ . -, at most 100).
pub fn is_node_id(id: &str) -> bool {
    let mut chars = id.chars();
    id.len() <= 100
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c))
}

/// A project slug: lower-case words joined by single dashes, at most 100 characters.
pub fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 100
        && slug.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// An IANA time zone PostgreSQL and chrono both know.
pub fn is_timezone(name: &str) -> bool {
    name.parse::<chrono_tz::Tz>().is_ok()
}

/// A currency code: three upper-case letters.
pub fn is_currency(code: &str) -> bool {
    code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase())
}

/// Serialises an exact amount or quantity as a decimal string without trailing zeros
/// (`"0.3"`, `"1.1156"`): stored amounts carry 10 decimal places, which say nothing.
pub fn exact<S: serde::Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.normalize().to_string())
}
