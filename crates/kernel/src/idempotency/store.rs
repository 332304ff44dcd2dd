//! The `idempotency_keys` table: claiming a key, keeping the response, releasing the key.
//!
//! Each step is one statement calling a `kernel_idempotency_*` SQL function (one round trip, no
//! transaction open while the handler runs), scoped to the principal's tenant. They commit
//! without waiting for the WAL flush (each statement first calls
//! `set_config('synchronous_commit', 'off', true)`, which lasts until its own commit), which is
//! what keeps the middleware under half a millisecond: a claim is flushed by the handler's own
//! (synchronous) commit that follows it; a kept response could be lost only if PostgreSQL
//! itself crashed within a fraction of a second of the answer, and then a retry finds the key
//! in flight and, after the lease, runs the request again. A claimed (`in_flight`) row holds a
//! lease rather than the full 24 hours: if the process dies mid-request, the key becomes usable
//! again once the lease has passed. Expired rows are ignored and replaced in the claim itself;
//! [`delete_expired`] removes them for good (for the periodic cleanup job).

use std::time::Duration;

use sqlx::types::Json;
use sqlx::PgPool;

use crate::tenancy::TenantId;

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
    let row = sqlx::query_as!(
        ClaimRow,
        r#"SELECT f.claimed AS "claimed!", f.fingerprint, f.state, f.status,
                  f.headers AS "headers: Json<Vec<(String, String)>>", f.body
           FROM set_config('synchronous_commit', 'off', true) AS s,
                kernel_idempotency_claim($1, $2, $3, $4, $5, $6) AS f"#,
        scope.tenant_id.0,
        &scope.key,
        &scope.method,
        &scope.path,
        fingerprint,
        lease.as_secs_f64(),
    )
    .fetch_one(pool)
    .await?;
    Ok(row.into_claim(fingerprint))
}

struct ClaimRow {
    claimed: bool,
    fingerprint: Option<Vec<u8>>,
    state: Option<String>,
    status: Option<i16>,
    headers: Option<Json<Vec<(String, String)>>>,
    body: Option<Vec<u8>>,
}

impl ClaimRow {
    fn into_claim(self, fingerprint: &[u8]) -> Claim {
        if self.claimed {
            return Claim::Claimed;
        }
        if self.fingerprint.as_deref() != Some(fingerprint) {
            return Claim::Mismatch;
        }
        match (self.state.as_deref(), self.status) {
            (Some("done"), Some(status)) => Claim::Replay(StoredResponse {
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
    sqlx::query!(
        "SELECT f.* FROM set_config('synchronous_commit', 'off', true) AS s,
                         kernel_idempotency_complete($1, $2, $3, $4, $5, $6, $7, $8, $9) AS f",
        scope.tenant_id.0,
        &scope.key,
        &scope.method,
        &scope.path,
        fingerprint,
        i16::try_from(response.status).unwrap_or(i16::MAX),
        Json(&response.headers) as _,
        &response.body,
        ttl.as_secs_f64(),
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Frees a claimed key, so that a retry runs the request again.
pub async fn release(
    pool: &PgPool,
    scope: &KeyScope,
    fingerprint: &[u8],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "SELECT f.* FROM set_config('synchronous_commit', 'off', true) AS s,
                         kernel_idempotency_release($1, $2, $3, $4, $5) AS f",
        scope.tenant_id.0,
        &scope.key,
        &scope.method,
        &scope.path,
        fingerprint,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Deletes every tenant's expired keys (through `kernel_idempotency_cleanup()`, which runs as
/// the table owner); returns how many went.
pub async fn delete_expired(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let deleted = sqlx::query_scalar!(r#"SELECT kernel_idempotency_cleanup() AS "deleted!""#)
        .fetch_one(pool)
        .await?;
    Ok(u64::try_from(deleted).unwrap_or(0))
}
