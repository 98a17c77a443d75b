//! Renderings of a [`VerifyReport`]: text, JSON (stable contract, see
//! docs/policy-format.md) and an HTML table for the report.

use crate::analysis::verify::{flow_text, IntentResult, Status, VerifyReport};
use crate::sim::Trace;
use std::fmt::Write;

/// One trace as indented text, one line per hop, the verdict last (and the reply's).
pub fn trace_text(t: &Trace, indent: &str) -> String {
    let mut s = String::new();
    for (i, h) in t.hops.iter().enumerate() {
        let id = if h.id != h.name && !h.id.is_empty() {
            format!(" ({})", h.id)
        } else {
            String::new()
        };
        let az =
            h.az.as_deref()
                .map(|a| format!(" [{a}]"))
                .unwrap_or_default();
        let _ = writeln!(
            s,
            "{indent}{:>2}. {} {}{id}{az} {}: {}",
            i + 1,
            h.kind,
            h.name,
            h.action,
            h.detail
        );
    }
    let reason = t
        .reason
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let insp = if t.inspected_by.is_empty() {
        String::new()
    } else {
        format!(", inspected by {}", t.inspected_by.join(", "))
    };
    let _ = writeln!(s, "{indent}=> {}{reason}{insp}", t.verdict.as_str());
    if let Some(r) = &t.return_trace {
        let _ = writeln!(s, "{indent}reply: {}", flow_text(&r.flow));
        s.push_str(&trace_text(r, &format!("{indent}  ")));
    }
    s
}

/// Violations per intent whose trace the text output prints (JSON has them all).
pub const TEXT_TRACES: usize = 3;

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Holds => "PASS",
        Status::Violated => "FAIL",
        Status::Error => "ERROR",
    }
}

fn result_text(out: &mut String, r: &IntentResult) {
    let what = if r.kind == crate::model::policy::IntentKind::NaaScope {
        "findings"
    } else {
        "violations"
    };
    let _ = writeln!(
        out,
        "{:<5} {} ({}) {}:{}: {} flows, {} {what}",
        status_word(r.status),
        r.name,
        r.kind.as_str(),
        r.policy,
        r.location,
        r.flows_checked,
        r.violation_count
    );
    if let Some(e) = &r.error {
        let _ = writeln!(out, "      {e}");
    }
    for (k, v) in r.violations.iter().enumerate() {
        let _ = writeln!(
            out,
            "      {} -> {}: {}: {}",
            v.from,
            v.to,
            flow_text(&v.flow),
            v.problem
        );
        if k < TEXT_TRACES {
            if let Some(t) = &v.trace {
                out.push_str(&trace_text(t, "          "));
            }
        }
    }
    if r.violation_count > r.violations.len() {
        let _ = writeln!(
            out,
            "      … and {} more (see --format json)",
            r.violation_count - r.violations.len()
        );
    }
}

/// The report as text: one line per intent or scope, then its violations with the
/// counterexample traces, then the summary.
pub fn text(r: &VerifyReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "verify {}", r.input);
    for x in &r.results {
        result_text(&mut out, x);
    }
    let s = &r.summary;
    let _ = writeln!(
        out,
        "{} checked: {} hold, {} violated, {} errors; {} NAA findings; {} flows traced",
        s.checked, s.holds, s.violated, s.errors, s.findings, s.flows
    );
    out
}

/// The report as pretty JSON (stable field names).
pub fn json(r: &VerifyReport) -> String {
    let mut s =
        serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An HTML `<table>` of the report's rows (intent, kind, status, counterexample), for
/// the HTML report. Status cells carry the class `holds`, `violated` or `error`.
pub fn html_table(r: &VerifyReport) -> String {
    let mut s = String::from(
        "<table class=\"verify\">\n<thead><tr><th>Intent</th><th>Kind</th><th>Status</th><th>Counterexample</th></tr></thead>\n<tbody>\n",
    );
    for row in r.rows() {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
            esc(&row.intent),
            esc(&row.kind),
            esc(&row.status),
            esc(&row.status),
            esc(&row.counterexample)
        );
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::verify::{IntentResult, VerifySummary};
    use crate::model::policy::{IntentKind, Pos};

    #[test]
    fn html_table_escapes_and_marks_status() {
        let r = VerifyReport {
            input: "x".into(),
            results: vec![IntentResult {
                policy: "p.json".into(),
                name: "a<b".into(),
                kind: IntentKind::Isolated,
                description: None,
                location: Pos { line: 2, column: 3 },
                status: Status::Error,
                flows_checked: 0,
                violation_count: 0,
                violations: vec![],
                error: Some("no VPC `v&w`".into()),
            }],
            summary: VerifySummary::default(),
        };
        let h = html_table(&r);
        assert!(h.contains("<td>a&lt;b</td>"), "{h}");
        assert!(h.contains("<td class=\"error\">error</td>"), "{h}");
        assert!(h.contains("v&amp;w"), "{h}");
        assert!(text(&r).contains("ERROR a<b (isolated) p.json:2:3"));
    }
}
