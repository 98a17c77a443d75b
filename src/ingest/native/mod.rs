//! The native scenario format: [`crate::model::Model`] as JSON written by hand.
//! See docs/scenario-format.md.

use super::Loaded;
use crate::diag::{Diagnostic, InputError};
use crate::model::Model;

/// Parse and validate a native scenario.
pub fn parse(buf: &[u8], file: &str) -> Result<Loaded, InputError> {
    if buf.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::one(Diagnostic::error(
            file,
            "1:1",
            "empty input: expected a scenario (a JSON object, see docs/scenario-format.md)",
        )));
    }
    let mut de = serde_json::Deserializer::from_slice(buf);
    let model: Model = match serde_path_to_error::deserialize(&mut de) {
        Ok(m) => m,
        Err(e) => {
            let inner = e.inner();
            let path = e.path().to_string();
            let loc = format!("{}:{}", inner.line(), inner.column());
            let text = strip_position(&inner.to_string(), inner.line(), inner.column());
            let msg = if path == "." || path.is_empty() {
                text
            } else {
                format!("at {path}: {text}")
            };
            return Err(InputError::one(Diagnostic::error(file, loc, msg)));
        }
    };
    if let Err(e) = de.end() {
        let loc = format!("{}:{}", e.line(), e.column());
        let text = strip_position(&e.to_string(), e.line(), e.column());
        return Err(InputError::one(Diagnostic::error(file, loc, text)));
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

/// serde_json appends " at line L column C" to its messages; the location is already
/// in the diagnostic's `file:line:col` prefix.
fn strip_position(msg: &str, line: usize, column: usize) -> String {
    let suffix = format!(" at line {line} column {column}");
    msg.strip_suffix(&suffix).unwrap_or(msg).to_string()
}
