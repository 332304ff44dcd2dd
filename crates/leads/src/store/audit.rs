//! The SQL for reading a lead's audit log: its list, filtered and sorted by the list engine
//! (entries are written by `crate::history`).

use chrono::{DateTime, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use serde_json::Value;
use uuid::Uuid;

/// One audit entry as stored.
#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub id: Uuid,
    pub lead_id: Uuid,
    pub action: String,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    /// Field -> `{"before": …, "after": …}`.
    pub changes: Value,
    pub created_at: DateTime<Utc>,
}

static AUDIT: Resource = Resource::new(
    "lead-audit",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("action", "action", FieldType::Text),
        Field::new("actor_id", "actor_id", FieldType::Uuid),
        Field::new("created_at", "created_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("created_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

/// The audit entries of the lead given as the parent.
// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static AUDIT_OF_LEAD: Listing = Listing::new(
    &AUDIT,
    "SELECT id, lead_id, action, actor_kind, actor_id, changes, created_at FROM lead_audit",
)
.filtered("lead_id = $1");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_is_consistent() {
        assert_eq!(AUDIT.check(), Ok(()));
    }
}
