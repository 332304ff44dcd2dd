//! Task tokens (`.waitForTaskToken`) and task effects (what a resource started for an attempt).

use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

/// A token's row.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub execution_id: Uuid,
    pub state: String,
    pub attempt: i32,
    pub completed: bool,
}

pub(crate) async fn insert(
    conn: &mut PgConnection,
    hash: &[u8],
    execution: Uuid,
    state: &str,
    attempt: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO task_tokens (tenant_id, token_hash, execution_id, state, attempt)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4)",
        hash,
        execution,
        state,
        attempt
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The tenant and execution of a token, whichever tenant it belongs to.
pub(crate) async fn owner(
    conn: &mut PgConnection,
    hash: &[u8],
) -> Result<Option<(Uuid, Uuid)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT tenant_id AS "tenant_id!", execution_id AS "execution_id!"
           FROM orchestration_task_token($1)"#,
        hash
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.tenant_id, r.execution_id)))
}

/// The token, locked for the rest of the transaction.
pub(crate) async fn lock(
    conn: &mut PgConnection,
    hash: &[u8],
) -> Result<Option<Token>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT execution_id, state, attempt, completed_at IS NOT NULL AS completed
         FROM task_tokens WHERE token_hash = $1 FOR UPDATE",
        hash
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| Token {
        execution_id: r.execution_id,
        state: r.state,
        attempt: r.attempt,
        completed: r.completed.unwrap_or(false),
    }))
}

pub(crate) async fn settle(
    conn: &mut PgConnection,
    hash: &[u8],
    outcome: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE task_tokens SET completed_at = now(), outcome = $2
         WHERE token_hash = $1 AND completed_at IS NULL",
        hash,
        outcome
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn heartbeat(conn: &mut PgConnection, hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE task_tokens SET heartbeat_at = now() WHERE token_hash = $1",
        hash
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Settles every open token of an execution (cancelled or redriven).
pub(crate) async fn cancel_open(
    conn: &mut PgConnection,
    execution: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE task_tokens SET completed_at = now(), outcome = 'cancelled'
         WHERE execution_id = $1 AND completed_at IS NULL",
        execution
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What a resource recorded for an attempt's idempotency key, if anything.
pub(crate) async fn effect(
    conn: &mut PgConnection,
    key: &str,
) -> Result<Option<(Option<String>, Value)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT external_id, details FROM task_effects WHERE key = $1",
        key
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.external_id, r.details)))
}

/// Records what a resource started for `key` (the first record wins).
pub(crate) async fn record_effect(
    conn: &mut PgConnection,
    key: &str,
    execution: Uuid,
    resource: &str,
    external_id: Option<&str>,
    details: &Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO task_effects (tenant_id, key, execution_id, resource, external_id, details)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, key) DO NOTHING",
        key,
        execution,
        resource,
        external_id,
        details
    )
    .execute(conn)
    .await?;
    Ok(())
}
