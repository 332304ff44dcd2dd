//! The state tree's rules: lineage has no cycles, and a node's status change is one atomic
//! step (node row, run history, state version, event), whoever makes it: the API, or another
//! slice through [`kernel::projects::ProjectState`].

use std::collections::{BTreeMap, BTreeSet};

use kernel::events::NewEvent;
use kernel::projects::NodeUpdate;
use kernel::UnitOfWork;
use serde_json::json;
use uuid::Uuid;

use crate::model::NodeStatus;
use crate::store::tree::{self as store, ChangedNode, Edge, Node, NodeChange};

/// The nodes of a cycle in `edges`, in flow order with the first repeated at the end
/// (`a -> b -> a`), if there is one. Deterministic: nodes are visited in name order.
pub fn find_cycle(edges: &[Edge]) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for edge in edges {
        next.entry(&edge.from).or_default().insert(&edge.to);
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
    // Iterative depth-first search: the path is the stack of open nodes.
    for &start in next.keys() {
        if marks.contains_key(start) {
            continue;
        }
        let mut path: Vec<&str> = vec![start];
        let mut pending: Vec<std::collections::btree_set::Iter<'_, &str>> =
            vec![next.get(start).map(|s| s.iter()).unwrap_or_default()];
        marks.insert(start, Mark::Open);
        while let Some(children) = pending.last_mut() {
            match children.next() {
                Some(&child) => match marks.get(child) {
                    Some(Mark::Open) => {
                        let at = path.iter().position(|n| *n == child).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            path[at..].iter().map(|n| (*n).to_owned()).collect();
                        cycle.push(child.to_owned());
                        return Some(cycle);
                    }
                    Some(Mark::Done) => {}
                    None => {
                        marks.insert(child, Mark::Open);
                        path.push(child);
                        pending.push(next.get(child).map(|s| s.iter()).unwrap_or_default());
                    }
                },
                None => {
                    pending.pop();
                    if let Some(done) = path.pop() {
                        marks.insert(done, Mark::Done);
                    }
                }
            }
        }
    }
    None
}

/// Why a node change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum NodeChangeError {
    #[error("no such project or node")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Event(#[from] kernel::events::EventError),
    /// The server is shutting down.
    #[error("the update queue has stopped")]
    Stopped,
}

impl From<NodeChangeError> for kernel::Problem {
    fn from(err: NodeChangeError) -> Self {
        match err {
            NodeChangeError::NotFound => kernel::Problem::not_found("Node"),
            NodeChangeError::Db(e) => e.into(),
            NodeChangeError::Event(e) => kernel::Problem::internal(&e),
            NodeChangeError::Stopped => kernel::Problem::new(
                kernel::ProblemCode::DependencyDown,
                "The server is shutting down; try again.",
            )
            .with_retry_after(1),
        }
    }
}

/// Applies `update` to node `node` of `project` in `work`: the project row is locked first,
/// so concurrent changes apply one after the other and none is lost; the node's run history
/// follows its status; the state version is bumped; and `node.status` (or `node.updated`) is
/// published on `projects/<project>` with the seed's packet `{"nodeId", "newStatus"}`.
pub async fn change_node(
    work: &mut UnitOfWork,
    project: Uuid,
    node: &str,
    update: &NodeUpdate,
) -> Result<Node, NodeChangeError> {
    let change = NodeChange {
        status: update.status.map(NodeStatus::as_str),
        name: update.name.as_deref(),
        rows: update.rows,
        bytes: update.bytes,
        duration_ms: update.duration_ms,
        // A run that starts or ends green clears the last error unless it brings its own.
        error: match (&update.error, update.status) {
            (Some(e), _) => Some(e.as_deref()),
            (None, Some(NodeStatus::Running | NodeStatus::Green)) => Some(None),
            (None, _) => None,
        },
        starts: update.status == Some(NodeStatus::Running),
        finishes: update.status.is_some_and(NodeStatus::is_finished),
        run_id: update.run_id,
    };
    let ChangedNode {
        node: updated,
        state_version: version,
    } = store::change_node(work, project, node, &change)
        .await?
        .ok_or(NodeChangeError::NotFound)?;
    match update.status {
        Some(status) => {
            let packet = json!({
                "nodeId": updated.id,
                "newStatus": status.as_str(),
                "error": updated.error,
                "version": version,
            });
            publish(work, project, "node.status", packet).await?;
        }
        None => {
            let packet = json!({"nodeId": updated.id, "version": version});
            publish(work, project, "node.updated", packet).await?;
        }
    }
    Ok(updated)
}

/// The live channel of a project's page: node changes, runs, costs.
pub fn channel(project: Uuid) -> String {
    format!("projects/{project}")
}

/// Publishes `event_type` with `payload` on the project's live channel, in `work`.
pub async fn publish(
    work: &mut UnitOfWork,
    project: Uuid,
    event_type: &str,
    payload: serde_json::Value,
) -> Result<(), kernel::events::EventError> {
    work.publish(&NewEvent::new(channel(project), event_type, payload)?)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(pairs: &[(&str, &str)]) -> Vec<Edge> {
        pairs
            .iter()
            .map(|(f, t)| Edge {
                from: (*f).into(),
                to: (*t).into(),
            })
            .collect()
    }

    #[test]
    fn a_dag_has_no_cycle() {
        let dag = edges(&[("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")]);
        assert_eq!(find_cycle(&dag), None);
        assert_eq!(find_cycle(&[]), None);
    }

    #[test]
    fn a_cycle_is_named_in_flow_order() {
        let cyclic = edges(&[("a", "b"), ("b", "c"), ("c", "a"), ("x", "a")]);
        assert_eq!(
            find_cycle(&cyclic),
            Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
        );
        let long = edges(&[("s", "t1"), ("t1", "t2"), ("t2", "t3"), ("t3", "t1")]);
        assert_eq!(
            find_cycle(&long),
            Some(vec!["t1".into(), "t2".into(), "t3".into(), "t1".into()])
        );
    }

    #[test]
    fn a_deep_chain_does_not_overflow() {
        let chain: Vec<Edge> = (0..100_000)
            .map(|i| Edge {
                from: format!("n{i}"),
                to: format!("n{}", i + 1),
            })
            .collect();
        assert_eq!(find_cycle(&chain), None);
    }
}
