//! CLI tests of `lztwin generate`, `lztwin matrix` and `lztwin analyze`.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn lztwin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .args(args)
        .output()
        .expect("run lztwin")
}

fn reference() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/landing-zone.json")
        .to_string_lossy()
        .into_owned()
}

fn matrix_json(args: &[&str]) -> Value {
    let o = lztwin(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("matrix JSON")
}

/// The cell from endpoint `src` to endpoint `dst` (by name).
fn cell<'a>(m: &'a Value, src: &str, dst: &str) -> &'a Value {
    m["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["src"]["name"] == src && c["dst"]["name"] == dst)
        .unwrap_or_else(|| panic!("no cell {src} -> {dst}"))
}

#[test]
fn generate_is_deterministic_and_valid() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.json");
    let a = a.to_str().unwrap();
    let o = lztwin(&["generate", "--vpcs", "25", "--seed", "9", "--out", a]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let b = lztwin(&["generate", "--vpcs", "25", "--seed", "9"]);
    assert!(b.status.success());
    assert_eq!(std::fs::read(a).unwrap(), b.stdout, "same seed, same bytes");
    let c = lztwin(&["generate", "--vpcs", "25", "--seed", "10"]);
    assert_ne!(b.stdout, c.stdout, "another seed, another estate");
    let m: Value = serde_json::from_slice(&b.stdout).unwrap();
    assert_eq!(m["vpcs"].as_array().unwrap().len(), 29);
    let v = lztwin(&["validate", a]);
    assert!(
        v.status.success(),
        "generated estate must validate: {}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
}

#[test]
fn generate_rejects_bad_options() {
    for args in [
        vec!["generate", "--vpcs", "0"],
        vec!["generate", "--vpcs", "3", "--azs", "9"],
        vec!["generate", "--vpcs", "3", "--accounts", "1"],
        vec!["generate", "--vpcs", "3", "--format", "yaml"],
    ] {
        let o = lztwin(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!o.stderr.is_empty());
    }
}

#[test]
fn matrix_json_contract_on_reference() {
    let m = matrix_json(&["matrix", &reference()]);
    let eps = m["endpoints"].as_array().unwrap();
    // 16 workload ENIs + corporate-dc + internet.
    assert_eq!(eps.len(), 18);
    let n = eps.len();
    let cells = m["cells"].as_array().unwrap();
    assert_eq!(cells.len(), n * (n - 1));
    for k in ["protocol", "dst_port"] {
        assert!(m["service"].get(k).is_some(), "service.{k}");
    }
    for c in cells {
        for k in [
            "src",
            "dst",
            "verdict",
            "inspected_by",
            "reason",
            "hops",
            "return",
        ] {
            assert!(c.get(k).is_some(), "cell key {k}");
        }
        for k in ["id", "name", "ip", "group"] {
            assert!(c["src"].get(k).is_some() && c["dst"].get(k).is_some());
        }
    }
    // Source-major, endpoint order.
    assert_eq!(cells[0]["src"]["name"], eps[0]["name"]);
    assert_eq!(cells[0]["dst"]["name"], eps[1]["name"]);
    assert_eq!(cells[n - 1]["src"]["name"], eps[1]["name"]);
    let dc = eps
        .iter()
        .find(|e| e["id"] == "onprem:corporate-dc")
        .unwrap();
    assert_eq!(dc["ip"], "10.10.0.1");
    assert_eq!(dc["group"], "onprem");
    let prod = eps.iter().find(|e| e["name"] == "prod-app-a").unwrap();
    assert_eq!(prod["group"], "workloads-prod");
    // The Internet addresses the ingress proxy by its public IP.
    assert_eq!(
        cell(&m, "internet", "ingress-proxy-a")["dst"]["ip"],
        "203.0.113.10"
    );
}

#[test]
fn engines_give_identical_bytes() {
    let r = reference();
    let a = lztwin(&["matrix", &r, "--engine", "fast", "--both-ways"]);
    let b = lztwin(&["matrix", &r, "--engine", "per-pair", "--both-ways"]);
    assert!(a.status.success() && b.status.success());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn group_by_environment_counts_pairs() {
    let m = matrix_json(&["matrix", &reference(), "--group-by", "environment"]);
    let groups = m["groups"].as_array().unwrap();
    let total: u64 = groups.iter().map(|g| g["total"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, m["cells"].as_array().unwrap().len());
    // dev-app-a carries the tag environment=dev although its account is network-prod.
    let dev = m["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "dev-app-a")
        .unwrap();
    assert_eq!(dev["group"], "dev");
    for g in groups {
        assert!(g["inspected"].as_u64() <= g["reachable"].as_u64());
        assert!(g["reachable"].as_u64() <= g["total"].as_u64());
    }
}

#[test]
fn reference_flows_have_the_documented_outcomes() {
    let m = matrix_json(&["matrix", &reference(), "--both-ways"]);
    let c = cell(&m, "builder-runner-a", "prod-app-a");
    assert_eq!(c["verdict"], "accepted");
    // inspection-fw-endpoint-a/b/c (trace reports endpoint ids).
    let inspection = [
        "vpce-d6f529ed42e325db8",
        "vpce-869f25177d6828034",
        "vpce-8da4455cd226d4ce5",
    ];
    assert!(inspection.contains(&c["inspected_by"][0].as_str().unwrap()));
    assert_eq!(c["return"]["verdict"], "accepted");
    assert_eq!(cell(&m, "test-app-a", "prod-app-a")["verdict"], "denied");
    assert_eq!(cell(&m, "dev-app-a", "prod-app-a")["verdict"], "denied");
    let c = cell(&m, "prod-app-a", "internet");
    assert_eq!(c["verdict"], "exits-network");
    assert!(!c["inspected_by"].as_array().unwrap().is_empty());
    let c = cell(&m, "corporate-dc", "prod-app-a");
    assert_eq!(c["verdict"], "accepted");
    let c = cell(&m, "internet", "ingress-proxy-a");
    assert_eq!(c["verdict"], "accepted");
    assert_eq!(
        c["inspected_by"][0], "vpce-1223f6c30a2fbf8f0",
        "ingress-fw-endpoint-a"
    );
    assert_ne!(cell(&m, "internet", "prod-app-a")["verdict"], "accepted");
    let c = cell(&m, "ingress-proxy-a", "prod-app-a");
    assert_eq!(c["verdict"], "accepted");
    let c = cell(&m, "test-app-a", "ssm-endpoint-b");
    assert_eq!(c["verdict"], "accepted");
    assert_eq!(c["return"]["verdict"], "accepted");
    let c = cell(&m, "prod-app-a", "prod-app-b");
    assert_eq!(c["verdict"], "accepted");
    assert!(
        c["inspected_by"].as_array().unwrap().is_empty(),
        "same VPC: no firewall"
    );
}

#[test]
fn csv_and_md_escape_hostile_names() {
    let mut m: Value =
        serde_json::from_str(&std::fs::read_to_string(reference()).unwrap()).unwrap();
    for e in m["network_interfaces"].as_array_mut().unwrap() {
        if e["name"] == "prod-app-a" {
            e["name"] = "=HYPERLINK(\"http://x\")|<script>alert(1)</script>".into();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("hostile.json");
    std::fs::write(&p, serde_json::to_string(&m).unwrap()).unwrap();
    let p = p.to_str().unwrap();
    let o = lztwin(&["matrix", p, "--format", "csv"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = String::from_utf8(o.stdout).unwrap();
    assert!(csv.starts_with("src_id,src_name,src_ip,src_group,dst_id"));
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")|<script>"));
    assert!(!csv.contains(",=HYPERLINK"));
    assert_eq!(csv.lines().count(), 1 + 18 * 17);
    let o = lztwin(&["matrix", p, "--format", "md"]);
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(!md.contains("<script>"));
    assert!(md.contains("&lt;script&gt;"));
}

#[test]
fn matrix_out_dir_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m");
    let o = lztwin(&[
        "matrix",
        &reference(),
        "--format",
        "csv",
        "--group-by",
        "vpc",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(out.join("matrix.csv")).unwrap();
    assert!(csv.starts_with("src_group,dst_group,reachable,inspected,total\n"));
    assert!(csv.contains("workloads-prod,workloads-test,"));
    for args in [
        vec!["matrix", "/nonexistent/file.json"],
        vec!["matrix", "scenarios/landing-zone.json", "--engine", "slow"],
        vec![
            "matrix",
            "scenarios/landing-zone.json",
            "--group-by",
            "region",
        ],
        vec![
            "matrix",
            "scenarios/landing-zone.json",
            "--protocol",
            "bogus",
        ],
        vec!["matrix", "scenarios/landing-zone.json", "--format", "xml"],
    ] {
        let o = lztwin(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
    let o = lztwin(&["matrix", "/nonexistent/file.json"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/file.json"));
}

#[test]
fn analyze_writes_the_report_of_the_reference() {
    // No INPUT, no --out: the built-in reference into output/<scenario>/ of the cwd.
    let cwd = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .arg("analyze")
        .current_dir(cwd.path())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(stdout.starts_with("landing-zone: 5 accounts, 7 VPCs, 18 endpoints"));
    assert!(stdout.contains("tcp 443"));
    assert!(stdout.contains("failure sweep:"));
    let dir = cwd.path().join("output/landing-zone");
    for f in [
        "report.html",
        "matrix.json",
        "matrix.csv",
        "matrix.md",
        "matrix-tcp-22.json",
        "matrix-udp-53.csv",
        "heatmap.png",
        "heatmap.svg",
        "heatmap-environment.png",
        "coverage.png",
        "coverage.svg",
        "failures.json",
    ] {
        let meta = std::fs::metadata(dir.join(f)).unwrap_or_else(|_| panic!("{f} missing"));
        assert!(meta.len() > 100, "{f} is too small");
    }
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("id=\"failures\""));
    assert_eq!(html.matches("<script").count(), 1);
    // The JSON is the `matrix` command's output for the same service, both ways.
    let m = matrix_json(&["matrix", &reference(), "--both-ways"]);
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("matrix.json")).unwrap()).unwrap();
    assert_eq!(m, written);
    // Same bytes on a second run.
    let out2 = cwd.path().join("again");
    let o = lztwin(&["analyze", &reference(), "--out", out2.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(stdout.contains("policies: 9 checked, 9 hold"), "{stdout}");
    // (The second run names INPUT, so it verifies no policies and its report.html differs.)
    for f in ["matrix.json", "matrix.csv", "heatmap.svg", "coverage.svg"] {
        assert_eq!(
            std::fs::read(dir.join(f)).unwrap(),
            std::fs::read(out2.join(f)).unwrap(),
            "{f} differs between runs"
        );
    }
}

#[test]
fn analyze_bad_input_exits_2() {
    let o = lztwin(&["analyze", "/nonexistent/estate.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/estate.json"));
}
