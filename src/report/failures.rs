//! Renderers of a failure-sweep [`SweepReport`]: JSON (stable contract), text, and plots.

use crate::analysis::failures::SweepReport;

/// Pretty JSON with a trailing newline.
pub fn json(r: &SweepReport) -> String {
    let mut s =
        serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Plain text: the ranked scenarios and, for the worst ones, an example flow.
pub fn text(r: &SweepReport) -> String {
    let b = &r.baseline;
    let mut out = format!(
        "failure sweep: {} scenario(s){} (k={}, {}/{}); baseline {} flows, {} reachable, {} inspected\n",
        r.scenarios.len(),
        r.shard
            .map(|s| format!(" of {} [shard {}/{}]", r.scenarios_total, s.index, s.count))
            .unwrap_or_default(),
        r.k,
        r.service.protocol,
        r.service.dst_port,
        b.flows,
        b.reachable,
        b.inspected
    );
    out.push_str(&format!(
        "{:>4}  {:<48} {:>6} {:>10} {:>7} {:>8}  policies broken\n",
        "rank", "failed", "lost", "lost-insp", "gained", "rerouted"
    ));
    for (i, s) in r.scenarios.iter().enumerate() {
        out.push_str(&format!(
            "{:>4}  {:<48} {:>6} {:>10} {:>7} {:>8}  {}\n",
            i + 1,
            s.failed.join(" + "),
            s.lost,
            s.lost_inspection,
            s.gained,
            s.path_changed,
            if s.policy_broken.is_empty() {
                "-".to_string()
            } else {
                s.policy_broken.join(", ")
            }
        ));
    }
    if let Some(s) = r.scenarios.first().filter(|s| !s.examples.is_empty()) {
        out.push_str(&format!("\nexamples for {}:\n", s.failed.join(" + ")));
        for e in &s.examples {
            out.push_str(&format!(
                "  {:<16} {} -> {}: {} => {}\n",
                e.kind.as_str(),
                e.src.name,
                e.dst.name,
                e.before.verdict.as_str(),
                e.after.verdict.as_str()
            ));
        }
    }
    out
}
