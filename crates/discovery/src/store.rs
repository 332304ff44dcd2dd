//! Discoveries and their proposals (tables `discoveries`, `discovery_proposals`).

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::propose::Proposed;

/// A discovery as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Discovery {
    pub id: Uuid,
    pub project_id: Uuid,
    /// `queued`, `profiling`, `proposing`, `validating`, `ready` or `failed`.
    pub status: String,
    /// What the running step is doing.
    pub progress: String,
    /// Whether sample values of personal-looking columns may leave unmasked.
    pub allow_samples: bool,
    pub max_proposals: i32,
    pub repair_rounds: i32,
    /// `openai-compatible` or `rule-based`.
    pub provider: Option<String>,
    pub model: Option<String>,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    /// What the tokens cost, in the tenant's currency (absent: nothing billed).
    #[schema(value_type = Option<String>)]
    pub cost: Option<Decimal>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A proposed table and how it fared.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Proposal {
    pub id: Uuid,
    pub position: i32,
    /// `silver` or `gold`.
    pub layer: String,
    pub name: String,
    pub description: String,
    /// The SQL as first proposed (the validated SQL, after repairs, is in `validation.sql`).
    pub sql: String,
    /// `pending`, `valid`, `rejected`, `accepted` or `dismissed`.
    pub status: String,
    #[schema(value_type = Option<Object>)]
    pub validation: Option<Value>,
    pub decided_at: Option<DateTime<Utc>>,
}

static DISCOVERIES: Resource = Resource::new(
    "discoveries",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("project_id", "project_id", FieldType::Uuid),
        Field::new("status", "status", FieldType::Text),
        Field::new("provider", "provider", FieldType::Text),
        Field::new("created_at", "created_at", FieldType::Timestamp),
        Field::new("finished_at", "finished_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static DISCOVERY_LIST: Listing = Listing::new(
    &DISCOVERIES,
    "SELECT id, project_id, status, progress, allow_samples, max_proposals, repair_rounds, \
     provider, model, prompt_tokens, completion_tokens, cost, error, created_at, updated_at, \
     finished_at FROM discoveries",
);

pub(crate) struct NewDiscovery {
    pub id: Uuid,
    pub project_id: Uuid,
    pub allow_samples: bool,
    pub max_proposals: i32,
    pub repair_rounds: i32,
    pub created_by: Option<Uuid>,
}

pub(crate) async fn insert(
    conn: &mut PgConnection,
    new: &NewDiscovery,
) -> Result<Discovery, sqlx::Error> {
    sqlx::query_as!(
        Discovery,
        "INSERT INTO discoveries (tenant_id, id, project_id, allow_samples, max_proposals,
                                  repair_rounds, created_by)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6)
         RETURNING id, project_id, status, progress, allow_samples, max_proposals, repair_rounds,
                   provider, model, prompt_tokens, completion_tokens, cost, error, created_at,
                   updated_at, finished_at",
        new.id,
        new.project_id,
        new.allow_samples,
        new.max_proposals,
        new.repair_rounds,
        new.created_by
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn get(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Discovery>, sqlx::Error> {
    sqlx::query_as!(
        Discovery,
        "SELECT id, project_id, status, progress, allow_samples, max_proposals, repair_rounds,
                provider, model, prompt_tokens, completion_tokens, cost, error, created_at,
                updated_at, finished_at
         FROM discoveries WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn profile(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Value>, sqlx::Error> {
    let row = sqlx::query_scalar!("SELECT profile FROM discoveries WHERE id = $1", id)
        .fetch_optional(conn)
        .await?;
    Ok(row.flatten())
}

pub(crate) async fn set_progress(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
    progress: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE discoveries SET status = $2, progress = $3, updated_at = now() WHERE id = $1",
        id,
        status,
        progress
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn set_profile(
    conn: &mut PgConnection,
    id: Uuid,
    profile: &Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE discoveries SET profile = $2, updated_at = now() WHERE id = $1",
        id,
        profile
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds the tokens of a completion.
pub(crate) async fn add_usage(
    conn: &mut PgConnection,
    id: Uuid,
    provider: &str,
    model: &str,
    prompt_tokens: i64,
    completion_tokens: i64,
    cost: Option<Decimal>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE discoveries
         SET provider = $2, model = $3, prompt_tokens = prompt_tokens + $4,
             completion_tokens = completion_tokens + $5,
             cost = CASE WHEN $6::numeric IS NULL THEN cost ELSE coalesce(cost, 0) + $6 END,
             updated_at = now()
         WHERE id = $1",
        id,
        provider,
        model,
        prompt_tokens,
        completion_tokens,
        cost
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn finish(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
    progress: &str,
    error: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE discoveries
         SET status = $2, progress = $3, error = $4, updated_at = now(), finished_at = now()
         WHERE id = $1",
        id,
        status,
        progress,
        error
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the discovery's proposals (a retried job proposes again).
pub(crate) async fn set_proposals(
    conn: &mut PgConnection,
    discovery: Uuid,
    proposals: &[Proposed],
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query!(
        "DELETE FROM discovery_proposals WHERE discovery_id = $1",
        discovery
    )
    .execute(&mut *conn)
    .await?;
    let mut ids = Vec::with_capacity(proposals.len());
    for (position, proposal) in proposals.iter().enumerate() {
        let id = Uuid::now_v7();
        sqlx::query!(
            "INSERT INTO discovery_proposals
                 (tenant_id, id, discovery_id, position, layer, name, description, sql)
             VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7)",
            id,
            discovery,
            position as i32,
            proposal.layer.as_str(),
            proposal.name,
            proposal.description,
            proposal.sql
        )
        .execute(&mut *conn)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

pub(crate) async fn set_validation(
    conn: &mut PgConnection,
    proposal: Uuid,
    status: &str,
    validation: &Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE discovery_proposals SET status = $2, validation = $3 WHERE id = $1",
        proposal,
        status,
        validation
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn proposals(
    conn: &mut PgConnection,
    discovery: Uuid,
) -> Result<Vec<Proposal>, sqlx::Error> {
    sqlx::query_as!(
        Proposal,
        "SELECT id, position, layer, name, description, sql, status, validation, decided_at
         FROM discovery_proposals WHERE discovery_id = $1 ORDER BY position",
        discovery
    )
    .fetch_all(conn)
    .await
}

/// Locks proposal `id` of discovery `discovery` for a decision.
pub(crate) async fn lock_proposal(
    conn: &mut PgConnection,
    discovery: Uuid,
    id: Uuid,
) -> Result<Option<Proposal>, sqlx::Error> {
    sqlx::query_as!(
        Proposal,
        "SELECT id, position, layer, name, description, sql, status, validation, decided_at
         FROM discovery_proposals WHERE discovery_id = $1 AND id = $2 FOR UPDATE",
        discovery,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Records a person's decision on a proposal.
pub(crate) async fn decide(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
    by: Option<Uuid>,
) -> Result<Proposal, sqlx::Error> {
    sqlx::query_as!(
        Proposal,
        "UPDATE discovery_proposals SET status = $2, decided_at = now(), decided_by = $3
         WHERE id = $1
         RETURNING id, position, layer, name, description, sql, status, validation, decided_at",
        id,
        status,
        by
    )
    .fetch_one(conn)
    .await
}
