//! The self-contained HTML report of `lztwin analyze`: no network needed to view it
//! (inline CSS, inline SVG plots, a small inline script that sorts tables), with a
//! Content-Security-Policy that forbids loading anything.
//!
//! Every string taken from input (AWS names and tags are user-controlled) goes through
//! [`esc`]; the SVG plots come from plotters, which escapes its text too.

use crate::analysis::failures::FailuresSummary;
use crate::analysis::matrix::{GroupBy, Matrix};
use crate::model::Model;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Escape text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Policy results, already rendered to plain-text cells by the verify engine's caller
/// (the cells are escaped here).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicySection {
    /// One line above the table (e.g. "12 policies, 1 violated").
    pub summary: String,
    /// Column headers.
    pub columns: Vec<String>,
    /// Rows: the cells and whether the row passed (styles the row).
    pub rows: Vec<(Vec<String>, bool)>,
}

/// Everything the report shows.
#[derive(Clone, Debug)]
pub struct HtmlReport<'a> {
    /// The environment.
    pub model: &'a Model,
    /// Matrices, one per service; the first one is the main one (plots, group table).
    pub matrices: Vec<&'a Matrix>,
    /// Inline SVG plots with their captions (rendered by [`crate::report::plots`]).
    pub plots: Vec<(String, String)>,
    /// Policy results (verify), when run.
    pub policy: Option<PolicySection>,
    /// Failure-sweep summary, when run.
    pub failures: Option<FailuresSummary>,
    /// Load warnings.
    pub warnings: Vec<String>,
    /// Most endpoint cells listed per matrix (the CSV has them all).
    pub max_cells: usize,
}

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:1.6em;margin-bottom:0}h2{border-bottom:2px solid #2c7bb6;padding-bottom:4px;margin-top:2em}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#eef3f8;position:sticky;top:0}
table.sortable th{cursor:pointer;user-select:none}table.sortable th:after{content:" \2195";color:#999}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.fail td{background:#fde0dd}tr.ok td{background:#edf8e9}
.ins{background:#d1e5f0}.open{background:#fee8c8}.den{background:#f4a6a6}.none{background:#e6e6e6}
.grid td{text-align:center;font-size:12px;min-width:3.5em}
.muted{color:#666}.plots svg{max-width:100%;height:auto;border:1px solid #eee;margin:6px 0}
nav a{margin-right:1em}
"#;

/// The table-sorting script (no external resources): click a header to sort by it,
/// numerically when every value is a number; click again to reverse.
const SCRIPT: &str = r#"
document.querySelectorAll('table.sortable').forEach(function(t){
  t.querySelectorAll('th').forEach(function(th,i){
    th.addEventListener('click',function(){
      var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);
      var asc=th.getAttribute('data-dir')!=='asc';
      t.querySelectorAll('th').forEach(function(h){h.removeAttribute('data-dir')});
      th.setAttribute('data-dir',asc?'asc':'desc');
      var num=rows.every(function(r){var v=r.cells[i].textContent.trim();return v===''||!isNaN(v)});
      rows.sort(function(x,y){
        var a=x.cells[i].textContent.trim(),c=y.cells[i].textContent.trim();
        var r=num?(parseFloat(a||'0')-parseFloat(c||'0')):a.localeCompare(c);
        return asc?r:-r;
      });
      rows.forEach(function(r){b.appendChild(r)});
    });
  });
});
"#;

fn table_head(out: &mut String, class: &str, cols: &[&str]) {
    let _ = write!(out, "<table class=\"{class}\"><thead><tr>");
    for c in cols {
        let _ = write!(out, "<th>{}</th>", esc(c));
    }
    out.push_str("</tr></thead><tbody>\n");
}

fn pct(a: usize, b: usize) -> String {
    (a * 100)
        .checked_div(b)
        .map(|p| format!("{p}%"))
        .unwrap_or_else(|| "–".into())
}

impl HtmlReport<'_> {
    fn environment_summary(&self, out: &mut String) {
        let m = self.model;
        out.push_str("<h2 id=\"environment\">Environment</h2>\n");
        let counts = [
            (m.accounts.len(), "account", "accounts"),
            (m.vpcs.len(), "VPC", "VPCs"),
            (m.subnets.len(), "subnet", "subnets"),
            (m.route_tables.len(), "route table", "route tables"),
            (
                m.transit_gateway_attachments.len(),
                "Transit Gateway attachment",
                "Transit Gateway attachments",
            ),
            (m.firewalls.len(), "firewall", "firewalls"),
            (
                m.network_interfaces.len(),
                "network interface",
                "network interfaces",
            ),
            (m.onprem_sites.len(), "on-prem site", "on-prem sites"),
        ]
        .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }));
        let _ = writeln!(out, "<p>{}.</p>", counts.join(", "));
        // Per account: VPCs, subnets, endpoints; flows from it in the main matrix.
        let mut vpcs: BTreeMap<&str, usize> = BTreeMap::new();
        let mut vpc_account: BTreeMap<&str, &str> = BTreeMap::new();
        for v in &m.vpcs {
            *vpcs.entry(v.account.as_str()).or_default() += 1;
            vpc_account.insert(v.name.as_str(), v.account.as_str());
        }
        let mut subnets: BTreeMap<&str, usize> = BTreeMap::new();
        for s in &m.subnets {
            if let Some(a) = vpc_account.get(s.vpc.as_str()) {
                *subnets.entry(a).or_default() += 1;
            }
        }
        let mut flows: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
        if let Some(mx) = self.matrices.first() {
            for e in &mx.endpoints {
                flows.entry(e.account.as_str()).or_default().0 += 1;
            }
            for ref c in mx.cells() {
                if let Some(e) = mx.endpoints.get(c.src as usize) {
                    let f = flows.entry(e.account.as_str()).or_default();
                    f.1 += 1;
                    if c.reachable() {
                        f.2 += 1;
                        if mx.inspected(c) {
                            f.3 += 1;
                        }
                    }
                }
            }
        }
        let svc = self
            .matrices
            .first()
            .map(|m| format!(" ({} {})", m.service.protocol, m.service.dst_port))
            .unwrap_or_default();
        let cols = [
            "account".to_string(),
            "id".into(),
            "environment".into(),
            "VPCs".into(),
            "subnets".into(),
            "endpoints".into(),
            format!("flows out{svc}"),
            "reachable".into(),
            "inspected".into(),
            "coverage".into(),
        ];
        let cols: Vec<&str> = cols.iter().map(|s| s.as_str()).collect();
        table_head(out, "sortable", &cols);
        for a in &m.accounts {
            let f = flows.get(a.name.as_str()).copied().unwrap_or_default();
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
                esc(&a.name),
                esc(a.id.as_deref().unwrap_or("")),
                a.environment.as_str(),
                vpcs.get(a.name.as_str()).copied().unwrap_or(0),
                subnets.get(a.name.as_str()).copied().unwrap_or(0),
                f.0,
                f.1,
                f.2,
                f.3,
                pct(f.3, f.2)
            );
        }
        out.push_str("</tbody></table>\n");
    }

    fn services(&self, out: &mut String) {
        out.push_str("<h2 id=\"services\">Services</h2>\n");
        table_head(
            out,
            "sortable",
            &[
                "service",
                "replies",
                "endpoints",
                "flows",
                "reachable",
                "inspected",
                "coverage",
                "denied",
                "no route / unreachable",
            ],
        );
        for m in &self.matrices {
            let (total, reachable, inspected) = m.totals();
            let mut denied = 0;
            for ref c in m.cells() {
                if m.class(c) == crate::analysis::matrix::CellClass::Denied {
                    denied += 1;
                }
            }
            let _ = writeln!(
                out,
                "<tr><td>{} {}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
                m.service.protocol,
                m.service.dst_port,
                if m.service.both_ways { "evaluated" } else { "–" },
                m.endpoints.len(),
                total,
                reachable,
                inspected,
                pct(inspected, reachable),
                denied,
                total - reachable - denied
            );
        }
        out.push_str("</tbody></table>\n");
    }

    fn group_grid(&self, m: &Matrix, g: GroupBy, out: &mut String) {
        let (names, groups) = m.aggregate(g);
        let _ = writeln!(
            out,
            "<h3>By {} ({} {})</h3><p class=muted>Rows: source, columns: destination. Each cell: endpoint pairs reachable / total, and how many of the reachable ones are inspected. Blue: all reachable pairs inspected; orange: some reachable uninspected; red: none reachable.</p>",
            g.as_str(),
            m.service.protocol,
            m.service.dst_port
        );
        let ix: BTreeMap<(&str, &str), _> = groups
            .iter()
            .map(|c| ((c.src.as_str(), c.dst.as_str()), c))
            .collect();
        out.push_str("<table class=\"grid\"><thead><tr><th>from \\ to</th>");
        for n in &names {
            let _ = write!(out, "<th>{}</th>", esc(n));
        }
        out.push_str("</tr></thead><tbody>\n");
        for a in &names {
            let _ = write!(out, "<tr><th>{}</th>", esc(a));
            for b in &names {
                match ix.get(&(a.as_str(), b.as_str())) {
                    None => out.push_str("<td class=muted>–</td>"),
                    Some(c) => {
                        let class = if c.reachable == 0 {
                            "den"
                        } else if c.inspected == c.reachable {
                            "ins"
                        } else {
                            "open"
                        };
                        let _ = write!(
                            out,
                            "<td class={class} title=\"{} → {}\">{}/{}<br><small>{} insp.</small></td>",
                            esc(a),
                            esc(b),
                            c.reachable,
                            c.total,
                            c.inspected
                        );
                    }
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>\n");
    }

    fn cells(&self, m: &Matrix, out: &mut String) {
        let _ = writeln!(
            out,
            "<h3>Endpoint pairs ({} {})</h3>",
            m.service.protocol, m.service.dst_port
        );
        if m.cell_count() > self.max_cells {
            let _ = writeln!(
                out,
                "<p class=muted>The first {} of {} pairs; the CSV and JSON files hold them all.</p>",
                self.max_cells,
                m.cell_count()
            );
        }
        table_head(
            out,
            "sortable",
            &[
                "from",
                "from group",
                "to",
                "to address",
                "to group",
                "verdict",
                "inspected by",
                "reason",
                "hops",
                "reply",
            ],
        );
        for ref c in m.cells().take(self.max_cells) {
            let (Some(s), Some(d)) = (
                m.endpoints.get(c.src as usize),
                m.endpoints.get(c.dst as usize),
            ) else {
                continue;
            };
            let det = m.detail(&c.fwd);
            let class = match m.class(c) {
                crate::analysis::matrix::CellClass::Inspected => "ins",
                crate::analysis::matrix::CellClass::NotInspected => "open",
                crate::analysis::matrix::CellClass::Denied => "den",
                crate::analysis::matrix::CellClass::NoRoute => "none",
            };
            let dst_ip = crate::analysis::matrix::cell_dst_ip(m, c).unwrap_or(d.ip);
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class={class}>{}</td><td>{}</td><td>{}</td><td class=n>{}</td><td>{}</td></tr>",
                esc(&s.name),
                esc(&s.group),
                esc(&d.name),
                dst_ip,
                esc(&d.group),
                c.fwd.verdict.as_str(),
                esc(&det.inspected_by.join(", ")),
                esc(det.reason.as_deref().unwrap_or("")),
                c.fwd.hops,
                c.ret.map(|r| r.verdict.as_str()).unwrap_or("–")
            );
        }
        out.push_str("</tbody></table>\n");
    }

    fn policy(&self, out: &mut String) {
        out.push_str("<h2 id=\"policy\">Policy results</h2>\n");
        let Some(p) = &self.policy else {
            out.push_str("<p class=muted>No policies were verified.</p>\n");
            return;
        };
        let _ = writeln!(out, "<p>{}</p>", esc(&p.summary));
        let cols: Vec<&str> = p.columns.iter().map(|s| s.as_str()).collect();
        table_head(out, "sortable", &cols);
        for (cells, ok) in &p.rows {
            let _ = write!(out, "<tr class={}>", if *ok { "ok" } else { "fail" });
            for c in cells {
                let _ = write!(out, "<td>{}</td>", esc(c));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>\n");
    }

    fn failures(&self, out: &mut String) {
        out.push_str("<h2 id=\"failures\">Failure sweep</h2>\n");
        let Some(f) = &self.failures else {
            out.push_str("<p class=muted>No failure sweep was run.</p>\n");
            return;
        };
        let _ = writeln!(
            out,
            "<p>{} single-failure scenarios (AZs, attachments, firewall endpoints, …): {} lose reachable flows, {} lose inspection. Baseline: {} flows, {} reachable, {} inspected.</p>",
            f.scenarios,
            f.with_loss,
            f.with_lost_inspection,
            f.baseline.flows,
            f.baseline.reachable,
            f.baseline.inspected
        );
        table_head(
            out,
            "sortable",
            &[
                "rank",
                "failed",
                "flows lost",
                "inspection lost",
                "policies broken",
            ],
        );
        for (i, (failed, lost, lost_insp, broken)) in f.top.iter().enumerate() {
            let _ = writeln!(
                out,
                "<tr><td class=n>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td>{}</td></tr>",
                i + 1,
                esc(failed),
                lost,
                lost_insp,
                esc(&broken.join(", "))
            );
        }
        out.push_str("</tbody></table>\n");
    }

    /// Render the whole document.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let title = format!("lztwin report: {}", self.model.name);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style></head><body>\n<h1>{}</h1>\n",
            esc(&title),
            esc(&title)
        );
        if let Some(d) = &self.model.description {
            let _ = writeln!(out, "<p class=muted>{}</p>", esc(d));
        }
        out.push_str("<nav><a href=\"#environment\">Environment</a><a href=\"#services\">Services</a><a href=\"#matrix\">Matrix</a><a href=\"#coverage\">Inspection coverage</a><a href=\"#policy\">Policies</a><a href=\"#failures\">Failure sweep</a></nav>\n");
        if !self.warnings.is_empty() {
            let _ = writeln!(
                out,
                "<details><summary>{} load warning(s)</summary><ul>",
                self.warnings.len()
            );
            for w in &self.warnings {
                let _ = writeln!(out, "<li>{}</li>", esc(w));
            }
            out.push_str("</ul></details>\n");
        }
        self.environment_summary(&mut out);
        self.services(&mut out);
        out.push_str("<h2 id=\"matrix\">Reachability matrix</h2>\n<div class=plots>\n");
        for (caption, svg) in self.plots.iter().filter(|p| !p.0.starts_with("Inspection")) {
            let _ = writeln!(
                out,
                "<figure>{svg}<figcaption>{}</figcaption></figure>",
                esc(caption)
            );
        }
        out.push_str("</div>\n");
        if let Some(m) = self.matrices.first() {
            self.group_grid(m, GroupBy::Account, &mut out);
            self.group_grid(m, GroupBy::Environment, &mut out);
            self.cells(m, &mut out);
        }
        out.push_str("<h2 id=\"coverage\">Inspection coverage</h2>\n<div class=plots>\n");
        for (caption, svg) in self.plots.iter().filter(|p| p.0.starts_with("Inspection")) {
            let _ = writeln!(
                out,
                "<figure>{svg}<figcaption>{}</figcaption></figure>",
                esc(caption)
            );
        }
        out.push_str("</div>\n");
        if let Some(m) = self.matrices.first() {
            table_head(
                &mut out,
                "sortable",
                &[
                    "source environment",
                    "flows",
                    "reachable",
                    "inspected",
                    "coverage",
                ],
            );
            for r in crate::report::plots::coverage(m) {
                let _ = writeln!(
                    out,
                    "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
                    esc(&r.environment),
                    r.total,
                    r.reachable,
                    r.inspected,
                    pct(r.inspected, r.reachable)
                );
            }
            out.push_str("</tbody></table>\n");
        }
        self.policy(&mut out);
        self.failures(&mut out);
        let _ = write!(
            out,
            "<p class=muted>Generated by lztwin {} (offline; no network resources).</p>\n<script>{SCRIPT}</script>\n</body></html>\n",
            env!("CARGO_PKG_VERSION")
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::matrix::{compute, MatrixOptions};
    use crate::dataplane::Dataplane;

    fn hostile() -> Model {
        let mut m = crate::ingest::load_reference().unwrap().model;
        let evil = "<script>alert('x')</script>";
        m.name = format!("lz{evil}");
        for a in &mut m.accounts {
            if a.name == "workloads-prod" {
                a.name = format!("prod{evil}");
            }
        }
        for v in &mut m.vpcs {
            if v.account == "workloads-prod" {
                v.account = format!("prod{evil}");
            }
            if v.name == "workloads-test" {
                v.name = format!("test\"><img src=x onerror=alert(1)>{evil}");
            }
        }
        let test_vpc = m
            .vpcs
            .iter()
            .find(|v| v.name.starts_with("test\""))
            .unwrap()
            .name
            .clone();
        for s in &mut m.subnets {
            if s.vpc == "workloads-test" {
                s.vpc = test_vpc.clone();
            }
        }
        for n in &mut m.network_interfaces {
            if n.name == "prod-app-a" {
                n.name = evil.to_string();
            }
        }
        m
    }

    #[test]
    fn escapes_every_input_string() {
        let m = hostile();
        let dp = Dataplane::compile(&m);
        let mx = compute(&dp, &m, &MatrixOptions::default());
        let heat = crate::report::plots::Heatmap::from_matrix(&mx, GroupBy::Account)
            .svg()
            .unwrap();
        let r = HtmlReport {
            model: &m,
            matrices: vec![&mx],
            plots: vec![("Reachability by account".into(), heat)],
            policy: Some(PolicySection {
                summary: "<script>1</script>".into(),
                columns: vec!["policy".into()],
                rows: vec![(vec!["<b>x</b>".into()], false)],
            }),
            failures: None,
            warnings: vec!["<script>w</script>".into()],
            max_cells: 1000,
        };
        let html = r.render();
        // Exactly one script element: the report's own sorter.
        assert_eq!(
            html.matches("<script").count(),
            1,
            "{}",
            &html[..2000.min(html.len())]
        );
        assert!(!html.contains("<img"));
        assert!(!html.contains("<b>x</b>"));
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(html.contains("<svg"));
        assert!(html.contains("Content-Security-Policy"));
        // No external resources (the SVG namespace URI is a name, not a load).
        for bad in ["src=\"http", "href=\"http", "<link", "@import", "url(http"] {
            assert!(!html.contains(bad), "external resource: {bad}");
        }
    }

    #[test]
    fn sections_present() {
        let m = crate::ingest::load_reference().unwrap().model;
        let dp = Dataplane::compile(&m);
        let mx = compute(&dp, &m, &MatrixOptions::default());
        let r = HtmlReport {
            model: &m,
            matrices: vec![&mx],
            plots: Vec::new(),
            policy: None,
            failures: None,
            warnings: Vec::new(),
            max_cells: 10,
        };
        let html = r.render();
        for id in [
            "environment",
            "services",
            "matrix",
            "coverage",
            "policy",
            "failures",
        ] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        }
        assert!(html.contains("The first 10 of 306 pairs"));
        assert!(html.contains("workloads-prod"));
    }
}
