//! tests/fixtures/aws/nfw-gwlb: a hand-written snapshot in AWS's documented shapes with
//! an AWS Network Firewall behind a TGW attachment in appliance mode, and an IGW edge
//! route table steering Internet ingress through a Gateway Load Balancer endpoint.

use lztwin::model::{AttachmentType, InterfaceRole, RouteTarget};
use lztwin::sim::{resolve_endpoint, trace, TraceOptions};
use std::path::Path;

fn fixture() -> lztwin::ingest::Loaded {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws/nfw-gwlb");
    lztwin::ingest::load(dir.to_str().unwrap()).expect("fixture loads")
}

#[test]
fn fixture_loads_what_it_holds() {
    let l = fixture();
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    let m = &l.model;
    assert_eq!(m.vpcs.len(), 4);
    assert_eq!(m.subnets.len(), 9);
    // Network Firewall: one endpoint from FirewallStatus.SyncStates, its policy and group.
    assert_eq!(m.firewalls.len(), 1);
    let fw = &m.firewalls[0];
    assert_eq!(fw.name, "central-fw");
    assert_eq!(fw.policy, "central-policy");
    assert_eq!(fw.endpoints.len(), 1);
    assert_eq!(
        fw.endpoints[0].id.as_deref(),
        Some("vpce-0b0000000000000f1")
    );
    assert_eq!(fw.endpoints[0].subnet, "inspection-firewall");
    assert_eq!(m.rule_groups[0].stateful_rules.len(), 2);
    // Appliance mode on the inspection attachment only.
    let insp = m
        .transit_gateway_attachments
        .iter()
        .find(|a| a.name == "inspection-att")
        .unwrap();
    assert!(insp.appliance_mode);
    assert_eq!(insp.attachment_type, AttachmentType::Vpc);
    assert_eq!(
        m.transit_gateway_attachments
            .iter()
            .filter(|a| a.appliance_mode)
            .count(),
        1
    );
    // The IGW edge association.
    let edge = m
        .route_tables
        .iter()
        .find(|t| t.name == "ingress-edge-rt")
        .unwrap();
    assert_eq!(edge.edge_associations, vec!["ingress-igw".to_string()]);
    assert!(edge.subnets.is_empty());
    assert!(matches!(&edge.routes[0].target, RouteTarget::VpcEndpoint(e) if e == "ingress-gwlbe"));
    // The GWLB endpoint resolves to its GWLB (via ServiceConfigurations) and the
    // healthy target instance to its interface.
    let gwlbe = m
        .vpc_endpoints
        .iter()
        .find(|e| e.name == "ingress-gwlbe")
        .unwrap();
    assert_eq!(gwlbe.gateway_load_balancer.as_deref(), Some("appliances"));
    let gwlb = &m.gateway_load_balancers[0];
    assert_eq!(gwlb.appliances, vec!["appliance-1".to_string()]);
    let app = m
        .network_interfaces
        .iter()
        .find(|e| e.name == "appliance-1")
        .unwrap();
    assert_eq!(app.role, InterfaceRole::Appliance);
    assert!(!app.source_dest_check);
    // The GWLB endpoint's own interface is represented by the endpoint.
    assert_eq!(m.network_interfaces.len(), 4);
    // Effective TGW routes: the firewall table learns both spokes by propagation.
    let ix = m.index();
    let fw_rt = m
        .transit_gateway_route_tables
        .iter()
        .position(|t| t.name == "firewall")
        .unwrap();
    let dests: Vec<String> = m
        .transit_gateway_routes(fw_rt, &ix)
        .iter()
        .map(|r| r.destination.to_string())
        .collect();
    assert_eq!(dests, vec!["10.1.0.0/16", "10.3.0.0/16"]);
}

fn run(from: &str, to: &str, port: u16) -> lztwin::sim::Trace {
    let m = fixture().model;
    let dp = lztwin::dataplane::Dataplane::compile(&m);
    let src = resolve_endpoint(&m, from).unwrap();
    let dst = resolve_endpoint(&m, to).unwrap();
    let flow = lztwin::sim::Flow {
        src: src.ip(),
        dst: dst.ip(),
        protocol: lztwin::model::Protocol::Tcp,
        src_port: 49152,
        dst_port: port,
    };
    trace(&dp, &src, &dst, &flow, &TraceOptions { both_ways: true })
}

#[test]
fn east_west_goes_through_the_firewall_endpoint() {
    let t = run("app-a", "app-b", 443);
    assert_eq!(t.verdict.as_str(), "accepted", "{t:?}");
    assert_eq!(t.inspected_by, vec!["vpce-0b0000000000000f1".to_string()]);
    let back = t.return_trace.as_deref().expect("reply traced");
    assert_eq!(back.verdict.as_str(), "accepted");
    assert_eq!(
        back.inspected_by, t.inspected_by,
        "symmetric: appliance mode"
    );

    let t = run("app-a", "app-b", 22);
    assert_eq!(t.verdict.as_str(), "denied", "{t:?}");
    assert!(
        t.reason.as_deref().unwrap_or("").contains("FIREWALL"),
        "{t:?}"
    );
}

#[test]
fn internet_ingress_goes_through_the_gwlb_endpoint() {
    let t = run("internet", "203.0.113.5", 443);
    assert_eq!(t.verdict.as_str(), "accepted", "{t:?}");
    assert!(
        t.inspected_by.contains(&"ingress-gwlbe".to_string())
            || t.inspected_by.iter().any(|x| x.starts_with("vpce-0d")),
        "{:?}",
        t.inspected_by
    );
    assert!(
        t.inspected_by
            .iter()
            .any(|x| x.contains("eni-0d00000000000d002") || x == "appliance-1"),
        "{:?}",
        t.inspected_by
    );
    let back = t.return_trace.as_deref().expect("reply");
    assert_eq!(back.verdict.as_str(), "exits-network");
}
