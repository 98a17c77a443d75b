//! The HTML report of `lztwin analyze` renders in headless Chromium (Debian's `chromium`
//! package): a screenshot of it is not blank. Skipped, with a message, where no Chromium
//! is installed (`apt-get install chromium`).

use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new("sh")
                .args(["-c", &format!("command -v {c}")])
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false)
        })
}

#[test]
fn report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no chromium on PATH (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/landing-zone.json");
    let o = Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .args(["analyze", scenario, "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let shot = dir.path().join("shot.png");
    let profile = dir.path().join("profile");
    let o = Command::new("timeout")
        .arg("120")
        .arg(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1280,1600",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", out.join("report.html").display()))
        .output()
        .unwrap();
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let img = image::open(&shot).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (1280, 1600));
    let total = img.pixels().len();
    let non_white = img
        .pixels()
        .filter(|p| p.0.iter().any(|&c| c < 235))
        .count();
    let mut colours: Vec<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    colours.sort();
    colours.dedup();
    // Text, tables and the heatmap: a good share of ink and many colours.
    assert!(non_white * 20 > total, "mostly blank: {non_white}/{total}");
    assert!(colours.len() > 50, "only {} colours", colours.len());
    // The heatmap's "accepted, inspected" blue is on screen.
    assert!(img.pixels().any(|p| p.0 == [44, 123, 182]));
}
