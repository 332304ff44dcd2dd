//! Who is calling, for which tenant, and the only door to tenant data.
//!
//! A [`Principal`] is resolved per request by whatever [`Authenticator`] the app installed
//! (the auth slice provides it), so slices depend on this type and never on auth's internals.
//! All tenant data is read and written in [`tenant_tx`]: a transaction in which
//! `app.tenant_id` is set transaction-locally, which PostgreSQL's row-level security policies
//! (see `kernel_enable_tenant_rls` in the migrations) use to hide every other tenant's rows.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::{dev::Payload, web, FromRequest, HttpMessage, HttpRequest};
use serde::{Deserialize, Serialize};
use sqlx::{PgPool, Postgres, Transaction};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::problem::Problem;
use crate::scopes::Scope;

/// A tenant's id. Every tenant table leads its primary key with it.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    sqlx::Type,
)]
#[sqlx(transparent)]
#[serde(transparent)]
pub struct TenantId(pub Uuid);

impl std::fmt::Display for TenantId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Member roles, strongest first. The permission matrix is in `docs/permissions.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Role {
    Owner,
    Admin,
    Member,
    Viewer,
}

impl Role {
    fn rank(self) -> u8 {
        match self {
            Role::Owner => 3,
            Role::Admin => 2,
            Role::Member => 1,
            Role::Viewer => 0,
        }
    }

    /// True when this role is `other` or stronger.
    pub fn at_least(self, other: Role) -> bool {
        self.rank() >= other.rank()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Viewer => "viewer",
        }
    }

    /// The role named `name` (`admin`), if there is one.
    pub fn parse(name: &str) -> Option<Role> {
        [Role::Owner, Role::Admin, Role::Member, Role::Viewer]
            .into_iter()
            .find(|role| role.as_str() == name)
    }
}

/// The party behind a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    User(Uuid),
    ApiKey(Uuid),
}

/// The authenticated caller: tenant, actor, role and the scopes it may use
/// ([`Scope::LeadsRead`], …). A user's scopes follow from its role; an API key's are the ones
/// it was created with.
#[derive(Clone, Debug)]
pub struct Principal {
    pub tenant_id: TenantId,
    pub actor: Actor,
    pub role: Role,
    pub scopes: Arc<BTreeSet<Scope>>,
}

impl Principal {
    pub fn user_id(&self) -> Option<Uuid> {
        match self.actor {
            Actor::User(id) => Some(id),
            Actor::ApiKey(_) => None,
        }
    }

    pub fn api_key_id(&self) -> Option<Uuid> {
        match self.actor {
            Actor::ApiKey(id) => Some(id),
            Actor::User(_) => None,
        }
    }

    pub fn has_scope(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    /// 403 unless the principal holds `scope` (handlers take [`crate::scopes::Scoped`]).
    pub fn require_scope(&self, scope: Scope) -> Result<(), Problem> {
        if self.has_scope(scope) {
            Ok(())
        } else {
            Err(Problem::forbidden(format!(
                "This needs the `{scope}` permission."
            )))
        }
    }

    /// 403 unless the principal is a person whose role is `role` or stronger. An API key
    /// holds no role (it authenticates as the weakest), whatever its scopes.
    pub fn require_role(&self, role: Role) -> Result<(), Problem> {
        if self.api_key_id().is_some() {
            Err(Problem::forbidden(format!(
                "This needs a person with the {} role or stronger: API keys hold no role.",
                role.as_str()
            )))
        } else if self.role.at_least(role) {
            Ok(())
        } else {
            Err(Problem::forbidden(format!(
                "This needs the {} role or stronger.",
                role.as_str()
            )))
        }
    }
}

/// Resolves the principal of a request. Installed by the app as `web::Data<dyn Authenticator>`.
#[async_trait::async_trait(?Send)]
pub trait Authenticator: 'static {
    /// `Err` is the problem to answer with (401, or 429 while throttled, …).
    async fn authenticate(&self, req: &HttpRequest) -> Result<Principal, Problem>;
}

impl FromRequest for Principal {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if let Some(p) = req.extensions().get::<Principal>() {
                return Ok(p.clone());
            }
            let Some(auth) = req.app_data::<web::Data<dyn Authenticator>>().cloned() else {
                return Err(Problem::unauthorized("Authentication is required.").into());
            };
            let principal = auth.authenticate(&req).await?;
            crate::telemetry::record_tenant(&principal.tenant_id.0);
            req.extensions_mut().insert(principal.clone());
            Ok(principal)
        })
    }
}

/// Role markers for [`RequireRole`].
pub mod roles {
    pub trait RoleMarker: 'static {
        const ROLE: super::Role;
    }
    pub struct Owner;
    pub struct Admin;
    pub struct Member;
    pub struct Viewer;
    impl RoleMarker for Owner {
        const ROLE: super::Role = super::Role::Owner;
    }
    impl RoleMarker for Admin {
        const ROLE: super::Role = super::Role::Admin;
    }
    impl RoleMarker for Member {
        const ROLE: super::Role = super::Role::Member;
    }
    impl RoleMarker for Viewer {
        const ROLE: super::Role = super::Role::Viewer;
    }
}

/// A principal whose role is at least `R` (403 otherwise): `RequireRole<roles::Admin>`.
pub struct RequireRole<R: roles::RoleMarker>(pub Principal, std::marker::PhantomData<R>);

impl<R: roles::RoleMarker> std::ops::Deref for RequireRole<R> {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.0
    }
}

impl<R: roles::RoleMarker> FromRequest for RequireRole<R> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let principal = Principal::from_request(req, payload);
        let gate = crate::scopes::AccessGate::open(req);
        Box::pin(async move {
            let checked = async {
                let principal = principal.await?;
                principal.require_role(R::ROLE)?;
                Ok::<_, actix_web::Error>(principal)
            }
            .await;
            gate.decided(checked.is_ok());
            Ok(RequireRole(checked?, std::marker::PhantomData))
        })
    }
}

/// Who the tenant's members are. The auth slice owns memberships; the app implements this
/// over it and installs it as `web::Data<dyn Members>`, so the slices that need to know (an
/// owner of a lead, a round-robin turn) never read auth's tables.
#[async_trait::async_trait]
pub trait Members: Send + Sync + 'static {
    /// Whether `user` is a member of the tenant of `conn`'s transaction (a `tenant_tx`).
    async fn is_member(
        &self,
        conn: &mut sqlx::PgConnection,
        user: Uuid,
    ) -> Result<bool, sqlx::Error>;

    /// The members of the tenant of `conn`'s transaction with their roles, strongest role
    /// first, then in the order they joined (demo data picks its lead owners from it). An
    /// adapter that cannot list them answers none.
    async fn list(&self, _conn: &mut sqlx::PgConnection) -> Result<Vec<(Uuid, Role)>, sqlx::Error> {
        Ok(Vec::new())
    }
}

/// Opens a transaction scoped to the principal's tenant (see the module docs).
pub async fn tenant_tx(
    pool: &PgPool,
    principal: &Principal,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    tenant_tx_for(pool, principal.tenant_id).await
}

/// As [`tenant_tx`], for a handler that only reads: the transaction is READ ONLY, and its
/// prepared statements run on PostgreSQL's generic plan. By default each execution of a
/// prepared statement is planned afresh for its values while the generic plan looks costlier
/// on paper, which for a list page under row-level security meant 0.26 ms of planning for
/// 0.09 ms of execution on every request; the generic plan (planned once per connection) is
/// the same index scan. End it with [`end_read`].
pub async fn tenant_read_tx(
    pool: &PgPool,
    principal: &Principal,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    begin_for(
        pool,
        principal.tenant_id,
        "BEGIN READ ONLY",
        ", set_config('plan_cache_mode', 'force_generic_plan', true)",
    )
    .await
}

/// Runs one read for `tenant` in a single round trip: the tenant setting and `statement` go
/// in one simple-query message, which PostgreSQL runs as one implicit transaction (so the
/// setting holds for the statement, row-level security applies, and nothing stays open).
/// For hot reads where a BEGIN, a statement and a ROLLBACK would triple the cost.
///
/// `statement` is trusted SQL: the simple protocol has no parameters, so any value in it must
/// be a literal the caller printed from a typed value (a `Uuid`, an integer), never client
/// text. Returns the statement's rows.
pub async fn tenant_read_once(
    pool: &PgPool,
    tenant: TenantId,
    statement: &str,
) -> Result<Vec<sqlx::postgres::PgRow>, sqlx::Error> {
    use sqlx::Row;
    let sql = format!(
        "SELECT set_config('app.tenant_id', '{}', true) AS kernel_tenant; {statement}",
        tenant.0
    );
    let rows = sqlx::raw_sql(&sql).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .filter(|row| row.try_column("kernel_tenant").is_err())
        .collect())
}

/// Ends a transaction that only read. Dropping it rolls it back, and sqlx sends that ROLLBACK
/// together with the check it runs when the connection goes back to the pool, after the
/// response: one round trip less on the request's path than awaiting a COMMIT. For a
/// transaction that wrote nothing, rolling back and committing are the same.
pub fn end_read(tx: Transaction<'static, Postgres>) {
    drop(tx);
}

/// As [`tenant_tx`], for code that acts for a tenant without a request (jobs, sign-up).
pub async fn tenant_tx_for(
    pool: &PgPool,
    tenant_id: TenantId,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    begin_for(pool, tenant_id, "BEGIN", "").await
}

/// `begin` (a BEGIN statement), then the tenant setting and any `more_settings` (trusted SQL,
/// `, set_config(…)`), in one round trip: one simple query. The id is a `Uuid` printed by us
/// (hex digits and dashes), so it is safe in the literal.
async fn begin_for(
    pool: &PgPool,
    tenant_id: TenantId,
    begin: &str,
    more_settings: &str,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    pool.begin_with(format!(
        "{begin}; SELECT set_config('app.tenant_id', '{}', true){more_settings}",
        tenant_id.0
    ))
    .await
}
