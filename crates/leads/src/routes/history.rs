//! A lead's past: the audit log (in the shape Refine's `auditLogProvider.get` returns) and
//! the timeline (newest first, cursor-paginated).

use actix_web::{get, web, HttpRequest, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use kernel::list::ListPage;
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::{scope, tenant_tx, Problem, Scoped};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sqlx::{PgConnection, PgPool};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::problems;
use crate::store::audit::{self, AuditRow};
use crate::store::timeline::{self, TimelineEntry};
use crate::store::{self, Scope};

/// One audit entry, as Refine's audit log shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditLog {
    pub id: Uuid,
    /// Always `leads`.
    pub resource: &'static str,
    /// `create`, `update`, `upsert`, `move`, `merge`, `merge_from`, `merged_into`, `delete`,
    /// `restore`, `erase`.
    pub action: String,
    /// `{"kind": "user"|"api_key", "id": …}`.
    #[schema(value_type = Object)]
    pub author: Value,
    /// The changed fields' new values.
    #[schema(value_type = Object)]
    pub data: Value,
    /// The changed fields' old values.
    #[serde(rename = "previousData")]
    #[schema(value_type = Object)]
    pub previous_data: Value,
    /// `{"id": <lead id>}`.
    #[schema(value_type = Object)]
    pub meta: Value,
    #[serde(rename = "createdAt")]
    pub created_at: DateTime<Utc>,
}

impl From<AuditRow> for AuditLog {
    fn from(row: AuditRow) -> Self {
        let (mut data, mut previous) = (Map::new(), Map::new());
        if let Value::Object(changes) = &row.changes {
            for (field, change) in changes {
                data.insert(field.clone(), change["after"].clone());
                previous.insert(field.clone(), change["before"].clone());
            }
        }
        AuditLog {
            id: row.id,
            resource: "leads",
            action: row.action,
            author: json!({"kind": row.actor_kind, "id": row.actor_id}),
            data: Value::Object(data),
            previous_data: Value::Object(previous),
            meta: json!({"id": row.lead_id}),
            created_at: row.created_at,
        }
    }
}

/// A lead's audit log, newest first (Refine's list protocol: filter on `action`,
/// `actor_id`, `created_at`).
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = Vec<AuditLog>, headers(("X-Total-Count" = i64))),
    )
)]
#[get("/{id}/audit")]
#[tracing::instrument(skip_all)]
pub async fn list_lead_audit(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<ListPage<AuditLog>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    exists(&mut tx, *id, Scope::Any).await?;
    end_read(tx);
    let page: ListPage<AuditRow> = audit::AUDIT_OF_LEAD
        .respond_within(&db, &principal, &req, *id)
        .await?;
    Ok(page.map(AuditLog::from))
}

async fn exists(conn: &mut PgConnection, id: Uuid, scope: Scope) -> Result<(), Problem> {
    store::get(conn, id, scope)
        .await?
        .map(|_| ())
        .ok_or_else(problems::lead_not_found)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TimelineQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 100 entries (25 by default).
    pub limit: Option<i64>,
    /// Only entries of this kind.
    pub kind: Option<String>,
}

/// A page of the timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelinePage {
    pub items: Vec<TimelineEntry>,
    /// Pass as `cursor` for the next (older) page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// A lead's timeline: notes, tasks, calls, emails and system entries, newest first.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), TimelineQuery),
    responses(
        (status = 200, body = TimelinePage),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_cursor, invalid_query"),
    )
)]
#[get("/{id}/timeline")]
#[tracing::instrument(skip_all)]
pub async fn list_lead_timeline(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
    id: web::Path<Uuid>,
    query: web::Query<TimelineQuery>,
) -> Result<HttpResponse, Problem> {
    let query = query.into_inner();
    let limit = query.limit.unwrap_or(25);
    if !(1..=100).contains(&limit) {
        return Err(problems::invalid_query("limit must be between 1 and 100."));
    }
    const KINDS: [&str; 5] = ["note", "task", "system", "call", "email"];
    if let Some(kind) = query.kind.as_deref().filter(|k| !KINDS.contains(k)) {
        return Err(problems::invalid_query(format!(
            "kind {kind:?} is not one of: {}.",
            KINDS.join(", ")
        )));
    }
    let after = query.cursor.as_deref().map(decode_cursor).transpose()?;
    let mut tx = tenant_tx(&db, &principal).await?;
    exists(&mut tx, *id, Scope::NotErased).await?;
    let mut items =
        timeline::timeline_page(&mut tx, *id, after, query.kind.as_deref(), limit + 1).await?;
    tx.commit().await?;
    let more = i64::try_from(items.len()).unwrap_or(i64::MAX) > limit;
    items.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = match items.last() {
        Some(last) if more => Some(encode_cursor(last.created_at, last.id)),
        _ => None,
    };
    Ok(HttpResponse::Ok().json(TimelinePage { items, next_cursor }))
}

/// The position after an entry: its time (microseconds) and id, base64url.
fn encode_cursor(at: DateTime<Utc>, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}.{id}", at.timestamp_micros()))
}

fn decode_cursor(cursor: &str) -> Result<(DateTime<Utc>, Uuid), Problem> {
    let bad = problems::invalid_cursor;
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (micros, id) = text.split_once('.').ok_or_else(bad)?;
    let at = micros
        .parse::<i64>()
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .ok_or_else(bad)?;
    Ok((at, id.parse().map_err(|_| bad())?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let at = DateTime::from_timestamp_micros(1_790_000_000_123_456).unwrap();
        let id = Uuid::now_v7();
        assert_eq!(decode_cursor(&encode_cursor(at, id)).unwrap(), (at, id));
        for bad in ["", "!!", "bm9wZQ", &URL_SAFE_NO_PAD.encode("1.x")] {
            assert_eq!(decode_cursor(bad).unwrap_err().code, "invalid_cursor");
        }
    }
}
