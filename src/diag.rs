//! Diagnostics: located errors and warnings about input.
//!
//! Every problem with input names the file and the place (line:column for syntax,
//! a JSON path such as `/vpcs/3/cidrs/0` for meaning). Errors make commands exit 2.

use std::fmt;

/// Error or warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input cannot be used.
    Error,
    /// The input was used, but something in it was not modelled or looks wrong.
    Warning,
}

/// One located message about input.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file (or `<stdin>`, `<built-in>`).
    pub file: String,
    /// `line:column` or a JSON path; empty when the whole file is meant.
    pub location: String,
    /// What is wrong, in words.
    pub message: String,
}

impl Diagnostic {
    /// An error at `location` in `file`.
    pub fn error(
        file: impl Into<String>,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            location: location.into(),
            message: message.into(),
        }
    }

    /// A warning at `location` in `file`.
    pub fn warning(
        file: impl Into<String>,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            file: file.into(),
            location: location.into(),
            message: message.into(),
        }
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.location.is_empty() {
            write!(f, "{}: {}: {}", self.file, sev, self.message)
        } else {
            write!(
                f,
                "{}:{}: {}: {}",
                self.file, self.location, sev, self.message
            )
        }
    }
}

/// Input that could not be loaded: one or more errors (and any warnings seen so far).
#[derive(Clone, Debug, thiserror::Error)]
#[error("{}", render(.diagnostics))]
pub struct InputError {
    /// Every problem found, errors first.
    pub diagnostics: Vec<Diagnostic>,
}

impl InputError {
    /// A single error.
    pub fn one(d: Diagnostic) -> Self {
        InputError {
            diagnostics: vec![d],
        }
    }
}

fn render(ds: &[Diagnostic]) -> String {
    ds.iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
