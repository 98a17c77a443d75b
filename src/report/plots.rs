//! Matrix plots (plotters, PNG and SVG, the embedded DejaVu Sans Mono font so no system
//! font is needed):
//!
//! - a reachability heatmap grouped by account or environment: each (source group,
//!   destination group) square is split into the shares of its endpoint pairs that are
//!   accepted and inspected, accepted without inspection, denied, and without a route;
//!   squares and labels scale so 40+ groups stay readable;
//! - an inspection-coverage bar chart per (source) environment.

use crate::analysis::matrix::{CellClass, GroupBy, Matrix};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};

const FONT: &[u8] = include_bytes!("fonts/DejaVuSansMono.ttf");
const FAMILY: &str = "lztwin-matrix";

fn ensure_font() -> Result<(), String> {
    use std::sync::OnceLock;
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, FONT)
            .map_err(|_| "cannot load the embedded plot font".to_string())
    })
    .clone()
}

/// SVG text names the embedded font's registration name, which a browser does not know:
/// point it at DejaVu Sans Mono, falling back to any monospace font.
fn svg_fonts(s: String) -> String {
    s.replace(
        &format!("font-family=\"{FAMILY}\""),
        "font-family=\"DejaVu Sans Mono, monospace\"",
    )
}

/// The colour of a heatmap class (colour-blind-friendly, ColorBrewer RdYlBu-like).
pub fn class_colour(c: CellClass) -> RGBColor {
    match c {
        CellClass::Inspected => RGBColor(44, 123, 182),
        CellClass::NotInspected => RGBColor(253, 174, 97),
        CellClass::Denied => RGBColor(215, 25, 28),
        CellClass::NoRoute => RGBColor(170, 170, 170),
    }
}

/// The data of a heatmap: group names and, per (source, destination) group, the pair
/// counts of each [`CellClass`] (in [`CellClass::ALL`] order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heatmap {
    /// Title.
    pub title: String,
    /// Group names, rows and columns.
    pub names: Vec<String>,
    /// `counts[src * n + dst][class]`.
    pub counts: Vec<[usize; 4]>,
}

/// The fill of a heatmap square whose groups have no endpoint pair.
const NO_PAIRS: RGBColor = RGBColor(245, 245, 245);

impl Heatmap {
    /// Aggregate a matrix by `g`.
    pub fn from_matrix(m: &Matrix, g: GroupBy) -> Heatmap {
        let mut names: Vec<String> = Vec::new();
        let of: Vec<usize> = m
            .endpoints
            .iter()
            .map(|e| {
                let k = e.group_of(g);
                match names.iter().position(|n| n == k) {
                    Some(i) => i,
                    None => {
                        names.push(k.to_string());
                        names.len() - 1
                    }
                }
            })
            .collect();
        let n = names.len();
        let mut counts = vec![[0usize; 4]; n * n];
        for ref c in m.cells() {
            let (Some(&a), Some(&b)) = (of.get(c.src as usize), of.get(c.dst as usize)) else {
                continue;
            };
            let k = CellClass::ALL
                .iter()
                .position(|x| *x == m.class(c))
                .unwrap_or(3);
            counts[a * n + b][k] += 1;
        }
        Heatmap {
            title: format!(
                "Reachability {} {} by {} (rows: source, columns: destination)",
                m.service.protocol,
                m.service.dst_port,
                g.as_str()
            ),
            names,
            counts,
        }
    }

    fn geometry(&self) -> (u32, u32, u32, u32) {
        let n = self.names.len().max(1) as u32;
        // Squares shrink with many groups but never below 16 px, so 40+ groups stay legible.
        let cell = (640 / n).clamp(16, 48);
        let longest = self
            .names
            .iter()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(4)
            .min(40) as u32;
        let label = 16 + longest * 8;
        let width = label + n * cell + 280;
        let height = 60 + label + n * cell + 20;
        (cell, label, width.max(700), height.max(320))
    }

    fn size(&self) -> (u32, u32) {
        let (_, _, w, h) = self.geometry();
        (w, h)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let e = |x: &dyn std::fmt::Display| x.to_string();
        root.fill(&WHITE).map_err(|x| e(&x))?;
        let (cell, label, _, _) = self.geometry();
        let n = self.names.len();
        let font = (FAMILY, 13).into_font();
        root.draw(&Text::new(
            self.title.clone(),
            (12, 14),
            (FAMILY, 16).into_font(),
        ))
        .map_err(|x| e(&x))?;
        let (x0, y0) = (label as i32, (60 + label) as i32);
        let cs = cell as i32;
        let short = |s: &str| -> String {
            if s.chars().count() > 40 {
                let t: String = s.chars().take(39).collect();
                format!("{t}…")
            } else {
                s.to_string()
            }
        };
        for (i, name) in self.names.iter().enumerate() {
            let i = i as i32;
            // Row label, right-aligned against the grid.
            root.draw(&Text::new(
                short(name),
                (x0 - 6, y0 + i * cs + cs / 2),
                TextStyle::from(font.clone()).pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(|x| e(&x))?;
            // Column label, rotated, reading upwards from the grid.
            root.draw(&Text::new(
                short(name),
                (x0 + i * cs + cs / 2, y0 - 6),
                TextStyle::from(font.clone().transform(FontTransform::Rotate270))
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|x| e(&x))?;
        }
        for a in 0..n {
            for b in 0..n {
                let counts = self.counts[a * n + b];
                let total: usize = counts.iter().sum();
                let (cx, cy) = (x0 + b as i32 * cs, y0 + a as i32 * cs);
                if total == 0 {
                    root.draw(&Rectangle::new(
                        [(cx, cy), (cx + cs, cy + cs)],
                        NO_PAIRS.filled(),
                    ))
                    .map_err(|x| e(&x))?;
                } else {
                    // Stripes proportional to the classes, left to right in legend order.
                    let mut left = 0usize;
                    for (k, &c) in counts.iter().enumerate() {
                        if c == 0 {
                            continue;
                        }
                        let xa = cx + (left * cs as usize).checked_div(total).unwrap_or(0) as i32;
                        left += c;
                        let xb = cx + (left * cs as usize).checked_div(total).unwrap_or(0) as i32;
                        root.draw(&Rectangle::new(
                            [(xa, cy), (xb, cy + cs)],
                            class_colour(CellClass::ALL[k]).filled(),
                        ))
                        .map_err(|x| e(&x))?;
                    }
                }
                root.draw(&Rectangle::new(
                    [(cx, cy), (cx + cs, cy + cs)],
                    WHITE.stroke_width(1),
                ))
                .map_err(|x| e(&x))?;
            }
        }
        // Legend.
        let lx = x0 + n as i32 * cs + 24;
        for (k, c) in CellClass::ALL.iter().enumerate() {
            let ly = y0 + k as i32 * 24;
            root.draw(&Rectangle::new(
                [(lx, ly), (lx + 16, ly + 16)],
                class_colour(*c).filled(),
            ))
            .map_err(|x| e(&x))?;
            root.draw(&Text::new(
                c.label().to_string(),
                (lx + 22, ly + 8),
                TextStyle::from(font.clone()).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|x| e(&x))?;
        }
        root.draw(&Text::new(
            "square: share of endpoint pairs".to_string(),
            (lx, y0 + 4 * 24 + 8),
            (FAMILY, 11).into_font(),
        ))
        .map_err(|x| e(&x))?;
        // A group with one endpoint has no pair with itself: say what the pale square is.
        root.draw(&Rectangle::new(
            [(lx, y0 + 4 * 24 + 24), (lx + 16, y0 + 4 * 24 + 40)],
            NO_PAIRS.filled(),
        ))
        .map_err(|x| e(&x))?;
        root.draw(&Rectangle::new(
            [(lx, y0 + 4 * 24 + 24), (lx + 16, y0 + 4 * 24 + 40)],
            RGBColor(200, 200, 200).stroke_width(1),
        ))
        .map_err(|x| e(&x))?;
        root.draw(&Text::new(
            "no endpoint pairs".to_string(),
            (lx + 24, y0 + 4 * 24 + 32),
            TextStyle::from((FAMILY, 11).into_font()).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(|x| e(&x))?;
        root.present().map_err(|x| e(&x))
    }

    /// Render as an SVG document.
    pub fn svg(&self) -> Result<String, String> {
        ensure_font()?;
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, self.size()).into_drawing_area();
            self.draw(&root)?;
        }
        Ok(svg_fonts(s))
    }

    /// Write a PNG file.
    pub fn png(&self, path: &Path) -> Result<(), String> {
        ensure_font()?;
        let root = BitMapBackend::new(path, self.size()).into_drawing_area();
        self.draw(&root)
    }
}

/// Inspection coverage of one (source) environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// Environment (or `onprem`, `internet`).
    pub environment: String,
    /// Flows from it.
    pub total: usize,
    /// Flows from it that are reachable.
    pub reachable: usize,
    /// Reachable flows that pass an inspection component.
    pub inspected: usize,
}

/// Inspection coverage per source environment, in order of first appearance.
pub fn coverage(m: &Matrix) -> Vec<Coverage> {
    let mut out: Vec<Coverage> = Vec::new();
    for ref c in m.cells() {
        let Some(src) = m.endpoints.get(c.src as usize) else {
            continue;
        };
        let env = src.environment.as_str();
        let i = match out.iter().position(|x| x.environment == env) {
            Some(i) => i,
            None => {
                out.push(Coverage {
                    environment: env.to_string(),
                    total: 0,
                    reachable: 0,
                    inspected: 0,
                });
                out.len() - 1
            }
        };
        out[i].total += 1;
        if c.reachable() {
            out[i].reachable += 1;
            if m.inspected(c) {
                out[i].inspected += 1;
            }
        }
    }
    out
}

/// A horizontal bar chart of inspection coverage per environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverageChart {
    /// Title.
    pub title: String,
    /// Rows.
    pub rows: Vec<Coverage>,
}

impl CoverageChart {
    /// From a matrix.
    pub fn from_matrix(m: &Matrix) -> CoverageChart {
        CoverageChart {
            title: format!(
                "Inspection coverage of reachable {} {} flows, by source environment",
                m.service.protocol, m.service.dst_port
            ),
            rows: coverage(m),
        }
    }

    fn size(&self) -> (u32, u32) {
        (960, 110 + 34 * self.rows.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let e = |x: &dyn std::fmt::Display| x.to_string();
        root.fill(&WHITE).map_err(|x| e(&x))?;
        let font = (FAMILY, 13).into_font();
        root.draw(&Text::new(
            self.title.clone(),
            (12, 14),
            (FAMILY, 16).into_font(),
        ))
        .map_err(|x| e(&x))?;
        let max = self
            .rows
            .iter()
            .map(|r| r.reachable)
            .max()
            .unwrap_or(0)
            .max(1);
        let (x0, y0, width) = (190i32, 50i32, 560i32);
        for (i, r) in self.rows.iter().enumerate() {
            let y = y0 + i as i32 * 34;
            root.draw(&Text::new(
                r.environment.clone(),
                (x0 - 8, y + 12),
                TextStyle::from(font.clone()).pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(|x| e(&x))?;
            let wi = (r.inspected as i64 * width as i64 / max as i64) as i32;
            let wr = (r.reachable as i64 * width as i64 / max as i64) as i32;
            root.draw(&Rectangle::new(
                [(x0, y), (x0 + wi, y + 24)],
                class_colour(CellClass::Inspected).filled(),
            ))
            .map_err(|x| e(&x))?;
            root.draw(&Rectangle::new(
                [(x0 + wi, y), (x0 + wr, y + 24)],
                class_colour(CellClass::NotInspected).filled(),
            ))
            .map_err(|x| e(&x))?;
            let pct = if r.reachable == 0 {
                "no reachable flows".to_string()
            } else {
                format!(
                    "{}/{} inspected ({}%)",
                    r.inspected,
                    r.reachable,
                    r.inspected * 100 / r.reachable
                )
            };
            root.draw(&Text::new(
                pct,
                (x0 + wr.max(0) + 8, y + 12),
                TextStyle::from(font.clone()).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|x| e(&x))?;
        }
        let ly = y0 + self.rows.len().max(1) as i32 * 34 + 10;
        for (k, c) in [CellClass::Inspected, CellClass::NotInspected]
            .iter()
            .enumerate()
        {
            let lx = x0 + k as i32 * 260;
            root.draw(&Rectangle::new(
                [(lx, ly), (lx + 14, ly + 14)],
                class_colour(*c).filled(),
            ))
            .map_err(|x| e(&x))?;
            root.draw(&Text::new(
                c.label().to_string(),
                (lx + 20, ly + 7),
                TextStyle::from(font.clone()).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|x| e(&x))?;
        }
        root.present().map_err(|x| e(&x))
    }

    /// Render as an SVG document.
    pub fn svg(&self) -> Result<String, String> {
        ensure_font()?;
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, self.size()).into_drawing_area();
            self.draw(&root)?;
        }
        Ok(svg_fonts(s))
    }

    /// Write a PNG file.
    pub fn png(&self, path: &Path) -> Result<(), String> {
        ensure_font()?;
        let root = BitMapBackend::new(path, self.size()).into_drawing_area();
        self.draw(&root)
    }
}

/// Write the matrix plots into `dir` as PNG and SVG: `heatmap` (by account),
/// `heatmap-environment`, `coverage`. Returns the files written.
pub fn write_plots(m: &Matrix, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    let mut svg = |name: &str, s: String| -> Result<(), String> {
        let p = dir.join(format!("{name}.svg"));
        std::fs::write(&p, s).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        written.push(p);
        Ok(())
    };
    let by_account = Heatmap::from_matrix(m, GroupBy::Account);
    let by_env = Heatmap::from_matrix(m, GroupBy::Environment);
    let cov = CoverageChart::from_matrix(m);
    svg("heatmap", by_account.svg()?)?;
    svg("heatmap-environment", by_env.svg()?)?;
    svg("coverage", cov.svg()?)?;
    for (name, r) in [
        ("heatmap", by_account.png(&dir.join("heatmap.png"))),
        (
            "heatmap-environment",
            by_env.png(&dir.join("heatmap-environment.png")),
        ),
        ("coverage", cov.png(&dir.join("coverage.png"))),
    ] {
        r?;
        written.push(dir.join(format!("{name}.png")));
    }
    written.sort();
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(n: usize) -> Heatmap {
        Heatmap {
            title: "t".into(),
            names: (0..n).map(|i| format!("workloads-prod-{i:02}")).collect(),
            counts: (0..n * n).map(|i| [i % 3, i % 5, i % 2, 1]).collect(),
        }
    }

    #[test]
    fn heatmap_scales_with_many_groups() {
        let h = big(45);
        let (cell, label, w, hgt) = h.geometry();
        assert!(cell >= 16, "squares stay legible");
        assert!(label >= 16 + 17 * 8, "labels fit");
        assert!(w >= label + 45 * cell && hgt >= label + 45 * cell);
        let svg = h.svg().unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(
            !svg.contains(FAMILY),
            "browsers cannot resolve the registration name"
        );
        // Every label appears as text (rows and columns).
        assert_eq!(svg.matches("workloads-prod-44").count(), 2);
    }

    #[test]
    fn png_written() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("h.png");
        big(5).png(&p).unwrap();
        let bytes = std::fs::read(&p).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
    }
}
