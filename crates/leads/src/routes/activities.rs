//! Notes and tasks on a lead's timeline. Changes publish `lead_timeline.*` events on
//! `resources/lead-timeline` with the entry ids and the lead's id (`leadId`).

use actix_web::{delete, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use kernel::cache::Cache;
use kernel::events::{EventError, NewEvent};
use kernel::{scope, Principal, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Deserializer};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::history::Actor;
use crate::problems;
use crate::store::timeline::{self, EntryChange, NewEntry, TimelineEntry};
use crate::store::{self, Scope};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "crate::fields::no_nul")
    )]
    pub body: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    /// What to do.
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "crate::fields::no_nul")
    )]
    pub body: String,
    pub due_at: Option<DateTime<Utc>>,
}

/// A change to a note or task: absent fields stay; `due_at: null` clears the due date.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryPatch {
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "crate::fields::no_nul")
    )]
    pub body: Option<String>,
    /// Tasks only.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub due_at: Option<Option<DateTime<Utc>>>,
    /// Tasks only.
    pub done: Option<bool>,
}

fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

fn entry_not_found() -> Problem {
    Problem::not_found("Timeline entry")
}

async fn publish(
    work: &mut UnitOfWork,
    event_type: &str,
    entry: &TimelineEntry,
) -> Result<(), EventError> {
    let event = NewEvent::for_ids("lead-timeline", event_type, [entry.id])?
        .with("leadId", entry.lead_id.to_string().into())?;
    work.publish(&event).await
}

async fn add(
    db: &PgPool,
    cache: &Cache,
    principal: &Principal,
    lead: Uuid,
    kind: &str,
    body: &str,
    due_at: Option<DateTime<Utc>>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(db, cache, principal).await?;
    store::get(&mut work, lead, Scope::Live)
        .await?
        .ok_or_else(problems::lead_not_found)?;
    let new = NewEntry {
        lead,
        kind,
        body,
        due_at,
        author: Actor::from(principal).id,
    };
    let entry = timeline::insert_entry(&mut work, new).await?;
    publish(&mut work, "lead_timeline.created", &entry).await?;
    work.commit().await?;
    Ok(HttpResponse::Created().json(entry))
}

async fn change(
    db: &PgPool,
    cache: &Cache,
    principal: &Principal,
    (lead, entry_id): (Uuid, Uuid),
    kind: &str,
    patch: EntryPatch,
) -> Result<HttpResponse, Problem> {
    if kind == "note" && (patch.due_at.is_some() || patch.done.is_some()) {
        return Err(problems::invalid(
            "due_at",
            "notes have no due date or done flag",
        ));
    }
    let mut work = UnitOfWork::begin(db, cache, principal).await?;
    store::get(&mut work, lead, Scope::Live)
        .await?
        .ok_or_else(problems::lead_not_found)?;
    let change = EntryChange {
        body: patch.body.as_deref(),
        due_at: patch.due_at,
        done: patch.done,
    };
    let entry = timeline::update_entry(&mut work, (lead, entry_id), kind, change)
        .await?
        .ok_or_else(entry_not_found)?;
    publish(&mut work, "lead_timeline.updated", &entry).await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(entry))
}

async fn remove(
    db: &PgPool,
    cache: &Cache,
    principal: &Principal,
    (lead, entry_id): (Uuid, Uuid),
    kind: &str,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(db, cache, principal).await?;
    let entry = timeline::delete_entry(&mut work, (lead, entry_id), kind)
        .await?
        .ok_or_else(entry_not_found)?;
    publish(&mut work, "lead_timeline.deleted", &entry).await?;
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add a note to a lead's timeline.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = NewNote,
    responses(
        (status = 201, body = TimelineEntry),
    )
)]
#[post("/{id}/notes")]
#[tracing::instrument(skip_all)]
pub async fn create_note(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<NewNote>,
) -> Result<HttpResponse, Problem> {
    add(&db, &cache, &principal, *id, "note", &body.body, None).await
}

/// Change a note.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("entry_id" = Uuid, Path)),
    request_body = EntryPatch,
    responses(
        (status = 200, body = TimelineEntry),
    )
)]
#[patch("/{id}/notes/{entry_id}")]
#[tracing::instrument(skip_all)]
pub async fn update_note(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidatedJson<EntryPatch>,
) -> Result<HttpResponse, Problem> {
    change(&db, &cache, &principal, *path, "note", body.into_inner()).await
}

/// Delete a note.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("entry_id" = Uuid, Path)),
    responses((status = 204))
)]
#[delete("/{id}/notes/{entry_id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_note(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    remove(&db, &cache, &principal, *path, "note").await
}

/// Add a task (with an optional due date) to a lead's timeline.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = NewTask,
    responses(
        (status = 201, body = TimelineEntry),
    )
)]
#[post("/{id}/tasks")]
#[tracing::instrument(skip_all)]
pub async fn create_task(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<NewTask>,
) -> Result<HttpResponse, Problem> {
    add(
        &db,
        &cache,
        &principal,
        *id,
        "task",
        &body.body,
        body.due_at,
    )
    .await
}

/// Change a task: its text, due date, or done (marking it done records `done_at`).
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("entry_id" = Uuid, Path)),
    request_body = EntryPatch,
    responses(
        (status = 200, body = TimelineEntry),
    )
)]
#[patch("/{id}/tasks/{entry_id}")]
#[tracing::instrument(skip_all)]
pub async fn update_task(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidatedJson<EntryPatch>,
) -> Result<HttpResponse, Problem> {
    change(&db, &cache, &principal, *path, "task", body.into_inner()).await
}

/// Delete a task.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("entry_id" = Uuid, Path)),
    responses((status = 204))
)]
#[delete("/{id}/tasks/{entry_id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_task(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    remove(&db, &cache, &principal, *path, "task").await
}
