//! `lztwin analyze [INPUT] [--out DIR]`: the main job. Runs the matrix for the
//! reference services, the failure sweep (and policy verification once it lands), writes
//! `output/<scenario>/` (report.html, matrix.json/.csv/.md per service, heatmaps and the
//! coverage chart as PNG and SVG, failures.json), and prints a short summary.

use super::{load_input, CliError, CliResult};
use lztwin::analysis::failures::{self, SweepOptions};
use lztwin::analysis::matrix::{self, Engine, GroupBy, Matrix, MatrixOptions, Progress};
use lztwin::analysis::verify;
use lztwin::dataplane::Dataplane;
use lztwin::ingest;
use lztwin::model::Protocol;
use lztwin::report;
use std::path::{Path, PathBuf};

/// Arguments of `analyze`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file or AWS snapshot directory; the built-in reference environment when absent.
    pub input: Option<String>,
    /// Output directory (default: output/<scenario>/).
    #[arg(long)]
    pub out: Option<String>,
    /// Policy files (intents or Network Access Analyzer scopes) to verify; without INPUT
    /// the reference policies of scenarios/policies/ are used.
    #[arg(long, num_args = 1..)]
    pub policy: Vec<String>,
}

/// The reference environment's policies, embedded like the environment itself.
const REFERENCE_POLICIES: [(&str, &str); 3] = [
    (
        "<built-in scenarios/policies/landing-zone.json>",
        include_str!("../../scenarios/policies/landing-zone.json"),
    ),
    (
        "<built-in scenarios/policies/naa-ingress-through-firewall.json>",
        include_str!("../../scenarios/policies/naa-ingress-through-firewall.json"),
    ),
    (
        "<built-in scenarios/policies/naa-onprem-spokes-through-firewall.json>",
        include_str!("../../scenarios/policies/naa-onprem-spokes-through-firewall.json"),
    ),
];

/// Run `f` with a progress bar of `len` steps on stderr (hidden when stderr is not a
/// terminal).
pub fn with_progress<T>(what: &str, len: u64, f: impl FnOnce(Progress<'_>) -> T) -> T {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template("{msg:>14} [{bar:40}] {pos}/{len} {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    let out = f(&|n| bar.inc(n));
    bar.finish_and_clear();
    out
}

/// The services `analyze` evaluates: HTTPS, SSH (deploys) and DNS, the ports the
/// reference landing zone's firewall rules are written for.
pub const SERVICES: [(Protocol, u16); 3] = [
    (Protocol::Tcp, 443),
    (Protocol::Tcp, 22),
    (Protocol::Udp, 53),
];

/// A directory name for a scenario name (which is user input): letters, digits, `.`,
/// `-`, `_`; anything else becomes `_`; never empty, `.` or `..`.
pub fn dir_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() || s.chars().all(|c| c == '.') {
        "scenario".into()
    } else {
        s
    }
}

fn write(path: &Path, bytes: &[u8], written: &mut Vec<PathBuf>) -> Result<(), CliError> {
    std::fs::write(path, bytes)
        .map_err(|e| CliError::Io(format!("cannot write {}: {e}", path.display())))?;
    written.push(path.to_path_buf());
    Ok(())
}

/// Run `analyze`.
pub fn run(a: Args) -> CliResult {
    let loaded = match &a.input {
        Some(i) => load_input(i)?,
        None => {
            let l = ingest::load_reference()?;
            for w in &l.warnings {
                eprintln!("{w}");
            }
            l
        }
    };
    let model = &loaded.model;
    // Policies: given, or the reference ones with the reference environment.
    let mut policies = Vec::new();
    let mut errors = Vec::new();
    let parsed: Vec<Result<lztwin::ingest::policy::Policy, lztwin::diag::InputError>> =
        if a.policy.is_empty() && a.input.is_none() {
            REFERENCE_POLICIES
                .iter()
                .map(|(file, text)| lztwin::ingest::policy::parse(text.as_bytes(), file))
                .collect()
        } else {
            a.policy
                .iter()
                .map(|f| lztwin::ingest::policy::load(f))
                .collect()
        };
    for p in parsed {
        match p {
            Ok(p) => {
                errors.extend(verify::resolve_errors(model, &p));
                policies.push(p);
            }
            Err(e) => errors.extend(e.diagnostics),
        }
    }
    if !errors.is_empty() {
        return Err(CliError::Input(lztwin::diag::InputError {
            diagnostics: errors,
        }));
    }
    let dir = match &a.out {
        Some(d) => PathBuf::from(d),
        None => Path::new("output").join(dir_name(&model.name)),
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| CliError::Io(format!("cannot create {}: {e}", dir.display())))?;
    let dp = Dataplane::compile(model);
    let n_eps = lztwin::sim::endpoint::all_endpoints(model).len() as u64;
    let mut written = Vec::new();
    let mut matrices: Vec<Matrix> = Vec::new();
    for (protocol, port) in SERVICES {
        let opts = MatrixOptions {
            protocol,
            dst_port: port,
            group_by: None,
            both_ways: true,
            engine: Engine::Fast,
        };
        let m = with_progress(&format!("matrix {protocol}/{port}"), n_eps, |p| {
            matrix::compute_with_progress(&dp, model, &opts, p)
        });
        let stem = if matrices.is_empty() {
            "matrix".to_string()
        } else {
            format!("matrix-{protocol}-{port}")
        };
        let mut buf = Vec::new();
        report::matrix::write_json(&m, &mut buf)?;
        write(&dir.join(format!("{stem}.json")), &buf, &mut written)?;
        let mut buf = Vec::new();
        report::matrix::write_csv(&m, &mut buf)?;
        write(&dir.join(format!("{stem}.csv")), &buf, &mut written)?;
        write(
            &dir.join(format!("{stem}.md")),
            report::matrix::md(&m).as_bytes(),
            &mut written,
        )?;
        matrices.push(m);
    }
    let mut verified = verify::VerifyReport {
        input: a
            .input
            .clone()
            .unwrap_or_else(|| "<built-in landing-zone.json>".into()),
        ..verify::VerifyReport::default()
    };
    for p in &policies {
        verified.extend(verify::check(&dp, model, p));
    }
    drop(dp);
    let main = &matrices[0];
    written.extend(report::plots::write_plots(main, &dir).map_err(CliError::Io)?);
    let heat = report::plots::Heatmap::from_matrix(main, GroupBy::Account);
    let heat_env = report::plots::Heatmap::from_matrix(main, GroupBy::Environment);
    let cov = report::plots::CoverageChart::from_matrix(main);
    let plots = vec![
        (heat.title.clone(), heat.svg().map_err(CliError::Io)?),
        (
            heat_env.title.clone(),
            heat_env.svg().map_err(CliError::Io)?,
        ),
        (cov.title.clone(), cov.svg().map_err(CliError::Io)?),
    ];

    // Failure sweep: every single AZ, attachment and endpoint failure.
    let sweep_opts = SweepOptions::default();
    let comps = failures::components(model, &sweep_opts.classes).len() as u64;
    let sweep = with_progress("failure sweep", comps, |p| {
        let check = |m: &lztwin::model::Model, f: &lztwin::dataplane::FailureSet| {
            verify::violated(m, f, &policies)
        };
        let policy: Option<failures::PolicyCheck<'_>> =
            (!policies.is_empty()).then_some(&check as failures::PolicyCheck<'_>);
        failures::sweep(model, &sweep_opts, policy, &|| p(1))
    });
    let failures_summary = match &sweep {
        Ok(r) => {
            write(
                &dir.join("failures.json"),
                report::failures::json(r).as_bytes(),
                &mut written,
            )?;
            Some(failures::summary(r, 10))
        }
        Err(e) => {
            eprintln!("lztwin: failure sweep skipped: {e}");
            None
        }
    };

    let policy_section = (!policies.is_empty()).then(|| report::html::PolicySection {
        summary: format!(
            "{} intents and scopes checked: {} hold, {} violated, {} could not be checked.",
            verified.summary.checked,
            verified.summary.holds,
            verified.summary.violated,
            verified.summary.errors
        ),
        columns: vec![
            "intent".into(),
            "kind".into(),
            "status".into(),
            "counterexample".into(),
        ],
        rows: verified
            .rows()
            .into_iter()
            .map(|r| {
                let ok = r.status == "holds";
                (vec![r.intent, r.kind, r.status, r.counterexample], ok)
            })
            .collect(),
    });
    let html = report::html::HtmlReport {
        model,
        matrices: matrices.iter().collect(),
        plots,
        policy: policy_section,
        failures: failures_summary.clone(),
        warnings: loaded.warnings.iter().map(|w| w.to_string()).collect(),
        max_cells: 2000,
    };
    write(
        &dir.join("report.html"),
        html.render().as_bytes(),
        &mut written,
    )?;

    // Summary.
    println!(
        "{}: {} accounts, {} VPCs, {} endpoints",
        model.name,
        model.accounts.len(),
        model.vpcs.len(),
        main.endpoints.len()
    );
    for m in &matrices {
        let (total, reachable, inspected) = m.totals();
        println!(
            "  {:>3} {:<5} {} flows: {} reachable both ways, {} of them inspected",
            m.service.protocol, m.service.dst_port, total, reachable, inspected
        );
    }
    if !policies.is_empty() {
        let broken = verified.broken();
        println!(
            "  policies: {} checked, {} hold{}",
            verified.summary.checked,
            verified.summary.holds,
            if broken.is_empty() {
                String::new()
            } else {
                format!(", violated: {}", broken.join(", "))
            }
        );
    }
    if let Some(f) = &failures_summary {
        let worst = f
            .top
            .first()
            .map(|(n, lost, li, _)| {
                format!("; worst: {n} ({lost} flows lost, {li} lose inspection)")
            })
            .unwrap_or_default();
        println!(
            "  failure sweep: {} scenarios, {} lose flows, {} lose inspection{worst}",
            f.scenarios, f.with_loss, f.with_lost_inspection
        );
    }
    let mut names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    println!("wrote {}/: {}", dir.display(), names.join(", "));
    println!("open {}", dir.join("report.html").display());
    // Exit like `verify`: 1 when a policy does not hold.
    if verified.all_hold() {
        Ok(())
    } else {
        Err(CliError::Violations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_names_are_safe() {
        assert_eq!(dir_name("landing-zone"), "landing-zone");
        assert_eq!(dir_name("../../etc"), ".._.._etc");
        assert_eq!(dir_name(".."), "scenario");
        assert_eq!(dir_name(""), "scenario");
        assert_eq!(dir_name("a/b c"), "a_b_c");
    }
}
