//! Script versions: which versions of which script exist, where their text is and its hash.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct ScriptVersion {
    pub name: String,
    pub version: i32,
    /// `silver` or `gold`: the layer the script writes.
    pub layer: String,
    /// The object's key: `tenants/<tenant>/projects/<project>/scripts/<name>/v<version>.sql`.
    pub key: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

/// The next version number of script `name` (1 for a new script). The project row is locked
/// by the caller, so two saves never take the same number.
pub(crate) async fn next_version(
    conn: &mut PgConnection,
    project: Uuid,
    name: &str,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT coalesce(max(version), 0) + 1 AS "v!" FROM project_scripts
           WHERE project_id = $1 AND name = $2"#,
        project,
        name
    )
    .fetch_one(conn)
    .await
}

pub(crate) async fn insert(
    conn: &mut PgConnection,
    project: Uuid,
    script: &ScriptVersion,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO project_scripts (tenant_id, project_id, name, version, layer, key, size, sha256)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7)",
        project,
        script.name,
        script.version,
        script.layer,
        script.key,
        script.size,
        script.sha256
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The latest version of each of the project's scripts.
pub(crate) async fn latest(
    conn: &mut PgConnection,
    project: Uuid,
) -> Result<Vec<ScriptVersion>, sqlx::Error> {
    sqlx::query_as!(
        ScriptVersion,
        "SELECT DISTINCT ON (name) name, version, layer, key, size, sha256, created_at
         FROM project_scripts WHERE project_id = $1 ORDER BY name, version DESC",
        project
    )
    .fetch_all(conn)
    .await
}

/// Every version of script `name`, newest first.
pub(crate) async fn versions(
    conn: &mut PgConnection,
    project: Uuid,
    name: &str,
) -> Result<Vec<ScriptVersion>, sqlx::Error> {
    sqlx::query_as!(
        ScriptVersion,
        "SELECT name, version, layer, key, size, sha256, created_at
         FROM project_scripts WHERE project_id = $1 AND name = $2 ORDER BY version DESC",
        project,
        name
    )
    .fetch_all(conn)
    .await
}

/// Whether `key` is a script version of the project.
pub(crate) async fn has_key(
    conn: &mut PgConnection,
    project: Uuid,
    key: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM project_scripts WHERE project_id = $1 AND key = $2) AS "e!""#,
        project,
        key
    )
    .fetch_one(conn)
    .await
}
