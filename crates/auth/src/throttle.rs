//! Login throttling: failed sign-ins are counted per account and per client IP in Redis.
//! Past a free allowance, each further failure doubles a wait (1 s, 2 s, 4 s, … capped at
//! 15 min) during which sign-in answers 429 with `Retry-After`. Counters expire 15 minutes
//! after the last failure, so nothing an attacker does locks a victim out for good; a
//! successful sign-in clears the account's counter.

use sha2::{Digest, Sha256};

use crate::state::{redis_down, AuthState};
use kernel::{Problem, ProblemCode};

const WINDOW_SECS: u64 = 15 * 60;
const MAX_WAIT_SECS: u64 = 15 * 60;
/// Failures allowed before waits start.
const FREE_ACCOUNT: u64 = 5;
const FREE_IP: u64 = 20;

fn account_key(state: &AuthState, email: &str) -> String {
    let digest = hex::encode(Sha256::digest(email.trim().to_lowercase().as_bytes()));
    state
        .cache
        .key(&format!("auth:login:acct:{}", &digest[..32]))
}

fn ip_key(state: &AuthState, ip: &str) -> String {
    state.cache.key(&format!("auth:login:ip:{ip}"))
}

fn block_key(counter_key: &str) -> String {
    format!("{counter_key}:block")
}

/// 429 while either the account or the IP is waiting out a backoff.
pub async fn check(state: &AuthState, email: &str, ip: &str) -> Result<(), Problem> {
    let mut conn = state.cache.conn().await.map_err(redis_down)?;
    let mut pipe = redis::pipe();
    for key in [account_key(state, email), ip_key(state, ip)] {
        pipe.cmd("PTTL").arg(block_key(&key));
    }
    let (acct, ipttl): (i64, i64) = pipe.query_async(&mut conn).await.map_err(redis_down)?;
    let wait_ms = acct.max(ipttl);
    if wait_ms > 0 {
        let secs = (wait_ms as u64).div_ceil(1000);
        let mut problem = Problem::new(
            ProblemCode::LoginThrottled,
            "Too many failed sign-ins; wait before trying again.",
        );
        problem.retry_after = Some(secs.max(1));
        return Err(problem);
    }
    Ok(())
}

/// Counts a failure and, past the allowance, starts the next wait.
pub async fn record_failure(state: &AuthState, email: &str, ip: &str) -> Result<(), Problem> {
    let mut conn = state.cache.conn().await.map_err(redis_down)?;
    for (key, free) in [
        (account_key(state, email), FREE_ACCOUNT),
        (ip_key(state, ip), FREE_IP),
    ] {
        let (count,): (u64,) = redis::pipe()
            .cmd("INCR")
            .arg(&key)
            .cmd("EXPIRE")
            .arg(&key)
            .arg(WINDOW_SECS)
            .ignore()
            .query_async(&mut conn)
            .await
            .map_err(redis_down)?;
        if count >= free {
            let wait = 1u64
                .checked_shl((count - free).min(20) as u32)
                .unwrap_or(MAX_WAIT_SECS)
                .min(MAX_WAIT_SECS);
            redis::cmd("SET")
                .arg(block_key(&key))
                .arg(1)
                .arg("EX")
                .arg(wait)
                .query_async::<()>(&mut conn)
                .await
                .map_err(redis_down)?;
        }
    }
    Ok(())
}

/// A successful sign-in forgets the account's failures (not the IP's).
pub async fn record_success(state: &AuthState, email: &str) -> Result<(), Problem> {
    let mut conn = state.cache.conn().await.map_err(redis_down)?;
    let key = account_key(state, email);
    redis::cmd("DEL")
        .arg(&key)
        .arg(block_key(&key))
        .query_async::<()>(&mut conn)
        .await
        .map_err(redis_down)
}
