//! What a lead change leaves behind, in the transaction that makes it: a field-level audit
//! entry, system entries on the timeline ("Status New -> In Process", "Owner changed"), a
//! stage history row, and domain events on `resources/leads`.

use kernel::cache::Cache;
use kernel::events::{self, NewEvent};
use kernel::tenancy::Actor as PrincipalActor;
use kernel::{Principal, Problem, TenantId};
use serde_json::{json, Map, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::fields::LeadFields;

/// The party behind a change, as audit entries record it.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub kind: &'static str,
    pub id: Option<Uuid>,
}

impl From<&Principal> for Actor {
    fn from(principal: &Principal) -> Self {
        match principal.actor {
            PrincipalActor::User(id) => Actor {
                kind: "user",
                id: Some(id),
            },
            PrincipalActor::ApiKey(id) => Actor {
                kind: "api_key",
                id: Some(id),
            },
        }
    }
}

/// `{field: {"before": …, "after": …}}` for every field that differs.
pub fn diff(before: Option<&LeadFields>, after: &LeadFields) -> Map<String, Value> {
    let as_map = |f: Option<&LeadFields>| match f.map(serde_json::to_value) {
        Some(Ok(Value::Object(map))) => map,
        _ => Map::new(),
    };
    let (before, after) = (as_map(before), as_map(Some(after)));
    let empty = |v: &Value| match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    let mut changes = Map::new();
    for (field, new) in &after {
        let old = before.get(field).unwrap_or(&Value::Null);
        if old != new && !(empty(old) && empty(new)) {
            changes.insert(field.clone(), json!({"before": old, "after": new}));
        }
    }
    changes
}

/// One audit entry.
pub async fn audit(
    conn: &mut PgConnection,
    lead: Uuid,
    action: &str,
    actor: Actor,
    changes: &Map<String, Value>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO lead_audit (tenant_id, id, lead_id, action, actor_kind, actor_id, changes) \
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7())
    .bind(lead)
    .bind(action)
    .bind(actor.kind)
    .bind(actor.id)
    .bind(Value::Object(changes.clone()))
    .execute(conn)
    .await?;
    Ok(())
}

/// A system entry on the lead's timeline.
pub async fn system_entry(
    conn: &mut PgConnection,
    lead: Uuid,
    body: &str,
    data: Value,
    actor: Actor,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO lead_timeline (tenant_id, id, lead_id, kind, body, data, author_id) \
         VALUES (kernel_current_tenant(), $1, $2, 'system', $3, $4, $5)",
    )
    .bind(Uuid::now_v7())
    .bind(lead)
    .bind(body)
    .bind(data)
    .bind(actor.id)
    .execute(conn)
    .await?;
    Ok(())
}

/// What a change did that events and the timeline care about.
#[derive(Debug, Clone, Copy, Default)]
pub struct Effects {
    pub stage_changed: bool,
    pub owner_changed: bool,
}

/// Records a change of a lead: the audit entry, system timeline entries for status, owner
/// and stage, and the stage history. `before` is `None` for a new lead.
pub async fn record(
    conn: &mut PgConnection,
    lead: Uuid,
    action: &str,
    actor: Actor,
    before: Option<&LeadFields>,
    after: &LeadFields,
) -> Result<Effects, sqlx::Error> {
    let changes = diff(before, after);
    audit(&mut *conn, lead, action, actor, &changes).await?;
    let mut effects = Effects::default();
    if before.is_none() {
        system_entry(&mut *conn, lead, "Lead created", json!({}), actor).await?;
    }
    if let (Some(before), Some(change)) = (before, changes.get("status")) {
        let body = format!("Status {} -> {}", before.status, after.status);
        system_entry(&mut *conn, lead, &body, field_data("status", change), actor).await?;
    }
    if let Some(change) = changes.get("owner_id") {
        effects.owner_changed = true;
        let body = match after.owner_id {
            Some(_) if before.is_some_and(|b| b.owner_id.is_some()) => "Owner changed",
            Some(_) => "Owner assigned",
            None => "Owner removed",
        };
        system_entry(
            &mut *conn,
            lead,
            body,
            field_data("owner_id", change),
            actor,
        )
        .await?;
    }
    let from = before.and_then(|b| b.stage_id);
    if from != after.stage_id {
        effects.stage_changed = true;
        stage_moved(conn, lead, from, after.stage_id, actor).await?;
    }
    Ok(effects)
}

fn field_data(field: &str, change: &Value) -> Value {
    json!({"field": field, "before": change["before"], "after": change["after"]})
}

/// A stage history row and its timeline entry ("Stage Qualified -> Proposal").
pub async fn stage_moved(
    conn: &mut PgConnection,
    lead: Uuid,
    from: Option<Uuid>,
    to: Option<Uuid>,
    actor: Actor,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO lead_stage_history \
             (tenant_id, id, lead_id, from_stage_id, to_stage_id, changed_by) \
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5)",
    )
    .bind(Uuid::now_v7())
    .bind(lead)
    .bind(from)
    .bind(to)
    .bind(actor.id)
    .execute(&mut *conn)
    .await?;
    let from_name = stage_name(&mut *conn, from).await?;
    let to_name = stage_name(&mut *conn, to).await?;
    let data = json!({"field": "stage_id", "before": from, "after": to});
    system_entry(
        conn,
        lead,
        &format!("Stage {from_name} -> {to_name}"),
        data,
        actor,
    )
    .await
}

async fn stage_name(conn: &mut PgConnection, id: Option<Uuid>) -> Result<String, sqlx::Error> {
    let Some(id) = id else {
        return Ok("none".to_owned());
    };
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM lead_stages WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(name.unwrap_or_else(|| "a removed stage".to_owned()))
}

/// The events of one request, published in its transaction just before the commit; the
/// last sequence number wakes other instances after the commit.
#[derive(Debug, Default)]
pub struct Events {
    last_seq: Option<i64>,
}

impl Events {
    /// Publishes `event_type` on `resources/<resource>` for `ids` (nothing when `ids` is empty).
    pub async fn publish(
        &mut self,
        conn: &mut PgConnection,
        resource: &str,
        event_type: &str,
        ids: &[Uuid],
    ) -> Result<(), Problem> {
        if ids.is_empty() {
            return Ok(());
        }
        let event = NewEvent::for_ids(resource, event_type, ids)?;
        self.last_seq = Some(events::publish(conn, &event).await?);
        Ok(())
    }

    /// Publishes an event built by the caller.
    pub async fn raw(&mut self, conn: &mut PgConnection, event: &NewEvent) -> Result<(), Problem> {
        self.last_seq = Some(events::publish(conn, event).await?);
        Ok(())
    }

    /// The lead events of a batch of changes: `lead.<what>` for all, plus
    /// `lead.stage_changed` and `lead.assigned` for those whose stage or owner changed.
    pub async fn leads(
        &mut self,
        conn: &mut PgConnection,
        what: &str,
        changed: &[(Uuid, Effects)],
    ) -> Result<(), Problem> {
        let ids: Vec<Uuid> = changed.iter().map(|(id, _)| *id).collect();
        self.publish(&mut *conn, "leads", &format!("lead.{what}"), &ids)
            .await?;
        let staged: Vec<Uuid> = changed
            .iter()
            .filter(|(_, e)| e.stage_changed)
            .map(|(id, _)| *id)
            .collect();
        self.publish(&mut *conn, "leads", "lead.stage_changed", &staged)
            .await?;
        let assigned: Vec<Uuid> = changed
            .iter()
            .filter(|(_, e)| e.owner_changed)
            .map(|(id, _)| *id)
            .collect();
        self.publish(conn, "leads", "lead.assigned", &assigned)
            .await
    }

    /// After the commit: wakes SSE readers on other instances (best effort).
    pub async fn notify(self, cache: &Cache, tenant: TenantId) {
        if let Some(seq) = self.last_seq {
            events::notify_committed(cache, tenant, seq).await;
        }
    }
}
