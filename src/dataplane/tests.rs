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
    assert!(dp.graph().node_count() > 20);
    assert!(dp.graph().edge_count() > 20);
}

/// Every failure-dependent table of two dataplanes, in a comparable form.
fn failure_view(dp: &Dataplane) -> String {
    let mut edges: Vec<String> = dp
        .graph()
        .raw_edges()
        .iter()
        .map(|e| {
            format!(
                "{:?} -> {:?} {}",
                dp.graph()[e.source()],
                dp.graph()[e.target()],
                e.weight
            )
        })
        .collect();
    edges.sort();
    let mut fw: Vec<_> = dp.fw_endpoint_down.iter().collect();
    fw.sort();
    let mut vgw: Vec<_> = dp.vgw_conn_down.iter().collect();
    vgw.sort();
    let mut vpc_att: Vec<_> = dp.vpc_attachment.iter().collect();
    vpc_att.sort();
    let rt: Vec<_> = (0..dp.rt_routes.len()).map(|r| dp.vpc_routes(r)).collect();
    let tgw: Vec<_> = (0..dp.tgw_routes.len()).map(|r| dp.tgw_routes(r)).collect();
    let site: Vec<_> = dp.site_routes.iter().map(|t| t.entries()).collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{fw:?}\n{:?}\n{vgw:?}\n{:?}\n{rt:?}\n{tgw:?}\n{vpc_att:?}\n{:?}\n{site:?}\n{edges:?}\n{:?}\n{:?}",
        dp.failures,
        dp.subnet_down,
        dp.eni_down,
        dp.nat_down,
        dp.attachment_down,
        dp.nlb_down,
        dp.vpce_down,
        dp.attachment_azs,
        dp.warnings,
    )
}

/// Names to fail one at a time: every AZ, subnet, attachment, firewall (endpoint), VPC
/// endpoint, NAT gateway, VGW and VGW connection, NLB.
fn failure_names(m: &crate::model::Model) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    v.extend(m.subnets.iter().map(|s| s.az.clone()));
    v.extend(m.subnets.iter().map(|s| s.name.clone()));
    v.extend(m.transit_gateway_attachments.iter().map(|a| a.name.clone()));
    for f in &m.firewalls {
        v.push(f.name.clone());
        v.extend(f.endpoints.iter().map(|e| e.name.clone()));
    }
    v.extend(m.vpc_endpoints.iter().map(|e| e.name.clone()));
    v.extend(m.nat_gateways.iter().map(|n| n.name.clone()));
    for g in &m.vpn_gateways {
        v.push(g.name.clone());
        v.extend(g.connections.iter().map(|c| c.name.clone()));
    }
    v.extend(m.network_load_balancers.iter().map(|l| l.name.clone()));
    v.sort();
    v.dedup();
    v
}

/// `with_failures` equals compiling with the failures, whatever the base's failures, on
/// the reference scenario and on a generated landing zone: one failure at a time, pairs,
/// and back to none.
#[test]
fn with_failures_equals_compile_with_failures() {
    let reference = load_reference().expect("reference scenario loads").model;
    let generated =
        crate::ingest::synthetic::generate(&crate::ingest::synthetic::SyntheticOptions {
            vpcs: 4,
            azs: 2,
            subnets_per_vpc: 2,
            ..Default::default()
        })
        .expect("generated estate");
    for m in [&reference, &generated] {
        let base = Dataplane::compile(m);
        let names = failure_names(m);
        assert!(names.len() > 10);
        let mut sets: Vec<FailureSet> = names
            .iter()
            .map(|n| FailureSet {
                failed: [n.clone()].into(),
            })
            .collect();
        for w in names.windows(2).step_by(3) {
            sets.push(FailureSet {
                failed: w.iter().cloned().collect(),
            });
        }
        for fs in &sets {
            let full = Dataplane::compile_with_failures(m, fs);
            let derived = base.with_failures(fs);
            assert_eq!(failure_view(&derived), failure_view(&full), "{fs:?}");
            // From a dataplane with other failures, and back to none.
            let other = full.with_failures(&sets[0]);
            assert_eq!(
                failure_view(&other),
                failure_view(&Dataplane::compile_with_failures(m, &sets[0])),
                "{fs:?} then {:?}",
                sets[0]
            );
            assert_eq!(
                failure_view(&full.with_failures(&FailureSet::default())),
                failure_view(&base)
            );
        }
    }
}
