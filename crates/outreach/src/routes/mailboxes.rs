//! Mailboxes over HTTP: list, add, read, change, delete, and test the connection.

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use kernel::list::ListPage;
use kernel::{scope, Problem, ProblemCode, Scoped, UnitOfWork, ValidatedJson};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::invalid;
use crate::send::PASSWORD_PURPOSE;
use crate::smtp::Server;
use crate::store::mailboxes::{self, Mailbox, MailboxFields, MAILBOX_LIST};
use crate::Outreach;

/// A mailbox's settings. Its password is write-only.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxInput {
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    #[validate(email, length(max = 320))]
    pub from_address: String,
    #[serde(default)]
    #[validate(length(max = 200))]
    pub from_name: String,
    /// Added under each message (plain text).
    #[serde(default)]
    #[validate(length(max = 5000))]
    pub signature: String,
    #[validate(length(min = 1, max = 253))]
    pub smtp_host: String,
    #[validate(range(min = 1, max = 65535))]
    pub smtp_port: i32,
    pub smtp_security: SmtpSecurity,
    #[validate(length(min = 1, max = 320))]
    pub smtp_username: Option<String>,
    /// Write-only. On a change: absent keeps the stored one, `""` removes it.
    #[schema(value_type = Option<String>, format = Password)]
    pub smtp_password: Option<SecretString>,
    /// Messages a day at most (default 50).
    #[serde(default = "default_cap")]
    #[validate(range(min = 1, max = 10000))]
    pub daily_cap: i32,
    /// Ramp up from `warmup_start` a day by `warmup_step` a day to the cap (default on: 5, +2).
    #[serde(default = "yes")]
    pub warmup_enabled: bool,
    #[serde(default = "default_warmup_start")]
    #[validate(range(min = 1, max = 10000))]
    pub warmup_start: i32,
    #[serde(default = "default_warmup_step")]
    #[validate(range(min = 0, max = 10000))]
    pub warmup_step: i32,
    /// A random pause between two messages of this mailbox, in seconds (default 30–90).
    #[serde(default = "default_min_gap")]
    #[validate(range(min = 0, max = 86400))]
    pub min_gap_seconds: i32,
    #[serde(default = "default_max_gap")]
    #[validate(range(min = 0, max = 86400))]
    pub max_gap_seconds: i32,
    /// `active` (default) or `paused` (its messages wait).
    #[serde(default)]
    pub status: MailboxStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain SMTP: only for local sinks.
    None,
    /// STARTTLS (usually port 587).
    Starttls,
    /// Implicit TLS (usually port 465).
    Tls,
}

impl SmtpSecurity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Starttls => "starttls",
            Self::Tls => "tls",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MailboxStatus {
    #[default]
    Active,
    Paused,
}

fn default_cap() -> i32 {
    50
}
fn yes() -> bool {
    true
}
fn default_warmup_start() -> i32 {
    5
}
fn default_warmup_step() -> i32 {
    2
}
fn default_min_gap() -> i32 {
    30
}
fn default_max_gap() -> i32 {
    90
}

/// The result of a connection test.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailboxTest {
    pub ok: bool,
    /// What the server said of itself, or why it could not be reached.
    pub detail: String,
}

fn mailbox_not_found() -> Problem {
    Problem::not_found("Mailbox")
}

impl MailboxInput {
    /// The checks `validator` cannot express.
    fn check(&self, outreach: &Outreach) -> Result<(), Problem> {
        if self.min_gap_seconds > self.max_gap_seconds {
            return Err(invalid(
                "max_gap_seconds",
                "must be at least min_gap_seconds",
            ));
        }
        check_server(
            outreach,
            ("smtp_host", &self.smtp_host),
            ("smtp_security", self.smtp_security == SmtpSecurity::None),
        )?;
        if let Some(password) = &self.smtp_password {
            if password.expose_secret().len() > 1000 {
                return Err(invalid("smtp_password", "must be at most 1000 characters"));
            }
        }
        Ok(())
    }

    fn fields(&self) -> MailboxFields<'_> {
        MailboxFields {
            name: self.name.trim(),
            from_address: &self.from_address,
            from_name: self.from_name.trim(),
            signature: &self.signature,
            smtp_host: self.smtp_host.trim(),
            smtp_port: self.smtp_port,
            smtp_security: self.smtp_security.as_str(),
            smtp_username: self.smtp_username.as_deref(),
            daily_cap: self.daily_cap,
            warmup_enabled: self.warmup_enabled,
            warmup_start: self.warmup_start,
            warmup_step: self.warmup_step,
            min_gap_seconds: self.min_gap_seconds,
            max_gap_seconds: self.max_gap_seconds,
        }
    }
}

/// A server's host name must be one, and (unless allowed: dev and tests) not a private or
/// internal address, reached over TLS. `host` and `plain` name their fields.
pub(crate) fn check_server(
    outreach: &Outreach,
    (host_field, host): (&str, &str),
    (security_field, plain): (&str, bool),
) -> Result<(), Problem> {
    let host = host.trim();
    let host_chars = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_chars || host.starts_with(['-', '.']) {
        return Err(invalid(host_field, "must be a host name or an IP address"));
    }
    if !outreach.settings.allow_private_smtp {
        let local = host.eq_ignore_ascii_case("localhost") || host.ends_with(".localhost");
        let internal = host
            .trim_matches(['[', ']'])
            .parse()
            .is_ok_and(kernel::outbound::is_internal);
        if local || internal {
            return Err(invalid(
                host_field,
                "must not be a private or internal address",
            ));
        }
        if plain {
            return Err(invalid(security_field, "must be starttls or tls"));
        }
    }
    Ok(())
}

fn address_taken() -> Problem {
    Problem::new(
        ProblemCode::AlreadyExists,
        "A mailbox with this from address exists.",
    )
    .with_field_error("from_address", "is used by another mailbox")
}

/// The tenant's mailboxes (Refine's list protocol; `q` searches name and address).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Mailbox>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_mailboxes(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    req: HttpRequest,
) -> Result<ListPage<Mailbox>, Problem> {
    MAILBOX_LIST.respond(&outreach.db, &principal, &req).await
}

/// Add a mailbox (its password is sealed with the tenant's key and never shown again).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = MailboxInput,
    responses(
        (status = 201, body = Mailbox),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "already_exists: the from address has a mailbox"),
    )
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_mailbox(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    body: ValidatedJson<MailboxInput>,
) -> Result<HttpResponse, Problem> {
    body.check(&outreach)?;
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    let sealed = match body
        .smtp_password
        .as_ref()
        .map(|p| p.expose_secret().to_owned())
    {
        Some(password) if !password.is_empty() => Some(
            outreach
                .secrets
                .seal(&mut work, PASSWORD_PURPOSE, password.as_bytes())
                .await
                .map_err(|e| Problem::internal(&e))?,
        ),
        _ => None,
    };
    let mailbox = mailboxes::insert(&mut work, Uuid::now_v7(), &body.fields(), sealed.as_deref())
        .await?
        .ok_or_else(address_taken)?;
    work.publish_ids(
        "outreach_mailboxes",
        "outreach.mailbox.created",
        &[mailbox.id],
    )
    .await?;
    work.commit().await?;
    Ok(HttpResponse::Created().json(mailbox))
}

/// One mailbox.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Mailbox))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_mailbox(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut tx = kernel::tenancy::tenant_tx(&outreach.db, &principal).await?;
    let mailbox = mailboxes::get(&mut tx, *id)
        .await?
        .ok_or_else(mailbox_not_found)?;
    Ok(HttpResponse::Ok().json(mailbox))
}

/// Change a mailbox (every setting; the password only when sent).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = MailboxInput,
    responses(
        (status = 200, body = Mailbox),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "already_exists: the from address has another mailbox"),
    )
)]
#[put("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_mailbox(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<MailboxInput>,
) -> Result<HttpResponse, Problem> {
    body.check(&outreach)?;
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    let sealed = match body
        .smtp_password
        .as_ref()
        .map(|p| p.expose_secret().to_owned())
    {
        None => None,
        Some(password) if password.is_empty() => Some(None),
        Some(password) => Some(Some(
            outreach
                .secrets
                .seal(&mut work, PASSWORD_PURPOSE, password.as_bytes())
                .await
                .map_err(|e| Problem::internal(&e))?,
        )),
    };
    let status = match body.status {
        MailboxStatus::Active => "active",
        MailboxStatus::Paused => "paused",
    };
    let updated = mailboxes::update(
        &mut work,
        *id,
        &body.fields(),
        sealed.as_ref().map(|s| s.as_deref()),
        status,
    )
    .await;
    let mailbox = match updated {
        Ok(mailbox) => mailbox.ok_or_else(mailbox_not_found)?,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(address_taken()),
        Err(e) => return Err(e.into()),
    };
    work.publish_ids(
        "outreach_mailboxes",
        "outreach.mailbox.updated",
        &[mailbox.id],
    )
    .await?;
    work.commit().await?;
    outreach.pool.forget(mailbox.id);
    Ok(HttpResponse::Ok().json(mailbox))
}

/// Delete a mailbox. Messages planned from it fail; its campaigns send from their others.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204))
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_mailbox(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    if !mailboxes::delete(&mut work, *id).await? {
        return Err(mailbox_not_found());
    }
    work.publish_ids("outreach_mailboxes", "outreach.mailbox.deleted", &[*id])
        .await?;
    work.commit().await?;
    outreach.pool.forget(*id);
    Ok(HttpResponse::NoContent().finish())
}

/// Connect to the mailbox's server, sign in, and say goodbye; the result is kept on the
/// mailbox (`last_tested_at`, `last_test_error`).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = MailboxTest))
)]
#[post("/{id}/test")]
#[tracing::instrument(skip_all)]
pub async fn test_mailbox(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    let transport = mailboxes::transport(&mut work, *id)
        .await?
        .ok_or_else(mailbox_not_found)?;
    let password = outreach
        .open_text(
            &mut work,
            PASSWORD_PURPOSE,
            transport.smtp_password.as_deref(),
        )
        .await
        .map_err(|e| Problem::internal(&e))?;
    // The transaction is not held across the network.
    work.commit().await?;
    let server = Server {
        host: transport.smtp_host,
        port: u16::try_from(transport.smtp_port).unwrap_or(25),
        security: transport.smtp_security,
        username: transport.smtp_username,
        password,
    };
    let result = outreach.pool.test(&server).await;
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    mailboxes::record_test(&mut work, *id, result.as_ref().err().map(String::as_str)).await?;
    work.publish_ids("outreach_mailboxes", "outreach.mailbox.tested", &[*id])
        .await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(match result {
        Ok(greeting) => MailboxTest {
            ok: true,
            detail: greeting,
        },
        Err(error) => MailboxTest {
            ok: false,
            detail: error,
        },
    }))
}
