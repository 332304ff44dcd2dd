//! The SQL for CSV imports as the API shows them: their list, one import with its rejected
//! rows, and the upload's row (the job's own SQL is in `crate::import`).

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::history::Actor;
use crate::registry::ImportTarget;

/// An import and its result so far.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct LeadImport {
    pub id: Uuid,
    pub filename: String,
    /// `queued`, `running`, `succeeded` or `failed` (the file could not be read).
    pub state: String,
    /// `skip`, `update` or `create`.
    pub on_duplicate: String,
    /// CSV column -> lead field, as resolved from the upload (the columns not imported are
    /// left out).
    #[schema(value_type = BTreeMap<String, ImportTarget>)]
    pub mapping: Value,
    /// Data rows in the file, once read to the end.
    pub total_rows: Option<i32>,
    /// Data rows handled so far.
    pub processed: i32,
    pub created: i32,
    pub updated: i32,
    pub skipped: i32,
    pub failed: i32,
    /// Why the import as a whole failed.
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The rejected rows (the header is row 1), first 10,000.
    #[sqlx(skip)]
    pub failures: Vec<ImportFailure>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportFailure {
    pub row: i32,
    pub reason: String,
}

static IMPORTS: Resource = Resource::new(
    "lead-imports",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("state", "state", FieldType::Text),
        Field::new("created_at", "created_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

/// The tenant's imports, without their failures (the SELECT of [`find_import`]).
// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static LISTING: Listing = Listing::new(
    &IMPORTS,
    "SELECT id, filename, state, on_duplicate, mapping, total_rows, next_row AS processed, \
     created, updated, skipped, failed, error, created_at, started_at, finished_at \
     FROM lead_imports",
);

/// Import `id` with its first `failures_shown` rejected rows, in row order.
pub(crate) async fn find_import(
    conn: &mut PgConnection,
    id: Uuid,
    failures_shown: i64,
) -> Result<Option<LeadImport>, sqlx::Error> {
    let Some(row) = sqlx::query!(
        "SELECT id, filename, state, on_duplicate, mapping, total_rows, next_row AS processed, \
             created, updated, skipped, failed, error, created_at, started_at, finished_at \
         FROM lead_imports WHERE id = $1",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let failures = sqlx::query_as!(
        ImportFailure,
        r#"SELECT row_number AS "row", reason FROM lead_import_failures WHERE import_id = $1
           ORDER BY row_number LIMIT $2"#,
        id,
        failures_shown
    )
    .fetch_all(conn)
    .await?;
    Ok(Some(LeadImport {
        id: row.id,
        filename: row.filename,
        state: row.state,
        on_duplicate: row.on_duplicate,
        mapping: row.mapping,
        total_rows: row.total_rows,
        processed: row.processed,
        created: row.created,
        updated: row.updated,
        skipped: row.skipped,
        failed: row.failed,
        error: row.error,
        created_at: row.created_at,
        started_at: row.started_at,
        finished_at: row.finished_at,
        failures,
    }))
}

/// An uploaded file to import.
pub(crate) struct NewImport<'a> {
    pub id: Uuid,
    pub filename: &'a str,
    pub file: &'a [u8],
    /// CSV column -> lead field name, as resolved.
    pub mapping: &'a Value,
    /// `skip`, `update` or `create`.
    pub on_duplicate: &'a str,
    pub created_by: Actor,
}

pub(crate) async fn insert_import(
    conn: &mut PgConnection,
    import: NewImport<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO lead_imports (tenant_id, id, filename, file, mapping, on_duplicate, \
             created_by, created_by_kind) \
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7)",
        import.id,
        import.filename,
        import.file,
        import.mapping,
        import.on_duplicate,
        import.created_by.id,
        import.created_by.kind
    )
    .execute(conn)
    .await?;
    Ok(())
}
