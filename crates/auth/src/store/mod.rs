//! SQL of the slice, one file per table family. Everything tenant-scoped runs inside a
//! `kernel::tenant_tx`; lookups that must happen before a tenant is known go through the
//! `SECURITY DEFINER` functions of the auth migration.

pub mod api_keys;
pub mod invitations;
pub mod members;
pub mod password_resets;
pub mod sessions;
pub mod users;

/// The name of the unique constraint a database error violated, if that is what it is.
pub fn unique_violation(err: &sqlx::Error) -> Option<&str> {
    match err {
        sqlx::Error::Database(db) if db.is_unique_violation() => db.constraint(),
        _ => None,
    }
}
