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

/// The font the failure plots use, embedded so no system font is needed
/// (DejaVu Sans Mono, see fonts/DejaVu-LICENSE).
const FONT: &[u8] = include_bytes!("fonts/DejaVuSansMono.ttf");
const FAMILY: &str = "lztwin-failures";

fn ensure_font() -> Result<(), String> {
    use std::sync::OnceLock;
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font(FAMILY, plotters::style::FontStyle::Normal, FONT)
            .map_err(|_| "cannot load the embedded plot font".to_string())
    })
    .clone()
}

/// Plot files written by [`plots`].
pub const TOP_PLOT: &str = "failures-top";

/// Write the failure plots into `dir`, as PNG and SVG: `failures-top.{png,svg}` (the
/// scenarios that lose the most flows) and `failures-az-<AZ>.{png,svg}` (for each AZ
/// failure, the flows lost from each group to each group). Returns the files written.
pub fn plots(r: &SweepReport, dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>, String> {
    use plotters::prelude::*;
    ensure_font()?;
    let mut written = Vec::new();
    let top: Vec<_> = r.scenarios.iter().take(15).collect();
    let e = |x: &dyn std::fmt::Display| x.to_string();
    macro_rules! draw_top {
        ($backend:expr) => {{
            let root = $backend.into_drawing_area();
            root.fill(&WHITE).map_err(|x| e(&x))?;
            let max = top
                .iter()
                .map(|s| s.lost + s.lost_inspection)
                .max()
                .unwrap_or(0)
                .max(1);
            let labels: Vec<String> = top.iter().map(|s| s.failed.join(" + ")).collect();
            let mut chart = ChartBuilder::on(&root)
                .caption(
                    "Top failures: flows lost (red) and inspection lost (orange)",
                    (FAMILY, 18),
                )
                .margin(12)
                .x_label_area_size(30)
                .y_label_area_size(330)
                .build_cartesian_2d(
                    0usize..max + max / 10 + 1,
                    (0usize..top.len().max(1)).into_segmented(),
                )
                .map_err(|x| e(&x))?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_label_style((FAMILY, 12))
                .x_label_style((FAMILY, 12))
                .y_labels(top.len().max(1))
                .y_label_formatter(&|v| match v {
                    SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                    _ => String::new(),
                })
                .x_desc("flows")
                .axis_desc_style((FAMILY, 13))
                .draw()
                .map_err(|x| e(&x))?;
            for (i, s) in top.iter().enumerate() {
                let y0 = SegmentValue::Exact(i);
                let y1 = SegmentValue::Exact(i + 1);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0, y0.clone()), (s.lost, y1.clone())],
                        RED.mix(0.8).filled(),
                    )))
                    .map_err(|x| e(&x))?;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(s.lost, y0), (s.lost + s.lost_inspection, y1)],
                        RGBColor(255, 165, 0).filled(),
                    )))
                    .map_err(|x| e(&x))?;
            }
            root.present().map_err(|x| e(&x))?;
        }};
    }
    let h = 120 + 28 * top.len().max(1) as u32;
    let png = dir.join(format!("{TOP_PLOT}.png"));
    draw_top!(BitMapBackend::new(&png, (1100, h)));
    written.push(png);
    let svg = dir.join(format!("{TOP_PLOT}.svg"));
    draw_top!(SVGBackend::new(&svg, (1100, h)));
    written.push(svg);

    // One heatmap per AZ failure: lost flows from group (row) to group (column).
    let azs: Vec<&str> = r
        .components
        .iter()
        .filter(|c| c.class == crate::analysis::failures::FailureClass::Az)
        .map(|c| c.name.as_str())
        .collect();
    for s in r
        .scenarios
        .iter()
        .filter(|s| s.failed.len() == 1 && azs.contains(&s.failed[0].as_str()))
    {
        let mut groups: Vec<&str> = s
            .lost_by_group
            .iter()
            .flat_map(|g| [g.src.as_str(), g.dst.as_str()])
            .collect();
        groups.sort();
        groups.dedup();
        let n = groups.len().max(1);
        let max = s
            .lost_by_group
            .iter()
            .map(|g| g.flows)
            .max()
            .unwrap_or(1)
            .max(1);
        let pos = |g: &str| groups.iter().position(|x| *x == g).unwrap_or(0);
        let safe: String = s.failed[0]
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        macro_rules! draw_az {
            ($backend:expr) => {{
                let root = $backend.into_drawing_area();
                root.fill(&WHITE).map_err(|x| e(&x))?;
                let title = format!(
                    "{} fails: flows lost, source group (rows) to destination group",
                    s.failed[0]
                );
                let mut chart = ChartBuilder::on(&root)
                    .caption(title, (FAMILY, 16))
                    .margin(12)
                    .x_label_area_size(150)
                    .y_label_area_size(200)
                    .build_cartesian_2d((0usize..n).into_segmented(), (0usize..n).into_segmented())
                    .map_err(|x| e(&x))?;
                let lab = |v: &SegmentValue<usize>| match v {
                    SegmentValue::CenterOf(i) => {
                        groups.get(*i).map(|g| g.to_string()).unwrap_or_default()
                    }
                    _ => String::new(),
                };
                chart
                    .configure_mesh()
                    .disable_mesh()
                    .x_labels(n)
                    .y_labels(n)
                    .x_label_formatter(&lab)
                    .y_label_formatter(&lab)
                    .x_label_style((FAMILY, 11).into_font().transform(FontTransform::Rotate90))
                    .y_label_style((FAMILY, 11))
                    .draw()
                    .map_err(|x| e(&x))?;
                for g in &s.lost_by_group {
                    let (x, y) = (pos(&g.dst), pos(&g.src));
                    let shade = 0.25 + 0.75 * g.flows as f64 / max as f64;
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [
                                (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                                (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
                            ],
                            RED.mix(shade).filled(),
                        )))
                        .map_err(|x| e(&x))?;
                }
                root.present().map_err(|x| e(&x))?;
            }};
        }
        let side = 420 + 30 * n as u32;
        let png = dir.join(format!("failures-az-{safe}.png"));
        draw_az!(BitMapBackend::new(&png, (side, side)));
        written.push(png);
        let svg = dir.join(format!("failures-az-{safe}.svg"));
        draw_az!(SVGBackend::new(&svg, (side, side)));
        written.push(svg);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::diff::Service;
    use crate::analysis::failures::{
        BaselineSummary, Component, FailureClass, GroupLoss, ScenarioResult,
    };

    fn scenario(name: &str, lost: usize, groups: Vec<GroupLoss>) -> ScenarioResult {
        ScenarioResult {
            failed: vec![name.into()],
            lost,
            lost_inspection: 1,
            gained: 0,
            path_changed: 0,
            policy_broken: vec![],
            examples: vec![],
            lost_by_group: groups,
        }
    }

    #[test]
    fn plots_are_written_as_png_and_svg() {
        let r = SweepReport {
            scenarios: vec![
                scenario(
                    "r-1a",
                    7,
                    vec![GroupLoss {
                        src: "prod".into(),
                        dst: "<onprem>".into(),
                        flows: 7,
                    }],
                ),
                scenario("att-a", 2, vec![]),
            ],
            service: Service {
                protocol: crate::model::Protocol::Tcp,
                dst_port: 443,
            },
            k: 1,
            classes: vec![FailureClass::Az, FailureClass::Attachment],
            components: vec![
                Component {
                    class: FailureClass::Az,
                    name: "r-1a".into(),
                },
                Component {
                    class: FailureClass::Attachment,
                    name: "att-a".into(),
                },
            ],
            scenarios_total: 2,
            baseline: BaselineSummary::default(),
            shard: None,
        };
        let d = tempfile::tempdir().unwrap();
        let files = plots(&r, d.path()).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            vec![
                "failures-top.png",
                "failures-top.svg",
                "failures-az-r-1a.png",
                "failures-az-r-1a.svg"
            ]
        );
        let svg = std::fs::read_to_string(d.path().join("failures-top.svg")).unwrap();
        assert!(svg.contains("att-a"));
        // Group names from input are escaped in SVG.
        let az = std::fs::read_to_string(d.path().join("failures-az-r-1a.svg")).unwrap();
        assert!(!az.contains("<onprem>"));
        assert!(
            std::fs::metadata(d.path().join("failures-top.png"))
                .unwrap()
                .len()
                > 1000
        );
    }
}
