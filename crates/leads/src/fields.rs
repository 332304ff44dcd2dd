//! The editable fields of a lead: what a create ([`LeadInput`]) or an update ([`LeadPatch`])
//! sets, and [`normalise`], which every write goes through, so a lead in the database is
//! always in canonical form (email lower case, phone E.164, website a URL, canonical IANA
//! time zone, tags trimmed and unique).
//!
//! Checks that need the tenant's data (status list, custom field definitions, stages,
//! members) are in [`crate::checks`].

use kernel::problem::FieldErrors;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::ValidateEmail;

/// The status of a new lead when none is given.
pub const DEFAULT_STATUS: &str = "New";
const MAX_TEXT: usize = 200;
const MAX_TAGS: usize = 50;
const MAX_TAG_LEN: usize = 50;

/// A lead's editable state. Serialised field by field for audit diffs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadFields {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub website: Option<String>,
    pub source: Option<String>,
    pub status: String,
    pub score: i64,
    pub owner_id: Option<Uuid>,
    pub tags: Vec<String>,
    pub custom: Map<String, Value>,
    pub timezone: Option<String>,
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
}

/// A new lead. Every field is optional, but a lead needs a name, an email, a phone or a
/// company to be anyone.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Case-insensitive; unique among the tenant's live leads.
    pub email: Option<String>,
    /// International format: `+40 722 123 456`, `0040722123456` (stored as E.164).
    pub phone: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    /// `acme.com` or `https://acme.com/…`.
    pub website: Option<String>,
    /// Where the lead came from (`webinar`); round-robin rules match on it.
    pub source: Option<String>,
    /// One of the tenant's statuses; `New` by default.
    pub status: Option<String>,
    /// 0 to 100; 0 by default.
    pub score: Option<i64>,
    /// A member of the tenant. Absent: a round-robin rule for the source may pick one.
    pub owner_id: Option<Uuid>,
    pub tags: Option<Vec<String>>,
    /// Values of the tenant's custom fields, by key.
    #[schema(value_type = Option<Object>)]
    pub custom: Option<Map<String, Value>>,
    /// IANA name (`Europe/Bucharest`).
    pub timezone: Option<String>,
    /// Without `stage_id`: the pipeline's first stage.
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
}

/// A change to a lead: absent fields stay, `null` clears a field. `custom` is merged key by
/// key (`null` removes a key). Changing `pipeline_id` alone puts the lead in that
/// pipeline's first stage; changing `stage_id` alone moves it to that stage's pipeline.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadPatch {
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<String>)]
    pub first_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<String>)]
    pub last_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<String>)]
    pub company: Option<Option<String>>,
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<String>)]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<String>)]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<String>)]
    pub source: Option<Option<String>>,
    pub status: Option<String>,
    pub score: Option<i64>,
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_id: Option<Option<Uuid>>,
    pub tags: Option<Vec<String>>,
    #[schema(value_type = Option<Object>)]
    pub custom: Option<Map<String, Value>>,
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<String>)]
    pub timezone: Option<Option<String>>,
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub pipeline_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "kernel::validated::nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub stage_id: Option<Option<Uuid>>,
    /// The version this change was made against: a different current version is a 409.
    pub version: Option<i32>,
}

/// `null` -> `Some(None)`; an absent field stays `None` through `#[serde(default)]`.
impl LeadInput {
    /// The state of a new lead before normalisation.
    pub fn into_fields(self) -> LeadFields {
        LeadFields {
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            phone: self.phone,
            company: self.company,
            title: self.title,
            website: self.website,
            source: self.source,
            status: self.status.unwrap_or_else(|| DEFAULT_STATUS.to_owned()),
            score: self.score.unwrap_or(0),
            owner_id: self.owner_id,
            tags: self.tags.unwrap_or_default(),
            custom: self.custom.unwrap_or_default(),
            timezone: self.timezone,
            pipeline_id: self.pipeline_id,
            stage_id: self.stage_id,
        }
    }

    /// The same values as a change to an existing lead (for upserts): what is given replaces,
    /// what is absent stays.
    pub fn into_patch(self) -> LeadPatch {
        LeadPatch {
            first_name: self.first_name.map(Some),
            last_name: self.last_name.map(Some),
            email: self.email.map(Some),
            phone: self.phone.map(Some),
            company: self.company.map(Some),
            title: self.title.map(Some),
            website: self.website.map(Some),
            source: self.source.map(Some),
            status: self.status,
            score: self.score,
            owner_id: self.owner_id.map(Some),
            tags: self.tags,
            custom: self.custom,
            timezone: self.timezone.map(Some),
            pipeline_id: self.pipeline_id.map(Some),
            stage_id: self.stage_id.map(Some),
            version: None,
        }
    }
}

impl LeadPatch {
    /// `current` with this change applied (not yet normalised).
    pub fn apply(&self, current: &LeadFields) -> LeadFields {
        fn pick<T: Clone>(patch: &Option<T>, current: &T) -> T {
            patch.clone().unwrap_or_else(|| current.clone())
        }
        let mut next = LeadFields {
            first_name: pick(&self.first_name, &current.first_name),
            last_name: pick(&self.last_name, &current.last_name),
            email: pick(&self.email, &current.email),
            phone: pick(&self.phone, &current.phone),
            company: pick(&self.company, &current.company),
            title: pick(&self.title, &current.title),
            website: pick(&self.website, &current.website),
            source: pick(&self.source, &current.source),
            status: pick(&self.status, &current.status),
            score: pick(&self.score, &current.score),
            owner_id: pick(&self.owner_id, &current.owner_id),
            tags: pick(&self.tags, &current.tags),
            custom: current.custom.clone(),
            timezone: pick(&self.timezone, &current.timezone),
            pipeline_id: pick(&self.pipeline_id, &current.pipeline_id),
            stage_id: pick(&self.stage_id, &current.stage_id),
        };
        if let Some(custom) = &self.custom {
            for (key, value) in custom {
                if value.is_null() {
                    next.custom.remove(key);
                } else {
                    next.custom.insert(key.clone(), value.clone());
                }
            }
        }
        // Pipeline and stage go together: naming one alone re-derives the other.
        match (self.pipeline_id.is_some(), self.stage_id.is_some()) {
            (true, false) if next.pipeline_id != current.pipeline_id => next.stage_id = None,
            (false, true) => next.pipeline_id = None,
            _ => {}
        }
        next
    }
}

/// Whether a JSON value holds a NUL character anywhere (PostgreSQL text and jsonb cannot).
pub fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// For `validator`: text without NUL characters.
pub fn no_nul(text: &str) -> Result<(), validator::ValidationError> {
    if text.contains('\0') {
        let mut err = validator::ValidationError::new("nul");
        err.message = Some(NUL_MESSAGE.into());
        Err(err)
    } else {
        Ok(())
    }
}

pub const NUL_MESSAGE: &str = "must not contain NUL characters";

/// Normalises and checks what can be checked without the database. Errors name the fields.
pub fn normalise(mut f: LeadFields) -> Result<LeadFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    if let Ok(Value::Object(fields)) = serde_json::to_value(&f) {
        for (name, value) in &fields {
            if has_nul(value) {
                errors.insert(name.clone(), vec![NUL_MESSAGE.to_owned()]);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut fail = |field: &str, message: String| {
        errors.entry(field.to_owned()).or_default().push(message);
    };
    for (name, value, max) in [
        ("first_name", &mut f.first_name, MAX_TEXT),
        ("last_name", &mut f.last_name, MAX_TEXT),
        ("company", &mut f.company, MAX_TEXT),
        ("title", &mut f.title, MAX_TEXT),
        ("source", &mut f.source, 100),
    ] {
        *value = trimmed(value.take());
        if value.as_ref().is_some_and(|v| v.chars().count() > max) {
            fail(name, format!("must be at most {max} characters"));
        }
    }
    f.email = trimmed(f.email.take()).map(|e| e.to_lowercase());
    if let Some(email) = &f.email {
        if email.chars().count() > 254 || !email.validate_email() {
            fail("email", "must be a valid email address".into());
        }
    }
    f.phone = match trimmed(f.phone.take()).map(|p| e164(&p)) {
        None => None,
        Some(Ok(phone)) => Some(phone),
        Some(Err(why)) => {
            fail("phone", why.into());
            None
        }
    };
    f.website = match trimmed(f.website.take()).map(|w| website(&w)) {
        None => None,
        Some(Ok(url)) => Some(url),
        Some(Err(why)) => {
            fail("website", why.into());
            None
        }
    };
    f.status = f.status.trim().to_owned();
    if f.status.is_empty() || f.status.chars().count() > 50 {
        fail("status", "must be 1 to 50 characters".into());
    }
    if !(0..=100).contains(&f.score) {
        fail("score", "must be between 0 and 100".into());
    }
    let mut tags: Vec<String> = Vec::new();
    for tag in f.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if tag.chars().count() > MAX_TAG_LEN {
            fail(
                "tags",
                format!("each tag must be at most {MAX_TAG_LEN} characters"),
            );
            break;
        }
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    if tags.len() > MAX_TAGS {
        fail("tags", format!("at most {MAX_TAGS} tags"));
    }
    f.tags = tags;
    f.timezone = match trimmed(f.timezone.take()) {
        None => None,
        Some(name) => match name.parse::<chrono_tz::Tz>() {
            Ok(tz) => Some(tz.name().to_owned()),
            Err(_) => {
                fail(
                    "timezone",
                    "must be an IANA time zone name (Europe/Bucharest)".into(),
                );
                None
            }
        },
    };
    let someone = [&f.first_name, &f.last_name, &f.email, &f.phone, &f.company]
        .iter()
        .any(|v| v.is_some());
    if !someone {
        fail(
            "email",
            "a lead needs a name, an email, a phone or a company".into(),
        );
    }
    if errors.is_empty() {
        Ok(f)
    } else {
        Err(errors)
    }
}

/// The website's host without `www.`, for the read-only `domain`.
pub fn domain_of(website: Option<&str>) -> Option<String> {
    let url = url::Url::parse(website?).ok()?;
    let host = url.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_owned())
}

fn trimmed(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A phone number in international form as E.164: `+`, then 7 to 15 digits, the first not 0.
/// Spaces, dots, dashes, slashes and parentheses are dropped; a leading `00` stands for `+`.
pub fn e164(raw: &str) -> Result<String, &'static str> {
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '/' | '(' | ')' | '\u{a0}'))
        .collect();
    let digits = if let Some(rest) = compact.strip_prefix('+') {
        rest
    } else if let Some(rest) = compact.strip_prefix("00") {
        rest
    } else {
        return Err("must be in international format, starting with + and the country code");
    };
    let valid = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Ok(format!("+{digits}"))
    } else {
        Err("must be + followed by 7 to 15 digits (E.164)")
    }
}

/// An http(s) URL with a dotted host; `acme.com` is read as `https://acme.com/`.
fn website(raw: &str) -> Result<String, &'static str> {
    const WHY: &str = "must be a web address (acme.com or https://acme.com)";
    if raw.len() > 500 {
        return Err("must be at most 500 characters");
    }
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    let url = url::Url::parse(&with_scheme).map_err(|_| WHY)?;
    let host_ok = url.host_str().is_some_and(|h| {
        h.len() <= 253 && h.contains('.') && !h.starts_with('.') && !h.ends_with('.')
    });
    if !matches!(url.scheme(), "http" | "https") || !host_ok {
        return Err(WHY);
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_become_e164() {
        assert_eq!(e164("+40 722 123 456"), Ok("+40722123456".into()));
        assert_eq!(e164("0040 (722) 123-456"), Ok("+40722123456".into()));
        assert!(e164("0722123456").is_err());
        assert!(e164("+0722123456").is_err());
        assert!(e164("+1234").is_err());
        assert!(e164("+4072212345678901").is_err());
        assert!(e164("+40 72x 123 456").is_err());
    }

    #[test]
    fn websites_are_urls_and_give_domains() {
        let url = website("www.Acme.com").unwrap();
        assert_eq!(url, "https://www.acme.com/");
        assert_eq!(website(&url), Ok(url.clone()), "idempotent");
        assert_eq!(domain_of(Some(&url)), Some("acme.com".into()));
        assert!(website("ftp://acme.com").is_err());
        assert!(website("localhost").is_err());
        assert!(website("not a url").is_err());
        let long_host = format!("{}.example", "a.".repeat(130));
        assert!(website(&long_host).is_err(), "hosts longer than 253 bytes");
    }

    #[test]
    fn normalise_canonicalises_and_names_bad_fields() {
        let mut input = LeadInput {
            email: Some("  Ada@Example.COM ".into()),
            timezone: Some(" Europe/Bucharest ".into()),
            tags: Some(vec![" vip ".into(), "vip".into(), "".into()]),
            ..Default::default()
        }
        .into_fields();
        let ok = normalise(input.clone()).unwrap();
        assert_eq!(ok.email.as_deref(), Some("ada@example.com"));
        assert_eq!(ok.tags, vec!["vip".to_owned()]);
        assert_eq!(ok.timezone.as_deref(), Some("Europe/Bucharest"));

        input.score = 101;
        input.email = Some("nope".into());
        input.timezone = Some("Mars/Olympus_Mons".into());
        let errors = normalise(input).unwrap_err();
        let named: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(named, ["email", "score", "timezone"]);
    }

    #[test]
    fn a_lead_must_be_someone() {
        let errors = normalise(LeadInput::default().into_fields()).unwrap_err();
        assert!(errors.contains_key("email"));
    }

    #[test]
    fn patches_clear_with_null_and_merge_custom() {
        let current = LeadInput {
            first_name: Some("Ada".into()),
            custom: Some(Map::from_iter([
                ("a".into(), 1.into()),
                ("b".into(), 2.into()),
            ])),
            ..Default::default()
        }
        .into_fields();
        let patch: LeadPatch = serde_json::from_value(
            serde_json::json!({"first_name": null, "custom": {"a": null, "c": 3}}),
        )
        .unwrap();
        let next = patch.apply(&current);
        assert_eq!(next.first_name, None);
        assert_eq!(
            Value::Object(next.custom),
            serde_json::json!({"b": 2, "c": 3})
        );
    }
}
