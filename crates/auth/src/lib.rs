//! auth: tenants, users and their sessions, roles and members, API keys.
//!
//! Every other slice gets its `kernel::Principal` from here, through the
//! `kernel::tenancy::Authenticator` this crate implements ([`AuthState`]): an HttpOnly cookie
//! holding a short access JWT, or `Authorization: Bearer <API key>`.
//!
//! Modules: [`settings`] (what the app configures), [`state`] (shared state and the
//! authenticator), [`password`] (policy, argon2id on a bounded pool), [`jwt`], [`tokens`]
//! (opaque refresh/invite/reset tokens), [`cookies`], [`throttle`] (login backoff),
//! [`permissions`] (the role -> scope matrix), [`sessions`] (sign-in, rotation, revocation),
//! [`store`] (SQL), and `routes/` (one file per action).

pub mod access;
pub mod cookies;
pub mod demo;
pub mod jwt;
pub mod password;
pub mod permissions;
mod routes;
pub mod sessions;
pub mod settings;
pub mod state;
pub mod store;
pub mod throttle;
pub mod tokens;

pub use settings::AuthSettings;
pub use state::AuthState;

/// API-key last-used times are flushed from Redis to PostgreSQL by this job, every minute.
const FLUSH_API_KEYS: &str = "auth.flush_api_keys";

/// The slice: routes under `/api/v1` (auth, members, invitations, API keys), the API-key
/// last-used flush, and the demo tenant with its owner. The app builds [`AuthState`] (it is
/// also every slice's authenticator) and installs it.
pub fn slice() -> kernel::Slice {
    kernel::Slice::new("auth", routes::configure)
        .with_jobs(|ctx, registry| {
            let (db, cache) = (ctx.db.clone(), ctx.cache.clone());
            registry.on_raw(FLUSH_API_KEYS, move |_| {
                let (db, cache) = (db.clone(), cache.clone());
                async move {
                    // Unflushed times stay in Redis, so a failed run is made up by the next.
                    let flushed = store::api_keys::flush_last_used(&db, &cache)
                        .await
                        .map_err(kernel::jobs::JobFailure::retry)?;
                    tracing::debug!(flushed, "API-key last-used times flushed");
                    Ok(())
                }
            });
            registry.schedule(kernel::jobs::Schedule::new(
                "flush-api-keys",
                "* * * * *",
                FLUSH_API_KEYS,
            )?);
            Ok(())
        })
        .with_demo(|ctx, tenant| {
            Box::pin(async move {
                demo::seed(&ctx.db, tenant).await?;
                Ok(())
            })
        })
}
