//! AWS `describe-*` JSON snapshots (Batfish layouts) → model.

use super::Loaded;
use crate::diag::{Diagnostic, InputError};
use std::path::Path;

/// Load a snapshot directory.
pub fn load_dir(dir: &Path) -> Result<Loaded, InputError> {
    Err(InputError::one(Diagnostic::error(
        dir.display().to_string(),
        "",
        "AWS snapshot directories are not supported yet",
    )))
}

/// Whether a file's content looks like AWS CLI output rather than a native scenario.
pub fn looks_like_aws(_buf: &[u8]) -> bool {
    false
}

/// Load one AWS JSON file as a snapshot of its own.
pub fn load_file_bytes(_buf: &[u8], file: &str) -> Result<Loaded, InputError> {
    Err(InputError::one(Diagnostic::error(
        file,
        "",
        "AWS snapshot files are not supported yet",
    )))
}
