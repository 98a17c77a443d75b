//! `lztwin trace --format text`: one line per hop like a traceroute, the verdict and
//! the reason last; the reply (with `--both-ways`) after it.

use crate::sim::Trace;
use std::fmt::Write as _;

/// Render a trace (and its reply) as text.
pub fn render_text(t: &Trace) -> String {
    let mut out = String::new();
    render_one(&mut out, "forward", t);
    if let Some(r) = &t.return_trace {
        out.push('\n');
        render_one(&mut out, "return", r);
    }
    out
}

fn render_one(out: &mut String, label: &str, t: &Trace) {
    let f = &t.flow;
    let _ = writeln!(
        out,
        "{label}: {} {}:{} → {}:{}",
        f.protocol, f.src, f.src_port, f.dst, f.dst_port
    );
    for (i, h) in t.hops.iter().enumerate() {
        let mut place = String::new();
        if let Some(a) = &h.account {
            place.push_str(a);
        }
        if let Some(z) = &h.az {
            if !place.is_empty() {
                place.push(' ');
            }
            place.push_str(z);
        }
        let id = if h.id != h.name {
            format!(" ({})", h.id)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{:>3}  {:<18} {}{}{}  {}: {}",
            i + 1,
            h.kind,
            h.name,
            id,
            if place.is_empty() {
                String::new()
            } else {
                format!(" [{place}]")
            },
            h.action,
            h.detail
        );
    }
    if !t.inspected_by.is_empty() {
        let _ = writeln!(out, "     inspected by: {}", t.inspected_by.join(", "));
    }
    let _ = writeln!(
        out,
        "     verdict: {}{}",
        t.verdict.as_str(),
        t.reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default()
    );
}
