//! `lztwin merge <FILE>...`: combine sharded failure-sweep outputs.

use super::{not_yet, CliResult};

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

/// Run `merge`.
pub fn run(_a: Args) -> CliResult {
    not_yet("merge")
}
