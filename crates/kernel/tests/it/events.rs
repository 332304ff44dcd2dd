//! Domain events against real PostgreSQL (as the runtime role) and Redis: the per-tenant
//! sequence (independent, gap-free, unique under concurrency), tenant isolation, reading in
//! order, retention, and the wake-up other instances receive.

use std::time::Duration;

use crate::common::{runtime, tenants};
use futures_util::StreamExt;
use kernel::cache::Cache;
use kernel::events::{self, EventError, NewEvent, DEFAULT_RETENTION};
use kernel::tenancy::{tenant_tx_for, TenantId};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

fn lead_created(n: u32) -> NewEvent {
    NewEvent::for_ids("leads", "lead.created", [n]).unwrap()
}

/// Publishes one event in its own committed tenant transaction.
async fn publish_committed(db: &PgPool, tenant: TenantId, event: &NewEvent) -> i64 {
    let mut tx = tenant_tx_for(db, tenant).await.unwrap();
    let seq = events::publish(&mut tx, event).await.unwrap();
    tx.commit().await.unwrap();
    seq
}

async fn read_all(db: &PgPool, tenant: TenantId) -> Vec<events::StoredEvent> {
    let mut tx = tenant_tx_for(db, tenant).await.unwrap();
    events::read_after(&mut tx, 0, None, events::MAX_READ_LIMIT)
        .await
        .unwrap()
}

fn seqs(events: &[events::StoredEvent]) -> Vec<i64> {
    events.iter().map(|e| e.seq).collect()
}

#[sqlx::test(migrations = "../../migrations")]
async fn each_tenant_counts_from_one_on_its_own(owner: PgPool) {
    let (a, b) = tenants(&owner).await;
    let db = runtime(&owner);

    let mut tx = tenant_tx_for(&db, a).await.unwrap();
    let mut in_a = Vec::new();
    for n in 1..=3 {
        in_a.push(events::publish(&mut tx, &lead_created(n)).await.unwrap());
    }
    tx.commit().await.unwrap();
    let in_b = [
        publish_committed(&db, b, &lead_created(9)).await,
        publish_committed(&db, b, &lead_created(10)).await,
    ];

    assert_eq!(in_a, [1, 2, 3]);
    assert_eq!(in_b, [1, 2]);
    assert_eq!(seqs(&read_all(&db, a).await), [1, 2, 3]);
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_rolled_back_event_is_never_seen_and_its_number_is_reused(owner: PgPool) {
    let (a, _) = tenants(&owner).await;
    let db = runtime(&owner);
    publish_committed(&db, a, &lead_created(1)).await;

    let mut tx = tenant_tx_for(&db, a).await.unwrap();
    let doomed = events::publish(&mut tx, &lead_created(2)).await.unwrap();
    tx.rollback().await.unwrap();
    let next = publish_committed(&db, a, &lead_created(3)).await;

    assert_eq!((doomed, next), (2, 2));
    let stored = read_all(&db, a).await;
    assert_eq!(seqs(&stored), [1, 2]);
    assert_eq!(stored[1].payload, json!({ "ids": ["3"] }));
}

#[sqlx::test(migrations = "../../migrations")]
async fn concurrent_publishers_of_one_tenant_get_one_to_twenty_exactly(owner: PgPool) {
    let (a, _) = tenants(&owner).await;
    let db = runtime(&owner);

    let tasks: Vec<_> = (1..=20)
        .map(|n| {
            let db = db.clone();
            tokio::spawn(async move { publish_committed(&db, a, &lead_created(n)).await })
        })
        .collect();
    let mut got = Vec::new();
    for task in tasks {
        got.push(task.await.unwrap());
    }

    got.sort_unstable();
    assert_eq!(got, (1..=20).collect::<Vec<i64>>());
    assert_eq!(
        seqs(&read_all(&db, a).await),
        (1..=20).collect::<Vec<i64>>()
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_tenant_never_reads_another_tenants_events(owner: PgPool) {
    let (a, b) = tenants(&owner).await;
    let db = runtime(&owner);
    publish_committed(&db, a, &lead_created(1)).await;
    publish_committed(&db, a, &lead_created(2)).await;

    let seen_by_b = read_all(&db, b).await;
    let mut tx = db.begin().await.unwrap();
    let seen_without_tenant = events::read_after(&mut tx, 0, None, 100).await.unwrap();

    assert!(seen_by_b.is_empty());
    assert!(seen_without_tenant.is_empty());
    assert_eq!(publish_committed(&db, b, &lead_created(3)).await, 1);
}

#[sqlx::test(migrations = "../../migrations")]
async fn read_after_honours_the_cursor_the_channels_and_the_limit_in_order(owner: PgPool) {
    let (a, _) = tenants(&owner).await;
    let db = runtime(&owner);
    let project = format!("projects/{}", Uuid::new_v4());
    for n in 1..=6 {
        let event = if n % 2 == 0 {
            NewEvent::new(
                &project,
                "node.status_changed",
                json!({ "nodeId": "gold_sales", "newStatus": "GREEN" }),
            )
            .unwrap()
        } else {
            lead_created(n)
        };
        publish_committed(&db, a, &event).await;
    }
    let mut tx = tenant_tx_for(&db, a).await.unwrap();

    let after_two = events::read_after(&mut tx, 2, None, 100).await.unwrap();
    let limited = events::read_after(&mut tx, 2, None, 2).await.unwrap();
    let leads_only = ["resources/leads".to_owned()];
    let leads = events::read_after(&mut tx, 0, Some(&leads_only), 100)
        .await
        .unwrap();
    let project_after_two =
        events::read_after(&mut tx, 2, Some(std::slice::from_ref(&project)), 100)
            .await
            .unwrap();
    let none = events::read_after(&mut tx, 6, None, 100).await.unwrap();

    assert_eq!(seqs(&after_two), [3, 4, 5, 6]);
    assert_eq!(seqs(&limited), [3, 4]);
    assert_eq!(seqs(&leads), [1, 3, 5]);
    assert_eq!(seqs(&project_after_two), [4, 6]);
    assert!(none.is_empty());
    // Refine liveProvider's shape, plus the sequence number.
    let wire = serde_json::to_value(&project_after_two[0]).unwrap();
    assert_eq!(wire["seq"], 4);
    assert_eq!(wire["channel"], project.as_str());
    assert_eq!(wire["type"], "node.status_changed");
    assert_eq!(
        wire["payload"],
        json!({ "nodeId": "gold_sales", "newStatus": "GREEN" })
    );
    assert!(wire["date"]
        .as_str()
        .unwrap()
        .parse::<chrono::DateTime<chrono::Utc>>()
        .is_ok());
}

#[sqlx::test(migrations = "../../migrations")]
async fn publishing_outside_a_tenant_transaction_fails(owner: PgPool) {
    tenants(&owner).await;
    let db = runtime(&owner);

    let mut tx = db.begin().await.unwrap();
    let result = events::publish(&mut tx, &lead_created(1)).await;

    assert!(matches!(result, Err(EventError::NoTenant)), "{result:?}");
}

#[sqlx::test(migrations = "../../migrations")]
async fn purge_removes_only_old_events_of_every_tenant_and_numbering_carries_on(owner: PgPool) {
    let (a, b) = tenants(&owner).await;
    let db = runtime(&owner);
    for tenant in [a, a, b, b] {
        publish_committed(&db, tenant, &lead_created(1)).await;
    }
    // Each tenant's first event is eight days old.
    sqlx::query("UPDATE events SET created_at = now() - interval '8 days' WHERE seq = 1")
        .execute(&owner)
        .await
        .unwrap();

    let removed = events::purge_older_than(&db, DEFAULT_RETENTION)
        .await
        .unwrap();
    let too_eager = events::purge_older_than(&db, Duration::from_secs(60)).await;

    assert_eq!(removed, 2);
    assert!(too_eager.is_err());
    assert_eq!(seqs(&read_all(&db, a).await), [2]);
    assert_eq!(seqs(&read_all(&db, b).await), [2]);
    assert_eq!(publish_committed(&db, a, &lead_created(3)).await, 3);
}

#[sqlx::test(migrations = "../../migrations")]
async fn notify_committed_wakes_a_redis_subscriber(owner: PgPool) {
    let (a, _) = tenants(&owner).await;
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let cache = Cache::new(&url, &format!("test:{}:", Uuid::new_v4().simple())).unwrap();
    let mut subscriber = redis::Client::open(url.as_str())
        .unwrap()
        .get_async_pubsub()
        .await
        .unwrap();
    subscriber
        .subscribe(events::wake_channel(&cache, a))
        .await
        .unwrap();
    let seq = publish_committed(&runtime(&owner), a, &lead_created(1)).await;

    events::notify_committed(&cache, a, seq).await;
    let mut messages = subscriber.on_message();
    let message = tokio::time::timeout(Duration::from_secs(5), messages.next())
        .await
        .unwrap()
        .unwrap();

    assert_eq!(
        message.get_channel_name(),
        format!("{}events:{a}", cache.prefix())
    );
    assert_eq!(message.get_payload::<i64>().unwrap(), 1);
}
