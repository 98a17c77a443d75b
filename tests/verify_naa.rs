//! Network Access Analyzer scopes on AWS snapshots (Batfish's fixtures) and on native
//! scenarios: findings, ExcludePaths by resource id and ARN, the
//! `get-network-insights-access-scope-content` shape.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// ../shared/fixtures next to the repository (a worktree sits one level deeper).
fn fixtures(sub: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let near = root.join("../shared/fixtures");
    let base = if near.is_dir() {
        near
    } else {
        root.join("../../shared/fixtures")
    };
    base.join(sub)
}

fn lztwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run lztwin")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

fn verify_json(input: &str, policy: &str) -> (Option<i32>, serde_json::Value) {
    let o = lztwin(&["verify", input, "--policy", policy, "--format", "json"]);
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&o.stderr));
    });
    (o.status.code(), v)
}

const INGRESS: &str = "scenarios/policies/naa-ingress-through-firewall.json";
/// The snapshot's internet gateway and the instance's ENI (test-public-subnet).
const IGW: &str = "igw-0a409e562d251f766";
const ENI: &str = "eni-00064850627e198ee";

#[test]
fn ingress_scope_finds_the_unfirewalled_public_instance_in_an_aws_snapshot() {
    let snap = fixtures("batfish/snapshots/test-public-subnet");
    let snap = snap.to_str().unwrap();
    let (code, v) = verify_json(snap, INGRESS);
    assert_eq!(code, Some(1), "{v:#}");
    let r = &v["results"][0];
    assert_eq!(r["kind"], "naa-scope");
    assert!(r["violation_count"].as_u64().unwrap() >= 1, "{r:#}");
    let f = &r["violations"][0];
    assert_eq!(f["from"], "internet");
    let hops: Vec<String> = f["trace"]["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(hops.iter().any(|h| h == IGW), "{hops:?}");
    assert!(hops.iter().any(|h| h == ENI), "{hops:?}");
}

#[test]
fn exclude_paths_by_resource_id_and_arn() {
    let d = tempfile::tempdir().unwrap();
    let snap = fixtures("batfish/snapshots/test-public-subnet");
    let snap = snap.to_str().unwrap();
    for through in [
        IGW.to_string(),
        format!("arn:aws:ec2:us-east-2:123456789012:internet-gateway/{IGW}"),
    ] {
        let scope = format!(
            r#"{{"MatchPaths": [{{"Source": {{"ResourceStatement": {{"ResourceTypes": ["AWS::EC2::InternetGateway"]}}}}}}],
                "ExcludePaths": [{{"ThroughResources": [{{"ResourceStatement": {{"Resources": ["{through}"]}}}}]}}]}}"#
        );
        let p = write(d.path(), "excl.json", &scope);
        let (code, v) = verify_json(snap, &p);
        assert_eq!(code, Some(0), "{through}: {v:#}");
        assert_eq!(v["results"][0]["name"], "excl");
    }
    // Destination by ENI id, narrowed by a packet header that no rule lets through.
    let scope = format!(
        r#"{{"MatchPaths": [{{"Destination": {{"ResourceStatement": {{"Resources": ["{ENI}"]}},
              "PacketHeaderStatement": {{"Protocols": ["udp"], "DestinationPorts": ["5000-5001"]}}}}}}]}}"#
    );
    let p = write(d.path(), "udp.json", &scope);
    let (code, v) = verify_json(snap, &p);
    assert_eq!(code, Some(0), "{v:#}");
    assert!(v["results"][0]["flows_checked"].as_u64().unwrap() > 0);
}

#[test]
fn scope_content_shape_is_accepted_on_a_native_scenario() {
    let d = tempfile::tempdir().unwrap();
    // As printed by `aws ec2 get-network-insights-access-scope-content`; resources by
    // model name: the ingress proxies must be reached through the ingress firewall.
    let p = write(
        d.path(),
        "content.json",
        r#"{"NetworkInsightsAccessScopeContent": {
  "NetworkInsightsAccessScopeId": "nis-0123456789abcdef0",
  "MatchPaths": [{"Source": {"ResourceStatement": {"Resources": ["ingress-igw"]}},
                  "Destination": {"ResourceStatement": {"Resources": ["ingress-proxy-a", "ingress-proxy-b"]}}}],
  "ExcludePaths": [{"ThroughResources": [{"ResourceStatement": {"Resources": ["ingress-firewall"]}}]}]
}}"#,
    );
    let (code, v) = verify_json("scenarios/landing-zone.json", &p);
    assert_eq!(code, Some(0), "{v:#}");
    let o = lztwin(&[
        "verify",
        "scenarios/landing-zone.json",
        "--apply",
        "scenarios/what-if/remove-igw-edge-association.json",
        "--policy",
        &p,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v["results"][0]["violations"][0];
    assert_eq!(f["from"], "internet");
    assert_eq!(f["flow"]["dst"], "203.0.113.10");
    assert_eq!(f["flow"]["dst_port"], 443);
    assert_eq!(f["location"]["line"], 3);
}
