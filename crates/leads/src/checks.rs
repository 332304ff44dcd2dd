//! The checks a lead write needs the tenant's data for: its status list, its custom field
//! definitions, its pipelines' stages and its members. [`Rules`] loads the lists once per
//! request, so a bulk write of 500 leads does not read them 500 times.

use std::collections::HashMap;

use chrono::NaiveDate;
use kernel::problem::FieldErrors;
use kernel::Problem;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::fields::LeadFields;
use crate::Members;

/// The statuses of a tenant that never set its own.
pub const DEFAULT_STATUSES: [&str; 6] = [
    "New",
    "Assigned",
    "In Process",
    "Converted",
    "Recycled",
    "Dead",
];
const MAX_CUSTOM_TEXT: usize = 2000;

/// A custom field of the tenant's leads.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct FieldDefinition {
    /// The key in `custom` (`a-z`, digits, `_`; starts with a letter).
    pub key: String,
    pub label: String,
    /// `text`, `number`, `date` (YYYY-MM-DD), `select`, `multiselect` or `boolean`.
    pub kind: String,
    /// The allowed values of a select or multiselect.
    pub options: Vec<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub const FIELD_KINDS: [&str; 6] = ["text", "number", "date", "select", "multiselect", "boolean"];

/// The tenant's statuses, in order (the defaults until it sets its own).
pub async fn statuses(conn: &mut PgConnection) -> Result<Vec<String>, sqlx::Error> {
    let stored = sqlx::query_scalar!("SELECT name FROM lead_statuses ORDER BY position, name")
        .fetch_all(conn)
        .await?;
    Ok(if stored.is_empty() {
        DEFAULT_STATUSES.iter().map(|s| (*s).to_owned()).collect()
    } else {
        stored
    })
}

pub async fn definitions(conn: &mut PgConnection) -> Result<Vec<FieldDefinition>, sqlx::Error> {
    sqlx::query_as!(
        FieldDefinition,
        "SELECT key, label, kind, options, created_at FROM lead_field_definitions ORDER BY key",
    )
    .fetch_all(conn)
    .await
}

/// A stage and the pipeline it belongs to.
#[derive(Debug, Clone, Copy)]
struct StageRef {
    id: Uuid,
    pipeline_id: Uuid,
}

/// What a lead write is checked against, loaded once per request.
pub struct Rules<'m> {
    statuses: Vec<String>,
    definitions: HashMap<String, FieldDefinition>,
    members: &'m dyn Members,
    known_members: HashMap<Uuid, bool>,
}

impl<'m> Rules<'m> {
    pub async fn load(conn: &mut PgConnection, members: &'m dyn Members) -> Result<Self, Problem> {
        let statuses = statuses(&mut *conn).await?;
        let definitions = definitions(&mut *conn)
            .await?
            .into_iter()
            .map(|d| (d.key.clone(), d))
            .collect();
        Ok(Self {
            statuses,
            definitions,
            members,
            known_members: HashMap::new(),
        })
    }

    /// Checks normalised fields against the tenant's data, completing them: custom values in
    /// canonical form, the pipeline of a stage, the first stage of a pipeline.
    ///
    /// On a change (`before` is the lead as it was), a status, owner or custom value that did
    /// not change is not checked again: a lead whose owner left the workspace, or whose select
    /// value lost its option, can still have its phone number corrected.
    pub async fn check(
        &mut self,
        conn: &mut PgConnection,
        mut f: LeadFields,
        before: Option<&LeadFields>,
    ) -> Result<LeadFields, CheckError> {
        let mut errors = FieldErrors::new();
        let mut fail = |field: &str, message: String| {
            errors.entry(field.to_owned()).or_default().push(message);
        };
        let unchanged_status = before.is_some_and(|b| b.status == f.status);
        if !unchanged_status && !self.statuses.contains(&f.status) {
            fail(
                "status",
                format!("must be one of: {}", self.statuses.join(", ")),
            );
        }
        for (key, value) in f.custom.iter_mut() {
            if before.is_some_and(|b| b.custom.get(key) == Some(&*value)) {
                continue;
            }
            match self.definitions.get(key) {
                None => fail(&format!("custom.{key}"), "is not a custom field".into()),
                Some(def) => {
                    if let Err(why) = custom_value(def, value) {
                        fail(&format!("custom.{key}"), why);
                    }
                }
            }
        }
        let placement = place(conn, f.pipeline_id, f.stage_id).await;
        match placement {
            Ok((pipeline, stage)) => (f.pipeline_id, f.stage_id) = (pipeline, stage),
            Err(Placement::Invalid(field, why)) => fail(field, why.into()),
            Err(Placement::Db(err)) => return Err(CheckError::Db(err)),
        }
        let unchanged_owner = before.is_some_and(|b| b.owner_id == f.owner_id);
        if let Some(owner) = f.owner_id.filter(|_| !unchanged_owner) {
            if !self.is_member(conn, owner).await? {
                fail("owner_id", "is not a member of this workspace".into());
            }
        }
        if errors.is_empty() {
            Ok(f)
        } else {
            Err(CheckError::Invalid(errors))
        }
    }

    pub async fn is_member(
        &mut self,
        conn: &mut PgConnection,
        user: Uuid,
    ) -> Result<bool, sqlx::Error> {
        if let Some(known) = self.known_members.get(&user) {
            return Ok(*known);
        }
        let member = self.members.is_member(conn, user).await?;
        self.known_members.insert(user, member);
        Ok(member)
    }
}

/// Why a lead's fields were refused: invalid (422 naming the fields) or the database failed.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("invalid lead fields")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<CheckError> for Problem {
    fn from(err: CheckError) -> Self {
        match err {
            CheckError::Invalid(errors) => Problem::validation(errors),
            CheckError::Db(err) => Problem::internal(&err),
        }
    }
}

enum Placement {
    Invalid(&'static str, &'static str),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for Placement {
    fn from(err: sqlx::Error) -> Self {
        Placement::Db(err)
    }
}

/// Resolves the pipeline and stage of a lead: a stage implies its pipeline, a pipeline alone
/// means its first stage.
async fn place(
    conn: &mut PgConnection,
    pipeline: Option<Uuid>,
    stage: Option<Uuid>,
) -> Result<(Option<Uuid>, Option<Uuid>), Placement> {
    match (pipeline, stage) {
        (None, None) => Ok((None, None)),
        (_, Some(stage)) => {
            let found = sqlx::query_as!(
                StageRef,
                "SELECT id, pipeline_id FROM lead_stages WHERE id = $1",
                stage,
            )
            .fetch_optional(&mut *conn)
            .await?;
            let found = found.ok_or(Placement::Invalid("stage_id", "is not a stage"))?;
            if pipeline.is_some_and(|p| p != found.pipeline_id) {
                return Err(Placement::Invalid(
                    "stage_id",
                    "is not a stage of this pipeline",
                ));
            }
            Ok((Some(found.pipeline_id), Some(found.id)))
        }
        (Some(pipeline), None) => {
            let exists = sqlx::query_scalar!(
                r#"SELECT EXISTS (SELECT 1 FROM lead_pipelines WHERE id = $1) AS "exists!""#,
                pipeline,
            )
            .fetch_one(&mut *conn)
            .await?;
            if !exists {
                return Err(Placement::Invalid("pipeline_id", "is not a pipeline"));
            }
            let first = sqlx::query_scalar!(
                "SELECT id FROM lead_stages WHERE pipeline_id = $1 ORDER BY position, id LIMIT 1",
                pipeline,
            )
            .fetch_optional(&mut *conn)
            .await?;
            let first = first.ok_or(Placement::Invalid("pipeline_id", "has no stages"))?;
            Ok((Some(pipeline), Some(first)))
        }
    }
}

/// Checks one custom value against its definition, putting it in canonical form.
fn custom_value(def: &FieldDefinition, value: &mut Value) -> Result<(), String> {
    match (def.kind.as_str(), &mut *value) {
        ("text", Value::String(s)) if s.chars().count() <= MAX_CUSTOM_TEXT => Ok(()),
        ("text", Value::String(_)) => Err(format!("must be at most {MAX_CUSTOM_TEXT} characters")),
        ("number", Value::Number(_)) => Ok(()),
        ("boolean", Value::Bool(_)) => Ok(()),
        ("date", Value::String(s)) if NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() => Ok(()),
        ("select", Value::String(s)) if def.options.contains(s) => Ok(()),
        ("multiselect", Value::Array(items)) => {
            let mut chosen: Vec<Value> = Vec::new();
            for item in items.iter() {
                match item {
                    Value::String(s) if def.options.contains(s) => {
                        if !chosen.contains(item) {
                            chosen.push(item.clone());
                        }
                    }
                    _ => return Err(format!("must be a list of: {}", def.options.join(", "))),
                }
            }
            *items = chosen;
            Ok(())
        }
        ("select", _) => Err(format!("must be one of: {}", def.options.join(", "))),
        ("date", _) => Err("must be a date (YYYY-MM-DD)".into()),
        (kind, _) => Err(format!("must be a {kind} value")),
    }
}

/// The member in turn for each new lead of `sources` (one entry per lead, in order; `None`
/// where no enabled rule covers the source). One statement moves every rule on by the number
/// of its new leads and hands out those turns in order, so a batch of leads takes consecutive
/// turns just as the same leads created one by one would. The rule's row lock (taken by the
/// UPDATE) is held until the creating transaction ends, so concurrent creates take
/// consecutive turns too.
pub async fn round_robin(
    conn: &mut PgConnection,
    sources: &[&str],
) -> Result<Vec<Option<Uuid>>, sqlx::Error> {
    let turns = sqlx::query!(
        r#"WITH wanted AS (
               SELECT lower(s) AS source, n FROM unnest($1::text[]) WITH ORDINALITY AS w(s, n)
           ), counts AS (
               SELECT source, count(*) AS k FROM wanted GROUP BY source
           ), moved AS (
               UPDATE lead_assignment_rules r SET next_index = r.next_index + c.k
               FROM counts c WHERE r.source = c.source AND r.enabled
               RETURNING r.source, r.member_ids, r.next_index - c.k AS first
           )
           SELECT w.n AS "n!",
               m.member_ids[(m.first + row_number() OVER (PARTITION BY w.source ORDER BY w.n)
                   - 1) % cardinality(m.member_ids) + 1] AS "member!"
           FROM wanted w JOIN moved m USING (source)"#,
        sources as &[&str],
    )
    .fetch_all(conn)
    .await?;
    let mut owners = vec![None; sources.len()];
    for turn in turns {
        // `n` counts from 1 (WITH ORDINALITY).
        if let Some(owner) = usize::try_from(turn.n - 1)
            .ok()
            .and_then(|i| owners.get_mut(i))
        {
            *owner = Some(turn.member);
        }
    }
    Ok(owners)
}
