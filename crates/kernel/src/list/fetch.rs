//! Runs a list page and its total in one place, so every slice counts the same way.

use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{Arguments, FromRow, PgConnection};

use super::sql::SqlParts;

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
    run(conn, select_from, base_where, parts, |_| Ok(())).await
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
    run(conn, select_from, Some(base_where), parts, move |args| {
        args.add(scope.clone())
    })
    .await
}

async fn run<T>(
    conn: &mut PgConnection,
    select_from: &str,
    base_where: Option<&str>,
    parts: &SqlParts,
    scope: impl Fn(&mut PgArguments) -> Result<(), sqlx::error::BoxDynError>,
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
    let page_sql = format!(
        "{select_from} WHERE {where_sql} {}",
        parts.order_limit_sql()
    );
    let args = arguments()?;
    let items: Vec<T> = sqlx::query_as_with(&page_sql, args)
        .fetch_all(&mut *conn)
        .await?;

    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let page_is_short = len < parts.limit && (len > 0 || parts.offset == 0);
    if page_is_short {
        return Ok((items, parts.offset + len));
    }
    let count_sql = format!("SELECT count(*) FROM ({select_from} WHERE {where_sql}) AS listed");
    let args = arguments()?;
    let total: i64 = sqlx::query_scalar_with(&count_sql, args)
        .fetch_one(&mut *conn)
        .await?;
    Ok((items, total))
}
