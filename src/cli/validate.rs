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
    }
    println!("ok: {} ({} warnings)", m.name, loaded.warnings.len());
    Ok(())
}
