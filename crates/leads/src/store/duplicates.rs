//! The SQL that keeps upserts from creating duplicates: a lock per email and tenant.

use sqlx::PgConnection;

/// Takes the lock of (normalised) `email` in the tenant until the transaction ends, so that
/// concurrent upserts of one email take turns.
pub(crate) async fn lock_email(conn: &mut PgConnection, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "SELECT pg_advisory_xact_lock(hashtextextended(\
             'leads:' || kernel_current_tenant()::text || ':' || $1, 0))",
        email
    )
    .execute(conn)
    .await?;
    Ok(())
}
