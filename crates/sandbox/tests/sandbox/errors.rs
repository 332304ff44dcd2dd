//! Mistakes in the SQL come back as DuckDB said them; mistakes in the request never panic.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::TestWorkspace;
use sandbox::{Layer, Limits, Request, Sandbox, SandboxError};

#[tokio::test]
async fn sql_errors_carry_duckdbs_message() {
    let workspace = TestWorkspace::new();

    let missing = workspace.run("SELECT * FROM bronze.nothing_here").await;
    let Err(SandboxError::Sql { message }) = missing else {
        panic!("{missing:?}")
    };
    assert!(message.contains("nothing_here"), "{message}");

    let syntax = workspace.run("SELEC 1").await;
    let Err(SandboxError::Sql { message }) = syntax else {
        panic!("{syntax:?}")
    };
    assert!(message.contains("syntax error"), "{message}");
}

#[tokio::test]
async fn tables_are_written_only_in_writable_layers_and_under_plain_names() {
    let workspace = TestWorkspace::new();

    let bronze = workspace
        .run("CREATE TABLE bronze.x AS SELECT 1 AS one")
        .await;
    assert!(
        matches!(&bronze, Err(SandboxError::Refused { reason }) if reason.contains("bronze")),
        "{bronze:?}"
    );

    let gold_only = Request {
        write_layers: vec![Layer::Gold],
        ..workspace.request("CREATE TABLE silver.x AS SELECT 1 AS one")
    };
    let silver = workspace.run_request(&gold_only).await;
    assert!(
        matches!(&silver, Err(SandboxError::Refused { reason }) if reason.contains("silver")),
        "{silver:?}"
    );

    let odd_name = workspace
        .run("CREATE TABLE silver.\"../../x\" AS SELECT 1 AS one")
        .await;
    assert!(
        matches!(&odd_name, Err(SandboxError::Refused { .. })),
        "{odd_name:?}"
    );

    assert!(workspace.snapshot().is_empty(), "nothing was written");
}

#[tokio::test]
async fn bad_requests_are_internal_errors() {
    let workspace = TestWorkspace::new();
    let sandbox = Sandbox::new(env!("CARGO_BIN_EXE_fortress-sandbox"));
    let bad = [
        Request::new("relative/path", "SELECT 1"),
        Request::new(workspace.path().join("missing"), "SELECT 1"),
        Request {
            sample_rows: 1_000_000,
            ..workspace.request("SELECT 1")
        },
        Request {
            limits: Limits {
                memory_mb: 0,
                ..Limits::default()
            },
            ..workspace.request("SELECT 1")
        },
    ];
    for request in bad {
        let result = sandbox.run(&request).await;
        assert!(
            matches!(result, Err(SandboxError::Internal { .. })),
            "{request:?}: {result:?}"
        );
    }

    let missing_binary = Sandbox::new("/nonexistent/fortress-sandbox")
        .run(&workspace.request("SELECT 1"))
        .await;
    assert!(
        matches!(missing_binary, Err(SandboxError::Internal { .. })),
        "{missing_binary:?}"
    );
}

#[test]
fn the_child_answers_garbage_with_an_error_reply() {
    let workspace = TestWorkspace::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_fortress-sandbox"))
        .args(["--scratch", workspace.outside().to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"this is not JSON")
        .unwrap();
    let output = child.wait_with_output().unwrap();

    assert!(output.status.success());
    let reply: sandbox::Reply = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        matches!(reply, sandbox::Reply::Error(SandboxError::Internal { .. })),
        "{reply:?}"
    );
}
