//! The DuckDB the user's SQL runs in, and why each setting is what it is.
//!
//! The guard is DuckDB's own: `enable_external_access = false` turns off every path to the
//! outside that DuckDB knows of (files, URLs, ATTACH, INSTALL/LOAD, environment variables,
//! replacement scans like `FROM 'x.csv'`), except the allow-lists set just before it:
//! - `allowed_paths`: exactly the dataset files the views read, resolved, inside the workspace;
//!   not the workspace folder, or a user could also write there (allow-lists do not separate
//!   reading from writing) and read whatever the layers hold beyond their datasets;
//! - `allowed_directories`: only this run's scratch directory (DuckDB's temp files and the staged
//!   Parquet outputs; DuckDB adds its temp directory there by itself as well).
//!
//! Folder datasets are read as a list of their files rather than a glob, so no directory ever
//! needs to be allowed. The allow-lists can only be set while external access is on, so the order
//! below matters; `lock_configuration = true` comes last and makes every other setting final
//! (SET, RESET and PRAGMA all fail). Extensions are never installed or loaded at run time:
//! Parquet and JSON are compiled in. LOAD of anything else is refused by DuckDB with external
//! access off; INSTALL is not (DuckDB's official repository stays reachable), so the repository
//! is pointed at an empty local folder and the child's empty network namespace stops
//! `INSTALL … FROM core`: even if that download happened, the extension could not be loaded.

use std::path::Path;

use duckdb::Connection;
use sandbox::protocol::Limits;

use crate::datasets::{Dataset, Format};

pub fn open(limits: &Limits, scratch: &Path, datasets: &[Dataset]) -> duckdb::Result<Connection> {
    let connection = Connection::open_in_memory()?;
    let spill = scratch.join("spill");
    let no_extensions = scratch.join("no-extensions");
    let allowed_paths: Vec<String> = datasets
        .iter()
        .flat_map(|dataset| &dataset.files)
        .map(|file| literal(&file.to_string_lossy()))
        .collect();
    let mut settings = vec![
        format!("SET threads = {}", limits.threads),
        format!("SET memory_limit = '{}MB'", limits.memory_mb),
        format!("SET temp_directory = {}", literal(&spill.to_string_lossy())),
        format!("SET max_temp_directory_size = '{}MB'", limits.temp_mb),
        "SET autoinstall_known_extensions = false".to_string(),
        "SET autoload_known_extensions = false".to_string(),
        "SET allow_community_extensions = false".to_string(),
        // External access off still lets INSTALL download from DuckDB's own repository; a local,
        // empty repository makes a plain INSTALL fail without touching the network.
        format!(
            "SET custom_extension_repository = {}",
            literal(&no_extensions.to_string_lossy())
        ),
        format!(
            "SET autoinstall_extension_repository = {}",
            literal(&no_extensions.to_string_lossy())
        ),
        format!(
            "SET extension_directory = {}",
            literal(&scratch.join("extensions").to_string_lossy())
        ),
        format!(
            "SET allowed_directories = [{}]",
            literal(&scratch.to_string_lossy())
        ),
    ];
    if !allowed_paths.is_empty() {
        settings.push(format!(
            "SET allowed_paths = [{}]",
            allowed_paths.join(", ")
        ));
    }
    settings.push("SET enable_external_access = false".to_string());
    settings.push("SET lock_configuration = true".to_string());
    connection.execute_batch(&settings.join(";\n"))?;
    Ok(connection)
}

/// The layer schemas, and a view per dataset.
pub fn create_views(connection: &Connection, datasets: &[Dataset]) -> duckdb::Result<()> {
    let mut sql = String::from("CREATE SCHEMA bronze; CREATE SCHEMA silver; CREATE SCHEMA gold;\n");
    for dataset in datasets {
        let files: Vec<String> = dataset
            .files
            .iter()
            .map(|file| literal(&file.to_string_lossy()))
            .collect();
        let files = format!("[{}]", files.join(", "));
        let reader = match dataset.format {
            Format::Csv => format!("read_csv({files}, union_by_name = true)"),
            Format::Json => {
                format!("read_json({files}, format = 'newline_delimited', union_by_name = true)")
            }
            Format::Parquet => format!("read_parquet({files}, union_by_name = true)"),
        };
        sql.push_str(&format!(
            "CREATE VIEW {}.{} AS SELECT * FROM {reader};\n",
            dataset.layer,
            ident(&dataset.name)
        ));
    }
    connection.execute_batch(&sql)
}

/// A SQL string literal.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A SQL quoted identifier.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
