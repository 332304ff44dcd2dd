//! Where the child leaves its Parquet files for the parent to publish.
//!
//! The child cannot write the workspace (it is mounted read-only for it where the kernel lets us,
//! and DuckDB may only write its private scratch directory), so it writes each output table to
//! the scratch directory and the parent renames it into `<layer>/<name>.parquet`. A rename within
//! one filesystem is atomic: readers see the old file or the new one, and a killed child publishes
//! nothing.

use std::path::{Path, PathBuf};

use crate::protocol::Layer;

/// The scratch directories of a workspace's runs, one `<random>` directory each.
pub const SCRATCH_ROOT: &str = ".sandbox-tmp";

/// Where the child writes table `name` of `layer` inside its scratch directory.
pub fn staged_file(scratch: &Path, layer: Layer, name: &str) -> PathBuf {
    scratch
        .join("out")
        .join(layer.as_str())
        .join(format!("{name}.parquet"))
}

/// The published file, relative to the workspace (`silver/orders.parquet`).
pub fn published_path(layer: Layer, name: &str) -> String {
    format!("{layer}/{name}.parquet")
}

/// Whether a table name can be a file name as it is: letters, digits and `_`, not starting with
/// a digit. Anything else (`"../x"`, `"a b"`) would make the output path mean something else.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_become_files() {
        assert!(is_plain_name("sales_by_day"));
        assert!(is_plain_name("_x1"));
        for name in ["", "../x", "a b", "1st", "a.b", "a/b", "é"] {
            assert!(!is_plain_name(name), "{name}");
        }
    }
}
