//! `lztwin validate <INPUT>`

use super::{load_input, CliResult};
use lztwin::report::inventory;

/// Arguments of `validate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
}

/// Run `validate`: one line per account and region (what was loaded), the warnings
/// (on stderr, as they were found), and a final `ok:` line.
pub fn run(a: Args) -> CliResult {
    let loaded = load_input(&a.input)?;
    let m = &loaded.model;
    for s in inventory::summaries(m) {
        println!("{s}");
    }
    println!(
        "ok: {}: {}, {}, {}, {} ({})",
        m.name,
        count(m.accounts.len(), "account", "accounts"),
        count(m.regions.len(), "region", "regions"),
        count(m.vpcs.len(), "VPC", "VPCs"),
        count(
            m.onprem_sites.len(),
            "on-premises site",
            "on-premises sites"
        ),
        count(loaded.warnings.len(), "warning", "warnings"),
    );
    Ok(())
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
