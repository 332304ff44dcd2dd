//! `GET /api/v1/events` over HTTP against real PostgreSQL and Redis: the frame format, resume
//! by `Last-Event-ID` with nothing missing, two server instances sharing one database and
//! Redis, channel filters, tenant isolation, bad input, and the slow-listener rule.

use std::time::{Duration, Instant};

use kernel::events::{self, EventHub, NewEvent};
use kernel::tenancy::{tenant_tx_for, TenantId};
use sqlx::PgPool;
use testkit::{problem, SseStream, TestApp};

/// Publishes `n` lead events for `tenant` through `app` (committed, then announced), as a
/// slice does; returns their sequence numbers.
async fn publish(app: &TestApp, tenant: uuid::Uuid, channel: &str, n: usize) -> Vec<i64> {
    let tenant = TenantId(tenant);
    let mut seqs = Vec::new();
    for _ in 0..n {
        let id = uuid::Uuid::new_v4();
        let event = NewEvent::new(
            channel,
            "lead.created",
            serde_json::json!({ "ids": [id], "nodeId": "gold_sales", "newStatus": "GREEN" }),
        )
        .unwrap();
        let mut tx = tenant_tx_for(&app.db, tenant).await.unwrap();
        let seq = events::publish(&mut tx, &event).await.unwrap();
        tx.commit().await.unwrap();
        events::notify_committed(&app.cache, tenant, seq).await;
        seqs.push(seq);
    }
    seqs
}

fn seq(event: &testkit::SseEvent) -> i64 {
    event.id.as_deref().unwrap().parse().unwrap()
}

#[sqlx::test(migrations = "../../migrations")]
async fn events_arrive_in_refines_shape_and_resume_by_last_event_id(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let session = app.sign_up("acme").await;
    let url = app.url("/api/v1/events");
    let mut stream = SseStream::open(&session.client, &url, None).await;
    assert_eq!(
        stream.headers().get("x-accel-buffering").unwrap(),
        "no",
        "proxies must not buffer the stream"
    );
    assert_eq!(stream.headers().get("cache-control").unwrap(), "no-cache");

    let sent = publish(&app, session.tenant_id, "resources/leads", 3).await;
    let mut got = Vec::new();
    for _ in 0..3 {
        let event = stream.next().await;
        assert_eq!(event.event.as_deref(), Some("lead.created"));
        assert_eq!(event.data["channel"], "resources/leads");
        assert_eq!(event.data["type"], "lead.created");
        assert_eq!(event.data["payload"]["nodeId"], "gold_sales");
        assert_eq!(event.data["payload"]["ids"].as_array().unwrap().len(), 1);
        assert!(event.data["date"].as_str().unwrap().ends_with('Z'));
        got.push(seq(&event));
    }
    assert_eq!(got, sent);
    assert!(stream.control.iter().any(|c| c == "retry: 3000"));

    // Disconnect; three more happen meanwhile; resume from the last id seen.
    drop(stream);
    let missed = publish(&app, session.tenant_id, "resources/leads", 3).await;
    let mut resumed = SseStream::open(&session.client, &url, Some(*got.last().unwrap())).await;
    let mut again = Vec::new();
    for _ in 0..3 {
        again.push(seq(&resumed.next().await));
    }
    assert_eq!(again, missed, "nothing missed, nothing repeated");
    // Live events keep coming after the catch-up.
    let live = publish(&app, session.tenant_id, "resources/leads", 1).await;
    assert_eq!(seq(&resumed.next().await), live[0]);
    drop(resumed);

    // The query parameter works for clients that cannot set the header (from the start).
    let mut from_zero =
        SseStream::open(&session.client, &format!("{url}?last_event_id=0"), None).await;
    assert_eq!(seq(&from_zero.next().await), 1);
    drop(from_zero);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_event_through_one_instance_reaches_a_client_of_another(owner: PgPool) {
    let a = TestApp::spawn(owner.clone()).await;
    let prefix = a.config.redis_prefix.clone();
    let b = TestApp::spawn_with(owner, |c| c.redis_prefix = prefix).await;
    let session = a.sign_up("acme").await;
    // The session's cookies are valid on both instances (same keys, same database).
    let mut on_b = SseStream::open(&session.client, &b.url("/api/v1/events"), None).await;
    let started = Instant::now();
    let sent = publish(&a, session.tenant_id, "resources/leads", 1).await;
    let event = on_b.next().await;
    let took = started.elapsed();
    assert_eq!(seq(&event), sent[0]);
    // Redis wakes B at once; without it B would only see the event at its 5 s poll.
    assert!(took < Duration::from_secs(2), "took {took:?}");
    drop(on_b);
    b.stop().await;
    a.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_client_sees_only_its_tenants_events_and_its_channels(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let alice = app.sign_up("alice-co").await;
    let bob = app.sign_up("bob-co").await;
    let url = app.url("/api/v1/events");
    let mut bobs = SseStream::open(&bob.client, &url, None).await;
    let mut alices_projects = SseStream::open(
        &alice.client,
        &format!("{url}?channels=projects/42,projects/43"),
        None,
    )
    .await;
    // Bob asking for Alice's history by id gets only his own (none yet).
    let mut bobs_history = SseStream::open(&bob.client, &url, Some(0)).await;

    publish(&app, alice.tenant_id, "resources/leads", 2).await;
    let project = publish(&app, alice.tenant_id, "projects/42", 1).await;
    let bobs_own = publish(&app, bob.tenant_id, "resources/leads", 1).await;

    let event = alices_projects.next().await;
    assert_eq!(
        (seq(&event), event.data["channel"].as_str()),
        (project[0], Some("projects/42"))
    );
    // Bob's first event is his own, numbered in his own sequence.
    let event = bobs.next().await;
    assert_eq!(seq(&event), bobs_own[0]);
    assert_eq!(seq(&event), 1);
    assert_eq!(seq(&bobs_history.next().await), 1);
    assert!(bobs.next_within(Duration::from_millis(300)).await.is_none());
    assert!(bobs_history
        .next_within(Duration::from_millis(300))
        .await
        .is_none());
    drop((bobs, alices_projects, bobs_history));
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn bad_stream_requests_get_problems(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let anonymous = app.get("/api/v1/events").await;
    problem(anonymous, 401).await;
    let session = app.sign_up("acme").await;
    for (path, code) in [
        ("/api/v1/events?last_event_id=abc", "invalid_last_event_id"),
        ("/api/v1/events?last_event_id=-4", "invalid_last_event_id"),
        ("/api/v1/events?channels=Resources/Leads", "invalid_channel"),
    ] {
        let body = problem(session.get(path).await, 400).await;
        assert_eq!(body["code"], code, "{path}");
    }
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_listener_that_falls_a_whole_buffer_behind_is_cut_off_not_waited_for(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let session = app.sign_up("acme").await;
    let tenant = TenantId(session.tenant_id);
    let hub = EventHub::start(app.db.clone(), app.cache.clone());
    let mut slow = hub.listen(tenant).await.unwrap();
    let mut fast = hub.listen(tenant).await.unwrap();
    // Published in chunks, each read by the fast listener before the next is published, so
    // the fast one is never more than a chunk behind while the slow one reads nothing.
    let total = events::hub::LISTENER_BUFFER + 10;
    let mut received = 0;
    for chunk in (1..=total).collect::<Vec<_>>().chunks(200) {
        let mut tx = tenant_tx_for(&app.db, tenant).await.unwrap();
        let mut last = 0;
        for n in chunk {
            let event = NewEvent::for_ids("leads", "lead.created", [n]).unwrap();
            last = events::publish(&mut tx, &event).await.unwrap();
        }
        tx.commit().await.unwrap();
        events::notify_committed(&app.cache, tenant, last).await;
        for _ in chunk {
            let frame = fast
                .next()
                .await
                .unwrap_or_else(|_| panic!("fast listener lagged"));
            received += 1;
            assert_eq!(frame.seq, received);
        }
    }
    // ... and is then told it lagged, so its stream ends and the client resumes by id.
    assert!(slow.next().await.is_err());
    app.stop().await;
}
