//! Unit tests of the compiled tables on the reference scenario.

use super::*;
use crate::ingest::load_reference;

fn reference() -> Dataplane {
    let loaded = load_reference().expect("reference scenario loads");
    Dataplane::compile(&loaded.model)
}

#[test]
fn local_route_beats_default_route() {
    let dp = reference();
    let rt = dp
        .index
        .get_kind(
            "workloads-prod-app-rt",
            crate::model::ObjectKind::RouteTable,
        )
        .unwrap();
    let (p, r) = dp.vpc_route(rt, "10.64.100.10".parse().unwrap()).unwrap();
    assert_eq!(p.to_string(), "10.64.96.0/19");
    assert_eq!(r.target, Target::Local);
    let (p, r) = dp.vpc_route(rt, "8.8.8.8".parse().unwrap()).unwrap();
    assert_eq!(p.to_string(), "0.0.0.0/0");
    assert!(matches!(r.target, Target::TransitGateway(_)));
}

#[test]
fn direct_connect_beats_vpn_in_tgw_table() {
    let dp = reference();
    let rtb = dp
        .index
        .get_kind(
            "firewall",
            crate::model::ObjectKind::TransitGatewayRouteTable,
        )
        .unwrap();
    let (_, r) = dp.tgw_route(rtb, "10.10.1.1".parse().unwrap()).unwrap();
    let a = r.attachment.unwrap();
    assert_eq!(
        dp.model.transit_gateway_attachments[a].name,
        "corporate-dc-dx"
    );
}

#[test]
fn failed_attachment_withdraws_routes() {
    let loaded = load_reference().unwrap();
    let fs = FailureSet {
        failed: ["corporate-dc-dx".to_string()].into(),
    };
    let dp = Dataplane::compile_with_failures(&loaded.model, &fs);
    let rtb = dp
        .index
        .get_kind(
            "firewall",
            crate::model::ObjectKind::TransitGatewayRouteTable,
        )
        .unwrap();
    let (_, r) = dp.tgw_route(rtb, "10.10.1.1".parse().unwrap()).unwrap();
    assert_eq!(
        dp.model.transit_gateway_attachments[r.attachment.unwrap()].name,
        "corporate-dc-vpn"
    );
}

#[test]
fn forwarding_graph_has_route_edges() {
    let dp = reference();
    assert!(dp.graph.node_count() > 20);
    assert!(dp.graph.edge_count() > 20);
}
