//! Providers' bounce and complaint notifications: SES through SNS (signed with a certificate
//! served from a fake SigningCertURL, subscription confirmed), Resend (Svix-signed, replays and
//! forgeries refused) and Postmark; each suppresses the address and stops its sequences, and a
//! source's URL only ever reaches its own tenant.

use base64::Engine;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{expect, problem, FakeProvider, Session};

use crate::common::{
    activate, campaign, enroll, lead, mailbox, messages, sink, spawn, start_worker, suppressed,
    wait_for_state,
};

const CERT: &str = include_str!("../fixtures/sns-signing.cert.pem");
const KEY: &str = include_str!("../fixtures/sns-signing.key.pem");

/// Signs an SNS message as SNS does: RSA PKCS#1 v1.5 over the string to sign, with SHA-1 for
/// version "1" and SHA-256 for "2".
fn sns_sign(mut message: Value, cert_url: &str, version: &str) -> Value {
    message["SignatureVersion"] = json!(version);
    message["SigningCertURL"] = json!(cert_url);
    let text = outreach::feedback::string_to_sign(&message).unwrap();
    // The DER DigestInfo prefixes of RFC 8017, section 9.2.
    let (algorithm, prefix): (_, &[u8]) = if version == "1" {
        (
            &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ],
        )
    } else {
        (
            &ring::digest::SHA256,
            &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
        )
    };
    let digest = ring::digest::digest(algorithm, text.as_bytes());
    let key = RsaPrivateKey::from_pkcs8_pem(KEY).unwrap();
    let signature = key
        .sign(
            Pkcs1v15Sign::new_unprefixed(),
            &[prefix, digest.as_ref()].concat(),
        )
        .unwrap();
    message["Signature"] = json!(base64::engine::general_purpose::STANDARD.encode(signature));
    message
}

async fn post_raw(
    session: &Session,
    url: &str,
    body: &[u8],
    headers: &[(&str, String)],
) -> testkit::reqwest::Response {
    let mut request = testkit::reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_vec());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let _ = session;
    request.send().await.unwrap()
}

async fn source(session: &Session, provider: &str, body: Value) -> String {
    expect(
        session
            .put_json(
                &format!("/api/v1/outreach/feedback-sources/{provider}"),
                &body,
            )
            .await,
        200,
    )
    .await["url"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn state_of(log: &[Value], to: &str) -> String {
    log.iter()
        .find(|m| m["to_address"] == to)
        .map(|m| m["state"].as_str().unwrap().to_owned())
        .unwrap()
}

#[sqlx::test(migrations = "../../migrations")]
async fn provider_notifications_are_verified_and_suppress_the_addresses(pool: PgPool) {
    let aws = FakeProvider::start(|call, _| {
        if call.path.ends_with(".pem") {
            actix_web::HttpResponse::Ok().body(CERT)
        } else {
            actix_web::HttpResponse::Ok().body("<ConfirmSubscriptionResponse/>")
        }
    })
    .await;
    let app = spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let mut leads = Vec::new();
    for name in ["ann", "ben", "cid"] {
        leads.push(lead(&owner, json!({"email": format!("{name}@client.test")})).await);
    }
    let box_id = mailbox(&owner, "sales@acme.test", &sink(&app), json!({})).await;
    let id = campaign(
        &owner,
        &[&box_id],
        json!([
            {"delay_minutes": 0, "variants": [{"subject": "Hello", "body": "Hi"}]},
            {"delay_minutes": 60, "variants": [{"subject": "Again", "body": "Hi again"}]}
        ]),
    )
    .await;
    activate(&owner, &id).await;
    let _worker = start_worker(&app);
    let refs: Vec<&str> = leads.iter().map(String::as_str).collect();
    enroll(&owner, &id, &refs).await;
    let sent = wait_for_state(&owner, &id, "sent", 3).await;
    let ann_message_id = sent
        .iter()
        .find(|m| m["to_address"] == "ann@client.test")
        .unwrap()["message_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Setting the sources up.
    let missing = problem(
        owner
            .put_json("/api/v1/outreach/feedback-sources/resend", &json!({}))
            .await,
        422,
    )
    .await;
    assert!(
        missing["errors"].get("signing_secret").is_some(),
        "{missing}"
    );
    let resend_secret = format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode([7u8; 32])
    );
    let resend_url = source(&owner, "resend", json!({"signing_secret": resend_secret})).await;
    let ses_url = source(&owner, "ses", json!({})).await;
    let postmark_url = source(&owner, "postmark", json!({})).await;
    assert!(
        ses_url.contains("/api/v1/outreach/feedback/ses/"),
        "{ses_url}"
    );
    assert_eq!(
        source(&owner, "ses", json!({})).await,
        ses_url,
        "the URL stays when the source is set again"
    );
    let listed = expect(owner.get("/api/v1/outreach/feedback-sources").await, 200).await;
    assert_eq!(listed.as_array().unwrap().len(), 3);
    let local = |url: &str| app.url(&url[url.find("/api/").unwrap()..]);

    // SES: the subscription is confirmed, then a permanent bounce of Ann is applied.
    let cert_url = format!("{}/certs/SimpleNotificationService-test.pem", aws.url);
    let subscribe = sns_sign(
        json!({
            "Type": "SubscriptionConfirmation", "MessageId": "sub-1", "Token": "tok",
            "TopicArn": "arn:aws:sns:eu-west-1:123:ses-feedback",
            "Message": "You have chosen to subscribe to the topic",
            "SubscribeURL": format!("{}/confirm?Token=tok", aws.url),
            "Timestamp": "2026-12-07T10:00:00.000Z",
        }),
        &cert_url,
        "2",
    );
    let res = post_raw(
        &owner,
        &local(&ses_url),
        subscribe.to_string().as_bytes(),
        &[],
    )
    .await;
    assert_eq!(res.status(), 200);
    assert!(
        aws.calls().iter().any(|c| c.path == "/confirm"),
        "the SubscribeURL was visited: {:?}",
        aws.calls()
    );
    let bounce = json!({
        "notificationType": "Bounce",
        "bounce": {"bounceType": "Permanent", "bounceSubType": "General",
            "bouncedRecipients": [{"emailAddress": "ann@client.test", "status": "5.1.1",
                "diagnosticCode": "smtp; 550 5.1.1 user unknown"}]},
        "mail": {"commonHeaders": {"messageId": ann_message_id}}
    });
    let notification = sns_sign(
        json!({
            "Type": "Notification", "MessageId": "n-1",
            "TopicArn": "arn:aws:sns:eu-west-1:123:ses-feedback",
            "Message": bounce.to_string(), "Timestamp": "2026-12-07T10:01:00.000Z",
        }),
        &cert_url,
        "1",
    );
    let mut forged = notification.clone();
    forged["Message"] = json!(bounce.to_string().replace("ann@", "cid@"));
    let res = post_raw(&owner, &local(&ses_url), forged.to_string().as_bytes(), &[]).await;
    problem(res, 401).await;
    let res = post_raw(
        &owner,
        &local(&ses_url),
        notification.to_string().as_bytes(),
        &[],
    )
    .await;
    assert_eq!(expect(res, 200).await, json!({"applied": 1}));
    let res = post_raw(
        &owner,
        &local(&ses_url),
        notification.to_string().as_bytes(),
        &[],
    )
    .await;
    assert_eq!(
        expect(res, 200).await,
        json!({"applied": 0}),
        "SNS redelivers: once only"
    );

    // Resend: Ben complained (Svix-signed); a replay and a forgery are refused.
    let body = json!({"type": "email.complained", "created_at": "2026-12-07T10:02:00Z",
        "data": {"email_id": "re_1", "to": ["ben@client.test"], "from": "sales@acme.test"}})
    .to_string();
    let now = chrono::Utc::now().timestamp();
    let secret = kernel::webhooks::WebhookSecret::standard(&resend_secret).unwrap();
    let signature = kernel::webhooks::sign_standard(&secret, "msg_1", now, body.as_bytes());
    let svix = vec![
        ("svix-id", "msg_1".to_owned()),
        ("svix-timestamp", now.to_string()),
        ("svix-signature", signature),
    ];
    let res = post_raw(&owner, &local(&resend_url), body.as_bytes(), &svix).await;
    assert_eq!(expect(res, 200).await, json!({"applied": 1}));
    let res = post_raw(&owner, &local(&resend_url), body.as_bytes(), &svix).await;
    problem(res, 409).await;
    let forged = vec![
        ("svix-id", "msg_2".to_owned()),
        ("svix-timestamp", now.to_string()),
        (
            "svix-signature",
            "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned(),
        ),
    ];
    let res = post_raw(&owner, &local(&resend_url), body.as_bytes(), &forged).await;
    problem(res, 401).await;

    // Postmark: a hard bounce of an address we never wrote to changes nothing.
    let record = json!({"RecordType": "Bounce", "ID": 4323372036854775807_i64, "Type": "HardBounce",
        "Email": "stranger@elsewhere.test", "Description": "Unknown user"});
    let res = post_raw(
        &owner,
        &local(&postmark_url),
        record.to_string().as_bytes(),
        &[],
    )
    .await;
    assert_eq!(expect(res, 200).await, json!({"applied": 0}));
    let res = post_raw(&owner, &local(&postmark_url), b"not json", &[]).await;
    problem(res, 400).await;

    let log = messages(&owner, &format!("campaign_id={id}")).await;
    assert_eq!(state_of(&log, "ann@client.test"), "bounced");
    assert_eq!(state_of(&log, "ben@client.test"), "sent");
    assert_eq!(
        suppressed(&owner).await,
        [
            ("ann@client.test", "bounced"),
            ("ben@client.test", "complaint")
        ]
        .map(|(e, r)| (e.to_owned(), r.to_owned()))
    );

    // Another tenant's sources are its own; a token never crosses providers or tenants.
    let other = app.sign_up("globex").await;
    assert_eq!(
        expect(other.get("/api/v1/outreach/feedback-sources").await, 200).await,
        json!([])
    );
    let token = ses_url.rsplit('/').next().unwrap();
    let res = post_raw(
        &owner,
        &app.url(&format!("/api/v1/outreach/feedback/postmark/{token}")),
        record.to_string().as_bytes(),
        &[],
    )
    .await;
    problem(res, 404).await;
    expect(
        other.delete("/api/v1/outreach/feedback-sources/ses").await,
        404,
    )
    .await;
    expect(
        owner.delete("/api/v1/outreach/feedback-sources/ses").await,
        204,
    )
    .await;
    let res = post_raw(
        &owner,
        &local(&ses_url),
        notification.to_string().as_bytes(),
        &[],
    )
    .await;
    problem(res, 404).await;
    app.stop().await;
}
