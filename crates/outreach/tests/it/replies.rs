//! What comes back, read from a real IMAP server (dovecot): a reply stops the lead's sequence
//! (and, when the campaign says so, the company's), an auto-reply does not unless asked, old
//! and unrelated mail is passed over, bounce reports and complaints suppress the address, and
//! a mailbox and campaign past the bounce threshold pause themselves. Nothing of it is visible
//! to another tenant.

use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{expect, problem, Session};

use crate::common::{
    activate, campaign, campaign_with, enroll, lead, mailbox, messages, sink, spawn, start_worker,
    suppressed, wait_for_state, wait_for_timeline,
};
use crate::dovecot::Dovecot;

const USER: &str = "sales@acme.test";
const PASSWORD: &str = "imap-secret";

/// One step now, a second in an hour (so the sequence is still running when replies come).
fn steps() -> Value {
    json!([
        {"delay_minutes": 0, "variants": [{"subject": "Quick question", "body": "Hi {{first_name}}"}]},
        {"delay_minutes": 60, "variants": [{"subject": "Following up", "body": "Again"}]}
    ])
}

/// Sets the mailbox's inbox, off the minute sweep (the tests check it when they choose).
async fn set_inbox(session: &Session, mailbox: &str, imap: &Dovecot, password: &str) -> Value {
    expect(
        session
            .put_json(
                &format!("/api/v1/outreach/mailboxes/{mailbox}/inbox"),
                &json!({
                    "host": "127.0.0.1",
                    "port": imap.port,
                    "security": "none",
                    "password": password,
                    "enabled": false,
                }),
            )
            .await,
        200,
    )
    .await
}

async fn check(session: &Session, mailbox: &str) -> Value {
    expect(
        session
            .post_json(
                &format!("/api/v1/outreach/mailboxes/{mailbox}/inbox/check"),
                &json!({}),
            )
            .await,
        200,
    )
    .await
}

/// The Message-ID of the message sent to `to`.
async fn sent_id(session: &Session, campaign: &str, to: &str) -> String {
    let log = messages(session, &format!("campaign_id={campaign}&to_address={to}")).await;
    log[0]["message_id"].as_str().unwrap().to_owned()
}

async fn enrollment_of(session: &Session, campaign: &str, lead: &str) -> Value {
    let page = expect(
        session
            .get(&format!(
                "/api/v1/outreach/enrollments?campaign_id={campaign}&lead_id={lead}"
            ))
            .await,
        200,
    )
    .await;
    page[0].clone()
}

#[sqlx::test(migrations = "../../migrations")]
async fn replies_read_over_imap_stop_sequences_and_are_kept_with_their_lead(pool: PgPool) {
    let imap = Dovecot::start(&[(USER, PASSWORD)]).await;
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let ada = lead(
        &owner,
        json!({"email": "ada@client.test", "first_name": "Ada"}),
    )
    .await;
    let bob = lead(
        &owner,
        json!({"email": "bob@client.test", "first_name": "Bob"}),
    )
    .await;
    let carol = lead(
        &owner,
        json!({"email": "carol@other.test", "first_name": "Carol"}),
    )
    .await;
    let box_id = mailbox(&owner, USER, &sink(&app), json!({})).await;
    let inbox = set_inbox(&owner, &box_id, &imap, PASSWORD).await;
    assert_eq!(inbox["username"], USER, "the from address by default");
    assert_eq!(inbox["has_password"], true);
    assert_eq!(inbox["folder"], "INBOX");
    assert!(inbox.get("password").is_none());
    let id = campaign_with(
        &owner,
        &[&box_id],
        steps(),
        json!({"stop_company_on_reply": true}),
    )
    .await;
    activate(&owner, &id).await;
    let _worker = start_worker(&app);
    enroll(&owner, &id, &[&ada, &bob, &carol]).await;
    wait_for_state(&owner, &id, "sent", 3).await;
    let to_ada = sent_id(&owner, &id, "ada@client.test").await;
    let to_carol = sent_id(&owner, &id, "carol@other.test").await;

    // Carol's out-of-office (the campaign does not stop on those), Ada's reply, a newsletter
    // that answers nothing of ours, and a reply of Carol's from long before the campaign (read
    // past: a new inbox starts at the day of the mailbox's first message).
    imap.deliver(
        USER,
        PASSWORD,
        &format!(
            "From: Carol <carol@other.test>\nTo: {USER}\nSubject: Automatic reply: Quick question\n\
             Auto-Submitted: auto-replied\nIn-Reply-To: {to_carol}\nMessage-ID: <ooo-1@other.test>\n\n\
             I am away until Monday.\n"
        ),
        None,
    )
    .await;
    imap.deliver(
        USER,
        PASSWORD,
        &format!(
            "From: Ada Lovelace <ada@client.test>\nTo: {USER}\nSubject: Re: Quick question\n\
             In-Reply-To: {to_ada}\nReferences: {to_ada}\nMessage-ID: <re-1@client.test>\n\
             Date: Mon, 07 Dec 2026 10:00:00 +0000\n\n\
             Yes please, call me on Tuesday.\n\nOn Mon, Acme wrote:\n> Hi Ada\n"
        ),
        None,
    )
    .await;
    imap.deliver(
        USER,
        PASSWORD,
        &format!("From: news@shop.test\nTo: {USER}\nSubject: Deals\n\nBuy now.\n"),
        None,
    )
    .await;
    imap.deliver(
        USER,
        PASSWORD,
        &format!(
            "From: carol@other.test\nTo: {USER}\nSubject: Re: an old thread\n\
             In-Reply-To: {to_carol}\n\nStop writing to me.\n"
        ),
        Some("01-Jan-2020 09:00:00 +0000"),
    )
    .await;

    let summary = check(&owner, &box_id).await;
    assert_eq!(
        summary,
        json!({"read": 3, "replies": 1, "auto_replies": 1, "bounces": 0, "complaints": 0, "error": null}),
        "the old message is not read, the newsletter is read past"
    );
    assert_eq!(
        enrollment_of(&owner, &id, &ada).await["stop_reason"],
        "replied"
    );
    assert_eq!(
        enrollment_of(&owner, &id, &bob).await["stop_reason"],
        "company_replied",
        "same company domain"
    );
    assert_eq!(enrollment_of(&owner, &id, &carol).await["status"], "active");

    let replies = expect(
        owner
            .get("/api/v1/outreach/replies?_sort=received_at&_order=asc")
            .await,
        200,
    )
    .await;
    let replies = replies.as_array().unwrap();
    assert_eq!(replies.len(), 2, "{replies:#?}");
    let reply = replies.iter().find(|r| r["kind"] == "reply").unwrap();
    assert_eq!(reply["lead_id"], ada.as_str());
    assert_eq!(reply["campaign_id"], id.as_str());
    assert_eq!(reply["from_address"], "ada@client.test");
    assert_eq!(reply["snippet"], "Yes please, call me on Tuesday.");
    assert_eq!(reply["received_at"], "2026-12-07T10:00:00Z");
    let auto = replies.iter().find(|r| r["kind"] == "auto_reply").unwrap();
    assert_eq!(auto["lead_id"], carol.as_str());
    assert_eq!(auto["detail"], "Auto-Submitted: auto-replied");

    // Ada's timeline shows her reply (leads' `email.*` contract).
    wait_for_timeline(&owner, &ada, "the reply on the lead's timeline", |page| {
        page.to_string().contains("Replied: Re: Quick question")
    })
    .await;

    // Read once: a second check finds nothing new.
    let again = check(&owner, &box_id).await;
    assert_eq!(again["read"], 0, "{again}");
    let replies = expect(owner.get("/api/v1/outreach/replies").await, 200).await;
    assert_eq!(replies.as_array().unwrap().len(), 2);

    // Another tenant sees none of it and can check nothing.
    let other = app.sign_up("globex").await;
    let theirs = expect(other.get("/api/v1/outreach/replies").await, 200).await;
    assert_eq!(theirs, json!([]));
    problem(
        other
            .get(&format!("/api/v1/outreach/mailboxes/{box_id}/inbox"))
            .await,
        404,
    )
    .await;
    problem(
        other
            .post_json(
                &format!("/api/v1/outreach/mailboxes/{box_id}/inbox/check"),
                &json!({}),
            )
            .await,
        404,
    )
    .await;
    problem(
        other
            .put_json(
                &format!("/api/v1/outreach/mailboxes/{box_id}/inbox"),
                &json!({"host": "127.0.0.1", "port": imap.port, "security": "none"}),
            )
            .await,
        404,
    )
    .await;

    // A wrong password is kept on the inbox as its error, and nothing else changes.
    set_inbox(&owner, &box_id, &imap, "wrong").await;
    let failed = check(&owner, &box_id).await;
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .contains("sign-in refused"),
        "{failed}"
    );
    let shown = expect(
        owner
            .get(&format!("/api/v1/outreach/mailboxes/{box_id}/inbox"))
            .await,
        200,
    )
    .await;
    assert!(shown["last_error"]
        .as_str()
        .unwrap()
        .contains("sign-in refused"));

    // Bad settings are refused.
    let bad = problem(
        owner
            .put_json(
                &format!("/api/v1/outreach/mailboxes/{box_id}/inbox"),
                &json!({"host": "imap example", "port": 0}),
            )
            .await,
        422,
    )
    .await;
    assert!(bad["errors"].get("port").is_some(), "{bad}");
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn bounce_reports_and_complaints_suppress_and_pause_past_the_threshold(pool: PgPool) {
    let imap = Dovecot::start(&[(USER, PASSWORD)]).await;
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let defaults = expect(owner.get("/api/v1/outreach/settings").await, 200).await;
    assert_eq!(
        defaults,
        json!({"bounce_pause_rate": 0.02, "complaint_pause_rate": 0.001, "pause_min_sent": 50})
    );
    problem(
        owner
            .put_json(
                "/api/v1/outreach/settings",
                &json!({"bounce_pause_rate": 0, "complaint_pause_rate": 0.5, "pause_min_sent": 3}),
            )
            .await,
        422,
    )
    .await;
    expect(
        owner
            .put_json(
                "/api/v1/outreach/settings",
                &json!({"bounce_pause_rate": 0.2, "complaint_pause_rate": 0.5, "pause_min_sent": 3}),
            )
            .await,
        200,
    )
    .await;
    let mut leads = Vec::new();
    for name in ["ann", "ben", "cid", "dee"] {
        leads.push(lead(&owner, json!({"email": format!("{name}@client.test")})).await);
    }
    let box_id = mailbox(&owner, USER, &sink(&app), json!({})).await;
    set_inbox(&owner, &box_id, &imap, PASSWORD).await;
    let id = campaign(&owner, &[&box_id], steps()).await;
    activate(&owner, &id).await;
    let _worker = start_worker(&app);
    let refs: Vec<&str> = leads.iter().map(String::as_str).collect();
    enroll(&owner, &id, &refs).await;
    wait_for_state(&owner, &id, "sent", 4).await;
    let to_ann = sent_id(&owner, &id, "ann@client.test").await;
    let to_ben = sent_id(&owner, &id, "ben@client.test").await;

    // Ben's provider reports him as spam (RFC 5965); Ann's server says she does not exist
    // (RFC 3464).
    imap.deliver(
        USER,
        PASSWORD,
        &format!(
            "From: fbl@isp.test\nTo: {USER}\nSubject: Complaint\nMIME-Version: 1.0\n\
             Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\n\n\
             --F\nContent-Type: text/plain\n\nA complaint about a message.\n\
             --F\nContent-Type: message/feedback-report\n\n\
             Feedback-Type: abuse\nUser-Agent: ISP-FBL/1.0\nVersion: 1\n\
             Original-Rcpt-To: ben@client.test\n\n\
             --F\nContent-Type: text/rfc822-headers\n\n\
             From: {USER}\nTo: ben@client.test\nMessage-ID: {to_ben}\n\n--F--\n"
        ),
        None,
    )
    .await;
    imap.deliver(
        USER,
        PASSWORD,
        &format!(
            "From: MAILER-DAEMON@mx.client.test\nTo: {USER}\n\
             Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n\
             Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n\
             --B\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n\
             --B\nContent-Type: message/delivery-status\n\n\
             Reporting-MTA: dns; mx.client.test\n\n\
             Final-Recipient: rfc822; ann@client.test\nAction: failed\nStatus: 5.1.1\n\
             Diagnostic-Code: smtp; 550 5.1.1 User unknown\n\n\
             --B\nContent-Type: text/rfc822-headers\n\n\
             From: {USER}\nTo: ann@client.test\nMessage-ID: {to_ann}\nSubject: Quick question\n\n\
             --B--\n"
        ),
        None,
    )
    .await;

    let summary = check(&owner, &box_id).await;
    assert_eq!(summary["bounces"], 1, "{summary}");
    assert_eq!(summary["complaints"], 1, "{summary}");

    let ann = messages(
        &owner,
        &format!("campaign_id={id}&to_address=ann@client.test"),
    )
    .await;
    assert_eq!(ann[0]["state"], "bounced");
    assert!(ann[0]["response"].as_str().unwrap().starts_with("5.1.1"));
    assert_eq!(
        enrollment_of(&owner, &id, &leads[0]).await["stop_reason"],
        "bounced"
    );
    assert_eq!(
        enrollment_of(&owner, &id, &leads[1]).await["stop_reason"],
        "complained"
    );
    assert_eq!(
        enrollment_of(&owner, &id, &leads[2]).await["status"],
        "active"
    );
    assert_eq!(
        suppressed(&owner).await,
        [
            ("ann@client.test", "bounced"),
            ("ben@client.test", "complaint")
        ]
        .map(|(e, r)| (e.to_owned(), r.to_owned()))
    );

    // One bounce in four is past 20%: the mailbox and the campaign paused themselves, saying why.
    let mailbox = expect(
        owner
            .get(&format!("/api/v1/outreach/mailboxes/{box_id}"))
            .await,
        200,
    )
    .await;
    assert_eq!(mailbox["status"], "paused");
    assert_eq!(
        mailbox["paused_reason"],
        "bounce rate 25.0% (1 of 4 in 30 days) passed 20.0%"
    );
    let campaign = expect(
        owner.get(&format!("/api/v1/outreach/campaigns/{id}")).await,
        200,
    )
    .await;
    assert_eq!(campaign["status"], "paused");
    assert!(campaign["paused_reason"]
        .as_str()
        .unwrap()
        .starts_with("bounce rate 25.0%"));

    // It cannot start again while its only mailbox is paused; once the mailbox is back, it can,
    // and the reason is gone.
    problem(
        owner
            .post_json(
                &format!("/api/v1/outreach/campaigns/{id}/activate"),
                &json!({}),
            )
            .await,
        409,
    )
    .await;
    let mut back = json!({"status": "active"});
    for key in [
        "name",
        "from_address",
        "from_name",
        "signature",
        "smtp_host",
        "smtp_port",
        "smtp_security",
        "daily_cap",
        "warmup_enabled",
        "warmup_start",
        "warmup_step",
        "min_gap_seconds",
        "max_gap_seconds",
    ] {
        back[key] = mailbox[key].clone();
    }
    let mailbox = expect(
        owner
            .put_json(&format!("/api/v1/outreach/mailboxes/{box_id}"), &back)
            .await,
        200,
    )
    .await;
    assert_eq!(mailbox["paused_reason"], Value::Null);
    activate(&owner, &id).await;
    let campaign = expect(
        owner.get(&format!("/api/v1/outreach/campaigns/{id}")).await,
        200,
    )
    .await;
    assert_eq!(campaign["paused_reason"], Value::Null);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_sweep_claims_each_due_inbox_once_per_lease(pool: PgPool) {
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let box_id = mailbox(&owner, USER, &sink(&app), json!({})).await;
    let path = format!("/api/v1/outreach/mailboxes/{box_id}/inbox");
    problem(owner.get(&path).await, 404).await;
    let on = json!({"host": "127.0.0.1", "port": 1143, "security": "none"});
    let inbox = expect(owner.put_json(&path, &on).await, 200).await;
    assert_eq!(inbox["has_password"], false, "the SMTP password is used");
    let claim = || async {
        sqlx::query_scalar::<_, uuid::Uuid>("SELECT mailbox_id FROM outreach_claim_inboxes(100)")
            .fetch_all(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(claim().await, vec![box_id.parse::<uuid::Uuid>().unwrap()]);
    assert!(claim().await.is_empty(), "leased for five minutes");
    let mut off = on.clone();
    off["enabled"] = json!(false);
    expect(owner.put_json(&path, &off).await, 200).await;
    assert!(claim().await.is_empty(), "a disabled inbox is not checked");
    expect(owner.delete(&path).await, 204).await;
    problem(owner.get(&path).await, 404).await;
    app.stop().await;
}
