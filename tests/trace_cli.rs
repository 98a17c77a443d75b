//! CLI tests of `lztwin trace` on the reference landing zone (issue "Packet-path
//! simulation", Done when): the flows scenarios/README.md lists, with their expected
//! dispositions, inspection and explanation codes.

use serde_json::Value;
use std::path::{Path, PathBuf};
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

/// `lztwin trace INPUT --from F --to T [extra] --format json`, parsed.
fn trace_json(input: &str, from: &str, to: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "trace", input, "--from", from, "--to", to, "--format", "json",
    ];
    args.extend_from_slice(extra);
    let o = lztwin(&args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("trace JSON")
}

fn hop_names(t: &Value, kind: &str) -> Vec<String> {
    t["hops"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == kind)
        .map(|h| h["name"].as_str().unwrap().to_string())
        .collect()
}

fn inspected_by_inspection_firewall(t: &Value) -> bool {
    let eps = hop_names(t, "firewall-endpoint");
    !eps.is_empty()
        && eps.iter().all(|n| n.starts_with("inspection-fw-endpoint-"))
        && !t["inspected_by"].as_array().unwrap().is_empty()
}

#[test]
fn builder_reaches_prod_through_inspection() {
    for port in ["443", "22"] {
        let t = trace_json(
            &reference(),
            "builder-runner-a",
            "prod-app-a",
            &["--dst-port", port],
        );
        assert_eq!(t["verdict"], "accepted", "{t}");
        assert!(t["reason"].is_null());
        assert!(inspected_by_inspection_firewall(&t), "{t}");
        // The last hop is the destination interface, accepting by a security-group rule.
        let last = t["hops"].as_array().unwrap().last().unwrap();
        assert_eq!(last["name"], "prod-app-a");
        assert_eq!(last["action"], "accept");
    }
}

#[test]
fn test_to_prod_is_denied_by_the_firewall() {
    let t = trace_json(&reference(), "test-app-a", "prod-app-a", &[]);
    assert_eq!(t["verdict"], "denied");
    assert_eq!(t["reason"], "FIREWALL_RULES_RESTRICTION");
    let fw = t["hops"].as_array().unwrap().last().unwrap();
    assert_eq!(fw["kind"], "firewall-endpoint");
    assert!(fw["detail"].as_str().unwrap().contains("sid 1002"), "{fw}");
    let t = trace_json(&reference(), "dev-app-a", "prod-app-a", &[]);
    assert_eq!(t["verdict"], "denied");
    let fw = t["hops"].as_array().unwrap().last().unwrap();
    assert!(fw["detail"].as_str().unwrap().contains("sid 1001"), "{fw}");
}

#[test]
fn prod_to_internet_exits_through_nat_inspected() {
    let t = trace_json(&reference(), "prod-app-a", "internet", &["--both-ways"]);
    assert_eq!(t["verdict"], "exits-network");
    assert!(inspected_by_inspection_firewall(&t));
    let nat = hop_names(&t, "nat-gateway");
    assert_eq!(nat.len(), 1);
    assert!(nat[0].starts_with("inspection-nat-"));
    assert_eq!(hop_names(&t, "internet-gateway"), vec!["inspection-igw"]);
    // The reply comes back through the same NAT gateway and firewall endpoint.
    let r = &t["return"];
    assert_eq!(r["verdict"], "accepted", "{r}");
    assert_eq!(hop_names(r, "nat-gateway"), nat);
    assert_eq!(
        hop_names(r, "firewall-endpoint"),
        hop_names(&t, "firewall-endpoint")
    );
}

#[test]
fn onprem_to_prod_arrives_over_direct_connect_inspected() {
    let t = trace_json(
        &reference(),
        "onprem:corporate-dc",
        "prod-app-a",
        &["--both-ways"],
    );
    assert_eq!(t["verdict"], "accepted", "{t}");
    assert!(inspected_by_inspection_firewall(&t));
    assert!(hop_names(&t, "tgw-attachment").contains(&"corporate-dc-dx".to_string()));
    assert_eq!(t["return"]["verdict"], "exits-network");
    let t = trace_json(&reference(), "10.10.1.10", "10.64.96.10", &[]);
    assert_eq!(t["verdict"], "accepted");
}

#[test]
fn internet_to_ingress_proxy_is_inspected_by_the_ingress_firewall() {
    let t = trace_json(&reference(), "internet", "203.0.113.10", &["--both-ways"]);
    assert_eq!(t["verdict"], "accepted", "{t}");
    assert_eq!(
        hop_names(&t, "firewall-endpoint"),
        vec!["ingress-fw-endpoint-a"]
    );
    assert_eq!(hop_names(&t, "route-table")[0], "ingress-edge-rt");
    assert_eq!(t["return"]["verdict"], "exits-network");
    // Only port 443 is allowed in.
    let t = trace_json(
        &reference(),
        "internet",
        "203.0.113.10",
        &["--dst-port", "22"],
    );
    assert_eq!(t["verdict"], "denied");
}

#[test]
fn internet_cannot_reach_a_private_address() {
    let t = trace_json(&reference(), "internet", "10.64.96.10", &[]);
    assert!(
        !matches!(
            t["verdict"].as_str(),
            Some("accepted") | Some("exits-network")
        ),
        "{t}"
    );
    assert_eq!(t["reason"], "NO_ROUTE_TO_DESTINATION");
}

fn reference_without_appliance_mode(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(reference()).unwrap();
    let mut m: Value = serde_json::from_str(&text).unwrap();
    for a in m["transit_gateway_attachments"].as_array_mut().unwrap() {
        if a["name"] == "inspection-attachment" {
            a["appliance_mode"] = Value::Bool(false);
        }
    }
    let p = dir.join("no-appliance-mode.json");
    std::fs::write(&p, serde_json::to_string(&m).unwrap()).unwrap();
    p
}

#[test]
fn cross_az_flow_needs_appliance_mode() {
    // Appliance mode on: both directions use one firewall endpoint.
    for (to, proto, port) in [
        ("ssm-endpoint-b", "tcp", "443"),
        ("dns-resolver-b", "udp", "53"),
    ] {
        let args = ["--both-ways", "--protocol", proto, "--dst-port", port];
        let t = trace_json(&reference(), "test-app-a", to, &args);
        assert_eq!(t["verdict"], "accepted", "{t}");
        assert_eq!(t["return"]["verdict"], "accepted", "{t}");
        assert_eq!(
            hop_names(&t, "firewall-endpoint"),
            hop_names(&t["return"], "firewall-endpoint")
        );
    }
    // Appliance mode off: the request is inspected in AZ a, the reply enters the firewall
    // in AZ b, which has no state for the flow.
    let dir = tempfile::tempdir().unwrap();
    let off = reference_without_appliance_mode(dir.path());
    let off = off.to_string_lossy();
    for (to, proto, port) in [
        ("ssm-endpoint-b", "tcp", "443"),
        ("dns-resolver-b", "udp", "53"),
    ] {
        let args = ["--both-ways", "--protocol", proto, "--dst-port", port];
        let t = trace_json(&off, "test-app-a", to, &args);
        assert_eq!(t["verdict"], "accepted", "{t}");
        assert_eq!(
            hop_names(&t, "firewall-endpoint"),
            vec!["inspection-fw-endpoint-a"]
        );
        let r = &t["return"];
        assert_eq!(r["verdict"], "denied", "{r}");
        assert_eq!(r["reason"], "ASYMMETRIC_INSPECTION");
        assert_eq!(
            hop_names(r, "firewall-endpoint"),
            vec!["inspection-fw-endpoint-b"]
        );
    }
}

#[test]
fn json_contract_fields() {
    let t = trace_json(
        &reference(),
        "builder-runner-a",
        "prod-app-a",
        &["--both-ways"],
    );
    for k in [
        "flow",
        "verdict",
        "reason",
        "hops",
        "inspected_by",
        "return",
    ] {
        assert!(t.get(k).is_some(), "missing {k}");
    }
    for k in ["src", "dst", "protocol", "src_port", "dst_port"] {
        assert!(t["flow"].get(k).is_some(), "missing flow.{k}");
    }
    for h in t["hops"].as_array().unwrap() {
        for k in ["kind", "id", "name", "account", "az", "action", "detail"] {
            assert!(h.get(k).is_some(), "missing hop.{k}: {h}");
        }
    }
    // Without --both-ways there is no reply.
    let t = trace_json(&reference(), "builder-runner-a", "prod-app-a", &[]);
    assert!(t["return"].is_null());
}

#[test]
fn text_format_reads_like_a_traceroute() {
    let o = lztwin(&[
        "trace",
        &reference(),
        "--from",
        "test-app-a",
        "--to",
        "prod-app-a",
    ]);
    assert!(o.status.success());
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("firewall-endpoint"), "{s}");
    let last = s.lines().last().unwrap();
    assert!(
        last.contains("verdict: denied (FIREWALL_RULES_RESTRICTION)"),
        "{s}"
    );
}

#[test]
fn bad_endpoints_exit_2() {
    for (from, to) in [
        ("no-such-thing", "prod-app-a"),
        ("prod-app-a", "10.64.96.99"),
        ("prod-app-a", "onprem:nowhere"),
        ("prod-app-a", "internet:not-an-ip"),
        ("", "prod-app-a"),
    ] {
        let o = lztwin(&["trace", &reference(), "--from", from, "--to", to]);
        assert_eq!(o.status.code(), Some(2), "{from} -> {to}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{err}");
        assert!(!err.is_empty());
    }
    let o = lztwin(&[
        "trace",
        &reference(),
        "--from",
        "prod-app-a",
        "--to",
        "internet",
        "--protocol",
        "bogus",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
