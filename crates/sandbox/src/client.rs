//! The parent side: [`Sandbox::run`] spawns one `fortress-sandbox` child per request.
//!
//! The parent owns everything that must hold even when the child misbehaves: the pre-check (a
//! clear refusal before anything is spawned), the wall-clock limit (the child is killed, not
//! asked), the caps on what is read back from its pipes, the meaning of a child killed by a
//! signal, and the scratch directory, which it removes whatever happened to the child. Publishing
//! the staged Parquet files is also the parent's: the child may not write the workspace.

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use nix::sys::signal::Signal;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

use crate::check::check_sql;
use crate::protocol::{args, LimitKind, Limits, Reply, Request, Response, SandboxError};
use crate::staging;

/// The child's file name.
pub const BIN_NAME: &str = "fortress-sandbox";

/// The most a child may print: a reply holds samples, never data sets.
const STDOUT_CAP: usize = 64 * 1024 * 1024;
const STDERR_CAP: usize = 64 * 1024;

/// Runs requests in fresh child processes.
#[derive(Debug, Clone)]
pub struct Sandbox {
    bin: PathBuf,
    default_limits: Limits,
}

impl Sandbox {
    pub fn new(bin: impl Into<PathBuf>) -> Self {
        Self {
            bin: bin.into(),
            default_limits: Limits::default(),
        }
    }

    /// The limits [`Sandbox::request`] puts in new requests.
    pub fn with_default_limits(mut self, limits: Limits) -> Self {
        self.default_limits = limits;
        self
    }

    pub fn default_limits(&self) -> Limits {
        self.default_limits
    }

    /// A request with this sandbox's default limits.
    pub fn request(&self, workspace: impl Into<PathBuf>, sql: impl Into<String>) -> Request {
        Request {
            limits: self.default_limits,
            ..Request::new(workspace, sql)
        }
    }

    /// Finds the child binary: `$SANDBOX_BIN` if set; else next to the current executable, or in
    /// its parent directory (test binaries live in `target/<profile>/deps`); else on `PATH`.
    pub fn locate() -> Option<PathBuf> {
        if let Some(bin) = std::env::var_os("SANDBOX_BIN") {
            return Some(PathBuf::from(bin));
        }
        let exe = std::env::current_exe().ok();
        let beside = exe.as_deref().and_then(Path::parent);
        let above = beside.and_then(Path::parent);
        let on_path = std::env::var_os("PATH")
            .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
            .unwrap_or_default();
        beside
            .into_iter()
            .chain(above)
            .map(Path::to_path_buf)
            .chain(on_path)
            .map(|dir| dir.join(BIN_NAME))
            .find(|candidate| candidate.is_file())
    }

    /// Runs the request's SQL in a fresh child and publishes the tables it wrote.
    pub async fn run(&self, request: &Request) -> Result<Response, SandboxError> {
        request.validate()?;
        check_sql(&request.sql)?;
        self.spawn_and_publish(request, &[]).await
    }

    /// [`Sandbox::run`] without the SQL pre-check, here or in the child: only for tests that
    /// prove DuckDB's own configuration refuses what the pre-check would have.
    #[doc(hidden)]
    pub async fn run_without_precheck(&self, request: &Request) -> Result<Response, SandboxError> {
        request.validate()?;
        self.spawn_and_publish(request, &[args::SKIP_PRECHECK])
            .await
    }

    async fn spawn_and_publish(
        &self,
        request: &Request,
        extra_args: &[&str],
    ) -> Result<Response, SandboxError> {
        let workspace = request.workspace.canonicalize().map_err(|e| {
            SandboxError::internal(format!("workspace {}: {e}", request.workspace.display()))
        })?;
        let scratch = make_scratch(&workspace)?;
        let request = Request {
            workspace: workspace.clone(),
            ..request.clone()
        };
        let response = self.spawn(&request, scratch.path(), extra_args).await?;
        publish(&request, scratch.path(), &response)?;
        Ok(response)
    }

    async fn spawn(
        &self,
        request: &Request,
        scratch: &Path,
        extra_args: &[&str],
    ) -> Result<Response, SandboxError> {
        let input = serde_json::to_vec(request)
            .map_err(|e| SandboxError::internal(format!("request: {e}")))?;
        let mut child = Command::new(&self.bin)
            .arg(args::SCRATCH)
            .arg(scratch)
            .args(extra_args)
            .env_clear()
            .env("HOME", scratch)
            .current_dir(&request.workspace)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                SandboxError::internal(format!("cannot start {}: {e}", self.bin.display()))
            })?;
        let (Some(mut stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(SandboxError::internal("the child's pipes are missing"));
        };

        let exchange = async {
            // A child that dies before reading everything closes the pipe: its exit says why.
            let _ = stdin.write_all(&input).await;
            drop(stdin);
            tokio::join!(
                read_capped(stdout, STDOUT_CAP),
                read_capped(stderr, STDERR_CAP),
                child.wait()
            )
        };
        let wall = Duration::from_millis(request.limits.wall_ms);
        let (stdout, stderr, status) = match tokio::time::timeout(wall, exchange).await {
            Ok(outcome) => outcome,
            Err(_) => {
                let _ = child.kill().await;
                return Err(SandboxError::limit(
                    LimitKind::Wall,
                    format!(
                        "the run took longer than {} ms and was stopped",
                        request.limits.wall_ms
                    ),
                ));
            }
        };
        let status =
            status.map_err(|e| SandboxError::internal(format!("waiting for the child: {e}")))?;
        let stderr = String::from_utf8_lossy(&stderr.unwrap_or_default()).into_owned();
        if !stderr.trim().is_empty() {
            tracing::debug!(stderr = %stderr.trim(), "sandbox child stderr");
        }
        if let Some(error) = killed(status, &request.limits) {
            return Err(error);
        }
        let stdout = stdout
            .map_err(|e| SandboxError::internal(format!("reading the child's answer: {e}")))?;
        match serde_json::from_slice::<Reply>(&stdout) {
            Ok(reply) if status.success() => reply.into(),
            Ok(_) | Err(_) => Err(SandboxError::internal(format!(
                "the child exited with {status} without a valid answer; stderr: {}",
                tail(&stderr, 2000)
            ))),
        }
    }
}

/// The error for a child that a signal ended, if one did.
fn killed(status: ExitStatus, limits: &Limits) -> Option<SandboxError> {
    let signal = Signal::try_from(status.signal()?).ok();
    Some(match signal {
        Some(Signal::SIGXCPU) => SandboxError::limit(
            LimitKind::Cpu,
            format!("the run used more than {} s of CPU time and was stopped", limits.cpu_seconds),
        ),
        Some(Signal::SIGXFSZ) => SandboxError::limit(
            LimitKind::Output,
            format!("a file grew past the {} MB output limit", limits.max_output_mb.max(limits.temp_mb)),
        ),
        // Not ours (a wall-clock kill returns before this): the kernel's out-of-memory killer,
        // or the hard CPU limit, which only a child ignoring SIGXCPU reaches.
        Some(Signal::SIGKILL) => SandboxError::limit(
            LimitKind::Memory,
            format!("the run was killed by the system, most likely for using too much memory (limit {} MB)", limits.memory_mb),
        ),
        other => SandboxError::internal(format!(
            "the sandbox crashed ({})",
            other.map_or_else(|| status.to_string(), |signal| signal.as_str().to_string())
        )),
    })
}

/// Reads everything, keeps the first `cap` bytes: a chatty child must not block on a full pipe
/// nor fill the parent's memory.
async fn read_capped(mut reader: impl AsyncRead + Unpin, cap: usize) -> std::io::Result<Vec<u8>> {
    let mut kept = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = reader.read(&mut buffer).await?;
        if read == 0 {
            return Ok(kept);
        }
        let room = cap.saturating_sub(kept.len());
        kept.extend_from_slice(&buffer[..read.min(room)]);
    }
}

fn tail(text: &str, max: usize) -> &str {
    let text = text.trim();
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// A private `<workspace>/.sandbox-tmp/<random>` directory, removed when dropped.
fn make_scratch(workspace: &Path) -> Result<tempfile::TempDir, SandboxError> {
    let root = workspace.join(staging::SCRATCH_ROOT);
    std::fs::create_dir_all(&root)
        .and_then(|()| tempfile::Builder::new().prefix("run-").tempdir_in(&root))
        .map_err(|e| {
            SandboxError::internal(format!(
                "cannot make a scratch directory in {}: {e}",
                root.display()
            ))
        })
}

/// Moves each staged table into `<layer>/<name>.parquet`, checking the child's claims first.
fn publish(request: &Request, scratch: &Path, response: &Response) -> Result<(), SandboxError> {
    for table in &response.tables {
        if !request.write_layers.contains(&table.layer) || !staging::is_plain_name(&table.name) {
            return Err(SandboxError::internal(format!(
                "the child reported an unexpected table {}.{}",
                table.layer, table.name
            )));
        }
        let staged = staging::staged_file(scratch, table.layer, &table.name);
        let target = request
            .workspace
            .join(staging::published_path(table.layer, &table.name));
        move_into_place(&staged, &target).map_err(|e| {
            SandboxError::internal(format!("cannot publish {}: {e}", target.display()))
        })?;
    }
    Ok(())
}

fn move_into_place(staged: &Path, target: &Path) -> std::io::Result<()> {
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    match std::fs::rename(staged, target) {
        // Scratch on another filesystem (a mount under the workspace): copy next to the target
        // first, so the final step is still one atomic rename.
        Err(e) if e.raw_os_error() == Some(nix::libc::EXDEV) => {
            let dir = target.parent().unwrap_or(Path::new("."));
            let temporary = tempfile::Builder::new()
                .prefix(".publish-")
                .tempfile_in(dir)?;
            std::fs::copy(staged, temporary.path())?;
            temporary.persist(target).map_err(|e| e.error)?;
            Ok(())
        }
        other => other,
    }
}
