//! A sequence end to end over a real SMTP connection: enrollment with reasons for the leads
//! left out, personalised messages with one-click unsubscribe headers, the next step after its
//! delay, and what a server's refusals and a broken connection do.

use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::expect;

use crate::common::{
    activate, campaign, enroll, lead, mailbox, messages, sink, spawn, start_worker, wait_for_state,
    wait_for_timeline,
};
use testkit::{FakeSmtp, Script};

fn two_steps() -> Value {
    json!([
        {"delay_minutes": 0, "variants": [{
            "subject": "{Quick|Short} question, {{first_name | \"there\"}}",
            "body": "Hi {{first_name | \"there\"}},\n\nDoes {{company | 'your team'}} need help?"
        }]},
        {"delay_minutes": 0, "variants": [{
            "subject": "Following up",
            "body": "Just checking in, {{ first_name }}."
        }]}
    ])
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_sequence_sends_each_step_once_personalised_with_unsubscribe_headers(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let ada = lead(
        &owner,
        json!({"email": "ada@client.test", "first_name": "Ada", "company": "Analytical Engines"}),
    )
    .await;
    let anon = lead(&owner, json!({"email": "someone@client.test"})).await;
    let no_email = lead(&owner, json!({"first_name": "Nomail"})).await;
    let box_id = mailbox(&owner, "sales@acme.test", &sink(&app), json!({})).await;
    let id = campaign(&owner, &[&box_id], two_steps()).await;
    activate(&owner, &id).await;
    let _worker = start_worker(&app);

    let result = enroll(
        &owner,
        &id,
        &[
            &ada,
            &anon,
            &no_email,
            &ada,
            "0190f1f2-0000-7000-8000-000000000000",
        ],
    )
    .await;
    let again = enroll(&owner, &id, &[&ada]).await;

    assert_eq!(result["enrolled"].as_array().unwrap().len(), 2, "{result}");
    let reasons: Vec<(&str, &str)> = result["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["lead_id"].as_str().unwrap(),
                s["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        reasons.contains(&(no_email.as_str(), "no_email")),
        "{reasons:?}"
    );
    assert!(reasons.contains(&("0190f1f2-0000-7000-8000-000000000000", "not_found")));
    assert_eq!(again["skipped"][0]["reason"], "already_enrolled");

    let first = app.mailbox.wait_for("ada@client.test").await;
    assert!(
        first.subject == "Quick question, Ada" || first.subject == "Short question, Ada",
        "{}",
        first.subject
    );
    assert!(
        first
            .body
            .starts_with("Hi Ada,\n\nDoes Analytical Engines need help?"),
        "{}",
        first.body
    );
    assert!(
        first.body.contains("\n-- \nAda Lovelace\nAcme"),
        "the signature: {}",
        first.body
    );
    let link = first.link("/api/v1/outreach/unsubscribe/");
    assert_eq!(
        first.header("List-Unsubscribe").unwrap(),
        format!("<{link}>")
    );
    assert_eq!(
        first.header("List-Unsubscribe-Post").unwrap(),
        "List-Unsubscribe=One-Click"
    );
    assert!(first.header("From").unwrap().contains("sales@acme.test"));
    let anon_first = app.mailbox.wait_for("someone@client.test").await;
    assert!(
        anon_first
            .body
            .starts_with("Hi there,\n\nDoes your team need help?"),
        "{}",
        anon_first.body
    );
    let second = app.mailbox.wait_for("ada@client.test").await;
    assert_eq!(second.subject, "Following up");
    assert!(second.body.starts_with("Just checking in, Ada."));

    let sent = wait_for_state(&owner, &id, "sent", 4).await;
    assert_eq!(
        sent.len(),
        4,
        "two steps for two leads, once each: {sent:#?}"
    );
    let first_row = sent
        .iter()
        .find(|m| m["to_address"] == "ada@client.test" && m["step"] == 0)
        .unwrap();
    assert_eq!(
        first.header("Message-ID").unwrap(),
        first_row["message_id"].as_str().unwrap()
    );
    assert!(
        first_row["response"].as_str().unwrap().starts_with("250"),
        "{first_row}"
    );
    assert_eq!(app.mailbox.sent_to("ada@client.test").len(), 2);
    let detail = expect(
        owner.get(&format!("/api/v1/outreach/campaigns/{id}")).await,
        200,
    )
    .await;
    testkit::eventually(
        "both sequences finished",
        std::time::Duration::from_secs(10),
        || async {
            let detail = expect(
                owner.get(&format!("/api/v1/outreach/campaigns/{id}")).await,
                200,
            )
            .await;
            detail["stats"]["finished"] == 2
        },
    )
    .await;
    assert_eq!(detail["stats"]["enrolled"], 2);
    // The lead's timeline shows the emails (leads' `email.*` contract).
    wait_for_timeline(&owner, &ada, "the timeline has both emails", |page| {
        page["items"]
            .as_array()
            .is_some_and(|emails| emails.len() == 2)
    })
    .await;
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_refused_recipient_bounces_is_suppressed_and_its_sequence_stops(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let smtp = FakeSmtp::start(Script::RejectRecipient).await;
    let gone = lead(&owner, json!({"email": "Gone@Client.test"})).await;
    let box_id = mailbox(&owner, "sales@acme.test", &smtp.addr, json!({})).await;
    let id = campaign(&owner, &[&box_id], two_steps()).await;
    activate(&owner, &id).await;
    let _worker = start_worker(&app);

    enroll(&owner, &id, &[&gone]).await;

    let bounced = wait_for_state(&owner, &id, "bounced", 1).await;
    assert!(
        bounced[0]["response"].as_str().unwrap().contains("550"),
        "{bounced:?}"
    );
    assert_eq!(smtp.received(), 0, "nothing was handed over");
    let suppressed = expect(owner.get("/api/v1/outreach/suppressions").await, 200).await;
    assert_eq!(suppressed[0]["email"], "gone@client.test");
    assert_eq!(suppressed[0]["reason"], "bounced");
    let enrollments = expect(
        owner
            .get(&format!("/api/v1/outreach/enrollments?campaign_id={id}"))
            .await,
        200,
    )
    .await;
    assert_eq!(enrollments[0]["status"], "stopped");
    assert_eq!(enrollments[0]["stop_reason"], "bounced");
    // A second campaign skips the address at enrollment.
    let other = campaign(&owner, &[&box_id], two_steps()).await;
    let skipped = enroll(&owner, &other, &[&gone]).await;
    assert_eq!(skipped["skipped"][0]["reason"], "bounced");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_temporary_refusal_is_retried_and_then_sent_once(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let smtp = FakeSmtp::start(Script::DeferRecipient(1)).await;
    let ada = lead(&owner, json!({"email": "ada@client.test"})).await;
    let box_id = mailbox(&owner, "sales@acme.test", &smtp.addr, json!({})).await;
    let id = campaign(&owner, &[&box_id], json!([two_steps()[0].clone()])).await;
    activate(&owner, &id).await;
    let _worker = start_worker(&app);

    enroll(&owner, &id, &[&ada]).await;

    let sent = wait_for_state(&owner, &id, "sent", 1).await;
    assert_eq!(sent[0]["attempts"], 2, "{sent:?}");
    assert_eq!(smtp.received(), 1);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_connection_lost_mid_message_is_unknown_and_never_sent_again(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let smtp = FakeSmtp::start(Script::DropAfterMessage).await;
    let ada = lead(&owner, json!({"email": "ada@client.test"})).await;
    let box_id = mailbox(&owner, "sales@acme.test", &smtp.addr, json!({})).await;
    let id = campaign(&owner, &[&box_id], json!([two_steps()[0].clone()])).await;
    activate(&owner, &id).await;
    let worker = start_worker(&app);

    enroll(&owner, &id, &[&ada]).await;

    let unknown = wait_for_state(&owner, &id, "unknown", 1).await;
    assert_eq!(unknown[0]["attempts"], 1);
    assert_eq!(smtp.received(), 1);
    // Whatever runs again later (a sweep, a retry), the step is not sent a second time.
    drop(worker);
    let _worker = start_worker(&app);
    let jobs: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM jobs WHERE kind = 'outreach.send' AND state IN ('queued', 'running', 'failed')",
    )
    .fetch_one(&app.owner_db)
    .await
    .unwrap();
    assert_eq!(jobs, 0, "no send is pending");
    assert_eq!(smtp.received(), 1);
    assert_eq!(
        messages(&owner, &format!("campaign_id={id}")).await.len(),
        1
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_daily_cap_defers_the_rest_to_the_next_day(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let box_id = mailbox(
        &owner,
        "sales@acme.test",
        &sink(&app),
        json!({"daily_cap": 2}),
    )
    .await;
    let id = campaign(&owner, &[&box_id], json!([two_steps()[0].clone()])).await;
    let mut leads = Vec::new();
    for i in 0..3 {
        leads.push(lead(&owner, json!({"email": format!("p{i}@client.test")})).await);
    }
    activate(&owner, &id).await;
    let _worker = start_worker(&app);

    let refs: Vec<&str> = leads.iter().map(String::as_str).collect();
    enroll(&owner, &id, &refs).await;

    wait_for_state(&owner, &id, "sent", 2).await;
    testkit::eventually(
        "the third lead waits for tomorrow",
        std::time::Duration::from_secs(10),
        || async {
            let waiting = expect(
                owner
                    .get(&format!(
                        "/api/v1/outreach/enrollments?campaign_id={id}&status=active"
                    ))
                    .await,
                200,
            )
            .await;
            waiting.as_array().is_some_and(|w| {
                w.len() == 1
                    && w[0]["next_at"].as_str().is_some_and(|at| {
                        at.parse::<chrono::DateTime<chrono::Utc>>().unwrap()
                            > chrono::Utc::now() + chrono::Duration::minutes(1)
                    })
            })
        },
    )
    .await;
    assert_eq!(
        messages(&owner, &format!("campaign_id={id}")).await.len(),
        2
    );
    app.stop().await;
}

/// dkimpy checks a message against the DKIM record the API showed; `Err` carries why not.
fn dkim_verify(
    python: &std::path::Path,
    raw: &[u8],
    dns_name: &str,
    record: &str,
) -> Result<(), String> {
    use std::io::Write;
    let script = r#"
import sys, dkim
record, expected = sys.argv[1].encode(), sys.argv[2]
def dns(name, timeout=5):
    name = name.decode() if isinstance(name, bytes) else name
    return record if name.rstrip('.') == expected else None
if not dkim.verify(sys.stdin.buffer.read(), dnsfunc=dns):
    sys.exit("the signature does not verify")
"#;
    let mut child = std::process::Command::new(python)
        .args(["-c", script, record, dns_name])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(raw).unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[sqlx::test(migrations = "../../migrations")]
async fn dkim_signatures_cover_the_unsubscribe_headers_and_verify_independently(pool: PgPool) {
    let python = testkit::python_with("dkim", "outreach::dkim");
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let ada = lead(
        &owner,
        json!({"email": "ada@client.test", "first_name": "Ada"}),
    )
    .await;
    let box_id = mailbox(&owner, "sales@acme.test", &sink(&app), json!({})).await;
    let path = format!("/api/v1/outreach/mailboxes/{box_id}/dkim");
    testkit::problem(owner.get(&path).await, 404).await;
    let bad = testkit::problem(
        owner
            .put_json(
                &path,
                &json!({"private_key": "-----BEGIN RSA PRIVATE KEY-----\nnope"}),
            )
            .await,
        422,
    )
    .await;
    assert!(bad["errors"].get("private_key").is_some(), "{bad}");
    let dkim = expect(
        owner.put_json(&path, &json!({"selector": "s2026"})).await,
        200,
    )
    .await;
    assert_eq!(dkim["domain"], "acme.test");
    assert_eq!(dkim["dns_name"], "s2026._domainkey.acme.test");
    let record = dkim["dns_value"].as_str().unwrap().to_owned();
    assert!(record.starts_with("v=DKIM1; k=rsa; p="), "{record}");
    assert!(dkim.get("private_key").is_none());
    assert_eq!(expect(owner.get(&path).await, 200).await, dkim);
    let other = app.sign_up("globex").await;
    testkit::problem(other.get(&path).await, 404).await;
    testkit::problem(other.put_json(&path, &json!({})).await, 404).await;

    let id = campaign(
        &owner,
        &[&box_id],
        json!([{"delay_minutes": 0, "variants": [{
            "subject": "Quick question, {{first_name}}", "body": "Hi {{first_name}},\n\nA question."
        }]}]),
    )
    .await;
    activate(&owner, &id).await;
    let _worker = start_worker(&app);
    enroll(&owner, &id, &[&ada]).await;
    let mail = app.mailbox.wait_for("ada@client.test").await;
    let signature = mail.header("DKIM-Signature").expect("a DKIM signature");
    let signed: Vec<String> = signature
        .split(';')
        .find_map(|tag| tag.trim().strip_prefix("h="))
        .unwrap()
        .split(':')
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    for header in [
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "list-unsubscribe",
        "list-unsubscribe-post",
    ] {
        assert!(
            signed.contains(&header.to_owned()),
            "{header} is not signed: {signature}"
        );
    }
    assert!(
        signature.contains("d=acme.test") && signature.contains("s=s2026"),
        "{signature}"
    );
    if let Some(python) = python {
        let raw = &mail.received.data;
        dkim_verify(&python, raw, "s2026._domainkey.acme.test", &record).unwrap();
        // Changing the unsubscribe link on the way breaks it.
        let text = String::from_utf8_lossy(raw).into_owned();
        let tampered = text.replacen(
            "/api/v1/outreach/unsubscribe/",
            "/api/v1/outreach/unsubscribe/x",
            1,
        );
        assert_ne!(tampered, text);
        assert!(dkim_verify(
            &python,
            tampered.as_bytes(),
            "s2026._domainkey.acme.test",
            &record
        )
        .is_err());
    }
    expect(owner.delete(&path).await, 204).await;
    testkit::problem(owner.get(&path).await, 404).await;
    app.stop().await;
}
