//! Parsed flow versions, cached: a version never changes once saved, so each worker parses it
//! once. A child execution runs a part of its flow version, named by its `scope`.

use std::collections::BTreeMap;
use std::sync::Arc;

use moka::future::Cache;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::asl::{self, Definition, StateKind};
use crate::store::flows;

/// A flow version ready to run.
#[derive(Debug)]
pub struct Version {
    pub definition: Definition,
    /// Task state name → project tree node id.
    pub nodes: BTreeMap<String, String>,
}

impl Version {
    /// The tree node a Task state colours: its entry in `nodes`, else its name in the tree's
    /// spelling (`ReverseEtl` → `reverse_etl`).
    pub fn node_for(&self, state: &str) -> String {
        self.nodes
            .get(state)
            .cloned()
            .unwrap_or_else(|| node_id(state))
    }
}

/// `LoadOrders` → `load_orders`, `Score gold` → `score_gold`.
pub fn node_id(state: &str) -> String {
    let mut id = String::with_capacity(state.len() + 4);
    let mut previous_lower = false;
    for c in state.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                id.push('_');
            }
            id.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c.is_ascii_alphanumeric() {
            id.push(c);
            previous_lower = true;
        } else {
            if !id.ends_with('_') && !id.is_empty() {
                id.push('_');
            }
            previous_lower = false;
        }
    }
    id.trim_end_matches('_').to_owned()
}

/// One step into a nested definition: a Parallel state's branch, or a Map state's processor
/// (`branch: None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeStep {
    pub state: String,
    pub branch: Option<usize>,
}

/// The path from a flow's top definition to the one a child runs; stored as JSON text, `''`
/// at the top.
pub fn parse_scope(text: &str) -> Result<Vec<ScopeStep>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    serde_json::from_str(text).map_err(|e| format!("invalid execution scope: {e}"))
}

pub fn scope_text(steps: &[ScopeStep]) -> String {
    if steps.is_empty() {
        String::new()
    } else {
        serde_json::to_string(steps).unwrap_or_default()
    }
}

/// The definition at `scope` within `top`.
pub fn resolve<'a>(top: &'a Definition, scope: &[ScopeStep]) -> Option<&'a Definition> {
    let mut current = top;
    for step in scope {
        current = match (&current.state(&step.state)?.kind, step.branch) {
            (StateKind::Parallel(parallel), Some(i)) => parallel.branches.get(i)?,
            (StateKind::Map(map), None) => &map.item_processor,
            _ => return None,
        };
    }
    Some(current)
}

/// Flow versions parsed once per worker.
#[derive(Clone)]
pub struct Definitions {
    cache: Cache<(Uuid, Uuid, i32), Arc<Version>>,
}

impl Default for Definitions {
    fn default() -> Self {
        Self {
            cache: Cache::builder().max_capacity(2_000).build(),
        }
    }
}

/// Why a stored flow version cannot be run.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("flow version not found")]
    Missing,
    #[error("the stored definition no longer parses: {0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl Definitions {
    /// The tenant's flow version, parsed (read in the caller's tenant transaction).
    pub async fn get(
        &self,
        conn: &mut PgConnection,
        tenant: Uuid,
        flow: Uuid,
        version: i32,
    ) -> Result<Arc<Version>, LoadError> {
        let key = (tenant, flow, version);
        if let Some(found) = self.cache.get(&key).await {
            return Ok(found);
        }
        let stored = flows::version(conn, flow, version)
            .await?
            .ok_or(LoadError::Missing)?;
        let parsed = Arc::new(parse_version(&stored.definition, &stored.nodes)?);
        self.cache.insert(key, parsed.clone()).await;
        Ok(parsed)
    }
}

fn parse_version(definition: &Value, nodes: &Value) -> Result<Version, LoadError> {
    let definition = asl::parse(definition).map_err(|errors| {
        LoadError::Invalid(
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let nodes = serde_json::from_value(nodes.clone()).unwrap_or_default();
    Ok(Version { definition, nodes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_ids_follow_the_tree_spelling() {
        assert_eq!(node_id("ReverseEtl"), "reverse_etl");
        assert_eq!(node_id("Transform"), "transform");
        assert_eq!(node_id("Load orders"), "load_orders");
        assert_eq!(node_id("gold_sales"), "gold_sales");
    }

    #[test]
    fn scopes_round_trip() {
        let steps = vec![
            ScopeStep {
                state: "Fan/out".into(),
                branch: Some(1),
            },
            ScopeStep {
                state: "Each".into(),
                branch: None,
            },
        ];
        assert_eq!(parse_scope(&scope_text(&steps)).ok(), Some(steps));
        assert_eq!(parse_scope("").ok(), Some(vec![]));
    }
}
