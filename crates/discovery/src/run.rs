//! The discovery job (`discovery.run`): profile → propose → validate, each step committed on
//! its own so people watch it happen (`discovery.updated` on `resources/discoveries` and on
//! `projects/<id>`).
//!
//! Validation runs over a scratch copy of the project's bronze files (hard links where the
//! filesystem allows), so nothing is written to the project before a person accepts a
//! proposal. A retried job starts over; what it wrote before is replaced.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kernel::cache::Cache;
use kernel::events::NewEvent;
use kernel::jobs::{Job, JobContext, JobFailure};
use kernel::llm::{Completion, Llm, LlmError, Request};
use kernel::projects::ProjectState;
use kernel::{TenantId, UnitOfWork};
use sandbox::Sandbox;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::profile::{self, Profile};
use crate::propose::{proposals_schema, Layer, Proposals, Proposed, PROPOSE};
use crate::store::{self, Discovery};
use crate::validate::{self, Verdict};

/// Run discovery `discovery`.
#[derive(Debug, Serialize, Deserialize)]
pub struct RunDiscovery {
    pub discovery: Uuid,
}

impl Job for RunDiscovery {
    const KIND: &'static str = "discovery.run";
}

/// Attempts of a discovery job (a model that is down for a while gets a few more chances).
pub const ATTEMPTS: i32 = 3;

/// What a discovery runs with.
pub struct Discoverer {
    pub db: PgPool,
    pub cache: Cache,
    pub llm: Llm,
    pub projects: Arc<dyn ProjectState>,
    pub sandbox: Option<Arc<Sandbox>>,
    pub objects_dir: Option<PathBuf>,
}

/// Why a step stopped: for good (the discovery fails) or for now (the job retries).
enum Stop {
    Fail(String),
    Retry(String),
}

impl From<sqlx::Error> for Stop {
    fn from(e: sqlx::Error) -> Self {
        Stop::Retry(e.to_string())
    }
}

impl From<kernel::events::EventError> for Stop {
    fn from(e: kernel::events::EventError) -> Self {
        Stop::Retry(e.to_string())
    }
}

impl Discoverer {
    pub async fn run(&self, job: &JobContext, id: Uuid) -> Result<(), JobFailure> {
        let tenant = job.tenant()?;
        let Some(discovery) = self.load(tenant, id).await.map_err(JobFailure::retry)? else {
            return Ok(()); // deleted with its project
        };
        if matches!(discovery.status.as_str(), "ready" | "failed") {
            return Ok(());
        }
        match self.steps(tenant, &discovery).await {
            Ok(()) => Ok(()),
            Err(Stop::Retry(why)) if !job.is_last_attempt() => {
                tracing::warn!(%id, error = %why, "discovery stopped; the job retries");
                Err(JobFailure::retry(why))
            }
            Err(Stop::Retry(why) | Stop::Fail(why)) => {
                match self.end(tenant, &discovery, "failed", "", Some(&why)).await {
                    Ok(()) => Ok(()),
                    Err(Stop::Retry(e) | Stop::Fail(e)) => Err(JobFailure::retry(e)),
                }
            }
        }
    }

    async fn load(&self, tenant: TenantId, id: Uuid) -> Result<Option<Discovery>, sqlx::Error> {
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant).await?;
        let discovery = store::get(&mut work, id).await?;
        drop(work);
        Ok(discovery)
    }

    async fn steps(&self, tenant: TenantId, discovery: &Discovery) -> Result<(), Stop> {
        let sandbox = self.sandbox.as_deref().ok_or_else(|| {
            Stop::Fail("no sandbox binary (fortress-sandbox) was found on this worker".into())
        })?;
        let workspace = self.workspace(tenant, discovery.project_id)?;

        self.progress(
            tenant,
            discovery,
            "profiling",
            "profiling the bronze tables",
        )
        .await?;
        let profile = profile::profile(sandbox, &workspace, discovery.allow_samples)
            .await
            .map_err(|e| Stop::Fail(format!("profiling failed: {e}")))?;
        if profile.tables.is_empty() {
            return Err(Stop::Fail(
                "the project has no bronze tables to profile (upload CSV, JSONL or Parquet files to its bronze layer)".into(),
            ));
        }
        let summary = format!(
            "proposing from {} tables ({} rows)",
            profile.tables.len(),
            profile.rows()
        );
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant).await?;
        store::set_profile(&mut work, discovery.id, &json!(profile)).await?;
        work.commit().await?;

        self.progress(tenant, discovery, "proposing", &summary)
            .await?;
        let request = Request::new(
            &PROPOSE,
            json!({"profile": profile, "max_proposals": discovery.max_proposals}),
        )
        .schema("proposals", proposals_schema());
        let (proposals, completion) = self
            .llm
            .json::<Proposals>(&request)
            .await
            .map_err(llm_stop)?;
        let proposals = tidy(proposals.proposals, discovery.max_proposals as usize);
        if proposals.is_empty() {
            return Err(Stop::Fail("the model proposed no usable tables".into()));
        }
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant).await?;
        self.record(&mut work, discovery, &[completion]).await?;
        let ids = store::set_proposals(&mut work, discovery.id, &proposals).await?;
        work.commit().await?;

        let scratch = Scratch::new(&workspace)
            .map_err(|e| Stop::Retry(format!("cannot prepare the scratch workspace: {e}")))?;
        let total = proposals.len();
        for (n, (id, proposal)) in ids.iter().zip(&proposals).enumerate() {
            let progress = format!(
                "validating {}.{} ({} of {total})",
                proposal.layer.as_str(),
                proposal.name,
                n + 1
            );
            self.progress(tenant, discovery, "validating", &progress)
                .await?;
            let mut completions = Vec::new();
            let validation = validate::validate(
                sandbox,
                &self.llm,
                scratch.path(),
                &profile,
                proposal,
                discovery.repair_rounds as u32,
                &mut completions,
            )
            .await;
            let status = match validation.verdict {
                Verdict::Valid => "valid",
                Verdict::Rejected => "rejected",
            };
            let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant).await?;
            self.record(&mut work, discovery, &completions).await?;
            store::set_validation(&mut work, *id, status, &json!(validation)).await?;
            work.commit().await?;
        }
        let valid = format!("{total} proposals validated");
        self.end(tenant, discovery, "ready", &valid, None).await?;
        Ok(())
    }

    /// The project's folder in the local object store.
    fn workspace(&self, tenant: TenantId, project: Uuid) -> Result<PathBuf, Stop> {
        let dir = self.objects_dir.as_ref().ok_or_else(|| {
            Stop::Fail("the local DuckDB sandbox needs the local object store (OBJECTS_DIR)".into())
        })?;
        let workspace = kernel::projects::workspace_dir(dir, tenant, project);
        std::fs::create_dir_all(workspace.join("bronze"))
            .map_err(|e| Stop::Retry(format!("cannot prepare the workspace: {e}")))?;
        Ok(workspace)
    }

    /// Tokens to the discovery and, priced, to the project's costs.
    async fn record(
        &self,
        work: &mut UnitOfWork,
        discovery: &Discovery,
        completions: &[Completion],
    ) -> Result<(), Stop> {
        for completion in completions {
            let items = completion.usage_items();
            let cost = if items.is_empty() {
                None
            } else {
                self.projects
                    .record_usage(work, discovery.project_id, &items)
                    .await
                    .map_err(|e| Stop::Retry(e.to_string()))?
            };
            store::add_usage(
                work,
                discovery.id,
                &completion.provider,
                &completion.model,
                completion.usage.prompt_tokens as i64,
                completion.usage.completion_tokens as i64,
                cost,
            )
            .await?;
        }
        Ok(())
    }

    async fn progress(
        &self,
        tenant: TenantId,
        discovery: &Discovery,
        status: &str,
        progress: &str,
    ) -> Result<(), Stop> {
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant).await?;
        store::set_progress(&mut work, discovery.id, status, progress).await?;
        publish(&mut work, discovery, status, progress).await?;
        work.commit().await?;
        Ok(())
    }

    async fn end(
        &self,
        tenant: TenantId,
        discovery: &Discovery,
        status: &str,
        progress: &str,
        error: Option<&str>,
    ) -> Result<(), Stop> {
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant).await?;
        let error = error.map(|e| e.chars().take(4000).collect::<String>());
        store::finish(&mut work, discovery.id, status, progress, error.as_deref()).await?;
        publish(&mut work, discovery, status, progress).await?;
        work.commit().await?;
        Ok(())
    }
}

async fn publish(
    work: &mut UnitOfWork,
    discovery: &Discovery,
    status: &str,
    progress: &str,
) -> Result<(), kernel::events::EventError> {
    work.publish(&NewEvent::new(
        format!("projects/{}", discovery.project_id),
        "discovery.updated",
        json!({"id": discovery.id, "status": status, "progress": progress}),
    )?)
    .await?;
    work.publish_ids("discoveries", "discovery.updated", &[discovery.id])
        .await
}

fn llm_stop(error: LlmError) -> Stop {
    match error {
        LlmError::Unavailable(_) | LlmError::RateLimited(_) | LlmError::Timeout(_) => {
            Stop::Retry(format!("the model: {error}"))
        }
        _ => Stop::Fail(format!("the model: {error}")),
    }
}

/// Proposals with a usable name, one per table, silver before gold, at most `max`.
fn tidy(proposals: Vec<Proposed>, max: usize) -> Vec<Proposed> {
    let mut seen = std::collections::HashSet::new();
    let mut kept: Vec<Proposed> = proposals
        .into_iter()
        .filter(|p| {
            let name_ok = p.name.len() <= 63
                && p.name.starts_with(|c: char| c.is_ascii_lowercase())
                && p.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            name_ok && p.sql.len() <= 100_000 && seen.insert((p.layer, p.name.clone()))
        })
        .map(|mut p| {
            p.description = p.description.chars().take(2000).collect();
            p
        })
        .collect();
    kept.sort_by_key(|p| p.layer == Layer::Gold);
    kept.truncate(max);
    kept
}

/// A scratch workspace whose bronze folder mirrors the project's; removed when dropped.
struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new(workspace: &Path) -> std::io::Result<Self> {
        let parent = workspace.parent().unwrap_or(workspace);
        let dir = tempfile::Builder::new()
            .prefix(".discovery-")
            .tempdir_in(parent)?;
        for layer in ["bronze", "silver", "gold"] {
            std::fs::create_dir_all(dir.path().join(layer))?;
        }
        mirror(&workspace.join("bronze"), &dir.path().join("bronze"))?;
        Ok(Self(dir))
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

/// Files of `from` (and of its folders, one level down) linked, else copied, into `to`.
fn mirror(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            std::fs::create_dir_all(&target)?;
            mirror(&entry.path(), &target)?;
        } else if kind.is_file() && std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The profile stored with a discovery, read back.
pub fn stored_profile(value: Option<serde_json::Value>) -> Option<Profile> {
    value.and_then(|v| serde_json::from_value(v).ok())
}
