//! `lztwin validate <INPUT>`

use super::{load_input, CliResult};

/// Arguments of `validate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
}

/// Run `validate`.
pub fn run(a: Args) -> CliResult {
    let loaded = load_input(&a.input)?;
    let m = &loaded.model;
    for acc in &m.accounts {
        let vpcs = m.vpcs.iter().filter(|v| v.account == acc.name).count();
        println!("{} ({}): {} VPCs", acc.name, acc.environment.as_str(), vpcs);
        // Per region: what was loaded (AWS snapshots span accounts and regions).
        for r in &m.regions {
            let in_r: Vec<&str> = m
                .vpcs
                .iter()
                .filter(|v| v.account == acc.name && v.region == r.name)
                .map(|v| v.name.as_str())
                .collect();
            let tgws = m
                .transit_gateways
                .iter()
                .filter(|t| t.account == acc.name && t.region == r.name)
                .count();
            if in_r.is_empty() && tgws == 0 {
                continue;
            }
            let subnets = m
                .subnets
                .iter()
                .filter(|s| in_r.contains(&s.vpc.as_str()))
                .count();
            let rts = m
                .route_tables
                .iter()
                .filter(|t| in_r.contains(&t.vpc.as_str()))
                .count();
            println!(
                "  {}: {} VPCs, {} subnets, {} route tables, {} transit gateways",
                r.name,
                in_r.len(),
                subnets,
                rts,
                tgws
            );
        }
    }
    println!("ok: {} ({} warnings)", m.name, loaded.warnings.len());
    Ok(())
}
