//! The rows of endpoints, deliveries and attempts as the API shows them, and their lists.
//! Everything runs in a tenant transaction; row-level security hides other tenants.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use kernel::list::{Field, FieldType, Order, Resource};

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

pub(crate) const SELECT_ENDPOINTS: &str =
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

pub(crate) const SELECT_DELIVERIES: &str =
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

pub(crate) const SELECT_ATTEMPTS: &str =
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
