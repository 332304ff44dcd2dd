//! What an event is: the checked [`NewEvent`] a slice publishes and the [`StoredEvent`] read
//! back, which serialises to Refine's liveProvider shape.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::EventError;

const MAX_CHANNEL_LEN: usize = 200;
const MAX_TYPE_LEN: usize = 100;
/// Events are fanned out to every live client; big data belongs in the resource, not the event.
const MAX_PAYLOAD_BYTES: usize = 64 * 1024;

/// An event to publish, valid by construction: a channel (`resources/leads`, `projects/<id>`),
/// a type (`lead.created`) and a JSON object payload.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    channel: String,
    event_type: String,
    payload: Value,
}

impl NewEvent {
    /// Checks the channel, the type and that the payload is a JSON object of at most 64 KiB.
    pub fn new(
        channel: impl Into<String>,
        event_type: impl Into<String>,
        payload: Value,
    ) -> Result<Self, EventError> {
        let (channel, event_type) = (channel.into(), event_type.into());
        validate_channel(&channel)?;
        validate_event_type(&event_type)?;
        if !payload.is_object() {
            return Err(EventError::InvalidPayload("must be a JSON object"));
        }
        if payload.to_string().len() > MAX_PAYLOAD_BYTES {
            return Err(EventError::InvalidPayload("larger than 64 KiB"));
        }
        Ok(Self {
            channel,
            event_type,
            payload,
        })
    }

    /// Refine's live shape for records of a resource: channel `resources/<resource>` and
    /// payload `{"ids": [...]}` (ids as strings), which a `useList`/`useOne` subscription uses
    /// to know what to refetch. Add fields with [`NewEvent::with`].
    pub fn for_ids<I>(resource: &str, event_type: &str, ids: I) -> Result<Self, EventError>
    where
        I: IntoIterator,
        I::Item: std::fmt::Display,
    {
        let ids = ids.into_iter().map(|id| Value::String(id.to_string()));
        let payload = Value::Object(Map::from_iter([("ids".to_owned(), ids.collect())]));
        Self::new(format!("resources/{resource}"), event_type, payload)
    }

    /// The same event with `field` set in its payload (`"nodeId"`, `"newStatus"`, …).
    pub fn with(mut self, field: &str, value: Value) -> Result<Self, EventError> {
        if let Value::Object(map) = &mut self.payload {
            map.insert(field.to_owned(), value);
        }
        Self::new(self.channel, self.event_type, self.payload)
    }

    pub fn channel(&self) -> &str {
        &self.channel
    }

    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    pub fn payload(&self) -> &Value {
        &self.payload
    }
}

/// An event as stored, in Refine liveProvider's shape `{channel, type, payload, date}`, plus
/// its per-tenant `seq` (the SSE `id:`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({
    "seq": 42,
    "channel": "resources/leads",
    "type": "lead.created",
    "payload": {"ids": ["0193a5c2-7d1e-7c4e-9f4b-2a1d3c4e5f60"]},
    "date": "2026-11-21T10:15:00Z"
}))]
pub struct StoredEvent {
    pub seq: i64,
    pub channel: String,
    #[serde(rename = "type")]
    pub event_type: String,
    #[schema(value_type = Object)]
    pub payload: Value,
    #[serde(rename = "date")]
    pub created_at: DateTime<Utc>,
}

/// A channel name: 1-200 characters of `a-z 0-9 _ . / : -` (`resources/leads`, `projects/<id>`).
/// Public so that a channel filter from a client is checked the same way.
pub fn validate_channel(channel: &str) -> Result<(), EventError> {
    if is_name(channel, MAX_CHANNEL_LEN) {
        Ok(())
    } else {
        Err(EventError::InvalidChannel(channel.to_owned()))
    }
}

/// An event type: 1-100 characters of `a-z 0-9 _ . / : -` (`lead.created`).
pub fn validate_event_type(event_type: &str) -> Result<(), EventError> {
    if is_name(event_type, MAX_TYPE_LEN) {
        Ok(())
    } else {
        Err(EventError::InvalidType(event_type.to_owned()))
    }
}

/// The same rule as the `CHECK` constraints in the migration.
fn is_name(s: &str, max_len: usize) -> bool {
    (1..=max_len).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_./:-".contains(&b))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn refine_style_channels_and_types_are_accepted() {
        for channel in [
            "resources/leads",
            "projects/0193a5c2-7d1e-7c4e-9f4b-2a1d3c4e5f60",
        ] {
            assert!(validate_channel(channel).is_ok(), "{channel}");
        }
        assert!(validate_event_type("lead.created").is_ok());
        assert!(validate_event_type("node_status:changed").is_ok());
    }

    #[test]
    fn empty_long_uppercase_or_odd_names_are_refused() {
        let long = "a".repeat(MAX_CHANNEL_LEN + 1);
        for bad in [
            "",
            "Resources/leads",
            "resources leads",
            "leads\n",
            "lé",
            long.as_str(),
        ] {
            assert!(
                matches!(validate_channel(bad), Err(EventError::InvalidChannel(_))),
                "{bad:?}"
            );
        }
        assert!(matches!(
            validate_event_type(&"a".repeat(MAX_TYPE_LEN + 1)),
            Err(EventError::InvalidType(_))
        ));
    }

    #[test]
    fn payloads_must_be_objects_of_bounded_size() {
        assert!(matches!(
            NewEvent::new("resources/leads", "lead.created", json!([1, 2])),
            Err(EventError::InvalidPayload(_))
        ));
        let huge = json!({ "blob": "x".repeat(MAX_PAYLOAD_BYTES) });
        assert!(matches!(
            NewEvent::new("resources/leads", "lead.created", huge),
            Err(EventError::InvalidPayload(_))
        ));
    }

    #[test]
    fn for_ids_builds_refines_live_shape() {
        let event = NewEvent::for_ids("leads", "lead.updated", [7, 8])
            .unwrap()
            .with("newStatus", json!("GREEN"))
            .unwrap();

        assert_eq!(event.channel(), "resources/leads");
        assert_eq!(event.event_type(), "lead.updated");
        assert_eq!(
            event.payload(),
            &json!({ "ids": ["7", "8"], "newStatus": "GREEN" })
        );
    }
}
