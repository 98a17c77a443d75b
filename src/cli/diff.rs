//! `lztwin diff <BASE> (<CHANGED> | --apply <CHANGES>...) …` (stable contract).

use super::{not_yet, CliResult};

/// Arguments of `diff`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The base environment.
    pub base: String,
    /// The changed environment (or use --apply).
    pub changed: Option<String>,
    /// Change files applied to BASE.
    #[arg(long, num_args = 1..)]
    pub apply: Vec<String>,
    /// tcp, udp, icmp or any.
    #[arg(long, default_value = "tcp")]
    pub protocol: String,
    /// Destination port.
    #[arg(long, default_value_t = 443)]
    pub dst_port: u16,
    /// Policy file: exit 1 if a policy that held on BASE breaks.
    #[arg(long)]
    pub policy: Option<String>,
    /// text, json or md.
    #[arg(long, default_value = "text")]
    pub format: String,
    /// Output directory.
    #[arg(long)]
    pub out: Option<String>,
}

/// Run `diff`.
pub fn run(_a: Args) -> CliResult {
    not_yet("diff")
}
