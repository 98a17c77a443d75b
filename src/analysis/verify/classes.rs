//! Equivalence classes that make verification exhaustive without sampling.
//!
//! **Addresses.** Forwarding (longest-prefix match) and every filter (security group,
//! NACL, firewall rule, prefix list) decide on prefixes of the model. Two addresses
//! contained in exactly the same set of the model's prefixes are treated alike by every
//! one of them. Prefixes are nested or disjoint, so that set is fixed by the most
//! specific prefix containing the address: a class is "prefix P minus its
//! sub-prefixes", and one representative address per non-empty class covers it.
//!
//! **Services.** Likewise every rule matches a port *range*: cutting 0-65535 at every
//! range boundary of every rule (and of the intent's own services) gives port classes
//! where each port behaves like any other of its class.

use crate::model::policy::ServiceSpec;
use crate::model::{Model, PortRange, Protocol};
use ipnet::IpNet;
use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Every prefix the model's forwarding or filtering decides on (routes, VPC and subnet
/// CIDRs, prefix-list entries, SG / NACL / firewall rule CIDRs, on-prem prefixes), the
/// private ranges internet gateways refuse, and the host prefix of every address the
/// model assigns (ENI private and public IPs, NAT gateways, interface endpoints).
pub fn model_prefixes(m: &Model) -> BTreeSet<IpNet> {
    let mut s = BTreeSet::new();
    let mut add = |p: IpNet| {
        s.insert(p.trunc());
    };
    // The ranges an internet gateway will not route (RFC 1918 and the RFC 6598 shared
    // space): Reachability Analyzer's IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS and
    // IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS; the trace decides on them too.
    for p in [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
    ] {
        if let Ok(p) = p.parse() {
            add(p);
        }
    }
    for v in &m.vpcs {
        v.cidrs.iter().for_each(|c| add(*c));
    }
    for sn in &m.subnets {
        add(IpNet::V4(sn.cidr));
        if let Some(c) = sn.ipv6_cidr {
            add(IpNet::V6(c));
        }
    }
    for rt in &m.route_tables {
        for r in &rt.routes {
            if let Some(d) = r.destination {
                add(d);
            }
        }
    }
    for t in &m.transit_gateway_route_tables {
        for r in &t.routes {
            add(r.destination);
        }
    }
    for pl in &m.prefix_lists {
        pl.entries.iter().for_each(|c| add(*c));
    }
    for sg in &m.security_groups {
        for r in sg.ingress.iter().chain(&sg.egress) {
            if let Some(c) = r.cidr {
                add(c);
            }
        }
    }
    for a in &m.network_acls {
        a.entries.iter().for_each(|e| add(e.cidr));
    }
    for g in &m.rule_groups {
        for r in &g.stateless_rules {
            r.sources
                .iter()
                .chain(&r.destinations)
                .for_each(|c| add(*c));
        }
        for r in &g.stateful_rules {
            r.source.iter().chain(&r.destination).for_each(|c| add(*c));
        }
    }
    for s in &m.onprem_sites {
        s.prefixes.iter().for_each(|c| add(*c));
    }
    for a in &m.transit_gateway_attachments {
        a.advertised_prefixes.iter().for_each(|c| add(*c));
    }
    for v in &m.vpn_gateways {
        for c in &v.connections {
            c.advertised_prefixes.iter().for_each(|c| add(*c));
        }
    }
    for e in &m.network_interfaces {
        e.private_ips.iter().for_each(|ip| add(IpNet::from(*ip)));
        if let Some(ip) = e.public_ip {
            add(IpNet::from(IpAddr::V4(ip)));
        }
    }
    for n in &m.nat_gateways {
        add(IpNet::from(IpAddr::V4(n.private_ip)));
        if let Some(ip) = n.public_ip {
            add(IpNet::from(IpAddr::V4(ip)));
        }
    }
    for e in &m.vpc_endpoints {
        e.private_ips.iter().for_each(|ip| add(IpNet::from(*ip)));
    }
    s
}

fn to_u128(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(a) => u32::from(a) as u128,
        IpAddr::V6(a) => u128::from(a),
    }
}

fn from_u128(v: u128, v4: bool) -> IpAddr {
    if v4 {
        IpAddr::V4(Ipv4Addr::from(v as u32))
    } else {
        IpAddr::V6(Ipv6Addr::from(v))
    }
}

/// One address class inside a CIDR: its most specific prefix and a representative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct AddressClass {
    /// The most specific model prefix of every address of the class.
    pub prefix: IpNet,
    /// An address of the class (a host address where the class has one).
    pub representative: IpAddr,
}

/// The address classes of `within` with respect to `prefixes`: `within` is cut at the
/// boundaries of every prefix that lies inside it; each class is returned once with a
/// representative (preferring `prefer` when it falls in the class), in address order.
pub fn address_classes(
    within: IpNet,
    prefixes: &BTreeSet<IpNet>,
    prefer: Option<IpAddr>,
) -> Vec<AddressClass> {
    let within = within.trunc();
    let v4 = matches!(within, IpNet::V4(_));
    // The nodes: `within` and every prefix strictly inside it, same family.
    let mut nodes: Vec<IpNet> = prefixes
        .iter()
        .filter(|p| within.contains(*p) && **p != within)
        .copied()
        .collect();
    nodes.push(within);
    nodes.sort_by_key(|p| (to_u128(p.network()), p.prefix_len()));
    nodes.dedup();
    let mut out = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        // Maximal proper sub-prefixes of n, in address order (nodes are sorted by
        // network then length, so a child's own children follow it and are skipped).
        let mut children: Vec<IpNet> = Vec::new();
        for c in &nodes {
            if c == n || !n.contains(c) {
                continue;
            }
            if children.last().is_some_and(|l| l.contains(c)) {
                continue;
            }
            children.push(*c);
        }
        let _ = i;
        let lo = to_u128(n.network());
        let hi = to_u128(n.broadcast());
        let covered = |a: u128| {
            children
                .iter()
                .any(|c| to_u128(c.network()) <= a && a <= to_u128(c.broadcast()))
        };
        if let Some(p) = prefer {
            let pv = to_u128(p);
            if matches!(p, IpAddr::V4(_)) == v4 && lo <= pv && pv <= hi && !covered(pv) {
                out.push(AddressClass {
                    prefix: *n,
                    representative: p,
                });
                continue;
            }
        }
        // First uncovered address, preferring a host address over the network address.
        let host_start = if hi - lo >= 2 { lo + 1 } else { lo };
        let first_gap = |start: u128| -> Option<u128> {
            let mut cursor = start;
            for c in &children {
                let (cl, ch) = (to_u128(c.network()), to_u128(c.broadcast()));
                if ch < cursor {
                    continue;
                }
                if cl > cursor {
                    return Some(cursor);
                }
                if ch >= hi {
                    return None;
                }
                cursor = ch + 1;
            }
            (cursor <= hi).then_some(cursor)
        };
        if let Some(a) = first_gap(host_start).or_else(|| first_gap(lo)) {
            out.push(AddressClass {
                prefix: *n,
                representative: from_u128(a, v4),
            });
        }
    }
    out.sort_by_key(|c| to_u128(c.representative));
    out
}

/// A class of flows by protocol and destination port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceClass {
    /// A concrete protocol (never `all`).
    pub protocol: Protocol,
    /// The ports of the class (ANY for protocols without ports).
    pub ports: PortRange,
    /// The port traced for the class (0 for protocols without ports).
    pub port: u16,
}

impl ServiceClass {
    /// Whether `s` covers this class (the class lies inside `s`'s ports, which are
    /// class boundaries).
    pub fn within(&self, s: &ServiceSpec) -> bool {
        s.matches(self.protocol, self.port)
    }
}

/// A protocol number no rule names, to stand for "every other protocol" (253 is
/// reserved for experimentation, RFC 3692).
const OTHER_PROTOCOL: u8 = 253;

/// Every service class of the model, cut also at the ports of `extra`: TCP and UDP by
/// port class, ICMP, every other protocol number a rule names, and one protocol no
/// rule names (for rules written for `all`).
pub fn service_classes(m: &Model, extra: &[ServiceSpec]) -> Vec<ServiceClass> {
    let mut ranges: Vec<PortRange> = Vec::new();
    let mut numbers: BTreeSet<u8> = BTreeSet::new();
    let mut proto = |p: Protocol| {
        if let Protocol::Number(n) = p {
            numbers.insert(n);
        }
    };
    for sg in &m.security_groups {
        for r in sg.ingress.iter().chain(&sg.egress) {
            ranges.push(r.ports);
            proto(r.protocol);
        }
    }
    for a in &m.network_acls {
        for e in &a.entries {
            ranges.push(e.ports);
            proto(e.protocol);
        }
    }
    for g in &m.rule_groups {
        for r in &g.stateless_rules {
            ranges.extend(r.source_ports.iter().chain(&r.destination_ports));
            r.protocols.iter().for_each(|p| proto(*p));
        }
        for r in &g.stateful_rules {
            ranges.push(r.source_port);
            ranges.push(r.destination_port);
            proto(r.protocol);
        }
    }
    for s in extra {
        ranges.push(s.ports);
        proto(s.protocol);
    }
    let mut cuts: BTreeSet<u32> = BTreeSet::new();
    cuts.insert(0);
    for r in &ranges {
        cuts.insert(r.from as u32);
        cuts.insert(r.to as u32 + 1);
    }
    cuts.insert(65536);
    let cuts: Vec<u32> = cuts.into_iter().collect();
    let mut out = Vec::new();
    for protocol in [Protocol::Tcp, Protocol::Udp] {
        for w in cuts.windows(2) {
            let (from, to) = (w[0] as u16, (w[1] - 1) as u16);
            let port = if from == 0 && to > 0 { 1 } else { from };
            out.push(ServiceClass {
                protocol,
                ports: PortRange { from, to },
                port,
            });
        }
    }
    let other = [Protocol::Icmp, Protocol::Number(OTHER_PROTOCOL)];
    for p in other
        .into_iter()
        .chain(numbers.iter().map(|n| Protocol::from_number(*n)))
    {
        if p.has_ports() || out.iter().any(|c| c.protocol == p) {
            continue;
        }
        out.push(ServiceClass {
            protocol: p,
            ports: PortRange::ANY,
            port: 0,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    #[test]
    fn cidr_is_cut_at_inner_prefixes() {
        let ps: BTreeSet<IpNet> = [net("10.0.0.0/16"), net("10.0.1.0/24"), net("10.1.0.0/16")]
            .into_iter()
            .collect();
        let cs = address_classes(net("10.0.0.0/16"), &ps, None);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].representative, "10.0.0.1".parse::<IpAddr>().unwrap());
        assert_eq!(cs[0].prefix, net("10.0.0.0/16"));
        assert_eq!(cs[1].prefix, net("10.0.1.0/24"));
        // A selector inside a larger prefix is one class.
        let cs = address_classes(net("10.0.1.0/25"), &ps, None);
        assert_eq!(cs.len(), 1);
        // Fully covered parent: no class of its own.
        let ps: BTreeSet<IpNet> = [net("10.0.0.0/25"), net("10.0.0.128/25")]
            .into_iter()
            .collect();
        assert_eq!(address_classes(net("10.0.0.0/24"), &ps, None).len(), 2);
    }

    #[test]
    fn preferred_representative_is_used_in_its_class() {
        let ps: BTreeSet<IpNet> = [net("10.0.0.0/8")].into_iter().collect();
        let p: IpAddr = "203.0.113.10".parse().unwrap();
        let cs = address_classes(net("0.0.0.0/0"), &ps, Some(p));
        assert_eq!(cs.len(), 2);
        assert!(cs.iter().any(|c| c.representative == p));
    }

    #[test]
    fn port_classes_cut_at_rule_boundaries() {
        let m = Model::default();
        let svc: ServiceSpec = "tcp/443".parse().unwrap();
        let cs = service_classes(&m, &[svc]);
        let tcp: Vec<_> = cs.iter().filter(|c| c.protocol == Protocol::Tcp).collect();
        assert_eq!(tcp.len(), 3);
        assert_eq!(tcp.iter().filter(|c| c.within(&svc)).count(), 1);
        assert!(cs.iter().any(|c| c.protocol == Protocol::Icmp));
    }

    proptest! {
        /// Every address of the selector lies in exactly one class, and two addresses
        /// with the same most specific prefix share it.
        #[test]
        fn classes_partition_the_selector(
            raw in proptest::collection::vec((any::<u32>(), 8u8..=32), 0..12),
            probes in proptest::collection::vec(any::<u32>(), 1..20),
        ) {
            let within = net("10.0.0.0/8");
            let ps: BTreeSet<IpNet> = raw
                .iter()
                .map(|(a, l)| IpNet::V4(ipnet::Ipv4Net::new(Ipv4Addr::from((a & 0x00ff_ffff) | 0x0a00_0000), *l).unwrap()).trunc())
                .collect();
            let cs = address_classes(within, &ps, None);
            for c in &cs {
                // The representative's most specific prefix is the class prefix.
                let best = ps.iter().chain(std::iter::once(&within))
                    .filter(|p| p.contains(&c.representative) && within.contains(*p))
                    .max_by_key(|p| p.prefix_len())
                    .copied();
                prop_assert_eq!(best, Some(c.prefix));
            }
            for pr in probes {
                let a = IpAddr::V4(Ipv4Addr::from((pr & 0x00ff_ffff) | 0x0a00_0000));
                let best = ps.iter().chain(std::iter::once(&within))
                    .filter(|p| p.contains(&a) && within.contains(*p))
                    .max_by_key(|p| p.prefix_len())
                    .copied();
                prop_assert!(cs.iter().any(|c| Some(c.prefix) == best), "{} has no class", a);
            }
        }
    }
}
