//! Node status updates, committed in batches.
//!
//! Every change to a project's nodes takes the project's row lock and the tenant's event
//! sequence until its transaction commits, so one tenant's updates commit one after another,
//! each paying a WAL flush: a few hundred per second. A [`NodeBatcher`] lets the updates that
//! arrive while a commit is under way share the next transaction: each is applied exactly as
//! alone (its own version, run history and event, in arrival order), and every caller is
//! answered only after that transaction has committed. Nothing waits on purpose: a batch is
//! whatever queued up during the previous commit, so a lone update goes at once.
//!
//! If a batch's transaction fails on one update (the rest are fine), the batch is rolled back
//! and each of its updates is retried in its own transaction, so one bad update never takes
//! others down with it.

use std::collections::HashMap;

use kernel::cache::Cache;
use kernel::projects::NodeUpdate;
use kernel::{TenantId, UnitOfWork};
use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot, OnceCell};
use uuid::Uuid;

use crate::routes::StateCache;
use crate::store::tree::Node;
use crate::tree::{change_node, NodeChangeError};

/// Most updates in one transaction.
const MAX_BATCH: usize = 256;

struct Pending {
    tenant: TenantId,
    project: Uuid,
    node: String,
    update: NodeUpdate,
    reply: oneshot::Sender<Result<Node, NodeChangeError>>,
}

/// Applies node updates in shared transactions (see the module docs). One per server worker;
/// its loop starts with the first update.
pub struct NodeBatcher {
    db: PgPool,
    cache: Cache,
    states: StateCache,
    queue: OnceCell<mpsc::UnboundedSender<Pending>>,
}

impl NodeBatcher {
    pub fn new(db: PgPool, cache: Cache, states: StateCache) -> Self {
        Self {
            db,
            cache,
            states,
            queue: OnceCell::new(),
        }
    }

    /// Applies `update` to node `node` of `project` for `tenant`; answers once it is committed.
    pub async fn apply(
        &self,
        tenant: TenantId,
        project: Uuid,
        node: String,
        update: NodeUpdate,
    ) -> Result<Node, NodeChangeError> {
        let queue = self
            .queue
            .get_or_init(|| async {
                let (queue, pending) = mpsc::unbounded_channel();
                tokio::spawn(run(
                    self.db.clone(),
                    self.cache.clone(),
                    self.states.clone(),
                    pending,
                ));
                queue
            })
            .await;
        let (reply, answer) = oneshot::channel();
        let pending = Pending {
            tenant,
            project,
            node,
            update,
            reply,
        };
        if queue.send(pending).is_err() {
            return Err(NodeChangeError::Stopped);
        }
        answer.await.unwrap_or(Err(NodeChangeError::Stopped))
    }
}

async fn run(
    db: PgPool,
    cache: Cache,
    states: StateCache,
    mut pending: mpsc::UnboundedReceiver<Pending>,
) {
    while let Some(first) = pending.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match pending.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        // One transaction per tenant, tenants in order of first arrival.
        let mut by_tenant: Vec<(TenantId, Vec<Pending>)> = Vec::new();
        let mut index: HashMap<Uuid, usize> = HashMap::new();
        for item in batch {
            let at = *index.entry(item.tenant.0).or_insert_with(|| {
                by_tenant.push((item.tenant, Vec::new()));
                by_tenant.len() - 1
            });
            by_tenant[at].1.push(item);
        }
        for (tenant, items) in by_tenant {
            commit_together(&db, &cache, &states, tenant, items).await;
        }
    }
}

/// Applies `items` in one transaction and answers each; on a database error, retries each
/// item alone. The projects' cached state documents are dropped before anyone is answered, so
/// a caller's next read sees its change.
async fn commit_together(
    db: &PgPool,
    cache: &Cache,
    states: &StateCache,
    tenant: TenantId,
    items: Vec<Pending>,
) {
    let together = async {
        let mut work = UnitOfWork::begin_for(db, cache, tenant).await?;
        let mut results = Vec::with_capacity(items.len());
        for item in &items {
            match change_node(&mut work, item.project, &item.node, &item.update).await {
                Err(NodeChangeError::Db(e)) => return Err(e),
                other => results.push(other),
            }
        }
        work.commit().await?;
        Ok::<_, sqlx::Error>(results)
    }
    .await;
    for item in &items {
        states.forget(tenant, item.project);
    }
    match together {
        Ok(results) => {
            for (item, result) in items.into_iter().zip(results) {
                let _ = item.reply.send(result);
            }
        }
        Err(_) if items.len() > 1 => {
            for item in items {
                let alone = apply_alone(db, cache, tenant, &item).await;
                states.forget(tenant, item.project);
                let _ = item.reply.send(alone);
            }
        }
        Err(e) => {
            if let Some(item) = items.into_iter().next() {
                let _ = item.reply.send(Err(NodeChangeError::Db(e)));
            }
        }
    }
}

async fn apply_alone(
    db: &PgPool,
    cache: &Cache,
    tenant: TenantId,
    item: &Pending,
) -> Result<Node, NodeChangeError> {
    let mut work = UnitOfWork::begin_for(db, cache, tenant).await?;
    let node = change_node(&mut work, item.project, &item.node, &item.update).await?;
    work.commit().await?;
    Ok(node)
}
