//! `lztwin graph <INPUT>`

use super::{not_yet, CliResult};

/// Arguments of `graph`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
    /// Output format.
    #[arg(long, default_value = "dot")]
    pub format: String,
}

/// Run `graph`.
pub fn run(_a: Args) -> CliResult {
    not_yet("graph")
}
