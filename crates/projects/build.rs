//! Rebuilds this crate when a migration is added or changed: `sqlx::migrate!` and
//! `#[sqlx::test(migrations = …)]` embed the migrations at compile time, and cargo does not
//! otherwise notice a new file in that directory (a stale binary would skip the migration).
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
