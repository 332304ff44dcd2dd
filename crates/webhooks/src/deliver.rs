//! Fan-out of events to deliveries, and the delivery job (one HTTP attempt per run).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::Settings;
use kernel::events::{StoredEvent, Subscriber};
use kernel::jobs::{enqueue, Job, JobContext, JobFailure, JobOptions, Registry};
use kernel::outbound::{check_url, GuardedResolver};
use kernel::tenancy::{tenant_tx_for, TenantId};
use kernel::webhooks::{sign_standard, WebhookSecret};

/// The subscriber that turns events into deliveries.
pub const FAN_OUT: &str = "webhooks.fan_out";

/// Attempts a job may make, above the schedule's: runs lost to a crash are retried too.
const CRASH_MARGIN: i32 = 5;

/// The job that makes the next attempt of a delivery.
#[derive(Debug, Serialize, Deserialize)]
pub struct DeliverWebhook {
    pub delivery_id: Uuid,
    /// A redelivery an admin asked for: one attempt, no retries.
    #[serde(default)]
    pub manual: bool,
}

impl Job for DeliverWebhook {
    const KIND: &'static str = "webhooks.deliver";
}

/// The HTTP client deliveries use: the guarded resolver, no redirects, the timeout, and a
/// proxy only when the settings name one.
pub fn client(settings: &Settings) -> Result<reqwest::Client, reqwest::Error> {
    let mut client = reqwest::Client::builder()
        .dns_resolver(Arc::new(GuardedResolver(settings.targets)))
        // Proxy variables of the environment would bypass the resolver above.
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(settings.timeout)
        .user_agent("DataFortress-Webhooks/1");
    if let Some(proxy) = &settings.proxy {
        client = client.proxy(reqwest::Proxy::all(proxy)?);
    }
    client.build()
}

/// Registers the fan-out subscriber and the delivery job.
pub fn register(
    registry: &mut Registry,
    db: PgPool,
    settings: Settings,
) -> Result<(), reqwest::Error> {
    let client = client(&settings)?;
    let settings = Arc::new(settings);
    let attempts = i32::try_from(settings.schedule.len()).unwrap_or(i32::MAX);
    let fan_db = db.clone();
    registry.subscribe(Subscriber::new(FAN_OUT, move |tenant, events| {
        let db = fan_db.clone();
        async move { fan_out(&db, tenant, &events, attempts).await }
    }));
    registry.on(move |ctx: JobContext, job: DeliverWebhook| {
        let (db, client, settings) = (db.clone(), client.clone(), settings.clone());
        async move { attempt(&db, &client, &settings, ctx, job).await }
    });
    Ok(())
}

/// The body every attempt of a delivery of `event` sends, fixed when the delivery is made.
pub(crate) fn delivery_body(event: &StoredEvent) -> String {
    json!({
        "type": event.event_type,
        "timestamp": event.created_at,
        "channel": event.channel,
        "data": event.payload,
    })
    .to_string()
}

/// One delivery per (event, matching enabled endpoint that existed when the event happened),
/// each with its job; what exists already is left alone.
pub async fn fan_out(
    db: &PgPool,
    tenant: TenantId,
    events: &[StoredEvent],
    attempts: i32,
) -> Result<(), JobFailure> {
    let mut tx = tenant_tx_for(db, tenant).await?;
    for event in events {
        let body = delivery_body(event);
        let created = sqlx::query_scalar!(
            "INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_seq, event_type, body)
             SELECT tenant_id, gen_random_uuid(), id, $1, $2, $3 FROM webhook_endpoints
             WHERE enabled AND created_at <= $4
               AND (cardinality(event_types) = 0 OR $2 = ANY (event_types))
             ON CONFLICT (tenant_id, endpoint_id, event_seq) DO NOTHING
             RETURNING id",
            event.seq,
            &event.event_type,
            &body,
            event.created_at
        )
        .fetch_all(&mut *tx)
        .await?;
        for delivery_id in created {
            let job = DeliverWebhook {
                delivery_id,
                manual: false,
            };
            let options = JobOptions::default()
                .key(format!("webhook:{delivery_id}"))
                .max_attempts(attempts + CRASH_MARGIN);
            enqueue(&mut tx, &job, &options).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

struct Target {
    endpoint_id: Uuid,
    url: String,
    body: String,
    state: String,
    attempts: i32,
    enabled: bool,
    secret: String,
    previous_secret: Option<String>,
    previous_secret_expires_at: Option<DateTime<Utc>>,
    failing_since: Option<DateTime<Utc>>,
}

/// What one attempt came to.
struct Response {
    status: Option<u16>,
    error: Option<String>,
    body: Option<String>,
    retry_after: Option<Duration>,
    took: Duration,
}

async fn attempt(
    db: &PgPool,
    client: &reqwest::Client,
    settings: &Settings,
    ctx: JobContext,
    job: DeliverWebhook,
) -> Result<(), JobFailure> {
    let tenant = ctx.tenant()?;
    let mut tx = tenant_tx_for(db, tenant).await?;
    let target = sqlx::query_as!(
        Target,
        "SELECT d.endpoint_id, e.url, d.body, d.state, d.attempts, e.enabled, e.secret,
                e.previous_secret, e.previous_secret_expires_at, e.failing_since
         FROM webhook_deliveries d JOIN webhook_endpoints e
           ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
         WHERE d.id = $1",
        job.delivery_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    // Deleted with its endpoint, or already finished by an earlier run of this job.
    let Some(target) = target else { return Ok(()) };
    if target.state != "pending" {
        return Ok(());
    }
    let number = target.attempts + 1;
    let response = if target.enabled {
        send(client, settings, &target, job.delivery_id).await
    } else {
        Response {
            status: None,
            error: Some("the endpoint is disabled".into()),
            body: None,
            retry_after: None,
            took: Duration::ZERO,
        }
    };

    let now = Utc::now();
    let ok = response.status.is_some_and(|s| (200..300).contains(&s));
    let gone = response.status == Some(410);
    let failing_since = target.failing_since.unwrap_or(now);
    let failed_too_long =
        !ok && (now - failing_since).to_std().unwrap_or_default() >= settings.disable_after;
    let out_of_attempts = usize::try_from(number).unwrap_or(usize::MAX) >= settings.schedule.len();
    let next_at =
        (!ok && target.enabled && !gone && !failed_too_long && !out_of_attempts && !job.manual)
            .then(|| {
                let planned = settings
                    .schedule
                    .get(usize::try_from(number).unwrap_or(usize::MAX))
                    .copied()
                    .unwrap_or_default();
                let wait = response.retry_after.map_or(planned, |r| r.max(planned));
                now + chrono::Duration::from_std(wait).unwrap_or_default()
            });
    let state = match (ok, next_at) {
        (true, _) => "succeeded",
        (false, Some(_)) => "pending",
        (false, None) => "failed",
    };

    let status = response
        .status
        .map(|s| i16::try_from(s).unwrap_or(i16::MAX));
    let mut tx = tenant_tx_for(db, tenant).await?;
    sqlx::query!(
        "INSERT INTO webhook_attempts
             (tenant_id, delivery_id, attempt, endpoint_id, status, error, response_body, duration_ms)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id, delivery_id, attempt) DO NOTHING",
        job.delivery_id,
        number,
        target.endpoint_id,
        status,
        response.error.as_deref(),
        response.body.as_deref(),
        i32::try_from(response.took.as_millis()).unwrap_or(i32::MAX)
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE webhook_deliveries SET attempts = $2, last_status = $3, state = $4,
                next_attempt_at = $5
         WHERE id = $1",
        job.delivery_id,
        number,
        status,
        state,
        next_at
    )
    .execute(&mut *tx)
    .await?;
    if target.enabled {
        let disabled_reason = if gone {
            Some("the endpoint answered 410 Gone".to_owned())
        } else if failed_too_long {
            Some(format!("every delivery failed since {failing_since}"))
        } else {
            None
        };
        sqlx::query!(
            "UPDATE webhook_endpoints
             SET failing_since = $2, enabled = enabled AND $3::text IS NULL,
                 disabled_reason = coalesce($3, disabled_reason), updated_at = now()
             WHERE id = $1",
            target.endpoint_id,
            (!ok).then_some(failing_since),
            disabled_reason.as_deref()
        )
        .execute(&mut *tx)
        .await?;
        if let Some(reason) = &disabled_reason {
            tracing::warn!(endpoint = %target.endpoint_id, reason, "webhook endpoint disabled");
        }
    }
    tx.commit().await?;

    match next_at {
        // The job succeeds: the delivery's own state says how it ended.
        None => Ok(()),
        Some(at) => Err(JobFailure::retry_at(
            format!(
                "attempt {number} failed: {}",
                response.status.map_or_else(
                    || response.error.clone().unwrap_or_default(),
                    |s| format!("HTTP {s}")
                )
            ),
            at,
        )),
    }
}

async fn send(
    client: &reqwest::Client,
    settings: &Settings,
    target: &Target,
    delivery_id: Uuid,
) -> Response {
    let started = Instant::now();
    let failed = |error: String| Response {
        status: None,
        error: Some(error),
        body: None,
        retry_after: None,
        took: started.elapsed(),
    };
    // Registered URLs were checked; the policy may have tightened since.
    let url = match check_url(&target.url, settings.targets) {
        Ok(url) => url,
        Err(why) => return failed(format!("the URL {why}")),
    };
    let id = format!("msg_{}", delivery_id.simple());
    let timestamp = Utc::now().timestamp();
    let mut signatures = Vec::new();
    let previous = target.previous_secret.as_deref().filter(|_| {
        target
            .previous_secret_expires_at
            .is_some_and(|at| at > Utc::now())
    });
    for secret in std::iter::once(target.secret.as_str()).chain(previous) {
        match WebhookSecret::standard(secret) {
            Ok(secret) => signatures.push(sign_standard(
                &secret,
                &id,
                timestamp,
                target.body.as_bytes(),
            )),
            Err(err) => return failed(format!("the endpoint's secret is unusable: {err}")),
        }
    }
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signatures.join(" "))
        .body(target.body.clone())
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(err) => {
            let why = if err.is_timeout() {
                format!("no response within {} s", settings.timeout.as_secs())
            } else {
                // The source chain names the cause (refused, DNS, blocked address).
                let mut text = err.to_string();
                let mut source = std::error::Error::source(&err);
                while let Some(cause) = source {
                    text = format!("{text}: {cause}");
                    source = cause.source();
                }
                text
            };
            return failed(why);
        }
    };
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after);
    let body = read_start(response, 1024).await;
    Response {
        status: Some(status),
        error: None,
        body: Some(body),
        retry_after,
        took: started.elapsed(),
    }
}

/// The first `limit` bytes of the body, as text (never the whole of a huge body).
async fn read_start(mut response: reqwest::Response, limit: usize) -> String {
    let mut kept = Vec::new();
    while kept.len() < limit {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                kept.extend_from_slice(&chunk[..chunk.len().min(limit - kept.len())])
            }
            _ => break,
        }
    }
    String::from_utf8_lossy(&kept).into_owned()
}

/// `Retry-After` as seconds or an HTTP date, capped at a day.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let wait = match value.trim().parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let at = DateTime::parse_from_rfc2822(value.trim()).ok()?;
            (at.with_timezone(&Utc) - Utc::now()).to_std().ok()?
        }
    };
    Some(wait.min(Duration::from_secs(24 * 3600)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("999999"),
            Some(Duration::from_secs(24 * 3600))
        );
        let soon = (Utc::now() + chrono::Duration::seconds(90)).to_rfc2822();
        let parsed = parse_retry_after(&soon).unwrap();
        assert!(parsed > Duration::from_secs(80) && parsed <= Duration::from_secs(90));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
