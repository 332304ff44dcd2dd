//! The one way a list endpoint answers: parse Refine's query against the resource's
//! allow-list, read the page and its exact total in a read-only tenant transaction, and
//! answer with the JSON array and `X-Total-Count`.
//!
//! ```ignore
//! const LISTING: Listing = Listing::new(&PIPELINES, "SELECT … FROM pipelines p");
//! pub async fn list_pipelines(db: Data<PgPool>, principal: Scoped<scope::LeadsRead>,
//!                             req: HttpRequest) -> Result<ListPage<Pipeline>, Problem> {
//!     LISTING.respond(&db, &principal, &req).await
//! }
//! ```

use actix_web::{web, HttpRequest};
use sqlx::postgres::PgRow;
use sqlx::{Arguments, FromRow, PgPool};
use uuid::Uuid;

use super::fetch::{run, CachedTotal};
use super::{parse, Counted, ListPage, Resource, Totals};
use crate::problem::Problem;
use crate::tenancy::{end_read, tenant_read_tx, Principal};

/// What a list endpoint lists: the resource's allow-list, the trusted `SELECT … FROM …`, an
/// optional fixed condition (`deleted_at IS NULL`; `$1` when the list is [`Listing::within`]
/// a parent) and, for tables with a change counter, cached exact totals.
#[derive(Clone, Copy)]
pub struct Listing<'a> {
    resource: &'a Resource,
    select_from: &'a str,
    base_where: Option<&'a str>,
    counted_table: Option<&'static str>,
}

impl<'a> Listing<'a> {
    pub const fn new(resource: &'a Resource, select_from: &'a str) -> Self {
        Self {
            resource,
            select_from,
            base_where: None,
            counted_table: None,
        }
    }

    /// Only rows matching `condition` (trusted SQL) are listed.
    pub const fn filtered(mut self, condition: &'a str) -> Self {
        self.base_where = Some(condition);
        self
    }

    /// Totals are cached under `table`'s change counter (`kernel_count_changes('<table>')` in
    /// a migration): see [`Totals`]. `select_from` must read only what that counter covers.
    pub const fn counted(mut self, table: &'static str) -> Self {
        self.counted_table = Some(table);
        self
    }

    /// Answers the request `req` for `principal`.
    pub async fn respond<T>(
        &self,
        db: &PgPool,
        principal: &Principal,
        req: &HttpRequest,
    ) -> Result<ListPage<T>, Problem>
    where
        T: for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        self.respond_in(db, principal, req, None).await
    }

    /// As [`Listing::respond`], for the rows of one parent: the condition given to
    /// [`Listing::filtered`] names it as `$1` (`endpoint_id = $1`).
    pub async fn respond_within<T>(
        &self,
        db: &PgPool,
        principal: &Principal,
        req: &HttpRequest,
        parent: Uuid,
    ) -> Result<ListPage<T>, Problem>
    where
        T: for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        self.respond_in(db, principal, req, Some(parent)).await
    }

    async fn respond_in<T>(
        &self,
        db: &PgPool,
        principal: &Principal,
        req: &HttpRequest,
        parent: Option<Uuid>,
    ) -> Result<ListPage<T>, Problem>
    where
        T: for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let query = parse(self.resource, req.query_string())?;
        let first = if parent.is_some() { 2 } else { 1 };
        let parts = query.to_sql(self.resource, first);
        let totals = req.app_data::<web::Data<Totals>>();
        let cached = match (self.counted_table, totals) {
            (Some(table), Some(totals)) => Some(CachedTotal {
                totals,
                counted: Counted {
                    tenant: principal.tenant_id,
                    table,
                },
            }),
            _ => None,
        };
        let mut tx = tenant_read_tx(db, principal).await?;
        let (items, total) = run(
            &mut tx,
            self.select_from,
            self.base_where,
            &parts,
            |args| match parent {
                Some(id) => args.add(id),
                None => Ok(()),
            },
            cached,
        )
        .await?;
        end_read(tx);
        Ok(ListPage { items, total })
    }
}
