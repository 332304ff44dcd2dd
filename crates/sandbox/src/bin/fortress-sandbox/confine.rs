//! What the operating system enforces on the child, applied before DuckDB exists (and so before
//! any of its threads, which inherit all of it).
//!
//! Resource limits always apply. The namespaces need privileges (root in CI and in the service's
//! container); without them the child goes on and says so on stderr, because DuckDB's own
//! configuration is the guard that always holds and these are a second wall:
//! - a new, empty network namespace: not even loopback, whatever DuckDB might try;
//! - a new mount namespace where the workspace is read-only except the run's scratch directory,
//!   so not even a DuckDB bug could overwrite a bronze file;
//! - `no_new_privs`, so nothing the child executes can gain privileges.

use std::path::Path;

use nix::mount::{mount, MsFlags};
use nix::sched::{unshare, CloneFlags};
use rlimit::Resource;
use sandbox::protocol::Limits;

const MB: u64 = 1024 * 1024;

/// Open files: the datasets' files, DuckDB's temp files and outputs; a folder of thousands of
/// files is not a dataset we serve.
const MAX_OPEN_FILES: u64 = 1024;

pub fn apply(limits: &Limits, workspace: &Path, scratch: &Path) -> Result<(), String> {
    set_rlimits(limits)?;
    // As root (CI, the service's container) directly; elsewhere inside a new user namespace,
    // which unprivileged processes may usually create.
    let namespaces = CloneFlags::CLONE_NEWNET | CloneFlags::CLONE_NEWNS;
    match unshare(namespaces).or_else(|_| unshare(CloneFlags::CLONE_NEWUSER | namespaces)) {
        Ok(()) => {
            debug("network: new empty network namespace");
            match read_only_workspace(workspace, scratch) {
                Ok(()) => debug("files: workspace mounted read-only but for the scratch directory"),
                Err(e) => debug(&format!(
                    "files: cannot mount the workspace read-only ({e}); DuckDB's allow-list holds"
                )),
            }
        }
        Err(e) => debug(&format!(
            "namespaces not permitted ({e}): network and files rest on DuckDB's configuration"
        )),
    }
    nix::sys::prctl::set_no_new_privs().map_err(|e| format!("no_new_privs: {e}"))
}

fn set_rlimits(limits: &Limits) -> Result<(), String> {
    // SIGXCPU at the soft limit ends the child; the hard limit (SIGKILL) is a backstop.
    let cpu = limits.cpu_seconds;
    // Address space: DuckDB keeps to memory_limit; this catches what it does not count (thread
    // stacks, allocator arenas, a bug) with room to spare, so the limit never fires first.
    let address_space = (limits.memory_mb.saturating_mul(4)).max(limits.memory_mb + 4096) * MB;
    // One file may be an output or a temp file: the largest of the two budgets.
    let file_size = limits.max_output_mb.max(limits.temp_mb).saturating_mul(MB);
    for (resource, soft, hard) in [
        (Resource::CPU, cpu, cpu + 2),
        (Resource::AS, address_space, address_space),
        (Resource::FSIZE, file_size, file_size),
        (Resource::CORE, 0, 0),
        (Resource::NOFILE, MAX_OPEN_FILES, MAX_OPEN_FILES),
    ] {
        resource
            .set(soft, hard)
            .map_err(|e| format!("setrlimit {}: {e}", resource.as_name()))?;
    }
    Ok(())
}

/// In our own mount namespace: the scratch directory becomes a mount of its own, the workspace a
/// recursive bind of itself (carrying that submount), and then only the workspace's own mount is
/// made read-only.
fn read_only_workspace(workspace: &Path, scratch: &Path) -> nix::Result<()> {
    let none = None::<&str>;
    mount(none, "/", none, MsFlags::MS_REC | MsFlags::MS_PRIVATE, none)?;
    mount(Some(scratch), scratch, none, MsFlags::MS_BIND, none)?;
    mount(
        Some(workspace),
        workspace,
        none,
        MsFlags::MS_BIND | MsFlags::MS_REC,
        none,
    )?;
    mount(
        none,
        workspace,
        none,
        MsFlags::MS_BIND | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY,
        none,
    )
}

pub fn debug(line: &str) {
    eprintln!("fortress-sandbox: {line}");
}
