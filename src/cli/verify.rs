//! `lztwin verify <INPUT> --policy <FILE>... [--junit FILE] [--sarif FILE] [--format text|json]`
//! (stable contract).

use super::{not_yet, CliResult};

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
}

/// Run `verify`.
pub fn run(_a: Args) -> CliResult {
    not_yet("verify")
}
