//! `lztwin merge <FILE>...`: combine sharded failure-sweep outputs.

use super::{CliError, CliResult};
use lztwin::analysis::failures::{merge::merge, SweepReport};
use lztwin::diag::{Diagnostic, InputError};
use lztwin::report::failures as render;

/// Arguments of `merge`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Shard output files (JSON from `lztwin failures --shard I/N --format json`).
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// text or json.
    #[arg(long, default_value = "json")]
    pub format: String,
}

fn read(path: &str) -> Result<SweepReport, CliError> {
    let buf = std::fs::read(path).map_err(|e| {
        CliError::Input(InputError::one(Diagnostic::error(
            path,
            "",
            format!("cannot read: {e}"),
        )))
    })?;
    let mut de = serde_json::Deserializer::from_slice(&buf);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        CliError::Input(InputError::one(Diagnostic::error(
            path,
            format!("{}:{}", inner.line(), inner.column()),
            format!("at {}: {inner}", e.path()),
        )))
    })
}

/// Run `merge`.
pub fn run(a: Args) -> CliResult {
    let render_fn: fn(&SweepReport) -> String = match a.format.as_str() {
        "json" => render::json,
        "text" => render::text,
        f => {
            return Err(CliError::Usage(format!(
                "unknown --format `{f}` (json or text)"
            )))
        }
    };
    let shards = a
        .inputs
        .iter()
        .map(|p| read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let merged = merge(shards).map_err(CliError::Usage)?;
    print!("{}", render_fn(&merged));
    Ok(())
}
