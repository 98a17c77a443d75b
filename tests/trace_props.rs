//! Trace invariants on generated estates (`lztwin::ingest::synthetic`): every trace,
//! forward and reply, stays under a hop bound and never panics; every hop that decides
//! (route table, TGW route table, firewall endpoint, network ACL, the final interface)
//! names the route or rule that decided; the same trace twice gives the same result.

use lztwin::dataplane::Dataplane;
use lztwin::ingest::synthetic::{generate, SyntheticOptions};
use lztwin::model::{Model, Protocol};
use lztwin::sim::endpoint::all_endpoints;
use lztwin::sim::{flow_between, trace, Endpoint, Trace, TraceOptions};
use proptest::prelude::*;

/// No trace of a generated estate needs more hops than this: the longest legitimate
/// path (spoke → TGW → inspection VPC → firewall → TGW → spoke, with NACL and
/// route-table hops on each side) is about 30 hops; the walk itself stops at 64 steps.
const HOP_BOUND: usize = 80;

/// Hop kinds that take a decision and must say which route or rule decided it.
const DECIDING: &[&str] = &[
    "route-table",
    "tgw-route-table",
    "firewall-endpoint",
    "network-acl",
];

fn check_trace(t: &Trace, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        t.hops.len() <= HOP_BOUND,
        "{what}: {} hops (bound {HOP_BOUND}): {:?}",
        t.hops.len(),
        t.hops
    );
    for h in &t.hops {
        if DECIDING.contains(&h.kind.as_str()) {
            prop_assert!(
                !h.detail.trim().is_empty(),
                "{what}: {} hop {} has no detail: {:?}",
                h.kind,
                h.id,
                t.hops
            );
        }
    }
    if let Some(last) = t.hops.last() {
        if last.kind == "network-interface" {
            prop_assert!(
                !last.detail.trim().is_empty(),
                "{what}: final interface hop {} has no detail",
                last.id
            );
        }
    }
    Ok(())
}

fn estate(vpcs: usize, azs: usize, subnets: usize, seed: u64) -> Model {
    generate(&SyntheticOptions {
        vpcs,
        accounts: None,
        azs,
        subnets_per_vpc: subnets,
        seed,
    })
    .expect("generator options are in range")
}

const PROTOCOLS: &[(Protocol, u16)] = &[
    (Protocol::Tcp, 443),
    (Protocol::Tcp, 22),
    (Protocol::Udp, 53),
    (Protocol::Icmp, 0),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn traces_are_bounded_explained_and_deterministic(
        vpcs in 1usize..6,
        azs in 1usize..4,
        subnets in 1usize..4,
        seed in any::<u64>(),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0usize..4), 24),
    ) {
        let m = estate(vpcs, azs, subnets, seed);
        let dp = Dataplane::compile(&m);
        let eps: Vec<Endpoint> = all_endpoints(&m);
        prop_assert!(eps.len() >= 2);
        for (a, b, p) in picks {
            let src = a.get(&eps);
            let dst = b.get(&eps);
            let (protocol, port) = PROTOCOLS[p];
            let flow = flow_between(&m, src, dst, protocol, 49152, port);
            let opts = TraceOptions { both_ways: true };
            let t = trace(&dp, src, dst, &flow, &opts);
            let what = format!("{src:?} -> {dst:?} {protocol:?}/{port}");
            check_trace(&t, &what)?;
            if let Some(r) = &t.return_trace {
                check_trace(r, &format!("reply of {what}"))?;
            }
            let again = trace(&dp, src, dst, &flow, &opts);
            prop_assert_eq!(&t, &again, "{} is not deterministic", what);
        }
    }
}

/// Every pair of endpoints of one small estate, both ways: the exhaustive counterpart of
/// the property above (so the bound is checked on every path, not a sample).
#[test]
fn every_pair_of_a_small_estate_is_bounded_and_explained() {
    let m = estate(4, 2, 2, 7);
    let dp = Dataplane::compile(&m);
    let eps = all_endpoints(&m);
    let mut accepted = 0;
    let mut total = 0;
    let mut seen: std::collections::BTreeSet<String> = Default::default();
    for src in &eps {
        for dst in &eps {
            if src == dst {
                continue;
            }
            let flow = flow_between(&m, src, dst, Protocol::Tcp, 49152, 443);
            let t = trace(&dp, src, dst, &flow, &TraceOptions { both_ways: true });
            let what = format!("{src:?} -> {dst:?}");
            check_trace(&t, &what).unwrap_or_else(|e| panic!("{e}"));
            if let Some(r) = &t.return_trace {
                check_trace(r, &format!("reply of {what}")).unwrap_or_else(|e| panic!("{e}"));
            }
            seen.extend(t.hops.iter().map(|h| h.kind.clone()));
            total += 1;
            if t.verdict.is_success() {
                accepted += 1;
            }
        }
    }
    // The estate is a working landing zone: some flows get through, some are isolated.
    assert!(
        accepted > 0 && accepted < total,
        "{accepted} of {total} succeed"
    );
    // The estate exercises every deciding hop kind, so the detail check is not vacuous.
    for k in DECIDING.iter().chain(["network-interface"].iter()) {
        assert!(seen.contains(*k), "no {k} hop in any trace: {seen:?}");
    }
}
