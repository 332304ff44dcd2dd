//! Creating and changing one lead, the way every route does it (single, bulk, upsert, merge):
//! normalise, check against the tenant's data, refuse duplicate emails, place on the board,
//! write, and record the change. The caller owns the transaction and publishes the events.

use kernel::Problem;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::checks::{round_robin, Rules};
use crate::fields::{normalise, LeadFields, LeadInput, LeadPatch};
use crate::history::{self, Actor, Effects};
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
    let fields = normalise(input.into_fields()).map_err(Problem::validation)?;
    let mut fields = rules.check(&mut *conn, fields, None).await?;
    if fields.owner_id.is_none() {
        if let Some(source) = &fields.source {
            fields.owner_id = round_robin(&mut *conn, source).await?;
        }
    }
    refuse_duplicate(&mut *conn, &fields, None).await?;
    let rank = match fields.stage_id {
        Some(stage) => Some(rank::between(
            store::last_rank(&mut *conn, stage, None).await?.as_deref(),
            None,
        )),
        None => None,
    };
    let id = Uuid::now_v7();
    store::insert(&mut *conn, id, &fields, rank.as_deref(), actor.id)
        .await
        .map_err(email_conflict)?;
    let effects = history::record(&mut *conn, id, "create", actor, None, &fields).await?;
    Ok((fetch(conn, id).await?, effects))
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
    if problems::is_unique_violation(&err, "leads_email_unique") {
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
