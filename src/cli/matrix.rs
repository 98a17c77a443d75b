//! `lztwin matrix <INPUT> …` (stable contract).

use super::{not_yet, CliResult};

/// Arguments of `matrix`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
    /// tcp, udp, icmp or any.
    #[arg(long, default_value = "tcp")]
    pub protocol: String,
    /// Destination port.
    #[arg(long, default_value_t = 443)]
    pub dst_port: u16,
    /// subnet, vpc, account or environment.
    #[arg(long)]
    pub group_by: Option<String>,
    /// Also evaluate the reply.
    #[arg(long)]
    pub both_ways: bool,
    /// fast or per-pair.
    #[arg(long, default_value = "fast")]
    pub engine: String,
    /// json, csv or md.
    #[arg(long, default_value = "json")]
    pub format: String,
    /// Write files here instead of stdout.
    #[arg(long)]
    pub out: Option<String>,
}

/// Run `matrix`.
pub fn run(_a: Args) -> CliResult {
    not_yet("matrix")
}
