//! `lztwin diff <BASE> (<CHANGED> | --apply <CHANGES>...) …` (stable contract).

use super::{load_input, CliError, CliResult};
use lztwin::analysis::diff::{diff_models, Service};
use lztwin::analysis::verify::violated;
use lztwin::dataplane::FailureSet;
use lztwin::ingest::changes;
use lztwin::model::Protocol;
use lztwin::report::diff as render;

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
pub fn run(a: Args) -> CliResult {
    let protocol: Protocol = a.protocol.parse().map_err(CliError::Usage)?;
    let (ext, render_fn): (&str, fn(&_) -> String) = match a.format.as_str() {
        "text" => ("txt", render::text),
        "json" => ("json", render::json),
        "md" => ("md", render::markdown),
        f => {
            return Err(CliError::Usage(format!(
                "unknown --format `{f}` (text, json or md)"
            )))
        }
    };
    let base = load_input(&a.base)?;
    let policy = match &a.policy {
        Some(f) => {
            let p = lztwin::ingest::policy::load(f)?;
            let errors = lztwin::analysis::verify::resolve_errors(&base.model, &p);
            if !errors.is_empty() {
                return Err(CliError::Input(lztwin::diag::InputError {
                    diagnostics: errors,
                }));
            }
            Some(p)
        }
        None => None,
    };
    let (changed, failed) = match (&a.changed, a.apply.is_empty()) {
        (Some(_), false) => {
            return Err(CliError::Usage(
                "give either CHANGED or --apply CHANGES, not both".into(),
            ))
        }
        (None, true) => {
            return Err(CliError::Usage(
                "give the changed environment or --apply CHANGES...".into(),
            ))
        }
        (Some(c), true) => (load_input(c)?.model, FailureSet::default()),
        (None, false) => {
            let files = a
                .apply
                .iter()
                .map(|f| changes::load(f))
                .collect::<Result<Vec<_>, _>>()?;
            let mut m = base.model.clone();
            let applied = changes::apply_files(&mut m, &files)?;
            for n in &applied.notes {
                eprintln!("note: {n}");
            }
            (
                m,
                FailureSet {
                    failed: applied.failed,
                },
            )
        }
    };
    let service = Service {
        protocol,
        dst_port: a.dst_port,
    };
    let mut report = diff_models(
        &base.model,
        &FailureSet::default(),
        &changed,
        &failed,
        service,
    );
    // Policies that held on BASE and break on the changed environment.
    if let Some(p) = &policy {
        let ps = std::slice::from_ref(p);
        let before = violated(&base.model, &FailureSet::default(), ps);
        report.summary.policies_broken = violated(&changed, &failed, ps)
            .into_iter()
            .filter(|n| !before.contains(n))
            .collect();
    }
    let text = render_fn(&report);
    match &a.out {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            let p = std::path::Path::new(dir).join(format!("diff.{ext}"));
            std::fs::write(&p, text)?;
            eprintln!("wrote {}", p.display());
        }
        None => print!("{text}"),
    }
    if report.summary.policies_broken.is_empty() {
        Ok(())
    } else {
        eprintln!(
            "policies broken by the change: {}",
            report.summary.policies_broken.join(", ")
        );
        Err(CliError::Violations)
    }
}
