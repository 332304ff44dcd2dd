//! The lead as the API shows it, and the lists of leads: what they are filtered and sorted by
//! (the fields the registry lists, [`crate::registry::LISTED`]), searched by and ordered by.

use chrono::{DateTime, Utc};
use kernel::list::{Order, Resource};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::fields::LeadFields;
use crate::registry::LISTED;

/// A lead.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Lead {
    pub id: Uuid,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Normalised: trimmed, lower case.
    pub email: Option<String>,
    /// E.164 (`+40722123456`).
    pub phone: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub website: Option<String>,
    /// The website's host without `www.` (read-only).
    pub domain: Option<String>,
    pub source: Option<String>,
    /// One of the tenant's lead statuses (`GET /api/v1/lead-statuses`).
    pub status: String,
    /// 0 to 100.
    pub score: i16,
    pub owner_id: Option<Uuid>,
    pub tags: Vec<String>,
    /// Custom field values by key (`GET /api/v1/lead-fields`).
    #[schema(value_type = Object)]
    pub custom: Value,
    /// IANA time zone name.
    pub timezone: Option<String>,
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    /// Kanban position within the stage: leads sort by it byte-wise (ascending).
    pub rank: Option<String>,
    /// The user or API key that created the lead.
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
    /// Bumped by every change; send it back as `version` or `If-Match: "<version>"`.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set while the lead is in the trash.
    pub deleted_at: Option<DateTime<Utc>>,
    /// The lead this one was merged into.
    pub merged_into: Option<Uuid>,
}

impl Lead {
    /// The strong ETag of this version: `"<version>"`.
    pub fn etag(&self) -> String {
        format!("\"{}\"", self.version)
    }

    /// The editable state, as a write starts from.
    pub fn fields(&self) -> LeadFields {
        LeadFields {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            company: self.company.clone(),
            title: self.title.clone(),
            website: self.website.clone(),
            source: self.source.clone(),
            status: self.status.clone(),
            score: i64::from(self.score),
            owner_id: self.owner_id,
            tags: self.tags.clone(),
            custom: match &self.custom {
                Value::Object(map) => map.clone(),
                _ => serde_json::Map::new(),
            },
            timezone: self.timezone.clone(),
            pipeline_id: self.pipeline_id,
            stage_id: self.stage_id,
        }
    }
}

/// Every column of [`Lead`], from `leads l`.
pub const SELECT_LEADS: &str = "SELECT l.id, l.first_name, l.last_name, l.email, l.phone, \
     l.company, l.title, l.website, l.domain, l.source, l.status, l.score, l.owner_id, l.tags, \
     l.custom, l.timezone, l.pipeline_id, l.stage_id, l.rank, l.created_by, l.updated_by, \
     l.version, l.created_at, l.updated_at, l.deleted_at, l.merged_into \
     FROM leads l";

/// `q`: whole words through the `search` tsvector, partial words through the trigram index on
/// `search_text` (a LIKE with the text's `%`, `_` and `\` escaped).
const SEARCH: &str = "l.search @@ websearch_to_tsquery('simple', $q) \
     OR l.search_text LIKE '%' || lower(replace(replace(replace($q, '\\', '\\\\'), '%', '\\%'), '_', '\\_')) || '%'";

/// What a lead list may filter and sort on. `q` searches names, email and company: whole
/// words through the `search` tsvector, partial words (`acm` in `Acme`) through the trigram
/// index on `search_text`; `%`, `_` and `\` in `q` match literally.
pub static LEADS: Resource = Resource::new("leads", &LISTED)
    .search(SEARCH)
    .default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
    .page_sizes(10, 200);

/// Live leads (not in the trash).
pub const LIVE: &str = "l.deleted_at IS NULL";
/// The trash: deleted leads whose data was not erased.
pub const TRASHED: &str = "l.deleted_at IS NOT NULL AND l.erased_at IS NULL";

/// The trash list: newest deletion first.
pub static TRASH: Resource = Resource::new("leads", &LISTED)
    .search(SEARCH)
    .default_sort(&[("deleted_at", Order::Desc), ("id", Order::Desc)])
    .page_sizes(10, 200);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_lists_are_consistent() {
        assert_eq!(LEADS.check(), Ok(()));
        assert_eq!(TRASH.check(), Ok(()));
    }
}
