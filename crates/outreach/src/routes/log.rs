//! The send log and the suppression list over HTTP.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use kernel::list::ListPage;
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::invalid;
use crate::store::messages::{Message, MESSAGE_LIST};
use crate::store::suppressions::{self, Suppression, SUPPRESSION_LIST};
use crate::store::{enrollments, messages};
use crate::Outreach;

/// Every message planned or sent, newest first (Refine's list protocol; filter by
/// `campaign_id`, `lead_id`, `mailbox_id`, `state`…).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Message>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_messages(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    req: HttpRequest,
) -> Result<ListPage<Message>, Problem> {
    MESSAGE_LIST.respond(&outreach.db, &principal, &req).await
}

/// The suppression list (Refine's list protocol; `q` searches addresses).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Suppression>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_suppressions(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    req: HttpRequest,
) -> Result<ListPage<Suppression>, Problem> {
    SUPPRESSION_LIST
        .respond(&outreach.db, &principal, &req)
        .await
}

/// Addresses to suppress (an import).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuppressRequest {
    #[validate(length(min = 1, max = 10000))]
    pub emails: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuppressResult {
    /// How many addresses were new to the list.
    pub added: usize,
}

/// Suppress addresses (reason `manual`): nothing is sent to them again, and their active
/// sequences stop.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = SuppressRequest,
    responses((status = 200, body = SuppressResult))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn add_suppressions(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    body: ValidatedJson<SuppressRequest>,
) -> Result<HttpResponse, Problem> {
    let mut emails = Vec::with_capacity(body.emails.len());
    for (i, email) in body.emails.iter().enumerate() {
        let email = email.trim().to_lowercase();
        if !validator::ValidateEmail::validate_email(&email) || email.len() > 320 {
            return Err(invalid(&format!("emails[{i}]"), "is not an email address"));
        }
        emails.push(email);
    }
    emails.sort();
    emails.dedup();
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    let added = suppress(&mut work, &emails).await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(SuppressResult { added }))
}

/// Adds `emails` (lower case, deduplicated) as `manual`, stopping their sequences; answers how
/// many were new to the list.
async fn suppress(work: &mut UnitOfWork, emails: &[String]) -> Result<usize, Problem> {
    let added = suppressions::insert_many(work, emails, "manual").await?;
    for email in &added {
        enrollments::stop_address(work, email, "suppressed").await?;
        messages::cancel_to(work, email).await?;
    }
    if !added.is_empty() {
        let event = kernel::events::NewEvent::for_ids(
            "outreach_suppressions",
            "outreach.suppression.created",
            added.iter(),
        )?;
        work.publish(&event).await?;
    }
    Ok(added.len())
}

/// What a CSV import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// Addresses new to the list.
    pub added: usize,
    /// Valid addresses that were listed already.
    pub already: usize,
    /// Rows whose value is not an email address (the first 100), by row number (the first row
    /// is 1, the header included).
    pub invalid: Vec<InvalidRow>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvalidRow {
    pub line: u64,
    pub value: String,
}

/// Rows an import takes at most.
const MAX_IMPORT_ROWS: usize = 100_000;

/// Import a suppression list from CSV (`text/csv`, up to 100,000 rows): the `email` column
/// when the first row names one, else the first column. Each address is suppressed (reason
/// `manual`) and its sequences stop; rows that are not addresses are reported, not fatal.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = ImportResult),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "not CSV, or too many rows"),
    )
)]
#[post("/import")]
#[tracing::instrument(skip_all)]
pub async fn import_suppressions(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    body: web::Bytes,
) -> Result<HttpResponse, Problem> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(body.as_ref());
    let (mut emails, mut invalid) = (Vec::new(), Vec::new());
    let mut column = 0;
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| invalid_csv(format!("is not CSV: {e}")))?;
        if i == 0 {
            if let Some(at) = record.iter().position(|c| c.eq_ignore_ascii_case("email")) {
                column = at;
                continue;
            }
        }
        let line = u64::try_from(i + 1).unwrap_or(u64::MAX);
        let value = record.get(column).unwrap_or_default().to_lowercase();
        if value.is_empty() {
            continue;
        }
        if validator::ValidateEmail::validate_email(&value) && value.len() <= 320 {
            emails.push(value);
        } else if invalid.len() < 100 {
            invalid.push(InvalidRow { line, value });
        }
        if emails.len() > MAX_IMPORT_ROWS {
            return Err(invalid_csv(format!("has more than {MAX_IMPORT_ROWS} rows")));
        }
    }
    emails.sort();
    emails.dedup();
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    let added = suppress(&mut work, &emails).await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(ImportResult {
        added,
        already: emails.len() - added,
        invalid,
    }))
}

fn invalid_csv(why: String) -> Problem {
    invalid("body", why)
}

/// The suppression list as CSV (`email,reason,created_at`), by address.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, content_type = "text/csv", body = String))
)]
#[get("/export.csv")]
#[tracing::instrument(skip_all)]
pub async fn export_suppressions(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
) -> Result<HttpResponse, Problem> {
    let mut tx = kernel::tenancy::tenant_tx(&outreach.db, &principal).await?;
    let rows = suppressions::all(&mut tx).await?;
    let mut out = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 48));
    let write = |out: &mut csv::Writer<Vec<u8>>, cells: [&str; 3]| {
        out.write_record(cells).map_err(|e| Problem::internal(&e))
    };
    write(&mut out, ["email", "reason", "created_at"])?;
    for row in &rows {
        let at = row.created_at.to_rfc3339();
        write(&mut out, [&row.email, &row.reason, &at])?;
    }
    let bytes = out.into_inner().map_err(|e| Problem::internal(&e))?;
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CONTENT_TYPE,
            "text/csv; charset=utf-8",
        ))
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"suppressions.csv\"",
        ))
        .body(bytes))
}

/// Take an address off the list (it may be written to again).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("email" = String, Path)),
    responses((status = 204))
)]
#[delete("/{email}")]
#[tracing::instrument(skip_all)]
pub async fn delete_suppression(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    email: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    if !suppressions::delete(&mut work, &email).await? {
        return Err(Problem::not_found("Suppression"));
    }
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
