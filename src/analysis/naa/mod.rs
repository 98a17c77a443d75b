//! AWS Network Access Analyzer scopes, evaluated offline on the twin.
//!
//! A scope is a list of `MatchPaths` and `ExcludePaths`
//! (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkInsightsAccessScope.html>).
//! As Network Access Analyzer reports it, a *finding* is a network path that matches
//! at least one `MatchPaths` entry and no `ExcludePaths` entry
//! (<https://docs.aws.amazon.com/vpc/latest/network-access-analyzer/what-is-network-access-analyzer.html>).
//! A path is every accepted flow between two endpoints of the model (workload ENIs,
//! on-premises and Internet address classes), one flow per service class.
//!
//! An `AccessScopePathRequest` matches a path when its `Source` matches the path's
//! source, its `Destination` the destination, and every `ThroughResources` statement
//! some resource the path passes
//! (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AccessScopePathRequest.html>).
//! A `PathStatementRequest` matches when both its `ResourceStatement` and its
//! `PacketHeaderStatement` do; within a statement every field given must match, and a
//! field matches when any of its values does. A `ResourceStatement` with both
//! `Resources` and `ResourceTypes` needs one resource that is listed and of a listed
//! type. The source of a path from the Internet is the internet gateway it enters
//! through; from on-premises, the VPN / Direct Connect attachment; from an ENI, the
//! ENI, its instance, its subnet and its VPC (the destination likewise).
//! Packet headers are matched on the flow as it leaves the source.

use crate::analysis::verify::classes::{service_classes, ServiceClass};
use crate::analysis::verify::select::{Picked, Resolver};
use crate::analysis::verify::{
    add_pair_results, AzCover, InspectionAzs, IntentResult, Status, Violation, MAX_AZ_TRIES,
};
use crate::dataplane::Dataplane;
use crate::model::policy::{
    parse_prefix, AccessScopePath, IntentKind, NaaScope, PacketHeaderStatement, PathStatement,
    ResourceStatement, ServiceSpec,
};
use crate::model::{AttachmentType, Index, Model, ObjectKind, ObjectRef, PortRange, Protocol};
use crate::sim::{trace, Endpoint, Flow, Trace, TraceOptions};
use ipnet::IpNet;

/// A resource a path touches: its AWS resource types and the keys it is known by
/// (id, ARN, name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    /// `AWS::EC2::Subnet`, …
    pub types: Vec<&'static str>,
    /// Id, ARN and name.
    pub keys: Vec<String>,
}

fn keys(name: &str, id: Option<&str>) -> Vec<String> {
    let mut v = vec![name.to_string()];
    if let Some(id) = id {
        v.push(id.to_string());
    }
    v
}

/// The resources a model object stands for (a firewall endpoint is also its firewall;
/// a VPN attachment is also a VPN connection).
pub fn object_resources(m: &Model, r: ObjectRef) -> Vec<Resource> {
    let one = |t: &'static str, name: &str, id: Option<&str>| Resource {
        types: vec![t],
        keys: keys(name, id),
    };
    match r.kind {
        ObjectKind::Vpc => {
            let o = &m.vpcs[r.index];
            vec![one("AWS::EC2::VPC", &o.name, o.id.as_deref())]
        }
        ObjectKind::Subnet => {
            let o = &m.subnets[r.index];
            vec![one("AWS::EC2::Subnet", &o.name, o.id.as_deref())]
        }
        ObjectKind::RouteTable => {
            let o = &m.route_tables[r.index];
            vec![one("AWS::EC2::RouteTable", &o.name, o.id.as_deref())]
        }
        ObjectKind::InternetGateway => {
            let o = &m.internet_gateways[r.index];
            vec![one("AWS::EC2::InternetGateway", &o.name, o.id.as_deref())]
        }
        ObjectKind::EgressOnlyInternetGateway => {
            let o = &m.egress_only_internet_gateways[r.index];
            vec![one(
                "AWS::EC2::EgressOnlyInternetGateway",
                &o.name,
                o.id.as_deref(),
            )]
        }
        ObjectKind::NatGateway => {
            let o = &m.nat_gateways[r.index];
            vec![one("AWS::EC2::NatGateway", &o.name, o.id.as_deref())]
        }
        ObjectKind::VpnGateway => {
            let o = &m.vpn_gateways[r.index];
            vec![one("AWS::EC2::VPNGateway", &o.name, o.id.as_deref())]
        }
        ObjectKind::VgwConnection => {
            let o = &m.vpn_gateways[r.index].connections[r.sub];
            let t = match o.kind {
                crate::model::ConnectionKind::Vpn => "AWS::EC2::VPNConnection",
                crate::model::ConnectionKind::DirectConnect => "AWS::DirectConnect::Gateway",
            };
            vec![one(t, &o.name, o.id.as_deref())]
        }
        ObjectKind::VpcPeeringConnection => {
            let o = &m.vpc_peering_connections[r.index];
            vec![one(
                "AWS::EC2::VPCPeeringConnection",
                &o.name,
                o.id.as_deref(),
            )]
        }
        ObjectKind::VpcEndpoint => {
            let o = &m.vpc_endpoints[r.index];
            vec![one("AWS::EC2::VPCEndpoint", &o.name, o.id.as_deref())]
        }
        ObjectKind::TransitGateway => {
            let o = &m.transit_gateways[r.index];
            vec![one("AWS::EC2::TransitGateway", &o.name, o.id.as_deref())]
        }
        ObjectKind::TransitGatewayRouteTable => {
            let o = &m.transit_gateway_route_tables[r.index];
            vec![one(
                "AWS::EC2::TransitGatewayRouteTable",
                &o.name,
                o.id.as_deref(),
            )]
        }
        ObjectKind::TransitGatewayAttachment => {
            let o = &m.transit_gateway_attachments[r.index];
            let mut types = vec!["AWS::EC2::TransitGatewayAttachment"];
            match o.attachment_type {
                AttachmentType::Vpn => types.push("AWS::EC2::VPNConnection"),
                AttachmentType::DirectConnectGateway => types.push("AWS::DirectConnect::Gateway"),
                _ => {}
            }
            vec![Resource {
                types,
                keys: keys(&o.name, o.id.as_deref()),
            }]
        }
        ObjectKind::OnPremSite => {
            let o = &m.onprem_sites[r.index];
            vec![Resource {
                types: vec![],
                keys: vec![o.name.clone(), format!("onprem:{}", o.name)],
            }]
        }
        ObjectKind::Firewall => {
            let o = &m.firewalls[r.index];
            vec![one(
                "AWS::NetworkFirewall::Firewall",
                &o.name,
                o.id.as_deref(),
            )]
        }
        ObjectKind::FirewallEndpoint => {
            let f = &m.firewalls[r.index];
            let e = &f.endpoints[r.sub];
            vec![
                one("AWS::EC2::VPCEndpoint", &e.name, e.id.as_deref()),
                one("AWS::NetworkFirewall::Firewall", &f.name, f.id.as_deref()),
            ]
        }
        ObjectKind::GatewayLoadBalancer => {
            let o = &m.gateway_load_balancers[r.index];
            vec![one(
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                &o.name,
                o.id.as_deref(),
            )]
        }
        ObjectKind::NetworkLoadBalancer => {
            let o = &m.network_load_balancers[r.index];
            vec![one(
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                &o.name,
                o.id.as_deref(),
            )]
        }
        ObjectKind::TargetGroup => {
            let o = &m.target_groups[r.index];
            vec![one(
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                &o.name,
                o.id.as_deref(),
            )]
        }
        ObjectKind::SecurityGroup => {
            let o = &m.security_groups[r.index];
            vec![one("AWS::EC2::SecurityGroup", &o.name, o.id.as_deref())]
        }
        ObjectKind::NetworkAcl => {
            let o = &m.network_acls[r.index];
            vec![one("AWS::EC2::NetworkAcl", &o.name, o.id.as_deref())]
        }
        ObjectKind::NetworkInterface => {
            let o = &m.network_interfaces[r.index];
            let mut v = vec![one("AWS::EC2::NetworkInterface", &o.name, o.id.as_deref())];
            if let Some(i) = &o.instance {
                v.push(Resource {
                    types: vec!["AWS::EC2::Instance"],
                    keys: vec![i.clone()],
                });
            }
            v
        }
        ObjectKind::Account
        | ObjectKind::PrefixList
        | ObjectKind::FirewallPolicy
        | ObjectKind::RuleGroup => Vec::new(),
    }
}

/// Whether a `Resources` entry (an id, an ARN or a name) names a resource key. An ARN
/// names a resource by its last path element (`…:firewall/inspection-firewall`).
fn key_matches(given: &str, key: &str) -> bool {
    if given == key {
        return true;
    }
    let tail = |s: &str| -> String {
        if s.starts_with("arn:") {
            s.rsplit('/').next().unwrap_or(s).to_string()
        } else {
            s.to_string()
        }
    };
    tail(given) == tail(key)
}

fn statement_matches(rs: &ResourceStatement, res: &[Resource]) -> bool {
    res.iter().any(|r| {
        (rs.resources.is_empty()
            || rs
                .resources
                .iter()
                .any(|g| r.keys.iter().any(|k| key_matches(g, k))))
            && (rs.resource_types.is_empty()
                || rs
                    .resource_types
                    .iter()
                    .any(|t| r.types.iter().any(|x| x == t)))
    }) || (rs.resources.is_empty() && rs.resource_types.is_empty())
}

/// A `PacketHeaderStatement` with its values parsed (prefix lists resolved).
#[derive(Clone, Debug, Default)]
struct Header {
    src: Vec<IpNet>,
    dst: Vec<IpNet>,
    src_pl: Option<Vec<IpNet>>,
    dst_pl: Option<Vec<IpNet>>,
    src_ports: Vec<PortRange>,
    dst_ports: Vec<PortRange>,
    protocols: Vec<Protocol>,
}

fn prefix_list_entries(m: &Model, ix: &Index, names: &[String]) -> Result<Vec<IpNet>, String> {
    let mut out = Vec::new();
    for n in names {
        let pl = ix
            .get_kind(n, ObjectKind::PrefixList)
            .ok_or_else(|| format!("no prefix list `{n}` in the model"))?;
        out.extend(m.prefix_lists[pl].entries.iter().copied());
    }
    Ok(out)
}

impl Header {
    fn parse(h: &PacketHeaderStatement, m: &Model, ix: &Index) -> Result<Header, String> {
        let addrs = |v: &[String]| -> Result<Vec<IpNet>, String> {
            v.iter().map(|a| parse_prefix(a)).collect()
        };
        let ports = |v: &[String]| -> Result<Vec<PortRange>, String> {
            v.iter().map(|a| a.parse::<PortRange>()).collect()
        };
        let pl = |v: &[String]| -> Result<Option<Vec<IpNet>>, String> {
            if v.is_empty() {
                Ok(None)
            } else {
                prefix_list_entries(m, ix, v).map(Some)
            }
        };
        Ok(Header {
            src: addrs(&h.source_addresses)?,
            dst: addrs(&h.destination_addresses)?,
            src_pl: pl(&h.source_prefix_lists)?,
            dst_pl: pl(&h.destination_prefix_lists)?,
            src_ports: ports(&h.source_ports)?,
            dst_ports: ports(&h.destination_ports)?,
            protocols: h
                .protocols
                .iter()
                .map(|p| p.parse::<Protocol>())
                .collect::<Result<_, _>>()?,
        })
    }

    fn matches(&self, f: &Flow) -> bool {
        let in_any = |v: &[IpNet], a| v.is_empty() || v.iter().any(|p| p.contains(&a));
        let port_any = |v: &[PortRange], p: u16| {
            v.is_empty() || (f.protocol.has_ports() && v.iter().any(|r| r.contains(p)))
        };
        in_any(&self.src, f.src)
            && in_any(&self.dst, f.dst)
            && self
                .src_pl
                .as_ref()
                .is_none_or(|v| v.iter().any(|p| p.contains(&f.src)))
            && self
                .dst_pl
                .as_ref()
                .is_none_or(|v| v.iter().any(|p| p.contains(&f.dst)))
            && port_any(&self.src_ports, f.src_port)
            && port_any(&self.dst_ports, f.dst_port)
            && (self.protocols.is_empty() || self.protocols.iter().any(|p| p.matches(f.protocol)))
    }

    fn prefixes(&self) -> Vec<IpNet> {
        let mut v: Vec<IpNet> = self.src.iter().chain(&self.dst).copied().collect();
        v.extend(self.src_pl.iter().flatten());
        v.extend(self.dst_pl.iter().flatten());
        v
    }
}

/// One side (`Source` or `Destination`) of a path request, parsed.
#[derive(Clone, Debug, Default)]
struct Side {
    header: Option<Header>,
    resources: Option<ResourceStatement>,
}

impl Side {
    fn parse(p: &Option<PathStatement>, m: &Model, ix: &Index) -> Result<Side, String> {
        let Some(p) = p else {
            return Ok(Side::default());
        };
        Ok(Side {
            header: p
                .packet_header_statement
                .as_ref()
                .map(|h| Header::parse(h, m, ix))
                .transpose()?,
            resources: p.resource_statement.clone(),
        })
    }

    fn header_ok(&self, f: &Flow) -> bool {
        self.header.as_ref().is_none_or(|h| h.matches(f))
    }

    fn resources_ok(&self, res: &[Resource]) -> bool {
        self.resources
            .as_ref()
            .is_none_or(|rs| statement_matches(rs, res))
    }
}

/// A parsed `AccessScopePathRequest`.
#[derive(Clone, Debug, Default)]
struct PathReq {
    source: Side,
    destination: Side,
    through: Vec<ResourceStatement>,
}

impl PathReq {
    fn parse(p: &AccessScopePath, m: &Model, ix: &Index) -> Result<PathReq, String> {
        Ok(PathReq {
            source: Side::parse(&p.source, m, ix)?,
            destination: Side::parse(&p.destination, m, ix)?,
            through: p
                .through_resources
                .iter()
                .filter_map(|t| t.resource_statement.clone())
                .collect(),
        })
    }

    /// Before tracing: can this flow match at all? (ENI sides are known in full.)
    fn may_match(
        &self,
        f: &Flow,
        src: &[Resource],
        src_full: bool,
        dst: &[Resource],
        dst_full: bool,
    ) -> bool {
        self.source.header_ok(f)
            && self.destination.header_ok(f)
            && (!src_full || self.source.resources_ok(src))
            && (!dst_full || self.destination.resources_ok(dst))
    }

    fn matches(&self, f: &Flow, path: &PathResources) -> bool {
        self.source.header_ok(f)
            && self.destination.header_ok(f)
            && self.source.resources_ok(&path.source)
            && self.destination.resources_ok(&path.destination)
            && self
                .through
                .iter()
                .all(|rs| statement_matches(rs, &path.through))
    }
}

/// The resources of a path: its source side, its destination side, everything it
/// passes.
#[derive(Clone, Debug, Default)]
pub struct PathResources {
    /// Source side.
    pub source: Vec<Resource>,
    /// Destination side.
    pub destination: Vec<Resource>,
    /// Every resource a hop names, and the inspection components.
    pub through: Vec<Resource>,
}

fn hop_ref(m: &Model, ix: &Index, name: &str, id: &str) -> Option<ObjectRef> {
    let r = ix.get(id).or_else(|| ix.name(name))?;
    if r.kind == ObjectKind::Account {
        // Accounts and VPCs may share a name; a hop is never an account.
        return crate::analysis::verify::select::find(&m.vpcs, name, |x| {
            (&x.name, x.id.as_deref())
        })
        .map(|index| ObjectRef {
            kind: ObjectKind::Vpc,
            index,
            sub: 0,
        });
    }
    Some(r)
}

/// The resources of an endpoint known without a trace (ENIs: the ENI, its instance,
/// subnet and VPC; sites: the site).
fn endpoint_resources(m: &Model, e: &Endpoint) -> (Vec<Resource>, bool) {
    match e {
        Endpoint::Interface { eni, .. } => {
            let n = &m.network_interfaces[*eni];
            let mut v = object_resources(
                m,
                ObjectRef {
                    kind: ObjectKind::NetworkInterface,
                    index: *eni,
                    sub: 0,
                },
            );
            use crate::analysis::verify::select::find;
            if let Some(s) = find(&m.subnets, &n.subnet, |x| (&x.name, x.id.as_deref())) {
                let sref = ObjectRef {
                    kind: ObjectKind::Subnet,
                    index: s,
                    sub: 0,
                };
                v.extend(object_resources(m, sref));
                if let Some(vpc) = find(&m.vpcs, &m.subnets[s].vpc, |x| (&x.name, x.id.as_deref()))
                {
                    v.extend(object_resources(
                        m,
                        ObjectRef {
                            kind: ObjectKind::Vpc,
                            index: vpc,
                            sub: 0,
                        },
                    ));
                }
            }
            (v, true)
        }
        Endpoint::OnPrem { site, .. } => (
            object_resources(
                m,
                ObjectRef {
                    kind: ObjectKind::OnPremSite,
                    index: *site,
                    sub: 0,
                },
            ),
            false,
        ),
        Endpoint::Internet { .. } => (
            vec![Resource {
                types: vec![],
                keys: vec!["internet".into()],
            }],
            false,
        ),
    }
}

/// Whether a hop's object is where outside traffic enters or leaves: an internet
/// gateway for the Internet, a VPN / DX attachment or VGW connection for a site.
fn is_edge(kind: ObjectKind, m: &Model, r: ObjectRef, internet: bool) -> bool {
    if internet {
        matches!(
            kind,
            ObjectKind::InternetGateway | ObjectKind::EgressOnlyInternetGateway
        )
    } else {
        match kind {
            ObjectKind::VgwConnection | ObjectKind::VpnGateway => true,
            ObjectKind::TransitGatewayAttachment => matches!(
                m.transit_gateway_attachments[r.index].attachment_type,
                AttachmentType::Vpn
                    | AttachmentType::DirectConnectGateway
                    | AttachmentType::Connect
            ),
            _ => false,
        }
    }
}

/// The resources of a traced path.
pub fn path_resources(
    m: &Model,
    ix: &Index,
    src: &Endpoint,
    dst: &Endpoint,
    t: &Trace,
) -> PathResources {
    let refs: Vec<ObjectRef> = t
        .hops
        .iter()
        .filter_map(|h| hop_ref(m, ix, &h.name, &h.id))
        .collect();
    let mut through: Vec<Resource> = refs.iter().flat_map(|r| object_resources(m, *r)).collect();
    for i in &t.inspected_by {
        if let Some(r) = ix.get(i) {
            through.extend(object_resources(m, r));
        }
    }
    let side = |e: &Endpoint, first: bool| -> Vec<Resource> {
        let (mut v, full) = endpoint_resources(m, e);
        if !full {
            let internet = matches!(e, Endpoint::Internet { .. });
            let edge = if first {
                refs.iter().find(|r| is_edge(r.kind, m, **r, internet))
            } else {
                refs.iter()
                    .rev()
                    .find(|r| is_edge(r.kind, m, **r, internet))
            };
            if let Some(r) = edge {
                v.extend(object_resources(m, *r));
            }
        }
        v
    };
    PathResources {
        source: side(src, true),
        destination: side(dst, false),
        through,
    }
}

/// Problems resolving a scope against a model (an unknown prefix list), in words.
pub fn scope_errors(m: &Model, scope: &NaaScope) -> Vec<String> {
    let ix = m.index();
    scope
        .match_paths
        .iter()
        .chain(&scope.exclude_paths)
        .filter_map(|p| PathReq::parse(p, m, &ix).err())
        .collect()
}

/// Check a scope: every accepted path that matches a `MatchPaths` entry and no
/// `ExcludePaths` entry is a finding (a violation of the result).
pub fn check_scope(dp: &Dataplane, m: &Model, file: &str, scope: &NaaScope) -> IntentResult {
    use rayon::prelude::*;
    let ix = m.index();
    let mut out = IntentResult {
        policy: file.to_string(),
        name: scope.name.clone(),
        kind: IntentKind::NaaScope,
        description: None,
        location: scope.pos,
        status: Status::Holds,
        flows_checked: 0,
        violation_count: 0,
        violations: Vec::new(),
        error: None,
    };
    let parse_all = |v: &[AccessScopePath]| -> Result<Vec<PathReq>, String> {
        v.iter().map(|p| PathReq::parse(p, m, &ix)).collect()
    };
    let (matches, excludes) = match (
        parse_all(&scope.match_paths),
        parse_all(&scope.exclude_paths),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            out.status = Status::Error;
            out.error = Some(e);
            return out;
        }
    };
    // Cut address and port classes also at the scope's own prefixes and ports.
    let mut extra_prefixes = Vec::new();
    let mut extra_services = Vec::new();
    for p in matches.iter().chain(&excludes) {
        for h in [&p.source.header, &p.destination.header]
            .into_iter()
            .flatten()
        {
            extra_prefixes.extend(h.prefixes());
            for r in h.dst_ports.iter().chain(&h.src_ports) {
                for protocol in [Protocol::Tcp, Protocol::Udp] {
                    extra_services.push(ServiceSpec {
                        protocol,
                        ports: *r,
                    });
                }
            }
        }
    }
    let classes: Vec<ServiceClass> = service_classes(m, &extra_services);
    let r = Resolver::new(m, &extra_prefixes);
    let mut eps: Vec<Picked> = Vec::new();
    for (i, e) in m.network_interfaces.iter().enumerate() {
        if e.role == crate::model::InterfaceRole::Workload {
            if let Some(p) = e.private_ips.first().and_then(|ip| r.at_address(*ip)) {
                if matches!(p.endpoint, Endpoint::Interface { eni, .. } if eni == i) {
                    eps.push(p);
                }
            }
        }
    }
    let enis = eps.len();
    if let Ok(v) = r.resolve(&crate::model::policy::Selector::OnPremAll) {
        eps.extend(v);
    }
    eps.extend(r.internet());
    let mut pairs = Vec::new();
    for (i, a) in eps.iter().enumerate() {
        for (j, b) in eps.iter().enumerate() {
            // Paths start or end in the AWS network: one side is an ENI.
            if i != j && (i < enis || j < enis) {
                pairs.push((a, b));
            }
        }
    }
    let opts = TraceOptions { both_ways: false };
    let azs = InspectionAzs::new(m);
    let per_pair: Vec<(usize, Vec<Violation>)> = pairs
        .par_iter()
        .map(|(a, b)| {
            let (src_res, src_full) = endpoint_resources(m, &a.endpoint);
            let mut n = 0;
            let mut v = Vec::new();
            let dsts: Vec<Endpoint> = match (&a.endpoint, &b.endpoint, b.public_ip) {
                (Endpoint::Internet { .. }, Endpoint::Interface { eni, .. }, Some(p)) => {
                    vec![Endpoint::Interface { eni: *eni, ip: p }, b.endpoint.clone()]
                }
                _ => vec![b.endpoint.clone()],
            };
            for dst in dsts {
                let (dst_res, dst_full) = endpoint_resources(m, &dst);
                for c in &classes {
                    let ports = c.protocol.has_ports();
                    let first = Flow {
                        src: a.endpoint.ip(),
                        dst: dst.ip(),
                        protocol: c.protocol,
                        src_port: if ports {
                            crate::analysis::diff::SRC_PORT
                        } else {
                            0
                        },
                        dst_port: if ports { c.port } else { 0 },
                    };
                    if !matches
                        .iter()
                        .any(|p| p.may_match(&first, &src_res, src_full, &dst_res, dst_full))
                    {
                        continue;
                    }
                    // As in intents: vary the source port until every AZ of the
                    // inspection met has been met (the TGW hashes the flow to an AZ).
                    let base = first;
                    let mut f = first;
                    let mut seen = AzCover::default();
                    let mut tries = 0;
                    loop {
                        let t = trace(dp, &a.endpoint, &dst, &f, &opts);
                        n += 1;
                        seen.add(&azs, &t);
                        let finding = if t.verdict.is_success() {
                            let path = path_resources(m, &ix, &a.endpoint, &dst, &t);
                            matches
                                .iter()
                                .position(|p| p.matches(&f, &path))
                                .filter(|_| !excludes.iter().any(|p| p.matches(&f, &path)))
                        } else {
                            None
                        };
                        if let Some(mi) = finding {
                            v.push(Violation {
                                from: a.label.clone(),
                                to: b.label.clone(),
                                flow: f,
                                problem: format!(
                            "finding: {} path matches MatchPaths[{mi}] and no ExcludePaths entry{}",
                            t.verdict.as_str(),
                            if t.inspected_by.is_empty() {
                                String::from(" (not inspected)")
                            } else {
                                format!(" (inspected by {})", t.inspected_by.join(", "))
                            }
                        ),
                                location: scope.match_pos.get(mi).copied().unwrap_or(scope.pos),
                                trace: Some(t),
                            });
                        }
                        if !ports || seen.complete(&azs) || tries >= MAX_AZ_TRIES {
                            break;
                        }
                        tries += 1;
                        f = Flow {
                            src_port: base.src_port + tries,
                            ..base
                        };
                    }
                }
            }
            (n, v)
        })
        .collect();
    add_pair_results(&mut out, per_pair);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_and_id_keys_match() {
        assert!(key_matches("igw-1", "igw-1"));
        assert!(key_matches(
            "arn:aws:network-firewall:eu-west-1:111111111111:firewall/fw",
            "fw"
        ));
        assert!(key_matches(
            "arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-1",
            "arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-1"
        ));
        assert!(!key_matches("igw-1", "igw-2"));
    }

    #[test]
    fn resource_statement_semantics() {
        let res = vec![Resource {
            types: vec!["AWS::EC2::InternetGateway"],
            keys: vec!["igw".into(), "igw-1".into()],
        }];
        let st = |r: &[&str], t: &[&str]| ResourceStatement {
            resources: r.iter().map(|s| s.to_string()).collect(),
            resource_types: t.iter().map(|s| s.to_string()).collect(),
        };
        assert!(statement_matches(
            &st(&[], &["AWS::EC2::InternetGateway"]),
            &res
        ));
        assert!(statement_matches(&st(&["igw-1"], &[]), &res));
        assert!(!statement_matches(
            &st(&["igw-1"], &["AWS::EC2::Subnet"]),
            &res
        ));
        assert!(!statement_matches(&st(&[], &["AWS::EC2::Subnet"]), &res));
        assert!(statement_matches(&st(&[], &[]), &[]));
    }

    #[test]
    fn header_matching() {
        let h = Header {
            src: vec!["10.0.0.0/8".parse().unwrap()],
            dst_ports: vec![PortRange::single(443)],
            protocols: vec![Protocol::Tcp],
            ..Header::default()
        };
        let f = Flow {
            src: "10.1.1.1".parse().unwrap(),
            dst: "192.0.2.1".parse().unwrap(),
            protocol: Protocol::Tcp,
            src_port: 49152,
            dst_port: 443,
        };
        assert!(h.matches(&f));
        assert!(!h.matches(&Flow { dst_port: 80, ..f }));
        assert!(!h.matches(&Flow {
            protocol: Protocol::Icmp,
            dst_port: 0,
            src_port: 0,
            ..f
        }));
        assert!(!h.matches(&Flow {
            src: "11.0.0.1".parse().unwrap(),
            ..f
        }));
    }
}
