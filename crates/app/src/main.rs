//! `fortress`: the DataFortress command line.

use std::net::{SocketAddr, TcpListener};
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
    /// Seed a demo tenant and user (idempotent) and print how to log in.
    Demo,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The document needs no configuration, so it prints even where none is set.
    if let Command::Openapi = cli.command {
        print!("{}", app::openapi::document_json());
        return ExitCode::SUCCESS;
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
        Command::Demo => {
            let platform = Platform::from_config(config)?;
            let login = app::demo::seed(&platform).await?;
            println!("{login}");
        }
        Command::Openapi => print!("{}", app::openapi::document_json()),
    }
    Ok(())
}
