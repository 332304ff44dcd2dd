//! The rows of endpoints, deliveries and attempts as the API shows them, their lists, and the
//! SQL the routes run. Everything runs in a tenant transaction; row-level security hides other
//! tenants.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use kernel::list::{Field, FieldType, Listing, Order, Resource};

/// A webhook endpoint (its secret is shown only when created or rotated).
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Endpoint {
    pub id: Uuid,
    pub url: String,
    pub description: String,
    /// Event types delivered; empty means every type.
    pub event_types: Vec<String>,
    pub enabled: bool,
    /// Why the endpoint was disabled (410 Gone, five days of failures), if it was.
    pub disabled_reason: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
    /// Until when the previous secret still signs, during a rotation.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The list engine's SELECT of [`Endpoint`]; [`endpoint`] spells the same columns out.
const SELECT_ENDPOINTS: &str =
    "SELECT id, url, description, event_types, enabled, disabled_reason, failing_since, \
            CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END \
                AS previous_secret_expires_at, \
            created_at, updated_at \
     FROM webhook_endpoints";

pub static ENDPOINTS: Resource = Resource::new(
    "webhook-endpoints",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("url", "url", FieldType::Text),
        Field::new("description", "description", FieldType::Text),
        Field::new("enabled", "enabled", FieldType::Bool),
        Field::new("event_types", "event_types", FieldType::TextArray),
        Field::new("created_at", "created_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

/// One event on its way to one endpoint.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Delivery {
    pub id: Uuid,
    /// The `webhook-id` header of every attempt.
    pub message_id: String,
    pub endpoint_id: Uuid,
    pub event_seq: i64,
    pub event_type: String,
    /// `pending` (attempts left), `succeeded` or `failed`.
    pub state: String,
    pub attempts: i32,
    pub last_status: Option<i16>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// The list engine's SELECT of [`Delivery`]; [`reset_delivery`] spells the same columns out.
const SELECT_DELIVERIES: &str =
    "SELECT id, 'msg_' || replace(id::text, '-', '') AS message_id, endpoint_id, event_seq, \
            event_type, state, attempts, last_status, next_attempt_at, created_at \
     FROM webhook_deliveries";

pub static DELIVERIES: Resource = Resource::new(
    "webhook-deliveries",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("event_type", "event_type", FieldType::Text),
        Field::new("event_seq", "event_seq", FieldType::Int),
        Field::new("state", "state", FieldType::Text),
        Field::new("attempts", "attempts", FieldType::Int),
        Field::new("created_at", "created_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

/// One HTTP attempt of a delivery.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Attempt {
    pub delivery_id: Uuid,
    pub attempt: i32,
    /// The response status; absent when no response came (timeout, refused, blocked).
    pub status: Option<i16>,
    pub error: Option<String>,
    /// The start of the response body (1 KiB at most).
    pub response_body: Option<String>,
    pub duration_ms: i32,
    pub created_at: DateTime<Utc>,
}

const SELECT_ATTEMPTS: &str =
    "SELECT delivery_id, attempt, status, error, response_body, duration_ms, created_at \
     FROM webhook_attempts";

pub static ATTEMPTS: Resource = Resource::new(
    "webhook-attempts",
    &[
        Field::new("delivery_id", "delivery_id", FieldType::Uuid),
        Field::new("attempt", "attempt", FieldType::Int),
        Field::new("status", "status", FieldType::Int),
        Field::new("created_at", "created_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Desc), ("attempt", Order::Desc)])
.page_sizes(25, 200);

pub(crate) const ENDPOINT_LIST: Listing = Listing::new(&ENDPOINTS, SELECT_ENDPOINTS);
pub(crate) const DELIVERY_LOG: Listing =
    Listing::new(&DELIVERIES, SELECT_DELIVERIES).filtered("endpoint_id = $1");
pub(crate) const ATTEMPT_LOG: Listing =
    Listing::new(&ATTEMPTS, SELECT_ATTEMPTS).filtered("endpoint_id = $1");

/// What a new endpoint is made of.
pub(crate) struct NewEndpoint<'a> {
    pub id: Uuid,
    pub url: &'a str,
    pub description: &'a str,
    pub event_types: &'a [String],
    pub secret: &'a str,
}

/// What a change to an endpoint sets; `None` keeps the current value. `enabled: Some(true)`
/// also forgets why it was disabled and since when it fails.
pub(crate) struct EndpointChange<'a> {
    pub url: Option<&'a str>,
    pub description: Option<&'a str>,
    pub event_types: Option<&'a [String]>,
    pub enabled: Option<bool>,
}

pub(crate) async fn insert_endpoint(
    conn: &mut PgConnection,
    new: &NewEndpoint<'_>,
) -> Result<Endpoint, sqlx::Error> {
    sqlx::query!(
        "INSERT INTO webhook_endpoints (tenant_id, id, url, description, event_types, secret)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5)",
        new.id,
        new.url,
        new.description,
        new.event_types,
        new.secret
    )
    .execute(&mut *conn)
    .await?;
    endpoint(conn, new.id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}

pub(crate) async fn endpoint(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Endpoint>, sqlx::Error> {
    sqlx::query_as!(
        Endpoint,
        "SELECT id, url, description, event_types, enabled, disabled_reason, failing_since,
                CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END
                    AS previous_secret_expires_at,
                created_at, updated_at
         FROM webhook_endpoints WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// The endpoint after the change, `None` when there is no such endpoint.
pub(crate) async fn update_endpoint(
    conn: &mut PgConnection,
    id: Uuid,
    change: &EndpointChange<'_>,
) -> Result<Option<Endpoint>, sqlx::Error> {
    let updated = sqlx::query!(
        "UPDATE webhook_endpoints SET url = coalesce($2, url),
                description = coalesce($3, description),
                event_types = coalesce($4, event_types),
                enabled = coalesce($5, enabled),
                disabled_reason = CASE WHEN $5 THEN NULL ELSE disabled_reason END,
                failing_since = CASE WHEN $5 THEN NULL ELSE failing_since END,
                updated_at = now()
         WHERE id = $1",
        id,
        change.url,
        change.description,
        change.event_types,
        change.enabled
    )
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(None);
    }
    endpoint(conn, id).await
}

/// Whether there was such an endpoint to delete (its deliveries and attempts go with it).
pub(crate) async fn delete_endpoint(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    let deleted = sqlx::query!("DELETE FROM webhook_endpoints WHERE id = $1", id)
        .execute(conn)
        .await?;
    Ok(deleted.rows_affected() > 0)
}

/// Makes `secret` the signing secret and keeps the current one signing until `expires`.
pub(crate) async fn rotate_secret(
    conn: &mut PgConnection,
    id: Uuid,
    secret: &str,
    expires: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let rotated = sqlx::query!(
        "UPDATE webhook_endpoints SET previous_secret = secret, secret = $2,
                previous_secret_expires_at = $3, updated_at = now()
         WHERE id = $1",
        id,
        secret,
        expires
    )
    .execute(conn)
    .await?;
    Ok(rotated.rows_affected() > 0)
}

/// Puts a delivery of `endpoint` back to pending, due now; `None` when there is no such one.
pub(crate) async fn reset_delivery(
    conn: &mut PgConnection,
    endpoint: Uuid,
    delivery: Uuid,
) -> Result<Option<Delivery>, sqlx::Error> {
    sqlx::query_as!(
        Delivery,
        r#"UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now()
           WHERE id = $1 AND endpoint_id = $2
           RETURNING id, 'msg_' || replace(id::text, '-', '') AS "message_id!", endpoint_id,
                     event_seq, event_type, state, attempts, last_status, next_attempt_at,
                     created_at"#,
        delivery,
        endpoint
    )
    .fetch_optional(conn)
    .await
}
