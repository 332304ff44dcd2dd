//! The SQL for leads.

use std::sync::LazyLock;

use kernel::TenantId;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::fields::{domain_of, LeadFields};
use crate::model::{Lead, SELECT_LEADS};

/// Which leads a lookup may return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Not in the trash.
    Live,
    /// In the trash (deleted, not erased).
    Trashed,
    /// Live or in the trash, not erased.
    NotErased,
    /// Any lead, erased ones included.
    Any,
}

impl Scope {
    fn sql(self) -> &'static str {
        match self {
            Scope::Live => "l.deleted_at IS NULL",
            Scope::Trashed => "l.deleted_at IS NOT NULL AND l.erased_at IS NULL",
            Scope::NotErased => "l.erased_at IS NULL",
            Scope::Any => "TRUE",
        }
    }
}

/// One live lead of `tenant` in one round trip, straight on the pool (never inside a
/// transaction): `leads_get_live` sets the tenant for its own statement and reads under
/// row-level security (see its migration). For handlers whose only work is this read.
pub async fn get_live_on(
    pool: &PgPool,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<Lead>, sqlx::Error> {
    static SELECT: LazyLock<String> = LazyLock::new(|| {
        let select = SELECT_LEADS.replace(" FROM leads l", " FROM leads_get_live($1, $2) l");
        debug_assert_ne!(select, SELECT_LEADS);
        select
    });
    sqlx::query_as(&SELECT)
        .bind(tenant)
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn get(
    conn: &mut PgConnection,
    id: Uuid,
    scope: Scope,
) -> Result<Option<Lead>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT_LEADS} WHERE l.id = $1 AND {}",
        scope.sql()
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// As [`get`], locking the row until the transaction ends (every write starts here, so
/// concurrent writes of one lead take turns and the version check is exact).
pub async fn lock(
    conn: &mut PgConnection,
    id: Uuid,
    scope: Scope,
) -> Result<Option<Lead>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT_LEADS} WHERE l.id = $1 AND {} FOR UPDATE",
        scope.sql()
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Live leads with these ids, locked, in id order (a fixed order, so bulk writes that
/// overlap cannot deadlock).
pub async fn lock_many(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<Lead>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT_LEADS} WHERE l.id = ANY($1) AND l.deleted_at IS NULL ORDER BY l.id FOR UPDATE"
    ))
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// The live lead with this (normalised) email, other than `except`.
pub async fn id_by_email(
    conn: &mut PgConnection,
    email: &str,
    except: Option<Uuid>,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        // The stored email itself (written lower-cased) and the conditions of the partial
        // index `leads_email_lookup_idx`: under row-level security, `lower(email) = …` could
        // not use an index (see that migration).
        "SELECT id FROM leads WHERE email = lower($1) AND deleted_at IS NULL \
         AND email IS NOT NULL AND id IS DISTINCT FROM $2 LIMIT 1",
    )
    .bind(email)
    .bind(except)
    // Planned for each call: a plan cached while the table was small (a sequential scan)
    // would otherwise stay in use as the table grows, on the lookup every create makes.
    .persistent(false)
    .fetch_optional(conn)
    .await
}

/// The largest rank in a stage among live leads other than `except`.
pub async fn last_rank(
    conn: &mut PgConnection,
    stage: Uuid,
    except: Option<Uuid>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT max(rank) FROM leads WHERE stage_id = $1 AND deleted_at IS NULL \
         AND id IS DISTINCT FROM $2",
    )
    .bind(stage)
    .bind(except)
    .fetch_one(conn)
    .await
}

/// The live leads that have one of these (normalised) emails: email and id. The stored
/// email is compared as it is, with its index (see [`id_by_email`]), and the statement is
/// planned for each call.
pub async fn ids_by_emails(
    conn: &mut PgConnection,
    emails: &[String],
) -> Result<Vec<(String, Uuid)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT email, id FROM leads WHERE email = ANY($1) AND deleted_at IS NULL \
         AND email IS NOT NULL",
    )
    .bind(emails)
    .persistent(false)
    .fetch_all(conn)
    .await
}

/// A lead to insert: its id, its checked fields and its kanban rank.
pub struct NewLead<'a> {
    pub id: Uuid,
    pub fields: &'a LeadFields,
    pub rank: Option<String>,
}

/// Inserts `leads` with one statement and returns the ids it inserted. A lead whose email a
/// live lead already has (one written by someone else since the caller looked) is left out
/// rather than failing the statement: the caller compares the ids.
pub async fn insert(
    conn: &mut PgConnection,
    leads: &[NewLead<'_>],
    actor: Option<Uuid>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let column = |f: fn(&LeadFields) -> Option<String>| -> Vec<Option<String>> {
        leads.iter().map(|l| f(l.fields)).collect()
    };
    sqlx::query_scalar(
        "INSERT INTO leads (tenant_id, id, first_name, last_name, email, phone, company, title, \
             website, domain, source, status, score, owner_id, tags, custom, timezone, \
             pipeline_id, stage_id, rank, created_by, updated_by) \
         SELECT kernel_current_tenant(), l.id, l.first_name, l.last_name, l.email, l.phone, \
             l.company, l.title, l.website, l.domain, l.source, l.status, l.score, l.owner_id, \
             ARRAY(SELECT jsonb_array_elements_text(l.tags)), l.custom, l.timezone, \
             l.pipeline_id, l.stage_id, l.rank, $20, $20 \
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
             $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::int2[], \
             $13::uuid[], $14::jsonb[], $15::jsonb[], $16::text[], $17::uuid[], $18::uuid[], \
             $19::text[]) \
             AS l(id, first_name, last_name, email, phone, company, title, website, domain, \
                 source, status, score, owner_id, tags, custom, timezone, pipeline_id, \
                 stage_id, rank) \
         ON CONFLICT (tenant_id, lower(email)) WHERE deleted_at IS NULL AND email IS NOT NULL \
             DO NOTHING \
         RETURNING id",
    )
    .bind(leads.iter().map(|l| l.id).collect::<Vec<_>>())
    .bind(column(|f| f.first_name.clone()))
    .bind(column(|f| f.last_name.clone()))
    .bind(column(|f| f.email.clone()))
    .bind(column(|f| f.phone.clone()))
    .bind(column(|f| f.company.clone()))
    .bind(column(|f| f.title.clone()))
    .bind(column(|f| f.website.clone()))
    .bind(column(|f| domain_of(f.website.as_deref())))
    .bind(column(|f| f.source.clone()))
    .bind(
        leads
            .iter()
            .map(|l| l.fields.status.clone())
            .collect::<Vec<_>>(),
    )
    .bind(leads.iter().map(|l| score(l.fields)).collect::<Vec<_>>())
    .bind(leads.iter().map(|l| l.fields.owner_id).collect::<Vec<_>>())
    .bind(
        leads
            .iter()
            .map(|l| Value::from(l.fields.tags.clone()))
            .collect::<Vec<_>>(),
    )
    .bind(
        leads
            .iter()
            .map(|l| Value::Object(l.fields.custom.clone()))
            .collect::<Vec<_>>(),
    )
    .bind(column(|f| f.timezone.clone()))
    .bind(
        leads
            .iter()
            .map(|l| l.fields.pipeline_id)
            .collect::<Vec<_>>(),
    )
    .bind(leads.iter().map(|l| l.fields.stage_id).collect::<Vec<_>>())
    .bind(leads.iter().map(|l| l.rank.clone()).collect::<Vec<_>>())
    .bind(actor)
    .fetch_all(conn)
    .await
}

/// Binds `$1` = id, `$2`-`$18` = the editable fields (and the derived domain), `$19` = rank,
/// `$20` = actor: the order of [`update`], and of [`insert`]'s arrays.
fn bind_lead<'q>(
    query: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    id: Uuid,
    f: &'q LeadFields,
    rank: Option<&'q str>,
    actor: Option<Uuid>,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    query
        .bind(id)
        .bind(&f.first_name)
        .bind(&f.last_name)
        .bind(&f.email)
        .bind(&f.phone)
        .bind(&f.company)
        .bind(&f.title)
        .bind(&f.website)
        .bind(domain_of(f.website.as_deref()))
        .bind(&f.source)
        .bind(&f.status)
        .bind(score(f))
        .bind(f.owner_id)
        .bind(&f.tags)
        .bind(Value::Object(f.custom.clone()))
        .bind(&f.timezone)
        .bind(f.pipeline_id)
        .bind(f.stage_id)
        .bind(rank)
        .bind(actor)
}

/// Writes every editable field and the rank, bumping the version.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    f: &LeadFields,
    rank: Option<&str>,
    actor: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    let query = sqlx::query(
        "UPDATE leads SET first_name = $2, last_name = $3, email = $4, phone = $5, \
             company = $6, title = $7, website = $8, domain = $9, source = $10, status = $11, \
             score = $12, owner_id = $13, tags = $14, custom = $15, timezone = $16, \
             pipeline_id = $17, stage_id = $18, rank = $19, updated_by = $20, \
             version = version + 1, updated_at = now() \
         WHERE id = $1",
    );
    bind_lead(query, id, f, rank, actor).execute(conn).await?;
    Ok(())
}

/// Moves a lead to the trash (or takes it out), bumping the version.
pub async fn set_deleted(
    conn: &mut PgConnection,
    id: Uuid,
    deleted: bool,
    merged_into: Option<Uuid>,
    actor: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE leads SET deleted_at = CASE WHEN $2 THEN now() END, \
             merged_into = CASE WHEN $2 THEN $3 END, \
             updated_by = $4, version = version + 1, updated_at = now() \
         WHERE id = $1",
    )
    .bind(id)
    .bind(deleted)
    .bind(merged_into)
    .bind(actor)
    .execute(conn)
    .await?;
    Ok(())
}

/// `normalise` keeps scores within 0..=100.
fn score(f: &LeadFields) -> i16 {
    i16::try_from(f.score.clamp(0, 100)).unwrap_or_default()
}

/// Removes a lead's personal data for good, keeping the row (status, source, score, stage,
/// dates) for anonymous counts: contact fields, tags and custom values are cleared, its
/// notes and tasks deleted, its audit diffs emptied, and other leads' "Merged with …"
/// entries that named it made anonymous. The lead ends in neither list nor trash.
pub async fn erase(
    conn: &mut PgConnection,
    id: Uuid,
    actor: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE leads SET first_name = NULL, last_name = NULL, email = NULL, phone = NULL, \
             company = NULL, title = NULL, website = NULL, domain = NULL, tags = '{}', \
             custom = '{}', timezone = NULL, deleted_at = coalesce(deleted_at, now()), \
             erased_at = now(), updated_by = $2, version = version + 1, updated_at = now() \
         WHERE id = $1",
    )
    .bind(id)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM lead_timeline WHERE lead_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE lead_audit SET changes = '{}' WHERE lead_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE lead_timeline SET body = 'Merged with an erased lead' \
         WHERE kind = 'system' AND data->>'merged_from' = $1::text",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
