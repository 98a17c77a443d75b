//! `lztwin generate --vpcs N …`

use super::{not_yet, CliResult};

/// Arguments of `generate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Number of workload VPCs.
    #[arg(long)]
    pub vpcs: usize,
    /// Number of accounts.
    #[arg(long)]
    pub accounts: Option<usize>,
    /// Availability zones.
    #[arg(long, default_value_t = 3)]
    pub azs: usize,
    /// Subnets per VPC.
    #[arg(long, default_value_t = 3)]
    pub subnets_per_vpc: usize,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// native or aws-snapshot.
    #[arg(long, default_value = "native")]
    pub format: String,
    /// Output file (native) or directory (aws-snapshot); stdout when absent (native).
    #[arg(long)]
    pub out: Option<String>,
}

/// Run `generate`.
pub fn run(_a: Args) -> CliResult {
    not_yet("generate")
}
