//! One run inside the opened DuckDB: the user's statements, then every table they created in a
//! writable layer written out as Parquet to the scratch directory, with its figures and a sample.

use std::collections::HashSet;
use std::path::Path;

use duckdb::Connection;
use sandbox::check::{split_statements, Statement};
use sandbox::protocol::{
    Column, Layer, LimitKind, QueryResult, Request, SandboxError, TableResult,
};
use sandbox::staging;

use crate::datasets::Dataset;
use crate::session::{ident, literal};

/// Runs the statements one by one; the last one's rows, if it returns rows, are the result.
pub fn statements(
    connection: &Connection,
    request: &Request,
    datasets: &[Dataset],
) -> Result<Option<QueryResult>, SandboxError> {
    let statements = split_statements(&request.sql)?;
    let mut dataset_views: HashSet<(String, String)> = datasets
        .iter()
        .map(|dataset| (dataset.layer.to_string(), dataset.name.clone()))
        .collect();
    let mut result = None;
    for (i, statement) in statements.iter().enumerate() {
        replace_dataset_view(connection, statement, &mut dataset_views)?;
        if i + 1 == statements.len() && statement.returns_rows {
            result = query_result(connection, statement.text, request.sample_rows)?;
        } else {
            connection
                .execute_batch(statement.text)
                .map_err(sql_error)?;
        }
    }
    Ok(result)
}

/// Re-running a transform creates `silver.x` again, but `silver/x.parquet` from the last run is
/// already the view `silver.x`: that view gives way to the new table (which replaces the file).
fn replace_dataset_view(
    connection: &Connection,
    statement: &Statement<'_>,
    dataset_views: &mut HashSet<(String, String)>,
) -> Result<(), SandboxError> {
    let Some((Some(schema), name)) = &statement.creates_table else {
        return Ok(());
    };
    let key = (schema.to_lowercase(), name.to_lowercase());
    if dataset_views.remove(&key) {
        connection
            .execute_batch(&format!("DROP VIEW {}.{}", ident(&key.0), ident(&key.1)))
            .map_err(sql_error)?;
    }
    Ok(())
}

/// The statement becomes a temporary view, so only `sample_rows` rows of it are ever computed
/// past what the query itself needs, and DuckDB renders them as JSON. Statements that cannot be a
/// view (`SHOW`, `EXPLAIN`) just run, without a result.
fn query_result(
    connection: &Connection,
    sql: &str,
    sample_rows: usize,
) -> Result<Option<QueryResult>, SandboxError> {
    if connection
        .execute_batch(&format!("CREATE TEMP VIEW {RESULT_VIEW} AS\n{sql}\n"))
        .is_err()
    {
        connection.execute_batch(sql).map_err(sql_error)?;
        return Ok(None);
    }
    let columns = columns(
        connection,
        &format!(
            "SELECT column_name, data_type FROM duckdb_columns() \
             WHERE database_name = 'temp' AND table_name = '{RESULT_VIEW}' ORDER BY column_index"
        ),
    )?;
    let rows = json_rows(connection, &format!("temp.main.{RESULT_VIEW}"), sample_rows)?;
    Ok(Some(QueryResult { columns, rows }))
}

const RESULT_VIEW: &str = "__sandbox_result";

/// Writes every table of a layer schema to the scratch directory; a table in a layer this run
/// may not write is refused rather than silently dropped.
pub fn write_tables(
    connection: &Connection,
    request: &Request,
    scratch: &Path,
) -> Result<Vec<TableResult>, SandboxError> {
    let mut tables = Vec::new();
    let mut total_bytes = 0u64;
    for (schema, name) in created_tables(connection)? {
        let Some(layer) = Layer::parse(&schema) else {
            continue;
        };
        if !request.write_layers.contains(&layer) {
            return Err(SandboxError::refused(format!(
                "{layer}.{name}: this run may not write the {layer} layer"
            )));
        }
        if !staging::is_plain_name(&name) {
            return Err(SandboxError::refused(format!(
                "{layer}.{name}: a table name may hold only letters, digits and _ (it becomes a file name)"
            )));
        }
        let table = write_table(connection, request.sample_rows, scratch, layer, &name)?;
        total_bytes += table.bytes;
        if total_bytes > request.limits.max_output_mb.saturating_mul(1024 * 1024) {
            return Err(SandboxError::limit(
                LimitKind::Output,
                format!(
                    "the tables written add up to more than {} MB",
                    request.limits.max_output_mb
                ),
            ));
        }
        tables.push(table);
    }
    Ok(tables)
}

fn created_tables(connection: &Connection) -> Result<Vec<(String, String)>, SandboxError> {
    let mut statement = connection
        .prepare(
            "SELECT schema_name, table_name FROM duckdb_tables() \
             WHERE database_name = 'memory' AND NOT temporary AND schema_name IN ('bronze', 'silver', 'gold') \
             ORDER BY table_oid",
        )
        .map_err(internal)?;
    let rows = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(internal)?;
    rows.collect::<Result<_, _>>().map_err(internal)
}

fn write_table(
    connection: &Connection,
    sample_rows: usize,
    scratch: &Path,
    layer: Layer,
    name: &str,
) -> Result<TableResult, SandboxError> {
    let table = format!("{layer}.{}", ident(name));
    let file = staging::staged_file(scratch, layer, name);
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| SandboxError::internal(format!("{}: {e}", dir.display())))?;
    }
    connection
        .execute_batch(&format!(
            "COPY {table} TO {} (FORMAT parquet, COMPRESSION zstd)",
            literal(&file.to_string_lossy())
        ))
        .map_err(sql_error)?;
    let rows: i64 = connection
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .map_err(sql_error)?;
    let columns = columns(
        connection,
        &format!(
            "SELECT column_name, data_type FROM duckdb_columns() \
             WHERE database_name = 'memory' AND schema_name = {} AND table_name = {} ORDER BY column_index",
            literal(layer.as_str()),
            literal(name)
        ),
    )?;
    let sample = json_rows(connection, &table, sample_rows)?;
    let bytes = std::fs::metadata(&file)
        .map_err(|e| SandboxError::internal(format!("{}: {e}", file.display())))?
        .len();
    Ok(TableResult {
        layer,
        name: name.to_string(),
        rows: u64::try_from(rows).unwrap_or_default(),
        columns,
        sample,
        path: staging::published_path(layer, name),
        bytes,
    })
}

fn columns(connection: &Connection, sql: &str) -> Result<Vec<Column>, SandboxError> {
    let mut statement = connection.prepare(sql).map_err(sql_error)?;
    let rows = statement
        .query_map([], |row| {
            Ok(Column {
                name: row.get(0)?,
                data_type: row.get(1)?,
            })
        })
        .map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}

/// Up to `limit` rows of `relation`, each a JSON object as DuckDB's `to_json` renders it (dates
/// as strings, decimals as numbers, nested types as JSON).
fn json_rows(
    connection: &Connection,
    relation: &str,
    limit: usize,
) -> Result<Vec<serde_json::Value>, SandboxError> {
    let sql = format!("SELECT to_json(__sandbox_row)::VARCHAR FROM (SELECT * FROM {relation} LIMIT {limit}) AS __sandbox_row");
    let mut statement = connection.prepare(&sql).map_err(sql_error)?;
    let rows = statement
        .query_map([], |row| row.get::<_, String>(0))
        .map_err(sql_error)?;
    rows.map(|row| {
        let text = row.map_err(sql_error)?;
        serde_json::from_str(&text)
            .map_err(|e| SandboxError::internal(format!("a row as JSON: {e}")))
    })
    .collect()
}

/// DuckDB's error for the user's SQL; running out of memory or temp space is a limit.
pub fn sql_error(error: duckdb::Error) -> SandboxError {
    let message = error.to_string();
    if message.contains("max_temp_directory_size") {
        SandboxError::limit(LimitKind::Temp, message)
    } else if message.starts_with("Out of Memory Error") {
        SandboxError::limit(LimitKind::Memory, message)
    } else if message.contains("File too large") {
        SandboxError::limit(LimitKind::Output, message)
    } else {
        SandboxError::Sql { message }
    }
}

fn internal(error: duckdb::Error) -> SandboxError {
    SandboxError::internal(error.to_string())
}
