//! The native scenario format: [`crate::model::Model`] as JSON written by hand.
//! See docs/scenario-format.md.

use super::Loaded;
use crate::diag::{Diagnostic, InputError};
use crate::model::Model;

/// Parse and validate a native scenario.
pub fn parse(buf: &[u8], file: &str) -> Result<Loaded, InputError> {
    let mut de = serde_json::Deserializer::from_slice(buf);
    let model: Model = match serde_path_to_error::deserialize(&mut de) {
        Ok(m) => m,
        Err(e) => {
            let inner = e.inner();
            let path = e.path().to_string();
            let loc = format!("{}:{}", inner.line(), inner.column());
            let msg = if path == "." || path.is_empty() {
                inner.to_string()
            } else {
                format!("at {path}: {inner}")
            };
            return Err(InputError::one(Diagnostic::error(file, loc, msg)));
        }
    };
    if let Err(e) = de.end() {
        let loc = format!("{}:{}", e.line(), e.column());
        return Err(InputError::one(Diagnostic::error(file, loc, e.to_string())));
    }
    let problems = crate::model::validate::validate(&model);
    let (errors, warnings): (Vec<_>, Vec<_>) = problems
        .into_iter()
        .map(|p| p.into_diagnostic(file))
        .partition(|d| d.is_error());
    if !errors.is_empty() {
        let mut all = errors;
        all.extend(warnings);
        return Err(InputError { diagnostics: all });
    }
    Ok(Loaded { model, warnings })
}
