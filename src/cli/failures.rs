//! `lztwin failures <INPUT> [--fail …] [--k 1|2] …` (stable contract).

use super::{load_input, CliError, CliResult};
use lztwin::analysis::diff::Service;
use lztwin::analysis::failures::{parse_classes, sweep, Shard, SweepOptions};
use lztwin::model::Protocol;
use lztwin::report::failures as render;

/// Arguments of `failures`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file or AWS snapshot directory.
    pub input: String,
    /// az, attachment, firewall-endpoint, vpn, dx, nat or all.
    #[arg(long, default_value = "all")]
    pub fail: String,
    /// 1 (single failures) or 2 (pairs).
    #[arg(long, default_value_t = 1)]
    pub k: u8,
    /// Policy file evaluated per scenario.
    #[arg(long)]
    pub policy: Option<String>,
    /// text or json.
    #[arg(long, default_value = "text")]
    pub format: String,
    /// Output directory (JSON and plots).
    #[arg(long)]
    pub out: Option<String>,
    /// Run the I-th of N slices: `I/N` (1-based).
    #[arg(long)]
    pub shard: Option<String>,
    /// tcp, udp, icmp or any.
    #[arg(long, default_value = "tcp")]
    pub protocol: String,
    /// Destination port.
    #[arg(long, default_value_t = 443)]
    pub dst_port: u16,
    /// With --k 2: most pairs evaluated; beyond it a seeded sample of this many.
    #[arg(long, default_value_t = 5000)]
    pub budget: usize,
    /// Seed of the pair sample.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// Run `failures`.
pub fn run(a: Args) -> CliResult {
    let protocol: Protocol = a.protocol.parse().map_err(CliError::Usage)?;
    let classes = parse_classes(&a.fail).map_err(CliError::Usage)?;
    let shard = match &a.shard {
        Some(s) => Some(s.parse::<Shard>().map_err(CliError::Usage)?),
        None => None,
    };
    if a.k != 1 && a.k != 2 {
        return Err(CliError::Usage(format!("--k must be 1 or 2, not {}", a.k)));
    }
    let (ext, render_fn): (&str, fn(&_) -> String) = match a.format.as_str() {
        "text" => ("txt", render::text),
        "json" => ("json", render::json),
        f => {
            return Err(CliError::Usage(format!(
                "unknown --format `{f}` (text or json)"
            )))
        }
    };
    let loaded = load_input(&a.input)?;
    let policies = match &a.policy {
        Some(f) => {
            let p = lztwin::ingest::policy::load(f)?;
            let errors = lztwin::analysis::verify::resolve_errors(&loaded.model, &p);
            if !errors.is_empty() {
                return Err(CliError::Input(lztwin::diag::InputError {
                    diagnostics: errors,
                }));
            }
            vec![p]
        }
        None => Vec::new(),
    };
    let check = |m: &lztwin::model::Model, fs: &lztwin::dataplane::FailureSet| {
        lztwin::analysis::verify::violated(m, fs, &policies)
    };
    let policy_check: Option<lztwin::analysis::failures::PolicyCheck<'_>> = if policies.is_empty() {
        None
    } else {
        Some(&check)
    };
    let opts = SweepOptions {
        service: Service {
            protocol,
            dst_port: a.dst_port,
        },
        classes,
        k: a.k,
        budget: a.budget,
        seed: a.seed,
        shard,
        ..SweepOptions::default()
    };
    // The bar draws only when stderr is a terminal (indicatif hides it otherwise).
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_message("failure scenarios");
    let report =
        sweep(&loaded.model, &opts, policy_check, &|| bar.inc(1)).map_err(CliError::Usage)?;
    bar.finish_and_clear();
    let text = render_fn(&report);
    match &a.out {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            let p = std::path::Path::new(dir).join(format!("failures.{ext}"));
            std::fs::write(&p, text)?;
            eprintln!("wrote {}", p.display());
            for f in render::plots(&report, std::path::Path::new(dir)).map_err(CliError::Io)? {
                eprintln!("wrote {}", f.display());
            }
        }
        None => print!("{text}"),
    }
    Ok(())
}
