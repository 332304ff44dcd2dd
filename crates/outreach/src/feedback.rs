//! Bounce and complaint notifications from sending providers: what their webhooks say, read
//! into the same [`Inbound`] a bounce report in an inbox is.
//!
//! - **Amazon SES** notifies through **SNS**: every message is signed by SNS (RSA over a
//!   canonical string of its fields, SHA-1 for `SignatureVersion` 1, SHA-256 for 2) with a
//!   certificate fetched from its `SigningCertURL`, which must be HTTPS on
//!   `sns.<region>.amazonaws.com`. A `SubscriptionConfirmation` is confirmed by visiting its
//!   `SubscribeURL` (same rule). A `Bounce` with `bounceType: Permanent` or a `Complaint`
//!   counts; the original `Message-ID` (SES's `commonHeaders`) names our message.
//! - **Resend** signs like Standard Webhooks (Svix header names); `email.bounced` (unless its
//!   bounce type says it was transient) and `email.complained` count.
//! - **Postmark** has no signature: its URL's random token is the secret. `Bounce` records of a
//!   hard type (`HardBounce`, `BadEmailAddress`) and `SpamComplaint` records count.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use chrono::{DateTime, Utc};
use reqwest::Url;
use ring::signature::{
    UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY, RSA_PKCS1_2048_8192_SHA256,
};
use serde_json::Value;
use x509_cert::der::DecodePem;

use crate::inbound::{Inbound, Kind};

/// One bounce or complaint a provider reported, with the key that keeps it from counting twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub key: String,
    pub inbound: Inbound,
}

fn notice(
    key: String,
    kind: Kind,
    address: &str,
    refers_to: Vec<String>,
    detail: String,
) -> Notice {
    Notice {
        key,
        inbound: Inbound {
            kind,
            from: address.trim().to_lowercase(),
            subject: String::new(),
            snippet: String::new(),
            detail: Some(detail.chars().take(1000).collect()),
            message_id: None,
            refers_to,
            received_at: None,
        },
    }
}

fn text<'v>(value: &'v Value, pointer: &str) -> &'v str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// An SES notification (the `Message` of an SNS `Notification`, already verified).
pub fn ses(sns_message_id: &str, message: &Value) -> Vec<Notice> {
    let ours: Vec<String> = Some(text(message, "/mail/commonHeaders/messageId"))
        .filter(|id| !id.is_empty())
        .map(|id| vec![format!("<{}>", id.trim_matches(['<', '>']))])
        .unwrap_or_default();
    let key = |address: &str| format!("ses:{sns_message_id}:{}", address.to_lowercase());
    match text(message, "/notificationType") {
        "Bounce" if text(message, "/bounce/bounceType") == "Permanent" => message
            .pointer("/bounce/bouncedRecipients")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|r| {
                let address = text(r, "/emailAddress");
                let detail = format!(
                    "SES: {} {} {}",
                    text(message, "/bounce/bounceSubType"),
                    text(r, "/status"),
                    text(r, "/diagnosticCode")
                );
                notice(
                    key(address),
                    Kind::Bounce,
                    address,
                    ours.clone(),
                    detail.trim().to_owned(),
                )
            })
            .collect(),
        "Complaint" => message
            .pointer("/complaint/complainedRecipients")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|r| {
                let address = text(r, "/emailAddress");
                let feedback = text(message, "/complaint/complaintFeedbackType");
                let detail = format!(
                    "SES complaint: {}",
                    if feedback.is_empty() {
                        "abuse"
                    } else {
                        feedback
                    }
                );
                notice(key(address), Kind::Complaint, address, ours.clone(), detail)
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A Resend event (its signature already verified); `delivery` is its `svix-id`.
pub fn resend(delivery: &str, event: &Value) -> Vec<Notice> {
    let kind = match text(event, "/type") {
        "email.bounced" => {
            let bounce_type = text(event, "/data/bounce/type").to_ascii_lowercase();
            if !bounce_type.is_empty() && bounce_type != "permanent" {
                return Vec::new();
            }
            Kind::Bounce
        }
        "email.complained" => Kind::Complaint,
        _ => return Vec::new(),
    };
    let detail = match kind {
        Kind::Bounce => format!("Resend: {}", text(event, "/data/bounce/message")),
        _ => "Resend: marked as spam".to_owned(),
    };
    event
        .pointer("/data/to")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|address| {
            notice(
                format!("resend:{delivery}:{}", address.to_lowercase()),
                kind,
                address,
                Vec::new(),
                detail.trim().to_owned(),
            )
        })
        .collect()
}

/// A Postmark webhook record.
pub fn postmark(record: &Value) -> Vec<Notice> {
    let id = record
        .get("ID")
        .map(|id| id.to_string().trim_matches('"').to_owned())
        .unwrap_or_default();
    let address = text(record, "/Email");
    if id.is_empty() || address.is_empty() {
        return Vec::new();
    }
    let (kind, detail) = match text(record, "/RecordType") {
        "Bounce" if matches!(text(record, "/Type"), "HardBounce" | "BadEmailAddress") => (
            Kind::Bounce,
            format!(
                "Postmark {}: {}",
                text(record, "/Type"),
                text(record, "/Description")
            ),
        ),
        "SpamComplaint" => (Kind::Complaint, "Postmark: spam complaint".to_owned()),
        _ => return Vec::new(),
    };
    vec![notice(
        format!("postmark:{}:{id}", text(record, "/RecordType")),
        kind,
        address,
        Vec::new(),
        detail,
    )]
}

/// Checks SNS messages' signatures; the signing certificates are fetched once and kept.
pub struct Sns {
    http: reqwest::Client,
    keys: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    /// Dev and tests: certificate and subscription URLs may be plain HTTP on this machine.
    allow_local: bool,
}

/// Certificates kept at most (SNS rotates them rarely).
const KEPT_KEYS: usize = 64;

impl Sns {
    pub fn new(allow_local: bool) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self {
            http,
            keys: Mutex::new(HashMap::new()),
            allow_local,
        }
    }

    /// An SNS URL: HTTPS on `sns.<region>.amazonaws.com` (or `.com.cn`); plain HTTP on this
    /// machine when allowed.
    pub fn check_url(&self, raw: &str) -> Result<Url, String> {
        let url = Url::parse(raw).map_err(|_| format!("not a URL: {raw}"))?;
        let host = url.host_str().unwrap_or_default();
        let amazon = url.scheme() == "https"
            && {
                let labels: Vec<&str> = host.split('.').collect();
                matches!(
                    labels.as_slice(),
                    ["sns", region, "amazonaws", "com"] | ["sns", region, "amazonaws", "com", "cn"]
                        if !region.is_empty() && region.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                )
            };
        let local = self.allow_local
            && url.scheme() == "http"
            && matches!(host, "127.0.0.1" | "localhost" | "[::1]");
        if amazon || local {
            Ok(url)
        } else {
            Err(format!("{raw} is not an Amazon SNS address"))
        }
    }

    /// Verifies an SNS message (a `Notification` or a subscription message).
    pub async fn verify(&self, message: &Value) -> Result<(), String> {
        let signed = string_to_sign(message)?;
        let algorithm = match text(message, "/SignatureVersion") {
            "1" => &RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
            "2" => &RSA_PKCS1_2048_8192_SHA256,
            other => return Err(format!("unknown SignatureVersion {other:?}")),
        };
        let signature = base64::engine::general_purpose::STANDARD
            .decode(text(message, "/Signature"))
            .map_err(|_| "the Signature is not base64".to_owned())?;
        let cert_url = self.check_url(text(message, "/SigningCertURL"))?;
        if !cert_url.path().ends_with(".pem") {
            return Err("the SigningCertURL is not a .pem".into());
        }
        let key = self.public_key(&cert_url).await?;
        UnparsedPublicKey::new(algorithm, key.as_slice())
            .verify(signed.as_bytes(), &signature)
            .map_err(|_| "the signature does not match".to_owned())
    }

    /// Confirms a subscription by visiting its `SubscribeURL`.
    pub async fn confirm(&self, message: &Value) -> Result<(), String> {
        let url = self.check_url(text(message, "/SubscribeURL"))?;
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| format!("confirming the subscription: {e}"))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(format!(
                "confirming the subscription: {}",
                response.status()
            ))
        }
    }

    async fn public_key(&self, url: &Url) -> Result<Arc<Vec<u8>>, String> {
        if let Some(key) = self.lock().get(url.as_str()) {
            return Ok(key.clone());
        }
        let pem = self
            .http
            .get(url.clone())
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| format!("fetching the signing certificate: {e}"))?
            .text()
            .await
            .map_err(|e| format!("fetching the signing certificate: {e}"))?;
        let cert = x509_cert::Certificate::from_pem(pem.trim().as_bytes())
            .map_err(|e| format!("the signing certificate: {e}"))?;
        let validity = &cert.tbs_certificate.validity;
        let now = Utc::now().timestamp();
        let seconds = |t: x509_cert::time::Time| {
            i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
        };
        if now < seconds(validity.not_before) || now > seconds(validity.not_after) {
            return Err("the signing certificate is not valid now".into());
        }
        let key = Arc::new(
            cert.tbs_certificate
                .subject_public_key_info
                .subject_public_key
                .raw_bytes()
                .to_vec(),
        );
        let mut keys = self.lock();
        if keys.len() >= KEPT_KEYS {
            keys.clear();
        }
        keys.insert(url.to_string(), key.clone());
        Ok(key)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Vec<u8>>>> {
        self.keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The string SNS signs: named fields as `Name\nvalue\n`, in this order, absent optional ones
/// (a notification's `Subject`) left out.
pub fn string_to_sign(message: &Value) -> Result<String, String> {
    let fields: &[&str] = match text(message, "/Type") {
        "Notification" => &[
            "Message",
            "MessageId",
            "Subject",
            "Timestamp",
            "TopicArn",
            "Type",
        ],
        "SubscriptionConfirmation" | "UnsubscribeConfirmation" => &[
            "Message",
            "MessageId",
            "SubscribeURL",
            "Timestamp",
            "Token",
            "TopicArn",
            "Type",
        ],
        other => return Err(format!("unknown SNS message Type {other:?}")),
    };
    let mut out = String::new();
    for field in fields {
        match message.get(*field).and_then(Value::as_str) {
            Some(value) => {
                out.push_str(field);
                out.push('\n');
                out.push_str(value);
                out.push('\n');
            }
            None if *field == "Subject" => {}
            None => return Err(format!("the SNS message has no {field}")),
        }
    }
    Ok(out)
}

/// When a notification was sent, if it says.
pub fn sent_at(message: &Value) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text(message, "/Timestamp"))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn ses_permanent_bounces_and_complaints_count_and_transient_ones_do_not() {
        let bounce = json!({
            "notificationType": "Bounce",
            "bounce": {"bounceType": "Permanent", "bounceSubType": "General",
                "bouncedRecipients": [{"emailAddress": "Ann@Client.test", "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1 user unknown"}]},
            "mail": {"commonHeaders": {"messageId": "<abc@acme.test>"}}
        });
        let notices = ses("sns-1", &bounce);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].key, "ses:sns-1:ann@client.test");
        assert_eq!(notices[0].inbound.kind, Kind::Bounce);
        assert_eq!(notices[0].inbound.from, "ann@client.test");
        assert_eq!(
            notices[0].inbound.refers_to,
            vec!["<abc@acme.test>".to_owned()]
        );
        let mut transient = bounce.clone();
        transient["bounce"]["bounceType"] = json!("Transient");
        assert!(ses("sns-2", &transient).is_empty());
        let complaint = json!({
            "notificationType": "Complaint",
            "complaint": {"complainedRecipients": [{"emailAddress": "ben@client.test"}]},
            "mail": {"commonHeaders": {"messageId": "abc@acme.test"}}
        });
        let notices = ses("sns-3", &complaint);
        assert_eq!(notices[0].inbound.kind, Kind::Complaint);
        assert_eq!(
            notices[0].inbound.refers_to,
            vec!["<abc@acme.test>".to_owned()]
        );
    }

    #[test]
    fn resend_and_postmark_records_are_read() {
        let bounced = json!({"type": "email.bounced", "data": {"to": ["ann@client.test"],
            "bounce": {"type": "Permanent", "message": "mailbox does not exist"}}});
        let notices = resend("msg_1", &bounced);
        assert_eq!(notices[0].key, "resend:msg_1:ann@client.test");
        assert_eq!(notices[0].inbound.kind, Kind::Bounce);
        assert!(resend(
            "msg_2",
            &json!({"type": "email.delivered", "data": {"to": ["a@b.c"]}})
        )
        .is_empty());
        let hard = json!({"RecordType": "Bounce", "ID": 42, "Type": "HardBounce",
            "Email": "ann@client.test", "Description": "The server was unable to deliver"});
        assert_eq!(postmark(&hard)[0].key, "postmark:Bounce:42");
        let soft =
            json!({"RecordType": "Bounce", "ID": 43, "Type": "SoftBounce", "Email": "a@b.c"});
        assert!(postmark(&soft).is_empty());
        let spam = json!({"RecordType": "SpamComplaint", "ID": 44, "Email": "ben@client.test"});
        assert_eq!(postmark(&spam)[0].inbound.kind, Kind::Complaint);
    }

    #[test]
    fn only_sns_hosts_are_trusted() {
        let sns = Sns::new(false);
        assert!(sns
            .check_url("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-1.pem")
            .is_ok());
        assert!(sns
            .check_url("https://sns.cn-north-1.amazonaws.com.cn/x.pem")
            .is_ok());
        for bad in [
            "http://sns.eu-west-1.amazonaws.com/x.pem",
            "https://sns.eu-west-1.amazonaws.com.evil.test/x.pem",
            "https://evil.test/sns.eu-west-1.amazonaws.com/x.pem",
            "https://s3.amazonaws.com/x.pem",
            "http://127.0.0.1:8080/x.pem",
        ] {
            assert!(sns.check_url(bad).is_err(), "{bad}");
        }
        assert!(Sns::new(true)
            .check_url("http://127.0.0.1:8080/x.pem")
            .is_ok());
    }

    #[test]
    fn the_string_to_sign_follows_the_field_order_and_skips_a_missing_subject() {
        let message = json!({"Type": "Notification", "MessageId": "m", "TopicArn": "t",
            "Message": "{}", "Timestamp": "2026-12-07T10:00:00.000Z", "SignatureVersion": "1"});
        assert_eq!(
            string_to_sign(&message).unwrap(),
            "Message\n{}\nMessageId\nm\nTimestamp\n2026-12-07T10:00:00.000Z\nTopicArn\nt\nType\nNotification\n"
        );
        assert!(string_to_sign(&json!({"Type": "Other"})).is_err());
    }
}
