//! Projects: their list, one project, their writes, the audit trail, and the state version
//! every change to a project's state document bumps.

use kernel::list::{Field, FieldType, Listing, Order, Resource};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::model::Project;

static PROJECTS: Resource = Resource::new(
    "projects",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("name", "name", FieldType::Text),
        Field::new("slug", "slug", FieldType::Text),
        Field::new("client_name", "client_name", FieldType::Text),
        Field::new("status", "status", FieldType::Text),
        Field::new("created_at", "created_at", FieldType::Timestamp),
        Field::new("updated_at", "updated_at", FieldType::Timestamp),
    ],
)
.search("(name ILIKE '%' || $q || '%' OR client_name ILIKE '%' || $q || '%' OR slug ILIKE '%' || $q || '%')")
.default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static LISTING: Listing = Listing::new(
    &PROJECTS,
    "SELECT id, name, slug, client_name, description, status, timezone, budget_amount, \
            budget_currency, created_at, updated_at \
     FROM projects",
)
.filtered("deleted_at IS NULL")
.counted("projects");

/// What a new project is made of.
pub(crate) struct NewProject<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub slug: &'a str,
    pub client_name: &'a str,
    pub description: &'a str,
    pub status: &'a str,
    pub timezone: &'a str,
    pub budget_amount: Option<Decimal>,
    pub budget_currency: &'a str,
}

pub(crate) async fn insert_project(
    conn: &mut PgConnection,
    new: &NewProject<'_>,
) -> Result<Project, sqlx::Error> {
    sqlx::query_as!(
        Project,
        "INSERT INTO projects (tenant_id, id, name, slug, client_name, description, status,
                               timezone, budget_amount, budget_currency)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING id, name, slug, client_name, description, status, timezone, budget_amount,
                   budget_currency, created_at, updated_at",
        new.id,
        new.name,
        new.slug,
        new.client_name,
        new.description,
        new.status,
        new.timezone,
        new.budget_amount,
        new.budget_currency
    )
    .fetch_one(conn)
    .await
}

/// Live project `id`.
pub(crate) async fn project(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Project>, sqlx::Error> {
    sqlx::query_as!(
        Project,
        "SELECT id, name, slug, client_name, description, status, timezone, budget_amount,
                budget_currency, created_at, updated_at
         FROM projects WHERE id = $1 AND deleted_at IS NULL",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Live project `id`, locked until the transaction ends: writes to its tree, runs and costs
/// take this lock first, so they apply one after another and the state version counts each.
pub(crate) async fn lock_project(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Project>, sqlx::Error> {
    sqlx::query_as!(
        Project,
        "SELECT id, name, slug, client_name, description, status, timezone, budget_amount,
                budget_currency, created_at, updated_at
         FROM projects WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Whether live project `id` exists (for routes that only need to know).
pub(crate) async fn exists(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let found = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM projects WHERE id = $1 AND deleted_at IS NULL) AS "e!""#,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok(found)
}

/// What a change to a project sets; `None` keeps the current value (`budget_amount:
/// Some(None)` removes the budget).
pub(crate) struct ProjectChange<'a> {
    pub name: Option<&'a str>,
    pub slug: Option<&'a str>,
    pub client_name: Option<&'a str>,
    pub description: Option<&'a str>,
    pub status: Option<&'a str>,
    pub timezone: Option<&'a str>,
    pub budget_amount: Option<Option<Decimal>>,
    pub budget_currency: Option<&'a str>,
}

/// Applies `change` and bumps the state version (the project is part of its state document).
pub(crate) async fn update_project(
    conn: &mut PgConnection,
    id: Uuid,
    change: &ProjectChange<'_>,
) -> Result<Option<Project>, sqlx::Error> {
    sqlx::query_as!(
        Project,
        "UPDATE projects SET
             name = coalesce($2, name),
             slug = coalesce($3, slug),
             client_name = coalesce($4, client_name),
             description = coalesce($5, description),
             status = coalesce($6, status),
             timezone = coalesce($7, timezone),
             budget_amount = CASE WHEN $8 THEN $9 ELSE budget_amount END,
             budget_currency = coalesce($10, budget_currency),
             state_version = state_version + 1,
             updated_at = now()
         WHERE id = $1 AND deleted_at IS NULL
         RETURNING id, name, slug, client_name, description, status, timezone, budget_amount,
                   budget_currency, created_at, updated_at",
        id,
        change.name,
        change.slug,
        change.client_name,
        change.description,
        change.status,
        change.timezone,
        change.budget_amount.is_some(),
        change.budget_amount.flatten(),
        change.budget_currency
    )
    .fetch_optional(conn)
    .await
}

/// Soft-deletes live project `id`; false when there is none.
pub(crate) async fn delete_project(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE projects SET deleted_at = now(), updated_at = now(), state_version = state_version + 1
         WHERE id = $1 AND deleted_at IS NULL",
        id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Counts one more change to project `id`'s state document (its ETag) and returns the new
/// version.
pub(crate) async fn touch_state(conn: &mut PgConnection, id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "UPDATE projects SET state_version = state_version + 1 WHERE id = $1 RETURNING state_version",
        id
    )
    .fetch_one(conn)
    .await
}

/// One entry of a project's audit trail.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: Uuid,
    pub action: String,
    /// `user`, `api_key` or `system`.
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    /// `{field: {"before": …, "after": …}}`.
    #[schema(value_type = Object)]
    pub changes: Value,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub(crate) async fn insert_audit(
    conn: &mut PgConnection,
    project: Uuid,
    action: &str,
    actor: (&str, Option<Uuid>),
    changes: &Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO project_audit (tenant_id, id, project_id, action, actor_kind, actor_id, changes)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6)",
        Uuid::now_v7(),
        project,
        action,
        actor.0,
        actor.1,
        changes
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The last 100 audit entries of project `id`, newest first.
pub(crate) async fn audit(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    sqlx::query_as!(
        AuditEntry,
        "SELECT id, action, actor_kind, actor_id, changes, created_at FROM project_audit
         WHERE project_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100",
        id
    )
    .fetch_all(conn)
    .await
}

/// The live project with slug `slug`, if any.
pub async fn id_by_slug(conn: &mut PgConnection, slug: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM projects WHERE slug = $1 AND deleted_at IS NULL",
        slug
    )
    .fetch_optional(conn)
    .await
}
