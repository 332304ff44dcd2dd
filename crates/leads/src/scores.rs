//! Scores computed elsewhere (a data project's scoring model, reverse-ETL'd to our own CRM),
//! applied to the leads' `score`.
//!
//! The contract for other slices: publish `lead.scores_computed` on `orchestration/lead-scores`
//! with `{"items": [{"email", "score" (0-100)}], …}`. The subscriber `leads.scores` sets the
//! score of the live lead with that email (stored lower-case), bumping its version and
//! publishing `lead.updated` for the leads that changed. Applying the same event twice changes
//! nothing the second time, so at-least-once delivery is enough.

use kernel::cache::Cache;
use kernel::events::{StoredEvent, Subscriber};
use kernel::jobs::{JobFailure, Registry};
use kernel::{TenantId, UnitOfWork};
use serde_json::Value;
use sqlx::PgPool;

/// The event type and channel this subscriber applies.
pub const SCORES_EVENT: &str = "lead.scores_computed";
pub const SCORES_CHANNEL: &str = "orchestration/lead-scores";

/// Registers the `leads.scores` subscriber with the worker.
pub fn register(registry: &mut Registry, db: PgPool, cache: Cache) {
    registry.subscribe(Subscriber::new(
        "leads.scores",
        move |tenant: TenantId, events: Vec<StoredEvent>| {
            let (db, cache) = (db.clone(), cache.clone());
            async move { apply(&db, &cache, tenant, &events).await }
        },
    ));
}

/// The (email, score) pairs of an event, valid ones only.
pub fn scores_of(event: &StoredEvent) -> Vec<(String, i16)> {
    if event.event_type != SCORES_EVENT || event.channel != SCORES_CHANNEL {
        return Vec::new();
    }
    let Some(items) = event.payload.get("items").and_then(Value::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let email = item.get("email")?.as_str()?.trim().to_lowercase();
            let score = item.get("score")?.as_i64()?;
            let score = i16::try_from(score.clamp(0, 100)).ok()?;
            (!email.is_empty() && email.len() <= 254).then_some((email, score))
        })
        .collect()
}

async fn apply(
    db: &PgPool,
    cache: &Cache,
    tenant: TenantId,
    events: &[StoredEvent],
) -> Result<(), JobFailure> {
    let pairs: Vec<(String, i16)> = events.iter().flat_map(scores_of).collect();
    if pairs.is_empty() {
        return Ok(());
    }
    let (emails, scores): (Vec<String>, Vec<i16>) = pairs.into_iter().unzip();
    let mut work = UnitOfWork::begin_for(db, cache, tenant).await?;
    let changed: Vec<uuid::Uuid> = sqlx::query_scalar!(
        "UPDATE leads l SET score = s.score, version = l.version + 1, updated_at = now()
         FROM (SELECT DISTINCT ON (email) email, score
               FROM unnest($1::text[], $2::int2[]) WITH ORDINALITY AS s(email, score, n)
               ORDER BY email, n DESC) s
         WHERE l.email = s.email AND l.deleted_at IS NULL AND l.erased_at IS NULL
           AND l.score IS DISTINCT FROM s.score
         RETURNING l.id",
        &emails,
        &scores
    )
    .fetch_all(&mut *work)
    .await?;
    work.publish_ids("leads", "lead.updated", &changed)
        .await
        .map_err(JobFailure::retry)?;
    work.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(channel: &str, event_type: &str, payload: Value) -> StoredEvent {
        StoredEvent {
            seq: 1,
            channel: channel.into(),
            event_type: event_type.into(),
            payload,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn valid_items_are_read_and_clamped() {
        let e = event(
            SCORES_CHANNEL,
            SCORES_EVENT,
            json!({"items": [{"email": " Ana@Example.com ", "score": 140}, {"email": "b@x.io", "score": -3}, {"score": 5}, {"email": "c@x.io", "score": "high"}]}),
        );
        assert_eq!(
            scores_of(&e),
            vec![("ana@example.com".into(), 100), ("b@x.io".into(), 0)]
        );
    }

    #[test]
    fn other_events_are_ignored() {
        let payload = json!({"items": [{"email": "a@x.io", "score": 5}]});
        assert!(scores_of(&event("resources/leads", SCORES_EVENT, payload.clone())).is_empty());
        assert!(scores_of(&event(SCORES_CHANNEL, "lead.updated", payload)).is_empty());
    }
}
