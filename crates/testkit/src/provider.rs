//! A fake external provider (Airbyte, HubSpot, an OpenAI-compatible model…): an HTTP server on
//! a free port that records every request and answers with a script, so a test checks the wire
//! format our adapters send and makes the provider fail (429, 5xx) when it wants.

use std::future::Future;
use std::sync::{Arc, Mutex};

use actix_web::dev::ServerHandle;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::Value;

/// One request a fake provider got.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub authorization: String,
    pub idempotency_key: String,
    /// The body as JSON (`null` when it is not JSON).
    pub body: Value,
}

type Script = Arc<dyn Fn(&Call, usize) -> HttpResponse + Send + Sync>;

/// See the module docs.
pub struct FakeProvider {
    /// `http://127.0.0.1:<port>`
    pub url: String,
    calls: Arc<Mutex<Vec<Call>>>,
    handle: ServerHandle,
}

impl FakeProvider {
    /// Answers every request with `script(call, n)`, `n` counting the requests so far from 0.
    pub async fn start(
        script: impl Fn(&Call, usize) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        let script: Script = Arc::new(script);
        let calls: Arc<Mutex<Vec<Call>>> = Arc::default();
        let recorded = calls.clone();
        let (port, handle) = serve(move |req: HttpRequest, body: web::Bytes| {
            let (calls, script) = (recorded.clone(), script.clone());
            async move {
                let header = |name: &str| {
                    req.headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned()
                };
                let call = Call {
                    method: req.method().to_string(),
                    path: req.path().to_owned(),
                    authorization: header("authorization"),
                    idempotency_key: header("idempotency-key"),
                    body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                };
                let n = {
                    let mut calls = calls.lock().unwrap_or_else(|e| e.into_inner());
                    calls.push(call.clone());
                    calls.len() - 1
                };
                script(&call, n)
            }
        });
        Self {
            url: format!("http://127.0.0.1:{port}"),
            calls,
            handle,
        }
    }

    /// Every request so far, oldest first.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub async fn stop(self) {
        self.handle.stop(false).await;
    }
}

/// Serves every request with `handler` on a free port of 127.0.0.1 (one worker, in the
/// background); returns the port and the handle that stops the server.
pub(crate) fn serve<H, R>(handler: H) -> (u16, ServerHandle)
where
    H: Fn(HttpRequest, web::Bytes) -> R + Clone + Send + 'static,
    R: Future<Output = HttpResponse> + 'static,
{
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let server = HttpServer::new(move || App::new().default_service(web::to(handler.clone())))
        .workers(1)
        .disable_signals()
        .shutdown_timeout(0)
        .listen(listener)
        .unwrap_or_else(|e| panic!("listen: {e}"))
        .run();
    let handle = server.handle();
    tokio::spawn(server);
    (port, handle)
}
