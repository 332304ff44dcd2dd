//! Helpers shared by the outreach tests: leads, mailboxes and campaigns made over HTTP, and a
//! worker running the outreach jobs. (The scripted SMTP server is `testkit::FakeSmtp`.)
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use chrono::Timelike;
use kernel::jobs::Registry;
use serde_json::{json, Value};
use testkit::{expect, Session, TestApp};

/// The app, without the API rate limit: the tests poll the send log while the worker works.
pub async fn spawn(pool: sqlx::PgPool) -> TestApp {
    TestApp::spawn_with(pool, |c| c.rate_limit_api = "off".into()).await
}

/// A lead with `fields`; its id.
pub async fn lead(session: &Session, fields: Value) -> String {
    expect(session.post_json("/api/v1/leads", &fields).await, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A mailbox sending through `smtp` (`host:port`, plain), no pauses between messages.
pub async fn mailbox(session: &Session, from: &str, smtp: &str, extra: Value) -> String {
    let (host, port) = smtp.rsplit_once(':').unwrap();
    let mut body = json!({
        "name": format!("Mailbox {from}"),
        "from_address": from,
        "from_name": "Ada at Acme",
        "signature": "Ada Lovelace\nAcme",
        "smtp_host": host,
        "smtp_port": port.parse::<i32>().unwrap(),
        "smtp_security": "none",
        "daily_cap": 100,
        "warmup_enabled": false,
        "min_gap_seconds": 0,
        "max_gap_seconds": 0,
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    expect(
        session.post_json("/api/v1/outreach/mailboxes", &body).await,
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The app's own mail sink, as `host:port`.
pub fn sink(app: &TestApp) -> String {
    use secrecy::ExposeSecret;
    app.config
        .smtp_url
        .expose_secret()
        .trim_start_matches("smtp://")
        .to_owned()
}

/// A fixed-offset timezone where it is about noon now, so a 00:00–23:59 window is open for
/// hours whatever the time the tests run.
pub fn midday_timezone() -> String {
    let offset = i64::from(chrono::Utc::now().hour()) - 12;
    match offset {
        0 => "Etc/GMT".to_owned(),
        o if o > 0 => format!("Etc/GMT+{o}"),
        o => format!("Etc/GMT-{}", -o),
    }
}

/// A campaign sending `steps` from `mailboxes`, open all day every day; its id.
pub async fn campaign(session: &Session, mailboxes: &[&str], steps: Value) -> String {
    campaign_with(session, mailboxes, steps, json!({})).await
}

/// As [`campaign`], with `extra` settings.
pub async fn campaign_with(
    session: &Session,
    mailboxes: &[&str],
    steps: Value,
    extra: Value,
) -> String {
    let mut body = json!({
        "name": "Spring outreach",
        "timezone": midday_timezone(),
        "window_days": [1, 2, 3, 4, 5, 6, 7],
        "window_start": "00:00",
        "window_end": "23:59",
        "mailbox_ids": mailboxes,
        "steps": steps,
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    expect(
        session.post_json("/api/v1/outreach/campaigns", &body).await,
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub async fn activate(session: &Session, campaign: &str) {
    expect(
        session
            .post_json(
                &format!("/api/v1/outreach/campaigns/{campaign}/activate"),
                &json!({}),
            )
            .await,
        200,
    )
    .await;
}

pub async fn enroll(session: &Session, campaign: &str, leads: &[&str]) -> Value {
    expect(
        session
            .post_json(
                &format!("/api/v1/outreach/campaigns/{campaign}/enrollments"),
                &json!({"lead_ids": leads}),
            )
            .await,
        200,
    )
    .await
}

/// The send log, filtered by a Refine query string.
pub async fn messages(session: &Session, query: &str) -> Vec<Value> {
    let page = expect(
        session
            .get(&format!("/api/v1/outreach/messages?{query}"))
            .await,
        200,
    )
    .await;
    page.as_array().unwrap().clone()
}

/// The suppression list as (address, reason), by address.
pub async fn suppressed(session: &Session) -> Vec<(String, String)> {
    let list = expect(
        session
            .get("/api/v1/outreach/suppressions?_sort=email&_order=asc")
            .await,
        200,
    )
    .await;
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let field = |k: &str| s[k].as_str().unwrap().to_owned();
            (field("email"), field("reason"))
        })
        .collect()
}

/// Waits until `lead`'s email timeline satisfies `done` (the timeline page as JSON).
pub async fn wait_for_timeline(
    session: &Session,
    lead: &str,
    what: &str,
    done: impl Fn(&Value) -> bool,
) {
    let path = format!("/api/v1/leads/{lead}/timeline?kind=email");
    testkit::eventually(what, Duration::from_secs(10), || async {
        done(&expect(session.get(&path).await, 200).await)
    })
    .await;
}

/// Waits until the message log of `campaign` has `n` messages in `state`.
pub async fn wait_for_state(
    session: &Session,
    campaign: &str,
    state: &str,
    n: usize,
) -> Vec<Value> {
    let query = format!("campaign_id={campaign}&state={state}&_sort=step&_order=asc");
    testkit::eventually(
        &format!("{n} {state} message(s)"),
        Duration::from_secs(20),
        || async { messages(session, &query).await.len() >= n },
    )
    .await;
    messages(session, &query).await
}

/// A worker running the outreach jobs (and the leads timeline), with short SMTP deadlines.
pub fn start_worker(app: &TestApp) -> tokio::sync::oneshot::Sender<()> {
    let mut settings = app.config.outreach_settings();
    settings.timeouts = outreach::smtp::Timeouts {
        connect: Duration::from_secs(2),
        command: Duration::from_secs(2),
        data: Duration::from_secs(2),
    };
    let outreach = Arc::new(outreach::Outreach {
        db: app.db.clone(),
        cache: app.cache.clone(),
        contacts: Arc::new(leads::contacts::LeadContacts),
        secrets: app.config.secrets_at_rest().unwrap(),
        pool: outreach::smtp::Pool::new(settings.timeouts, true),
        sns: outreach::feedback::Sns::new(true),
        verifier: kernel::webhooks::WebhookVerifier::new(app.cache.clone()),
        settings,
    });
    let mut registry = Registry::default();
    outreach::register(&mut registry, outreach).unwrap();
    leads::activity::register(&mut registry, app.db.clone());
    app.start_worker(registry)
}
