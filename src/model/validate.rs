//! Semantic validation of a model: every problem at once, each with its JSON path.
//!
//! Errors are configurations AWS itself rejects (a route to a gateway of another VPC,
//! a subnet outside its VPC's CIDRs, two subnets of one VPC that overlap, a TGW
//! attachment with two subnets in one AZ, …) or references to nothing. Warnings are
//! configurations AWS accepts that usually are mistakes (a subnet in an AZ where its
//! VPC's TGW attachment has no subnet: its traffic cannot reach the TGW).
//!
//! References are by name. Names are unique across all network objects; accounts have
//! a namespace of their own (a VPC may share its account's name).

use super::index::ObjectKind;
use super::{
    AttachmentType, Model, NatConnectivity, RouteTarget, RuleGroupType, RuleOrder, VpcEndpointType,
};
use crate::diag::{Diagnostic, Severity};
use ipnet::{IpNet, Ipv4Net};
use std::collections::BTreeMap;
use std::fmt;

/// Hash maps and sets with foldhash: these are look-ups only (never iterated into the
/// output), and SipHash was a measurable part of the import (BENCHMARKS.md "Import").
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// See [`HashMap`].
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// A JSON path (`/subnets/3`), formatted only when a problem is reported: the model of
/// a large snapshot has tens of thousands of objects and almost none has a problem.
#[derive(Clone, Copy)]
struct At(&'static str, usize);

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}/{}", self.0, self.1)
    }
}

/// Where a named object is: `/coll/i`, or `/coll/i/sub/j` for firewall endpoints and
/// VGW connections.
#[derive(Clone, Copy)]
enum ObjPath {
    At(At),
    Nested(At, &'static str, usize),
}

impl fmt::Display for ObjPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjPath::At(a) => a.fmt(f),
            ObjPath::Nested(a, k, j) => write!(f, "{a}/{k}/{j}"),
        }
    }
}

/// A path below another one (`{parent}/{key}`).
#[derive(Clone, Copy)]
struct Sub<'x>(&'x dyn fmt::Display, &'static str);

impl fmt::Display for Sub<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.0, self.1)
    }
}

/// An item of a list below another path (`{parent}/{key}/{index}`).
#[derive(Clone, Copy)]
struct SubI<'x>(&'x dyn fmt::Display, &'static str, usize);

impl fmt::Display for SubI<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.0, self.1, self.2)
    }
}

use std::net::IpAddr;

/// One problem found in a model, located by JSON path (`/vpcs/3/cidrs/0`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// JSON pointer of the offending element.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// Turn into a diagnostic about `file`.
    pub fn into_diagnostic(self, file: &str) -> Diagnostic {
        Diagnostic {
            severity: self.severity,
            file: file.to_string(),
            location: self.path,
            message: self.message,
        }
    }
}

/// Check a model: dangling references, subnets outside their VPC, overlaps, duplicate
/// names, routes to targets in another VPC, attachments used from AZs without a subnet, …
///
/// Problems come in model order (deterministic); errors and warnings are mixed.
pub fn validate(m: &Model) -> Vec<Problem> {
    let mut c = Checker::new(m);
    c.names();
    c.regions();
    c.vpcs();
    c.subnets();
    c.route_tables();
    c.gateways();
    c.vpc_endpoints();
    c.transit_gateways();
    c.attachments();
    c.onprem_sites();
    c.firewalls();
    c.firewall_policies();
    c.rule_groups();
    c.gateway_load_balancers();
    c.network_load_balancers();
    c.security_groups();
    c.network_acls();
    c.network_interfaces();
    c.out
}

/// Per-kind name look-ups (first occurrence wins; duplicates are reported).
struct Checker<'a> {
    m: &'a Model,
    names: HashMap<(ObjectKind, &'a str), usize>,
    /// AWS id → (kind, name), to explain a reference written as an id.
    ids: HashMap<&'a str, (ObjectKind, &'a str)>,
    /// Every AZ name → region name.
    azs: HashMap<&'a str, &'a str>,
    /// VPC name → indices of its subnets, ascending (so per-VPC checks are not a scan of
    /// every subnet).
    subnets_of_vpc: HashMap<&'a str, Vec<usize>>,
    /// (transit gateway, VPC) of every VPC attachment.
    vpc_attached: HashSet<(&'a str, &'a str)>,
    out: Vec<Problem>,
}

/// Where a firewall endpoint lives: (firewall index, endpoint index).
type EndpointRef = (usize, usize);

impl<'a> Checker<'a> {
    fn new(m: &'a Model) -> Self {
        let mut c = Checker {
            m,
            names: HashMap::default(),
            ids: HashMap::default(),
            azs: HashMap::default(),
            subnets_of_vpc: HashMap::default(),
            vpc_attached: HashSet::default(),
            out: Vec::new(),
        };
        for a in &m.transit_gateway_attachments {
            if let (AttachmentType::Vpc, Some(v)) = (a.attachment_type, a.vpc.as_deref()) {
                c.vpc_attached.insert((a.transit_gateway.as_str(), v));
            }
        }
        for (i, sn) in m.subnets.iter().enumerate() {
            c.subnets_of_vpc.entry(sn.vpc.as_str()).or_default().push(i);
        }
        let objects = c.all_objects();
        c.names.reserve(objects.len());
        c.ids.reserve(objects.len());
        for (_, kind, i, name, id) in objects {
            c.names.entry((kind, name)).or_insert(i);
            if let Some(id) = id {
                c.ids.entry(id).or_insert((kind, name));
            }
        }
        for r in &m.regions {
            for az in &r.availability_zones {
                c.azs.entry(az.as_str()).or_insert(r.name.as_str());
            }
        }
        c
    }

    fn err(&mut self, path: impl fmt::Display, msg: impl Into<String>) {
        self.out.push(Problem {
            severity: Severity::Error,
            path: path.to_string(),
            message: msg.into(),
        });
    }

    fn warn(&mut self, path: impl fmt::Display, msg: impl Into<String>) {
        self.out.push(Problem {
            severity: Severity::Warning,
            path: path.to_string(),
            message: msg.into(),
        });
    }

    /// Every named object: (JSON path, kind, index, name, id). Firewall endpoints and
    /// VGW connections carry their own path; their index is the parent's.
    fn all_objects(&self) -> Vec<(ObjPath, ObjectKind, usize, &'a str, Option<&'a str>)> {
        let m = self.m;
        let mut v = Vec::new();
        macro_rules! add {
            ($coll:ident, $kind:expr) => {
                for (i, o) in m.$coll.iter().enumerate() {
                    v.push((
                        ObjPath::At(At(stringify!($coll), i)),
                        $kind,
                        i,
                        o.name.as_str(),
                        o.id.as_deref(),
                    ));
                }
            };
        }
        add!(accounts, ObjectKind::Account);
        add!(vpcs, ObjectKind::Vpc);
        add!(subnets, ObjectKind::Subnet);
        add!(route_tables, ObjectKind::RouteTable);
        add!(internet_gateways, ObjectKind::InternetGateway);
        add!(
            egress_only_internet_gateways,
            ObjectKind::EgressOnlyInternetGateway
        );
        add!(nat_gateways, ObjectKind::NatGateway);
        add!(vpn_gateways, ObjectKind::VpnGateway);
        add!(vpc_peering_connections, ObjectKind::VpcPeeringConnection);
        add!(prefix_lists, ObjectKind::PrefixList);
        add!(vpc_endpoints, ObjectKind::VpcEndpoint);
        add!(transit_gateways, ObjectKind::TransitGateway);
        add!(
            transit_gateway_route_tables,
            ObjectKind::TransitGatewayRouteTable
        );
        add!(
            transit_gateway_attachments,
            ObjectKind::TransitGatewayAttachment
        );
        add!(firewalls, ObjectKind::Firewall);
        add!(firewall_policies, ObjectKind::FirewallPolicy);
        add!(rule_groups, ObjectKind::RuleGroup);
        add!(gateway_load_balancers, ObjectKind::GatewayLoadBalancer);
        add!(network_load_balancers, ObjectKind::NetworkLoadBalancer);
        add!(target_groups, ObjectKind::TargetGroup);
        add!(security_groups, ObjectKind::SecurityGroup);
        add!(network_acls, ObjectKind::NetworkAcl);
        add!(network_interfaces, ObjectKind::NetworkInterface);
        for (i, s) in m.onprem_sites.iter().enumerate() {
            v.push((
                ObjPath::At(At("onprem_sites", i)),
                ObjectKind::OnPremSite,
                i,
                s.name.as_str(),
                None,
            ));
        }
        for (i, g) in m.vpn_gateways.iter().enumerate() {
            for (j, c) in g.connections.iter().enumerate() {
                v.push((
                    ObjPath::Nested(At("vpn_gateways", i), "connections", j),
                    ObjectKind::VgwConnection,
                    i,
                    c.name.as_str(),
                    c.id.as_deref(),
                ));
            }
        }
        for (i, f) in m.firewalls.iter().enumerate() {
            for (j, e) in f.endpoints.iter().enumerate() {
                v.push((
                    ObjPath::Nested(At("firewalls", i), "endpoints", j),
                    ObjectKind::FirewallEndpoint,
                    i,
                    e.name.as_str(),
                    e.id.as_deref(),
                ));
            }
        }
        v
    }

    /// Resolve a reference to an object of `kind`; report it at `path` when dangling.
    fn resolve(&mut self, path: &dyn fmt::Display, name: &str, kind: ObjectKind) -> Option<usize> {
        if let Some(&i) = self.names.get(&(kind, name)) {
            return Some(i);
        }
        let msg = match self.ids.get(name) {
            Some(&(k, n)) if k == kind => format!(
                "`{name}` is the id of {} `{n}`: references use names",
                kind.label()
            ),
            _ => match self.other_kind(name) {
                Some(k) => format!("`{name}` is a {}, not a {}", k.label(), kind.label()),
                None => format!("dangling reference: no {} named `{name}`", kind.label()),
            },
        };
        self.err(path, msg);
        None
    }

    fn other_kind(&self, name: &str) -> Option<ObjectKind> {
        let mut kinds: Vec<ObjectKind> = self
            .names
            .keys()
            .filter(|(_, n)| *n == name)
            .map(|(k, _)| *k)
            .collect();
        kinds.sort();
        kinds.first().copied()
    }

    fn resolve_endpoint(&self, name: &str) -> Option<EndpointRef> {
        let &fi = self.names.get(&(ObjectKind::FirewallEndpoint, name))?;
        let j = self.m.firewalls[fi]
            .endpoints
            .iter()
            .position(|e| e.name == name)?;
        Some((fi, j))
    }

    fn vpc_of_subnet(&self, subnet: usize) -> &'a str {
        self.m.subnets[subnet].vpc.as_str()
    }

    // ----------------------------------------------------------------- names

    fn names(&mut self) {
        let objects = self.all_objects();
        let mut seen: HashMap<(bool, &str), ObjPath> =
            HashMap::with_capacity_and_hasher(objects.len(), Default::default());
        let mut seen_ids: HashMap<&str, ObjPath> =
            HashMap::with_capacity_and_hasher(objects.len(), Default::default());
        for (path, kind, i, name, id) in objects {
            if name.trim().is_empty() {
                self.err(format!("{path}/name"), "empty name");
            }
            let ns = kind == ObjectKind::Account;
            match seen.get(&(ns, name)) {
                Some(first) => {
                    let first = *first;
                    self.err(
                        format!("{path}/name"),
                        format!("duplicate name `{name}` (first used at {first})"),
                    );
                }
                None => {
                    seen.insert((ns, name), path);
                }
            }
            // The two sides of a TGW peering attachment share its AWS id.
            if let Some(id) = id.filter(|_| !self.is_peering(kind, i)) {
                match seen_ids.get(id) {
                    Some(first) => {
                        let first = *first;
                        self.err(
                            format!("{path}/id"),
                            format!("duplicate id `{id}` (first used at {first})"),
                        );
                    }
                    None => {
                        seen_ids.insert(id, path);
                    }
                }
            }
        }
    }

    /// Whether object `i` of `kind` is a TGW peering attachment.
    fn is_peering(&self, kind: ObjectKind, i: usize) -> bool {
        kind == ObjectKind::TransitGatewayAttachment
            && self
                .m
                .transit_gateway_attachments
                .get(i)
                .is_some_and(|a| a.attachment_type == AttachmentType::Peering)
    }

    fn regions(&mut self) {
        let m = self.m;
        let mut seen: HashMap<&str, usize> = HashMap::default();
        let mut az_seen: HashMap<&str, usize> = HashMap::default();
        for (i, r) in m.regions.iter().enumerate() {
            if let Some(f) = seen.insert(r.name.as_str(), i) {
                self.err(
                    format!("/regions/{i}/name"),
                    format!("duplicate region `{}` (first at /regions/{f})", r.name),
                );
            }
            for (j, az) in r.availability_zones.iter().enumerate() {
                if let Some(f) = az_seen.insert(az.as_str(), i) {
                    self.err(
                        format!("/regions/{i}/availability_zones/{j}"),
                        format!("availability zone `{az}` listed twice (also in /regions/{f})"),
                    );
                }
            }
        }
    }

    fn region(&mut self, path: &dyn fmt::Display, region: &str) {
        if !self.m.regions.iter().any(|r| r.name == region) {
            self.err(path, format!("unknown region `{region}` (not in /regions)"));
        }
    }

    // ----------------------------------------------------------------- VPCs

    fn vpcs(&mut self) {
        let m = self.m;
        for (i, v) in m.vpcs.iter().enumerate() {
            let p = At("vpcs", i);
            self.resolve(
                &format_args!("{p}/account"),
                &v.account,
                ObjectKind::Account,
            );
            self.region(&format_args!("{p}/region"), &v.region);
            if !v.cidrs.iter().any(|c| matches!(c, IpNet::V4(_))) {
                self.err(
                    format!("{p}/cidrs"),
                    "a VPC needs an IPv4 CIDR block (its primary CIDR)",
                );
            }
            for (j, c) in v.cidrs.iter().enumerate() {
                // "VPC CIDR blocks": IPv4 blocks are /16 to /28.
                // https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
                if let IpNet::V4(n) = c {
                    if !(16..=28).contains(&n.prefix_len()) {
                        self.warn(
                            format!("{p}/cidrs/{j}"),
                            format!("VPC CIDR {c} is not between /16 and /28 as AWS requires"),
                        );
                    }
                }
                if c.network() != c.addr() {
                    self.warn(
                        format!("{p}/cidrs/{j}"),
                        format!("CIDR {c} has host bits set (network is {})", c.trunc()),
                    );
                }
                for (k, d) in v.cidrs.iter().enumerate().take(j) {
                    if overlaps(c, d) {
                        self.err(
                            format!("{p}/cidrs/{j}"),
                            format!("CIDR {c} overlaps the VPC's CIDR {d} (/cidrs/{k})"),
                        );
                    }
                }
            }
        }
    }

    fn subnets(&mut self) {
        let m = self.m;
        // Per VPC: (cidr, subnet index) for the overlap check.
        let mut per_vpc: BTreeMap<&str, Vec<(Ipv4Net, usize)>> = BTreeMap::new();
        for (i, s) in m.subnets.iter().enumerate() {
            let p = At("subnets", i);
            if s.cidr.network() != s.cidr.addr() {
                self.warn(
                    format!("{p}/cidr"),
                    format!(
                        "CIDR {} has host bits set (network is {})",
                        s.cidr,
                        s.cidr.trunc()
                    ),
                );
            }
            if !(16..=28).contains(&s.cidr.prefix_len()) {
                self.warn(
                    format!("{p}/cidr"),
                    format!("subnet CIDR {} is not between /16 and /28", s.cidr),
                );
            }
            let Some(vi) = self.resolve(&format_args!("{p}/vpc"), &s.vpc, ObjectKind::Vpc) else {
                continue;
            };
            let vpc = &m.vpcs[vi];
            match self.azs.get(s.az.as_str()) {
                None => self.err(
                    format!("{p}/az"),
                    format!("unknown availability zone `{}` (not in /regions)", s.az),
                ),
                Some(r) if *r != vpc.region => {
                    let r = r.to_string();
                    self.err(
                        format!("{p}/az"),
                        format!(
                            "availability zone `{}` is in region {r}, but VPC `{}` is in {}",
                            s.az, vpc.name, vpc.region
                        ),
                    )
                }
                Some(_) => {}
            }
            let inside = vpc.cidrs.iter().any(|c| match c {
                IpNet::V4(c) => c.contains(&s.cidr),
                IpNet::V6(_) => false,
            });
            if !inside {
                self.err(
                    format!("{p}/cidr"),
                    format!(
                        "subnet CIDR {} is outside the CIDRs of VPC `{}` ({})",
                        s.cidr,
                        vpc.name,
                        list(&vpc.cidrs)
                    ),
                );
            }
            if let Some(v6) = &s.ipv6_cidr {
                let inside = vpc.cidrs.iter().any(|c| match c {
                    IpNet::V6(c) => c.contains(v6),
                    IpNet::V4(_) => false,
                });
                if !inside {
                    self.err(
                        format!("{p}/ipv6_cidr"),
                        format!(
                            "subnet IPv6 CIDR {v6} is outside the IPv6 CIDRs of VPC `{}`",
                            vpc.name
                        ),
                    );
                }
            }
            per_vpc
                .entry(vpc.name.as_str())
                .or_default()
                .push((s.cidr, i));
        }
        for (_, mut v) in per_vpc {
            v.sort_by_key(|(c, i)| (c.network(), c.prefix_len(), *i));
            // Sorted by start address: a subnet overlaps an earlier one iff it starts at
            // or before the furthest end seen so far.
            let mut widest: Option<(Ipv4Net, usize)> = None;
            for (c, i) in v {
                if let Some((w, wi)) = widest {
                    if c.network() <= w.broadcast() {
                        self.err(
                            format!("/subnets/{i}/cidr"),
                            format!(
                                "subnet `{}` ({c}) overlaps subnet `{}` ({w}) of the same VPC",
                                m.subnets[i].name, m.subnets[wi].name
                            ),
                        );
                        if c.broadcast() <= w.broadcast() {
                            continue;
                        }
                    }
                }
                widest = Some((c, i));
            }
        }
    }

    // ----------------------------------------------------------------- route tables

    fn route_tables(&mut self) {
        let m = self.m;
        let mut main_of: HashMap<&str, usize> = HashMap::default();
        let mut assoc_of: HashMap<&str, usize> = HashMap::default();
        let mut edge_of: HashMap<&str, usize> = HashMap::default();
        for (i, rt) in m.route_tables.iter().enumerate() {
            let p = At("route_tables", i);
            let Some(_) = self.resolve(&format_args!("{p}/vpc"), &rt.vpc, ObjectKind::Vpc) else {
                continue;
            };
            if rt.main {
                if let Some(f) = main_of.insert(rt.vpc.as_str(), i) {
                    self.err(
                        format!("{p}/main"),
                        format!(
                            "VPC `{}` has two main route tables (also /route_tables/{f})",
                            rt.vpc
                        ),
                    );
                }
            }
            for (j, sn) in rt.subnets.iter().enumerate() {
                let sp = SubI(&p, "subnets", j);
                let Some(si) = self.resolve(&sp, sn, ObjectKind::Subnet) else {
                    continue;
                };
                if self.vpc_of_subnet(si) != rt.vpc {
                    self.err(
                        sp,
                        format!(
                            "subnet `{sn}` is in VPC `{}`, not in the route table's VPC `{}`",
                            self.vpc_of_subnet(si),
                            rt.vpc
                        ),
                    );
                }
                if let Some(f) = assoc_of.insert(sn.as_str(), i) {
                    self.err(
                        sp,
                        format!(
                            "subnet `{sn}` is associated with two route tables (also `{}`); a subnet has one",
                            m.route_tables[f].name
                        ),
                    );
                }
            }
            // Gateway route tables: edge association with an IGW or VGW of the same VPC.
            // https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-tables.html
            for (j, g) in rt.edge_associations.iter().enumerate() {
                let gp = SubI(&p, "edge_associations", j);
                let gw_vpc = if let Some(&k) =
                    self.names.get(&(ObjectKind::InternetGateway, g.as_str()))
                {
                    m.internet_gateways[k].vpc.as_deref()
                } else if let Some(&k) = self.names.get(&(ObjectKind::VpnGateway, g.as_str())) {
                    m.vpn_gateways[k].vpc.as_deref()
                } else {
                    self.err(
                        gp,
                        format!(
                            "dangling reference: no internet gateway or virtual private gateway named `{g}`"
                        ),
                    );
                    continue;
                };
                if gw_vpc != Some(rt.vpc.as_str()) {
                    self.err(
                        gp,
                        format!(
                            "gateway `{g}` is not attached to the route table's VPC `{}`",
                            rt.vpc
                        ),
                    );
                }
                if let Some(f) = edge_of.insert(g.as_str(), i) {
                    self.err(
                        gp,
                        format!(
                            "gateway `{g}` has two edge associations (also `{}`)",
                            m.route_tables[f].name
                        ),
                    );
                }
            }
            for (j, g) in rt.propagating_vgws.iter().enumerate() {
                let gp = SubI(&p, "propagating_vgws", j);
                if let Some(k) = self.resolve(&gp, g, ObjectKind::VpnGateway) {
                    if m.vpn_gateways[k].vpc.as_deref() != Some(rt.vpc.as_str()) {
                        self.err(
                            gp,
                            format!(
                                "virtual private gateway `{g}` is not attached to VPC `{}`",
                                rt.vpc
                            ),
                        );
                    }
                }
            }
            let mut dests: HashMap<(Option<IpNet>, &str), usize> = HashMap::default();
            for (j, r) in rt.routes.iter().enumerate() {
                let rp = SubI(&p, "routes", j);
                match (&r.destination, &r.destination_prefix_list) {
                    (Some(_), Some(_)) | (None, None) => self.err(
                        rp,
                        "a route needs exactly one of `destination` and `destination_prefix_list`",
                    ),
                    (None, Some(pl)) => {
                        self.resolve(
                            &format_args!("{rp}/destination_prefix_list"),
                            pl,
                            ObjectKind::PrefixList,
                        );
                    }
                    (Some(_), None) => {}
                }
                // Keyed by how the destination is written: the CIDR, else the prefix
                // list's name (a name spelled like a CIDR counts as that CIDR).
                let key = match (r.destination, r.destination_prefix_list.as_deref()) {
                    (Some(d), _) => (Some(d), ""),
                    (None, Some(pl)) => match pl.parse::<IpNet>() {
                        Ok(d) if d.to_string() == pl => (Some(d), ""),
                        _ => (None, pl),
                    },
                    (None, None) => (None, ""),
                };
                if r.origin != super::RouteOrigin::Propagated {
                    if let Some(f) = dests.insert(key, j) {
                        let key = match key {
                            (Some(d), _) => d.to_string(),
                            (None, pl) => pl.to_string(),
                        };
                        self.err(
                            rp,
                            format!("route table has two routes to {key} (also /routes/{f})"),
                        );
                    }
                }
                self.route_target(&format_args!("{rp}/target"), &r.target, &rt.vpc);
            }
        }
        // Every subnet needs a route table: an explicit one, or its VPC's main table.
        for (i, s) in m.subnets.iter().enumerate() {
            if !assoc_of.contains_key(s.name.as_str())
                && !main_of.contains_key(s.vpc.as_str())
                && self.names.contains_key(&(ObjectKind::Vpc, s.vpc.as_str()))
            {
                self.warn(
                    format!("/subnets/{i}"),
                    format!(
                        "subnet `{}` has no route table (no association and VPC `{}` has no main route table): only its local traffic is modelled",
                        s.name, s.vpc
                    ),
                );
            }
        }
    }

    /// A VPC route's target must exist and belong to the route table's VPC
    /// (CreateRoute rejects gateways of other VPCs).
    fn route_target(&mut self, p: &dyn fmt::Display, t: &RouteTarget, vpc: &str) {
        let m = self.m;
        match t {
            RouteTarget::Local => {}
            RouteTarget::InternetGateway(n) => {
                if let Some(k) = self.resolve(p, n, ObjectKind::InternetGateway) {
                    let gv = m.internet_gateways[k].vpc.as_deref();
                    if gv != Some(vpc) {
                        self.err(
                            p,
                            format!(
                                "route to internet gateway `{n}`, which is {}",
                                attached(gv, vpc)
                            ),
                        );
                    }
                }
            }
            RouteTarget::EgressOnlyInternetGateway(n) => {
                if let Some(k) = self.resolve(p, n, ObjectKind::EgressOnlyInternetGateway) {
                    let gv = m.egress_only_internet_gateways[k].vpc.as_str();
                    if gv != vpc {
                        self.err(
                            p,
                            format!(
                                "route to egress-only internet gateway `{n}`, which is {}",
                                attached(Some(gv), vpc)
                            ),
                        );
                    }
                }
            }
            RouteTarget::NatGateway(n) => {
                if let Some(k) = self.resolve(p, n, ObjectKind::NatGateway) {
                    let sn = m.nat_gateways[k].subnet.as_str();
                    if let Some(&si) = self.names.get(&(ObjectKind::Subnet, sn)) {
                        let nv = self.vpc_of_subnet(si);
                        if nv != vpc {
                            self.err(p, format!("route to NAT gateway `{n}` of VPC `{nv}`, not of this route table's VPC `{vpc}`"));
                        }
                    }
                }
            }
            RouteTarget::VpnGateway(n) => {
                if let Some(k) = self.resolve(p, n, ObjectKind::VpnGateway) {
                    let gv = m.vpn_gateways[k].vpc.as_deref();
                    if gv != Some(vpc) {
                        self.err(
                            p,
                            format!(
                                "route to virtual private gateway `{n}`, which is {}",
                                attached(gv, vpc)
                            ),
                        );
                    }
                }
            }
            RouteTarget::TransitGateway(n) => {
                if let Some(k) = self.resolve(p, n, ObjectKind::TransitGateway) {
                    let tgw = m.transit_gateways[k].name.as_str();
                    let attached = self.vpc_attached.contains(&(tgw, vpc));
                    if !attached {
                        self.warn(p, format!("route to transit gateway `{n}`, but VPC `{vpc}` has no attachment to it: the traffic is dropped"));
                    }
                }
            }
            RouteTarget::VpcPeeringConnection(n) => {
                if let Some(k) = self.resolve(p, n, ObjectKind::VpcPeeringConnection) {
                    let pc = &m.vpc_peering_connections[k];
                    if pc.requester_vpc != vpc && pc.accepter_vpc != vpc {
                        self.err(p, format!("route to peering connection `{n}` between `{}` and `{}`, neither of which is this route table's VPC `{vpc}`", pc.requester_vpc, pc.accepter_vpc));
                    }
                }
            }
            RouteTarget::NetworkInterface(n) => {
                if let Some(k) = self.resolve(p, n, ObjectKind::NetworkInterface) {
                    let sn = m.network_interfaces[k].subnet.as_str();
                    if let Some(&si) = self.names.get(&(ObjectKind::Subnet, sn)) {
                        let ev = self.vpc_of_subnet(si);
                        if ev != vpc {
                            self.err(p, format!("route to network interface `{n}` in VPC `{ev}`, not in this route table's VPC `{vpc}`"));
                        }
                    }
                }
            }
            RouteTarget::VpcEndpoint(n) => {
                if let Some((fi, _)) = self.resolve_endpoint(n) {
                    let fv = m.firewalls[fi].vpc.as_str();
                    if fv != vpc {
                        self.err(p, format!("route to firewall endpoint `{n}` of VPC `{fv}`, not of this route table's VPC `{vpc}`"));
                    }
                } else if let Some(&k) = self.names.get(&(ObjectKind::VpcEndpoint, n.as_str())) {
                    let e = &m.vpc_endpoints[k];
                    if e.vpc != vpc {
                        self.err(p, format!("route to VPC endpoint `{n}` of VPC `{}`, not of this route table's VPC `{vpc}`", e.vpc));
                    }
                    if e.endpoint_type == VpcEndpointType::Interface {
                        self.err(p, format!("route to interface endpoint `{n}`: only Gateway Load Balancer, Network Firewall and gateway endpoints are route targets"));
                    }
                } else {
                    self.err(
                        p,
                        format!(
                            "dangling reference: no VPC endpoint or firewall endpoint named `{n}`"
                        ),
                    );
                }
            }
        }
    }

    // ----------------------------------------------------------------- gateways

    fn gateways(&mut self) {
        let m = self.m;
        let mut igw_of: HashMap<&str, usize> = HashMap::default();
        for (i, g) in m.internet_gateways.iter().enumerate() {
            if let Some(v) = &g.vpc {
                let p = format!("/internet_gateways/{i}/vpc");
                if self.resolve(&p, v, ObjectKind::Vpc).is_some() {
                    if let Some(f) = igw_of.insert(v.as_str(), i) {
                        self.err(p, format!("VPC `{v}` has two internet gateways (also `{}`); a VPC has at most one", m.internet_gateways[f].name));
                    }
                }
            }
        }
        for (i, g) in m.egress_only_internet_gateways.iter().enumerate() {
            self.resolve(
                &format_args!("/egress_only_internet_gateways/{i}/vpc"),
                &g.vpc,
                ObjectKind::Vpc,
            );
        }
        for (i, n) in m.nat_gateways.iter().enumerate() {
            let p = At("nat_gateways", i);
            if let Some(si) =
                self.resolve(&format_args!("{p}/subnet"), &n.subnet, ObjectKind::Subnet)
            {
                let s = &m.subnets[si];
                if !s.cidr.contains(&n.private_ip) {
                    self.err(
                        format!("{p}/private_ip"),
                        format!(
                            "private IP {} is outside subnet `{}` ({})",
                            n.private_ip, s.name, s.cidr
                        ),
                    );
                }
            }
            match (n.connectivity, n.public_ip) {
                (NatConnectivity::Public, None) => {
                    self.warn(p, "public NAT gateway without an Elastic IP (`public_ip`)")
                }
                (NatConnectivity::Private, Some(_)) => self.warn(
                    format!("{p}/public_ip"),
                    "a private NAT gateway has no Elastic IP",
                ),
                _ => {}
            }
        }
        let mut vgw_of: HashMap<&str, usize> = HashMap::default();
        for (i, g) in m.vpn_gateways.iter().enumerate() {
            let p = At("vpn_gateways", i);
            if let Some(v) = &g.vpc {
                if self
                    .resolve(&format_args!("{p}/vpc"), v, ObjectKind::Vpc)
                    .is_some()
                {
                    if let Some(f) = vgw_of.insert(v.as_str(), i) {
                        self.err(
                            format!("{p}/vpc"),
                            format!(
                                "VPC `{v}` has two virtual private gateways (also `{}`)",
                                m.vpn_gateways[f].name
                            ),
                        );
                    }
                }
            }
            for (j, c) in g.connections.iter().enumerate() {
                self.resolve(
                    &format_args!("{p}/connections/{j}/site"),
                    &c.site,
                    ObjectKind::OnPremSite,
                );
            }
        }
        for (i, pc) in m.vpc_peering_connections.iter().enumerate() {
            let p = At("vpc_peering_connections", i);
            let a = self.resolve(
                &format_args!("{p}/requester_vpc"),
                &pc.requester_vpc,
                ObjectKind::Vpc,
            );
            let b = self.resolve(
                &format_args!("{p}/accepter_vpc"),
                &pc.accepter_vpc,
                ObjectKind::Vpc,
            );
            if let (Some(a), Some(b)) = (a, b) {
                if a == b {
                    self.err(p, "a VPC cannot peer with itself");
                    continue;
                }
                // "You cannot create a VPC peering connection between VPCs that have
                // matching or overlapping IPv4 CIDR blocks."
                // https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html
                let (va, vb) = (&m.vpcs[a], &m.vpcs[b]);
                for c in &va.cidrs {
                    for d in &vb.cidrs {
                        if matches!(c, IpNet::V4(_)) && overlaps(c, d) {
                            self.err(
                                p,
                                format!(
                                    "peered VPCs `{}` ({c}) and `{}` ({d}) overlap",
                                    va.name, vb.name
                                ),
                            );
                        }
                    }
                }
            }
        }
    }

    fn vpc_endpoints(&mut self) {
        let m = self.m;
        for (i, e) in m.vpc_endpoints.iter().enumerate() {
            let p = At("vpc_endpoints", i);
            self.resolve(&format_args!("{p}/vpc"), &e.vpc, ObjectKind::Vpc);
            let subnet = match &e.subnet {
                Some(sn) => self.subnet_in_vpc(&format_args!("{p}/subnet"), sn, &e.vpc),
                None => None,
            };
            match e.endpoint_type {
                VpcEndpointType::GatewayLoadBalancer => {
                    if e.subnet.is_none() {
                        self.err(p, "a Gateway Load Balancer endpoint needs a `subnet`");
                    }
                    match &e.gateway_load_balancer {
                        Some(g) => {
                            self.resolve(
                                &format_args!("{p}/gateway_load_balancer"),
                                g,
                                ObjectKind::GatewayLoadBalancer,
                            );
                        }
                        None => self.err(
                            p,
                            "a Gateway Load Balancer endpoint needs a `gateway_load_balancer`",
                        ),
                    }
                }
                VpcEndpointType::Interface => {}
                VpcEndpointType::Gateway => {
                    if let Some(pl) = &e.prefix_list {
                        self.resolve(&format_args!("{p}/prefix_list"), pl, ObjectKind::PrefixList);
                    }
                }
            }
            if let Some(si) = subnet {
                let s = &m.subnets[si];
                for (j, ip) in e.private_ips.iter().enumerate() {
                    if let IpAddr::V4(a) = ip {
                        if !s.cidr.contains(a) {
                            self.err(
                                format!("{p}/private_ips/{j}"),
                                format!("address {ip} is outside subnet `{}` ({})", s.name, s.cidr),
                            );
                        }
                    }
                }
            }
        }
    }

    /// Resolve a subnet and require it to be in `vpc`.
    fn subnet_in_vpc(&mut self, p: &dyn fmt::Display, sn: &str, vpc: &str) -> Option<usize> {
        let si = self.resolve(p, sn, ObjectKind::Subnet)?;
        let sv = self.vpc_of_subnet(si);
        if sv != vpc {
            self.err(p, format!("subnet `{sn}` is in VPC `{sv}`, not in `{vpc}`"));
        }
        Some(si)
    }

    // ----------------------------------------------------------------- transit gateways

    fn transit_gateways(&mut self) {
        let m = self.m;
        for (i, t) in m.transit_gateways.iter().enumerate() {
            let p = At("transit_gateways", i);
            self.resolve(
                &format_args!("{p}/account"),
                &t.account,
                ObjectKind::Account,
            );
            self.region(&format_args!("{p}/region"), &t.region);
            if let Some(d) = &t.default_route_table {
                let dp = Sub(&p, "default_route_table");
                if let Some(k) = self.resolve(&dp, d, ObjectKind::TransitGatewayRouteTable) {
                    if m.transit_gateway_route_tables[k].transit_gateway != t.name {
                        self.err(
                            dp,
                            format!("route table `{d}` belongs to another transit gateway"),
                        );
                    }
                }
            }
        }
        for (i, rt) in m.transit_gateway_route_tables.iter().enumerate() {
            let p = At("transit_gateway_route_tables", i);
            self.resolve(
                &format_args!("{p}/transit_gateway"),
                &rt.transit_gateway,
                ObjectKind::TransitGateway,
            );
            let mut dests: HashMap<IpNet, usize> = HashMap::default();
            for (j, r) in rt.routes.iter().enumerate() {
                let rp = SubI(&p, "routes", j);
                if let Some(f) = dests.insert(r.destination, j) {
                    self.err(
                        rp,
                        format!("two static routes to {} (also /routes/{f})", r.destination),
                    );
                }
                self.tgw_route_target(
                    &rp,
                    r.attachment.as_deref(),
                    r.blackhole,
                    &rt.transit_gateway,
                );
            }
            for (j, r) in rt.prefix_list_references.iter().enumerate() {
                let rp = SubI(&p, "prefix_list_references", j);
                self.resolve(
                    &format_args!("{rp}/prefix_list"),
                    &r.prefix_list,
                    ObjectKind::PrefixList,
                );
                self.tgw_route_target(
                    &rp,
                    r.attachment.as_deref(),
                    r.blackhole,
                    &rt.transit_gateway,
                );
            }
        }
    }

    fn tgw_route_target(
        &mut self,
        rp: &dyn fmt::Display,
        att: Option<&str>,
        blackhole: bool,
        tgw: &str,
    ) {
        match (att, blackhole) {
            (Some(_), true) => self.err(rp, "a blackhole route has no `attachment`"),
            (None, false) => self.err(rp, "a route needs an `attachment` or `blackhole: true`"),
            (None, true) => {}
            (Some(a), false) => {
                let ap = Sub(&rp, "attachment");
                if let Some(k) = self.resolve(&ap, a, ObjectKind::TransitGatewayAttachment) {
                    let at = &self.m.transit_gateway_attachments[k].transit_gateway;
                    if at != tgw {
                        self.err(
                            ap,
                            format!("attachment `{a}` is on transit gateway `{at}`, not `{tgw}`"),
                        );
                    }
                }
            }
        }
    }

    fn attachments(&mut self) {
        let m = self.m;
        for (i, a) in m.transit_gateway_attachments.iter().enumerate() {
            let p = At("transit_gateway_attachments", i);
            let tgw = self.resolve(
                &format_args!("{p}/transit_gateway"),
                &a.transit_gateway,
                ObjectKind::TransitGateway,
            );
            if let Some(acc) = &a.account {
                self.resolve(&format_args!("{p}/account"), acc, ObjectKind::Account);
            }
            let ty = a.attachment_type;
            let want = |f: &str| -> bool {
                match f {
                    "vpc" | "subnets" | "appliance_mode" => ty == AttachmentType::Vpc,
                    "site" | "advertised_prefixes" => matches!(
                        ty,
                        AttachmentType::Vpn
                            | AttachmentType::DirectConnectGateway
                            | AttachmentType::Connect
                    ),
                    "peer_transit_gateway" => ty == AttachmentType::Peering,
                    "transport_attachment" => ty == AttachmentType::Connect,
                    _ => true,
                }
            };
            let present = [
                ("vpc", a.vpc.is_some()),
                ("subnets", !a.subnets.is_empty()),
                ("appliance_mode", a.appliance_mode),
                ("site", a.site.is_some()),
                ("advertised_prefixes", !a.advertised_prefixes.is_empty()),
                ("peer_transit_gateway", a.peer_transit_gateway.is_some()),
                ("transport_attachment", a.transport_attachment.is_some()),
            ];
            for (f, set) in present {
                if set && !want(f) {
                    self.warn(
                        format!("{p}/{f}"),
                        format!(
                            "`{f}` does not apply to a {} attachment and is ignored",
                            type_label(ty)
                        ),
                    );
                }
            }
            match ty {
                AttachmentType::Vpc => self.vpc_attachment(&p, i, tgw),
                AttachmentType::Vpn | AttachmentType::DirectConnectGateway => match &a.site {
                    Some(s) => {
                        self.resolve(&format_args!("{p}/site"), s, ObjectKind::OnPremSite);
                    }
                    None => self.warn(p, format!("{} attachment without an on-premises `site`: nothing is reachable through it", type_label(ty))),
                },
                AttachmentType::Connect => {
                    if let Some(s) = &a.site {
                        self.resolve(&format_args!("{p}/site"), s, ObjectKind::OnPremSite);
                    }
                    match &a.transport_attachment {
                        Some(t) => {
                            let tp = Sub(&p, "transport_attachment");
                            if let Some(k) = self.resolve(&tp, t, ObjectKind::TransitGatewayAttachment) {
                                let ta = &m.transit_gateway_attachments[k];
                                if ta.transit_gateway != a.transit_gateway {
                                    self.err(tp, format!("transport attachment `{t}` is on another transit gateway"));
                                }
                                if !matches!(ta.attachment_type, AttachmentType::Vpc | AttachmentType::DirectConnectGateway) {
                                    self.err(tp, "a Connect attachment's transport is a VPC or Direct Connect gateway attachment");
                                }
                            }
                        }
                        None => self.err(p, "a Connect attachment needs a `transport_attachment`"),
                    }
                }
                AttachmentType::Peering => match &a.peer_transit_gateway {
                    Some(t) => {
                        let tp = Sub(&p, "peer_transit_gateway");
                        if self.resolve(&tp, t, ObjectKind::TransitGateway).is_some() && *t == a.transit_gateway {
                            self.err(tp, "a transit gateway cannot peer with itself");
                        }
                    }
                    None => self.warn(p, "peering attachment without a `peer_transit_gateway`: nothing is reachable through it"),
                },
            }
            // Association (at most one, by construction) and propagations: route
            // tables of the attachment's own transit gateway.
            if let Some(r) = &a.association {
                self.own_tgw_table(
                    &format_args!("{p}/association"),
                    r,
                    &a.transit_gateway,
                    "associated with",
                );
            }
            let mut seen = HashSet::default();
            for (j, r) in a.propagations.iter().enumerate() {
                let rp = SubI(&p, "propagations", j);
                if !seen.insert(r.as_str()) {
                    self.warn(rp, format!("propagation to `{r}` listed twice"));
                }
                self.own_tgw_table(&rp, r, &a.transit_gateway, "propagating to");
                if ty == AttachmentType::Peering {
                    self.warn(
                        rp,
                        "peering attachments do not propagate routes (use static routes)",
                    );
                }
            }
        }
    }

    fn own_tgw_table(&mut self, p: &dyn fmt::Display, rt: &str, tgw: &str, what: &str) {
        if let Some(k) = self.resolve(p, rt, ObjectKind::TransitGatewayRouteTable) {
            let owner = &self.m.transit_gateway_route_tables[k].transit_gateway;
            if owner != tgw {
                self.err(p, format!("attachment on transit gateway `{tgw}` {what} route table `{rt}` of another transit gateway `{owner}`"));
            }
        }
    }

    fn vpc_attachment(&mut self, p: &dyn fmt::Display, i: usize, tgw: Option<usize>) {
        let m = self.m;
        let a = &m.transit_gateway_attachments[i];
        let Some(vpc) = &a.vpc else {
            self.err(p, "a VPC attachment needs a `vpc`");
            return;
        };
        let Some(vi) = self.resolve(&format_args!("{p}/vpc"), vpc, ObjectKind::Vpc) else {
            return;
        };
        if let Some(t) = tgw {
            let (tr, vr) = (&m.transit_gateways[t].region, &m.vpcs[vi].region);
            if tr != vr {
                self.err(format!("{p}/vpc"), format!("VPC `{vpc}` is in {vr}, transit gateway `{}` in {tr}: attachments are regional", a.transit_gateway));
            }
        }
        if a.subnets.is_empty() {
            self.err(
                format!("{p}/subnets"),
                "a VPC attachment needs one subnet per Availability Zone it serves",
            );
        }
        // "You can select one subnet per Availability Zone."
        // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
        let mut az_of: HashMap<&str, &str> = HashMap::default();
        for (j, sn) in a.subnets.iter().enumerate() {
            let sp = SubI(&p, "subnets", j);
            if let Some(si) = self.subnet_in_vpc(&sp, sn, vpc) {
                let az = m.subnets[si].az.as_str();
                if let Some(other) = az_of.insert(az, sn.as_str()) {
                    self.err(sp, format!("two subnets in {az} (`{other}` and `{sn}`): a VPC attachment has one subnet per Availability Zone"));
                }
            }
        }
        if !a.available || az_of.is_empty() {
            return;
        }
        // A subnet whose route table sends traffic to this TGW, in an AZ where the
        // attachment has no subnet, cannot reach the TGW: "resources in Availability
        // Zones where there is no transit gateway attachment cannot reach the transit
        // gateway" (tgw-vpc-attachments.html).
        let in_vpc = self.subnets_of_vpc.get(vpc.as_str()).cloned();
        for si in in_vpc.into_iter().flatten() {
            let s = &m.subnets[si];
            if az_of.contains_key(s.az.as_str()) {
                continue;
            }
            let Some(rt) = m.subnet_route_table(si) else {
                continue;
            };
            let uses = m.route_tables[rt].routes.iter().any(
                |r| matches!(&r.target, RouteTarget::TransitGateway(t) if *t == a.transit_gateway),
            );
            if uses {
                self.warn(
                    format!("/subnets/{si}"),
                    format!("subnet `{}` routes to transit gateway `{}` from {}, where attachment `{}` has no subnet: that traffic is dropped", s.name, a.transit_gateway, s.az, a.name),
                );
            }
        }
    }

    fn onprem_sites(&mut self) {
        for (i, s) in self.m.onprem_sites.iter().enumerate() {
            if s.prefixes.is_empty() {
                self.warn(
                    format!("/onprem_sites/{i}/prefixes"),
                    format!("on-premises site `{}` advertises no prefixes", s.name),
                );
            }
        }
    }

    // ----------------------------------------------------------------- inspection

    fn firewalls(&mut self) {
        let m = self.m;
        for (i, f) in m.firewalls.iter().enumerate() {
            let p = At("firewalls", i);
            self.resolve(&format_args!("{p}/vpc"), &f.vpc, ObjectKind::Vpc);
            self.resolve(
                &format_args!("{p}/policy"),
                &f.policy,
                ObjectKind::FirewallPolicy,
            );
            if f.endpoints.is_empty() {
                self.warn(
                    format!("{p}/endpoints"),
                    format!(
                        "firewall `{}` has no endpoints: no traffic can reach it",
                        f.name
                    ),
                );
            }
            // One endpoint per Availability Zone (one firewall subnet per AZ).
            // https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-high-level-steps.html
            let mut az_of: HashMap<&str, &str> = HashMap::default();
            for (j, e) in f.endpoints.iter().enumerate() {
                let sp = format!("{p}/endpoints/{j}/subnet");
                if let Some(si) = self.subnet_in_vpc(&sp, &e.subnet, &f.vpc) {
                    let az = m.subnets[si].az.as_str();
                    if let Some(other) = az_of.insert(az, e.name.as_str()) {
                        self.err(
                            &sp,
                            format!(
                                "firewall `{}` has two endpoints in {az} (`{other}` and `{}`)",
                                f.name, e.name
                            ),
                        );
                    }
                }
            }
        }
    }

    fn firewall_policies(&mut self) {
        let m = self.m;
        for (i, fp) in m.firewall_policies.iter().enumerate() {
            let p = At("firewall_policies", i);
            let std = ["aws:pass", "aws:drop", "aws:forward_to_sfe"];
            if fp.stateless_default_actions.is_empty() {
                self.err(format!("{p}/stateless_default_actions"), "a policy needs stateless default actions (`aws:forward_to_sfe` to use the stateful rule groups)");
            }
            for (key, acts) in [
                ("stateless_default_actions", &fp.stateless_default_actions),
                (
                    "stateless_fragment_default_actions",
                    &fp.stateless_fragment_default_actions,
                ),
            ] {
                let n = acts.iter().filter(|a| std.contains(&a.as_str())).count();
                if !acts.is_empty() && n != 1 {
                    self.err(format!("{p}/{key}"), format!("exactly one of aws:pass, aws:drop, aws:forward_to_sfe is required (found {n})"));
                }
            }
            let mut prios: HashMap<u32, usize> = HashMap::default();
            for (j, r) in fp.stateless_rule_groups.iter().enumerate() {
                let rp = SubI(&p, "stateless_rule_groups", j);
                self.rule_group_ref(&rp, &r.rule_group, RuleGroupType::Stateless);
                match r.priority {
                    None => self.err(rp, "a stateless rule group reference needs a `priority`"),
                    Some(pr) => {
                        if let Some(f) = prios.insert(pr, j) {
                            self.err(
                                format!("{rp}/priority"),
                                format!(
                                    "priority {pr} used twice (also /stateless_rule_groups/{f})"
                                ),
                            );
                        }
                    }
                }
            }
            let strict = fp.stateful_rule_order == RuleOrder::StrictOrder;
            let mut prios: HashMap<u32, usize> = HashMap::default();
            for (j, r) in fp.stateful_rule_groups.iter().enumerate() {
                let rp = SubI(&p, "stateful_rule_groups", j);
                self.rule_group_ref(&rp, &r.rule_group, RuleGroupType::Stateful);
                match (strict, r.priority) {
                    (true, None) => self.err(
                        rp,
                        "with STRICT_ORDER every stateful rule group reference needs a `priority`",
                    ),
                    (true, Some(pr)) => {
                        if let Some(f) = prios.insert(pr, j) {
                            self.err(
                                format!("{rp}/priority"),
                                format!(
                                    "priority {pr} used twice (also /stateful_rule_groups/{f})"
                                ),
                            );
                        }
                    }
                    (false, Some(_)) => self.warn(
                        format!("{rp}/priority"),
                        "priorities of stateful rule groups apply only with STRICT_ORDER; ignored",
                    ),
                    (false, None) => {}
                }
            }
            if !strict && !fp.stateful_default_actions.is_empty() {
                self.warn(
                    format!("{p}/stateful_default_actions"),
                    "stateful default actions apply only with STRICT_ORDER; ignored",
                );
            }
            let known = [
                "aws:drop_strict",
                "aws:drop_established",
                "aws:alert_strict",
                "aws:alert_established",
            ];
            for (j, a) in fp.stateful_default_actions.iter().enumerate() {
                if !known.contains(&a.as_str()) {
                    self.err(
                        format!("{p}/stateful_default_actions/{j}"),
                        format!(
                            "unknown stateful default action `{a}` (expected one of {})",
                            known.join(", ")
                        ),
                    );
                }
            }
        }
    }

    fn rule_group_ref(&mut self, p: &dyn fmt::Display, name: &str, want: RuleGroupType) {
        if let Some(k) = self.resolve(&format_args!("{p}/rule_group"), name, ObjectKind::RuleGroup)
        {
            let t = self.m.rule_groups[k].group_type;
            if t != want {
                self.err(
                    format!("{p}/rule_group"),
                    format!(
                        "rule group `{name}` is {}, referenced as {}",
                        group_label(t),
                        group_label(want)
                    ),
                );
            }
        }
    }

    fn rule_groups(&mut self) {
        let m = self.m;
        for (i, g) in m.rule_groups.iter().enumerate() {
            let p = At("rule_groups", i);
            match g.group_type {
                RuleGroupType::Stateless => {
                    if !g.stateful_rules.is_empty()
                        || g.domain_list.is_some()
                        || g.rules_string.is_some()
                    {
                        self.err(p, "a STATELESS rule group holds only `stateless_rules`");
                    }
                }
                RuleGroupType::Stateful => {
                    if !g.stateless_rules.is_empty() {
                        self.err(
                            format!("{p}/stateless_rules"),
                            "a STATEFUL rule group cannot hold stateless rules",
                        );
                    }
                }
            }
            let std = ["aws:pass", "aws:drop", "aws:forward_to_sfe"];
            let mut prios: HashMap<u32, usize> = HashMap::default();
            for (j, r) in g.stateless_rules.iter().enumerate() {
                let rp = SubI(&p, "stateless_rules", j);
                if !(1..=65535).contains(&r.priority) {
                    self.err(
                        format!("{rp}/priority"),
                        format!("priority {} is outside 1-65535", r.priority),
                    );
                }
                if let Some(f) = prios.insert(r.priority, j) {
                    self.err(
                        format!("{rp}/priority"),
                        format!(
                            "priority {} used twice in the group (also /stateless_rules/{f})",
                            r.priority
                        ),
                    );
                }
                let n = r
                    .actions
                    .iter()
                    .filter(|a| std.contains(&a.as_str()))
                    .count();
                if n != 1 {
                    self.err(format!("{rp}/actions"), format!("exactly one of aws:pass, aws:drop, aws:forward_to_sfe is required (found {n})"));
                }
            }
        }
    }

    fn gateway_load_balancers(&mut self) {
        let m = self.m;
        for (i, g) in m.gateway_load_balancers.iter().enumerate() {
            let p = At("gateway_load_balancers", i);
            self.resolve(&format_args!("{p}/vpc"), &g.vpc, ObjectKind::Vpc);
            for (j, sn) in g.subnets.iter().enumerate() {
                self.subnet_in_vpc(&format_args!("{p}/subnets/{j}"), sn, &g.vpc);
            }
            for (j, a) in g.appliances.iter().enumerate() {
                self.resolve(
                    &format_args!("{p}/appliances/{j}"),
                    a,
                    ObjectKind::NetworkInterface,
                );
            }
            if g.appliances.is_empty() {
                self.warn(format!("{p}/appliances"), format!("Gateway Load Balancer `{}` has no healthy appliance: traffic sent to it is dropped", g.name));
            }
        }
    }

    /// Network Load Balancers and target groups: nodes are `load_balancer` interfaces
    /// of the load balancer's VPC, at most one per AZ ("you can enable one subnet per
    /// Availability Zone", <https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html>)
    /// and of one load balancer; listener ports unique per protocol; targets are
    /// exactly one of an interface or an address, interfaces of the group's VPC.
    fn network_load_balancers(&mut self) {
        let m = self.m;
        let mut node_of: HashMap<&str, &str> = HashMap::default();
        for (i, lb) in m.network_load_balancers.iter().enumerate() {
            let p = At("network_load_balancers", i);
            self.resolve(&format_args!("{p}/vpc"), &lb.vpc, ObjectKind::Vpc);
            let mut azs: HashMap<&str, &str> = HashMap::default();
            for (j, n) in lb.nodes.iter().enumerate() {
                let np = SubI(&p, "nodes", j);
                let Some(e) = self.resolve(&np, n, ObjectKind::NetworkInterface) else {
                    continue;
                };
                let eni = &m.network_interfaces[e];
                if eni.role != super::InterfaceRole::LoadBalancer {
                    self.err(np, format!("network interface `{n}` is a node of Network Load Balancer `{}` but its role is not `load_balancer`", lb.name));
                }
                if let Some(prev) = node_of.insert(n.as_str(), lb.name.as_str()) {
                    self.err(np, format!("network interface `{n}` is already a node of Network Load Balancer `{prev}`"));
                }
                if let Some(&si) = self.names.get(&(ObjectKind::Subnet, eni.subnet.as_str())) {
                    let sn = &m.subnets[si];
                    if sn.vpc != lb.vpc {
                        self.err(np, format!("node `{n}` is in subnet `{}` of VPC `{}`, not in the load balancer's VPC `{}`", sn.name, sn.vpc, lb.vpc));
                    }
                    if let Some(other) = azs.insert(sn.az.as_str(), n.as_str()) {
                        self.err(
                            np,
                            format!(
                                "nodes `{other}` and `{n}` are both in {}: one subnet per AZ",
                                sn.az
                            ),
                        );
                    }
                }
                if lb.scheme == super::LoadBalancerScheme::Internal && eni.public_ip.is_some() {
                    self.warn(np, format!("node `{n}` of internal Network Load Balancer `{}` has a public address", lb.name));
                }
            }
            if lb.nodes.is_empty() {
                self.err(
                    format!("{p}/nodes"),
                    format!("Network Load Balancer `{}` has no node", lb.name),
                );
            }
            let mut ports: HashMap<(u16, bool), usize> = HashMap::default();
            for (j, l) in lb.listeners.iter().enumerate() {
                let lp = SubI(&p, "listeners", j);
                if let Some(t) = self.resolve(
                    &format_args!("{lp}/target_group"),
                    &l.target_group,
                    ObjectKind::TargetGroup,
                ) {
                    let tg = &m.target_groups[t];
                    if tg.vpc != lb.vpc {
                        self.err(format!("{lp}/target_group"), format!("target group `{}` is in VPC `{}`, not in the load balancer's VPC `{}`", tg.name, tg.vpc, lb.vpc));
                    }
                }
                use super::ListenerProtocol as L;
                let transports: &[bool] = match l.protocol {
                    L::Tcp | L::Tls => &[true],
                    L::Udp => &[false],
                    L::TcpUdp => &[true, false],
                };
                for tcp in transports {
                    if let Some(prev) = ports.insert((l.port, *tcp), j) {
                        self.err(
                            lp,
                            format!(
                                "listeners {prev} and {j} both listen on {} port {}",
                                if *tcp { "TCP" } else { "UDP" },
                                l.port
                            ),
                        );
                    }
                }
            }
        }
        for (i, e) in m.network_interfaces.iter().enumerate() {
            if e.role == super::InterfaceRole::LoadBalancer
                && !node_of.contains_key(e.name.as_str())
            {
                self.warn(format!("/network_interfaces/{i}/role"), format!("interface `{}` has role `load_balancer` but is the node of no Network Load Balancer: nothing reaches its address", e.name));
            }
        }
        for (i, tg) in m.target_groups.iter().enumerate() {
            let p = At("target_groups", i);
            self.resolve(&format_args!("{p}/vpc"), &tg.vpc, ObjectKind::Vpc);
            for (j, t) in tg.targets.iter().enumerate() {
                let tp = SubI(&p, "targets", j);
                match (&t.interface, t.ip, tg.target_type) {
                    (Some(n), None, super::TargetType::Instance) => {
                        if let Some(e) = self.resolve(&format_args!("{tp}/interface"), n, ObjectKind::NetworkInterface) {
                            let eni = &m.network_interfaces[e];
                            let vpc = self.names.get(&(ObjectKind::Subnet, eni.subnet.as_str())).map(|s| m.subnets[*s].vpc.as_str());
                            if vpc.is_some_and(|v| v != tg.vpc) {
                                self.err(format!("{tp}/interface"), format!("target `{n}` is not in the target group's VPC `{}`", tg.vpc));
                            }
                        }
                    }
                    (None, Some(_), super::TargetType::Ip) => {}
                    (Some(_), None, super::TargetType::Ip) => self.err(tp, "an `ip` target group's targets are addresses (`ip`), not interfaces"),
                    (None, Some(_), super::TargetType::Instance) => self.err(tp, "an `instance` target group's targets are interfaces (`interface`), not addresses"),
                    _ => self.err(tp, "a target is exactly one of `interface` or `ip`"),
                }
            }
        }
    }

    // ----------------------------------------------------------------- filters

    fn security_groups(&mut self) {
        let m = self.m;
        for (i, g) in m.security_groups.iter().enumerate() {
            let p = At("security_groups", i);
            self.resolve(&format_args!("{p}/vpc"), &g.vpc, ObjectKind::Vpc);
            for (dir, rules) in [("ingress", &g.ingress), ("egress", &g.egress)] {
                for (j, r) in rules.iter().enumerate() {
                    let rp = SubI(&p, dir, j);
                    let peers = usize::from(r.cidr.is_some())
                        + usize::from(r.prefix_list.is_some())
                        + usize::from(r.security_group.is_some());
                    if peers != 1 {
                        self.err(rp, format!("a rule needs exactly one of `cidr`, `prefix_list`, `security_group` (found {peers})"));
                    }
                    if let Some(pl) = &r.prefix_list {
                        self.resolve(
                            &format_args!("{rp}/prefix_list"),
                            pl,
                            ObjectKind::PrefixList,
                        );
                    }
                    if let Some(sg) = &r.security_group {
                        self.resolve(
                            &format_args!("{rp}/security_group"),
                            sg,
                            ObjectKind::SecurityGroup,
                        );
                    }
                }
            }
        }
    }

    fn network_acls(&mut self) {
        let m = self.m;
        let mut default_of: HashMap<&str, usize> = HashMap::default();
        let mut assoc_of: HashMap<&str, usize> = HashMap::default();
        for (i, a) in m.network_acls.iter().enumerate() {
            let p = At("network_acls", i);
            self.resolve(&format_args!("{p}/vpc"), &a.vpc, ObjectKind::Vpc);
            if a.default {
                if let Some(f) = default_of.insert(a.vpc.as_str(), i) {
                    self.err(
                        format!("{p}/default"),
                        format!(
                            "VPC `{}` has two default network ACLs (also `{}`)",
                            a.vpc, m.network_acls[f].name
                        ),
                    );
                }
            }
            for (j, sn) in a.subnets.iter().enumerate() {
                let sp = SubI(&p, "subnets", j);
                if self.subnet_in_vpc(&sp, sn, &a.vpc).is_some() {
                    if let Some(f) = assoc_of.insert(sn.as_str(), i) {
                        self.err(sp, format!("subnet `{sn}` is associated with two network ACLs (also `{}`); a subnet has one", m.network_acls[f].name));
                    }
                }
            }
            let mut nums: HashMap<(bool, u16), usize> = HashMap::default();
            for (j, e) in a.entries.iter().enumerate() {
                let ep = SubI(&p, "entries", j);
                // Rule numbers 1-32766 ("Network ACL rules").
                if !(1..=32766).contains(&e.rule_number) {
                    self.err(
                        format!("{ep}/rule_number"),
                        format!("rule number {} is outside 1-32766", e.rule_number),
                    );
                }
                if let Some(f) = nums.insert((e.egress, e.rule_number), j) {
                    let dir = if e.egress { "outbound" } else { "inbound" };
                    self.err(
                        format!("{ep}/rule_number"),
                        format!(
                            "{dir} rule number {} used twice (also /entries/{f})",
                            e.rule_number
                        ),
                    );
                }
            }
        }
    }

    // ----------------------------------------------------------------- workloads

    fn network_interfaces(&mut self) {
        let m = self.m;
        let mut ips: HashMap<(&str, IpAddr), usize> = HashMap::default();
        let mut public: HashMap<std::net::Ipv4Addr, usize> = HashMap::default();
        for (i, e) in m.network_interfaces.iter().enumerate() {
            let p = At("network_interfaces", i);
            let subnet = self.resolve(&format_args!("{p}/subnet"), &e.subnet, ObjectKind::Subnet);
            if !e.private_ips.iter().any(|a| a.is_ipv4()) {
                self.err(
                    format!("{p}/private_ips"),
                    "a network interface needs a primary private IPv4 address",
                );
            }
            let vpc = subnet.map(|si| self.vpc_of_subnet(si));
            if let Some(si) = subnet {
                let s = &m.subnets[si];
                for (j, ip) in e.private_ips.iter().enumerate() {
                    let inside = match ip {
                        IpAddr::V4(a) => s.cidr.contains(a),
                        IpAddr::V6(a) => s.ipv6_cidr.is_some_and(|c| c.contains(a)),
                    };
                    if !inside {
                        self.err(
                            format!("{p}/private_ips/{j}"),
                            format!(
                                "address {ip} is outside subnet `{}` ({})",
                                s.name,
                                describe_subnet(s)
                            ),
                        );
                    }
                    if let Some(v) = vpc {
                        if let Some(f) = ips.insert((v, *ip), i) {
                            self.err(format!("{p}/private_ips/{j}"), format!("address {ip} is also used by network interface `{}` in VPC `{v}`", m.network_interfaces[f].name));
                        }
                    }
                }
            }
            if let Some(pub_ip) = e.public_ip {
                if let Some(f) = public.insert(pub_ip, i) {
                    self.err(
                        format!("{p}/public_ip"),
                        format!(
                            "public IP {pub_ip} is also used by network interface `{}`",
                            m.network_interfaces[f].name
                        ),
                    );
                }
            }
            for (j, sg) in e.security_groups.iter().enumerate() {
                let gp = SubI(&p, "security_groups", j);
                if let Some(k) = self.resolve(&gp, sg, ObjectKind::SecurityGroup) {
                    let gv = m.security_groups[k].vpc.as_str();
                    if let Some(v) = vpc {
                        if gv != v {
                            self.err(gp, format!("security group `{sg}` belongs to VPC `{gv}`, the interface is in `{v}`"));
                        }
                    }
                }
            }
            if e.role == super::InterfaceRole::Appliance && e.source_dest_check {
                self.warn(format!("{p}/source_dest_check"), format!("appliance `{}` has source/destination check on: it drops traffic not addressed to it", e.name));
            }
        }
    }
}

fn describe_subnet(s: &super::Subnet) -> String {
    match &s.ipv6_cidr {
        Some(v6) => format!("{}, {v6}", s.cidr),
        None => s.cidr.to_string(),
    }
}

fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    a.contains(b) || b.contains(a)
}

fn list(cidrs: &[IpNet]) -> String {
    cidrs
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn attached(gw_vpc: Option<&str>, vpc: &str) -> String {
    match gw_vpc {
        Some(v) => format!("attached to VPC `{v}`, not to this route table's VPC `{vpc}`"),
        None => format!("not attached to any VPC (this route table's VPC is `{vpc}`)"),
    }
}

fn type_label(t: AttachmentType) -> &'static str {
    match t {
        AttachmentType::Vpc => "VPC",
        AttachmentType::Vpn => "VPN",
        AttachmentType::DirectConnectGateway => "Direct Connect gateway",
        AttachmentType::Peering => "peering",
        AttachmentType::Connect => "Connect",
    }
}

fn group_label(t: RuleGroupType) -> &'static str {
    match t {
        RuleGroupType::Stateless => "STATELESS",
        RuleGroupType::Stateful => "STATEFUL",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> Model {
        serde_json::from_str(include_str!("../../scenarios/examples/minimal.json"))
            .expect("minimal example parses")
    }

    /// The problems of `m` as `severity path: message` lines.
    fn problems(m: &Model) -> Vec<String> {
        validate(m)
            .into_iter()
            .map(|p| format!("{:?} {}: {}", p.severity, p.path, p.message))
            .collect()
    }

    /// Assert exactly one problem at `path` whose message contains `needle`.
    fn expect_one(m: &Model, sev: Severity, path: &str, needle: &str) {
        let ps = validate(m);
        let hits: Vec<&Problem> = ps
            .iter()
            .filter(|p| p.path == path && p.message.contains(needle) && p.severity == sev)
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "want {sev:?} at {path} ~ {needle:?}; got {:#?}",
            ps
        );
        let errors = ps.iter().filter(|p| p.severity == Severity::Error).count();
        if sev == Severity::Error {
            assert_eq!(errors, 1, "only that error expected: {:#?}", ps);
        } else {
            assert_eq!(errors, 0, "no errors expected: {:#?}", ps);
        }
    }

    #[test]
    fn examples_are_clean() {
        assert!(
            problems(&minimal()).is_empty(),
            "{:?}",
            problems(&minimal())
        );
        let lz: Model =
            serde_json::from_str(include_str!("../../scenarios/landing-zone.json")).unwrap();
        assert!(problems(&lz).is_empty(), "{:?}", problems(&lz));
    }

    #[test]
    fn network_load_balancers() {
        let nlb = || -> Model {
            serde_json::from_str(include_str!("../../scenarios/examples/nlb.json")).unwrap()
        };
        assert!(problems(&nlb()).is_empty(), "{:?}", problems(&nlb()));
        let mut m = nlb();
        m.network_load_balancers[0].listeners[0].target_group = "nope".into();
        expect_one(
            &m,
            Severity::Error,
            "/network_load_balancers/0/listeners/0/target_group",
            "no target-group named `nope`",
        );
        let mut m = nlb();
        m.network_load_balancers[0].nodes[1] = "web-a".into();
        let ps = problems(&m);
        assert!(
            ps.iter()
                .any(|p| p.contains("/network_load_balancers/0/nodes/1")
                    && p.contains("role is not `load_balancer`")),
            "{ps:?}"
        );
        let mut m = nlb();
        m.network_load_balancers[0].nodes = vec!["web-nlb-a".into()];
        expect_one(
            &m,
            Severity::Warning,
            "/network_interfaces/1/role",
            "node of no Network Load Balancer",
        );
        let mut m = nlb();
        m.network_load_balancers[0].listeners[1].port = 80;
        expect_one(
            &m,
            Severity::Error,
            "/network_load_balancers/0/listeners/1",
            "both listen on TCP port 80",
        );
        let mut m = nlb();
        m.target_groups[1].targets[0].interface = Some("admin-a".into());
        expect_one(
            &m,
            Severity::Error,
            "/target_groups/1/targets/0",
            "exactly one of",
        );
        let mut m = nlb();
        m.target_groups[1].targets[0] = crate::model::LbTarget {
            interface: Some("admin-a".into()),
            ip: None,
            port: None,
            healthy: true,
        };
        expect_one(
            &m,
            Severity::Error,
            "/target_groups/1/targets/0",
            "targets are addresses",
        );
    }

    #[test]
    fn dangling_references_of_every_kind() {
        let mut m = minimal();
        m.route_tables[0].routes[0].target = RouteTarget::NatGateway("nope".into());
        expect_one(
            &m,
            Severity::Error,
            "/route_tables/0/routes/0/target",
            "no nat-gateway named `nope`",
        );

        let mut m = minimal();
        m.subnets[2].vpc = "ghost".into();
        let ps = problems(&m);
        assert!(
            ps.iter()
                .any(|p| p.contains("/subnets/2/vpc: dangling reference: no vpc named `ghost`")),
            "{ps:?}"
        );

        let mut m = minimal();
        m.transit_gateway_attachments[0].association = Some("hub-nowhere".into());
        expect_one(
            &m,
            Severity::Error,
            "/transit_gateway_attachments/0/association",
            "no tgw-route-table named `hub-nowhere`",
        );

        let mut m = minimal();
        m.transit_gateway_attachments[0]
            .propagations
            .push("x".into());
        expect_one(
            &m,
            Severity::Error,
            "/transit_gateway_attachments/0/propagations/1",
            "`x`",
        );

        let mut m = minimal();
        m.network_interfaces[0]
            .security_groups
            .push("sg-missing".into());
        expect_one(
            &m,
            Severity::Error,
            "/network_interfaces/0/security_groups/1",
            "no security-group named `sg-missing`",
        );

        let mut m = minimal();
        m.network_acls[0].subnets.push("app-z".into());
        expect_one(
            &m,
            Severity::Error,
            "/network_acls/0/subnets/0",
            "no subnet named `app-z`",
        );

        let mut m = minimal();
        m.transit_gateway_route_tables[0].routes[0].attachment = Some("gone".into());
        expect_one(
            &m,
            Severity::Error,
            "/transit_gateway_route_tables/0/routes/0/attachment",
            "`gone`",
        );

        let mut m = minimal();
        m.transit_gateway_attachments[2].site = Some("atlantis".into());
        expect_one(
            &m,
            Severity::Error,
            "/transit_gateway_attachments/2/site",
            "no onprem-site named `atlantis`",
        );

        // A reference of the wrong kind says what the name is.
        let mut m = minimal();
        m.route_tables[3].routes[0].target = RouteTarget::InternetGateway("hub".into());
        expect_one(
            &m,
            Severity::Error,
            "/route_tables/3/routes/0/target",
            "`hub` is a transit-gateway, not a internet-gateway",
        );

        // An id instead of a name is explained.
        let mut m = minimal();
        m.subnets[2].vpc = "vpc-0a1b2c3d4e5f60718".into();
        let ps = problems(&m);
        assert!(
            ps.iter()
                .any(|p| p.contains("is the id of vpc `app`: references use names")),
            "{ps:?}"
        );
    }

    #[test]
    fn subnet_outside_vpc_and_overlaps() {
        let mut m = minimal();
        m.subnets[3].cidr = "10.9.0.0/26".parse().unwrap();
        expect_one(
            &m,
            Severity::Error,
            "/subnets/3/cidr",
            "outside the CIDRs of VPC `app` (10.1.0.0/24)",
        );

        let mut m = minimal();
        m.subnets[3].cidr = "10.1.0.32/27".parse().unwrap();
        expect_one(
            &m,
            Severity::Error,
            "/subnets/3/cidr",
            "overlaps subnet `app-a` (10.1.0.0/26)",
        );

        let mut m = minimal();
        m.subnets[3].az = "eu-west-1z".into();
        let ps = problems(&m);
        assert!(
            ps.iter()
                .any(|p| p
                    .starts_with("Error /subnets/3/az: unknown availability zone `eu-west-1z`")),
            "{ps:?}"
        );
    }

    #[test]
    fn duplicate_names_and_ids() {
        let mut m = minimal();
        m.subnets[3].name = "app-a".into();
        let ps = problems(&m);
        assert!(
            ps.iter().any(|p| p.starts_with(
                "Error /subnets/3/name: duplicate name `app-a` (first used at /subnets/2)"
            )),
            "{ps:?}"
        );

        // Across kinds too: a route table named like a subnet.
        let mut m = minimal();
        m.route_tables[4].name = "app-b".into();
        expect_one(
            &m,
            Severity::Error,
            "/route_tables/4/name",
            "duplicate name `app-b`",
        );

        // An account may share its VPC's name (own namespace).
        let mut m = minimal();
        m.accounts[0].name = "egress".into();
        for v in &mut m.vpcs {
            if v.account == "network" {
                v.account = "egress".into();
            }
        }
        m.transit_gateways[0].account = "egress".into();
        assert!(problems(&m).is_empty(), "{:?}", problems(&m));

        let mut m = minimal();
        m.vpcs[0].id = m.vpcs[1].id.clone();
        expect_one(&m, Severity::Error, "/vpcs/1/id", "duplicate id");
    }

    #[test]
    fn routes_to_targets_of_another_vpc() {
        let mut m = minimal();
        // app-rt (VPC app) → the egress VPC's IGW.
        m.route_tables[3].routes[0].target = RouteTarget::InternetGateway("egress-igw".into());
        expect_one(
            &m,
            Severity::Error,
            "/route_tables/3/routes/0/target",
            "attached to VPC `egress`, not to this route table's VPC `app`",
        );

        let mut m = minimal();
        m.route_tables[3].routes[0].target = RouteTarget::NatGateway("egress-nat-a".into());
        expect_one(
            &m,
            Severity::Error,
            "/route_tables/3/routes/0/target",
            "NAT gateway `egress-nat-a` of VPC `egress`",
        );

        let mut m = minimal();
        m.route_tables[0].subnets.push("app-tgw-a".into());
        expect_one(
            &m,
            Severity::Error,
            "/route_tables/0/subnets/1",
            "is in VPC `app`, not in the route table's VPC `egress`",
        );
    }

    #[test]
    fn attachment_rules() {
        // A route table of another TGW.
        let mut m = minimal();
        m.transit_gateways.push(super::super::TransitGateway {
            name: "other".into(),
            id: None,
            account: "network".into(),
            region: "eu-west-1".into(),
            asn: None,
            default_route_table_association: false,
            default_route_table_propagation: false,
            default_route_table: None,
        });
        m.transit_gateway_route_tables[1].transit_gateway = "other".into();
        let ps = problems(&m);
        assert!(ps.iter().any(|p| p.starts_with("Error /transit_gateway_attachments/1/association: attachment on transit gateway `hub` associated with route table `hub-egress` of another transit gateway `other`")), "{ps:?}");

        // Two subnets in one AZ.
        let mut m = minimal();
        m.transit_gateway_attachments[0].subnets = vec!["app-tgw-a".into(), "app-a".into()];
        let ps = problems(&m);
        assert!(
            ps.iter().any(|p| p.starts_with(
                "Error /transit_gateway_attachments/0/subnets/1: two subnets in eu-west-1a"
            )),
            "{ps:?}"
        );

        // A subnet of another VPC.
        let mut m = minimal();
        m.transit_gateway_attachments[0].subnets[1] = "egress-tgw-a".into();
        let ps = problems(&m);
        assert!(ps.iter().any(|p| p.starts_with("Error /transit_gateway_attachments/0/subnets/1: subnet `egress-tgw-a` is in VPC `egress`, not in `app`")), "{ps:?}");

        // Used from an AZ without an attachment subnet: a warning (AWS accepts it).
        let mut m = minimal();
        m.transit_gateway_attachments[0].subnets.truncate(1);
        expect_one(
            &m,
            Severity::Warning,
            "/subnets/3",
            "from eu-west-1b, where attachment `app-att` has no subnet",
        );
    }

    #[test]
    fn filters_and_inspection() {
        let mut m = minimal();
        m.network_acls[0].entries[1].egress = false;
        expect_one(
            &m,
            Severity::Error,
            "/network_acls/0/entries/1/rule_number",
            "inbound rule number 100 used twice",
        );

        let mut m = minimal();
        m.security_groups[0].ingress[0].prefix_list = Some("x".into());
        let ps = problems(&m);
        assert!(
            ps.iter()
                .any(|p| p.contains("/security_groups/0/ingress/0: a rule needs exactly one of")),
            "{ps:?}"
        );

        let mut m = minimal();
        m.network_interfaces[0].private_ips = vec!["10.1.0.100".parse().unwrap()];
        expect_one(
            &m,
            Severity::Error,
            "/network_interfaces/0/private_ips/0",
            "outside subnet `app-a`",
        );

        let mut m = minimal();
        m.firewall_policies.push(super::super::FirewallPolicy {
            name: "pol".into(),
            id: None,
            stateless_default_actions: vec!["aws:forward_to_sfe".into()],
            stateless_fragment_default_actions: vec![],
            stateless_rule_groups: vec![],
            stateful_rule_groups: vec![super::super::RuleGroupReference {
                rule_group: "rg".into(),
                priority: None,
            }],
            stateful_rule_order: RuleOrder::DefaultActionOrder,
            stateful_default_actions: vec![],
        });
        m.firewalls.push(super::super::Firewall {
            name: "fw".into(),
            id: None,
            vpc: "egress".into(),
            policy: "pol".into(),
            endpoints: vec![
                super::super::FirewallEndpoint {
                    name: "fw-a".into(),
                    id: None,
                    subnet: "egress-tgw-a".into(),
                },
                super::super::FirewallEndpoint {
                    name: "fw-a2".into(),
                    id: None,
                    subnet: "egress-public-a".into(),
                },
            ],
        });
        let ps = problems(&m);
        assert!(ps.iter().any(|p| p.starts_with("Error /firewall_policies/0/stateful_rule_groups/0/rule_group: dangling reference: no rule-group named `rg`")), "{ps:?}");
        assert!(ps.iter().any(|p| p.starts_with("Error /firewalls/0/endpoints/1/subnet: firewall `fw` has two endpoints in eu-west-1a")), "{ps:?}");
        assert_eq!(ps.len(), 2, "{ps:?}");

        // A route to a firewall endpoint of another VPC.
        m.firewalls[0].endpoints.pop();
        m.firewall_policies[0].stateful_rule_groups.clear();
        m.route_tables[3].routes[0].target = RouteTarget::VpcEndpoint("fw-a".into());
        expect_one(
            &m,
            Severity::Error,
            "/route_tables/3/routes/0/target",
            "firewall endpoint `fw-a` of VPC `egress`",
        );
    }

    #[test]
    fn problems_are_deterministic_and_all_reported() {
        let mut m = minimal();
        m.subnets[2].vpc = "ghost".into();
        m.subnets[3].cidr = "10.200.0.0/26".parse().unwrap();
        m.network_interfaces[0].subnet = "nowhere".into();
        let a = problems(&m);
        let b = problems(&m.clone());
        assert_eq!(a, b);
        let errors = a.iter().filter(|p| p.starts_with("Error")).count();
        assert!(errors >= 3, "{a:?}");
    }
}
