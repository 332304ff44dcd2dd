//! The batch path of the import: the records of a chunk checked in memory, their emails
//! looked up with one query, duplicates within the file settled in file order, and the new
//! leads written with one statement per table ([`write::create_checked`]).
//!
//! It decides every record as the per-row path would, one after the other: a record whose
//! email an earlier record of the file took meets that lead under the duplicate policy, and a
//! record that failed took nothing. Updates of existing leads run last, through the per-row
//! path (each in its savepoint, at most [`CHUNK`] a batch), once the new leads they may update
//! exist.

use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use super::row::{self, email_key, email_taken, RowError, Step};
use super::{rows, Numbered, OnDuplicate, Outcome, Plan, Tally, CHUNK};
use crate::checks::Rules;
use crate::fields::{LeadFields, LeadInput};
use crate::store;
use crate::write;

/// How a batch went.
pub(super) enum Batch {
    /// The first `handled` records are done; the others wait for the next transaction.
    Done { handled: usize },
    /// The database refused the batch: the caller rolls the transaction back and runs its
    /// records through the per-row path.
    Refused { error: String },
}

/// Imports `records` into `tally`.
pub(super) async fn import(
    conn: &mut PgConnection,
    rules: &mut Rules<'_>,
    plan: &Plan<'_>,
    records: &[Numbered],
    tally: &mut Tally,
) -> Result<Batch, sqlx::Error> {
    let inputs: Vec<Result<LeadInput, String>> = records
        .iter()
        .map(|numbered| match &numbered.record {
            Err(why) => Err(why.clone()),
            Ok(record) => rows::to_input(plan.columns, plan.definitions, record),
        })
        .collect();
    let emails: Vec<String> = inputs
        .iter()
        .filter_map(|input| input.as_ref().ok().and_then(email_key))
        .collect();
    // The live lead of each email: found in the database, then created by this batch.
    let mut taken: HashMap<String, Uuid> = HashMap::new();
    if !emails.is_empty() {
        match store::ids_by_emails(&mut *conn, &emails).await {
            Ok(found) => taken.extend(found),
            Err(err) => return Ok(refused(err)),
        }
    }
    let mut new_rows: Vec<i32> = Vec::new();
    let mut new_leads: Vec<(Uuid, LeadFields)> = Vec::new();
    let mut updates: Vec<(i32, Uuid, LeadInput)> = Vec::new();
    let mut handled = records.len();
    for (i, (numbered, input)) in records.iter().zip(inputs).enumerate() {
        let row = numbered.row;
        let input = match input {
            Ok(input) => input,
            Err(why) => {
                tally.add(row, Err(why));
                continue;
            }
        };
        let email = email_key(&input);
        let existing = email.as_ref().and_then(|e| taken.get(e).copied());
        match (existing, plan.on_duplicate) {
            (Some(_), OnDuplicate::Skip) => tally.add(row, Ok(Outcome::Skipped)),
            (Some(id), OnDuplicate::Update) => {
                if updates.len() == CHUNK {
                    // This record and the next ones wait for the next transaction.
                    handled = i;
                    break;
                }
                updates.push((row, id, input));
            }
            (Some(id), OnDuplicate::Create) => tally.add(row, Err(email_taken(id))),
            (None, _) => match write::new_fields(&mut *conn, rules, input).await {
                Ok(fields) => {
                    let id = Uuid::now_v7();
                    if let Some(email) = email {
                        taken.insert(email, id);
                    }
                    new_rows.push(row);
                    new_leads.push((id, fields));
                }
                Err(problem) => match RowError::from(problem) {
                    RowError::Invalid(why) => tally.add(row, Err(why)),
                    RowError::Internal(err) => return Ok(Batch::Refused { error: err }),
                },
            },
        }
    }
    let ids: Vec<Uuid> = new_leads.iter().map(|(id, _)| *id).collect();
    match write::create_checked(&mut *conn, plan.actor, new_leads).await {
        Ok(Some(effects)) => {
            for ((row, id), effects) in new_rows.into_iter().zip(ids).zip(effects) {
                tally.add(row, Ok(Outcome::Created(id, effects)));
            }
        }
        Ok(None) => {
            return Ok(Batch::Refused {
                error: "a live lead took one of the emails meanwhile".to_owned(),
            })
        }
        Err(err) => return Ok(refused(err)),
    }
    for (row, id, input) in updates {
        let outcome = row::import(
            &mut *conn,
            rules,
            plan,
            row,
            Step::Update(id, Box::new(input)),
        )
        .await?;
        tally.add(row, outcome);
    }
    Ok(Batch::Done { handled })
}

fn refused(err: sqlx::Error) -> Batch {
    Batch::Refused {
        error: err.to_string(),
    }
}
