//! Runs a list page and its total in one place, so every slice counts the same way.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{Arguments, FromRow, PgConnection, Row};

use super::sql::SqlParts;
use crate::tenancy::TenantId;

/// Runs `{select_from} WHERE {base_where} AND {filter} ORDER BY … LIMIT … OFFSET …` and the
/// matching `count(*)`, returning the page and the total.
///
/// `parts` must have been built with `first_placeholder == 1`; `select_from` (e.g.
/// `SELECT l.id, l.email FROM leads l`) and `base_where` are trusted SQL without parameters.
/// The count query is skipped when the page itself proves the total (a short page).
pub async fn fetch_page<T>(
    conn: &mut PgConnection,
    select_from: &str,
    base_where: Option<&str>,
    parts: &SqlParts,
) -> Result<(Vec<T>, i64), sqlx::Error>
where
    T: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    run(conn, select_from, base_where, parts, |_| Ok(()), None).await
}

/// As [`fetch_page`], for a page scoped by one parameter of the slice's own: `base_where`
/// uses `$1` (e.g. `endpoint_id = $1`) and `parts` must have been built with
/// `first_placeholder == 2`.
pub async fn fetch_page_with<T, S>(
    conn: &mut PgConnection,
    select_from: &str,
    base_where: &str,
    scope: S,
    parts: &SqlParts,
) -> Result<(Vec<T>, i64), sqlx::Error>
where
    T: for<'r> FromRow<'r, PgRow> + Send + Unpin,
    S: for<'q> sqlx::Encode<'q, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Clone + Send,
{
    run(
        conn,
        select_from,
        Some(base_where),
        parts,
        move |args| args.add(scope.clone()),
        None,
    )
    .await
}

/// As [`fetch_page`], taking the total from `totals` when the tenant's `table` has not changed
/// since it was counted (see [`Totals`]). `select_from` must read `table` (and only tables
/// whose changes that table's counter covers), and the transaction must not have written
/// `table` itself: its own uncommitted rows are not in the counter yet.
pub async fn fetch_page_counted<T>(
    conn: &mut PgConnection,
    select_from: &str,
    base_where: Option<&str>,
    parts: &SqlParts,
    totals: &Totals,
    counted: Counted,
) -> Result<(Vec<T>, i64), sqlx::Error>
where
    T: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    let cached = CachedTotal { totals, counted };
    run(
        conn,
        select_from,
        base_where,
        parts,
        |_| Ok(()),
        Some(cached),
    )
    .await
}

/// Which tenant's table a counted list reads.
#[derive(Debug, Clone, Copy)]
pub struct Counted {
    pub tenant: TenantId,
    /// A table with a change counter (`SELECT kernel_count_changes('<table>')` in a migration).
    pub table: &'static str,
}

/// List totals, exact and cheap: a total is kept under the value the tenant's change counter
/// for the table had when it was counted (`kernel_change_counters`, bumped at the commit of
/// every transaction that changed the table) and reused while the counter still has that
/// value; entries of older values age out. Counting a filtered list reads every matching row;
/// a cached total costs a primary-key read inside the page's own statement. Any instance's
/// write moves the counter, so no instance serves a stale total. One per process, shared by
/// its workers (clones share the entries).
#[derive(Clone)]
pub struct Totals {
    entries: moka::future::Cache<(TenantId, &'static str, String, i64), i64>,
}

impl Totals {
    /// Entries beyond this many are evicted least-recently-used first.
    const CAPACITY: u64 = 20_000;
    /// An entry not read for this long is dropped.
    const IDLE: Duration = Duration::from_secs(600);

    pub fn new() -> Self {
        Self {
            entries: moka::future::Cache::builder()
                .max_capacity(Self::CAPACITY)
                .time_to_idle(Self::IDLE)
                .build(),
        }
    }
}

impl Default for Totals {
    fn default() -> Self {
        Self::new()
    }
}

pub(super) struct CachedTotal<'t> {
    pub(super) totals: &'t Totals,
    pub(super) counted: Counted,
}

impl CachedTotal<'_> {
    /// The counter's value as a subquery (0 before the table's first change for the tenant);
    /// row-level security limits it to the transaction's tenant.
    fn counter_sql(&self) -> String {
        let table = self.counted.table;
        debug_assert!(table.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        format!("coalesce((SELECT value FROM kernel_change_counters WHERE name = '{table}'), 0)")
    }
}

pub(super) async fn run<T>(
    conn: &mut PgConnection,
    select_from: &str,
    base_where: Option<&str>,
    parts: &SqlParts,
    scope: impl Fn(&mut PgArguments) -> Result<(), sqlx::error::BoxDynError>,
    cached: Option<CachedTotal<'_>>,
) -> Result<(Vec<T>, i64), sqlx::Error>
where
    T: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    let arguments = || -> Result<PgArguments, sqlx::Error> {
        let mut args = PgArguments::default();
        scope(&mut args).map_err(sqlx::Error::Encode)?;
        parts.add_to(&mut args).map_err(sqlx::Error::Encode)?;
        Ok(args)
    };
    let where_sql = match base_where {
        Some(base) => format!("({base}) AND ({})", parts.where_sql),
        None => parts.where_sql.clone(),
    };
    // A counted list reads the change counter in the page's own statement (one round trip).
    let select = match (&cached, select_from.strip_prefix("SELECT ")) {
        (Some(cached), Some(rest)) => {
            format!(
                "SELECT {} AS {COUNTER_COLUMN}, {rest}",
                cached.counter_sql()
            )
        }
        _ => select_from.to_owned(),
    };
    let page_sql = format!("{select} WHERE {where_sql} {}", parts.order_limit_sql());
    // Runtime SQL: the list engine builds the filters, sort and page from the request.
    let rows: Vec<PgRow> = sqlx::query_with(&page_sql, arguments()?)
        .fetch_all(&mut *conn)
        .await?;
    let page_counter: Option<i64> = match rows.first() {
        Some(row) if cached.is_some() => row.try_get(COUNTER_COLUMN).ok(),
        _ => None,
    };
    let items = rows
        .iter()
        .map(T::from_row)
        .collect::<Result<Vec<T>, _>>()?;

    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let page_is_short = len < parts.limit && (len > 0 || parts.offset == 0);
    if page_is_short {
        return Ok((items, parts.offset + len));
    }
    let listed = format!("SELECT 1 FROM ({select_from} WHERE {where_sql}) AS listed");
    let Some(cached) = cached else {
        let count_sql = format!("SELECT count(*) FROM ({listed}) AS counted");
        // Runtime SQL: counts the rows of the list's runtime WHERE.
        let total: i64 = sqlx::query_scalar_with(&count_sql, arguments()?)
            .fetch_one(&mut *conn)
            .await?;
        return Ok((items, total));
    };
    let counter = match page_counter {
        Some(counter) => counter,
        // A page past the end has no row to carry it.
        None => {
            // Runtime SQL: the same counter subquery the page statement inlines (`counter_sql`).
            sqlx::query_scalar(&format!("SELECT {}", cached.counter_sql()))
                .fetch_one(&mut *conn)
                .await?
        }
    };
    // The key is the query itself (the same SQL and values count the same rows) and the
    // counter read above. The count runs after that read, so it can only include changes
    // committed since, which only requests concurrent with them can have read the old value
    // for. Concurrent misses of one key wait for a single count.
    let key = (
        cached.counted.tenant,
        cached.counted.table,
        format!("{listed}\u{0}{:?}", parts.params),
        counter,
    );
    let count_sql = format!("SELECT count(*) FROM ({listed}) AS counted");
    let count = async {
        // Runtime SQL: counts the rows of the list's runtime WHERE.
        sqlx::query_scalar_with::<_, i64, _>(&count_sql, arguments()?)
            .fetch_one(&mut *conn)
            .await
    };
    let total = cached
        .totals
        .entries
        .entry(key)
        .or_try_insert_with(count)
        .await
        .map_err(|shared| {
            // The waiters of a failed count share its error.
            Arc::try_unwrap(shared).unwrap_or_else(|e| sqlx::Error::Protocol(e.to_string()))
        })?
        .into_value();
    Ok((items, total))
}

/// The change counter's column in a counted page (a name no list selects).
const COUNTER_COLUMN: &str = "kernel_list_counter";
