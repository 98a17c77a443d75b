//! The fast matrix engine: compile once, walk without explanations, and share outcomes
//! between flows no table can tell apart.
//!
//! Two interfaces are in the same *endpoint class* when every forwarding decision treats
//! them alike: same subnet (so same route table, NACL, AZ, attachment ENI), same security
//! groups and security-group memberships, same public-address presence, and the same
//! *address signature* — the set of prefixes, among every prefix any table or rule of the
//! model mentions (routes, TGW routes, prefix lists, SG/NACL/firewall rules, VPC/subnet
//! CIDRs, on-prem prefixes, the private ranges gateways check), that contain the address.
//! Path choices that hash the flow (appliance mode, AZ choice, GWLB appliance) take the
//! hash modulo the number of candidates, so `hash mod L` (L the least common multiple of
//! every candidate count) decides them all. Hence the outcome of (source, destination)
//! depends only on (source class, destination class, hash mod L) — unless a choice hashed
//! a translated packet (after NAT), which the walk reports and which is then not shared.
//!
//! Sources run in parallel (rayon) by class; each class keeps its own table of outcomes
//! by (destination class, hash mod L); rows come back in source order, so the result is
//! the same whatever the thread count. tests/matrix_props.rs holds this engine equal to
//! the per-pair reference cell for cell.

use super::{endpoints, flow_for, Detail, Matrix, MatrixOptions, Outcome, Progress};
use crate::dataplane::Dataplane;
use crate::model::{Model, ObjectKind};
use crate::sim::{summarize, Endpoint, Summary};
use ipnet::IpNet;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

/// Compute the matrix of `model` (compiled as `dp`). Equal to
/// [`super::engine::per_pair`] cell for cell.
pub fn compute(
    dp: &Dataplane,
    model: &Model,
    opts: &MatrixOptions,
    progress: Progress<'_>,
) -> Matrix {
    let eps = endpoints(model, opts.group_by);
    let classes = endpoint_classes(
        dp,
        model,
        &eps.iter().map(|e| e.endpoint.clone()).collect::<Vec<_>>(),
    );
    let l = hash_modulus(dp, model);
    // Sources grouped by class, classes in order of their first member.
    let mut by_class: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, c) in classes.iter().enumerate() {
        by_class.entry(*c).or_default().push(i);
    }
    let groups: Vec<Vec<usize>> = by_class.into_values().collect();
    let mut rows: Vec<(usize, Row)> = groups
        .par_iter()
        .flat_map_iter(|members| {
            let mut shared: HashMap<(u32, u64), (Outcome, Option<Outcome>)> = HashMap::new();
            let mut out = Vec::with_capacity(members.len());
            for &i in members {
                let s = &eps[i];
                let mut row = Vec::with_capacity(eps.len().saturating_sub(1));
                for (j, d) in eps.iter().enumerate() {
                    if j == i {
                        continue;
                    }
                    let flow = flow_for(model, s, d, opts);
                    let key = (
                        classes[j],
                        if l == 0 {
                            flow.symmetric_hash()
                        } else {
                            flow.symmetric_hash() % l
                        },
                    );
                    let (fwd, ret) = match shared.get(&key) {
                        Some(v) => v.clone(),
                        None => {
                            let (f, r) = summarize(dp, &s.endpoint, &flow, opts.both_ways);
                            let tainted = f.hash_after_translation
                                || r.as_ref().is_some_and(|r| r.hash_after_translation);
                            let v = (outcome(f), r.map(outcome));
                            if !tainted && l != 0 {
                                shared.insert(key, v.clone());
                            }
                            v
                        }
                    };
                    row.push((j as u32, fwd, ret));
                }
                progress(1);
                out.push((i, row));
            }
            out
        })
        .collect();
    rows.sort_by_key(|(i, _)| *i);
    Matrix::from_rows(opts, eps, rows.into_iter().map(|(_, r)| r))
}

/// One source row: `(destination index, forward, reply)`.
type Row = Vec<(u32, Outcome, Option<Outcome>)>;

fn outcome(s: Summary) -> Outcome {
    Outcome {
        verdict: s.verdict,
        hops: s.hops,
        detail: Detail {
            inspected_by: s.inspected_by,
            reason: s.reason,
        },
    }
}

/// The least common multiple of every count a path choice takes a hash modulo (AZs of a
/// VPC attachment, appliances of a GWLB, any subset of them after failures); 0 when it
/// grows past a million (then nothing is shared across different flows' hashes).
fn hash_modulus(dp: &Dataplane, model: &Model) -> u64 {
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    let mut counts: BTreeSet<u64> = BTreeSet::new();
    for azs in &dp.attachment_azs {
        counts.extend(1..=azs.len().max(1) as u64);
    }
    for g in &model.gateway_load_balancers {
        counts.extend(1..=g.appliances.len().max(1) as u64);
    }
    let mut l: u64 = 1;
    for c in counts {
        l = l / gcd(l, c) * c;
        if l > 1_000_000 {
            return 0;
        }
    }
    l
}

/// Every prefix a forwarding decision can test an address against.
fn decision_prefixes(dp: &Dataplane, m: &Model) -> Vec<IpNet> {
    let mut v: BTreeSet<IpNet> = BTreeSet::new();
    // The ranges gateways check (RFC 1918, RFC 6598).
    for p in [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
    ] {
        if let Ok(p) = p.parse() {
            v.insert(p);
        }
    }
    for x in &m.vpcs {
        v.extend(x.cidrs.iter().copied());
    }
    for s in &m.subnets {
        v.insert(IpNet::V4(s.cidr));
        if let Some(c) = s.ipv6_cidr {
            v.insert(IpNet::V6(c));
        }
    }
    for rt in 0..m.route_tables.len() {
        v.extend(dp.vpc_routes(rt).into_iter().map(|(p, _)| p));
    }
    for t in 0..m.transit_gateway_route_tables.len() {
        v.extend(dp.tgw_routes(t).into_iter().map(|(p, _)| p));
    }
    for p in &m.prefix_lists {
        v.extend(p.entries.iter().copied());
    }
    for s in &m.onprem_sites {
        v.extend(s.prefixes.iter().copied());
    }
    for a in &m.transit_gateway_attachments {
        v.extend(a.advertised_prefixes.iter().copied());
    }
    for g in &m.vpn_gateways {
        for c in &g.connections {
            v.extend(c.advertised_prefixes.iter().copied());
        }
    }
    for sg in &m.security_groups {
        v.extend(sg.ingress.iter().chain(&sg.egress).filter_map(|r| r.cidr));
    }
    for a in &m.network_acls {
        v.extend(a.entries.iter().map(|e| e.cidr));
    }
    for g in &m.rule_groups {
        for r in &g.stateless_rules {
            v.extend(r.sources.iter().chain(&r.destinations).copied());
        }
        for r in &g.stateful_rules {
            v.extend(r.source.iter().chain(r.destination.iter()).copied());
        }
    }
    v.into_iter()
        .map(|p| p.trunc())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The class of each endpoint (equal numbers = interchangeable for every decision).
fn endpoint_classes(dp: &Dataplane, m: &Model, eps: &[Endpoint]) -> Vec<u32> {
    let prefixes = decision_prefixes(dp, m);
    let signature = |ip: IpAddr| -> Vec<u32> {
        prefixes
            .iter()
            .enumerate()
            .filter(|(_, p)| p.contains(&ip))
            .map(|(i, _)| i as u32)
            .collect()
    };
    // Addresses held in more than one VPC (overlapping CIDRs) are never shared.
    let mut holders: HashMap<IpAddr, usize> = HashMap::new();
    for e in &m.network_interfaces {
        for ip in &e.private_ips {
            *holders.entry(*ip).or_default() += 1;
        }
    }
    let mut keys: HashMap<Vec<u64>, u32> = HashMap::new();
    eps.iter()
        .enumerate()
        .map(|(i, ep)| {
            let key: Vec<u64> = match ep {
                Endpoint::Interface { eni, ip } => {
                    let e = &m.network_interfaces[*eni];
                    if holders.get(ip).copied().unwrap_or(0) > 1 {
                        vec![u64::MAX, i as u64]
                    } else {
                        let subnet = dp.index.get_kind(&e.subnet, ObjectKind::Subnet);
                        let mut sgs: Vec<u64> = e
                            .security_groups
                            .iter()
                            .filter_map(|g| dp.index.get_kind(g, ObjectKind::SecurityGroup))
                            .map(|g| g as u64)
                            .collect();
                        sgs.sort_unstable();
                        sgs.dedup();
                        let mut k = vec![
                            0,
                            subnet.map(|s| s as u64).unwrap_or(u64::MAX - 1),
                            u64::from(dp.eni_down[*eni]),
                            u64::from(e.source_dest_check),
                            sgs.len() as u64,
                        ];
                        k.extend(sgs);
                        let sig = signature(*ip);
                        k.push(sig.len() as u64);
                        k.extend(sig.into_iter().map(u64::from));
                        match e.public_ip {
                            Some(p) => {
                                let sig = signature(IpAddr::V4(p));
                                k.push(1 + sig.len() as u64);
                                k.extend(sig.into_iter().map(u64::from));
                            }
                            None => k.push(0),
                        }
                        // Other addresses of the interface are tested too (it receives
                        // traffic for each).
                        k.push(e.private_ips.len() as u64);
                        k
                    }
                }
                // On-prem sites and the Internet are one endpoint each.
                _ => vec![u64::MAX, i as u64],
            };
            let n = keys.len() as u32;
            *keys.entry(key).or_insert(n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::matrix::{compute as mcompute, Engine};

    #[test]
    fn fast_equals_per_pair_on_the_reference() {
        let m = crate::ingest::load_reference().unwrap().model;
        let dp = Dataplane::compile(&m);
        for both_ways in [false, true] {
            let opts = MatrixOptions {
                both_ways,
                ..MatrixOptions::default()
            };
            let fast = mcompute(&dp, &m, &opts);
            let slow = mcompute(
                &dp,
                &m,
                &MatrixOptions {
                    engine: Engine::PerPair,
                    ..opts
                },
            );
            assert_eq!(
                serde_json::to_string(&fast).unwrap(),
                serde_json::to_string(&slow).unwrap()
            );
        }
    }

    #[test]
    fn interfaces_of_one_subnet_and_group_share_a_class() {
        let m = crate::ingest::load_reference().unwrap().model;
        let dp = Dataplane::compile(&m);
        let eps = crate::sim::endpoint::all_endpoints(&m);
        let c = endpoint_classes(&dp, &m, &eps);
        // The Internet and each site are classes of their own.
        let last = *c.last().unwrap();
        assert_eq!(c.iter().filter(|x| **x == last).count(), 1);
        assert!(hash_modulus(&dp, &m).is_multiple_of(6));
    }
}
