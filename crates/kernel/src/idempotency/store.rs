//! The `idempotency_keys` table: claiming a key, keeping the response, releasing the key.
//!
//! Each step is its own short tenant transaction, so no transaction stays open while the
//! handler runs. They commit without waiting for the WAL flush (`tenant_tx_unsynced`), which
//! is what keeps the middleware under half a millisecond: a claim is flushed by the handler's
//! own (synchronous) commit that follows it; a kept response could be lost only if PostgreSQL
//! itself crashed within a fraction of a second of the answer, and then a retry finds the key
//! in flight and, after the lease, runs the request again. A claimed (`in_flight`) row holds a lease rather than the full 24 hours: if
//! the process dies mid-request, the key becomes usable again once the lease has passed.
//! Expired rows are ignored and replaced in the claim itself; [`delete_expired`] removes them
//! for good (for the periodic cleanup job).

use std::time::Duration;

use sqlx::types::Json;
use sqlx::PgPool;

use crate::tenancy::{tenant_tx_unsynced, TenantId};

/// What a key is kept for: one tenant, one method, one path.
#[derive(Clone, Debug)]
pub struct KeyScope {
    pub tenant_id: TenantId,
    pub key: String,
    pub method: String,
    pub path: String,
}

/// A kept response: status, the headers worth replaying, body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The outcome of trying to claim a key.
#[derive(Debug)]
pub enum Claim {
    /// The key was free (or expired): this request runs.
    Claimed,
    /// An earlier request with this key and this fingerprint has finished.
    Replay(StoredResponse),
    /// The key was used with another payload.
    Mismatch,
    /// An earlier request with this key is still running.
    InFlight,
}

/// Claims the key for a request with `fingerprint`, for `lease`.
pub async fn claim(
    pool: &PgPool,
    scope: &KeyScope,
    fingerprint: &[u8],
    lease: Duration,
) -> Result<Claim, sqlx::Error> {
    let mut tx = tenant_tx_unsynced(pool, scope.tenant_id).await?;
    // A key released between the two statements is claimed on the next turn; after a few
    // turns of such churn, answering "in flight" is the honest reply.
    for _ in 0..3 {
        let claimed = sqlx::query_scalar::<_, bool>(
            "INSERT INTO idempotency_keys AS k \
                 (tenant_id, key, method, path, fingerprint, state, expires_at) \
             VALUES ($1, $2, $3, $4, $5, 'in_flight', now() + make_interval(secs => $6)) \
             ON CONFLICT (tenant_id, key, method, path) DO UPDATE \
                 SET fingerprint = EXCLUDED.fingerprint, state = 'in_flight', status = NULL, \
                     headers = NULL, body = NULL, created_at = now(), \
                     expires_at = EXCLUDED.expires_at \
                 WHERE k.expires_at <= now() \
             RETURNING true",
        )
        .bind(scope.tenant_id)
        .bind(&scope.key)
        .bind(&scope.method)
        .bind(&scope.path)
        .bind(fingerprint)
        .bind(lease.as_secs_f64())
        .fetch_optional(&mut *tx)
        .await?;
        if claimed.is_some() {
            tx.commit().await?;
            return Ok(Claim::Claimed);
        }

        let existing = sqlx::query_as::<_, ExistingRow>(
            "SELECT fingerprint, state, status, headers, body FROM idempotency_keys \
             WHERE tenant_id = $1 AND key = $2 AND method = $3 AND path = $4 \
               AND expires_at > now()",
        )
        .bind(scope.tenant_id)
        .bind(&scope.key)
        .bind(&scope.method)
        .bind(&scope.path)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = existing else { continue };
        tx.commit().await?;
        return Ok(row.into_claim(fingerprint));
    }
    tx.commit().await?;
    Ok(Claim::InFlight)
}

#[derive(sqlx::FromRow)]
struct ExistingRow {
    fingerprint: Vec<u8>,
    state: String,
    status: Option<i16>,
    headers: Option<Json<Vec<(String, String)>>>,
    body: Option<Vec<u8>>,
}

impl ExistingRow {
    fn into_claim(self, fingerprint: &[u8]) -> Claim {
        if self.fingerprint != fingerprint {
            return Claim::Mismatch;
        }
        match (self.state.as_str(), self.status) {
            ("done", Some(status)) => Claim::Replay(StoredResponse {
                status: u16::try_from(status).unwrap_or(500),
                headers: self.headers.map(|h| h.0).unwrap_or_default(),
                body: self.body.unwrap_or_default(),
            }),
            _ => Claim::InFlight,
        }
    }
}

/// Keeps the response of the request that claimed the key, for `ttl`.
pub async fn complete(
    pool: &PgPool,
    scope: &KeyScope,
    fingerprint: &[u8],
    response: &StoredResponse,
    ttl: Duration,
) -> Result<(), sqlx::Error> {
    let mut tx = tenant_tx_unsynced(pool, scope.tenant_id).await?;
    sqlx::query(
        "UPDATE idempotency_keys \
         SET state = 'done', status = $6, headers = $7, body = $8, \
             expires_at = now() + make_interval(secs => $9) \
         WHERE tenant_id = $1 AND key = $2 AND method = $3 AND path = $4 \
           AND fingerprint = $5 AND state = 'in_flight'",
    )
    .bind(scope.tenant_id)
    .bind(&scope.key)
    .bind(&scope.method)
    .bind(&scope.path)
    .bind(fingerprint)
    .bind(i16::try_from(response.status).unwrap_or(i16::MAX))
    .bind(Json(&response.headers))
    .bind(&response.body)
    .bind(ttl.as_secs_f64())
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Frees a claimed key, so that a retry runs the request again.
pub async fn release(
    pool: &PgPool,
    scope: &KeyScope,
    fingerprint: &[u8],
) -> Result<(), sqlx::Error> {
    let mut tx = tenant_tx_unsynced(pool, scope.tenant_id).await?;
    sqlx::query(
        "DELETE FROM idempotency_keys \
         WHERE tenant_id = $1 AND key = $2 AND method = $3 AND path = $4 \
           AND fingerprint = $5 AND state = 'in_flight'",
    )
    .bind(scope.tenant_id)
    .bind(&scope.key)
    .bind(&scope.method)
    .bind(&scope.path)
    .bind(fingerprint)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Deletes every tenant's expired keys (through `kernel_idempotency_cleanup()`, which runs as
/// the table owner); returns how many went.
pub async fn delete_expired(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let deleted: i64 = sqlx::query_scalar("SELECT kernel_idempotency_cleanup()")
        .fetch_one(pool)
        .await?;
    Ok(u64::try_from(deleted).unwrap_or(0))
}
