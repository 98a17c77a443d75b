//! `lztwin show <INPUT>`

use super::{not_yet, CliResult};

/// Arguments of `show`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
    /// Output format.
    #[arg(long, default_value = "text")]
    pub format: String,
}

/// Run `show`.
pub fn run(_a: Args) -> CliResult {
    not_yet("show")
}
