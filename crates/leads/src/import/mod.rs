//! CSV import as a durable job (`leads.import`).
//!
//! The upload is stored with its column mapping and duplicate policy; the job reads it in
//! chunks. Each chunk is one transaction that also advances the import's `next_row` and
//! counters, so a crash or a retry resumes after the last committed chunk: no row is
//! imported twice (the import row's lock makes a second copy of the job wait, then see that
//! progress). Every chunk publishes `lead.created`/`lead.updated` (and `lead.assigned`) for
//! the leads it wrote and `lead_import.progress` on `resources/lead-imports`.
//!
//! Two paths give the same result. The batch path ([`batch`], up to [`BATCH`] records a
//! transaction) checks every record in memory, finds the emails live leads already have with
//! one query, settles duplicates within the file in file order, and creates the new leads with
//! one statement per table. The per-row path ([`row`]) runs each record as the single-lead API
//! does, in its own savepoint, [`CHUNK`] records a transaction. It takes what the batch path
//! does not write at once: updates of existing leads (at most [`CHUNK`] in a batch), and every
//! record of a batch the database refused (a value only the database rejects, an email another
//! writer took meanwhile), after that batch rolled back whole. Either way a bad record is that
//! record's failure, reported with its row number and reason, and never a half-written lead.

use std::collections::HashMap;
use std::sync::Arc;

use kernel::cache::Cache;
use kernel::jobs::{Job, JobContext, JobFailure, Registry};
use kernel::{TenantId, UnitOfWork};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

mod batch;
mod row;
mod rows;

pub use rows::{headers, plan, resolved, Target};
use rows::{Numbered, Records};

use crate::checks::{self, FieldDefinition, Rules};
use crate::history::{publish_leads, Actor, Effects};
use crate::Members;

/// Records per transaction on the per-row path, and the most updates a batch makes. Each of
/// those is a savepoint (a subtransaction), and PostgreSQL keeps at most 64 subtransactions
/// per transaction in each backend's cache: past that, visibility checks in every session fall
/// back to `pg_subtrans` lookups. Chunks stay below.
pub const CHUNK: usize = 50;

/// Records per transaction on the batch path. Its creates take no savepoint.
pub const BATCH: usize = 1000;

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
                    &cache,
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

struct ImportRow {
    file: Vec<u8>,
    mapping: Value,
    on_duplicate: String,
    state: String,
    next_row: i32,
    created_by: Option<Uuid>,
    created_by_kind: String,
}

/// Runs import `id` of `tenant` to its end, resuming after its last committed chunk: the
/// job's work, also run in place by the demo seed.
pub(crate) async fn run(
    db: &PgPool,
    cache: &Cache,
    members: &dyn Members,
    tenant: TenantId,
    id: Uuid,
) -> Result<(), JobFailure> {
    let mut work = UnitOfWork::begin_for(db, cache, tenant).await?;
    let import = sqlx::query_as!(
        ImportRow,
        "UPDATE lead_imports SET state = 'running', started_at = coalesce(started_at, now())
         WHERE id = $1
         RETURNING file, mapping, on_duplicate, state, next_row, created_by, created_by_kind",
        id,
    )
    .fetch_optional(&mut *work)
    .await?;
    let Some(import) = import else {
        return Ok(()); // Deleted with its tenant: nothing to do.
    };
    let definitions = checks::definitions(&mut work).await?;
    work.commit().await?;
    if import.state == "succeeded" || import.state == "failed" {
        return Ok(());
    }
    let columns = match headers(&import.file)
        .and_then(|h| plan(&h, import.mapping.as_object(), &definitions))
    {
        Ok(columns) => columns,
        Err(why) => return fail(db, cache, tenant, id, &why).await,
    };
    let definitions: HashMap<String, FieldDefinition> = definitions
        .into_iter()
        .map(|d| (d.key.clone(), d))
        .collect();
    let plan = Plan {
        import: id,
        actor: Actor {
            kind: if import.created_by_kind == "api_key" {
                "api_key"
            } else {
                "user"
            },
            id: import.created_by,
        },
        columns: &columns,
        definitions: &definitions,
        on_duplicate: OnDuplicate::from(import.on_duplicate.as_str()),
    };
    let mut records = Records::new(&import.file);
    records.skip_to(usize::try_from(import.next_row).unwrap_or(0));
    // The records before this position go through the per-row path: their batch was refused.
    let mut per_row_until = 0;
    loop {
        let mut work = UnitOfWork::begin_for(db, cache, tenant).await?;
        // The row lock makes a second copy of this job (after a lease expired) wait, then
        // see our progress.
        let done_so_far = sqlx::query_scalar!(
            "SELECT next_row FROM lead_imports WHERE id = $1 FOR UPDATE",
            id
        )
        .fetch_one(&mut *work)
        .await?;
        records.skip_to(usize::try_from(done_so_far).unwrap_or(0));
        let mut rules = Rules::load(&mut work, members)
            .await
            .map_err(JobFailure::retry)?;
        let mut tally = Tally::default();
        if records.position() < per_row_until {
            let n = (per_row_until - records.position()).min(CHUNK);
            for numbered in records.take(n) {
                let outcome = match &numbered.record {
                    Err(why) => Err(why.clone()),
                    Ok(record) => {
                        let step = row::Step::Record(record);
                        row::import(&mut work, &mut rules, &plan, numbered.row, step).await?
                    }
                };
                tally.add(numbered.row, outcome);
            }
        } else {
            let start = records.position();
            let mut chunk = records.take(BATCH);
            match batch::import(&mut work, &mut rules, &plan, &chunk, &mut tally).await? {
                batch::Batch::Done { handled } => records.put_back(chunk.split_off(handled)),
                batch::Batch::Refused { error } => {
                    tracing::warn!(import = %id, rows = chunk.len(), error = %error, "batch refused; its rows go one by one");
                    drop(work); // rolls the batch back
                    per_row_until = start + chunk.len();
                    records.put_back(chunk);
                    continue;
                }
            }
        }
        // A file of exactly N chunks ends with the N-th, not with an empty extra one.
        let finished = records.is_done();
        tally.write_failures(&mut work, id).await?;
        let position = i32::try_from(records.position()).unwrap_or(i32::MAX);
        sqlx::query!(
            "UPDATE lead_imports SET next_row = $2, created = created + $3,
                 updated = updated + $4, skipped = skipped + $5, failed = failed + $6,
                 total_rows = CASE WHEN $7 THEN $2 ELSE total_rows END,
                 state = CASE WHEN $7 THEN 'succeeded' ELSE state END,
                 finished_at = CASE WHEN $7 THEN now() END,
                 file = CASE WHEN $7 THEN ''::bytea ELSE file END
             WHERE id = $1",
            id,
            position,
            i32::try_from(tally.created.len()).unwrap_or(i32::MAX),
            i32::try_from(tally.updated.len()).unwrap_or(i32::MAX),
            tally.skipped,
            i32::try_from(tally.failures.len()).unwrap_or(i32::MAX),
            finished,
        )
        .execute(&mut *work)
        .await?;
        publish_leads(&mut work, "created", &tally.created).await?;
        publish_leads(&mut work, "updated", &tally.updated).await?;
        let progress =
            kernel::events::NewEvent::for_ids("lead-imports", "lead_import.progress", [id])?
                .with("processed", json!(position))?
                .with("finished", json!(finished))?;
        work.publish(&progress).await?;
        work.commit().await?;
        if finished {
            return Ok(());
        }
    }
}

/// Marks the import failed as a whole (the file or its mapping cannot be read).
async fn fail(
    db: &PgPool,
    cache: &Cache,
    tenant: TenantId,
    id: Uuid,
    why: &str,
) -> Result<(), JobFailure> {
    let mut work = UnitOfWork::begin_for(db, cache, tenant).await?;
    sqlx::query!(
        "UPDATE lead_imports SET state = 'failed', error = $2, finished_at = now(),
             file = ''::bytea WHERE id = $1",
        id,
        why,
    )
    .execute(&mut *work)
    .await?;
    work.commit().await?;
    Ok(())
}

/// What to do with a record whose email belongs to a live lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnDuplicate {
    /// Leave the lead alone; the record counts as skipped.
    Skip,
    /// Update the lead with the record's values.
    Update,
    /// Try to create: the record fails, naming the lead that has its email.
    Create,
}

impl From<&str> for OnDuplicate {
    fn from(policy: &str) -> Self {
        match policy {
            "skip" => OnDuplicate::Skip,
            "update" => OnDuplicate::Update,
            _ => OnDuplicate::Create,
        }
    }
}

/// How this import turns records into leads.
struct Plan<'a> {
    import: Uuid,
    /// Who uploaded the file: the import's writes are theirs.
    actor: Actor,
    columns: &'a [Option<Target>],
    definitions: &'a HashMap<String, FieldDefinition>,
    on_duplicate: OnDuplicate,
}

/// What the records of one chunk came to.
#[derive(Default)]
struct Tally {
    created: Vec<(Uuid, Effects)>,
    updated: Vec<(Uuid, Effects)>,
    skipped: i32,
    /// Row number and reason of each failed record.
    failures: Vec<(i32, String)>,
}

enum Outcome {
    Created(Uuid, Effects),
    Updated(Uuid, Effects),
    Skipped,
}

impl Tally {
    /// `Err` is the record's failure, with its reason.
    fn add(&mut self, row: i32, outcome: Result<Outcome, String>) {
        match outcome {
            Ok(Outcome::Created(id, e)) => self.created.push((id, e)),
            Ok(Outcome::Updated(id, e)) => self.updated.push((id, e)),
            Ok(Outcome::Skipped) => self.skipped += 1,
            Err(reason) => self.failures.push((row, truncate(&reason, 1000))),
        }
    }

    async fn write_failures(
        &self,
        conn: &mut PgConnection,
        import: Uuid,
    ) -> Result<(), sqlx::Error> {
        if self.failures.is_empty() {
            return Ok(());
        }
        let (rows, reasons): (Vec<i32>, Vec<&str>) = self
            .failures
            .iter()
            .map(|(row, reason)| (*row, reason.as_str()))
            .unzip();
        sqlx::query!(
            "INSERT INTO lead_import_failures (tenant_id, import_id, row_number, reason)
             SELECT kernel_current_tenant(), $1, f.row_number, f.reason
             FROM unnest($2::int4[], $3::text[]) AS f(row_number, reason)
             ON CONFLICT DO NOTHING",
            import,
            &rows,
            &reasons as &[&str],
        )
        .execute(conn)
        .await?;
        Ok(())
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}
