//! Connector health: checked live and in parallel; a connector that never answers costs the
//! report its timeout, not more.

use std::time::{Duration, Instant};

use serde_json::json;
use sqlx::PgPool;
use testkit::{problem, Receiver, TestApp};

use crate::common::{create_project, expect, PROJECTS};

#[sqlx::test(migrations = "../../migrations")]
async fn every_connector_is_checked_in_parallel_within_its_timeout(pool: PgPool) {
    let app = TestApp::spawn_with(pool, |c| c.connector_check_timeout_ms = 1000).await;
    let owner = app.sign_up("acme").await;
    let project = create_project(&owner, "shop").await;

    // Two systems that accept connections and never answer, one that answers, one refusing.
    let silent_a = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_b = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hold = |listener: tokio::net::TcpListener| {
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        })
    };
    let (a, b) = (
        silent_a.local_addr().unwrap(),
        silent_b.local_addr().unwrap(),
    );
    hold(silent_a);
    hold(silent_b);
    let crm = Receiver::start().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    for (name, kind, url) in [
        ("airbyte", "airbyte", format!("http://{a}")),
        ("warehouse", "http", format!("http://{b}/ping")),
        ("crm", "http", crm.url.clone()),
        ("legacy", "http", format!("http://{closed}/")),
    ] {
        let body = json!({"name": name, "kind": kind, "url": url});
        expect(
            owner
                .post_json(&format!("{PROJECTS}/{project}/connectors"), &body)
                .await,
            201,
        )
        .await;
    }

    let started = Instant::now();
    let report = expect(
        owner
            .get(&format!(
                "/api/v1/layers/health/connectors?project={project}"
            ))
            .await,
        200,
    )
    .await;
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(2500),
        "two silent connectors in parallel took {took:?}"
    );
    let status = |name: &str| {
        let check = report
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {report}"));
        (
            check["status"].as_str().unwrap().to_owned(),
            check["error"].clone(),
        )
    };
    assert_eq!(status("object_store").0, "up");
    assert_eq!(status("mail").0, "up", "the test SMTP sink greets");
    assert_eq!(status("crm").0, "up");
    assert_eq!(status("airbyte").0, "timeout");
    assert_eq!(status("warehouse").0, "timeout");
    let (legacy, why) = status("legacy");
    assert_eq!(legacy, "down");
    assert!(why.as_str().unwrap().contains("connect"), "{why}");
    crm.stop().await;

    problem(
        owner
            .get(&format!(
                "/api/v1/layers/health/connectors?project={}",
                uuid::Uuid::now_v7()
            ))
            .await,
        404,
    )
    .await;
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn connectors_to_internal_addresses_are_refused_outside_dev(pool: PgPool) {
    let app = TestApp::spawn_with(pool, |c| c.webhooks_allow_private_targets = Some(false)).await;
    let owner = app.sign_up("acme").await;
    let project = create_project(&owner, "shop").await;
    for url in [
        "http://127.0.0.1:8080/",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.5/",
        "file:///etc/passwd",
    ] {
        let body = json!({"name": "x", "kind": "http", "url": url});
        let refused = problem(
            owner
                .post_json(&format!("{PROJECTS}/{project}/connectors"), &body)
                .await,
            422,
        )
        .await;
        assert!(refused["errors"]["url"].is_array(), "{url}: {refused}");
    }
    app.stop().await;
}
