//! Sessions: start one at sign-in, rotate its refresh token, end it.
//!
//! A session is a refresh-token family. Rotation marks the presented token used and issues
//! its successor. Presenting a used token again means it was copied: the whole family is
//! revoked, unless it happens within the grace window and the successor is still unused,
//! which is two tabs refreshing at once; they both get the same successor.

use std::time::Duration;

use chrono::Utc;
use kernel::tenancy::tenant_tx_for;
use kernel::{Problem, ProblemCode, Role, TenantId};
use secrecy::ExposeSecret;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::jwt::AccessClaims;
use crate::state::AuthState;
use crate::store::{self, users};
use crate::tokens::OpaqueToken;

/// A fresh pair of cookies' worth of tokens.
pub struct Issued {
    pub access: String,
    pub refresh: String,
    pub claims: AccessClaims,
}

impl Issued {
    /// The principal the new access token stands for.
    pub fn principal(&self) -> kernel::Principal {
        self.claims.principal()
    }

    /// Sets both cookies on a response.
    pub fn set_cookies(&self, state: &AuthState, res: &mut actix_web::HttpResponseBuilder) {
        crate::cookies::set_session(
            res,
            self.access.clone(),
            secs(state.settings.access_ttl),
            self.refresh.clone(),
            secs(state.settings.refresh_ttl),
        );
    }
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Signs an access token for the session.
pub fn access_token(
    state: &AuthState,
    user: Uuid,
    tenant: TenantId,
    role: Role,
    sid: Uuid,
) -> Result<(String, AccessClaims), Problem> {
    let now = Utc::now();
    let claims = AccessClaims {
        sub: user,
        tid: tenant.0,
        role,
        sid,
        jti: Uuid::new_v4(),
        iat: now.timestamp(),
        iat_ms: now.timestamp_millis(),
        exp: now.timestamp() + secs(state.settings.access_ttl),
        iss: state.settings.jwt_issuer.clone(),
        aud: state.settings.jwt_audience.clone(),
    };
    let token = state.jwt.sign(&claims).map_err(|e| Problem::internal(&e))?;
    Ok((token, claims))
}

/// Starts a session inside the caller's tenant transaction (commit it to keep the session).
pub async fn start(
    state: &AuthState,
    tx: &mut PgConnection,
    tenant: TenantId,
    user: Uuid,
    role: Role,
    user_agent: Option<&str>,
) -> Result<Issued, Problem> {
    let sid = Uuid::new_v4();
    let expires = Utc::now() + state.settings.refresh_ttl;
    let user_agent = user_agent.map(|ua| ua.chars().take(300).collect::<String>());
    store::sessions::insert(tx, tenant, sid, user, user_agent.as_deref(), expires).await?;
    let refresh = OpaqueToken::generate(tenant.0);
    store::sessions::insert_refresh_token(tx, tenant, &refresh, sid).await?;
    let (access, claims) = access_token(state, user, tenant, role, sid)?;
    Ok(Issued {
        access,
        refresh: refresh.encode(),
        claims,
    })
}

fn session_ended() -> Problem {
    Problem::unauthorized("The session has ended; sign in again.")
}

/// Rotates a refresh token (see the module docs).
pub async fn refresh(state: &AuthState, presented: &str) -> Result<Issued, Problem> {
    let token = OpaqueToken::decode(presented).ok_or_else(session_ended)?;
    let tenant = TenantId(token.scope);
    let mut tx = tenant_tx_for(&state.db, tenant).await?;
    let row = store::sessions::lock_presented(&mut tx, token.id).await?;
    let Some(row) = row.filter(|r| token.matches(&r.secret_hash)) else {
        return Err(session_ended());
    };
    if row.revoked_at.is_some() || row.expires_at <= Utc::now() {
        return Err(session_ended());
    }
    let Some(role) = users::role_in_current_tenant(&mut tx, row.user_id).await? else {
        revoke(state, &mut tx, row.session_id).await?;
        tx.commit().await?;
        return Err(session_ended());
    };

    let server_key = state.settings.server_secret.expose_secret().as_bytes();
    let next = token.successor(server_key);
    match row.used_at {
        None => {
            store::sessions::mark_used(&mut tx, token.id, next.id).await?;
            store::sessions::insert_refresh_token(&mut tx, tenant, &next, row.session_id).await?;
        }
        Some(used_at) => {
            let grace =
                chrono::Duration::from_std(state.settings.refresh_grace).unwrap_or_default();
            let concurrent = Utc::now() - used_at <= grace
                && row.replaced_by == Some(next.id)
                // NULL: the successor was committed after this statement's snapshot, so it
                // cannot have been used yet.
                && row.successor_used != Some(true);
            if !concurrent {
                tracing::warn!(session = %row.session_id, "refresh token reused: revoking the session");
                revoke(state, &mut tx, row.session_id).await?;
                tx.commit().await?;
                return Err(Problem::new(
                    ProblemCode::RefreshReused,
                    "This sign-in was used elsewhere; the session has been ended for safety.",
                ));
            }
        }
    }
    tx.commit().await?;
    let (access, claims) = access_token(state, row.user_id, tenant, role, row.session_id)?;
    Ok(Issued {
        access,
        refresh: next.encode(),
        claims,
    })
}

/// Ends a session: the family is revoked and its access tokens refused from now on.
pub async fn revoke(state: &AuthState, tx: &mut PgConnection, sid: Uuid) -> Result<(), Problem> {
    store::sessions::revoke(tx, sid).await?;
    crate::access::sessions_ended(state, &[sid]).await;
    Ok(())
}
