//! `lztwin export <INPUT> --format aws-snapshot --out DIR`

use super::{not_yet, CliResult};

/// Arguments of `export`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
    /// aws-snapshot or native.
    #[arg(long, default_value = "aws-snapshot")]
    pub format: String,
    /// Output directory (aws-snapshot) or file (native).
    #[arg(long)]
    pub out: String,
}

/// Run `export`.
pub fn run(_a: Args) -> CliResult {
    not_yet("export")
}
