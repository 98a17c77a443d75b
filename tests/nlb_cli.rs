//! Network Load Balancers and VPN tunnel endpoints through the CLI and the AWS
//! snapshot format, on scenarios/examples/nlb.json: `lztwin trace` through a listener
//! (accepted, both ways, back through the same node), on a port without a listener
//! (denied, ELB_LISTENERS_MISMATCH), blocked by the load balancer's or the target's
//! security group, from the Internet to the public address of a node; and
//! import(export(m)) keeps the load balancer, its listeners and target groups.

use lztwin::ingest::aws::export::{expected_import, export_snapshot};
use lztwin::model::{ConnectionKind, Model, VgwConnection, VpnGateway, VpnRouting};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn scenario() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/examples/nlb.json")
        .to_string_lossy()
        .into_owned()
}

fn lztwin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .args(args)
        .output()
        .expect("run lztwin")
}

fn trace_json(input: &str, from: &str, to: &str, port: &str, both: bool) -> Value {
    let mut args = vec![
        "trace",
        input,
        "--from",
        from,
        "--to",
        to,
        "--dst-port",
        port,
        "--format",
        "json",
    ];
    if both {
        args.push("--both-ways");
    }
    let o = lztwin(&args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("trace JSON")
}

fn hops(t: &Value) -> &Vec<Value> {
    t["hops"].as_array().expect("hops")
}

fn nlb_hops(t: &Value) -> Vec<&Value> {
    hops(t)
        .iter()
        .filter(|h| h["kind"] == "network-load-balancer")
        .collect()
}

#[test]
fn listener_port_is_forwarded_to_a_target_of_the_nodes_az_and_back() {
    // Cross-zone load balancing is off: the node in eu-west-1a picks web-a, the node
    // in eu-west-1b web-b, each the only healthy target of its AZ.
    for (node_ip, target, target_ip, az) in [
        ("10.2.0.10", "web-a", "10.2.10.10", "eu-west-1a"),
        ("10.2.1.10", "web-b", "10.2.11.10", "eu-west-1b"),
    ] {
        let t = trace_json(&scenario(), "client", node_ip, "80", true);
        assert_eq!(t["verdict"], "accepted", "{t:#}");
        assert_eq!(t["reason"], Value::Null);
        let lb = nlb_hops(&t);
        assert_eq!(lb.len(), 1, "{t:#}");
        assert_eq!(lb[0]["name"], "web-nlb");
        assert_eq!(lb[0]["action"], "forward");
        assert_eq!(lb[0]["az"], az);
        let d = lb[0]["detail"].as_str().unwrap();
        assert!(d.contains("listener TCP 80 → target group web-tg"), "{d}");
        assert!(d.contains(":8080"), "the target group's port: {d}");
        assert!(d.contains("client IP preserved"), "{d}");
        let last = hops(&t).last().unwrap();
        assert_eq!(
            (last["name"].as_str(), last["action"].as_str()),
            (Some(target), Some("accept"))
        );
        // The reply goes back through the node that forwarded the request, which puts
        // its own address and the listener port back as the source.
        let r = &t["return"];
        assert_eq!(r["verdict"], "accepted", "{r:#}");
        assert_eq!(r["flow"]["src"], target_ip);
        assert_eq!(r["flow"]["src_port"], 8080);
        let back = nlb_hops(r);
        assert_eq!(back.len(), 1, "{r:#}");
        assert_eq!(back[0]["action"], "reply");
        assert_eq!(back[0]["az"], az);
        assert!(back[0]["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("→ {node_ip}:80")));
        assert_eq!(hops(r).last().unwrap()["name"], "client");
    }
}

#[test]
fn a_port_without_listener_is_dropped_at_the_load_balancer() {
    let t = trace_json(&scenario(), "client", "10.2.0.10", "81", true);
    assert_eq!(t["verdict"], "denied");
    assert_eq!(t["reason"], "ELB_LISTENERS_MISMATCH");
    let last = hops(&t).last().unwrap();
    assert_eq!(last["kind"], "network-load-balancer");
    assert_eq!(last["action"], "deny");
    let d = last["detail"].as_str().unwrap();
    assert!(d.contains("no listener for tcp port 81"), "{d}");
    assert!(d.contains("TCP 80, TLS 443"), "{d}");
    assert_eq!(t["return"], Value::Null);
    // The text format names the reason last.
    let o = lztwin(&[
        "trace",
        &scenario(),
        "--from",
        "client",
        "--to",
        "10.2.1.10",
        "--dst-port",
        "81",
    ]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("network-load-balancer"), "{text}");
    assert!(
        text.trim_end()
            .ends_with("verdict: denied (ELB_LISTENERS_MISMATCH)"),
        "{text}"
    );
}

#[test]
fn security_groups_of_the_load_balancer_and_of_the_target_apply() {
    // nlb-sg allows TCP 80-443 in: 8443 stops at the load balancer.
    let t = trace_json(&scenario(), "client", "10.2.0.10", "8443", false);
    assert_eq!(t["verdict"], "denied");
    assert_eq!(t["reason"], "ENI_SG_RULES_MISMATCH");
    assert_eq!(hops(&t).last().unwrap()["kind"], "network-load-balancer");
    // TLS 443 goes to an IP target (client IP preservation off by default: the target
    // sees the node's address) whose security group allows only SSH.
    let t = trace_json(&scenario(), "client", "10.2.0.10", "443", false);
    assert_eq!(t["verdict"], "denied");
    assert_eq!(t["reason"], "ENI_SG_RULES_MISMATCH");
    let lb = nlb_hops(&t);
    assert!(lb[0]["detail"]
        .as_str()
        .unwrap()
        .contains("source 10.2.20.10 → 10.2.0.10 (client IP preservation off)"));
    let last = hops(&t).last().unwrap();
    assert_eq!(
        (last["name"].as_str(), last["action"].as_str()),
        (Some("admin-a"), Some("deny"))
    );
}

#[test]
fn the_internet_reaches_an_internet_facing_node_by_its_public_address() {
    let t = trace_json(&scenario(), "internet", "203.0.113.11", "80", true);
    assert_eq!(t["verdict"], "accepted", "{t:#}");
    let kinds: Vec<&str> = hops(&t)
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    let igw = kinds.iter().position(|k| *k == "internet-gateway").unwrap();
    let lb = kinds
        .iter()
        .position(|k| *k == "network-load-balancer")
        .unwrap();
    assert!(igw < lb, "{kinds:?}");
    assert_eq!(hops(&t).last().unwrap()["name"], "web-b");
    // The reply leaves from the node's public address.
    let r = &t["return"];
    assert_eq!(r["verdict"], "exits-network", "{r:#}");
    assert!(hops(r).iter().any(|h| h["kind"] == "internet-gateway"
        && h["detail"].as_str().unwrap().contains("→ 203.0.113.11")));
}

fn with_vpn(mut m: Model) -> Model {
    m.vpn_gateways.push(VpnGateway {
        name: "web-vgw".into(),
        id: None,
        vpc: Some("web".into()),
        asn: Some(64512),
        connections: vec![VgwConnection {
            name: "dc-vpn".into(),
            id: None,
            site: "dc".into(),
            kind: ConnectionKind::Vpn,
            routing: VpnRouting::Bgp,
            advertised_prefixes: vec![],
            tunnel_outside_ips: vec![
                "18.217.248.9".parse().unwrap(),
                "3.130.237.53".parse().unwrap(),
            ],
        }],
    });
    m.onprem_sites.push(lztwin::model::OnPremSite {
        name: "dc".into(),
        prefixes: vec!["192.168.0.0/16".parse().unwrap()],
    });
    m
}

#[test]
fn import_of_export_keeps_load_balancers_and_tunnel_addresses() {
    let m: Model = serde_json::from_str(&std::fs::read_to_string(scenario()).unwrap()).unwrap();
    let m = with_vpn(m);
    assert!(lztwin::model::validate::validate(&m)
        .iter()
        .all(|p| p.severity != lztwin::diag::Severity::Error));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("snap");
    export_snapshot(&m, &dir).expect("export");
    let loaded = lztwin::ingest::load(dir.to_str().unwrap()).expect("import");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let mut back = loaded.model;
    back.name = m.name.clone();
    back.description = m.description.clone();
    let want = expected_import(&m);
    assert_eq!(back.network_load_balancers, want.network_load_balancers);
    assert_eq!(back.target_groups, want.target_groups);
    assert_eq!(back.vpn_gateways, want.vpn_gateways);
    assert_eq!(back, want);
    // The snapshot reaches the tunnel outside address from the Internet.
    let t = trace_json(
        dir.to_str().unwrap(),
        "internet",
        "18.217.248.9",
        "80",
        true,
    );
    assert_eq!(t["verdict"], "accepted", "{t:#}");
    let last = hops(&t).last().unwrap();
    assert_eq!(last["kind"], "vpn-gateway");
    assert_eq!(last["name"], "web-vgw");
    assert_eq!(t["return"]["verdict"], "exits-network");
    // And the load balancer still forwards.
    let t = trace_json(dir.to_str().unwrap(), "client", "10.2.0.10", "80", false);
    assert_eq!(t["verdict"], "accepted", "{t:#}");
}
