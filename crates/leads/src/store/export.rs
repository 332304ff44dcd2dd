//! The SQL of the CSV export: every live lead matching a list's filters, in the list's order,
//! read from the database cursor one by one.

use futures_util::stream::BoxStream;
use kernel::list::ListQuery;
use sqlx::error::BoxDynError;
use sqlx::postgres::PgArguments;
use sqlx::PgConnection;

use crate::model::{Lead, LEADS, LIVE, SELECT_LEADS};

/// The export's statement and its arguments.
pub(crate) struct LiveLeads {
    sql: String,
    args: PgArguments,
}

/// The live leads matching `query`'s filters, in its sort order (its paging is ignored).
pub(crate) fn live_leads(query: &ListQuery) -> Result<LiveLeads, BoxDynError> {
    let parts = query.to_sql(&LEADS, 1);
    Ok(LiveLeads {
        sql: format!(
            "{SELECT_LEADS} WHERE ({LIVE}) AND ({}) ORDER BY {}",
            parts.where_sql, parts.order_sql
        ),
        args: parts.arguments()?,
    })
}

impl LiveLeads {
    /// The leads, one at a time as the stream is polled.
    pub(crate) fn fetch<'a>(
        &'a self,
        conn: &'a mut PgConnection,
    ) -> BoxStream<'a, Result<Lead, sqlx::Error>> {
        // Dynamic: the list engine writes the WHERE and ORDER BY from the request.
        sqlx::query_as_with(&self.sql, self.args.clone()).fetch(conn)
    }
}
