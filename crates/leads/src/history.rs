//! What a lead change leaves behind, in the transaction that makes it: a field-level audit
//! entry, system entries on the timeline ("Status New -> In Process", "Owner changed"), a
//! stage history row, and domain events on `resources/leads` (published in the request's
//! [`UnitOfWork`]).

use std::collections::HashMap;

use itertools::Itertools;

use kernel::events::EventError;
use kernel::scopes::RequiredScope;
use kernel::tenancy::Actor as PrincipalActor;
use kernel::{Principal, Scoped, UnitOfWork};
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

impl<S: RequiredScope> From<&Scoped<S>> for Actor {
    fn from(principal: &Scoped<S>) -> Self {
        Actor::from(principal.principal())
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

/// The audit entries, system timeline entries and stage history rows of one or more lead
/// changes, gathered in memory and written by [`History::write`] with one statement per
/// table: one lead's change and an import of a thousand leave the same rows, written the
/// same way.
#[derive(Debug, Default)]
pub struct History {
    audit: Vec<AuditEntry>,
    timeline: Vec<SystemEntry>,
    stage_moves: Vec<StageMove>,
    /// Stage names already read, for the "Stage A -> B" entries.
    stage_names: HashMap<Uuid, String>,
}

#[derive(Debug)]
struct AuditEntry {
    lead: Uuid,
    action: String,
    actor: Actor,
    changes: Value,
}

#[derive(Debug)]
struct SystemEntry {
    lead: Uuid,
    body: String,
    data: Value,
    author: Option<Uuid>,
}

#[derive(Debug)]
struct StageMove {
    lead: Uuid,
    from: Option<Uuid>,
    to: Option<Uuid>,
    by: Option<Uuid>,
}

impl History {
    /// An audit entry.
    pub fn audit(&mut self, lead: Uuid, action: &str, actor: Actor, changes: &Map<String, Value>) {
        self.audit.push(AuditEntry {
            lead,
            action: action.to_owned(),
            actor,
            changes: Value::Object(changes.clone()),
        });
    }

    /// A system entry on the lead's timeline.
    pub fn system_entry(&mut self, lead: Uuid, body: String, data: Value, actor: Actor) {
        self.timeline.push(SystemEntry {
            lead,
            body,
            data,
            author: actor.id,
        });
    }

    /// A change of a lead: the audit entry, system timeline entries for status, owner and
    /// stage, and the stage history. `before` is `None` for a new lead.
    pub async fn change(
        &mut self,
        conn: &mut PgConnection,
        lead: Uuid,
        action: &str,
        actor: Actor,
        before: Option<&LeadFields>,
        after: &LeadFields,
    ) -> Result<Effects, sqlx::Error> {
        let changes = diff(before, after);
        self.audit(lead, action, actor, &changes);
        let mut effects = Effects::default();
        if before.is_none() {
            self.system_entry(lead, "Lead created".to_owned(), json!({}), actor);
        }
        if let (Some(before), Some(change)) = (before, changes.get("status")) {
            let body = format!("Status {} -> {}", before.status, after.status);
            self.system_entry(lead, body, field_data("status", change), actor);
        }
        if let Some(change) = changes.get("owner_id") {
            effects.owner_changed = true;
            let body = match after.owner_id {
                Some(_) if before.is_some_and(|b| b.owner_id.is_some()) => "Owner changed",
                Some(_) => "Owner assigned",
                None => "Owner removed",
            };
            self.system_entry(lead, body.to_owned(), field_data("owner_id", change), actor);
        }
        let from = before.and_then(|b| b.stage_id);
        if from != after.stage_id {
            effects.stage_changed = true;
            self.stage_moved(conn, lead, from, after.stage_id, actor)
                .await?;
        }
        Ok(effects)
    }

    /// A stage history row and its timeline entry ("Stage Qualified -> Proposal").
    pub async fn stage_moved(
        &mut self,
        conn: &mut PgConnection,
        lead: Uuid,
        from: Option<Uuid>,
        to: Option<Uuid>,
        actor: Actor,
    ) -> Result<(), sqlx::Error> {
        self.stage_moves.push(StageMove {
            lead,
            from,
            to,
            by: actor.id,
        });
        let from_name = self.stage_name(&mut *conn, from).await?;
        let to_name = self.stage_name(conn, to).await?;
        let data = json!({"field": "stage_id", "before": from, "after": to});
        self.system_entry(lead, format!("Stage {from_name} -> {to_name}"), data, actor);
        Ok(())
    }

    async fn stage_name(
        &mut self,
        conn: &mut PgConnection,
        id: Option<Uuid>,
    ) -> Result<String, sqlx::Error> {
        let Some(id) = id else {
            return Ok("none".to_owned());
        };
        if let Some(name) = self.stage_names.get(&id) {
            return Ok(name.clone());
        }
        let name = sqlx::query_scalar!("SELECT name FROM lead_stages WHERE id = $1", id)
            .fetch_optional(conn)
            .await?;
        let name = name.unwrap_or_else(|| "a removed stage".to_owned());
        self.stage_names.insert(id, name.clone());
        Ok(name)
    }

    /// Writes what was gathered: one INSERT per table that has rows, the rows in the order
    /// they were gathered (their ids, time-ordered UUIDs, are made here in that order).
    pub async fn write(self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        if !self.audit.is_empty() {
            let n = self.audit.len();
            let (leads, actions, kinds, actors, changes): (Vec<_>, Vec<_>, Vec<_>, Vec<_>, Vec<_>) =
                self.audit
                    .into_iter()
                    .map(|e| (e.lead, e.action, e.actor.kind, e.actor.id, e.changes))
                    .multiunzip();
            sqlx::query!(
                "INSERT INTO lead_audit
                     (tenant_id, id, lead_id, action, actor_kind, actor_id, changes)
                 SELECT kernel_current_tenant(), e.id, e.lead_id, e.action, e.actor_kind,
                     e.actor_id, e.changes
                 FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[],
                     $6::jsonb[]) AS e(id, lead_id, action, actor_kind, actor_id, changes)",
                &new_ids(n),
                &leads,
                &actions,
                &kinds as &[&str],
                &actors as &[Option<Uuid>],
                &changes,
            )
            .execute(&mut *conn)
            .await?;
        }
        if !self.stage_moves.is_empty() {
            let n = self.stage_moves.len();
            let (leads, froms, tos, bys): (Vec<_>, Vec<_>, Vec<_>, Vec<_>) = self
                .stage_moves
                .into_iter()
                .map(|m| (m.lead, m.from, m.to, m.by))
                .multiunzip();
            sqlx::query!(
                "INSERT INTO lead_stage_history
                     (tenant_id, id, lead_id, from_stage_id, to_stage_id, changed_by)
                 SELECT kernel_current_tenant(), m.id, m.lead_id, m.from_stage_id,
                     m.to_stage_id, m.changed_by
                 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[])
                     AS m(id, lead_id, from_stage_id, to_stage_id, changed_by)",
                &new_ids(n),
                &leads,
                &froms as &[Option<Uuid>],
                &tos as &[Option<Uuid>],
                &bys as &[Option<Uuid>],
            )
            .execute(&mut *conn)
            .await?;
        }
        if !self.timeline.is_empty() {
            let n = self.timeline.len();
            let (leads, bodies, data, authors): (Vec<_>, Vec<_>, Vec<_>, Vec<_>) = self
                .timeline
                .into_iter()
                .map(|e| (e.lead, e.body, e.data, e.author))
                .multiunzip();
            sqlx::query!(
                "INSERT INTO lead_timeline (tenant_id, id, lead_id, kind, body, data, author_id)
                 SELECT kernel_current_tenant(), e.id, e.lead_id, 'system', e.body, e.data,
                     e.author_id
                 FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::uuid[])
                     AS e(id, lead_id, body, data, author_id)",
                &new_ids(n),
                &leads,
                &bodies,
                &data,
                &authors as &[Option<Uuid>],
            )
            .execute(conn)
            .await?;
        }
        Ok(())
    }
}

fn new_ids(n: usize) -> Vec<Uuid> {
    (0..n).map(|_| Uuid::now_v7()).collect()
}

/// One audit entry, written at once.
pub async fn audit(
    conn: &mut PgConnection,
    lead: Uuid,
    action: &str,
    actor: Actor,
    changes: &Map<String, Value>,
) -> Result<(), sqlx::Error> {
    let mut history = History::default();
    history.audit(lead, action, actor, changes);
    history.write(conn).await
}

/// A system entry on the lead's timeline, written at once.
pub async fn system_entry(
    conn: &mut PgConnection,
    lead: Uuid,
    body: &str,
    data: Value,
    actor: Actor,
) -> Result<(), sqlx::Error> {
    let mut history = History::default();
    history.system_entry(lead, body.to_owned(), data, actor);
    history.write(conn).await
}

/// What a change did that events and the timeline care about.
#[derive(Debug, Clone, Copy, Default)]
pub struct Effects {
    pub stage_changed: bool,
    pub owner_changed: bool,
}

/// Records a change of one lead at once (see [`History::change`]).
pub async fn record(
    conn: &mut PgConnection,
    lead: Uuid,
    action: &str,
    actor: Actor,
    before: Option<&LeadFields>,
    after: &LeadFields,
) -> Result<Effects, sqlx::Error> {
    let mut history = History::default();
    let effects = history
        .change(&mut *conn, lead, action, actor, before, after)
        .await?;
    history.write(conn).await?;
    Ok(effects)
}

fn field_data(field: &str, change: &Value) -> Value {
    json!({"field": field, "before": change["before"], "after": change["after"]})
}

/// A stage history row and its timeline entry, written at once.
pub async fn stage_moved(
    conn: &mut PgConnection,
    lead: Uuid,
    from: Option<Uuid>,
    to: Option<Uuid>,
    actor: Actor,
) -> Result<(), sqlx::Error> {
    let mut history = History::default();
    history
        .stage_moved(&mut *conn, lead, from, to, actor)
        .await?;
    history.write(conn).await
}

/// The lead events of a batch of changes, in `work`: `lead.<what>` for all, plus
/// `lead.stage_changed` and `lead.assigned` for those whose stage or owner changed.
pub async fn publish_leads(
    work: &mut UnitOfWork,
    what: &str,
    changed: &[(Uuid, Effects)],
) -> Result<(), EventError> {
    let ids = |keep: fn(&Effects) -> bool| -> Vec<Uuid> {
        changed
            .iter()
            .filter(|(_, e)| keep(e))
            .map(|(id, _)| *id)
            .collect()
    };
    work.publish_ids("leads", &format!("lead.{what}"), &ids(|_| true))
        .await?;
    work.publish_ids("leads", "lead.stage_changed", &ids(|e| e.stage_changed))
        .await?;
    work.publish_ids("leads", "lead.assigned", &ids(|e| e.owner_changed))
        .await
}
