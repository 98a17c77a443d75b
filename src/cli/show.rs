//! `lztwin show <INPUT> [--format text|json]`

use super::{load_input, CliError, CliResult};
use lztwin::report::inventory;
use std::io::Write;

/// Arguments of `show`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file, AWS snapshot directory, or `-` for stdin.
    pub input: String,
    /// Output format.
    #[arg(long, default_value = "text")]
    pub format: String,
}

/// Run `show`: the inventory per account (VPCs, subnets, route tables, TGW route tables
/// with their effective routes, attachments, firewalls) and the on-premises sites.
pub fn run(a: Args) -> CliResult {
    if a.format != "text" && a.format != "json" {
        return Err(CliError::Usage(format!(
            "unknown --format `{}` for show (expected text or json)",
            a.format
        )));
    }
    let loaded = load_input(&a.input)?;
    let inv = inventory::inventory(&loaded.model);
    let text = if a.format == "json" {
        let mut s = serde_json::to_string_pretty(&inv).map_err(|e| CliError::Io(e.to_string()))?;
        s.push('\n');
        s
    } else {
        inv.render_text()
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}
