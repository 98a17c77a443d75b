//! Renderers of a reachability [`Matrix`]: JSON (the stable contract), CSV and Markdown.
//!
//! Every string from input (AWS names, tags) is escaped: CSV cells that a spreadsheet
//! would read as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) get a leading
//! apostrophe (OWASP "CSV Injection"); Markdown cells have `|`, `<`, `>`, `&`, `\`, `` ` ``
//! and line breaks neutralised.

use crate::analysis::matrix::{cell_dst_ip, EndpointKind, GroupCell, Half, Matrix};
use std::io::{self, Write};

/// Write the JSON contract (pretty-printed, trailing newline) to `w`.
pub fn write_json<W: Write>(m: &Matrix, w: W) -> io::Result<()> {
    let mut w = io::BufWriter::new(w);
    serde_json::to_writer_pretty(&mut w, m).map_err(io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// The JSON contract as a string.
pub fn json(m: &Matrix) -> String {
    let mut v = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_json(m, &mut v);
    String::from_utf8_lossy(&v).into_owned()
}

/// Escape one CSV field: formula neutralisation, then RFC 4180 quoting.
pub fn csv_field(s: &str) -> String {
    let neutral = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

fn csv_row<W: Write>(w: &mut W, fields: &[&str]) -> io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    w.write_all(line.join(",").as_bytes())?;
    w.write_all(b"\n")
}

/// Header of the cell CSV.
pub const CSV_HEADER: &[&str] = &[
    "src_id",
    "src_name",
    "src_ip",
    "src_group",
    "dst_id",
    "dst_name",
    "dst_ip",
    "dst_group",
    "verdict",
    "inspected_by",
    "reason",
    "hops",
    "return_verdict",
    "return_inspected_by",
    "return_reason",
    "return_hops",
];

/// Header of the group CSV.
pub const CSV_GROUP_HEADER: &[&str] =
    &["src_group", "dst_group", "reachable", "inspected", "total"];

/// Write CSV: one line per cell, or per group cell when the matrix has a grouping.
pub fn write_csv<W: Write>(m: &Matrix, w: W) -> io::Result<()> {
    let mut w = io::BufWriter::new(w);
    if let Some(g) = m.group_by {
        csv_row(&mut w, CSV_GROUP_HEADER)?;
        for gc in m.aggregate(g).1 {
            csv_row(
                &mut w,
                &[
                    &gc.src,
                    &gc.dst,
                    &gc.reachable.to_string(),
                    &gc.inspected.to_string(),
                    &gc.total.to_string(),
                ],
            )?;
        }
        return w.flush();
    }
    csv_row(&mut w, CSV_HEADER)?;
    // A large matrix has millions of cells but few endpoints and outcomes: escape each
    // endpoint's and each outcome's fields once and write the pieces per cell.
    let line = |fields: &[&str]| -> String {
        fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",")
    };
    let src_part: Vec<String> = m
        .endpoints
        .iter()
        .map(|s| line(&[&s.id, &s.name, &s.ip.to_string(), &s.group]))
        .collect();
    let dst_head: Vec<String> = m
        .endpoints
        .iter()
        .map(|d| line(&[&d.id, &d.name]))
        .collect();
    let dst_group: Vec<String> = m.endpoints.iter().map(|d| csv_field(&d.group)).collect();
    let half = |h: Option<&Half>| -> [String; 4] {
        match h {
            None => Default::default(),
            Some(h) => {
                let d = m.detail(h);
                [
                    h.verdict.as_str().to_string(),
                    d.inspected_by.join(";"),
                    d.reason.clone().unwrap_or_default(),
                    h.hops.to_string(),
                ]
            }
        }
    };
    let outcome_part: Vec<String> = m
        .outcomes
        .iter()
        .map(|o| {
            let f = half(Some(&o.fwd));
            let r = half(o.ret.as_ref());
            line(&[&f[0], &f[1], &f[2], &f[3], &r[0], &r[1], &r[2], &r[3]])
        })
        .collect();
    let n = m.endpoints.len();
    let mut dst_ip: [Vec<Option<String>>; 2] = [vec![None; n], vec![None; n]];
    let per_row = n.saturating_sub(1).max(1);
    for (k, &o) in m.cell_outcomes.iter().enumerate() {
        let (s, r) = (k / per_row, k % per_row);
        let d = if r < s { r } else { r + 1 };
        let (Some(src), Some(dst), Some(tail)) = (
            src_part.get(s),
            m.endpoints.get(d),
            outcome_part.get(o as usize),
        ) else {
            continue;
        };
        // The destination address depends on the destination and on whether the source
        // is the Internet (`cell_dst_ip`): render it once per such pair.
        let internet = matches!(m.endpoints[s].kind, EndpointKind::Internet);
        let ip = dst_ip[usize::from(internet)][d].get_or_insert_with(|| {
            let ip = m.cell(s, d).and_then(|c| cell_dst_ip(m, &c));
            csv_field(&ip.unwrap_or(dst.ip).to_string())
        });
        w.write_all(src.as_bytes())?;
        w.write_all(b",")?;
        w.write_all(dst_head[d].as_bytes())?;
        w.write_all(b",")?;
        w.write_all(ip.as_bytes())?;
        w.write_all(b",")?;
        w.write_all(dst_group[d].as_bytes())?;
        w.write_all(b",")?;
        w.write_all(tail.as_bytes())?;
        w.write_all(b"\n")?;
    }
    w.flush()
}

/// CSV as a string.
pub fn csv(m: &Matrix) -> String {
    let mut v = Vec::new();
    let _ = write_csv(m, &mut v);
    String::from_utf8_lossy(&v).into_owned()
}

/// Escape text for a Markdown table cell (also safe when the Markdown is rendered to HTML).
pub fn md_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '|' => o.push_str("\\|"),
            '\\' => o.push_str("\\\\"),
            '`' => o.push_str("\\`"),
            '*' => o.push_str("\\*"),
            '_' => o.push_str("\\_"),
            '[' => o.push_str("\\["),
            ']' => o.push_str("\\]"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '\n' | '\r' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

fn md_group_table(names: &[String], groups: &[GroupCell], out: &mut String) {
    use std::collections::HashMap;
    let ix: HashMap<(&str, &str), &GroupCell> = groups
        .iter()
        .map(|g| ((g.src.as_str(), g.dst.as_str()), g))
        .collect();
    out.push_str("Each cell: pairs reachable / total (inspected).\n\n| from \\ to |");
    for n in names {
        out.push_str(&format!(" {} |", md_escape(n)));
    }
    out.push_str("\n|---|");
    for _ in names {
        out.push_str("---|");
    }
    out.push('\n');
    for a in names {
        out.push_str(&format!("| **{}** |", md_escape(a)));
        for b in names {
            match ix.get(&(a.as_str(), b.as_str())) {
                Some(g) => {
                    out.push_str(&format!(" {}/{} ({}) |", g.reachable, g.total, g.inspected))
                }
                None => out.push_str(" – |"),
            }
        }
        out.push('\n');
    }
}

/// Markdown: a summary, then the group table (with a grouping) or a table of cells.
pub fn md(m: &Matrix) -> String {
    let (total, reachable, inspected) = m.totals();
    let mut out = format!(
        "# Reachability matrix: {} {}\n\n{} endpoints, {} flows: {} reachable, {} of them inspected{}.\n\n",
        m.service.protocol,
        m.service.dst_port,
        m.endpoints.len(),
        total,
        reachable,
        inspected,
        if m.service.both_ways {
            " (replies evaluated)"
        } else {
            ""
        }
    );
    if let Some(g) = m.group_by {
        out.push_str(&format!("## By {}\n\n", g.as_str()));
        let (names, groups) = m.aggregate(g);
        md_group_table(&names, &groups, &mut out);
        return out;
    }
    out.push_str("| from | to | verdict | inspected by | reason | hops | reply |\n|---|---|---|---|---|---|---|\n");
    for ref c in m.cells() {
        let (Some(s), Some(d)) = (
            m.endpoints.get(c.src as usize),
            m.endpoints.get(c.dst as usize),
        ) else {
            continue;
        };
        let det = m.detail(&c.fwd);
        let reply = c
            .ret
            .as_ref()
            .map(|r| r.verdict.as_str().to_string())
            .unwrap_or_else(|| "–".into());
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            md_escape(&s.name),
            md_escape(&d.name),
            c.fwd.verdict.as_str(),
            md_escape(&det.inspected_by.join(", ")),
            md_escape(det.reason.as_deref().unwrap_or("")),
            c.fwd.hops,
            reply
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_neutralises_formulas_and_quotes() {
        assert_eq!(csv_field("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-x"), "'-x");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("\rx"), "\"'\rx\"");
        assert_eq!(csv_field("prod-app-a"), "prod-app-a");
    }

    /// The CSV as one escaped row per cell ([`csv_row`] over every field): what
    /// [`write_csv`] writes piecewise.
    fn csv_per_cell(m: &Matrix) -> String {
        let mut w = Vec::new();
        csv_row(&mut w, CSV_HEADER).unwrap();
        let half = |h: Option<&Half>| -> Vec<String> {
            match h {
                None => vec![String::new(); 4],
                Some(h) => {
                    let d = m.detail(h);
                    vec![
                        h.verdict.as_str().to_string(),
                        d.inspected_by.join(";"),
                        d.reason.clone().unwrap_or_default(),
                        h.hops.to_string(),
                    ]
                }
            }
        };
        for c in m.cells() {
            let (s, d) = (&m.endpoints[c.src as usize], &m.endpoints[c.dst as usize]);
            let mut f = vec![
                s.id.clone(),
                s.name.clone(),
                s.ip.to_string(),
                s.group.clone(),
                d.id.clone(),
                d.name.clone(),
                cell_dst_ip(m, &c).unwrap().to_string(),
                d.group.clone(),
            ];
            f.extend(half(Some(&c.fwd)));
            f.extend(half(c.ret.as_ref()));
            let f: Vec<&str> = f.iter().map(String::as_str).collect();
            csv_row(&mut w, &f).unwrap();
        }
        String::from_utf8(w).unwrap()
    }

    #[test]
    fn csv_pieces_equal_rows_escaped_per_cell() {
        use crate::analysis::matrix::{compute, MatrixOptions};
        let mut model = crate::ingest::load_reference().unwrap().model;
        // Names that need escaping and neutralising.
        model.network_interfaces[0].name = "=evil,\"name\"".into();
        let dp = crate::dataplane::Dataplane::compile(&model);
        for both_ways in [false, true] {
            let opts = MatrixOptions {
                both_ways,
                ..MatrixOptions::default()
            };
            let m = compute(&dp, &model, &opts);
            let a = csv(&m);
            assert_eq!(a, csv_per_cell(&m));
            assert!(a.contains("'=evil"));
            assert_eq!(a.lines().count(), m.cell_count() + 1);
        }
    }

    #[test]
    fn md_escapes_tables_and_html() {
        assert_eq!(md_escape("a|b"), "a\\|b");
        assert_eq!(md_escape("<script>"), "&lt;script&gt;");
        assert_eq!(md_escape("x\ny"), "x y");
    }
}
