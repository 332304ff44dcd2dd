//! The request guard over real sockets: slow bodies are cut off at the deadline while other
//! clients are served, announced oversized bodies are refused before they are sent, NUL in
//! any JSON string is a 422 naming the field, invalid UTF-8 in a query is a 400, and a client
//! holding too many connections is refused while the probes still answer.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{eventually, problem, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Opens a connection and sends a request head (and `body_start`), leaving the rest unsent.
async fn send_head(app: &TestApp, head: &str, body_start: &[u8]) -> TcpStream {
    let addr = app.address.trim_start_matches("http://");
    let mut conn = TcpStream::connect(addr).await.unwrap();
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(body_start).await.unwrap();
    conn
}

/// Reads what the server sends until it closes the connection: the status and the body.
async fn read_until_closed(conn: &mut TcpStream, within: Duration) -> (u16, String) {
    let mut raw = Vec::new();
    tokio::time::timeout(within, conn.read_to_end(&mut raw))
        .await
        .unwrap_or_else(|_| panic!("the server neither answered nor closed the connection in time"))
        .unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

fn login_head(content_length: usize) -> String {
    format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: {content_length}\r\n\r\n"
    )
}

#[sqlx::test(migrations = "../../migrations")]
async fn slow_bodies_are_cut_off_at_the_deadline_while_others_are_served(owner: PgPool) {
    let app = TestApp::spawn_with(owner, |c| {
        c.http_body_timeout_seconds = 1;
        c.http_request_timeout_seconds = 2;
    })
    .await;
    let acme = app.sign_up("acme").await;
    let started = Instant::now();
    let mut stalled = Vec::new();
    for _ in 0..40 {
        // 100 bytes announced, one sent: the rest never comes.
        stalled.push(send_head(&app, &login_head(100), b"{").await);
    }
    // While they are held, other clients are served at once.
    for _ in 0..5 {
        assert_eq!(app.get("/health").await.status(), 200);
        assert_eq!(acme.get("/api/v1/auth/me").await.status(), 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "served within the hold"
    );
    for conn in &mut stalled {
        let (status, text) = read_until_closed(conn, Duration::from_secs(10)).await;
        assert_eq!(status, 408, "{text}");
        assert!(text.contains("\"code\":\"request_timeout\""), "{text}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "every stalled connection was answered and closed shortly after the 1 s deadline \
         (took {:?})",
        started.elapsed()
    );

    // A sender of one byte every 300 ms is cut off too: the deadline is on the whole body.
    let mut trickle = send_head(&app, &login_head(100), b"").await;
    let began = Instant::now();
    let closed = loop {
        if trickle.write_all(b" ").await.is_err() {
            break None;
        }
        let mut byte = [0u8; 1];
        match tokio::time::timeout(Duration::from_millis(300), trickle.peek(&mut byte)).await {
            Ok(_) => break Some(read_until_closed(&mut trickle, Duration::from_secs(5)).await),
            Err(_) => assert!(began.elapsed() < Duration::from_secs(5), "still held"),
        }
    };
    if let Some((status, text)) = closed {
        assert_eq!(status, 408, "{text}");
    }
    assert!(began.elapsed() < Duration::from_secs(3));
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_body_announced_over_the_limit_is_refused_before_it_is_sent(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let cookie = acme
        .client
        .get(acme.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(cookie.status(), 200);
    // JSON over MAX_BODY_BYTES, and a 1 GB multipart import: no body byte is sent.
    for head in [
        login_head(app.config.max_body_bytes + 1),
        "POST /api/v1/leads/imports HTTP/1.1\r\nHost: x\r\n\
         Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000000\r\n\r\n"
            .to_owned(),
    ] {
        let mut conn = send_head(&app, &head, b"").await;
        let (status, text) = read_until_closed(&mut conn, Duration::from_secs(5)).await;
        assert_eq!(status, 413, "{text}");
        assert!(text.contains("payload_too_large"), "{text}");
    }
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn nul_in_any_json_string_is_422_naming_the_field_and_changes_nothing(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    let cases: [(&str, Value, &str); 6] = [
        (
            "/api/v1/auth/login",
            json!({"email": "owner@acme.test\u{0}", "password": "x"}),
            "email",
        ),
        (
            "/api/v1/auth/register",
            json!({"tenant_name": "T\u{0}", "tenant_slug": "nul", "name": "N",
                   "email": "n@nul.test", "password": "a long enough passphrase"}),
            "tenant_name",
        ),
        (
            "/api/v1/api-keys",
            json!({"name": "k\u{0}", "scopes": ["leads:read"]}),
            "name",
        ),
        (
            "/api/v1/webhook-endpoints",
            json!({"url": "https://hooks.example.com/\u{0}", "description": "d"}),
            "url",
        ),
        (
            "/api/v1/leads",
            json!({"email": "l@x.io", "tags": ["ok", "t\u{0}"]}),
            "tags[1]",
        ),
        (
            "/api/v1/leads",
            json!({"email": "l@x.io", "custom": {"k\u{0}": 1}}),
            "custom.k\\u0000",
        ),
    ];
    for (path, body, field) in cases {
        let res = acme.post_json(path, &body).await;
        let body = problem(res, 422).await;
        assert_eq!(body["code"], "validation_failed", "{path}");
        assert!(body["errors"][field].is_array(), "{path}: {body}");
    }
    let leads: Value = acme.get("/api/v1/leads").await.json().await.unwrap();
    assert_eq!(leads.as_array().map(Vec::len), Some(0));
    assert_eq!(
        acme.post_json(
            "/api/v1/auth/login",
            &json!({"email": "a\\u0000", "password": "x"})
        )
        .await
        .status(),
        401,
        "the six characters \\u0000 are text, not NUL"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn invalid_utf8_in_a_query_string_is_400(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let acme = app.sign_up("acme").await;
    for path in [
        "/api/v1/leads?q=%FF",
        "/api/v1/leads?%C3=1",
        "/health?x=%ED%A0%80",
    ] {
        let body = problem(acme.get(path).await, 400).await;
        assert_eq!(body["code"], "invalid_query", "{path}");
    }
    assert_eq!(acme.get("/api/v1/leads?q=caf%C3%A9").await.status(), 200);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_client_over_its_connection_limit_is_refused_but_probes_answer(owner: PgPool) {
    let app = TestApp::spawn_with(owner, |c| c.http_max_connections_per_client = 3).await;
    let probe = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    let mut held = Vec::new();
    for _ in 0..3 {
        // Each answered request proves its connection was accepted (and counted).
        let mut conn = send_head(&app, probe, b"").await;
        let mut buf = [0u8; 12];
        conn.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"HTTP/1.1 200");
        held.push(conn);
    }
    let mut fourth = send_head(&app, "GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\n\r\n", b"").await;
    let (status, text) = read_until_closed(&mut fourth, Duration::from_secs(5)).await;
    assert_eq!(status, 429, "{text}");
    assert!(text.contains("too_many_connections"), "{text}");
    let mut probe_conn = send_head(&app, probe, b"").await;
    let mut buf = [0u8; 12];
    probe_conn.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"HTTP/1.1 200", "probes answer over the limit");
    drop(probe_conn);
    drop(held);
    // Once the held connections close, the client is served again.
    eventually(
        "the closed connections freed",
        Duration::from_secs(5),
        || async {
            let res = app.get("/api/v1/auth/me").await;
            assert!([401, 429].contains(&res.status().as_u16()));
            res.status() == 401
        },
    )
    .await;
    app.stop().await;
}
