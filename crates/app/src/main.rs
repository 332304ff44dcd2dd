//! `fortress`: the DataFortress command line.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use app::config::Config;
use app::{Application, Platform};
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;

#[derive(Parser)]
#[command(
    name = "fortress",
    version,
    about = "DataFortress: sales automation and data orchestration"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API (and the web UI when built).
    Serve {
        /// Address to listen on (overrides HTTP_ADDR).
        #[arg(long)]
        addr: Option<SocketAddr>,
    },
    /// Run background work: jobs, event handlers, schedules.
    Worker,
    /// Apply pending database migrations (as DATABASE_OWNER_URL).
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Seed the demo tenant and every slice's demo data (idempotent) and print how to log in.
    Demo {
        /// Seed only these slices' demo data, comma-separated (e.g. `auth`: an empty agency).
        #[arg(long, value_delimiter = ',')]
        only: Option<Vec<String>>,
    },
    /// Run a local SMTP sink that keeps every message as an .eml file (needs no configuration).
    MailSink {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:2525")]
        addr: SocketAddr,
        /// Directory the messages are written to.
        #[arg(long, default_value = ".data/mail")]
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The document needs no configuration, so it prints even where none is set.
    if let Command::Openapi = cli.command {
        print!("{}", app::openapi::document_json());
        return ExitCode::SUCCESS;
    }
    // Neither does the mail sink: it must run where nothing else is set up yet.
    if let Command::MailSink { addr, dir } = cli.command {
        return match tokio::runtime::Runtime::new().map(|rt| rt.block_on(mail_sink(addr, dir))) {
            Ok(Ok(())) => ExitCode::SUCCESS,
            Ok(Err(e)) => {
                eprintln!("fortress mail-sink: {e:#}");
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("fortress: cannot start the async runtime: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let mut config = match Config::load() {
        Ok(config) => config,
        Err(line) => {
            eprintln!("fortress: invalid configuration: {line}");
            return ExitCode::from(2);
        }
    };
    if let Command::Serve { addr: Some(addr) } = cli.command {
        config.http_addr = addr;
    }
    let _telemetry = match app::telemetry::init(&config) {
        Ok(guard) => guard,
        Err(e) => {
            eprintln!("fortress: telemetry: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("fortress: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "fortress failed");
            eprintln!("fortress: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve { .. } => {
            raise_open_file_limit();
            let addr = config.http_addr;
            let listener =
                TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
            let platform = Platform::from_config(config)?;
            let app = Application::build(platform, listener)?;
            tracing::info!(%addr, "serving the API");
            app.run_until_stopped().await?;
        }
        Command::Worker => {
            let platform = Platform::from_config(config)?;
            app::worker::run(platform).await?;
        }
        Command::Migrate => {
            kernel::db::migrate(config.database_owner_url.expose_secret())
                .await
                .context("migrations failed")?;
            println!("migrations applied");
        }
        Command::Demo { only } => {
            let platform = Platform::from_config(config)?;
            let login = app::demo::seed_only(&platform, only.as_deref()).await?;
            println!("{login}");
        }
        Command::Openapi => print!("{}", app::openapi::document_json()),
        Command::MailSink { addr, dir } => mail_sink(addr, dir).await?,
    }
    Ok(())
}

/// Every open connection holds a file descriptor: the soft limit (often 1,024) is raised to
/// the hard one, so that many slow clients exhaust the connection limits, not the process.
fn raise_open_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::info!(limit, "open-file limit"),
        Err(e) => tracing::warn!(error = %e, "cannot raise the open-file limit"),
    }
}

/// `fortress mail-sink`: accepts mail on `addr` and writes each message to
/// `dir/<unix ms>-<n>.eml`, its envelope in `X-Envelope-*` headers, until SIGINT/SIGTERM.
async fn mail_sink(addr: SocketAddr, dir: PathBuf) -> anyhow::Result<()> {
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let sink = app::mail_sink::MailSink::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let (deliver, mut delivered) = tokio::sync::mpsc::channel(16);
    tokio::spawn(sink.serve(deliver));
    let mut shutdown = std::pin::pin!(app::worker::shutdown_signal()?);
    println!(
        "mail sink listening on smtp://{addr}, writing to {}",
        dir.display()
    );
    let mut count = 0u64;
    loop {
        let mail = tokio::select! {
            mail = delivered.recv() => mail,
            () = &mut shutdown => None,
        };
        let Some(mail) = mail else { break };
        count += 1;
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        let path = dir.join(format!("{millis}-{count}.eml"));
        let mut file = format!(
            "X-Envelope-From: <{}>\r\nX-Envelope-To: {}\r\n",
            mail.from,
            mail.to
                .iter()
                .map(|to| format!("<{to}>"))
                .collect::<Vec<_>>()
                .join(", ")
        )
        .into_bytes();
        file.extend_from_slice(&mail.data);
        // A blocking write here only holds back the next delivery (the channel is bounded,
        // so clients wait for their 250 meanwhile); messages are small.
        std::fs::write(&path, file).with_context(|| format!("cannot write {}", path.display()))?;
        println!(
            "mail to {} ({}) -> {}",
            mail.to.join(", "),
            mail.subject().unwrap_or_default(),
            path.display()
        );
    }
    println!("mail sink stopped");
    Ok(())
}
