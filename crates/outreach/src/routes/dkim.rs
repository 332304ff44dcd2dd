//! A mailbox's DKIM key over HTTP: make (or bring) one, show the DNS record, stop signing.

use actix_web::{delete, get, put, web, HttpResponse};
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::invalid;
use crate::dkim::{self, DKIM_PURPOSE};
use crate::store::mailboxes::{self, Dkim};
use crate::Outreach;

/// How a mailbox signs.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DkimInput {
    /// The signing domain (default: the from address's domain).
    #[validate(length(min = 1, max = 253))]
    pub domain: Option<String>,
    /// The DNS selector (default `df1`).
    #[validate(length(min = 1, max = 63))]
    pub selector: Option<String>,
    /// Write-only: an RSA private key in PEM to use; absent: a new 2048-bit key is made.
    #[schema(value_type = Option<String>, format = Password)]
    pub private_key: Option<SecretString>,
}

fn dkim_not_found() -> Problem {
    Problem::not_found("DKIM key")
}

/// A mailbox's DKIM key: the DNS record to publish.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The mailbox")),
    responses((status = 200, body = Dkim))
)]
#[get("/{id}/dkim")]
#[tracing::instrument(skip_all)]
pub async fn get_dkim(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut tx = kernel::tenancy::tenant_tx(&outreach.db, &principal).await?;
    let dkim = mailboxes::dkim(&mut tx, *id)
        .await?
        .flatten()
        .ok_or_else(dkim_not_found)?;
    Ok(HttpResponse::Ok().json(dkim))
}

/// Sign the mailbox's messages with a new key (or the one given); replaces the key it had.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The mailbox")),
    request_body = DkimInput,
    responses((status = 200, body = Dkim))
)]
#[put("/{id}/dkim")]
#[tracing::instrument(skip_all)]
pub async fn put_dkim(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<DkimInput>,
) -> Result<HttpResponse, Problem> {
    let selector = body.selector.as_deref().unwrap_or("df1").trim().to_owned();
    let selector_ok = selector
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && selector.starts_with(|c: char| c.is_ascii_alphanumeric());
    if !selector_ok {
        return Err(invalid(
            "selector",
            "letters, digits, '.', '_' and '-' only",
        ));
    }
    if let Some(domain) = &body.domain {
        let domain_ok = domain.contains('.')
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
        if !domain_ok {
            return Err(invalid("domain", "must be a domain name"));
        }
    }
    // The mailbox first: a key is not made for nothing.
    let from_address = {
        let mut tx = kernel::tenancy::tenant_tx(&outreach.db, &principal).await?;
        mailboxes::get(&mut tx, *id)
            .await?
            .ok_or_else(|| Problem::not_found("Mailbox"))?
            .from_address
    };
    let key = match &body.private_key {
        Some(pem) => {
            dkim::import(pem.expose_secret()).map_err(|why| invalid("private_key", why))?
        }
        None => tokio::task::spawn_blocking(dkim::generate)
            .await
            .map_err(|e| Problem::internal(&e))?
            .map_err(|e| Problem::internal(&e))?,
    };
    let domain = match &body.domain {
        Some(domain) => domain.trim().to_lowercase(),
        None => from_address
            .rsplit_once('@')
            .map(|(_, d)| d.to_lowercase())
            .unwrap_or_default(),
    };
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    let sealed = outreach
        .secrets
        .seal(&mut work, DKIM_PURPOSE, key.private_pem.as_bytes())
        .await
        .map_err(|e| Problem::internal(&e))?;
    let dkim = mailboxes::set_dkim(
        &mut work,
        *id,
        &domain,
        &selector,
        &sealed,
        &key.public_base64,
    )
    .await?
    .ok_or_else(|| Problem::not_found("Mailbox"))?;
    work.publish_ids("outreach_mailboxes", "outreach.mailbox.updated", &[*id])
        .await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(dkim))
}

/// Stop signing the mailbox's messages (the key is forgotten).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The mailbox")),
    responses((status = 204))
)]
#[delete("/{id}/dkim")]
#[tracing::instrument(skip_all)]
pub async fn delete_dkim(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    if !mailboxes::clear_dkim(&mut work, *id).await? {
        return Err(dkim_not_found());
    }
    work.publish_ids("outreach_mailboxes", "outreach.mailbox.updated", &[*id])
        .await?;
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
