//! Calls and emails other slices report, written to the lead's timeline.
//!
//! The contract for reporting slices: publish an event whose type starts with `call.` or
//! `email.` (`call.completed`, `email.replied`) and whose payload holds `lead_id` (the lead's
//! id as a string) and a one-line `summary` (or `subject`). The subscriber `leads.timeline`
//! writes one timeline entry of kind `call` or `email` per event, with the payload as its
//! `data`; events for a lead that does not exist or was erased are skipped. Delivery is at
//! least once; the entry is keyed by the event's sequence number, so it is written once.

use kernel::events::{StoredEvent, Subscriber};
use kernel::jobs::{JobFailure, Registry};
use kernel::tenancy::tenant_tx_for;
use kernel::TenantId;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// Registers the `leads.timeline` subscriber with the worker.
pub fn register(registry: &mut Registry, db: PgPool) {
    registry.subscribe(Subscriber::new(
        "leads.timeline",
        move |tenant: TenantId, events: Vec<StoredEvent>| {
            let db = db.clone();
            async move { record(&db, tenant, &events).await }
        },
    ));
}

/// What an event puts on a timeline, if anything: (lead, kind, body).
pub fn entry_of(event: &StoredEvent) -> Option<(Uuid, &'static str, String)> {
    let kind = if event.event_type.starts_with("call.") {
        "call"
    } else if event.event_type.starts_with("email.") {
        "email"
    } else {
        return None;
    };
    let lead = event.payload.get("lead_id")?.as_str()?.parse().ok()?;
    let text = |key: &str| event.payload.get(key).and_then(Value::as_str);
    let body = text("summary")
        .or_else(|| text("subject"))
        .unwrap_or(&event.event_type)
        .replace('\0', "")
        .chars()
        .take(10_000)
        .collect();
    Some((lead, kind, body))
}

async fn record(db: &PgPool, tenant: TenantId, events: &[StoredEvent]) -> Result<(), JobFailure> {
    let entries: Vec<_> = events
        .iter()
        .filter_map(|e| entry_of(e).map(|entry| (e, entry)))
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    let mut tx = tenant_tx_for(db, tenant).await?;
    for (event, (lead, kind, body)) in entries {
        sqlx::query!(
            "INSERT INTO lead_timeline
                 (tenant_id, id, lead_id, kind, body, data, event_seq, created_at, updated_at)
             SELECT kernel_current_tenant(), $1, l.id, $3, $4, $5, $6, $7, $7
             FROM leads l WHERE l.id = $2 AND l.erased_at IS NULL
             ON CONFLICT (tenant_id, event_seq) WHERE event_seq IS NOT NULL DO NOTHING",
            Uuid::now_v7(),
            lead,
            kind,
            body,
            strip_nul(&event.payload),
            event.seq,
            event.created_at,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// jsonb cannot hold `\u0000`; a payload that had one keeps everything else.
fn strip_nul(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace('\0', "")),
        Value::Array(items) => Value::Array(items.iter().map(strip_nul).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.replace('\0', ""), strip_nul(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(event_type: &str, payload: Value) -> StoredEvent {
        StoredEvent {
            seq: 1,
            channel: "resources/calls".into(),
            event_type: event_type.into(),
            payload,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn calls_and_emails_with_a_lead_make_entries() {
        let lead = Uuid::now_v7();
        let call = event(
            "call.completed",
            json!({"lead_id": lead, "summary": "Qualified"}),
        );
        assert_eq!(entry_of(&call), Some((lead, "call", "Qualified".into())));
        let mail = event(
            "email.replied",
            json!({"lead_id": lead, "subject": "Re: hi"}),
        );
        assert_eq!(entry_of(&mail), Some((lead, "email", "Re: hi".into())));
        assert_eq!(
            entry_of(&event("lead.updated", json!({"lead_id": lead}))),
            None
        );
        assert_eq!(
            entry_of(&event("call.completed", json!({"lead_id": "x"}))),
            None
        );
    }
}
