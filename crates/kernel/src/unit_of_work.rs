//! The unit of work: one tenant transaction and the events it will publish.
//!
//! Every write path does the same four things: open the tenant's transaction, change rows,
//! publish the domain events that describe the change (in the same transaction: the
//! outbox), commit, and then wake the listeners on other instances. [`UnitOfWork`] holds
//! that tail so no handler repeats it:
//!
//! ```ignore
//! let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
//! store::rename(&mut work, id, name).await?;          // &mut work is a &mut PgConnection
//! work.publish_ids("pipelines", "pipeline.updated", &[id]).await?;
//! work.commit().await?;                                // then wakes other instances
//! ```
//!
//! Publish last, just before committing: publishing takes the tenant's event-sequence lock
//! until the transaction ends (see [`crate::events`]). Dropping a unit of work without
//! committing rolls everything back, events included.

use sqlx::{PgConnection, PgPool, Postgres, Transaction};

use crate::cache::Cache;
use crate::events::{self, EventError, NewEvent};
use crate::tenancy::{tenant_tx_for, Principal, TenantId};

/// A tenant transaction plus the events it publishes; see the module docs.
pub struct UnitOfWork {
    tx: Transaction<'static, Postgres>,
    cache: Cache,
    tenant: TenantId,
    last_seq: Option<i64>,
}

impl UnitOfWork {
    /// Opens the principal's tenant transaction.
    pub async fn begin(
        db: &PgPool,
        cache: &Cache,
        principal: &Principal,
    ) -> Result<Self, sqlx::Error> {
        Self::begin_for(db, cache, principal.tenant_id).await
    }

    /// As [`UnitOfWork::begin`], for work done for a tenant without a request (jobs).
    pub async fn begin_for(
        db: &PgPool,
        cache: &Cache,
        tenant: TenantId,
    ) -> Result<Self, sqlx::Error> {
        Ok(Self {
            tx: tenant_tx_for(db, tenant).await?,
            cache: cache.clone(),
            tenant,
            last_seq: None,
        })
    }

    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// Writes `event` in this transaction.
    pub async fn publish(&mut self, event: &NewEvent) -> Result<(), EventError> {
        self.last_seq = Some(events::publish(&mut self.tx, event).await?);
        Ok(())
    }

    /// Publishes `event_type` on `resources/<resource>` for `ids`; nothing when `ids` is empty.
    pub async fn publish_ids(
        &mut self,
        resource: &str,
        event_type: &str,
        ids: &[uuid::Uuid],
    ) -> Result<(), EventError> {
        if ids.is_empty() {
            return Ok(());
        }
        let event = NewEvent::for_ids(resource, event_type, ids.iter().copied())?;
        self.publish(&event).await
    }

    /// Commits, then tells the other instances that the tenant's events up to the last one
    /// published exist (best effort: the events are durable whatever Redis does).
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await?;
        if let Some(seq) = self.last_seq {
            events::notify_committed(&self.cache, self.tenant, seq).await;
        }
        Ok(())
    }
}

impl std::ops::Deref for UnitOfWork {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for UnitOfWork {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.tx
    }
}
