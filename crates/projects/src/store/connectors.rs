//! A project's connectors: the external systems it uses (Airbyte, a CRM, any HTTP API).

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Connector {
    pub id: Uuid,
    pub project_id: Uuid,
    pub name: String,
    /// `airbyte` (checked at `<url>/api/v1/health`) or `http` (checked at `<url>`).
    pub kind: String,
    pub url: String,
    pub created_at: DateTime<Utc>,
}

pub(crate) async fn connectors(
    conn: &mut PgConnection,
    project: Uuid,
) -> Result<Vec<Connector>, sqlx::Error> {
    sqlx::query_as!(
        Connector,
        "SELECT id, project_id, name, kind, url, created_at FROM project_connectors
         WHERE project_id = $1 ORDER BY name",
        project
    )
    .fetch_all(conn)
    .await
}

/// Adds a connector; `None` when the project already has one of that name.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    project: Uuid,
    name: &str,
    kind: &str,
    url: &str,
) -> Result<Option<Connector>, sqlx::Error> {
    sqlx::query_as!(
        Connector,
        "INSERT INTO project_connectors (tenant_id, id, project_id, name, kind, url)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, project_id, name) DO NOTHING
         RETURNING id, project_id, name, kind, url, created_at",
        Uuid::now_v7(),
        project,
        name,
        kind,
        url
    )
    .fetch_optional(conn)
    .await
}

pub(crate) async fn delete(
    conn: &mut PgConnection,
    project: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM project_connectors WHERE project_id = $1 AND id = $2",
        project,
        id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
