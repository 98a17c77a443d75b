//! Invariants of diff and failure sweeps on generated environments.

use lztwin::analysis::diff::{cell_table, diff_models_sharing, diff_tables, Service};
use lztwin::analysis::failures::incremental::Baseline;
use lztwin::analysis::failures::{components, scenarios, FailureClass};
use lztwin::dataplane::{routing_delta, Dataplane, FailureSet};
use lztwin::ingest::synthetic::{generate, SyntheticOptions};
use lztwin::model::{Model, Protocol, RouteState, TransitGatewayRoute};
use proptest::prelude::*;

/// A small hub-and-spoke estate: `vpcs` VPCs over two AZs on one TGW, `enis[i]` workload
/// interfaces in VPC i (alternating AZs), some VPCs not propagating.
fn estate(enis: &[usize], propagate: &[bool]) -> Model {
    let mut vpcs = Vec::new();
    let mut subnets = Vec::new();
    let mut rts = Vec::new();
    let mut atts = Vec::new();
    let mut ifs = Vec::new();
    for (i, n) in enis.iter().enumerate() {
        vpcs.push(serde_json::json!({"name": format!("v{i}"), "account": "app", "region": "r", "cidrs": [format!("10.{i}.0.0/16")]}));
        for (z, az) in ["r-1a", "r-1b"].iter().enumerate() {
            subnets.push(serde_json::json!({"name": format!("v{i}-s{z}"), "vpc": format!("v{i}"), "az": az, "cidr": format!("10.{i}.{z}.0/24")}));
        }
        rts.push(
            serde_json::json!({"name": format!("v{i}-rt"), "vpc": format!("v{i}"), "main": true,
            "routes": [{"destination": "0.0.0.0/0", "target": {"transit_gateway": "tgw"}}]}),
        );
        let props: Vec<&str> = if propagate.get(i).copied().unwrap_or(true) {
            vec!["spoke"]
        } else {
            vec![]
        };
        atts.push(serde_json::json!({"name": format!("att-{i}"), "transit_gateway": "tgw", "type": "vpc", "vpc": format!("v{i}"),
            "subnets": [format!("v{i}-s0"), format!("v{i}-s1")], "association": "spoke", "propagations": props}));
        for k in 0..*n {
            ifs.push(serde_json::json!({"name": format!("v{i}-eni{k}"), "subnet": format!("v{i}-s{}", k % 2),
                "private_ips": [format!("10.{i}.{}.{}", k % 2, 10 + k)]}));
        }
    }
    serde_json::from_value(serde_json::json!({
        "name": "gen",
        "regions": [{"name": "r", "availability_zones": ["r-1a", "r-1b"]}],
        "accounts": [{"name": "net", "environment": "network"}, {"name": "app", "environment": "prod"}],
        "vpcs": vpcs, "subnets": subnets, "route_tables": rts,
        "transit_gateways": [{"name": "tgw", "account": "net", "region": "r"}],
        "transit_gateway_route_tables": [{"name": "spoke", "transit_gateway": "tgw"}],
        "transit_gateway_attachments": atts, "network_interfaces": ifs
    }))
    .expect("generated estate is a valid model")
}

/// Change `m` by one operation of kind `kind` (0–7 change routing only: a VPC route's
/// state, a VPC route removed, a VPC route copied to another table, a TGW blackhole
/// route, a propagation toggled, an association moved, a subnet association moved, a
/// blackhole host route to an interface's address that no table had a boundary at; 8 a
/// security group rule removed), at positions picked by `a` and `b`. Returns whether only
/// routing changed.
fn change(m: &mut Model, kind: u8, a: usize, b: usize) -> bool {
    match kind {
        0..=2 => {
            let n = m.route_tables.len();
            let t = &m.route_tables[a % n];
            if t.routes.is_empty() {
                return true;
            }
            let r = b % t.routes.len();
            match kind {
                0 => {
                    let s = &mut m.route_tables[a % n].routes[r].state;
                    *s = match s {
                        RouteState::Active => RouteState::Blackhole,
                        RouteState::Blackhole => RouteState::Active,
                    };
                }
                1 => {
                    m.route_tables[a % n].routes.remove(r);
                }
                _ => {
                    // Into another table of the same VPC, if any.
                    let route = t.routes[r].clone();
                    let vpc = t.vpc.clone();
                    if let Some(o) = m
                        .route_tables
                        .iter_mut()
                        .enumerate()
                        .find(|(k, o)| *k != a % n && o.vpc == vpc)
                        .map(|(_, o)| o)
                    {
                        if !o.routes.iter().any(|x| x.destination == route.destination) {
                            o.routes.push(route);
                        }
                    }
                }
            }
        }
        3 => {
            let n = m.transit_gateway_route_tables.len();
            let v = &m.vpcs[b % m.vpcs.len()];
            if let (Some(cidr), true) = (v.cidrs.first().copied(), n > 0) {
                m.transit_gateway_route_tables[a % n]
                    .routes
                    .push(TransitGatewayRoute {
                        destination: cidr,
                        attachment: None,
                        blackhole: true,
                    });
            }
        }
        4 | 5 => {
            let (na, nt) = (
                m.transit_gateway_attachments.len(),
                m.transit_gateway_route_tables.len(),
            );
            if na == 0 || nt == 0 {
                return true;
            }
            let rtb = m.transit_gateway_route_tables[b % nt].name.clone();
            let att = &mut m.transit_gateway_attachments[a % na];
            if kind == 4 {
                if let Some(p) = att.propagations.iter().position(|p| *p == rtb) {
                    att.propagations.remove(p);
                } else {
                    att.propagations.push(rtb);
                }
            } else {
                att.association = Some(rtb);
            }
        }
        6 => {
            let n = m.route_tables.len();
            let from = a % n;
            if m.route_tables[from].subnets.is_empty() {
                return true;
            }
            let subnet = m.route_tables[from].subnets.remove(0);
            let vpc = m.route_tables[from].vpc.clone();
            let others: Vec<usize> = (0..n)
                .filter(|&k| k != from && m.route_tables[k].vpc == vpc)
                .collect();
            if let Some(&to) = others.get(b % others.len().max(1)) {
                m.route_tables[to].subnets.push(subnet);
            }
        }
        7 => {
            let n = m.route_tables.len();
            let ne = m.network_interfaces.len();
            let Some(ip) = m.network_interfaces[b % ne.max(1)]
                .private_ips
                .first()
                .copied()
            else {
                return true;
            };
            let t = &mut m.route_tables[a % n];
            if let Some(first) = t.routes.first() {
                let mut r = first.clone();
                r.destination = Some(ipnet::IpNet::from(ip));
                r.destination_prefix_list = None;
                r.state = RouteState::Blackhole;
                t.routes.push(r);
            }
        }
        _ => {
            let n = m.security_groups.len();
            if n == 0 || m.security_groups[a % n].ingress.is_empty() {
                return true;
            }
            m.security_groups[a % n].ingress.remove(0);
            return false;
        }
    }
    true
}

/// A generated landing zone of `vpcs` workload VPCs over two AZs.
fn landing_zone(vpcs: usize, seed: u64) -> Model {
    generate(&SyntheticOptions {
        vpcs,
        seed,
        azs: 2,
        subnets_per_vpc: 2,
        ..SyntheticOptions::default()
    })
    .expect("generated estate")
}

fn service() -> Service {
    Service {
        protocol: Protocol::Tcp,
        dst_port: 443,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn diff_of_a_model_with_itself_is_empty(
        enis in proptest::collection::vec(0usize..3, 1..4),
        propagate in proptest::collection::vec(any::<bool>(), 4),
    ) {
        let m = estate(&enis, &propagate);
        let t = cell_table(&m, &FailureSet::default(), service());
        let d = diff_tables(&t, &t);
        prop_assert!(d.changes.is_empty());
        prop_assert_eq!(d.summary.flows, t.cells.iter().filter(|c| **c != lztwin::analysis::diff::NO_FLOW).count());
    }

    #[test]
    fn incremental_failures_equal_full_recomputation(
        enis in proptest::collection::vec(0usize..3, 1..4),
        propagate in proptest::collection::vec(any::<bool>(), 4),
        k in 1u8..3,
    ) {
        let m = estate(&enis, &propagate);
        let comps = components(&m, &FailureClass::ALL);
        let base = Baseline::compute(&m, service(), &comps);
        for s in scenarios(&comps, k, 20, 1).unwrap() {
            let inc = base.evaluate(&m, &s, 1000);
            let full = base.evaluate_full(&m, &s, 1000);
            prop_assert_eq!(&inc, &full);
            // Both incremental ways: walking the affected flows, and reading them from a
            // fast-engine table.
            prop_assert_eq!(&base.evaluate_walk(&s, 1000), &full);
            prop_assert_eq!(&base.evaluate_fast(&m, &s, 1000), &full);
            // Few examples: the first of the full list.
            let few = base.evaluate_walk(&s, 2);
            prop_assert_eq!(&few.examples[..], &full.examples[..full.examples.len().min(2)]);
        }
    }

    /// On generated landing zones (firewall endpoints, appliance mode, VPN, DX, NAT): the
    /// incremental evaluation equals the full recomputation, and the full recomputation
    /// equals the diff of two independently computed cell tables.
    #[test]
    fn incremental_failures_equal_full_recomputation_on_landing_zones(
        vpcs in 1usize..4,
        seed in 0u64..1000,
    ) {
        let m = landing_zone(vpcs, seed);
        let comps = components(&m, &FailureClass::ALL);
        let base = Baseline::compute(&m, service(), &comps);
        let before = cell_table(&m, &FailureSet::default(), service());
        for s in scenarios(&comps, 1, 1000, 1).unwrap() {
            let inc = base.evaluate(&m, &s, 1000);
            let full = base.evaluate_full(&m, &s, 1000);
            prop_assert_eq!(&inc, &full);
            prop_assert_eq!(&base.evaluate_walk(&s, 1000), &full);
            prop_assert_eq!(&base.evaluate_fast(&m, &s, 1000), &full);
            let fs = FailureSet { failed: s.iter().cloned().collect() };
            let after = cell_table(&m, &fs, service());
            prop_assert_eq!(&base.evaluate_table(&s, &after, 1000), &full);
            let d = diff_tables(&before, &after);
            prop_assert_eq!(&full.examples, &d.changes);
            prop_assert_eq!(full.lost, d.summary.lost);
            let mut groups: std::collections::BTreeMap<(String, String), usize> = Default::default();
            for c in d.changes.iter().filter(|c| c.kind == lztwin::analysis::diff::ChangeKind::Lost) {
                *groups.entry((c.src.group.clone(), c.dst.group.clone())).or_default() += 1;
            }
            let by_group: Vec<((String, String), usize)> = full
                .lost_by_group
                .iter()
                .map(|g| ((g.src.clone(), g.dst.clone()), g.flows))
                .collect();
            prop_assert_eq!(by_group, groups.into_iter().collect::<Vec<_>>());
        }
    }

    /// Diff computed incrementally (only the flows whose base walks consult a changed
    /// routing entry walked again) equals the diff of two full cell tables, for routing
    /// changes of every kind, and falls back to full tables for other changes.
    #[test]
    fn incremental_diff_equals_two_full_tables(
        vpcs in 1usize..5,
        seed in 0u64..1000,
        a in 0usize..64,
        b in 0usize..64,
    ) {
        let m = landing_zone(vpcs, seed);
        let none = FailureSet::default();
        let before = cell_table(&m, &none, service());
        let base = Dataplane::compile(&m);
        for kind in 0u8..9 {
            let mut changed = m.clone();
            let routing_only = change(&mut changed, kind, a, b);
            let delta = routing_delta(&base, &Dataplane::compile(&changed));
            prop_assert_eq!(delta.is_some(), routing_only);
            let full = diff_tables(&before, &cell_table(&changed, &none, service()));
            for share in [1.0, 0.0] {
                let inc = diff_models_sharing((&m, &none), (&changed, &none), service(), share);
                prop_assert_eq!(&inc, &full, "kind {}", kind);
            }
        }
    }
}
