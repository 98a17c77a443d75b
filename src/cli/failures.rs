//! `lztwin failures <INPUT> [--fail …] [--k 1|2] …` (stable contract).

use super::{not_yet, CliResult};

/// Arguments of `failures`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file or AWS snapshot directory.
    pub input: String,
    /// az, attachment, firewall-endpoint, vpn, dx, nat or all.
    #[arg(long, default_value = "all")]
    pub fail: String,
    /// 1 (single failures) or 2 (pairs).
    #[arg(long, default_value_t = 1)]
    pub k: u8,
    /// Policy file evaluated per scenario.
    #[arg(long)]
    pub policy: Option<String>,
    /// text or json.
    #[arg(long, default_value = "text")]
    pub format: String,
    /// Output directory (JSON and plots).
    #[arg(long)]
    pub out: Option<String>,
    /// Run the I-th of N slices: `I/N`.
    #[arg(long)]
    pub shard: Option<String>,
}

/// Run `failures`.
pub fn run(_a: Args) -> CliResult {
    not_yet("failures")
}
