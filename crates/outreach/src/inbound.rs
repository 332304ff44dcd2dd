//! What a message that arrived in a mailbox is: a person's reply, an auto-reply, a bounce
//! report or a complaint, and which of our messages it is about.
//!
//! - Bounces are delivery status notifications (RFC 3464: `multipart/report;
//!   report-type=delivery-status`); a recipient whose `Action` is `failed` with a `5.x.x`
//!   status bounced for good (a `4.x.x` delay is not a bounce). The returned message (or its
//!   headers) names our Message-ID. A mailer-daemon's plain-text bounce counts when it quotes
//!   one of our Message-IDs and says it failed.
//! - Complaints are abuse feedback reports (RFC 5965: `report-type=feedback-report`).
//! - Auto-replies carry `Auto-Submitted` other than `no` (RFC 3834), `X-Autoreply`,
//!   `X-Autorespond`, `Precedence: auto_reply|bulk|junk`, or an out-of-office subject in one
//!   of the common languages.
//! - Everything else is a reply; it is about our message if its `In-Reply-To`/`References`
//!   name one (else the caller may match the sender's address).

use chrono::{DateTime, TimeZone, Utc};
use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

/// What kind of message came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Reply,
    AutoReply,
    Bounce,
    Complaint,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reply => "reply",
            Self::AutoReply => "auto_reply",
            Self::Bounce => "bounce",
            Self::Complaint => "complaint",
        }
    }
}

/// A message that arrived, read for what matters here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    pub kind: Kind,
    /// The sender (lower case); for a bounce, the address that failed when the report says.
    pub from: String,
    pub subject: String,
    /// The start of the new text (quoted lines left out).
    pub snippet: String,
    /// Why it was classed so.
    pub detail: Option<String>,
    /// Its own Message-ID, in angle brackets.
    pub message_id: Option<String>,
    /// Message-IDs (in angle brackets) it refers to: ours, if it is about one of ours.
    pub refers_to: Vec<String>,
    pub received_at: Option<DateTime<Utc>>,
}

/// Longest snippet kept.
const SNIPPET_CHARS: usize = 2000;

/// Reads `raw`; `None` when it is not a message at all.
pub fn read(raw: &[u8]) -> Option<Inbound> {
    let message = MessageParser::default().parse(raw)?;
    let from = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_default()
        .to_lowercase();
    let subject = message.subject().unwrap_or_default().trim().to_owned();
    let mut inbound = Inbound {
        kind: Kind::Reply,
        from,
        subject,
        snippet: String::new(),
        detail: None,
        message_id: message.message_id().map(bracket),
        refers_to: Vec::new(),
        received_at: message
            .date()
            .and_then(|d| Utc.timestamp_opt(d.to_timestamp(), 0).single()),
    };
    if is_report(&message) {
        // A report that is neither a permanent failure nor a complaint (a delay, a delivery
        // receipt) changes nothing.
        let report = report(raw, &message)?;
        inbound.kind = report.kind;
        inbound.detail = Some(report.detail);
        inbound.refers_to = report.refers_to;
        if let Some(recipient) = report.recipient {
            inbound.from = recipient;
        }
        inbound.snippet = snippet(&message);
        return Some(inbound);
    }
    inbound.refers_to = ids(message.in_reply_to().as_text_list())
        .into_iter()
        .chain(ids(message.references().as_text_list()))
        .collect();
    if inbound.refers_to.is_empty() {
        // A single id comes as text, not a list.
        inbound.refers_to = message
            .in_reply_to()
            .as_text()
            .into_iter()
            .chain(message.references().as_text())
            .map(bracket)
            .collect();
    }
    let mut seen = std::collections::HashSet::new();
    inbound.refers_to.retain(|id| seen.insert(id.clone()));
    inbound.snippet = snippet(&message);
    if let Some(bounce) = plain_bounce(raw, &inbound) {
        inbound.kind = Kind::Bounce;
        inbound.detail = Some("a mailer-daemon's failure notice".into());
        inbound.refers_to = bounce;
    } else if let Some(why) = auto_reply(&message, &inbound.subject) {
        inbound.kind = Kind::AutoReply;
        inbound.detail = Some(why);
    }
    Some(inbound)
}

fn bracket(id: &str) -> String {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    format!("<{id}>")
}

fn ids(list: Option<&[std::borrow::Cow<'_, str>]>) -> Vec<String> {
    list.unwrap_or_default()
        .iter()
        .map(|s| bracket(s))
        .collect()
}

/// The auto-reply marker, if the message has one.
fn auto_reply(message: &Message<'_>, subject: &str) -> Option<String> {
    let header = |name: &str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_ascii_lowercase())
    };
    if let Some(value) = header("Auto-Submitted") {
        if value != "no" && !value.is_empty() {
            return Some(format!("Auto-Submitted: {value}"));
        }
    }
    for name in ["X-Autoreply", "X-Autorespond"] {
        if header(name).is_some() {
            return Some(format!("{name} header"));
        }
    }
    if let Some(value) = header("Precedence") {
        if matches!(value.as_str(), "auto_reply" | "bulk" | "junk") {
            return Some(format!("Precedence: {value}"));
        }
    }
    let subject = subject.to_lowercase();
    const OUT_OF_OFFICE: &[&str] = &[
        "out of office",
        "out of the office",
        "automatic reply",
        "auto-reply",
        "autoreply",
        "auto reply",
        "away from the office",
        "on vacation",
        "abwesenheitsnotiz",
        "automatische antwort",
        "réponse automatique",
        "absence du bureau",
        "respuesta automática",
        "fuera de la oficina",
        "risposta automatica",
        "fuori ufficio",
        "automatisch antwoord",
        "afwezigheidsbericht",
        "resposta automática",
    ];
    OUT_OF_OFFICE
        .iter()
        .find(|p| subject.contains(*p))
        .map(|p| format!("subject says \"{p}\""))
}

struct Report {
    kind: Kind,
    detail: String,
    recipient: Option<String>,
    refers_to: Vec<String>,
}

/// Is it a report (RFC 6522 `multipart/report`)?
fn is_report(message: &Message<'_>) -> bool {
    message.root_part().content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    })
}

/// A report's permanent failure or complaint.
fn report(raw: &[u8], message: &Message<'_>) -> Option<Report> {
    let content_type = message.root_part().content_type()?;
    let report_type = content_type.attribute("report-type")?.to_ascii_lowercase();
    let mut fields = None;
    let mut refers_to = Vec::new();
    for part in &message.parts {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let ty = format!(
            "{}/{}",
            ct.ctype().to_ascii_lowercase(),
            ct.subtype().unwrap_or_default().to_ascii_lowercase()
        );
        match ty.as_str() {
            "message/delivery-status"
            | "message/global-delivery-status"
            | "message/feedback-report" => fields = Some(status_fields(body_bytes(raw, part))),
            "message/rfc822" | "message/global" | "text/rfc822-headers" => {
                let returned = match &part.body {
                    PartType::Message(inner) => inner.message_id().map(bracket),
                    _ => MessageParser::default()
                        .parse(body_bytes(raw, part))
                        .and_then(|m| m.message_id().map(bracket)),
                };
                refers_to.extend(returned);
            }
            _ => {}
        }
    }
    let fields = fields?;
    match report_type.as_str() {
        "delivery-status" => {
            // Per-recipient blocks: the first that failed for good.
            let failed = fields.iter().find(|block| {
                let action = value(block, "action").unwrap_or_default().to_lowercase();
                let status = value(block, "status").unwrap_or_default();
                action == "failed" && status.trim_start().starts_with('5')
            })?;
            let status = value(failed, "status").unwrap_or_default();
            let code = value(failed, "diagnostic-code").unwrap_or_default();
            Some(Report {
                kind: Kind::Bounce,
                detail: format!("{status} {code}")
                    .trim()
                    .chars()
                    .take(1000)
                    .collect(),
                recipient: value(failed, "final-recipient")
                    .or_else(|| value(failed, "original-recipient"))
                    .map(address_of),
                refers_to,
            })
        }
        "feedback-report" => {
            let all: Vec<(String, String)> = fields.into_iter().flatten().collect();
            let feedback = value(&all, "feedback-type").unwrap_or("abuse").to_owned();
            Some(Report {
                kind: Kind::Complaint,
                detail: format!("Feedback-Type: {feedback}"),
                recipient: value(&all, "original-rcpt-to").map(address_of),
                refers_to,
            })
        }
        _ => None,
    }
}

/// The bytes of a part's body as they were sent (reports are 7-bit text).
fn body_bytes<'r>(raw: &'r [u8], part: &MessagePart<'_>) -> &'r [u8] {
    let start = usize::try_from(part.raw_body_offset()).unwrap_or(usize::MAX);
    let end = usize::try_from(part.raw_end_offset()).unwrap_or(usize::MAX);
    raw.get(start..end.min(raw.len())).unwrap_or_default()
}

/// Report fields: blocks of `Name: value` lines (continuations folded), split at blank lines;
/// names in lower case.
fn status_fields(bytes: &[u8]) -> Vec<Vec<(String, String)>> {
    let text = String::from_utf8_lossy(bytes);
    let mut blocks = Vec::new();
    let mut block: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !block.is_empty() {
                blocks.push(std::mem::take(&mut block));
            }
        } else if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = block.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            block.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    if !block.is_empty() {
        blocks.push(block);
    }
    blocks
}

fn value<'a>(block: &'a [(String, String)], name: &str) -> Option<&'a str> {
    block
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// `rfc822; someone@example.com` → `someone@example.com`.
fn address_of(field: &str) -> String {
    let address = field.split_once(';').map_or(field, |(_, a)| a);
    address
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_lowercase()
}

/// A failure notice without a report (some servers still send those): from a mailer-daemon or
/// postmaster, saying it failed, quoting Message-IDs. Returns the quoted ids.
fn plain_bounce(raw: &[u8], inbound: &Inbound) -> Option<Vec<String>> {
    let local = inbound.from.split('@').next().unwrap_or_default();
    if !matches!(local, "mailer-daemon" | "postmaster") {
        return None;
    }
    let subject = inbound.subject.to_lowercase();
    let failed = [
        "undeliver",
        "failure",
        "failed",
        "returned",
        "not delivered",
    ]
    .iter()
    .any(|w| subject.contains(w));
    if !failed {
        return None;
    }
    let text = String::from_utf8_lossy(raw);
    let quoted: Vec<String> = text
        .lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("message-id")
                .then(|| bracket(value))
        })
        .filter(|id| Some(id) != inbound.message_id.as_ref())
        .collect();
    (!quoted.is_empty()).then_some(quoted)
}

/// The new text of the message: quoted lines and the "On … wrote:" line before them left out.
fn snippet(message: &Message<'_>) -> String {
    let text = message
        .body_text(0)
        .map(|t| t.into_owned())
        .unwrap_or_default();
    let mut kept: Vec<&str> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('>') {
            continue;
        }
        if trimmed.starts_with("-----Original Message-----") {
            break;
        }
        kept.push(line);
    }
    // Drop the attribution line of the quote ("On Mon, … wrote:") at the end.
    while kept.last().is_some_and(|l| {
        let l = l.trim();
        l.is_empty()
            || (l.ends_with("wrote:") || l.ends_with("schrieb:") || l.ends_with("a écrit :"))
    }) {
        kept.pop();
    }
    kept.join("\n").trim().chars().take(SNIPPET_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crlf(text: &str) -> Vec<u8> {
        text.replace('\n', "\r\n").into_bytes()
    }

    #[test]
    fn a_reply_names_the_message_it_answers_and_keeps_only_the_new_text() {
        let raw = crlf(
            "From: Ada Lovelace <Ada@Example.com>\n\
             To: sales@agency.test\n\
             Subject: Re: Quick question\n\
             Message-ID: <reply-1@example.com>\n\
             In-Reply-To: <0190abc@agency.test>\n\
             References: <0190abc@agency.test>\n\
             Date: Mon, 07 Dec 2026 10:00:00 +0000\n\
             \n\
             Sounds good, call me Tuesday.\n\
             \n\
             On Mon, 7 Dec 2026, sales@agency.test wrote:\n\
             > Hi Ada,\n\
             > would you like a demo?\n",
        );
        let inbound = read(&raw).unwrap();
        assert_eq!(inbound.kind, Kind::Reply);
        assert_eq!(inbound.from, "ada@example.com");
        assert_eq!(inbound.refers_to, vec!["<0190abc@agency.test>".to_owned()]);
        assert_eq!(inbound.snippet, "Sounds good, call me Tuesday.");
        assert_eq!(inbound.message_id.as_deref(), Some("<reply-1@example.com>"));
        assert!(inbound.received_at.is_some());
    }

    #[test]
    fn auto_replies_are_told_by_their_headers_and_subjects() {
        let with = |headers: &str| {
            let raw = crlf(&format!(
                "From: ada@example.com\nTo: s@a.test\n{headers}\nIn-Reply-To: <m@a.test>\n\nAway.\n"
            ));
            read(&raw).unwrap()
        };
        assert_eq!(
            with("Subject: Re: hi\nAuto-Submitted: auto-replied").kind,
            Kind::AutoReply
        );
        assert_eq!(
            with("Subject: Re: hi\nAuto-Submitted: no").kind,
            Kind::Reply
        );
        assert_eq!(
            with("Subject: Re: hi\nX-Autoreply: yes").kind,
            Kind::AutoReply
        );
        assert_eq!(
            with("Subject: Re: hi\nPrecedence: bulk").kind,
            Kind::AutoReply
        );
        assert_eq!(
            with("Subject: Automatic reply: Quick question").kind,
            Kind::AutoReply
        );
        assert_eq!(
            with("Subject: Abwesenheitsnotiz: Quick question").kind,
            Kind::AutoReply
        );
        assert_eq!(with("Subject: Re: Quick question").kind, Kind::Reply);
    }

    const DSN: &str = "From: Mail Delivery System <MAILER-DAEMON@mx.agency.test>\n\
        To: sales@agency.test\n\
        Subject: Undelivered Mail Returned to Sender\n\
        MIME-Version: 1.0\n\
        Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\
        \n\
        --B\n\
        Content-Type: text/plain\n\
        \n\
        I'm sorry to have to inform you that your message could not be delivered.\n\
        \n\
        --B\n\
        Content-Type: message/delivery-status\n\
        \n\
        Reporting-MTA: dns; mx.agency.test\n\
        \n\
        Final-Recipient: rfc822; Nobody@Example.com\n\
        Original-Recipient: rfc822;nobody@example.com\n\
        Action: ACTION\n\
        Status: STATUS\n\
        Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.com>: Recipient address\n\
        \x20   rejected: User unknown\n\
        \n\
        --B\n\
        Content-Type: text/rfc822-headers\n\
        \n\
        From: sales@agency.test\n\
        To: nobody@example.com\n\
        Subject: Quick question\n\
        Message-ID: <0190def@agency.test>\n\
        \n\
        --B--\n";

    #[test]
    fn a_delivery_status_report_that_failed_for_good_is_a_bounce_of_the_returned_message() {
        let raw = crlf(&DSN.replace("ACTION", "failed").replace("STATUS", "5.1.1"));
        let inbound = read(&raw).unwrap();
        assert_eq!(inbound.kind, Kind::Bounce);
        assert_eq!(inbound.from, "nobody@example.com");
        assert_eq!(inbound.refers_to, vec!["<0190def@agency.test>".to_owned()]);
        let detail = inbound.detail.unwrap();
        assert!(detail.starts_with("5.1.1 smtp; 550 5.1.1"), "{detail}");
        assert!(detail.ends_with("rejected: User unknown"), "{detail}");
    }

    #[test]
    fn a_delay_report_is_not_a_bounce() {
        let raw = crlf(&DSN.replace("ACTION", "delayed").replace("STATUS", "4.4.1"));
        assert_eq!(read(&raw), None);
    }

    #[test]
    fn an_abuse_report_is_a_complaint() {
        let raw = crlf(
            "From: feedback@isp.example\n\
             To: fbl@agency.test\n\
             Subject: Abuse report\n\
             Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\n\
             \n\
             --F\n\
             Content-Type: text/plain\n\
             \n\
             A complaint.\n\
             --F\n\
             Content-Type: message/feedback-report\n\
             \n\
             Feedback-Type: abuse\n\
             User-Agent: Example-FBL/1.0\n\
             Version: 1\n\
             Original-Rcpt-To: <ada@example.com>\n\
             \n\
             --F\n\
             Content-Type: message/rfc822\n\
             \n\
             From: sales@agency.test\n\
             To: ada@example.com\n\
             Message-ID: <0190fed@agency.test>\n\
             Subject: Quick question\n\
             \n\
             Hi\n\
             --F--\n",
        );
        let inbound = read(&raw).unwrap();
        assert_eq!(inbound.kind, Kind::Complaint);
        assert_eq!(inbound.from, "ada@example.com");
        assert_eq!(inbound.refers_to, vec!["<0190fed@agency.test>".to_owned()]);
        assert_eq!(inbound.detail.as_deref(), Some("Feedback-Type: abuse"));
    }

    #[test]
    fn a_plain_failure_notice_quoting_our_message_is_a_bounce() {
        let raw = crlf(
            "From: MAILER-DAEMON@mx.example.com\n\
             To: sales@agency.test\n\
             Subject: failure notice\n\
             Message-ID: <notice-1@mx.example.com>\n\
             \n\
             Sorry, we were unable to deliver your message.\n\
             \n\
             --- Below this line is a copy of the message.\n\
             \n\
             Message-ID: <0190aaa@agency.test>\n\
             Subject: Quick question\n",
        );
        let inbound = read(&raw).unwrap();
        assert_eq!(inbound.kind, Kind::Bounce);
        assert_eq!(inbound.refers_to, vec!["<0190aaa@agency.test>".to_owned()]);
    }
}
