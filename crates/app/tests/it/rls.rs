//! Row-level security, exercised as the runtime role the application uses.

use kernel::tenancy::{tenant_tx_for, TenantId};
use sqlx::PgPool;
use uuid::Uuid;

struct Tenants {
    a: TenantId,
    b: TenantId,
}

/// Two tenants with one note each, arranged as the owner (a superuser here, who bypasses RLS).
async fn arrange(owner: &PgPool) -> Tenants {
    let (a, b) = (TenantId(Uuid::new_v4()), TenantId(Uuid::new_v4()));
    sqlx::query(
        "INSERT INTO tenants (id, name, slug) VALUES ($1, 'A', 'tenant-a'), ($2, 'B', 'tenant-b')",
    )
    .bind(a)
    .bind(b)
    .execute(owner)
    .await
    .unwrap();
    // A tenant table made the way every slice makes one: tenant first in the key, one-line RLS.
    sqlx::raw_sql(
        "CREATE TABLE notes (tenant_id uuid NOT NULL REFERENCES tenants(id), id uuid NOT NULL, \
         body text NOT NULL, PRIMARY KEY (tenant_id, id)); \
         SELECT kernel_enable_tenant_rls('notes');",
    )
    .execute(owner)
    .await
    .unwrap();
    for (t, body) in [(a, "a's note"), (b, "b's note")] {
        sqlx::query("INSERT INTO notes (tenant_id, id, body) VALUES ($1, $2, $3)")
            .bind(t)
            .bind(Uuid::new_v4())
            .bind(body)
            .execute(owner)
            .await
            .unwrap();
    }
    Tenants { a, b }
}

fn runtime(owner: &PgPool) -> PgPool {
    kernel::db::runtime_pool_from_owner(&owner.connect_options(), 2)
}

#[sqlx::test(migrations = "../../migrations")]
async fn runtime_role_owns_nothing_and_cannot_bypass_rls(owner: PgPool) {
    arrange(&owner).await;
    let db = runtime(&owner);

    let (user, bypass, superuser): (String, bool, bool) = sqlx::query_as(
        "SELECT current_user::text, rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let owned: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user",
    )
    .fetch_one(&db)
    .await
    .unwrap();

    assert_eq!(user, "fortress_app");
    assert!(!bypass && !superuser);
    assert_eq!(owned, 0);
}

#[sqlx::test(migrations = "../../migrations")]
async fn without_tenant_context_tenant_tables_are_empty(owner: PgPool) {
    arrange(&owner).await;
    let db = runtime(&owner);

    let tenants: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants")
        .fetch_one(&db)
        .await
        .unwrap();
    let notes: i64 = sqlx::query_scalar("SELECT count(*) FROM notes")
        .fetch_one(&db)
        .await
        .unwrap();
    let updated = sqlx::query("UPDATE notes SET body = 'x'")
        .execute(&db)
        .await
        .unwrap();

    assert_eq!((tenants, notes, updated.rows_affected()), (0, 0, 0));
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_tenant_reads_and_writes_only_its_own_rows(owner: PgPool) {
    let t = arrange(&owner).await;
    let db = runtime(&owner);

    let mut tx = tenant_tx_for(&db, t.a).await.unwrap();
    let visible: Vec<String> = sqlx::query_scalar("SELECT body FROM notes")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    let tenants: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM tenants")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    let updated = sqlx::query("UPDATE notes SET body = 'hijacked' WHERE tenant_id = $1")
        .bind(t.b)
        .execute(&mut *tx)
        .await
        .unwrap();
    let deleted = sqlx::query("DELETE FROM notes WHERE tenant_id = $1")
        .bind(t.b)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    assert_eq!(visible, vec!["a's note".to_owned()]);
    assert_eq!(tenants, vec![t.a.0]);
    assert_eq!((updated.rows_affected(), deleted.rows_affected()), (0, 0));
    let b_body: String = sqlx::query_scalar("SELECT body FROM notes WHERE tenant_id = $1")
        .bind(t.b)
        .fetch_one(&owner)
        .await
        .unwrap();
    assert_eq!(b_body, "b's note");
}

#[sqlx::test(migrations = "../../migrations")]
async fn inserting_or_moving_a_row_into_another_tenant_is_rejected(owner: PgPool) {
    let t = arrange(&owner).await;
    let db = runtime(&owner);

    let mut tx = tenant_tx_for(&db, t.a).await.unwrap();
    let insert = sqlx::query("INSERT INTO notes (tenant_id, id, body) VALUES ($1, $2, 'planted')")
        .bind(t.b)
        .bind(Uuid::new_v4())
        .execute(&mut *tx)
        .await;
    drop(tx);
    let mut tx = tenant_tx_for(&db, t.a).await.unwrap();
    let moved = sqlx::query("UPDATE notes SET tenant_id = $1")
        .bind(t.b)
        .execute(&mut *tx)
        .await;
    drop(tx);

    let insert_err = insert.unwrap_err().to_string();
    assert!(insert_err.contains("row-level security"), "{insert_err}");
    assert!(moved
        .unwrap_err()
        .to_string()
        .contains("row-level security"));
    let b_notes: i64 = sqlx::query_scalar("SELECT count(*) FROM notes WHERE tenant_id = $1")
        .bind(t.b)
        .fetch_one(&owner)
        .await
        .unwrap();
    assert_eq!(b_notes, 1);
}

#[sqlx::test(migrations = "../../migrations")]
async fn tenant_setting_does_not_outlive_its_transaction(owner: PgPool) {
    let t = arrange(&owner).await;
    // One connection, so the second query reuses the session of the first transaction.
    let db = runtime(&owner);
    let mut conn = db.acquire().await.unwrap();

    let mut tx = sqlx::Connection::begin(&mut *conn).await.unwrap();
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(t.a.0.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM notes")
        .fetch_one(&mut *conn)
        .await
        .unwrap();

    assert_eq!(after, 0);
}
