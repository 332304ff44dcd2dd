//! `fortress-sandbox`: the child process that runs one request and exits.
//!
//! It reads a [`Request`] (JSON) from stdin, confines itself ([`confine`]), opens a locked-down
//! in-memory DuckDB ([`session`]) with a view per dataset of the workspace ([`datasets`]), runs
//! the SQL and stages the written tables as Parquet ([`run`]), then prints one [`Reply`] (JSON)
//! on stdout. Refusals and errors are replies too and it exits 0 for both: a non-zero exit or a
//! signal means it crashed or was killed, which the parent turns into an error of its own.
//!
//! `--scratch <dir>` is the private directory the parent made for this run (under the workspace's
//! `.sandbox-tmp/`; the parent removes it, whatever happens to the child); `--skip-precheck` is for
//! the tests that prove DuckDB's own configuration holds without the pre-check.

mod confine;
mod datasets;
mod run;
mod session;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use sandbox::check::check_sql;
use sandbox::protocol::{args, Reply, Request, Response, SandboxError};

/// A request is a few kilobytes of SQL; anything past this is not one.
const MAX_REQUEST_BYTES: u64 = 16 * 1024 * 1024;

fn main() -> ExitCode {
    let started = Instant::now();
    let reply: Reply = serve(started).into();
    let mut stdout = std::io::stdout().lock();
    let written =
        serde_json::to_writer(&mut stdout, &reply).is_ok() && stdout.write_all(b"\n").is_ok();
    if written && stdout.flush().is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

struct Options {
    scratch: Option<PathBuf>,
    precheck: bool,
}

fn options() -> Result<Options, SandboxError> {
    let mut options = Options {
        scratch: None,
        precheck: true,
    };
    let mut arguments = std::env::args_os().skip(1);
    while let Some(argument) = arguments.next() {
        match argument.to_str() {
            Some(args::SCRATCH) => options.scratch = arguments.next().map(PathBuf::from),
            Some(args::SKIP_PRECHECK) => options.precheck = false,
            _ => {
                return Err(SandboxError::internal(format!(
                    "unknown argument {argument:?}"
                )))
            }
        }
    }
    Ok(options)
}

fn read_request() -> Result<Request, SandboxError> {
    let mut input = Vec::new();
    std::io::stdin()
        .take(MAX_REQUEST_BYTES)
        .read_to_end(&mut input)
        .map_err(|e| SandboxError::internal(format!("reading the request: {e}")))?;
    serde_json::from_slice(&input).map_err(|e| SandboxError::internal(format!("bad request: {e}")))
}

fn serve(started: Instant) -> Result<Response, SandboxError> {
    let options = options()?;
    let request = read_request()?;
    request.validate()?;
    let workspace = request
        .workspace
        .canonicalize()
        .map_err(|e| SandboxError::internal(format!("workspace: {e}")))?;
    let request = Request {
        workspace,
        ..request
    };
    let scratch = options
        .scratch
        .ok_or_else(|| SandboxError::internal(format!("{} <dir> is required", args::SCRATCH)))?
        .canonicalize()
        .map_err(|e| SandboxError::internal(format!("scratch: {e}")))?;

    confine::apply(&request.limits, &request.workspace, &scratch)
        .map_err(SandboxError::internal)?;
    if options.precheck {
        check_sql(&request.sql)?;
    }

    let datasets = datasets::scan(&request.workspace);
    let connection = session::open(&request.limits, &scratch, &datasets)
        .map_err(|e| SandboxError::internal(format!("opening DuckDB: {e}")))?;
    session::create_views(&connection, &datasets).map_err(run::sql_error)?;
    let result = run::statements(&connection, &request, &datasets)?;
    let tables = run::write_tables(&connection, &request, &scratch)?;
    drop(connection);

    Ok(Response {
        tables,
        result,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        peak_memory_mb: peak_memory_mb(),
    })
}

/// This process's peak resident set (Linux reports kilobytes).
fn peak_memory_mb() -> Option<u64> {
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF).ok()?;
    u64::try_from(usage.max_rss()).ok().map(|kb| kb / 1024)
}
