//! `lztwin generate --vpcs N …`

use super::{CliError, CliResult};
use lztwin::ingest::synthetic::{generate, SyntheticOptions};
use std::io::Write;

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
pub fn run(a: Args) -> CliResult {
    if a.format != "native" && a.format != "aws-snapshot" {
        return Err(CliError::Usage(format!(
            "unknown --format `{}` (expected native or aws-snapshot)",
            a.format
        )));
    }
    let opts = SyntheticOptions {
        vpcs: a.vpcs,
        accounts: a.accounts,
        azs: a.azs,
        subnets_per_vpc: a.subnets_per_vpc,
        seed: a.seed,
    };
    let model = generate(&opts).map_err(CliError::Usage)?;
    match a.format.as_str() {
        "aws-snapshot" => {
            let Some(dir) = a.out else {
                return Err(CliError::Usage(
                    "--format aws-snapshot needs --out DIR".into(),
                ));
            };
            lztwin::ingest::aws::export::export_snapshot(&model, std::path::Path::new(&dir))
                .map_err(|e| CliError::Io(e.to_string()))?;
            eprintln!("wrote AWS snapshot of {} VPCs to {dir}", model.vpcs.len());
            Ok(())
        }
        _ => {
            let mut s = serde_json::to_string_pretty(&model)
                .map_err(|e| CliError::Io(format!("cannot serialise the estate: {e}")))?;
            s.push('\n');
            match a.out {
                Some(path) => std::fs::write(&path, s)
                    .map_err(|e| CliError::Io(format!("cannot write {path}: {e}")))?,
                None => std::io::stdout().lock().write_all(s.as_bytes())?,
            }
            Ok(())
        }
    }
}
