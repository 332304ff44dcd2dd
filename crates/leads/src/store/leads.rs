//! The SQL for leads. The lookups below name every column of [`Lead`] themselves (the
//! macros need the whole statement as one literal); [`crate::model::SELECT_LEADS`] is the same
//! list for the lists, whose statements are put together at run time.

use kernel::TenantId;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::fields::{domain_of, LeadFields};
use crate::model::Lead;

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
    /// The scope as the lookups' parameters: whether the lead must be in the trash (`None`:
    /// either way), and whether an erased lead is returned.
    fn filter(self) -> (Option<bool>, bool) {
        match self {
            Scope::Live => (Some(false), true),
            Scope::Trashed => (Some(true), false),
            Scope::NotErased => (None, false),
            Scope::Any => (None, true),
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
    // The columns of a function's rows carry no NOT NULL: the `!` restore those of `leads`.
    sqlx::query_as!(
        Lead,
        r#"SELECT l.id AS "id!", l.first_name, l.last_name, l.email, l.phone, l.company,
               l.title, l.website, l.domain, l.source, l.status AS "status!",
               l.score AS "score!", l.owner_id, l.tags AS "tags!", l.custom AS "custom!",
               l.timezone, l.pipeline_id, l.stage_id, l.rank, l.created_by, l.updated_by,
               l.version AS "version!", l.created_at AS "created_at!",
               l.updated_at AS "updated_at!", l.deleted_at, l.merged_into
           FROM leads_get_live($1, $2) l"#,
        tenant.0,
        id,
    )
    .fetch_optional(pool)
    .await
}

pub async fn get(
    conn: &mut PgConnection,
    id: Uuid,
    scope: Scope,
) -> Result<Option<Lead>, sqlx::Error> {
    let (trashed, erased) = scope.filter();
    sqlx::query_as!(
        Lead,
        r#"SELECT l.id, l.first_name, l.last_name, l.email, l.phone, l.company, l.title,
               l.website, l.domain, l.source, l.status, l.score, l.owner_id, l.tags, l.custom,
               l.timezone, l.pipeline_id, l.stage_id, l.rank, l.created_by, l.updated_by,
               l.version, l.created_at, l.updated_at, l.deleted_at, l.merged_into
           FROM leads l
           WHERE l.id = $1 AND ($2::bool IS NULL OR (l.deleted_at IS NOT NULL) = $2)
               AND ($3 OR l.erased_at IS NULL)"#,
        id,
        trashed,
        erased,
    )
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
    let (trashed, erased) = scope.filter();
    sqlx::query_as!(
        Lead,
        r#"SELECT l.id, l.first_name, l.last_name, l.email, l.phone, l.company, l.title,
               l.website, l.domain, l.source, l.status, l.score, l.owner_id, l.tags, l.custom,
               l.timezone, l.pipeline_id, l.stage_id, l.rank, l.created_by, l.updated_by,
               l.version, l.created_at, l.updated_at, l.deleted_at, l.merged_into
           FROM leads l
           WHERE l.id = $1 AND ($2::bool IS NULL OR (l.deleted_at IS NOT NULL) = $2)
               AND ($3 OR l.erased_at IS NULL)
           FOR UPDATE"#,
        id,
        trashed,
        erased,
    )
    .fetch_optional(conn)
    .await
}

/// Live leads with these ids, locked, in id order (a fixed order, so bulk writes that
/// overlap cannot deadlock).
pub async fn lock_many(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<Lead>, sqlx::Error> {
    sqlx::query_as!(
        Lead,
        r#"SELECT l.id, l.first_name, l.last_name, l.email, l.phone, l.company, l.title,
               l.website, l.domain, l.source, l.status, l.score, l.owner_id, l.tags, l.custom,
               l.timezone, l.pipeline_id, l.stage_id, l.rank, l.created_by, l.updated_by,
               l.version, l.created_at, l.updated_at, l.deleted_at, l.merged_into
           FROM leads l
           WHERE l.id = ANY($1) AND l.deleted_at IS NULL
           ORDER BY l.id
           FOR UPDATE"#,
        ids,
    )
    .fetch_all(conn)
    .await
}

/// The live lead with this (normalised) email, other than `except`.
pub async fn id_by_email(
    conn: &mut PgConnection,
    email: &str,
    except: Option<Uuid>,
) -> Result<Option<Uuid>, sqlx::Error> {
    // The stored email itself (written lower-cased) and the conditions of the partial index
    // `leads_email_lookup_idx`: under row-level security, `lower(email) = …` could not use an
    // index (see that migration).
    sqlx::query_scalar!(
        "SELECT id FROM leads WHERE email = lower($1) AND deleted_at IS NULL
         AND email IS NOT NULL AND id IS DISTINCT FROM $2 LIMIT 1",
        email,
        except,
    )
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
    sqlx::query_scalar!(
        "SELECT max(rank) FROM leads WHERE stage_id = $1 AND deleted_at IS NULL
         AND id IS DISTINCT FROM $2",
        stage,
        except,
    )
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
    // One column, a record of the two: only `query_scalar!` can opt out of the statement
    // cache (`persistent`).
    sqlx::query_scalar!(
        r#"SELECT (email, id) AS "found!: (String, Uuid)" FROM leads
           WHERE email = ANY($1) AND deleted_at IS NULL AND email IS NOT NULL"#,
        emails,
    )
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
    fn column<T>(leads: &[NewLead<'_>], f: impl Fn(&NewLead<'_>) -> T) -> Vec<T> {
        leads.iter().map(f).collect()
    }
    let text = |f: fn(&LeadFields) -> Option<String>| column(leads, |l| f(l.fields));
    // Tags go as one JSON array per lead: a text[][] cannot hold lists of different lengths.
    // The macros cannot check arrays of nullable elements: `as` names their type instead.
    sqlx::query_scalar!(
        "INSERT INTO leads (tenant_id, id, first_name, last_name, email, phone, company, title,
             website, domain, source, status, score, owner_id, tags, custom, timezone,
             pipeline_id, stage_id, rank, created_by, updated_by)
         SELECT kernel_current_tenant(), l.id, l.first_name, l.last_name, l.email, l.phone,
             l.company, l.title, l.website, l.domain, l.source, l.status, l.score, l.owner_id,
             ARRAY(SELECT jsonb_array_elements_text(l.tags)), l.custom, l.timezone,
             l.pipeline_id, l.stage_id, l.rank, $20, $20
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
             $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::int2[],
             $13::uuid[], $14::jsonb[], $15::jsonb[], $16::text[], $17::uuid[], $18::uuid[],
             $19::text[])
             AS l(id, first_name, last_name, email, phone, company, title, website, domain,
                 source, status, score, owner_id, tags, custom, timezone, pipeline_id,
                 stage_id, rank)
         ON CONFLICT (tenant_id, lower(email)) WHERE deleted_at IS NULL AND email IS NOT NULL
             DO NOTHING
         RETURNING id",
        &column(leads, |l| l.id),
        &text(|f| f.first_name.clone()) as &[Option<String>],
        &text(|f| f.last_name.clone()) as &[Option<String>],
        &text(|f| f.email.clone()) as &[Option<String>],
        &text(|f| f.phone.clone()) as &[Option<String>],
        &text(|f| f.company.clone()) as &[Option<String>],
        &text(|f| f.title.clone()) as &[Option<String>],
        &text(|f| f.website.clone()) as &[Option<String>],
        &text(|f| domain_of(f.website.as_deref())) as &[Option<String>],
        &text(|f| f.source.clone()) as &[Option<String>],
        &column(leads, |l| l.fields.status.clone()),
        &column(leads, |l| score(l.fields)),
        &column(leads, |l| l.fields.owner_id) as &[Option<Uuid>],
        &column(leads, |l| Value::from(l.fields.tags.clone())),
        &column(leads, |l| Value::Object(l.fields.custom.clone())),
        &text(|f| f.timezone.clone()) as &[Option<String>],
        &column(leads, |l| l.fields.pipeline_id) as &[Option<Uuid>],
        &column(leads, |l| l.fields.stage_id) as &[Option<Uuid>],
        &column(leads, |l| l.rank.clone()) as &[Option<String>],
        actor,
    )
    .fetch_all(conn)
    .await
}

/// Writes every editable field and the rank, bumping the version.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    f: &LeadFields,
    rank: Option<&str>,
    actor: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE leads SET first_name = $2, last_name = $3, email = $4, phone = $5,
             company = $6, title = $7, website = $8, domain = $9, source = $10, status = $11,
             score = $12, owner_id = $13, tags = $14, custom = $15, timezone = $16,
             pipeline_id = $17, stage_id = $18, rank = $19, updated_by = $20,
             version = version + 1, updated_at = now()
         WHERE id = $1",
        id,
        f.first_name.as_deref(),
        f.last_name.as_deref(),
        f.email.as_deref(),
        f.phone.as_deref(),
        f.company.as_deref(),
        f.title.as_deref(),
        f.website.as_deref(),
        domain_of(f.website.as_deref()),
        f.source.as_deref(),
        f.status,
        score(f),
        f.owner_id,
        &f.tags,
        Value::Object(f.custom.clone()),
        f.timezone.as_deref(),
        f.pipeline_id,
        f.stage_id,
        rank,
        actor,
    )
    .execute(conn)
    .await?;
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
    sqlx::query!(
        "UPDATE leads SET deleted_at = CASE WHEN $2 THEN now() END,
             merged_into = CASE WHEN $2 THEN $3::uuid END,
             updated_by = $4, version = version + 1, updated_at = now()
         WHERE id = $1",
        id,
        deleted,
        merged_into,
        actor,
    )
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
    sqlx::query!(
        "UPDATE leads SET first_name = NULL, last_name = NULL, email = NULL, phone = NULL,
             company = NULL, title = NULL, website = NULL, domain = NULL, tags = '{}',
             custom = '{}', timezone = NULL, deleted_at = coalesce(deleted_at, now()),
             erased_at = now(), updated_by = $2, version = version + 1, updated_at = now()
         WHERE id = $1",
        id,
        actor,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM lead_timeline WHERE lead_id = $1", id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "UPDATE lead_audit SET changes = '{}' WHERE lead_id = $1",
        id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE lead_timeline SET body = 'Merged with an erased lead'
         WHERE kind = 'system' AND data->>'merged_from' = $1::uuid::text",
        id,
    )
    .execute(conn)
    .await?;
    Ok(())
}
