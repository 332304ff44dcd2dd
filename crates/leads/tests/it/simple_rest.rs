//! The stock `@refinedev/simple-rest` data provider (from npm, unmodified) against the
//! running API, driven by `tests/simple_rest/check.mjs` under Node.
//!
//! Needs `node` and `npm ci` in `tests/simple_rest`. `make test` installs both and sets
//! `DATAFORTRESS_REQUIRE_NODE`, under which their absence fails the test; elsewhere it is
//! skipped with a message.

use std::path::PathBuf;

use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::TestApp;

/// The check's directory when Node and the provider are installed.
fn checker(test: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/simple_rest");
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    let installed = dir.join("node_modules/@refinedev/simple-rest").is_dir();
    if node && installed {
        return Some(dir);
    }
    assert!(
        std::env::var_os("DATAFORTRESS_REQUIRE_NODE").is_none(),
        "node ({node}) or the simple-rest check's packages ({installed}) are missing: \
         run `npm ci` in {}",
        dir.display()
    );
    eprintln!(
        "SKIPPED {test}: node or `npm ci` in {} is missing",
        dir.display()
    );
    None
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_stock_simple_rest_provider_works_unmodified(pool: PgPool) {
    let Some(dir) = checker("the_stock_simple_rest_provider_works_unmodified") else {
        return;
    };
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let res = owner
        .post_json(
            "/api/v1/api-keys",
            &json!({"name": "simple-rest", "scopes": ["leads:read", "leads:write"]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let key: Value = res.json().await.unwrap();
    let (api_url, api_key) = (
        app.url("/api/v1"),
        key["secret"].as_str().unwrap().to_owned(),
    );

    // Blocking, but off the runtime's threads: the server under test keeps serving.
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg("check.mjs")
            .current_dir(dir)
            .env("API_URL", api_url)
            .env("API_KEY", api_key)
            .output()
            .unwrap()
    })
    .await
    .unwrap();

    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success(),
        "check.mjs failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("\"ok\":true"), "{stdout}");
    app.stop().await;
}
