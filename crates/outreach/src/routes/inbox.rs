//! What comes back, over HTTP: a mailbox's inbox (IMAP settings, check now), the replies kept,
//! and the tenant's auto-pause thresholds.

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use kernel::list::ListPage;
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::invalid;
use super::mailboxes::{check_server, SmtpSecurity};
use crate::inbox::{CheckSummary, INBOX_PURPOSE};
use crate::store::inboxes::{self, Inbox, InboxFields};
use crate::store::mailboxes;
use crate::store::replies::{Reply, REPLY_LIST};
use crate::store::settings::{self, DeliverySettings};
use crate::Outreach;

/// Where a mailbox's replies are read (IMAP). Its password is write-only.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InboxInput {
    #[validate(length(min = 1, max = 253))]
    pub host: String,
    /// Default 993.
    #[serde(default = "default_port")]
    #[validate(range(min = 1, max = 65535))]
    pub port: i32,
    /// Default `tls` (implicit TLS); `starttls` on 143; `none` for local servers only.
    #[serde(default = "default_security")]
    pub security: SmtpSecurity,
    /// Default: the mailbox's SMTP user name, else its from address.
    #[validate(length(min = 1, max = 320))]
    pub username: Option<String>,
    /// Write-only. Absent keeps the stored one (none: the SMTP password is used); `""`
    /// removes it.
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<SecretString>,
    /// Default `INBOX`.
    #[serde(default = "default_folder")]
    #[validate(length(min = 1, max = 200))]
    pub folder: String,
    /// Checked every minute while on (default on).
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn default_port() -> i32 {
    993
}
fn default_security() -> SmtpSecurity {
    SmtpSecurity::Tls
}
fn default_folder() -> String {
    "INBOX".into()
}
fn yes() -> bool {
    true
}

fn inbox_not_found() -> Problem {
    Problem::not_found("Inbox")
}

/// A mailbox's inbox.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The mailbox")),
    responses((status = 200, body = Inbox))
)]
#[get("/{id}/inbox")]
#[tracing::instrument(skip_all)]
pub async fn get_inbox(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut tx = kernel::tenancy::tenant_tx(&outreach.db, &principal).await?;
    let inbox = inboxes::get(&mut tx, *id)
        .await?
        .ok_or_else(inbox_not_found)?;
    Ok(HttpResponse::Ok().json(inbox))
}

/// Set where a mailbox's replies are read (a new server or folder is read afresh from the
/// day of the mailbox's first message).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The mailbox")),
    request_body = InboxInput,
    responses((status = 200, body = Inbox))
)]
#[put("/{id}/inbox")]
#[tracing::instrument(skip_all)]
pub async fn put_inbox(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<InboxInput>,
) -> Result<HttpResponse, Problem> {
    check_server(
        &outreach,
        ("host", &body.host),
        ("security", body.security == SmtpSecurity::None),
    )?;
    let password = body.password.as_ref().map(|p| p.expose_secret().to_owned());
    if password.as_ref().is_some_and(|p| p.len() > 1000) {
        return Err(invalid("password", "must be at most 1000 characters"));
    }
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    let mailbox = mailboxes::get(&mut work, *id)
        .await?
        .ok_or_else(|| Problem::not_found("Mailbox"))?;
    let sealed = match password {
        None => None,
        Some(p) if p.is_empty() => Some(None),
        Some(p) => Some(Some(
            outreach
                .secrets
                .seal(&mut work, INBOX_PURPOSE, p.as_bytes())
                .await
                .map_err(|e| Problem::internal(&e))?,
        )),
    };
    let username = body
        .username
        .clone()
        .or(mailbox.smtp_username)
        .unwrap_or(mailbox.from_address);
    let fields = InboxFields {
        host: body.host.trim(),
        port: body.port,
        security: body.security.as_str(),
        username: &username,
        folder: &body.folder,
        enabled: body.enabled,
    };
    let inbox = inboxes::upsert(
        &mut work,
        *id,
        &fields,
        sealed.as_ref().map(|s| s.as_deref()),
    )
    .await?;
    work.publish_ids("outreach_mailboxes", "outreach.mailbox.updated", &[*id])
        .await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(inbox))
}

/// Stop reading a mailbox's replies.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The mailbox")),
    responses((status = 204))
)]
#[delete("/{id}/inbox")]
#[tracing::instrument(skip_all)]
pub async fn delete_inbox(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    if !inboxes::delete(&mut work, *id).await? {
        return Err(inbox_not_found());
    }
    work.publish_ids("outreach_mailboxes", "outreach.mailbox.updated", &[*id])
        .await?;
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Check a mailbox's inbox now (else it is checked every minute) and say what was found.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The mailbox")),
    responses((status = 200, body = CheckSummary))
)]
#[post("/{id}/inbox/check")]
#[tracing::instrument(skip_all)]
pub async fn check_inbox(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    {
        let mut tx = kernel::tenancy::tenant_tx(&outreach.db, &principal).await?;
        inboxes::get(&mut tx, *id)
            .await?
            .ok_or_else(inbox_not_found)?;
    }
    let summary = outreach
        .check_inbox(principal.tenant_id, *id)
        .await
        .map_err(|e| Problem::internal(&e))?;
    Ok(HttpResponse::Ok().json(summary))
}

/// Replies, auto-replies, bounces and complaints to our messages, newest first (Refine's list
/// protocol; filter by `kind`, `campaign_id`, `lead_id`, `mailbox_id`; `q` searches the
/// sender, subject and text).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Reply>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_replies(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    req: HttpRequest,
) -> Result<ListPage<Reply>, Problem> {
    REPLY_LIST.respond(&outreach.db, &principal, &req).await
}

/// The tenant's auto-pause thresholds.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = DeliverySettings))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn get_settings(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
) -> Result<HttpResponse, Problem> {
    let mut tx = kernel::tenancy::tenant_tx(&outreach.db, &principal).await?;
    Ok(HttpResponse::Ok().json(settings::get(&mut tx).await?))
}

/// Change the auto-pause thresholds.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = DeliverySettings,
    responses((status = 200, body = DeliverySettings))
)]
#[put("")]
#[tracing::instrument(skip_all)]
pub async fn put_settings(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    body: ValidatedJson<DeliverySettings>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    settings::put(&mut work, &body).await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(*body))
}
