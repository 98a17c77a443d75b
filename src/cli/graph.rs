//! `lztwin graph <INPUT> [--format dot]`

use super::{load_input, CliError, CliResult};
use lztwin::report::dot;
use std::io::Write;

/// Arguments of `graph`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
    /// Output format.
    #[arg(long, default_value = "dot")]
    pub format: String,
}

/// Run `graph`: the topology as Graphviz DOT on stdout
/// (`lztwin graph X | dot -Tsvg > x.svg`).
pub fn run(a: Args) -> CliResult {
    if a.format != "dot" {
        return Err(CliError::Usage(format!(
            "unknown --format `{}` for graph (expected dot)",
            a.format
        )));
    }
    let loaded = load_input(&a.input)?;
    let text = dot::render(&loaded.model);
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}
