//! Renderers of a [`DiffReport`]: JSON (stable contract), text, Markdown.

use crate::analysis::diff::{DiffReport, FlowChange, PathOutcome};

/// Pretty JSON with a trailing newline.
pub fn json(r: &DiffReport) -> String {
    let mut s =
        serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

fn outcome(o: &PathOutcome) -> String {
    let mut s = o.verdict.as_str().to_string();
    if !o.inspected_by.is_empty() {
        s.push_str(&format!(" via {}", o.inspected_by.join(",")));
    }
    if let Some(r) = &o.reason {
        if !o.verdict.is_success() {
            s.push_str(&format!(" ({r})"));
        }
    }
    s
}

fn summary_line(r: &DiffReport) -> String {
    let s = &r.summary;
    format!(
        "{} lost, {} lost inspection, {} gained, {} gained inspection, {} path changed (of {} flows; reachable {} -> {})",
        s.lost, s.lost_inspection, s.gained, s.gained_inspection, s.path_changed, s.flows,
        s.reachable_before, s.reachable_after
    )
}

fn flow_text(c: &FlowChange) -> String {
    format!(
        "{} ({}) -> {} ({}) {}/{}",
        c.src.name, c.src.ip, c.dst.name, c.dst.ip, c.protocol, c.dst_port
    )
}

/// Plain text: one line per changed flow, then the summary.
pub fn text(r: &DiffReport) -> String {
    let mut out = String::new();
    if r.changes.is_empty() {
        out.push_str("no reachability changes\n");
    }
    for c in &r.changes {
        out.push_str(&format!(
            "{:<18} {}: {} => {}\n",
            c.kind.as_str(),
            flow_text(c),
            outcome(&c.before),
            outcome(&c.after)
        ));
    }
    out.push_str(&format!("summary: {}\n", summary_line(r)));
    if !r.summary.policies_broken.is_empty() {
        out.push_str(&format!(
            "policies broken: {}\n",
            r.summary.policies_broken.join(", ")
        ));
    }
    out
}

/// Escape a cell for a Markdown table (pipes, newlines, HTML-significant characters).
pub fn md_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// Markdown: a summary and a table of changed flows (for pull-request comments).
pub fn markdown(r: &DiffReport) -> String {
    let mut out = String::from("## Reachability diff\n\n");
    out.push_str(&format!("{}\n\n", md_escape(&summary_line(r))));
    if !r.summary.policies_broken.is_empty() {
        out.push_str(&format!(
            "**Policies broken:** {}\n\n",
            md_escape(&r.summary.policies_broken.join(", "))
        ));
    }
    if r.changes.is_empty() {
        out.push_str("No reachability changes.\n");
        return out;
    }
    out.push_str(
        "| change | source | destination | service | before | after |\n|---|---|---|---|---|---|\n",
    );
    for c in &r.changes {
        out.push_str(&format!(
            "| {} | {} ({}) | {} ({}) | {}/{} | {} | {} |\n",
            c.kind.as_str(),
            md_escape(&c.src.name),
            c.src.ip,
            md_escape(&c.dst.name),
            c.dst.ip,
            c.protocol,
            c.dst_port,
            md_escape(&outcome(&c.before)),
            md_escape(&outcome(&c.after))
        ));
    }
    out
}
