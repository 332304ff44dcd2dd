//! Creating and changing one lead, the way every route does it (single, bulk, upsert, merge):
//! normalise, check against the tenant's data, refuse duplicate emails, place on the board,
//! write, and record the change. The caller owns the transaction and publishes the events.
//! [`create_checked`] is the writing half of a create, for one lead or a batch (the import).

use std::collections::HashMap;

use kernel::Problem;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::checks::{round_robin, Rules};
use crate::fields::{normalise, LeadFields, LeadInput, LeadPatch};
use crate::history::{self, Actor, Effects, History};
use crate::model::Lead;
use crate::problems;
use crate::rank;
use crate::store::{self, Scope};

/// Creates a lead from `input` in the caller's transaction.
pub async fn create(
    conn: &mut PgConnection,
    rules: &mut Rules<'_>,
    actor: Actor,
    input: LeadInput,
) -> Result<(Lead, Effects), Problem> {
    let fields = new_fields(&mut *conn, rules, input).await?;
    refuse_duplicate(&mut *conn, &fields, None).await?;
    let id = Uuid::now_v7();
    let created = create_checked(&mut *conn, actor, vec![(id, fields)]).await?;
    // A concurrent write took the email between our check and our insert.
    let effects = created
        .and_then(|effects| effects.first().copied())
        .ok_or_else(|| problems::duplicate_email(None))?;
    Ok((fetch(conn, id).await?, effects))
}

/// The fields of a new lead from `input`, normalised and checked against the tenant's data.
pub async fn new_fields(
    conn: &mut PgConnection,
    rules: &mut Rules<'_>,
    input: LeadInput,
) -> Result<LeadFields, Problem> {
    let fields = normalise(input.into_fields()).map_err(Problem::validation)?;
    Ok(rules.check(conn, fields, None).await?)
}

/// Inserts new leads whose fields come from [`new_fields`] and whose emails
/// no live lead has, in order, with one statement per table: owners by round-robin for those
/// without one, ranks at the end of their stages, and the record of each creation. Returns
/// the effects of each lead, or `None` when a live lead took one of the emails meanwhile: then
/// nothing is recorded and the caller must roll back (some leads may have been inserted).
pub async fn create_checked(
    conn: &mut PgConnection,
    actor: Actor,
    mut leads: Vec<(Uuid, LeadFields)>,
) -> Result<Option<Vec<Effects>>, sqlx::Error> {
    if leads.is_empty() {
        return Ok(Some(Vec::new()));
    }
    let unowned: Vec<usize> = (0..leads.len())
        .filter(|&i| leads[i].1.owner_id.is_none() && leads[i].1.source.is_some())
        .collect();
    if !unowned.is_empty() {
        let sources: Vec<&str> = unowned
            .iter()
            .filter_map(|&i| leads[i].1.source.as_deref())
            .collect();
        let owners = round_robin(&mut *conn, &sources).await?;
        for (i, owner) in unowned.into_iter().zip(owners) {
            leads[i].1.owner_id = owner;
        }
    }
    // Each new lead goes after the last one of its stage, the earlier ones of this batch
    // included.
    let mut last_ranks: HashMap<Uuid, Option<String>> = HashMap::new();
    let mut rows = Vec::with_capacity(leads.len());
    for (id, fields) in &leads {
        let rank = match fields.stage_id {
            None => None,
            Some(stage) => {
                let last = match last_ranks.get(&stage) {
                    Some(last) => last.clone(),
                    None => store::last_rank(&mut *conn, stage, None).await?,
                };
                let rank = rank::between(last.as_deref(), None);
                last_ranks.insert(stage, Some(rank.clone()));
                Some(rank)
            }
        };
        rows.push(store::NewLead {
            id: *id,
            fields,
            rank,
        });
    }
    let inserted = store::insert(&mut *conn, &rows, actor.id).await?;
    if inserted.len() < rows.len() {
        return Ok(None);
    }
    let mut history = History::default();
    let mut effects = Vec::with_capacity(leads.len());
    for (id, fields) in &leads {
        effects.push(
            history
                .change(&mut *conn, *id, "create", actor, None, fields)
                .await?,
        );
    }
    history.write(conn).await?;
    Ok(Some(effects))
}

/// Applies `patch` to the locked lead `current`. `None` when it changes nothing (no new
/// version, no audit entry, no event).
pub async fn update(
    conn: &mut PgConnection,
    rules: &mut Rules<'_>,
    actor: Actor,
    action: &str,
    current: &Lead,
    patch: &LeadPatch,
) -> Result<Option<(Lead, Effects)>, Problem> {
    let before = current.fields();
    let next = normalise(patch.apply(&before)).map_err(Problem::validation)?;
    let next = rules.check(&mut *conn, next, Some(&before)).await?;
    write(conn, actor, action, current, &before, next).await
}

/// Writes already checked fields over `current`.
pub async fn write(
    conn: &mut PgConnection,
    actor: Actor,
    action: &str,
    current: &Lead,
    before: &LeadFields,
    next: LeadFields,
) -> Result<Option<(Lead, Effects)>, Problem> {
    if &next == before {
        return Ok(None);
    }
    if next.email != before.email {
        refuse_duplicate(&mut *conn, &next, Some(current.id)).await?;
    }
    let rank = match next.stage_id {
        None => None,
        Some(stage) if Some(stage) == before.stage_id => current.rank.clone(),
        Some(stage) => Some(rank::between(
            store::last_rank(&mut *conn, stage, Some(current.id))
                .await?
                .as_deref(),
            None,
        )),
    };
    store::update(&mut *conn, current.id, &next, rank.as_deref(), actor.id)
        .await
        .map_err(email_conflict)?;
    let effects =
        history::record(&mut *conn, current.id, action, actor, Some(before), &next).await?;
    Ok(Some((fetch(conn, current.id).await?, effects)))
}

/// 409 naming the live lead that already has the email of `fields`.
async fn refuse_duplicate(
    conn: &mut PgConnection,
    fields: &LeadFields,
    except: Option<Uuid>,
) -> Result<(), Problem> {
    let Some(email) = &fields.email else {
        return Ok(());
    };
    match store::id_by_email(conn, email, except).await? {
        Some(existing) => Err(problems::duplicate_email(Some(existing))),
        None => Ok(()),
    }
}

/// A concurrent write took the email between our check and our write.
fn email_conflict(err: sqlx::Error) -> Problem {
    if kernel::db::is_unique_violation(&err, "leads_email_unique") {
        problems::duplicate_email(None)
    } else {
        Problem::internal(&err)
    }
}

async fn fetch(conn: &mut PgConnection, id: Uuid) -> Result<Lead, Problem> {
    store::get(conn, id, Scope::Any)
        .await?
        .ok_or_else(|| Problem::internal(&"a lead written in this transaction is gone"))
}
