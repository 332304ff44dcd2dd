//! The per-row path of the import: one record as the single-lead API handles it, in a
//! savepoint of its own, so that whatever refuses the record (a check, the database) rolls
//! back that record alone.

use kernel::Problem;
use sqlx::{Acquire, PgConnection};
use uuid::Uuid;

use super::{rows, OnDuplicate, Outcome, Plan};
use crate::checks::Rules;
use crate::fields::LeadInput;
use crate::history::Actor;
use crate::store::{self, Scope};
use crate::write;

/// What to do with one record.
pub(super) enum Step<'a> {
    /// The record as read: looked up by email, then created, updated or skipped per the
    /// duplicate policy.
    Record(&'a csv::ByteRecord),
    /// The record's values, for the live lead `id` that has its email (the batch path found
    /// it).
    Update(Uuid, Box<LeadInput>),
}

/// Runs `step` for the record of `row` in a savepoint. The inner `Err` is the record's
/// failure, with its reason; the outer one means the connection failed (the chunk is retried).
pub(super) async fn import(
    conn: &mut PgConnection,
    rules: &mut Rules<'_>,
    plan: &Plan<'_>,
    row: i32,
    step: Step<'_>,
) -> Result<Result<Outcome, String>, sqlx::Error> {
    let mut savepoint = conn.begin().await?;
    let outcome = match step {
        Step::Record(record) => import_record(&mut savepoint, rules, plan, record).await,
        Step::Update(id, input) => update(&mut savepoint, rules, plan.actor, id, *input).await,
    };
    // A rollback that fails means the connection is gone: the `?` retries the chunk. A row
    // the database refused is that row's failure.
    match outcome {
        Ok(outcome) => {
            savepoint.commit().await?;
            Ok(Ok(outcome))
        }
        Err(RowError::Invalid(why)) => {
            savepoint.rollback().await?;
            Ok(Err(why))
        }
        Err(RowError::Internal(err)) => {
            savepoint.rollback().await?;
            tracing::error!(import = %plan.import, row, error = %err, "import row failed");
            Ok(Err("could not be stored (internal error)".to_owned()))
        }
    }
}

/// Why a record was not written.
pub(super) enum RowError {
    /// The record is refused; the reason goes to the failures.
    Invalid(String),
    /// The database failed.
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
            return RowError::Internal(problem.code.to_string());
        }
        let reason = match &problem.errors {
            Some(errors) if !errors.is_empty() => errors
                .iter()
                .map(|(field, messages)| format!("{field}: {}", messages.join(", ")))
                .collect::<Vec<_>>()
                .join("; "),
            _ => problem
                .detail
                .clone()
                .unwrap_or_else(|| problem.code.to_string()),
        };
        RowError::Invalid(reason)
    }
}

/// The email a record is matched to live leads by (trimmed, lower case).
pub(super) fn email_key(input: &LeadInput) -> Option<String> {
    input
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
}

/// The refusal of a record whose email the live lead `existing` has, under the policy
/// `create`.
pub(super) fn email_taken(existing: Uuid) -> String {
    format!("email: already used by lead {existing}")
}

/// One record: to a lead input, then created, updated or skipped per the policy.
async fn import_record(
    conn: &mut PgConnection,
    rules: &mut Rules<'_>,
    plan: &Plan<'_>,
    record: &csv::ByteRecord,
) -> Result<Outcome, RowError> {
    let input =
        rows::to_input(plan.columns, plan.definitions, record).map_err(RowError::Invalid)?;
    let existing = match email_key(&input) {
        Some(email) => store::id_by_email(&mut *conn, &email, None).await?,
        None => None,
    };
    match (existing, plan.on_duplicate) {
        (Some(_), OnDuplicate::Skip) => Ok(Outcome::Skipped),
        (Some(id), OnDuplicate::Update) => update(conn, rules, plan.actor, id, input).await,
        (Some(id), OnDuplicate::Create) => Err(RowError::Invalid(email_taken(id))),
        (None, _) => {
            let (lead, effects) = write::create(conn, rules, plan.actor, input).await?;
            Ok(Outcome::Created(lead.id, effects))
        }
    }
}

/// The live lead `id` updated with a record's values.
async fn update(
    conn: &mut PgConnection,
    rules: &mut Rules<'_>,
    actor: Actor,
    id: Uuid,
    input: LeadInput,
) -> Result<Outcome, RowError> {
    let current = store::lock(&mut *conn, id, Scope::Live)
        .await?
        .ok_or_else(|| RowError::Internal("a lead vanished under its lock".into()))?;
    let patch = input.into_patch();
    match write::update(conn, rules, actor, "import", &current, &patch).await? {
        Some((lead, effects)) => Ok(Outcome::Updated(lead.id, effects)),
        None => Ok(Outcome::Skipped),
    }
}
