//! The sandbox through its client and the real child binary: one module per concern, each test
//! with its own workspace in a temporary directory.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod errors;
mod escapes;
mod limits;
mod transforms;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sandbox::{Limits, Request, Response, Sandbox, SandboxError};

/// A project workspace (`bronze/`, `silver/`, `gold/`) inside a private directory that also has
/// room for files "outside" the workspace.
pub struct TestWorkspace {
    root: tempfile::TempDir,
    sandbox: Sandbox,
}

impl Default for TestWorkspace {
    fn default() -> Self {
        Self::new()
    }
}

impl TestWorkspace {
    pub fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        for layer in ["bronze", "silver", "gold"] {
            std::fs::create_dir_all(root.path().join("ws").join(layer)).unwrap();
        }
        std::fs::create_dir_all(root.path().join("outside")).unwrap();
        Self {
            root,
            sandbox: Sandbox::new(env!("CARGO_BIN_EXE_fortress-sandbox")),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.root.path().join("ws")
    }

    /// A directory next to the workspace, which no run may read or write.
    pub fn outside(&self) -> PathBuf {
        self.root.path().join("outside")
    }

    pub fn write(&self, relative: &str, contents: &str) {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    pub fn request(&self, sql: &str) -> Request {
        Request::new(self.path(), sql)
    }

    pub async fn run(&self, sql: &str) -> Result<Response, SandboxError> {
        self.sandbox.run(&self.request(sql)).await
    }

    pub async fn run_request(&self, request: &Request) -> Result<Response, SandboxError> {
        self.sandbox.run(request).await
    }

    pub async fn run_without_precheck(&self, sql: &str) -> Result<Response, SandboxError> {
        self.sandbox.run_without_precheck(&self.request(sql)).await
    }

    pub async fn run_with_limits(
        &self,
        sql: &str,
        limits: Limits,
    ) -> Result<Response, SandboxError> {
        self.sandbox
            .run(&Request {
                limits,
                ..self.request(sql)
            })
            .await
    }

    /// Every file under the private directory (workspace and outside), with its contents.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        collect(self.root.path(), self.root.path(), &mut files);
        files
    }

    /// The bronze orders CSV the transform tests use.
    pub fn write_orders_csv(&self) {
        self.write(
            "bronze/orders.csv",
            "id,customer_id,product,amount,created_at\n\
             1,10,P1,19.90,2024-03-01 09:30:00\n\
             2,11,P2,5.00,2024-03-01 14:00:00\n\
             3,10,P2,5.00,2024-03-02 10:15:00\n\
             4,12,P1,19.90,2024-03-02 18:45:00\n\
             5,11,P3,120.00,2024-03-03 08:00:00\n",
        );
    }
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let metadata = std::fs::symlink_metadata(&path).unwrap();
        if metadata.is_dir() {
            collect(base, &path, files);
        } else {
            let contents = if metadata.is_file() {
                std::fs::read(&path).unwrap()
            } else {
                Vec::new()
            };
            files.insert(path.strip_prefix(base).unwrap().to_path_buf(), contents);
        }
    }
}
