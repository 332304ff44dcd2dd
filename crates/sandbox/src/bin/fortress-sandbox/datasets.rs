//! The datasets of a workspace: every `<layer>/<name>.<csv|jsonl|ndjson|parquet>` file, and
//! every `<layer>/<name>/` folder of files of one format, each becoming the view `<layer>.<name>`.
//!
//! Every file is resolved (symlinks followed) and kept only if it stays inside the workspace: a
//! link pointing out is skipped here, and DuckDB, which may read exactly the files listed here,
//! would refuse it anyway.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sandbox::protocol::Layer;

use crate::confine::debug;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Parquet,
}

impl Format {
    fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Json),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Dataset {
    pub layer: Layer,
    /// Already an identifier: lower-case letters, digits and `_`.
    pub name: String,
    pub format: Format,
    /// Absolute, resolved, inside the workspace; more than one for a folder.
    pub files: Vec<PathBuf>,
}

/// The datasets of `workspace` (already canonical), in a stable order.
pub fn scan(workspace: &Path) -> Vec<Dataset> {
    let mut datasets = Vec::new();
    for layer in Layer::ALL {
        let mut by_name: BTreeMap<String, Dataset> = BTreeMap::new();
        for entry in sorted_entries(&workspace.join(layer.as_str())) {
            let Some(dataset) = dataset(workspace, layer, &entry) else {
                continue;
            };
            if by_name.contains_key(&dataset.name) {
                debug(&format!(
                    "skipped {}: {}.{} is taken",
                    entry.display(),
                    layer,
                    dataset.name
                ));
                continue;
            }
            by_name.insert(dataset.name.clone(), dataset);
        }
        datasets.extend(by_name.into_values());
    }
    datasets
}

fn dataset(workspace: &Path, layer: Layer, entry: &Path) -> Option<Dataset> {
    let file_name = entry.file_name()?.to_str()?;
    if file_name.starts_with('.') {
        return None;
    }
    let resolved = inside(workspace, entry)?;
    if resolved.is_file() {
        let format = Format::of(entry)?;
        let stem = entry.file_stem()?.to_str()?;
        return Some(Dataset {
            layer,
            name: identifier(stem),
            format,
            files: vec![resolved],
        });
    }
    let files: Vec<PathBuf> = sorted_entries(&resolved)
        .into_iter()
        .filter(|file| {
            !file
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .filter_map(|file| inside(workspace, &file))
        .filter(|file| file.is_file())
        .collect();
    let format = Format::of(files.first()?)?;
    if files.iter().any(|file| Format::of(file) != Some(format)) {
        debug(&format!(
            "skipped {}: its files are not all of one format",
            entry.display()
        ));
        return None;
    }
    Some(Dataset {
        layer,
        name: identifier(file_name),
        format,
        files,
    })
}

/// The resolved path if it is inside the workspace; `None` (and a note) otherwise.
fn inside(workspace: &Path, path: &Path) -> Option<PathBuf> {
    let resolved = path.canonicalize().ok()?;
    if resolved.starts_with(workspace) {
        Some(resolved)
    } else {
        debug(&format!(
            "skipped {}: it leads outside the workspace",
            path.display()
        ));
        None
    }
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .collect()
        })
        .unwrap_or_default();
    entries.sort();
    entries
}

/// `Orders 2024-01` → `orders_2024_01`; `2024` → `_2024`.
pub fn identifier(name: &str) -> String {
    let mut ident: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    ident
}
