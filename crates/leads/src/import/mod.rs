//! CSV import as a durable job (`leads.import`).
//!
//! The upload is stored with its column mapping and duplicate policy; the job reads it in
//! chunks of [`CHUNK`] records. Each chunk is one transaction that also advances the
//! import's `next_row` and counters, so a crash or a retry resumes after the last committed
//! chunk: no row is imported twice. Each record runs in its own savepoint: a bad record is
//! rolled back alone (never a half-written lead), recorded with its row number and reason,
//! and the import goes on. Every chunk publishes `lead.created`/`lead.updated` for the leads
//! it wrote and `lead_import.progress` on `resources/lead-imports`.

use std::collections::HashMap;
use std::sync::Arc;

use kernel::cache::Cache;
use kernel::jobs::{Job, JobContext, JobFailure, Registry};
use kernel::tenancy::tenant_tx_for;
use kernel::{Problem, TenantId};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::{Acquire, PgConnection, PgPool};
use uuid::Uuid;

mod rows;

pub use rows::{headers, plan, Target, IMPORTABLE};

use crate::checks::{self, FieldDefinition, Rules};
use crate::history::{Actor, Effects, Events};
use crate::store::{self, Scope};
use crate::{write, Members};

/// Records per transaction. Each record is a savepoint (a subtransaction), and PostgreSQL
/// keeps at most 64 subtransactions per transaction in each backend's cache: past that,
/// visibility checks in every session fall back to `pg_subtrans` lookups. Chunks stay below.
pub const CHUNK: usize = 50;

/// What to do with a record whose email belongs to a live lead.
pub const POLICIES: [&str; 3] = ["skip", "update", "create"];

/// The job: run import `import_id` of the job's tenant.
#[derive(Debug, Serialize, Deserialize)]
pub struct ImportLeads {
    pub import_id: Uuid,
}

impl Job for ImportLeads {
    const KIND: &'static str = "leads.import";
}

/// Registers the import job with the worker.
pub fn register(registry: &mut Registry, db: PgPool, cache: Cache, members: Arc<dyn Members>) {
    registry.on::<ImportLeads, _, _>(move |ctx: JobContext, job: ImportLeads| {
        let (db, cache, members) = (db.clone(), cache.clone(), members.clone());
        async move {
            let tenant = ctx.tenant()?;
            let outcome = run(&db, &cache, members.as_ref(), tenant, job.import_id).await;
            if outcome.is_err() && ctx.is_last_attempt() {
                // Out of retries: say so, rather than leave the import "running" for ever.
                fail(
                    &db,
                    tenant,
                    job.import_id,
                    "the import stopped after repeated errors",
                )
                .await?;
            }
            outcome
        }
    });
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    file: Vec<u8>,
    mapping: Value,
    on_duplicate: String,
    state: String,
    next_row: i32,
    created_by: Option<Uuid>,
    created_by_kind: String,
}

async fn run(
    db: &PgPool,
    cache: &Cache,
    members: &dyn Members,
    tenant: TenantId,
    id: Uuid,
) -> Result<(), JobFailure> {
    let mut tx = tenant_tx_for(db, tenant).await?;
    let import: Option<ImportRow> = sqlx::query_as(
        "UPDATE lead_imports SET state = 'running', started_at = coalesce(started_at, now()) \
         WHERE id = $1 \
         RETURNING file, mapping, on_duplicate, state, next_row, created_by, created_by_kind",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(import) = import else {
        return Ok(()); // Deleted with its tenant: nothing to do.
    };
    let definitions = checks::definitions(&mut tx).await?;
    tx.commit().await?;
    if import.state == "succeeded" || import.state == "failed" {
        return Ok(());
    }
    let columns = match headers(&import.file)
        .and_then(|h| plan(&h, import.mapping.as_object(), &definitions))
    {
        Ok(columns) => columns,
        Err(why) => return fail(db, tenant, id, &why).await,
    };
    let definitions: HashMap<String, FieldDefinition> = definitions
        .into_iter()
        .map(|d| (d.key.clone(), d))
        .collect();
    let actor = Actor {
        kind: if import.created_by_kind == "api_key" {
            "api_key"
        } else {
            "user"
        },
        id: import.created_by,
    };
    let policy = import.on_duplicate.as_str();
    let mut reader = rows::reader(&import.file);
    let mut records = reader.byte_records().peekable();
    let mut position: usize = usize::try_from(import.next_row).unwrap_or(0);
    for _ in 0..position {
        records.next();
    }
    loop {
        let mut tx = tenant_tx_for(db, tenant).await?;
        // The row lock makes a second copy of this job (after a lease expired) wait, then
        // see our progress.
        let done_so_far: i32 =
            sqlx::query_scalar("SELECT next_row FROM lead_imports WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        let done_so_far = usize::try_from(done_so_far).unwrap_or(0);
        while position < done_so_far {
            records.next();
            position += 1;
        }
        let mut rules = Rules::load(&mut tx, members)
            .await
            .map_err(JobFailure::retry)?;
        let mut tally = Tally::default();
        let mut finished = false;
        for _ in 0..CHUNK {
            let Some(record) = records.next() else {
                finished = true;
                break;
            };
            position += 1;
            // The header is row 1, so the n-th record (1-based) is row n + 1.
            let row_number = i32::try_from(position + 1).unwrap_or(i32::MAX);
            let outcome = match record {
                Err(err) => Err(format!("not a readable CSV record: {err}")),
                Ok(record) => {
                    let mut savepoint = (&mut *tx).begin().await?;
                    let outcome = import_row(
                        &mut savepoint,
                        &mut rules,
                        actor,
                        &columns,
                        &definitions,
                        policy,
                        &record,
                    )
                    .await;
                    match outcome {
                        Ok(outcome) => {
                            savepoint.commit().await?;
                            Ok(outcome)
                        }
                        // A rollback that fails means the connection is gone: the `?` retries
                        // the chunk. A row the database refused is that row's failure.
                        Err(RowError::Invalid(why)) => {
                            savepoint.rollback().await?;
                            Err(why)
                        }
                        Err(RowError::Internal(err)) => {
                            savepoint.rollback().await?;
                            tracing::error!(import = %id, row = row_number, error = %err, "import row failed");
                            Err("could not be stored (internal error)".to_owned())
                        }
                    }
                }
            };
            match outcome {
                Ok(outcome) => tally.add(outcome),
                Err(reason) => {
                    tally.failed += 1;
                    sqlx::query(
                        "INSERT INTO lead_import_failures (tenant_id, import_id, row_number, reason) \
                         VALUES (kernel_current_tenant(), $1, $2, $3) ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(row_number)
                    .bind(truncate(&reason, 1000))
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        // A file of exactly N chunks ends with the N-th, not with an empty extra one.
        if records.peek().is_none() {
            finished = true;
        }
        let position_i32 = i32::try_from(position).unwrap_or(i32::MAX);
        sqlx::query(
            "UPDATE lead_imports SET next_row = $2, created = created + $3, \
                 updated = updated + $4, skipped = skipped + $5, failed = failed + $6, \
                 total_rows = CASE WHEN $7 THEN $2 ELSE total_rows END, \
                 state = CASE WHEN $7 THEN 'succeeded' ELSE state END, \
                 finished_at = CASE WHEN $7 THEN now() END, \
                 file = CASE WHEN $7 THEN ''::bytea ELSE file END \
             WHERE id = $1",
        )
        .bind(id)
        .bind(position_i32)
        .bind(i32::try_from(tally.created.len()).unwrap_or(i32::MAX))
        .bind(i32::try_from(tally.updated.len()).unwrap_or(i32::MAX))
        .bind(tally.skipped)
        .bind(tally.failed)
        .bind(finished)
        .execute(&mut *tx)
        .await?;
        let mut events = Events::default();
        events
            .leads(&mut tx, "created", &tally.created)
            .await
            .map_err(JobFailure::retry)?;
        events
            .leads(&mut tx, "updated", &tally.updated)
            .await
            .map_err(JobFailure::retry)?;
        let progress =
            kernel::events::NewEvent::for_ids("lead-imports", "lead_import.progress", [id])?
                .with("processed", json!(position))?
                .with("finished", json!(finished))?;
        events
            .raw(&mut tx, &progress)
            .await
            .map_err(JobFailure::retry)?;
        tx.commit().await?;
        events.notify(cache, tenant).await;
        if finished {
            return Ok(());
        }
    }
}

/// Marks the import failed as a whole (the file or its mapping cannot be read).
async fn fail(db: &PgPool, tenant: TenantId, id: Uuid, why: &str) -> Result<(), JobFailure> {
    let mut tx = tenant_tx_for(db, tenant).await?;
    sqlx::query(
        "UPDATE lead_imports SET state = 'failed', error = $2, finished_at = now(), \
             file = ''::bytea WHERE id = $1",
    )
    .bind(id)
    .bind(why)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Default)]
struct Tally {
    created: Vec<(Uuid, Effects)>,
    updated: Vec<(Uuid, Effects)>,
    skipped: i32,
    failed: i32,
}

enum Outcome {
    Created(Uuid, Effects),
    Updated(Uuid, Effects),
    Skipped,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Created(id, e) => self.created.push((id, e)),
            Outcome::Updated(id, e) => self.updated.push((id, e)),
            Outcome::Skipped => self.skipped += 1,
        }
    }
}

enum RowError {
    /// The record is refused; the reason goes to the failures.
    Invalid(String),
    /// The database failed: the chunk is retried.
    Internal(String),
}

impl From<sqlx::Error> for RowError {
    fn from(err: sqlx::Error) -> Self {
        RowError::Internal(err.to_string())
    }
}

impl From<Problem> for RowError {
    fn from(problem: Problem) -> Self {
        if problem.status >= 500 {
            return RowError::Internal(problem.code);
        }
        let reason = match &problem.errors {
            Some(errors) if !errors.is_empty() => errors
                .iter()
                .map(|(field, messages)| format!("{field}: {}", messages.join(", ")))
                .collect::<Vec<_>>()
                .join("; "),
            _ => problem.detail.clone().unwrap_or(problem.code.clone()),
        };
        RowError::Invalid(reason)
    }
}

/// One record: to a lead input, then created, updated or skipped per the policy.
async fn import_row(
    conn: &mut PgConnection,
    rules: &mut Rules<'_>,
    actor: Actor,
    columns: &[Option<Target>],
    definitions: &HashMap<String, FieldDefinition>,
    policy: &str,
    record: &csv::ByteRecord,
) -> Result<Outcome, RowError> {
    let input = rows::to_input(columns, definitions, record).map_err(RowError::Invalid)?;
    let email = input
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    let existing = match &email {
        Some(email) => store::id_by_email(&mut *conn, email, None).await?,
        None => None,
    };
    match (existing, policy) {
        (Some(_), "skip") => Ok(Outcome::Skipped),
        (Some(id), "update") => {
            let current = store::lock(&mut *conn, id, Scope::Live)
                .await?
                .ok_or_else(|| RowError::Internal("a lead vanished under its lock".into()))?;
            let patch = input.into_patch();
            match write::update(conn, rules, actor, "import", &current, &patch).await? {
                Some((lead, effects)) => Ok(Outcome::Updated(lead.id, effects)),
                None => Ok(Outcome::Skipped),
            }
        }
        (Some(id), _) => Err(RowError::Invalid(format!(
            "email: already used by lead {id}"
        ))),
        (None, _) => {
            let (lead, effects) = write::create(conn, rules, actor, input).await?;
            Ok(Outcome::Created(lead.id, effects))
        }
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}
