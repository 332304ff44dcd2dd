//! Bounce and complaint notifications from sending providers over HTTP: the sources a tenant
//! sets up (each with its own secret URL), and the endpoint the providers call.

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use base64::Engine;
use chrono::{DateTime, Utc};
use kernel::jobs::JobFailure;
use kernel::webhooks::{Scheme, WebhookSecret};
use kernel::{scope, Problem, ProblemCode, Scoped, TenantId, UnitOfWork, ValidatedJson};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;
use validator::Validate;

use super::invalid;
use crate::feedback::{self, Notice};
use crate::Outreach;

/// The purpose a Resend signing secret is sealed for (kernel secrets).
const SECRET_PURPOSE: &str = "outreach.feedback";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FeedbackProvider {
    /// Amazon SES, through an SNS topic subscribed to the URL (HTTPS).
    Ses,
    /// Resend (its webhook signing secret is needed).
    Resend,
    /// Postmark (bounce and spam complaint webhooks).
    Postmark,
}

impl FeedbackProvider {
    fn as_str(self) -> &'static str {
        match self {
            Self::Ses => "ses",
            Self::Resend => "resend",
            Self::Postmark => "postmark",
        }
    }
}

/// Where a provider sends its notifications.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackSource {
    pub provider: FeedbackProvider,
    /// The URL to give the provider (its token is the secret that names this tenant).
    pub url: String,
    /// Whether deliveries are signed and checked (Resend: its signing secret is stored; SES:
    /// always, by SNS).
    pub signed: bool,
    pub last_received_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A source's settings.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackSourceInput {
    /// Resend only, and needed there: its webhook signing secret (`whsec_…`). Write-only.
    #[schema(value_type = Option<String>, format = Password)]
    pub signing_secret: Option<SecretString>,
}

struct Row {
    provider: String,
    token: String,
    signing_secret: Option<Vec<u8>>,
    last_received_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl Outreach {
    fn source(&self, row: Row) -> FeedbackSource {
        let provider = match row.provider.as_str() {
            "ses" => FeedbackProvider::Ses,
            "resend" => FeedbackProvider::Resend,
            _ => FeedbackProvider::Postmark,
        };
        FeedbackSource {
            url: format!(
                "{}/api/v1/outreach/feedback/{}/{}",
                self.settings.public_url.trim_end_matches('/'),
                row.provider,
                row.token
            ),
            signed: provider == FeedbackProvider::Ses || row.signing_secret.is_some(),
            provider,
            last_received_at: row.last_received_at,
            created_at: row.created_at,
        }
    }
}

async fn rows(conn: &mut PgConnection, provider: Option<&str>) -> Result<Vec<Row>, sqlx::Error> {
    sqlx::query_as!(
        Row,
        "SELECT provider, token, signing_secret, last_received_at, created_at
         FROM outreach_feedback_sources WHERE ($1::text IS NULL OR provider = $1)
         ORDER BY provider",
        provider
    )
    .fetch_all(conn)
    .await
}

/// The tenant's notification sources.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<FeedbackSource>))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_sources(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachRead>,
) -> Result<HttpResponse, Problem> {
    let mut tx = kernel::tenancy::tenant_tx(&outreach.db, &principal).await?;
    let sources: Vec<FeedbackSource> = rows(&mut tx, None)
        .await?
        .into_iter()
        .map(|row| outreach.source(row))
        .collect();
    Ok(HttpResponse::Ok().json(sources))
}

/// Set up (or change) where a provider sends bounces and complaints; its URL stays the same.
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("provider" = FeedbackProvider, Path)),
    request_body = FeedbackSourceInput,
    responses((status = 200, body = FeedbackSource))
)]
#[put("/{provider}")]
#[tracing::instrument(skip_all)]
pub async fn put_source(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    provider: web::Path<FeedbackProvider>,
    body: ValidatedJson<FeedbackSourceInput>,
) -> Result<HttpResponse, Problem> {
    let provider = *provider;
    let secret = body
        .signing_secret
        .as_ref()
        .map(|s| s.expose_secret().trim().to_owned());
    match (provider, &secret) {
        (FeedbackProvider::Resend, None) => {
            return Err(invalid("signing_secret", "is needed for Resend"));
        }
        (FeedbackProvider::Resend, Some(secret)) if WebhookSecret::standard(secret).is_err() => {
            return Err(invalid(
                "signing_secret",
                "must be Resend's `whsec_…` secret",
            ));
        }
        (FeedbackProvider::Ses | FeedbackProvider::Postmark, Some(_)) => {
            return Err(invalid("signing_secret", "only Resend signs its webhooks"));
        }
        _ => {}
    }
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    let sealed = match &secret {
        Some(secret) => Some(
            outreach
                .secrets
                .seal(&mut work, SECRET_PURPOSE, secret.as_bytes())
                .await
                .map_err(|e| Problem::internal(&e))?,
        ),
        None => None,
    };
    let mut token = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut token);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token);
    let row = sqlx::query_as!(
        Row,
        "INSERT INTO outreach_feedback_sources (tenant_id, provider, token, signing_secret)
         VALUES (kernel_current_tenant(), $1, $2, $3)
         ON CONFLICT (tenant_id, provider) DO UPDATE SET signing_secret = EXCLUDED.signing_secret
         RETURNING provider, token, signing_secret, last_received_at, created_at",
        provider.as_str(),
        token,
        sealed
    )
    .fetch_one(&mut *work)
    .await?;
    work.commit().await?;
    Ok(HttpResponse::Ok().json(outreach.source(row)))
}

/// Stop taking a provider's notifications (its URL stops working).
#[utoipa::path(
    tag = "outreach",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("provider" = FeedbackProvider, Path)),
    responses((status = 204))
)]
#[delete("/{provider}")]
#[tracing::instrument(skip_all)]
pub async fn delete_source(
    outreach: web::Data<Outreach>,
    principal: Scoped<scope::OutreachWrite>,
    provider: web::Path<FeedbackProvider>,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(&outreach.db, &outreach.cache, &principal).await?;
    let done = sqlx::query!(
        "DELETE FROM outreach_feedback_sources WHERE provider = $1",
        provider.as_str()
    )
    .execute(&mut *work)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Problem::not_found("Feedback source"));
    }
    work.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What a notification did.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackResult {
    /// Bounces and complaints that matched one of our messages and were acted on.
    pub applied: usize,
}

fn refused(detail: String) -> Problem {
    Problem::new(ProblemCode::InvalidSignature, detail)
}

fn json(body: &[u8]) -> Result<Value, Problem> {
    serde_json::from_slice(body)
        .map_err(|_| Problem::new(ProblemCode::BadRequest, "The body is not JSON."))
}

/// A provider's bounce or complaint notification (no session: the URL's token names the
/// tenant; SNS and Resend deliveries are signed and checked). Suppresses the addresses, stops
/// their sequences and counts towards auto-pause, like a bounce report in an inbox.
#[utoipa::path(
    tag = "outreach",
    params(("provider" = FeedbackProvider, Path), ("token" = String, Path)),
    request_body(content = String, description = "The provider's JSON, as sent"),
    responses(
        (status = 200, body = FeedbackResult),
        (status = 401, body = Problem, content_type = "application/problem+json", description = "invalid_signature"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "no such source"),
    )
)]
#[post("/{provider}/{token}")]
#[tracing::instrument(skip_all, fields(provider = %path.0.as_str()))]
pub async fn receive(
    outreach: web::Data<Outreach>,
    path: web::Path<(FeedbackProvider, String)>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, Problem> {
    let (provider, token) = path.into_inner();
    let tenant = sqlx::query_scalar!(
        "SELECT outreach_feedback_tenant($1, $2)",
        provider.as_str(),
        token
    )
    .fetch_one(&outreach.db)
    .await?
    .map(TenantId)
    .ok_or_else(|| Problem::not_found("Feedback source"))?;
    let notices: Vec<Notice> = match provider {
        FeedbackProvider::Postmark => feedback::postmark(&json(&body)?),
        FeedbackProvider::Resend => {
            let sealed = {
                let mut work = UnitOfWork::begin_for(&outreach.db, &outreach.cache, tenant).await?;
                let row = rows(&mut work, Some("resend")).await?.pop();
                let sealed = row.and_then(|r| r.signing_secret);
                match sealed {
                    Some(sealed) => Some(
                        outreach
                            .secrets
                            .open(&mut work, SECRET_PURPOSE, &sealed)
                            .await
                            .map_err(|e| Problem::internal(&e))?,
                    ),
                    None => None,
                }
            };
            let secrets: Vec<WebhookSecret> = sealed
                .and_then(|s| String::from_utf8(s).ok())
                .and_then(|s| WebhookSecret::standard(&s).ok())
                .into_iter()
                .collect();
            let verified = outreach
                .verifier
                .verify(
                    Scheme::StandardWebhooks,
                    &format!("outreach.resend.{}", tenant.0),
                    &secrets,
                    req.headers(),
                    &body,
                )
                .await?;
            feedback::resend(&verified.id, &json(&body)?)
        }
        FeedbackProvider::Ses => {
            let message = json(&body)?;
            outreach.sns.verify(&message).await.map_err(refused)?;
            match message.get("Type").and_then(Value::as_str) {
                Some("SubscriptionConfirmation") => {
                    outreach
                        .sns
                        .confirm(&message)
                        .await
                        .map_err(|why| Problem::new(ProblemCode::BadRequest, why))?;
                    tracing::info!(tenant = %tenant.0, "SNS subscription confirmed");
                    Vec::new()
                }
                Some("Notification") => {
                    let inner = message
                        .get("Message")
                        .and_then(Value::as_str)
                        .and_then(|m| serde_json::from_str::<Value>(m).ok())
                        .unwrap_or(Value::Null);
                    let id = message
                        .get("MessageId")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let mut notices = feedback::ses(id, &inner);
                    let at = feedback::sent_at(&message);
                    notices.iter_mut().for_each(|n| n.inbound.received_at = at);
                    notices
                }
                _ => Vec::new(),
            }
        }
    };
    let applied = apply(&outreach, tenant, provider, &notices).await;
    if applied.is_err() && provider == FeedbackProvider::Resend {
        // Resend retries the same delivery: let it through then.
        if let Some(id) = req
            .headers()
            .get("svix-id")
            .or(req.headers().get("webhook-id"))
        {
            let id = id.to_str().unwrap_or_default();
            outreach
                .verifier
                .forget(&format!("outreach.resend.{}", tenant.0), id)
                .await?;
        }
    }
    let applied = applied?;
    Ok(HttpResponse::Ok().json(FeedbackResult { applied }))
}

/// Acts on the notices in one transaction; answers how many matched one of our messages.
async fn apply(
    outreach: &Outreach,
    tenant: TenantId,
    provider: FeedbackProvider,
    notices: &[Notice],
) -> Result<usize, Problem> {
    let mut work = UnitOfWork::begin_for(&outreach.db, &outreach.cache, tenant).await?;
    let mut applied = 0;
    for notice in notices {
        let taken = outreach
            .take(&mut work, None, &notice.key, &notice.inbound)
            .await
            .map_err(|e: JobFailure| Problem::internal(&e))?;
        applied += usize::from(taken.is_some());
    }
    sqlx::query!(
        "UPDATE outreach_feedback_sources SET last_received_at = now() WHERE provider = $1",
        provider.as_str()
    )
    .execute(&mut *work)
    .await?;
    work.commit().await?;
    Ok(applied)
}
