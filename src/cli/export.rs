//! `lztwin export <INPUT> --format aws-snapshot --out DIR`

use super::{load_input, CliError, CliResult};
use std::path::Path;

/// Arguments of `export`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
    /// aws-snapshot or native.
    #[arg(long, default_value = "aws-snapshot")]
    pub format: String,
    /// Output directory (aws-snapshot) or file (native; `-` for stdout).
    #[arg(long)]
    pub out: String,
}

/// Run `export`: the model as the `describe-*` files the importer reads
/// (`aws-snapshot`), or as a native scenario (`native`).
pub fn run(a: Args) -> CliResult {
    if a.format != "aws-snapshot" && a.format != "native" {
        return Err(CliError::Usage(format!(
            "unknown --format `{}` for export (expected aws-snapshot or native)",
            a.format
        )));
    }
    let loaded = load_input(&a.input)?;
    let m = &loaded.model;
    if a.format == "aws-snapshot" {
        lztwin::ingest::aws::export::export_snapshot(m, Path::new(&a.out))
            .map_err(|e| CliError::Io(e.to_string()))?;
        eprintln!("wrote AWS snapshot of {} to {}", m.name, a.out);
        return Ok(());
    }
    let mut text = serde_json::to_string_pretty(m).map_err(|e| CliError::Io(e.to_string()))?;
    text.push('\n');
    if a.out == "-" {
        use std::io::Write;
        std::io::stdout().lock().write_all(text.as_bytes())?;
    } else {
        std::fs::write(&a.out, text).map_err(|e| CliError::Io(format!("{}: {e}", a.out)))?;
    }
    Ok(())
}
