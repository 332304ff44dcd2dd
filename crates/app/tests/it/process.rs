//! The `fortress` binary as a process: configuration errors, JSON logs with request ids,
//! OTLP trace export, and clean shutdown of `serve` and `worker` on SIGTERM.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn fortress() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fortress"));
    // Nothing from the developer's environment leaks into these runs.
    for key in app::config::KEYS {
        cmd.env_remove(key);
    }
    cmd.env_remove("FORTRESS_CONFIG").env("RUST_LOG", "info");
    cmd
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits for the child to exit (bounded), returning its status code and stderr.
fn wait_exit(mut child: Child) -> (i32, String) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.code().unwrap_or(-1), err);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("process did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

async fn wait_healthy(base: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(res) = reqwest::get(format!("{base}/health")).await {
            if res.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("serve did not answer /health");
}

#[test]
fn invalid_configuration_is_one_clear_line_and_exit_code_2() {
    let out = fortress()
        .arg("serve")
        .env("DATABASE_URL", "mysql://nope")
        .output()
        .unwrap();

    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
}

#[test]
fn secrets_never_appear_in_configuration_errors() {
    let child = fortress()
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("DATABASE_URL", "postgres://app:hunter2hunter2@127.0.0.1/x")
        .env("DATABASE_MAX_CONNECTIONS", "zero")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let (code, stderr) = wait_exit(child);
    assert_eq!(code, 2);
    assert!(stderr.contains("DATABASE_MAX_CONNECTIONS"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn openapi_command_prints_the_document() {
    let out = fortress().arg("openapi").output().unwrap();

    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        app::openapi::document_json()
    );
}

/// `DATABASE_URL` (runtime role) and `DATABASE_OWNER_URL` for the per-test database.
fn database_env(owner: &sqlx::PgPool) -> [(&'static str, String); 2] {
    let options = owner.connect_options();
    let (host, port) = (options.get_host(), options.get_port());
    let name = options.get_database().unwrap_or("postgres");
    [
        (
            "DATABASE_URL",
            format!("postgres://fortress_app@{host}:{port}/{name}"),
        ),
        (
            "DATABASE_OWNER_URL",
            format!("postgres://{}@{host}:{port}/{name}", options.get_username()),
        ),
    ]
}

#[sqlx::test(migrations = "../../migrations")]
async fn worker_starts_and_stops_cleanly_on_sigterm(owner: sqlx::PgPool) {
    let mut child = fortress()
        .arg("worker")
        .envs(database_env(&owner))
        .env("REDIS_URL", testkit::redis_url())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it says it started, reading its log as it arrives.
    let mut stderr = child.stderr.take().unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 512];
    while !seen.contains("worker started") {
        let n = stderr.read(&mut buf).unwrap();
        assert!(n > 0, "worker exited early: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    child.stderr = Some(stderr);

    sigterm(&child);
    let (code, log) = wait_exit(child);

    assert_eq!(code, 0, "{seen}{log}");
    assert!(log.contains("job worker stopped"), "{log}");
}

/// A fake OTLP/HTTP collector: answers 200 to each POST and reports the path and
/// content type of the first one.
async fn fake_collector(listener: tokio::net::TcpListener) -> (String, String) {
    let (mut socket, _) = listener.accept().await.unwrap();
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await.unwrap();
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let head = &text[..end];
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + len || n == 0 {
                socket
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                    .await
                    .unwrap();
                let path = head.lines().next().unwrap().to_owned();
                let ct = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-type:")
                            .map(|v| v.trim().to_owned())
                    })
                    .unwrap_or_default();
                return (path, ct);
            }
        }
        assert!(n > 0, "collector connection closed early");
    }
}

#[tokio::test]
async fn serve_logs_json_with_request_ids_exports_traces_and_stops_on_sigterm() {
    let collector = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let otlp = format!("http://{}", collector.local_addr().unwrap());
    let received = tokio::spawn(fake_collector(collector));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let child = fortress()
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("LOG_FORMAT", "json")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", &otlp)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_healthy(&base).await;

    let res = reqwest::Client::new()
        .get(format!("{base}/health"))
        .header("x-request-id", "proc-test-42")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    sigterm(&child);
    let (code, log) = tokio::task::spawn_blocking(move || wait_exit(child))
        .await
        .unwrap();
    let (request_line, content_type) = tokio::time::timeout(Duration::from_secs(10), received)
        .await
        .unwrap()
        .unwrap();

    assert_eq!(code, 0, "{log}");
    let line = log
        .lines()
        .find(|l| l.contains("proc-test-42") && l.contains("request served"))
        .unwrap_or_else(|| panic!("no access log line for the request in:\n{log}"));
    let json: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(json["span"]["request_id"], "proc-test-42");
    assert_eq!(json["fields"]["status"], 200);
    assert!(
        request_line.starts_with("POST /v1/traces"),
        "{request_line}"
    );
    assert_eq!(content_type, "application/x-protobuf");
}
