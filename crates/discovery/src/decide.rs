//! A person's decision on a proposal: accept (the project adopts the table: its script, its
//! node and lineage, through [`kernel::projects::ProjectState::adopt_table`]) or dismiss. Only
//! a valid proposal can be accepted, and a proposal is decided once.

use kernel::projects::{AdoptRefused, AdoptTable, Adopted, ProjectState};
use kernel::UnitOfWork;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::store::{self, Discovery, Proposal};

pub enum Decision {
    Accept,
    Dismiss,
}

#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error("no such proposal")]
    NotFound,
    #[error("the proposal is {0}")]
    NotOpen(String),
    #[error("the project is gone")]
    ProjectGone,
    /// The project refused it (a lineage cycle).
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Adopt(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Event(#[from] kernel::events::EventError),
}

/// The tables `sql` reads from the layers below it: `(layer, name)` for each `bronze.<name>`
/// and `silver.<name>` (quoted or not), in order, once each.
pub fn reads(sql: &str) -> Vec<(String, String)> {
    let lower = sql.to_ascii_lowercase();
    let mut found: Vec<(String, String)> = Vec::new();
    for layer in ["bronze", "silver"] {
        let prefix = format!("{layer}.");
        let mut from = 0;
        while let Some(at) = lower[from..].find(&prefix) {
            let start = from + at;
            from = start + prefix.len();
            let before = lower[..start].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '"') {
                continue;
            }
            let rest = &sql[from..];
            let name = if let Some(quoted) = rest.strip_prefix('"') {
                quoted.split('"').next().unwrap_or_default().to_owned()
            } else {
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect()
            };
            let entry = (layer.to_owned(), name.to_ascii_lowercase());
            if !entry.1.is_empty() && !found.contains(&entry) {
                found.push(entry);
            }
        }
    }
    found
}

/// Decides proposal `id` of `discovery` in `work`; the decided proposal and, when accepted,
/// what the project adopted.
pub async fn decide(
    work: &mut UnitOfWork,
    projects: &dyn ProjectState,
    discovery: &Discovery,
    id: Uuid,
    decision: Decision,
    by: Option<Uuid>,
) -> Result<(Proposal, Option<Adopted>), DecideError> {
    let proposal = store::lock_proposal(work, discovery.id, id)
        .await?
        .ok_or(DecideError::NotFound)?;
    let open = match decision {
        Decision::Accept => proposal.status == "valid",
        Decision::Dismiss => matches!(proposal.status.as_str(), "valid" | "rejected"),
    };
    if !open {
        return Err(DecideError::NotOpen(proposal.status));
    }
    let adopted = match decision {
        Decision::Dismiss => None,
        Decision::Accept => {
            let sql = proposal
                .validation
                .as_ref()
                .and_then(|v| v["sql"].as_str())
                .unwrap_or(&proposal.sql)
                .to_owned();
            let table = AdoptTable {
                layer: proposal.layer.clone(),
                name: proposal.name.clone(),
                reads: reads(&sql)
                    .into_iter()
                    .filter(|(layer, name)| !(*layer == proposal.layer && *name == proposal.name))
                    .collect(),
                sql,
            };
            let adopted = projects
                .adopt_table(work, discovery.project_id, &table)
                .await
                .map_err(|e| match e.downcast_ref::<AdoptRefused>() {
                    Some(refused) => DecideError::Refused(refused.0.clone()),
                    None => DecideError::Adopt(e.to_string()),
                })?
                .ok_or(DecideError::ProjectGone)?;
            Some(adopted)
        }
    };
    let status = match decision {
        Decision::Accept => "accepted",
        Decision::Dismiss => "dismissed",
    };
    let decided = store::decide(work, proposal.id, status, by).await?;
    work.publish(&kernel::events::NewEvent::new(
        format!("projects/{}", discovery.project_id),
        "discovery.updated",
        json!({"id": discovery.id, "proposal": decided.id, "status": discovery.status, "decision": status}),
    )?)
    .await?;
    work.publish_ids("discoveries", "discovery.updated", &[discovery.id])
        .await?;
    Ok((decided, adopted))
}

/// The decided proposal with what was adopted, as the API answers.
pub fn answer(proposal: &Proposal, adopted: Option<&Adopted>) -> Value {
    let mut body = json!(proposal);
    if let Some(adopted) = adopted {
        body["adopted"] = json!({
            "node": adopted.node,
            "script_version": adopted.script_version,
            "new_nodes": adopted.new_nodes,
        });
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_the_tables_a_query_reads_once_each() {
        let sql = "CREATE OR REPLACE TABLE gold.clv AS SELECT * FROM silver.\"Customers\" AS c \
                   LEFT JOIN silver.orders o ON o.id = c.id JOIN silver.orders x ON true \
                   WHERE c.note <> 'mysilver.fake'";
        assert_eq!(
            reads(sql),
            [
                ("silver".to_owned(), "customers".to_owned()),
                ("silver".to_owned(), "orders".to_owned())
            ]
        );
        assert_eq!(
            reads("create table silver.orders as select 1 from bronze.orders"),
            [
                ("bronze".to_owned(), "orders".to_owned()),
                ("silver".to_owned(), "orders".to_owned())
            ]
        );
    }
}
