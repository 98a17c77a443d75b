//! Snapshot directory layouts: which files to read, and the account and region of each.
//!
//! Batfish's layouts are accepted (see ../shared/fixtures/batfish/README.md):
//! `aws_configs/<file>.json` (account `default`, region `us-west-2`),
//! `aws_configs/<region>/<file>.json`, `aws_configs/accounts/<account>/<region>/<file>.json`,
//! and the same without the `aws_configs` level. In general the region is the parent
//! directory and the account the grandparent. File names do not matter.

use crate::diag::{Diagnostic, InputError};
use std::path::{Path, PathBuf};

/// Batfish's account for files not below an account folder.
pub const DEFAULT_ACCOUNT: &str = "default";
/// Batfish's region for files directly in the snapshot root.
pub const DEFAULT_REGION: &str = "us-west-2";

/// One JSON file of a snapshot with where it belongs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SnapshotFile {
    /// Path on disk.
    pub path: PathBuf,
    /// Path as shown in messages.
    pub display: String,
    /// Account folder name (or [`DEFAULT_ACCOUNT`]).
    pub account: String,
    /// Region folder name (or [`DEFAULT_REGION`]).
    pub region: String,
}

/// List the JSON files of snapshot directory `dir` in a deterministic order, with a
/// warning for every file that is not read.
pub fn discover(dir: &Path) -> Result<(Vec<SnapshotFile>, Vec<Diagnostic>), InputError> {
    let configs = dir.join("aws_configs");
    let base = if configs.is_dir() {
        configs
    } else {
        dir.to_path_buf()
    };
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    let mut stack = vec![base.clone()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| {
            InputError::one(Diagnostic::error(
                d.display().to_string(),
                "",
                format!("cannot read directory: {e}"),
            ))
        })?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            let name = p.file_name().map(|n| n.to_string_lossy().to_string());
            let name = name.unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel: Vec<String> = p
                .strip_prefix(&base)
                .unwrap_or(&p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect();
            let is_json = name.to_ascii_lowercase().ends_with(".json");
            if !is_json {
                if base != dir {
                    warnings.push(Diagnostic::warning(
                        p.display().to_string(),
                        "",
                        "not read: only *.json files of a snapshot are read",
                    ));
                }
                continue;
            }
            let (account, region) = place(&rel);
            files.push(SnapshotFile {
                display: p.display().to_string(),
                path: p,
                account,
                region,
            });
        }
    }
    if base != dir {
        note_outside(dir, &mut warnings);
    }
    files.sort();
    if files.is_empty() {
        return Err(InputError::one(Diagnostic::error(
            dir.display().to_string(),
            "",
            "no *.json files found: expected an AWS snapshot (describe-* JSON files, \
             optionally under aws_configs/[accounts/<account>/]<region>/)",
        )));
    }
    Ok((files, warnings))
}

/// Warn about Batfish's device configurations (`configs/`), which lztwin does not read.
fn note_outside(dir: &Path, warnings: &mut Vec<Diagnostic>) {
    let cfg = dir.join("configs");
    if let Ok(rd) = std::fs::read_dir(&cfg) {
        let n = rd.filter_map(|e| e.ok()).count();
        if n > 0 {
            warnings.push(Diagnostic::warning(
                cfg.display().to_string(),
                "",
                format!(
                    "{n} device configuration file(s): lztwin does not model on-premises \
                     routers; it reads only their hostname, interface addresses and the \
                     prefixes their BGP sessions advertise (the prefixes of their sites)"
                ),
            ));
        }
    }
}

/// Account and region of a file from its path components below the snapshot base.
fn place(rel: &[String]) -> (String, String) {
    match rel.len() {
        0 | 1 => (DEFAULT_ACCOUNT.to_string(), DEFAULT_REGION.to_string()),
        2 => (DEFAULT_ACCOUNT.to_string(), rel[0].clone()),
        n => {
            let region = rel[n - 2].clone();
            let account = rel[n - 3].clone();
            if account == "accounts" {
                // `accounts/<region>/file.json`: no account level.
                (DEFAULT_ACCOUNT.to_string(), region)
            } else {
                (account, region)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn places_follow_batfish() {
        assert_eq!(
            place(&v(&["Vpcs.json"])),
            ("default".into(), "us-west-2".into())
        );
        assert_eq!(
            place(&v(&["us-east-1", "Vpcs.json"])),
            ("default".into(), "us-east-1".into())
        );
        assert_eq!(
            place(&v(&["accounts", "111", "us-west-1", "Vpcs.json"])),
            ("111".into(), "us-west-1".into())
        );
        assert_eq!(
            place(&v(&["111", "us-west-1", "Vpcs.json"])),
            ("111".into(), "us-west-1".into())
        );
    }
}
