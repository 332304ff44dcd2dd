//! Helpers shared by the leads integration tests: creating leads, adding members, reading
//! answers. Not every test module uses every helper.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use kernel::jobs::Registry;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use testkit::reqwest::Response;
use testkit::{Session, TestApp};

pub const LEADS: &str = "/api/v1/leads";

/// Creates a lead, asserting 201; returns its JSON.
pub async fn create(session: &Session, body: Value) -> Value {
    let res = session.post_json(LEADS, &body).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 201, "create {body}: {text}");
    serde_json::from_str(&text).unwrap()
}

pub fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

pub async fn json(res: Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status} {text}: {e}"))
}

/// A list answer: the items and `X-Total-Count`.
pub async fn list(session: &Session, path: &str) -> (Vec<Value>, i64) {
    let res = session.get(path).await;
    let status = res.status();
    let total = res
        .headers()
        .get("x-total-count")
        .map(|v| v.to_str().unwrap().parse::<i64>().unwrap());
    let body = json(res).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    (body.as_array().unwrap().clone(), total.unwrap())
}

/// Invites `email` into `owner`'s tenant as `role` and signs the new member in.
pub async fn add_member(app: &TestApp, owner: &Session, email: &str, role: &str) -> Session {
    let res = owner
        .post_json(
            "/api/v1/members/invitations",
            &json!({"email": email, "role": role}),
        )
        .await;
    assert_eq!(res.status(), 201, "invite: {}", res.text().await.unwrap());
    let link = app
        .mailbox
        .wait_for(email)
        .await
        .link("/accept-invite?token=");
    let token = link.split_once("token=").unwrap().1.to_owned();
    let password = "a long enough member passphrase";
    let res = app
        .browser()
        .post(app.url("/api/v1/auth/invitations/accept"))
        .json(&json!({"token": token, "name": "Member", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "accept: {}", res.text().await.unwrap());
    app.sign_in(email, password).await
}

/// The number of rows of a leads-slice table, all tenants, as the owner sees them.
pub async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(&app.owner_db)
        .await
        .unwrap()
}

pub const IMPORTS: &str = "/api/v1/leads/imports";

pub struct AnyMember;

/// The tests' members: the auth slice's adapter lives in `app`, which tests reach only
/// through HTTP; here every user counts as a member.
#[async_trait::async_trait]
impl leads::Members for AnyMember {
    async fn is_member(
        &self,
        _: &mut sqlx::PgConnection,
        _: uuid::Uuid,
    ) -> Result<bool, sqlx::Error> {
        Ok(true)
    }
}

pub fn start_worker(app: &TestApp) -> tokio::sync::oneshot::Sender<()> {
    let mut registry = Registry::default();
    leads::import::register(
        &mut registry,
        app.db.clone(),
        app.cache.clone(),
        Arc::new(AnyMember),
    );
    app.start_worker(registry)
}

pub async fn upload(
    session: &Session,
    csv: String,
    fields: &[(&str, &str)],
) -> testkit::reqwest::Response {
    let mut form = Form::new().part(
        "file",
        Part::bytes(csv.into_bytes())
            .file_name("leads.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    for (name, value) in fields {
        form = form.text((*name).to_owned(), (*value).to_owned());
    }
    session
        .client
        .post(session.url(IMPORTS))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

pub async fn finished(session: &Session, id: &str) -> Value {
    for _ in 0..600 {
        let import = json(session.get(&format!("{IMPORTS}/{id}")).await).await;
        if ["succeeded", "failed"].contains(&import["state"].as_str().unwrap()) {
            return import;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("import {id} did not finish");
}
