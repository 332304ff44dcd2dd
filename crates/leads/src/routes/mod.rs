//! The slice's HTTP routes, one file per concept. Every route runs in `tenant_tx`; reads need
//! `leads:read`, writes `leads:write`, erasing personal data the admin role.

mod activities;
mod assignment;
mod bulk;
mod duplicates;
mod export;
mod history;
mod imports;
mod leads;
mod move_lead;
mod pipelines;
mod settings;
mod stages;
mod trash;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use kernel::idempotency::Idempotency;
use kernel::Problem;

use crate::model::Lead;
use crate::problems;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // Before `/api/v1/leads`: a scope that matches a path's prefix takes it for good.
    imports::configure(cfg);
    cfg.service(
        utoipa_actix_web::scope("/api/v1/leads")
            // POSTs here create or trigger work: a retried request with the same
            // Idempotency-Key replays the first answer.
            .wrap(Idempotency::from_app_data())
            // Fixed paths first: `/{id}` would otherwise take `bulk`, `trash`, `upsert`.
            .service(leads::list_leads)
            .service(leads::create_lead)
            .service(trash::list_trashed_leads)
            .service(export::export_leads)
            .service(bulk::create_leads)
            .service(bulk::update_leads)
            .service(bulk::delete_leads)
            .service(duplicates::upsert_lead)
            .service(leads::get_lead)
            .service(leads::update_lead)
            .service(leads::delete_lead)
            .service(trash::restore_lead)
            .service(trash::erase_lead)
            .service(duplicates::merge_leads)
            .service(move_lead::move_lead)
            .service(history::list_lead_audit)
            .service(history::list_lead_timeline)
            .service(activities::create_note)
            .service(activities::update_note)
            .service(activities::delete_note)
            .service(activities::create_task)
            .service(activities::update_task)
            .service(activities::delete_task),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/pipelines")
            .wrap(Idempotency::from_app_data())
            .service(pipelines::list_pipelines)
            .service(pipelines::create_pipeline)
            .service(pipelines::get_pipeline)
            .service(pipelines::update_pipeline)
            .service(pipelines::delete_pipeline)
            .service(stages::list_stages)
            .service(stages::create_stage)
            .service(stages::update_stage)
            .service(stages::delete_stage),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/lead-statuses")
            .service(settings::list_lead_statuses)
            .service(settings::replace_lead_statuses),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/lead-fields")
            .wrap(Idempotency::from_app_data())
            .service(settings::list_lead_fields)
            .service(settings::create_lead_field)
            .service(settings::update_lead_field)
            .service(settings::delete_lead_field),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/lead-assignment-rules")
            .wrap(Idempotency::from_app_data())
            .service(assignment::list_assignment_rules)
            .service(assignment::create_assignment_rule)
            .service(assignment::update_assignment_rule)
            .service(assignment::delete_assignment_rule),
    );
}

/// A lead answer with its ETag.
fn lead_response(mut builder: HttpResponseBuilder, lead: &Lead) -> HttpResponse {
    builder
        .insert_header((header::ETAG, lead.etag()))
        .json(lead)
}

/// The `If-Match` precondition of a write.
#[derive(Debug, PartialEq, Eq)]
enum IfMatch {
    /// `*`: the lead must exist.
    Any,
    /// Quoted versions; weak tags (`W/"3"`) never match, as RFC 9110 wants for If-Match.
    Versions(Vec<i32>),
}

impl IfMatch {
    fn from_request(req: &HttpRequest) -> Result<Option<Self>, Problem> {
        let mut versions = Vec::new();
        let mut any = false;
        for value in req.headers().get_all(header::IF_MATCH) {
            let bad = problems::invalid_if_match;
            let text = value.to_str().map_err(|_| bad())?;
            for tag in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                if tag == "*" {
                    any = true;
                } else if let Some(weak) = tag.strip_prefix("W/") {
                    if !(weak.len() >= 2 && weak.starts_with('"') && weak.ends_with('"')) {
                        return Err(bad());
                    }
                } else if tag.len() >= 2 && tag.starts_with('"') && tag.ends_with('"') {
                    // An ETag this server did not make matches no version.
                    if let Ok(v) = tag[1..tag.len() - 1].parse::<i32>() {
                        versions.push(v);
                    }
                } else {
                    return Err(bad());
                }
            }
        }
        Ok(if any {
            Some(IfMatch::Any)
        } else if versions.is_empty() && req.headers().get(header::IF_MATCH).is_none() {
            None
        } else {
            Some(IfMatch::Versions(versions))
        })
    }
}

/// Checks a write's preconditions against the lead's current version: `version` in the body
/// (409) and `If-Match` (412).
fn check_version(req: &HttpRequest, body_version: Option<i32>, lead: &Lead) -> Result<(), Problem> {
    if let Some(v) = body_version {
        if v != lead.version {
            return Err(problems::version_conflict(lead.version));
        }
    }
    match IfMatch::from_request(req)? {
        Some(IfMatch::Versions(versions)) if !versions.contains(&lead.version) => {
            Err(problems::precondition_failed(lead.version))
        }
        _ => Ok(()),
    }
}

/// The repeated `id` parameters of a query string (`?id=a&id=b`), for bulk routes.
fn ids_in_query(req: &HttpRequest) -> Result<Vec<uuid::Uuid>, Problem> {
    let mut ids = Vec::new();
    for (key, value) in form_urlencoded::parse(req.query_string().as_bytes()) {
        if key != "id" {
            return Err(problems::invalid_query(format!(
                "Unknown parameter {key:?}: only id is accepted."
            )));
        }
        let id = value
            .parse()
            .map_err(|_| problems::invalid_query(format!("{value:?} is not a lead id.")))?;
        ids.push(id);
    }
    Ok(ids)
}
