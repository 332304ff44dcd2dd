//! Adopting a table another slice proposed (a discovery's accepted proposal): its SQL saved as
//! the next version of its script (named like its node, `<layer>_<name>`, so a silver and a
//! gold table of the same name keep apart), its node put in the tree (kept as it is when it exists),
//! the nodes of what it reads created as sources when missing, and lineage from them to it,
//! all in the caller's unit of work with the project locked, so the tree never shows half of
//! it and never gains a cycle.

use std::collections::HashSet;

use kernel::projects::{AdoptTable, Adopted};
use kernel::UnitOfWork;
use serde_json::json;
use uuid::Uuid;

use crate::layers::Objects;
use crate::scripts::{self, ScriptError};
use crate::store::projects as project_store;
use crate::store::tree::{self as store, Edge, NodeSpec};
use crate::tree::{find_cycle, publish};

#[derive(Debug, thiserror::Error)]
pub enum AdoptError {
    #[error("no object store is configured for scripts")]
    NoObjects,
    #[error("{0} is not a table layer (silver or gold)")]
    Layer(String),
    #[error("adopting {0} would close a lineage cycle")]
    Cycle(String),
    #[error(transparent)]
    Script(#[from] ScriptError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Event(#[from] kernel::events::EventError),
}

/// The tree node (and script) of table `name` in `layer`.
pub(crate) fn node_id(layer: &str, name: &str) -> String {
    format!("{layer}_{name}")
}

pub(crate) async fn adopt(
    work: &mut UnitOfWork,
    objects: Option<&Objects>,
    project: Uuid,
    table: &AdoptTable,
) -> Result<Option<Adopted>, AdoptError> {
    let objects = objects.ok_or(AdoptError::NoObjects)?;
    let kind = match table.layer.as_str() {
        "silver" => "table",
        "gold" => "model",
        other => return Err(AdoptError::Layer(other.to_owned())),
    };
    if project_store::lock_project(work, project).await?.is_none() {
        return Ok(None);
    }
    let target = node_id(&table.layer, &table.name);
    let script = scripts::save(
        work,
        objects,
        project,
        &target,
        &table.layer,
        table.sql.clone(),
    )
    .await?;
    let nodes = store::nodes(work, project).await?;
    let mut known: HashSet<String> = nodes.iter().map(|n| n.id.clone()).collect();
    let mut position = nodes.len() as i32;
    let mut new_nodes = Vec::new();
    let mut wanted = vec![(
        target.clone(),
        table.layer.as_str(),
        kind,
        table.name.as_str(),
    )];
    for (layer, name) in &table.reads {
        let kind = if layer == "bronze" { "source" } else { "table" };
        wanted.push((node_id(layer, name), layer.as_str(), kind, name.as_str()));
    }
    for (id, layer, kind, name) in &wanted {
        if known.contains(id) {
            continue;
        }
        store::upsert_node(
            work,
            project,
            &NodeSpec {
                id,
                layer,
                kind,
                name,
                position,
            },
        )
        .await?;
        position += 1;
        known.insert(id.clone());
        new_nodes.push(id.clone());
    }
    let mut edges = store::edges(work, project).await?;
    for (layer, name) in &table.reads {
        let edge = Edge {
            from: node_id(layer, name),
            to: target.clone(),
        };
        if edge.from != edge.to && !edges.contains(&edge) {
            edges.push(edge);
        }
    }
    if let Some(cycle) = find_cycle(&edges) {
        return Err(AdoptError::Cycle(cycle.join(" -> ")));
    }
    store::replace_edges(work, project, &edges).await?;
    let version = project_store::touch_state(work, project).await?;
    publish(work, project, "tree.updated", json!({"version": version})).await?;
    Ok(Some(Adopted {
        node: target,
        script_version: script.version,
        new_nodes,
    }))
}

/// The latest version of script `name` with its text, read from the object store.
pub(crate) async fn latest_script(
    work: &mut UnitOfWork,
    objects: Option<&Objects>,
    project: Uuid,
    name: &str,
) -> Result<Option<kernel::projects::ScriptText>, AdoptError> {
    let Some(latest) = crate::store::scripts::versions(work, project, name)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let objects = objects.ok_or(AdoptError::NoObjects)?;
    let path = object_store::path::Path::from(latest.key.as_str());
    let bytes = objects
        .store()
        .get(&path)
        .await
        .map_err(ScriptError::from)?
        .bytes()
        .await
        .map_err(ScriptError::from)?;
    Ok(Some(kernel::projects::ScriptText {
        version: latest.version,
        layer: latest.layer,
        sql: String::from_utf8_lossy(&bytes).into_owned(),
    }))
}
