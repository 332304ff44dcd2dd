//! The application's own SQL: the readiness probe's round trip to PostgreSQL.

use sqlx::PgPool;

/// `SELECT 1` on a pooled connection: answers 1 while PostgreSQL serves queries.
pub(crate) async fn ping(db: &PgPool) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT 1 AS "one!""#)
        .fetch_one(db)
        .await
}
