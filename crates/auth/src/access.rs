//! Whether an access token may still act, and with which role. PostgreSQL decides: a session
//! ends when it is revoked (logout, reuse, password change, removal) and a membership carries
//! its current role and when it last changed. Redis only caches those answers, so a token is
//! never taken as valid because Redis lost something: a key that is missing (flushed, expired,
//! Redis restarted) or a Redis that does not answer means "ask PostgreSQL".
//!
//! Keys, under the deployment prefix:
//! - `auth:sess:{sid}`: `live` (for [`LIVE_FOR`]) or `ended` (until the session's access
//!   tokens have expired);
//! - `auth:member:{tenant}:{user}`: `<role>:<ms since the epoch of its last change>` or `none`
//!   (for [`LIVE_FOR`]).
//!
//! Ending a session writes `ended` (as it is revoked in PostgreSQL, before the commit: an
//! `ended` whose revocation then rolls back only signs that session out early); changing a
//! membership deletes its key once the change is committed. Should such a write fail (Redis
//! down), a `live` entry left behind expires within [`LIVE_FOR`].

use std::time::Duration;

use chrono::{DateTime, Utc};
use kernel::{Problem, Role, TenantId};
use uuid::Uuid;

use crate::jwt::AccessClaims;
use crate::state::AuthState;
use crate::store;

/// How long a positive answer is cached.
pub const LIVE_FOR: Duration = Duration::from_secs(60);

fn session_key(state: &AuthState, sid: &Uuid) -> String {
    state.cache.key(&format!("auth:sess:{sid}"))
}

fn member_key(state: &AuthState, tenant: &Uuid, user: &Uuid) -> String {
    state.cache.key(&format!("auth:member:{tenant}:{user}"))
}

/// What is known of a token's session and membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Access {
    session_live: bool,
    /// The current role and when it last changed (ms); `None`: not a member any more.
    member: Option<(Role, i64)>,
}

impl Access {
    /// The role the token acts with, or why it may not.
    fn decide(self, claims: &AccessClaims) -> Result<Role, Problem> {
        if !self.session_live {
            return Err(Problem::unauthorized("The session has ended."));
        }
        let Some((role, changed_ms)) = self.member else {
            return Err(Problem::unauthorized("The session has ended."));
        };
        if claims.iat_ms < changed_ms {
            return Err(Problem::unauthorized(
                "Your membership changed; refresh the session.",
            ));
        }
        Ok(role)
    }
}

fn parse_session(value: &str) -> Option<bool> {
    match value {
        "live" => Some(true),
        "ended" => Some(false),
        _ => None,
    }
}

fn parse_member(value: &str) -> Option<Option<(Role, i64)>> {
    if value == "none" {
        return Some(None);
    }
    let (role, ms) = value.split_once(':')?;
    Some(Some((Role::parse(role)?, ms.parse().ok()?)))
}

fn member_value(member: Option<(Role, i64)>) -> String {
    match member {
        Some((role, ms)) => format!("{}:{ms}", role.as_str()),
        None => "none".to_owned(),
    }
}

/// The role an access token acts with now (its session live, its holder still a member, and
/// the token issued after the last role change), or 401.
pub async fn check(state: &AuthState, claims: &AccessClaims) -> Result<Role, Problem> {
    let keys = [
        session_key(state, &claims.sid),
        member_key(state, &claims.tid, &claims.sub),
    ];
    let cached = cached(state, &keys).await;
    let (session, member) = match cached {
        Some((Some(session), Some(member))) => (session, member),
        partial => {
            let known = from_postgres(state, claims).await?;
            if partial.is_some() {
                remember(state, &keys, known).await;
            }
            (known.session_live, known.member)
        }
    };
    Access {
        session_live: session,
        member,
    }
    .decide(claims)
}

/// The cached answers (`None` when Redis did not answer at all).
async fn cached(
    state: &AuthState,
    keys: &[String; 2],
) -> Option<(Option<bool>, Option<Option<(Role, i64)>>)> {
    let mut conn = state.cache.conn().await.ok()?;
    let (session, member): (Option<String>, Option<String>) = redis::cmd("MGET")
        .arg(&keys[0])
        .arg(&keys[1])
        .query_async(&mut conn)
        .await
        .ok()?;
    Some((
        session.as_deref().and_then(parse_session),
        member.as_deref().and_then(parse_member),
    ))
}

async fn from_postgres(state: &AuthState, claims: &AccessClaims) -> Result<Access, Problem> {
    let found =
        store::sessions::access_state(&state.db, TenantId(claims.tid), claims.sid, claims.sub)
            .await?;
    let changed_ms = |at: Option<DateTime<Utc>>| at.map_or(0, |at| at.timestamp_millis());
    Ok(Access {
        session_live: found.session_live,
        member: found
            .role
            .map(|role| (role, changed_ms(found.role_changed_at))),
    })
}

async fn remember(state: &AuthState, keys: &[String; 2], known: Access) {
    let session_ttl = if known.session_live {
        LIVE_FOR
    } else {
        ended_for(state)
    };
    let mut pipe = redis::pipe();
    pipe.cmd("SET")
        .arg(&keys[0])
        .arg(if known.session_live { "live" } else { "ended" })
        .arg("EX")
        .arg(session_ttl.as_secs())
        .ignore()
        .cmd("SET")
        .arg(&keys[1])
        .arg(member_value(known.member))
        .arg("EX")
        .arg(LIVE_FOR.as_secs())
        .ignore();
    if let Ok(mut conn) = state.cache.conn().await {
        if let Err(e) = pipe.query_async::<()>(&mut conn).await {
            tracing::debug!(error = %e, "caching an access answer failed");
        }
    }
}

/// An ended session's access tokens live at most this long.
fn ended_for(state: &AuthState) -> Duration {
    state.settings.access_ttl + Duration::from_secs(60)
}

/// Marks sessions ended in the cache, as their end is written to PostgreSQL.
pub async fn sessions_ended(state: &AuthState, sids: &[Uuid]) {
    if sids.is_empty() {
        return;
    }
    let mut pipe = redis::pipe();
    for sid in sids {
        pipe.cmd("SET")
            .arg(session_key(state, sid))
            .arg("ended")
            .arg("EX")
            .arg(ended_for(state).as_secs())
            .ignore();
    }
    write(state, pipe, "ending sessions").await;
}

/// Forgets the cached membership of `user`, once its change is committed in PostgreSQL.
pub async fn membership_changed(state: &AuthState, tenant: TenantId, user: Uuid) {
    let mut pipe = redis::pipe();
    pipe.cmd("DEL")
        .arg(member_key(state, &tenant.0, &user))
        .ignore();
    write(state, pipe, "forgetting a membership").await;
}

/// A cache write after the truth is committed: a failure is logged, not the caller's error
/// (the entry it would have replaced expires within [`LIVE_FOR`]).
async fn write(state: &AuthState, pipe: redis::Pipeline, what: &str) {
    let result = match state.cache.conn().await {
        Ok(mut conn) => pipe.query_async::<()>(&mut conn).await,
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        tracing::warn!(error = %e, "{what} in the cache failed; PostgreSQL has it, the cache catches up within a minute");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_values_round_trip() {
        for member in [
            None,
            Some((Role::Admin, 1_765_000_000_123)),
            Some((Role::Viewer, 0)),
        ] {
            assert_eq!(parse_member(&member_value(member)), Some(member));
        }
        assert_eq!(parse_session("live"), Some(true));
        assert_eq!(parse_session("ended"), Some(false));
        assert_eq!(parse_session("1"), None);
        assert_eq!(parse_member("root:1"), None);
        assert_eq!(parse_member("admin"), None);
    }
}
