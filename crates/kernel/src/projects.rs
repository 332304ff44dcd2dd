//! What other slices may do to a data project, without knowing the projects slice: report a
//! node's status (with its run's metrics) and report usage for costing. The projects slice
//! implements [`ProjectState`]; the app hands it to every slice in
//! [`crate::slice::Context::projects`]. Both act in the caller's [`UnitOfWork`], so the change
//! commits (or not) with the caller's own.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::slice::SliceError;
use crate::tenancy::TenantId;
use crate::UnitOfWork;

/// A project's folder in the local object store under `objects_dir`: its `bronze/`, `silver/`,
/// `gold/` and scripts, where the local DuckDB sandbox reads and writes.
pub fn workspace_dir(
    objects_dir: &std::path::Path,
    tenant: TenantId,
    project: Uuid,
) -> std::path::PathBuf {
    objects_dir
        .join("tenants")
        .join(tenant.0.to_string())
        .join("projects")
        .join(project.to_string())
}

/// A node's state: never run, running, or how its last run ended (GREEN fine, YELLOW with
/// warnings, RED failed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum NodeStatus {
    Idle,
    Running,
    Green,
    Yellow,
    Red,
}

impl NodeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Idle => "IDLE",
            Self::Running => "RUNNING",
            Self::Green => "GREEN",
            Self::Yellow => "YELLOW",
            Self::Red => "RED",
        }
    }

    /// A status that ends a run.
    pub fn is_finished(self) -> bool {
        matches!(self, Self::Green | Self::Yellow | Self::Red)
    }
}

/// A change to one node: its status with the run's metrics and error, or its name. `None`
/// keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct NodeUpdate {
    pub status: Option<NodeStatus>,
    pub name: Option<String>,
    pub rows: Option<i64>,
    pub bytes: Option<i64>,
    pub duration_ms: Option<i64>,
    /// `Some(None)` clears the error.
    pub error: Option<Option<String>>,
    /// The project run this node's run belongs to.
    pub run_id: Option<Uuid>,
}

/// Usage of one resource (`e2b.cpu`, `llm.tokens.in`, …) by a run step.
#[derive(Debug, Clone)]
pub struct UsageItem {
    pub resource: String,
    /// Defaults to the resource's first word (`modal.gpu.a10g` → `modal`).
    pub provider: Option<String>,
    pub quantity: Decimal,
    pub run_id: Option<Uuid>,
    /// Defaults to now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// A table a person adopted into a project (a discovery's proposal): its SQL becomes the next
/// version of the script `<layer>_<name>`, and the tree gets the node of the same name fed by
/// the nodes of the tables it reads (`(layer, name)`, created as sources when missing).
#[derive(Debug, Clone)]
pub struct AdoptTable {
    /// `silver` or `gold`.
    pub layer: String,
    pub name: String,
    pub sql: String,
    pub reads: Vec<(String, String)>,
}

/// What adopting a table did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adopted {
    pub node: String,
    pub script_version: i32,
    /// Nodes the tree did not have before (the table's own and any source it reads).
    pub new_nodes: Vec<String>,
}

/// Why a project refused to adopt a table (it would close a lineage cycle): the caller answers
/// 422 `lineage_cycle` with it. Any other error of `adopt_table` is the platform's.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AdoptRefused(pub String);

/// The latest version of a project's script, with its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptText {
    pub version: i32,
    pub layer: String,
    pub sql: String,
}

#[async_trait]
pub trait ProjectState: Send + Sync {
    /// The live project with slug `slug` in the unit of work's tenant.
    async fn project_by_slug(
        &self,
        work: &mut UnitOfWork,
        slug: &str,
    ) -> Result<Option<Uuid>, SliceError>;

    /// Applies `update` to node `node` of `project`; `Ok(false)` when there is no such
    /// project or node.
    async fn update_node(
        &self,
        work: &mut UnitOfWork,
        project: Uuid,
        node: &str,
        update: &NodeUpdate,
    ) -> Result<bool, SliceError>;

    /// Adopts `table` into `project` (see [`AdoptTable`]); `Ok(None)` when there is no such
    /// project.
    async fn adopt_table(
        &self,
        work: &mut UnitOfWork,
        project: Uuid,
        table: &AdoptTable,
    ) -> Result<Option<Adopted>, SliceError>;

    /// The latest version of script `name` of `project` with its text; `Ok(None)` when there is
    /// no such project or script.
    async fn latest_script(
        &self,
        work: &mut UnitOfWork,
        project: Uuid,
        name: &str,
    ) -> Result<Option<ScriptText>, SliceError>;

    /// Prices and records `usage` for `project` (its month-to-date, budget alerts and
    /// `cost.updated` event follow) and returns what it cost in the tenant's currency;
    /// `Ok(None)` when there is no such project.
    async fn record_usage(
        &self,
        work: &mut UnitOfWork,
        project: Uuid,
        usage: &[UsageItem],
    ) -> Result<Option<Decimal>, SliceError>;
}
