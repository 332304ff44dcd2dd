//! Webhooks in tests: the Standard Webhooks reference library (Python), and a fake
//! receiver standing in for a customer's endpoint.

/// The Python of `$HOME/.cache/datafortress/venv` when the Standard Webhooks reference library
/// imports there. `make test` installs it and sets `DATAFORTRESS_REQUIRE_PYTHON_TOOLS`, under
/// which its absence fails the test instead of skipping it.
pub fn reference_python(test: &str) -> Option<std::path::PathBuf> {
    python_with("standardwebhooks", test)
}

/// The project venv's Python when it can import `module` (a reference library `make test`
/// installs: `standardwebhooks`, `dkim`); `None` (the test skips) only when the tools are not
/// required.
pub fn python_with(module: &str, test: &str) -> Option<std::path::PathBuf> {
    let home = std::env::var_os("HOME")?;
    let python = std::path::PathBuf::from(home).join(".cache/datafortress/venv/bin/python");
    let importable = std::process::Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|out| out.status.success());
    if importable {
        return Some(python);
    }
    assert!(
        std::env::var_os("DATAFORTRESS_REQUIRE_PYTHON_TOOLS").is_none(),
        "the reference library {module} is missing from the venv"
    );
    eprintln!("SKIPPED {test}: `import {module}` fails in $HOME/.cache/datafortress/venv");
    None
}

/// Verifies a Standard Webhooks message with the reference Python library; returns its error
/// text when verification fails.
pub fn verify_with_reference(
    python: &std::path::Path,
    secret: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<(), String> {
    let script = r#"
import json, sys
from standardwebhooks.webhooks import Webhook
secret, headers = sys.argv[1], json.loads(sys.argv[2])
Webhook(secret).verify(sys.stdin.buffer.read(), headers)
"#;
    let headers: serde_json::Map<String, serde_json::Value> = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
        .collect();
    let mut child = std::process::Command::new(python)
        .args([
            "-c",
            script,
            secret,
            &serde_json::Value::Object(headers).to_string(),
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        stdin.write_all(body).map_err(|e| e.to_string())?;
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// A request the fake webhook receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {name} header"))
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("body: {e}"))
    }
}

/// How the fake receiver answers a request.
#[derive(Clone, Debug)]
pub enum Reply {
    Status(u16),
    /// A status with `Retry-After: <seconds>`.
    RetryAfter(u16, u64),
    /// Never answers (the connection stays open until the sender gives up or dies).
    Hold,
}

/// A local HTTP server standing in for a customer's webhook endpoint: records every request
/// (the wire bytes the sender produced) and answers from a script, 200 once it runs out.
pub struct Receiver {
    pub url: String,
    script: std::sync::Arc<std::sync::Mutex<std::collections::VecDeque<Reply>>>,
    received: tokio::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<Received>>,
    handle: actix_web::dev::ServerHandle,
}

impl Receiver {
    pub async fn start() -> Self {
        use actix_web::{web, HttpRequest, HttpResponse};
        let script: std::sync::Arc<std::sync::Mutex<std::collections::VecDeque<Reply>>> =
            std::sync::Arc::default();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let shared = script.clone();
        let (port, handle) = crate::provider::serve(move |req: HttpRequest, body: web::Bytes| {
            let (script, tx) = (shared.clone(), tx.clone());
            async move {
                let headers = req
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
                    .collect();
                let _ = tx.send(Received {
                    headers,
                    body: body.to_vec(),
                });
                let reply = script
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .pop_front();
                let status = |code: u16| {
                    actix_web::http::StatusCode::from_u16(code)
                        .unwrap_or(actix_web::http::StatusCode::OK)
                };
                match reply {
                    None => HttpResponse::Ok().body("thanks"),
                    Some(Reply::Status(code)) => HttpResponse::build(status(code)).body("scripted"),
                    Some(Reply::RetryAfter(code, secs)) => HttpResponse::build(status(code))
                        .insert_header(("Retry-After", secs.to_string()))
                        .body("later"),
                    Some(Reply::Hold) => {
                        std::future::pending::<()>().await;
                        HttpResponse::Ok().finish()
                    }
                }
            }
        });
        Self {
            url: format!("http://127.0.0.1:{port}/hooks"),
            script,
            received: tokio::sync::Mutex::new(rx),
            handle,
        }
    }

    /// Queues the answers to the next requests.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.script
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(replies);
    }

    /// The next request, waiting at most `within`.
    pub async fn next_within(&self, within: std::time::Duration) -> Option<Received> {
        let mut rx = self.received.lock().await;
        tokio::time::timeout(within, rx.recv()).await.ok().flatten()
    }

    /// The next request within 20 s, or a panic.
    pub async fn next(&self) -> Received {
        self.next_within(std::time::Duration::from_secs(20))
            .await
            .unwrap_or_else(|| panic!("no webhook arrived within 20 s"))
    }

    pub async fn stop(self) {
        self.handle.stop(false).await;
    }
}
