//! `lztwin trace <INPUT> --from <ENDPOINT> --to <ENDPOINT> …` (stable contract).

use super::{not_yet, CliResult};

/// Arguments of `trace`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
    /// Source: IP, AWS id (i-, eni-, subnet-), scenario name, `internet`, `onprem:<site>`.
    #[arg(long)]
    pub from: String,
    /// Destination, same forms as --from.
    #[arg(long)]
    pub to: String,
    /// tcp, udp, icmp or any.
    #[arg(long, default_value = "tcp")]
    pub protocol: String,
    /// Destination port.
    #[arg(long, default_value_t = 443)]
    pub dst_port: u16,
    /// Source port.
    #[arg(long, default_value_t = 49152)]
    pub src_port: u16,
    /// Also trace the reply.
    #[arg(long)]
    pub both_ways: bool,
    /// text or json.
    #[arg(long, default_value = "text")]
    pub format: String,
}

/// Run `trace`.
pub fn run(_a: Args) -> CliResult {
    not_yet("trace")
}
