//! `lztwin verify <INPUT> --policy <FILE>... [--junit FILE] [--sarif FILE] [--format text|json]`
//! (stable contract), plus `--apply CHANGES...` to verify a what-if change first.

use super::{load_input, CliError, CliResult};
use lztwin::analysis::verify::{check, resolve_errors, VerifyReport};
use lztwin::dataplane::{Dataplane, FailureSet};
use lztwin::diag::InputError;
use lztwin::ingest::{changes, policy};
use lztwin::report::{junit, sarif, verify as render};

/// Arguments of `verify`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
    /// Policy files (lztwin intents or Network Access Analyzer scopes).
    #[arg(long, required = true, num_args = 1..)]
    pub policy: Vec<String>,
    /// Write JUnit XML here.
    #[arg(long)]
    pub junit: Option<String>,
    /// Write SARIF 2.1.0 here.
    #[arg(long)]
    pub sarif: Option<String>,
    /// text or json.
    #[arg(long, default_value = "text")]
    pub format: String,
    /// What-if change files applied to INPUT before verifying (docs/changes-format.md).
    #[arg(long, num_args = 1..)]
    pub apply: Vec<String>,
}

/// Run `verify`.
pub fn run(a: Args) -> CliResult {
    let render_fn: fn(&VerifyReport) -> String = match a.format.as_str() {
        "text" => render::text,
        "json" => render::json,
        f => {
            return Err(CliError::Usage(format!(
                "unknown --format `{f}` (text or json)"
            )))
        }
    };
    let loaded = load_input(&a.input)?;
    let mut model = loaded.model;
    let mut failures = FailureSet::default();
    if !a.apply.is_empty() {
        let files = a
            .apply
            .iter()
            .map(|f| changes::load(f))
            .collect::<Result<Vec<_>, _>>()?;
        let applied = changes::apply_files(&mut model, &files)?;
        for n in &applied.notes {
            eprintln!("note: {n}");
        }
        failures.failed = applied.failed;
    }
    let mut policies = Vec::new();
    let mut errors = Vec::new();
    for f in &a.policy {
        match policy::load(f) {
            Ok(p) => {
                errors.extend(resolve_errors(&model, &p));
                policies.push(p);
            }
            Err(e) => errors.extend(e.diagnostics),
        }
    }
    if !errors.is_empty() {
        return Err(CliError::Input(InputError {
            diagnostics: errors,
        }));
    }
    let dp = Dataplane::compile_with_failures(&model, &failures);
    let mut report = VerifyReport {
        input: a.input.clone(),
        ..VerifyReport::default()
    };
    for p in &policies {
        report.extend(check(&dp, &model, p));
    }
    if let Some(path) = &a.junit {
        let xml = junit::junit(&report).map_err(CliError::Io)?;
        std::fs::write(path, xml).map_err(|e| CliError::Io(format!("{path}: {e}")))?;
    }
    if let Some(path) = &a.sarif {
        std::fs::write(path, sarif::sarif(&report))
            .map_err(|e| CliError::Io(format!("{path}: {e}")))?;
    }
    print!("{}", render_fn(&report));
    if report.all_hold() {
        Ok(())
    } else {
        Err(CliError::Violations)
    }
}
