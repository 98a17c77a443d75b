//! Ingest: turn input (a native scenario file, an AWS `describe-*` snapshot
//! directory, …) into a [`crate::model::Model`] plus warnings.
//!
//! Ingest imports only [`crate::model`] and [`crate::diag`].

pub mod aws;
pub mod changes;
pub mod native;
pub mod policy;
pub mod synthetic;

use crate::diag::{Diagnostic, InputError};
use crate::model::Model;
use std::io::Read;
use std::path::Path;

/// A loaded model with the warnings produced while loading it.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The model.
    pub model: Model,
    /// Everything that was not modelled or looked wrong.
    pub warnings: Vec<Diagnostic>,
}

/// The reference landing zone, embedded in the binary.
pub const REFERENCE_SCENARIO: &str = include_str!("../../scenarios/landing-zone.json");

/// Load the built-in reference environment.
pub fn load_reference() -> Result<Loaded, InputError> {
    native::parse(
        REFERENCE_SCENARIO.as_bytes(),
        "<built-in landing-zone.json>",
    )
}

/// Load INPUT: `-` for stdin, a directory (AWS snapshot), or a file (format auto-detected).
pub fn load(input: &str) -> Result<Loaded, InputError> {
    if input == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| {
            InputError::one(Diagnostic::error(
                "<stdin>",
                "",
                format!("cannot read: {e}"),
            ))
        })?;
        return load_bytes(&buf, "<stdin>");
    }
    let path = Path::new(input);
    let meta = std::fs::metadata(path)
        .map_err(|e| InputError::one(Diagnostic::error(input, "", format!("cannot open: {e}"))))?;
    if meta.is_dir() {
        return aws::load_dir(path);
    }
    let buf = std::fs::read(path)
        .map_err(|e| InputError::one(Diagnostic::error(input, "", format!("cannot read: {e}"))))?;
    load_bytes(&buf, input)
}

/// Load a file's bytes, choosing the format by content.
pub fn load_bytes(buf: &[u8], file: &str) -> Result<Loaded, InputError> {
    if aws::looks_like_aws(buf) {
        return aws::load_file_bytes(buf, file);
    }
    native::parse(buf, file)
}
