//! The escape matrix: every attempt to reach outside the sandbox fails twice, once at the
//! pre-check (a clear refusal) and once with the pre-check bypassed, where DuckDB's own locked
//! configuration (and the child's namespaces) must stop it. Nothing is written anywhere.

use std::net::TcpListener;

use crate::TestWorkspace;
use sandbox::SandboxError;

const SECRET: &str = "top-secret-value";

/// Runs `sql` with and without the pre-check; both must fail, change no file, and never show the
/// secret. Returns DuckDB's error (the second run's) for the assertion's message.
async fn assert_escape_fails(workspace: &TestWorkspace, sql: &str) -> SandboxError {
    let before = workspace.snapshot();

    let checked = workspace.run(sql).await;
    assert!(
        matches!(checked, Err(SandboxError::Refused { .. })),
        "pre-check let through {sql:?}: {checked:?}"
    );

    let unchecked = workspace.run_without_precheck(sql).await;
    let error = match unchecked {
        Err(error @ (SandboxError::Sql { .. } | SandboxError::Refused { .. })) => error,
        other => panic!("DuckDB let through {sql:?}: {other:?}"),
    };
    assert!(
        !error.to_string().contains(SECRET),
        "{sql:?} leaked the secret: {error}"
    );
    assert_eq!(workspace.snapshot(), before, "{sql:?} changed files");
    eprintln!("escape refused by DuckDB: {sql}\n    -> {error}");
    error
}

/// A workspace with a secret file next to it and a bronze dataset.
fn workspace_with_secret() -> TestWorkspace {
    let workspace = TestWorkspace::new();
    workspace.write_orders_csv();
    std::fs::write(
        workspace.outside().join("secret.csv"),
        format!("secret\n{SECRET}\n"),
    )
    .unwrap();
    workspace
}

#[tokio::test]
async fn reading_files_by_path_is_refused() {
    let workspace = workspace_with_secret();
    let secret = workspace.outside().join("secret.csv");
    let secret = secret.display();
    for sql in [
        "SELECT * FROM read_csv('/etc/passwd')".to_string(),
        "SELECT * FROM read_csv_auto('/etc/passwd')".to_string(),
        "SELECT * FROM read_text('/etc/passwd')".to_string(),
        "SELECT * FROM read_blob('/etc/passwd')".to_string(),
        "SELECT * FROM glob('/etc/*')".to_string(),
        "SELECT * FROM sniff_csv('/etc/passwd')".to_string(),
        "SELECT * FROM '/etc/passwd'".to_string(),
        format!("SELECT * FROM read_csv('{secret}')"),
        "CREATE VIEW v AS SELECT * FROM read_text('/etc/passwd'); SELECT * FROM v".to_string(),
        "CREATE TABLE silver.leak AS SELECT * FROM read_csv('/etc/passwd')".to_string(),
        // ../ out of the workspace, from its root and from a layer.
        "SELECT * FROM read_csv('../outside/secret.csv')".to_string(),
        "SELECT * FROM read_csv('bronze/../../outside/secret.csv')".to_string(),
        format!(
            "SELECT * FROM read_csv('{}/bronze/../../outside/secret.csv')",
            workspace.path().display()
        ),
    ] {
        assert_escape_fails(&workspace, &sql).await;
    }
}

#[tokio::test]
async fn a_symlink_out_of_the_workspace_is_not_followed() {
    // Arrange: a bronze "dataset" that is a link to the secret.
    let workspace = workspace_with_secret();
    std::os::unix::fs::symlink(
        workspace.outside().join("secret.csv"),
        workspace.path().join("bronze/leak.csv"),
    )
    .unwrap();

    // Act: the view is not created…
    let through_view = workspace.run("SELECT * FROM bronze.leak").await;

    // Assert
    let Err(SandboxError::Sql { message }) = through_view else {
        panic!("bronze.leak exists: {through_view:?}")
    };
    assert!(message.contains("leak"), "{message}");
    // …and reading the link directly fails too.
    assert_escape_fails(&workspace, "SELECT * FROM read_csv('bronze/leak.csv')").await;
    assert_escape_fails(
        &workspace,
        &format!(
            "SELECT * FROM read_csv('{}/bronze/leak.csv')",
            workspace.path().display()
        ),
    )
    .await;
}

#[tokio::test]
async fn writing_files_is_refused_outside_and_inside_the_workspace() {
    let workspace = workspace_with_secret();
    let outside = workspace.outside();
    let ws = workspace.path();
    for sql in [
        format!("COPY (SELECT 1) TO '{}/x.csv'", outside.display()),
        "COPY (SELECT 1) TO '/tmp/fortress-sandbox-escape.csv'".to_string(),
        "COPY (SELECT 1) TO 'bronze/x.csv'".to_string(),
        format!("COPY (SELECT 1) TO '{}/bronze/x.csv'", ws.display()),
        format!(
            "COPY (SELECT 1 AS id) TO '{}/silver/x.parquet' (FORMAT parquet)",
            ws.display()
        ),
        // Overwriting an input DuckDB may read: the read-only mount stops it.
        format!(
            "COPY (SELECT 'gone' AS id) TO '{}/bronze/orders.csv'",
            ws.display()
        ),
        format!("EXPORT DATABASE '{}/export'", outside.display()),
        format!("ATTACH '{}/x.db' AS other", outside.display()),
    ] {
        assert_escape_fails(&workspace, &sql).await;
    }
    assert!(!std::path::Path::new("/tmp/fortress-sandbox-escape.csv").exists());
}

#[tokio::test]
async fn extensions_configuration_and_secrets_are_refused() {
    let workspace = workspace_with_secret();
    for sql in [
        "INSTALL httpfs",
        "LOAD httpfs",
        "FORCE INSTALL httpfs",
        "INSTALL httpfs FROM core",
        "SET memory_limit = '100GB'",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "SET allowed_directories = ['/']",
        "RESET memory_limit",
        "PRAGMA memory_limit = '100GB'",
        "PRAGMA threads = 64",
        "CREATE SECRET leak (TYPE s3, KEY_ID 'a', SECRET 'b')",
        "SELECT getenv('HOME')",
    ] {
        assert_escape_fails(&workspace, sql).await;
    }
}

#[tokio::test]
async fn urls_are_never_fetched() {
    // Arrange: a listener that must see no connection.
    let workspace = workspace_with_secret();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();

    // Act
    for sql in [
        format!("SELECT * FROM read_csv('http://127.0.0.1:{port}/x.csv')"),
        format!("SELECT * FROM 'http://127.0.0.1:{port}/x.parquet'"),
        format!("COPY (SELECT 1) TO 'http://127.0.0.1:{port}/x.csv'"),
    ] {
        assert_escape_fails(&workspace, &sql).await;
    }

    // Assert: a connection attempt would be waiting in the backlog by now.
    let accepted = listener.accept();
    assert!(
        matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the listener was reached: {accepted:?}"
    );
}
