//! Campaigns: templates checked when saved, a preview with a real lead, activation only when
//! it can send, one-click unsubscribe, and tenants kept apart.

use serde_json::json;
use sqlx::PgPool;
use testkit::{expect, problem};

use crate::common::{
    activate, campaign, enroll, lead, mailbox, sink, spawn, start_worker, wait_for_state,
};

#[sqlx::test(migrations = "../../migrations")]
async fn broken_templates_and_windows_are_422_naming_the_field(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let step = |subject: &str, body: &str| json!([{"delay_minutes": 0, "variants": [{"subject": subject, "body": body}]}]);

    let unclosed = owner
        .post_json(
            "/api/v1/outreach/campaigns",
            &json!({"name": "A", "steps": step("Hi {{ first_name", "ok")}),
        )
        .await;
    let stray = owner
        .post_json(
            "/api/v1/outreach/campaigns",
            &json!({"name": "A", "steps": step("ok", "Hello {first_name}")}),
        )
        .await;
    let window = owner
        .post_json(
            "/api/v1/outreach/campaigns",
            &json!({"name": "A", "window_start": "18:00", "window_end": "09:00"}),
        )
        .await;
    let zone = owner
        .post_json(
            "/api/v1/outreach/campaigns",
            &json!({"name": "A", "timezone": "Mars/Olympus"}),
        )
        .await;
    let foreign_mailbox = owner
        .post_json(
            "/api/v1/outreach/campaigns",
            &json!({"name": "A", "mailbox_ids": ["0190f1f2-0000-7000-8000-000000000000"]}),
        )
        .await;

    assert!(problem(unclosed, 422).await["errors"]["steps[0].variants[0].subject"].is_array());
    assert!(problem(stray, 422).await["errors"]["steps[0].variants[0].body"].is_array());
    assert!(problem(window, 422).await["errors"]["window_end"].is_array());
    assert!(problem(zone, 422).await["errors"]["timezone"].is_array());
    assert!(problem(foreign_mailbox, 422).await["errors"]["mailbox_ids"].is_array());
    let listed = expect(owner.get("/api/v1/outreach/campaigns").await, 200).await;
    assert_eq!(listed, json!([]));
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_campaign_activates_only_with_steps_and_a_mailbox(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let box_id = mailbox(&owner, "sales@acme.test", &sink(&app), json!({})).await;
    let empty = campaign(&owner, &[&box_id], json!([])).await;
    let no_mailbox = campaign(
        &owner,
        &[],
        json!([{"delay_minutes": 0, "variants": [{"subject": "Hi", "body": "Hello"}]}]),
    )
    .await;

    let a = owner
        .post_json(
            &format!("/api/v1/outreach/campaigns/{empty}/activate"),
            &json!({}),
        )
        .await;
    let b = owner
        .post_json(
            &format!("/api/v1/outreach/campaigns/{no_mailbox}/activate"),
            &json!({}),
        )
        .await;

    assert_eq!(problem(a, 409).await["code"], "campaign_not_ready");
    assert_eq!(problem(b, 409).await["code"], "campaign_not_ready");
    let detail = expect(
        owner
            .get(&format!("/api/v1/outreach/campaigns/{empty}"))
            .await,
        200,
    )
    .await;
    assert_eq!(detail["status"], "draft");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_preview_renders_a_step_for_a_real_lead_and_names_what_it_lacks(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let ada = lead(
        &owner,
        json!({"email": "ada@client.test", "first_name": "Ada"}),
    )
    .await;
    let id = campaign(
        &owner,
        &[],
        json!([{"delay_minutes": 0, "variants": [{
            "subject": "For {{ company | \"your company\" }}",
            "body": "Hi {{first_name}}, about {{ title }}"
        }]}]),
    )
    .await;

    let preview = expect(
        owner
            .post_json(
                &format!("/api/v1/outreach/campaigns/{id}/preview"),
                &json!({"lead_id": ada}),
            )
            .await,
        200,
    )
    .await;
    let missing_lead = owner
        .post_json(
            &format!("/api/v1/outreach/campaigns/{id}/preview"),
            &json!({"lead_id": "0190f1f2-0000-7000-8000-000000000000"}),
        )
        .await;

    assert_eq!(preview["to"], "ada@client.test");
    assert_eq!(preview["subject"], "For your company");
    assert_eq!(preview["body"], "Hi Ada, about ");
    assert_eq!(preview["missing"], json!(["title"]));
    assert_eq!(preview["fell_back"], json!(["company"]));
    assert_eq!(problem(missing_lead, 404).await["code"], "not_found");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn one_click_unsubscribe_needs_no_cookie_and_a_get_changes_nothing(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let ada = lead(&owner, json!({"email": "ada@client.test"})).await;
    let box_id = mailbox(&owner, "sales@acme.test", &sink(&app), json!({})).await;
    let id = campaign(
        &owner,
        &[&box_id],
        json!([
            {"delay_minutes": 0, "variants": [{"subject": "One", "body": "First"}]},
            {"delay_minutes": 60, "variants": [{"subject": "Two", "body": "Second"}]}
        ]),
    )
    .await;
    activate(&owner, &id).await;
    let _worker = start_worker(&app);
    enroll(&owner, &id, &[&ada]).await;
    let mail = app.mailbox.wait_for("ada@client.test").await;
    let link = mail.link("/api/v1/outreach/unsubscribe/");
    let stranger = testkit::reqwest::Client::builder()
        .redirect(testkit::reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let page = stranger.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("<form method=\"post\""));
    let still = expect(owner.get("/api/v1/outreach/suppressions").await, 200).await;
    assert_eq!(
        still,
        json!([]),
        "a GET (a link scanner) unsubscribes no one"
    );

    let done = stranger
        .post(&link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    let (base, token) = link.rsplit_once('/').unwrap();
    let mut altered: Vec<char> = token.chars().collect();
    altered[10] = if altered[10] == 'A' { 'B' } else { 'A' };
    let forged = stranger
        .post(format!(
            "{base}/{}",
            altered.into_iter().collect::<String>()
        ))
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();

    assert_eq!(done.status(), 200, "no redirect, no login");
    assert_eq!(problem(forged, 400).await["code"], "invalid_token");
    let suppressed = expect(owner.get("/api/v1/outreach/suppressions").await, 200).await;
    assert_eq!(suppressed[0]["email"], "ada@client.test");
    assert_eq!(suppressed[0]["reason"], "unsubscribed");
    let enrollments = expect(
        owner
            .get(&format!("/api/v1/outreach/enrollments?campaign_id={id}"))
            .await,
        200,
    )
    .await;
    assert_eq!(enrollments[0]["stop_reason"], "unsubscribed");
    let sent = wait_for_state(&owner, &id, "sent", 1).await;
    assert!(sent[0]["unsubscribed_at"].is_string());
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn another_tenants_campaigns_and_leads_are_out_of_reach(pool: PgPool) {
    let app = spawn(pool).await;
    let acme = app.sign_up("acme").await;
    let beta = app.sign_up("beta").await;
    let beta_lead = lead(&beta, json!({"email": "b@client.test"})).await;
    let beta_box = mailbox(&beta, "bea@beta.test", &sink(&app), json!({})).await;
    let beta_campaign = campaign(
        &beta,
        &[&beta_box],
        json!([{"delay_minutes": 0, "variants": [{"subject": "Hi", "body": "Hello"}]}]),
    )
    .await;
    let acme_campaign = campaign(&acme, &[], json!([])).await;
    let path = format!("/api/v1/outreach/campaigns/{beta_campaign}");

    let get = acme.get(&path).await;
    let activate_theirs = acme
        .post_json(&format!("{path}/activate"), &json!({}))
        .await;
    let enroll_theirs = acme
        .post_json(
            &format!("{path}/enrollments"),
            &json!({"lead_ids": [beta_lead]}),
        )
        .await;
    let delete = acme.delete(&path).await;
    // Their lead in our campaign: not a lead of ours.
    let theirs_in_ours = expect(
        acme.post_json(
            &format!("/api/v1/outreach/campaigns/{acme_campaign}/enrollments"),
            &json!({"lead_ids": [beta_lead]}),
        )
        .await,
        200,
    )
    .await;
    // Their mailbox in our campaign: refused.
    let their_box = acme
        .put_json(
            &format!("/api/v1/outreach/campaigns/{acme_campaign}"),
            &json!({"name": "Mine", "mailbox_ids": [beta_box]}),
        )
        .await;

    for res in [get, activate_theirs, enroll_theirs, delete] {
        assert_eq!(problem(res, 404).await["code"], "not_found");
    }
    assert_eq!(theirs_in_ours["skipped"][0]["reason"], "not_found");
    assert!(problem(their_box, 422).await["errors"]["mailbox_ids"].is_array());
    let theirs = expect(beta.get(&path).await, 200).await;
    assert_eq!(theirs["status"], "draft");
    assert_eq!(theirs["stats"]["enrolled"], 0);
    activate(&beta, &beta_campaign).await;
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_leads_lists_filter_enrolls_what_it_shows_and_nothing_of_another_tenant(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let other = app.sign_up("globex").await;
    let ada = lead(
        &owner,
        json!({"email": "ada@engines.test", "company": "Analytical Engines"}),
    )
    .await;
    let charles = lead(
        &owner,
        json!({"first_name": "Charles", "company": "Analytical Engines"}),
    )
    .await;
    lead(
        &owner,
        json!({"email": "grace@navy.test", "company": "Navy"}),
    )
    .await;
    lead(
        &other,
        json!({"email": "spy@engines.test", "company": "Analytical Engines"}),
    )
    .await;
    let box_id = mailbox(&owner, "sales@acme.test", &sink(&app), json!({})).await;
    let id = campaign(
        &owner,
        &[&box_id],
        json!([{"delay_minutes": 0, "variants": [{"subject": "Hi", "body": "Hi"}]}]),
    )
    .await;
    let path = format!("/api/v1/outreach/campaigns/{id}/enrollments");

    // The same query string the leads list sends.
    let result = expect(
        owner
            .post_json(&path, &json!({"filter": "q=analytical&_start=0&_end=10"}))
            .await,
        200,
    )
    .await;
    assert_eq!(result["enrolled"], json!([ada]), "{result}");
    assert_eq!(
        result["skipped"],
        json!([{"lead_id": charles, "reason": "no_email"}])
    );

    let bad = problem(
        owner
            .post_json(&path, &json!({"filter": "nope_gte=1"}))
            .await,
        422,
    )
    .await;
    assert!(bad["errors"].get("filter").is_some(), "{bad}");
    let both = problem(
        owner
            .post_json(&path, &json!({"filter": "q=navy", "lead_ids": [ada]}))
            .await,
        422,
    )
    .await;
    assert!(both["errors"].get("lead_ids").is_some(), "{both}");
    problem(owner.post_json(&path, &json!({})).await, 422).await;
    let enrolled = expect(
        owner
            .get(&format!("/api/v1/outreach/enrollments?campaign_id={id}"))
            .await,
        200,
    )
    .await;
    assert_eq!(
        enrolled.as_array().unwrap().len(),
        1,
        "the refused requests changed nothing"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_suppression_list_is_imported_from_csv_and_exported_as_csv(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let other = app.sign_up("globex").await;
    let csv = "name,Email\r\n\"Lovelace, Ada\",Ada@Client.test\r\nGrace,grace@navy.test\r\nNobody,not-an-address\r\nAgain,ada@client.test\r\n";
    let result = expect(import(&owner, csv.as_bytes()).await, 200).await;
    assert_eq!(
        result,
        json!({"added": 2, "already": 0, "invalid": [{"line": 4, "value": "not-an-address"}]})
    );
    let again = expect(import(&owner, csv.as_bytes()).await, 200).await;
    assert_eq!(again["added"], 0);
    assert_eq!(again["already"], 2);
    problem(import(&owner, b"email\n\xff\xfe@x.test\n").await, 422).await;

    let export = owner.get("/api/v1/outreach/suppressions/export.csv").await;
    assert_eq!(export.status(), 200);
    assert!(export.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = export.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "email,reason,created_at");
    assert!(lines[1].starts_with("ada@client.test,manual,"), "{text}");
    assert!(lines[2].starts_with("grace@navy.test,manual,"), "{text}");
    assert_eq!(lines.len(), 3);
    let theirs = other
        .get("/api/v1/outreach/suppressions/export.csv")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        theirs.trim(),
        "email,reason,created_at",
        "another tenant's list is its own"
    );
    app.stop().await;
}

async fn import(session: &testkit::Session, body: &'static [u8]) -> testkit::reqwest::Response {
    session
        .client
        .post(session.url("/api/v1/outreach/suppressions/import"))
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap()
}
