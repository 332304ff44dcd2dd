//! Duplicates: upsert by email, and merging one lead into another.

use std::collections::BTreeMap;

use actix_web::{post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::{scope, JsonBody, Problem, Scoped, UnitOfWork};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use super::leads::trash_lead;
use super::{check_version, lead_response};
use crate::checks::Rules;
use crate::fields::{normalise, LeadFields, LeadInput};
use crate::history::{self, Actor};
use crate::model::Lead;
use crate::registry::MERGEABLE;
use crate::store::{self, duplicates, timeline, Scope};
use crate::{problems, write, Members};

/// Create a lead, or update the live lead with the same email (`email` is required).
///
/// Given fields replace the existing lead's; absent ones stay. 201 when created, 200 when
/// updated. Concurrent upserts of one email take turns, so they never create two leads.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = LeadInput,
    responses(
        (status = 200, body = Lead, description = "an existing lead was updated"),
        (status = 201, body = Lead, description = "a lead was created"),
    )
)]
#[post("/upsert")]
#[tracing::instrument(skip_all)]
pub async fn upsert_lead(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    members: web::Data<dyn Members>,
    principal: Scoped<scope::LeadsWrite>,
    body: JsonBody<LeadInput>,
) -> Result<HttpResponse, Problem> {
    let input = body.into_inner();
    let email = input
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
        .ok_or_else(|| problems::invalid("email", "is required to upsert"))?;
    if email.contains('\0') {
        return Err(problems::invalid("email", crate::fields::NUL_MESSAGE));
    }
    let actor = Actor::from(&principal);
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    // Serialises upserts of this email in this tenant until the commit.
    duplicates::lock_email(&mut work, &email).await?;
    let mut rules = Rules::load(&mut work, members.get_ref()).await?;
    let existing = match store::id_by_email(&mut work, &email, None).await? {
        Some(id) => store::lock(&mut work, id, Scope::Live).await?,
        None => None,
    };
    let response = match existing {
        Some(current) => {
            let patch = input.into_patch();
            let lead = match write::update(&mut work, &mut rules, actor, "upsert", &current, &patch)
                .await?
            {
                Some((lead, effects)) => {
                    history::publish_leads(&mut work, "updated", &[(lead.id, effects)]).await?;
                    lead
                }
                None => current,
            };
            lead_response(HttpResponse::Ok(), &lead)
        }
        None => {
            let (lead, effects) = write::create(&mut work, &mut rules, actor, input).await?;
            history::publish_leads(&mut work, "created", &[(lead.id, effects)]).await?;
            let mut created = HttpResponse::Created();
            created.insert_header(("Location", format!("/api/v1/leads/{}", lead.id)));
            lead_response(created, &lead)
        }
    };
    work.commit().await?;
    Ok(response)
}

/// Which lead a merged field comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    This,
    Other,
}

/// Merge `other_id` into the lead of the path.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The lead that is merged in and then moved to the trash.
    pub other_id: Uuid,
    /// Field -> `this` or `other`. A field not named keeps this lead's value, or takes the
    /// other's when this one has none; `tags` and `custom` not named are combined.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub keep: BTreeMap<String, Side>,
    /// This lead's version, checked like an update's.
    pub version: Option<i32>,
}

/// Merge another lead into this one.
///
/// The other lead's timeline (notes, tasks, calls, emails, system entries) moves to this
/// lead, the chosen fields are kept, the other lead goes to the trash with `merged_into`
/// set, and both leads' audit logs record the merge.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = MergeRequest,
    responses(
        (status = 200, body = Lead),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "either lead is not a live lead of the tenant"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "version_conflict"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "validation_failed: the same lead twice, an unknown field in `keep`"),
    )
)]
#[post("/{id}/merge")]
#[tracing::instrument(skip_all)]
pub async fn merge_leads(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    members: web::Data<dyn Members>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
    req: HttpRequest,
    body: JsonBody<MergeRequest>,
) -> Result<HttpResponse, Problem> {
    let (id, body) = (id.into_inner(), body.into_inner());
    if body.other_id == id {
        return Err(problems::invalid(
            "other_id",
            "must be another lead than the one merged into",
        ));
    }
    if let Some(unknown) = body.keep.keys().find(|k| !MERGEABLE.contains(&k.as_str())) {
        return Err(problems::invalid(
            &format!("keep.{unknown}"),
            format!("is not a mergeable field ({})", MERGEABLE.join(", ")),
        ));
    }
    let actor = Actor::from(&principal);
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    // Both rows locked in id order, as every bulk write does, so merges cannot deadlock.
    let locked = store::lock_many(&mut work, &[id, body.other_id]).await?;
    let (Some(this), Some(other)) = (
        locked.iter().find(|l| l.id == id),
        locked.iter().find(|l| l.id == body.other_id),
    ) else {
        return Err(problems::lead_not_found());
    };
    check_version(&req, body.version, this)?;
    let before = this.fields();
    let merged = merge_fields(&before, &other.fields(), &body.keep)?;
    let merged = normalise(merged).map_err(Problem::validation)?;
    let mut rules = Rules::load(&mut work, members.get_ref()).await?;
    let merged = rules.check(&mut work, merged, Some(&before)).await?;

    // The other lead leaves first, so its email is free for this one to keep.
    trash_lead(&mut work, actor, other, Some(this.id)).await?;
    let moved = timeline::move_entries(&mut work, other.id, this.id).await?;
    let written = write::write(&mut work, actor, "merge", this, &before, merged).await?;
    let mut changes = Map::new();
    changes.insert(
        "merged_from".into(),
        json!({"before": null, "after": other.id}),
    );
    history::audit(&mut work, this.id, "merge_from", actor, &changes).await?;
    let who = other
        .email
        .clone()
        .or_else(|| other.company.clone())
        .unwrap_or_else(|| other.id.to_string());
    history::system_entry(
        &mut work,
        this.id,
        &format!("Merged with {who}"),
        json!({"merged_from": other.id, "entries_moved": moved}),
        actor,
    )
    .await?;
    let (lead, effects) = match written {
        Some((lead, effects)) => (lead, effects),
        None => (
            store::get(&mut work, this.id, Scope::Any)
                .await?
                .ok_or_else(problems::lead_not_found)?,
            Default::default(),
        ),
    };
    history::publish_leads(&mut work, "updated", &[(lead.id, effects)]).await?;
    work.publish_ids("leads", "lead.deleted", &[other.id])
        .await?;
    work.commit().await?;
    Ok(lead_response(HttpResponse::Ok(), &lead))
}

/// The fields of a merge: each from the side `keep` names, else this lead's, filled from the
/// other's where this one has nothing; tags and custom values combined unless named.
fn merge_fields(
    this: &LeadFields,
    other: &LeadFields,
    keep: &BTreeMap<String, Side>,
) -> Result<LeadFields, Problem> {
    let to_map = |f: &LeadFields| match serde_json::to_value(f) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Problem::internal(&"lead fields are not an object")),
        Err(err) => Err(Problem::internal(&err)),
    };
    let (mut merged, theirs) = (to_map(this)?, to_map(other)?);
    let empty = |v: &Value| v.is_null() || v.as_array().is_some_and(Vec::is_empty);
    for field in MERGEABLE {
        let (Some(mine), Some(other_value)) = (merged.get(*field).cloned(), theirs.get(*field))
        else {
            continue;
        };
        let value = match (keep.get(*field), *field) {
            (Some(Side::This), _) => mine,
            (Some(Side::Other), _) => other_value.clone(),
            (None, "tags") => {
                let mut tags = mine.as_array().cloned().unwrap_or_default();
                for tag in other_value.as_array().into_iter().flatten() {
                    if !tags.contains(tag) {
                        tags.push(tag.clone());
                    }
                }
                Value::Array(tags)
            }
            (None, "custom") => {
                let mut custom = other_value.as_object().cloned().unwrap_or_default();
                custom.extend(mine.as_object().cloned().unwrap_or_default());
                Value::Object(custom)
            }
            (None, _) if empty(&mine) => other_value.clone(),
            (None, _) => mine,
        };
        merged.insert((*field).to_owned(), value);
    }
    // A stage belongs to its pipeline: both come from the same lead.
    let stage_from_other = match (keep.get("stage_id"), keep.get("pipeline_id")) {
        (Some(side), _) | (None, Some(side)) => *side == Side::Other,
        (None, None) => this.stage_id.is_none() && other.stage_id.is_some(),
    };
    let placed = if stage_from_other { other } else { this };
    merged.insert("pipeline_id".into(), json!(placed.pipeline_id));
    merged.insert("stage_id".into(), json!(placed.stage_id));
    serde_json::from_value(Value::Object(merged)).map_err(|err| Problem::internal(&err))
}
