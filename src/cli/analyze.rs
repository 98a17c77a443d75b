//! `lztwin analyze [INPUT] [--out DIR]`: the main job.

use super::{not_yet, CliResult};

/// Arguments of `analyze`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file or AWS snapshot directory; the built-in reference environment when absent.
    pub input: Option<String>,
    /// Output directory (default: output/<scenario>/).
    #[arg(long)]
    pub out: Option<String>,
}

/// Run `analyze`.
pub fn run(_a: Args) -> CliResult {
    not_yet("analyze")
}
