//! Reports: one row per (project, slug), rewritten by each upsert.

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Report {
    pub id: Uuid,
    pub project_id: Uuid,
    pub slug: String,
    pub title: String,
    /// `table`, `metric`, `chart` or `text`.
    pub kind: String,
    #[schema(value_type = Object)]
    pub data: Value,
    /// How many times this slug was written.
    pub revision: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

static REPORTS: Resource = Resource::new(
    "reports",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("project_id", "project_id", FieldType::Uuid),
        Field::new("slug", "slug", FieldType::Text),
        Field::new("title", "title", FieldType::Text),
        Field::new("kind", "kind", FieldType::Text),
        Field::new("updated_at", "updated_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("updated_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static REPORT_LIST: Listing = Listing::new(
    &REPORTS,
    "SELECT id, project_id, slug, title, kind, data, revision, created_at, updated_at \
     FROM project_reports",
);

/// One report of a batch.
pub(crate) struct ReportSpec<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
    pub data: &'a Value,
}

/// Creates or rewrites each report of `project` by slug, in the order given.
pub(crate) async fn upsert(
    conn: &mut PgConnection,
    project: Uuid,
    reports: &[ReportSpec<'_>],
) -> Result<Vec<Report>, sqlx::Error> {
    let ids: Vec<Uuid> = reports.iter().map(|_| Uuid::now_v7()).collect();
    let slugs: Vec<&str> = reports.iter().map(|r| r.slug).collect();
    let titles: Vec<&str> = reports.iter().map(|r| r.title).collect();
    let kinds: Vec<&str> = reports.iter().map(|r| r.kind).collect();
    let data: Vec<Value> = reports.iter().map(|r| r.data.clone()).collect();
    let ordinal: Vec<i32> = (0..reports.len() as i32).collect();
    sqlx::query_as!(
        Report,
        r#"WITH up AS (
             INSERT INTO project_reports (tenant_id, id, project_id, slug, title, kind, data)
             SELECT kernel_current_tenant(), r.id, $1, r.slug, r.title, r.kind, r.data
             FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
                  AS r(id, slug, title, kind, data)
             ON CONFLICT (tenant_id, project_id, slug) DO UPDATE SET
                 title = EXCLUDED.title, kind = EXCLUDED.kind, data = EXCLUDED.data,
                 revision = project_reports.revision + 1, updated_at = now()
             RETURNING id, project_id, slug, title, kind, data, revision, created_at, updated_at)
           SELECT up.id AS "id!", up.project_id AS "project_id!", up.slug AS "slug!",
                  up.title AS "title!", up.kind AS "kind!", up.data AS "data!",
                  up.revision AS "revision!", up.created_at AS "created_at!",
                  up.updated_at AS "updated_at!"
           FROM up JOIN unnest($3::text[], $7::int[]) AS o(slug, n) ON o.slug = up.slug
           ORDER BY o.n"#,
        project,
        &ids,
        &slugs as &[&str],
        &titles as &[&str],
        &kinds as &[&str],
        &data,
        &ordinal
    )
    .fetch_all(conn)
    .await
}

/// The project's reports, most recently written first (100 at most).
pub(crate) async fn latest(
    conn: &mut PgConnection,
    project: Uuid,
) -> Result<Vec<Report>, sqlx::Error> {
    sqlx::query_as!(
        Report,
        "SELECT id, project_id, slug, title, kind, data, revision, created_at, updated_at
         FROM project_reports WHERE project_id = $1 ORDER BY updated_at DESC, id DESC LIMIT 100",
        project
    )
    .fetch_all(conn)
    .await
}
