//! Test helpers shared by every slice's integration tests.
//!
//! `TestApp::spawn(pool)` takes the owner pool `#[sqlx::test]` made for this test (a fresh,
//! migrated database), and starts the real application on a free port, with its runtime pool
//! connected as the RLS-bound role, Redis keys under a per-test prefix, and a cookie-keeping
//! HTTP client. Tests then talk to it over HTTP like any client would.
//!
//! Each `TestApp` also runs its own SMTP sink (`app::mail_sink`) and points the app's
//! `smtp_url` at it, so mail really goes through lettre and SMTP; `app.mailbox.wait_for(to)`
//! awaits what arrives.

use std::net::TcpListener;
use std::sync::Arc;

use app::config::Config;
use app::{Application, Platform};
use kernel::cache::Cache;
use sqlx::PgPool;

pub mod proxy;

pub use proxy::{Mode, Proxy};
pub use reqwest;

/// The Redis server the tests use (`REDIS_URL`, default the local one).
pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

pub struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub address: String,
    /// Cookie-keeping client; `Origin` is set so cookie-authenticated writes pass CSRF checks.
    pub client: reqwest::Client,
    /// The pool as the application sees it (runtime role, RLS applies).
    pub db: PgPool,
    /// The per-test database as its owner (to arrange and inspect state behind the API).
    pub owner_db: PgPool,
    pub cache: Cache,
    pub config: Arc<Config>,
    /// Mail the app sent, as its SMTP sink received it.
    pub mailbox: Mailbox,
    handle: actix_web::dev::ServerHandle,
    hub: kernel::events::EventHub,
}

impl TestApp {
    pub async fn spawn(owner_db: PgPool) -> Self {
        Self::spawn_with(owner_db, |_| {}).await
    }

    /// As `spawn`, with a chance to change the configuration first.
    pub async fn spawn_with(owner_db: PgPool, tweak: impl FnOnce(&mut Config)) -> Self {
        Self::spawn_inner(owner_db, tweak, None).await
    }

    /// As `spawn_with`, reaching PostgreSQL and Redis through fault-injecting proxies (the
    /// tests' own connections, `owner_db`, go direct).
    pub async fn spawn_behind_proxies(
        owner_db: PgPool,
        tweak: impl FnOnce(&mut Config),
    ) -> (Self, Faults) {
        let pg = owner_db.connect_options();
        let pg_addr = resolve(&format!("{}:{}", pg.get_host(), pg.get_port())).await;
        let redis = redis_url();
        let redis_host = redis
            .trim_start_matches("redis://")
            .split(['/', '?'])
            .next()
            .unwrap_or_default()
            .rsplit('@')
            .next()
            .unwrap_or_default()
            .to_owned();
        let redis_addr = resolve(&redis_host).await;
        let faults = Faults {
            postgres: Proxy::start(pg_addr).await,
            redis: Proxy::start(redis_addr).await,
        };
        let app = Self::spawn_inner(owner_db, tweak, Some(&faults)).await;
        (app, faults)
    }

    async fn spawn_inner(
        owner_db: PgPool,
        tweak: impl FnOnce(&mut Config),
        faults: Option<&Faults>,
    ) -> Self {
        let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("{e}"))
            .port();
        let address = format!("http://127.0.0.1:{port}");
        let (mailbox, smtp_url) = Mailbox::start().await;
        let mut config = Config {
            redis_url: redis_url().into(),
            redis_prefix: prefix,
            public_url: address.clone(),
            smtp_url: smtp_url.into(),
            ..Config::default()
        };
        if let Some(faults) = faults {
            config.redis_url = format!("redis://{}", faults.redis.addr()).into();
        }
        tweak(&mut config);
        let mut owner_options = (*owner_db.connect_options()).clone();
        if let Some(faults) = faults {
            owner_options = owner_options.host("127.0.0.1").port(faults.postgres.port());
        }
        let db = kernel::db::runtime_pool_from_owner(&owner_options, 8);
        let cache = Cache::new(
            secrecy::ExposeSecret::expose_secret(&config.redis_url),
            &config.redis_prefix,
        )
        .unwrap_or_else(|e| panic!("REDIS_URL: {e}"));
        let mailer: kernel::mail::SharedMailer = Arc::new(
            kernel::mail::SmtpMailer::new(
                secrecy::ExposeSecret::expose_secret(&config.smtp_url),
                &config.mail_from,
            )
            .unwrap_or_else(|e| panic!("SMTP_URL: {e}")),
        );
        let config = Arc::new(config);
        let platform = Platform {
            db: db.clone(),
            cache: cache.clone(),
            config: config.clone(),
            mailer,
        };
        let app = Application::build(platform, listener).unwrap_or_else(|e| panic!("build: {e}"));
        let (server, hub) = app.into_parts();
        let handle = server.handle();
        tokio::spawn(server);

        let client = client_for(&address);
        Self {
            address,
            client,
            db,
            owner_db,
            cache,
            config,
            mailbox,
            handle,
            hub,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        send(
            &self.client,
            &self.address,
            reqwest::Method::GET,
            path,
            None,
        )
        .await
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        send(
            &self.client,
            &self.address,
            reqwest::Method::POST,
            path,
            Some(body),
        )
        .await
    }

    /// Stops the server and closes its pool (so the per-test database can be dropped).
    pub async fn stop(self) {
        self.hub.close();
        self.handle.stop(true).await;
        self.db.close().await;
    }
}

/// The proxies a [`TestApp::spawn_behind_proxies`] app reaches its dependencies through.
pub struct Faults {
    pub postgres: Proxy,
    pub redis: Proxy,
}

async fn resolve(host_port: &str) -> std::net::SocketAddr {
    tokio::net::lookup_host(host_port)
        .await
        .ok()
        .and_then(|mut addrs| addrs.next())
        .unwrap_or_else(|| panic!("cannot resolve {host_port}"))
}

/// One message as a test reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    /// The text, transfer encoding undone, lines ending in `\n`.
    pub body: String,
}

impl Mail {
    /// The first link in the body whose text contains `path` (e.g. `/reset-password?token=`).
    pub fn link(&self, path: &str) -> String {
        self.body
            .split_whitespace()
            .find(|word| word.starts_with("http") && word.contains(path))
            .unwrap_or_else(|| panic!("no {path} link in this mail: {}", self.body))
            .to_owned()
    }
}

/// What the app's SMTP sink received. Each message is handed out once by
/// [`wait_for`](Self::wait_for); [`sent_to`](Self::sent_to) shows everything received.
#[derive(Clone, Default)]
pub struct Mailbox {
    inner: Arc<MailboxInner>,
}

#[derive(Default)]
struct MailboxInner {
    /// Every message per recipient, and whether `wait_for` has handed it out.
    received: std::sync::Mutex<Vec<(Mail, bool)>>,
    arrived: tokio::sync::Notify,
}

impl Mailbox {
    /// How long `wait_for` waits.
    pub const WAIT: std::time::Duration = std::time::Duration::from_secs(5);

    /// Starts a sink on a free port, filling a new mailbox; returns it and the `smtp://` URL.
    async fn start() -> (Self, String) {
        let sink = app::mail_sink::MailSink::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("mail sink: {e}"));
        let addr = sink.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let (deliver, mut delivered) = tokio::sync::mpsc::channel(16);
        tokio::spawn(sink.serve(deliver));
        let mailbox = Self::default();
        let filling = mailbox.clone();
        tokio::spawn(async move {
            while let Some(mail) = delivered.recv().await {
                filling.put(&mail);
            }
        });
        (mailbox, format!("smtp://{addr}"))
    }

    fn put(&self, received: &app::mail_sink::ReceivedMail) {
        let subject = received.subject().unwrap_or_default();
        let body = received.text();
        self.lock().extend(received.to.iter().map(|to| {
            let mail = Mail {
                to: to.clone(),
                subject: subject.clone(),
                body: body.clone(),
            };
            (mail, false)
        }));
        self.inner.arrived.notify_waiters();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(Mail, bool)>> {
        self.inner
            .received
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The next message for `to` not handed out yet, waiting up to [`Self::WAIT`] for it.
    pub async fn wait_for(&self, to: &str) -> Mail {
        let deadline = tokio::time::Instant::now() + Self::WAIT;
        loop {
            // Registered before looking, so a message arriving in between still wakes us.
            let mut arrived = std::pin::pin!(self.inner.arrived.notified());
            arrived.as_mut().enable();
            let next = self
                .lock()
                .iter_mut()
                .find(|(mail, taken)| !*taken && mail.to.eq_ignore_ascii_case(to))
                .map(|(mail, taken)| {
                    *taken = true;
                    mail.clone()
                });
            if let Some(mail) = next {
                return mail;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!(
                    "no mail for {to} within {:?}; received: {:#?}",
                    Self::WAIT,
                    self.lock()
                );
            }
        }
    }

    /// Every message received for `to` so far, handed out or not.
    pub fn sent_to(&self, to: &str) -> Vec<Mail> {
        self.lock()
            .iter()
            .filter(|(mail, _)| mail.to.eq_ignore_ascii_case(to))
            .map(|(mail, _)| mail.clone())
            .collect()
    }
}

/// A signed-in user with its own cookie jar (one browser).
pub struct Session {
    pub client: reqwest::Client,
    pub base: String,
    pub email: String,
    pub password: String,
    pub user_id: uuid::Uuid,
    pub tenant_id: uuid::Uuid,
    pub tenant_slug: String,
}

impl Session {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        send(&self.client, &self.base, reqwest::Method::GET, path, None).await
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        send(
            &self.client,
            &self.base,
            reqwest::Method::POST,
            path,
            Some(body),
        )
        .await
    }

    pub async fn patch_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        send(
            &self.client,
            &self.base,
            reqwest::Method::PATCH,
            path,
            Some(body),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> reqwest::Response {
        send(
            &self.client,
            &self.base,
            reqwest::Method::DELETE,
            path,
            None,
        )
        .await
    }
}

/// One request to `base + path`, with an optional JSON body; a transport error fails the test.
async fn send(
    client: &reqwest::Client,
    base: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&serde_json::Value>,
) -> reqwest::Response {
    let mut req = client.request(method.clone(), format!("{base}{path}"));
    if let Some(body) = body {
        req = req.json(body);
    }
    req.send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

impl TestApp {
    /// A new browser: a cookie-keeping client that sends this app's `Origin`.
    pub fn browser(&self) -> reqwest::Client {
        client_for(&self.address)
    }

    /// Registers a new tenant `slug` with its owner and returns the owner, signed in.
    pub async fn sign_up(&self, slug: &str) -> Session {
        let client = self.browser();
        let email = format!("owner@{slug}.test");
        let password = format!("{slug} owner's long passphrase");
        let res = client
            .post(self.url("/api/v1/auth/register"))
            .json(&serde_json::json!({
                "tenant_name": format!("Tenant {slug}"),
                "tenant_slug": slug,
                "name": format!("Owner of {slug}"),
                "email": email,
                "password": password,
            }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("register: {e}"));
        assert_eq!(
            res.status(),
            201,
            "register {slug}: {}",
            res.text().await.unwrap_or_default()
        );
        let me: serde_json::Value = res.json().await.unwrap_or_else(|e| panic!("{e}"));
        Session {
            client,
            base: self.address.clone(),
            email,
            password,
            user_id: uuid_at(&me["user"]["id"]),
            tenant_id: uuid_at(&me["tenant"]["id"]),
            tenant_slug: slug.to_owned(),
        }
    }

    /// Signs `email` in with a fresh browser; panics unless it succeeds.
    pub async fn sign_in(&self, email: &str, password: &str) -> Session {
        let client = self.browser();
        let res = client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("login: {e}"));
        assert_eq!(
            res.status(),
            200,
            "login {email}: {}",
            res.text().await.unwrap_or_default()
        );
        let me: serde_json::Value = res.json().await.unwrap_or_else(|e| panic!("{e}"));
        Session {
            client,
            base: self.address.clone(),
            email: email.to_owned(),
            password: password.to_owned(),
            user_id: uuid_at(&me["user"]["id"]),
            tenant_id: uuid_at(&me["tenant"]["id"]),
            tenant_slug: me["tenant"]["slug"].as_str().unwrap_or_default().to_owned(),
        }
    }
}

fn uuid_at(v: &serde_json::Value) -> uuid::Uuid {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a uuid: {v}"))
}

/// A cookie-keeping client that sends `Origin: origin` (as a browser on that page would).
pub fn client_for(origin: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ORIGIN,
        reqwest::header::HeaderValue::from_str(origin).unwrap_or_else(|e| panic!("{e}")),
    );
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"))
}

/// Reads a response as a problem document, asserting the content type and status.
pub async fn problem(res: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(res.status().as_u16(), status, "unexpected status");
    let ct = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        ct.starts_with("application/problem+json"),
        "content type was {ct:?}"
    );
    let body: serde_json::Value = res
        .json()
        .await
        .unwrap_or_else(|e| panic!("problem body: {e}"));
    assert_eq!(body["status"], status, "status member of {body}");
    assert!(body["code"].is_string(), "code member missing in {body}");
    assert!(
        body["request_id"].is_string(),
        "request_id missing in {body}"
    );
    body
}

/// One Server-Sent Event as a test reads it.
#[derive(Clone, Debug)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: serde_json::Value,
}

/// A Server-Sent Events stream read frame by frame (comments and `retry:` are kept aside).
pub struct SseStream {
    response: reqwest::Response,
    buffer: String,
    /// `retry:` values and comment lines seen so far.
    pub control: Vec<String>,
}

impl SseStream {
    /// Opens `url` with `client`; panics unless the answer is 200 `text/event-stream`.
    pub async fn open(client: &reqwest::Client, url: &str, last_event_id: Option<i64>) -> Self {
        let mut request = client.get(url).header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        assert_eq!(response.status(), 200, "GET {url}");
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        Self {
            response,
            buffer: String::new(),
            control: Vec::new(),
        }
    }

    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        self.response.headers()
    }

    /// The next event, waiting at most `within`; `None` when none came in time or the stream
    /// ended.
    pub async fn next_within(&mut self, within: std::time::Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                if let Some(event) = self.parse(&block) {
                    return Some(event);
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await;
            match chunk {
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }

    /// The next event within 10 s, or a panic.
    pub async fn next(&mut self) -> SseEvent {
        self.next_within(std::time::Duration::from_secs(10))
            .await
            .unwrap_or_else(|| panic!("no event within 10 s"))
    }

    fn parse(&mut self, block: &str) -> Option<SseEvent> {
        let (mut id, mut event, mut data) = (None, None, None);
        for line in block.lines() {
            if line.starts_with(':') || line.starts_with("retry:") {
                self.control.push(line.to_owned());
            } else if let Some(v) = line.strip_prefix("id: ") {
                id = Some(v.to_owned());
            } else if let Some(v) = line.strip_prefix("event: ") {
                event = Some(v.to_owned());
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = Some(serde_json::from_str(v).unwrap_or_else(|e| panic!("data {v}: {e}")));
            }
        }
        data.map(|data| SseEvent { id, event, data })
    }
}

/// The Python of `$HOME/.cache/datafortress/venv` when the Standard Webhooks reference library
/// imports there. `make test` installs it and sets `DATAFORTRESS_REQUIRE_PYTHON_TOOLS`, under
/// which its absence fails the test instead of skipping it.
pub fn reference_python(test: &str) -> Option<std::path::PathBuf> {
    let home = std::env::var_os("HOME")?;
    let python = std::path::PathBuf::from(home).join(".cache/datafortress/venv/bin/python");
    let importable = std::process::Command::new(&python)
        .args(["-c", "import standardwebhooks"])
        .output()
        .is_ok_and(|out| out.status.success());
    if importable {
        return Some(python);
    }
    assert!(
        std::env::var_os("DATAFORTRESS_REQUIRE_PYTHON_TOOLS").is_none(),
        "the standardwebhooks reference library is missing from the venv"
    );
    eprintln!("SKIPPED {test}: `import standardwebhooks` fails in $HOME/.cache/datafortress/venv");
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
        use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("{e}"))
            .port();
        let script: std::sync::Arc<std::sync::Mutex<std::collections::VecDeque<Reply>>> =
            std::sync::Arc::default();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let shared = script.clone();
        let server = HttpServer::new(move || {
            let (script, tx) = (shared.clone(), tx.clone());
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let (script, tx) = (script.clone(), tx.clone());
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
                        Some(Reply::Status(code)) => {
                            HttpResponse::build(status(code)).body("scripted")
                        }
                        Some(Reply::RetryAfter(code, secs)) => HttpResponse::build(status(code))
                            .insert_header(("Retry-After", secs.to_string()))
                            .body("later"),
                        Some(Reply::Hold) => {
                            std::future::pending::<()>().await;
                            HttpResponse::Ok().finish()
                        }
                    }
                }
            }))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(0)
        .listen(listener)
        .unwrap_or_else(|e| panic!("listen: {e}"))
        .run();
        let handle = server.handle();
        tokio::spawn(server);
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
