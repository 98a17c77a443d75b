//! Compilation of the model into forwarding tables: route targets resolved to indices,
//! VPC and TGW route tables into longest-prefix-match tries with AWS's preference at
//! equal prefix, address ownership, on-prem routing, failure masks and the graph.

use super::lpm::Lpm;
use super::{Dataplane, FailureSet, Node, Shared};
use crate::model::derive::{EffectiveTgwRoute, TgwRouteKind};
use crate::model::{
    AttachmentType, ConnectionKind, Index, Model, ObjectKind, PropagationSource, RouteOrigin,
    RouteState, RouteTarget, VpcEndpointType, VpnRouting,
};
use ipnet::IpNet;
use petgraph::graph::DiGraph;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

/// Where a VPC route sends traffic, resolved to model indices.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// The VPC's local route.
    Local,
    /// An Internet gateway.
    InternetGateway(usize),
    /// An egress-only Internet gateway.
    EgressOnlyInternetGateway(usize),
    /// A NAT gateway.
    NatGateway(usize),
    /// A virtual private gateway.
    VpnGateway(usize),
    /// A Transit Gateway.
    TransitGateway(usize),
    /// A VPC peering connection.
    VpcPeeringConnection(usize),
    /// A network interface (an appliance, or an instance's primary interface).
    NetworkInterface(usize),
    /// A Network Firewall endpoint (firewall index, endpoint index).
    FirewallEndpoint(usize, usize),
    /// A Gateway Load Balancer endpoint (VPC endpoint index).
    GatewayLoadBalancerEndpoint(usize),
    /// A gateway VPC endpoint (S3, DynamoDB).
    GatewayEndpoint(usize),
    /// A target the model does not hold (the route is a blackhole, as AWS shows a route
    /// whose target was deleted).
    Missing(String),
}

/// One effective route of a VPC route table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpcRoute {
    /// Where it sends traffic.
    pub target: Target,
    /// The route is a blackhole (state `blackhole`, or its target is missing).
    pub blackhole: bool,
    /// Preference at equal prefix (lower wins): local 0, static 1, prefix list 2,
    /// propagated Direct Connect 3, VPN static 4, VPN BGP 5.
    pub rank: u8,
    /// How the route reads: `10.64.0.0/16 → tgw lz-tgw (static)`.
    pub detail: String,
}

/// One effective route of a TGW route table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TgwRoute {
    /// Target attachment; `None` = blackhole.
    pub attachment: Option<usize>,
    /// Why the route is there (its preference at equal prefix).
    pub kind: TgwRouteKind,
    /// How the route reads.
    pub detail: String,
}

/// Who holds an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    /// A network interface.
    Interface(usize),
    /// A NAT gateway.
    NatGateway(usize),
}

/// A connection from an on-premises site into AWS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SiteConnection {
    /// A TGW VPN, Direct Connect gateway or Connect attachment.
    Attachment(usize),
    /// A VPN or DX connection of a virtual private gateway (vgw index, connection index).
    Vgw(usize, usize),
}

/// A route an on-premises site learned from AWS (what AWS advertises over BGP).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteRoute {
    /// Over which connection.
    pub connection: SiteConnection,
    /// Preference at equal prefix (lower wins): Direct Connect 0, VPN 1, Connect 2.
    pub rank: u8,
    /// Connection name (for explanations).
    pub name: String,
}

fn vpc_rank(origin: RouteOrigin, prop: Option<PropagationSource>, prefix_list: bool) -> u8 {
    // "How route priority works": local first; then static > prefix list > propagated;
    // among propagated, Direct Connect BGP > VPN static > VPN BGP.
    // <https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html>
    match origin {
        RouteOrigin::Local => 0,
        RouteOrigin::Static if prefix_list => 2,
        RouteOrigin::Static => 1,
        RouteOrigin::Propagated => match prop {
            Some(PropagationSource::DirectConnect) => 3,
            Some(PropagationSource::VpnStatic) => 4,
            _ => 5,
        },
    }
}

fn target_text(m: &Model, t: &Target) -> String {
    match t {
        Target::Local => "local".into(),
        Target::InternetGateway(i) => format!("igw {}", m.internet_gateways[*i].name),
        Target::EgressOnlyInternetGateway(i) => {
            format!("eigw {}", m.egress_only_internet_gateways[*i].name)
        }
        Target::NatGateway(i) => format!("nat {}", m.nat_gateways[*i].name),
        Target::VpnGateway(i) => format!("vgw {}", m.vpn_gateways[*i].name),
        Target::TransitGateway(i) => format!("tgw {}", m.transit_gateways[*i].name),
        Target::VpcPeeringConnection(i) => format!("pcx {}", m.vpc_peering_connections[*i].name),
        Target::NetworkInterface(i) => format!("eni {}", m.network_interfaces[*i].name),
        Target::FirewallEndpoint(f, e) => {
            format!("firewall endpoint {}", m.firewalls[*f].endpoints[*e].name)
        }
        Target::GatewayLoadBalancerEndpoint(i) | Target::GatewayEndpoint(i) => {
            format!("vpce {}", m.vpc_endpoints[*i].name)
        }
        Target::Missing(n) => format!("{n} (missing)"),
    }
}

fn resolve_target(m: &Model, ix: &Index, t: &RouteTarget) -> Target {
    let kind = |n: &str, k| ix.get_kind(n, k);
    let missing = |n: &str| Target::Missing(n.to_string());
    match t {
        RouteTarget::Local => Target::Local,
        RouteTarget::InternetGateway(n) => kind(n, ObjectKind::InternetGateway)
            .map(Target::InternetGateway)
            .unwrap_or_else(|| missing(n)),
        RouteTarget::EgressOnlyInternetGateway(n) => kind(n, ObjectKind::EgressOnlyInternetGateway)
            .map(Target::EgressOnlyInternetGateway)
            .unwrap_or_else(|| missing(n)),
        RouteTarget::NatGateway(n) => kind(n, ObjectKind::NatGateway)
            .map(Target::NatGateway)
            .unwrap_or_else(|| missing(n)),
        RouteTarget::VpnGateway(n) => kind(n, ObjectKind::VpnGateway)
            .map(Target::VpnGateway)
            .unwrap_or_else(|| missing(n)),
        RouteTarget::TransitGateway(n) => kind(n, ObjectKind::TransitGateway)
            .map(Target::TransitGateway)
            .unwrap_or_else(|| missing(n)),
        RouteTarget::VpcPeeringConnection(n) => kind(n, ObjectKind::VpcPeeringConnection)
            .map(Target::VpcPeeringConnection)
            .unwrap_or_else(|| missing(n)),
        RouteTarget::NetworkInterface(n) => kind(n, ObjectKind::NetworkInterface)
            .or_else(|| {
                // An instance id/name as target: its first interface.
                m.network_interfaces
                    .iter()
                    .position(|e| e.instance.as_deref() == Some(n.as_str()))
            })
            .map(Target::NetworkInterface)
            .unwrap_or_else(|| missing(n)),
        RouteTarget::VpcEndpoint(n) => match ix
            .get_ref_kind(n, ObjectKind::FirewallEndpoint)
            .or_else(|| ix.get_ref_kind(n, ObjectKind::VpcEndpoint))
        {
            Some(r) if r.kind == ObjectKind::FirewallEndpoint => {
                Target::FirewallEndpoint(r.index, r.sub)
            }
            Some(r) if r.kind == ObjectKind::VpcEndpoint => {
                match m.vpc_endpoints[r.index].endpoint_type {
                    VpcEndpointType::GatewayLoadBalancer => {
                        Target::GatewayLoadBalancerEndpoint(r.index)
                    }
                    VpcEndpointType::Gateway => Target::GatewayEndpoint(r.index),
                    // CreateRoute: VpcEndpointId "supported for Gateway Load Balancer
                    // endpoints only"; an interface endpoint is no route target.
                    VpcEndpointType::Interface => missing(n),
                }
            }
            _ => missing(n),
        },
    }
}

pub(super) fn compile(model: &Model, failures: &FailureSet) -> Dataplane {
    let m = model;
    let ix = m.index();
    let mut warnings = Vec::new();
    let Masks {
        subnet_down,
        eni_down,
        nat_down,
        vpce_down,
        fw_endpoint_down,
        attachment_down,
        vgw_conn_down,
        nlb_down,
    } = masks(m, &ix, failures);
    let subnet_ix = |name: &str| ix.get_kind(name, ObjectKind::Subnet);

    // --- per-subnet facts ----------------------------------------------------------
    let subnet_vpc: Vec<Option<usize>> = m
        .subnets
        .iter()
        .map(|s| ix.get_kind(&s.vpc, ObjectKind::Vpc))
        .collect();
    let subnet_rt: Vec<Option<usize>> = m.subnet_route_tables();
    let subnet_nacl: Vec<Option<usize>> = m.subnet_network_acls();
    let vpc_account: Vec<Option<String>> = m.vpcs.iter().map(|v| Some(v.account.clone())).collect();
    let tgw_account: Vec<Option<String>> = m
        .transit_gateways
        .iter()
        .map(|t| Some(t.account.clone()))
        .collect();

    // --- VPC route tables ----------------------------------------------------------
    let rt_routes = vpc_route_tables(m, &ix, &vgw_conn_down, &mut warnings);

    // --- gateway (edge) route tables ------------------------------------------------
    let mut igw_edge_rt = vec![None; m.internet_gateways.len()];
    let mut vgw_edge_rt = vec![None; m.vpn_gateways.len()];
    for (ri, rt) in m.route_tables.iter().enumerate() {
        for g in &rt.edge_associations {
            let r = ix
                .get_ref_kind(g, ObjectKind::InternetGateway)
                .or_else(|| ix.get_ref_kind(g, ObjectKind::VpnGateway));
            match r.map(|r| (r.kind, r.index)) {
                Some((ObjectKind::InternetGateway, i)) => igw_edge_rt[i] = Some(ri),
                Some((ObjectKind::VpnGateway, i)) => vgw_edge_rt[i] = Some(ri),
                _ => warnings.push(format!(
                    "route table {}: edge association `{g}` is not an Internet or virtual private gateway of the model; ignored",
                    rt.name
                )),
            }
        }
    }
    let mut vpc_igw = vec![None; m.vpcs.len()];
    for (i, g) in m.internet_gateways.iter().enumerate() {
        if let Some(v) = g
            .vpc
            .as_deref()
            .and_then(|v| ix.get_kind(v, ObjectKind::Vpc))
        {
            vpc_igw[v].get_or_insert(i);
        }
    }

    // --- addresses -------------------------------------------------------------------
    let mut private_owner = HashMap::new();
    let mut public_owner = HashMap::new();
    let mut own = |map: &mut HashMap<_, _>, key, o: Owner, what: &str| {
        if let std::collections::hash_map::Entry::Vacant(v) = map.entry(key) {
            v.insert(o);
        } else {
            warnings.push(format!(
                "address {what} is held twice; the first holder is used"
            ));
        }
    };
    for (i, e) in m.network_interfaces.iter().enumerate() {
        let Some(v) = subnet_ix(&e.subnet).and_then(|s| subnet_vpc[s]) else {
            continue;
        };
        for ip in &e.private_ips {
            own(
                &mut private_owner,
                (v, *ip),
                Owner::Interface(i),
                &format!("{ip} in {}", m.vpcs[v].name),
            );
        }
        if let Some(p) = e.public_ip {
            own(
                &mut public_owner,
                (usize::MAX, IpAddr::V4(p)),
                Owner::Interface(i),
                &p.to_string(),
            );
        }
    }
    for (i, n) in m.nat_gateways.iter().enumerate() {
        let Some(v) = subnet_ix(&n.subnet).and_then(|s| subnet_vpc[s]) else {
            continue;
        };
        let ip = IpAddr::V4(n.private_ip);
        own(
            &mut private_owner,
            (v, ip),
            Owner::NatGateway(i),
            &format!("{ip} in {}", m.vpcs[v].name),
        );
        if let Some(p) = n.public_ip {
            own(
                &mut public_owner,
                (usize::MAX, IpAddr::V4(p)),
                Owner::NatGateway(i),
                &p.to_string(),
            );
        }
    }
    let public_owner: HashMap<IpAddr, Owner> = public_owner
        .into_iter()
        .map(|((_, ip), o)| (ip, o))
        .collect();

    // --- Network Load Balancers and VPN tunnel endpoints --------------------------------
    // Each node of a Network Load Balancer is a network interface of role
    // `load_balancer`; the walk hands what reaches it to the load balancer.
    let mut eni_nlb: Vec<Option<usize>> = vec![None; m.network_interfaces.len()];
    for (li, lb) in m.network_load_balancers.iter().enumerate() {
        for n in &lb.nodes {
            if let Some(e) = ix.get_kind(n, ObjectKind::NetworkInterface) {
                eni_nlb[e] = Some(li);
            }
        }
    }
    // The AWS side's tunnel outside addresses of VGW VPN connections: public addresses
    // held by the virtual private gateway ("Tunnel options for your Site-to-Site VPN
    // connection": each tunnel has an outside IP address on the AWS side,
    // <https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html>).
    let mut vgw_outside: HashMap<IpAddr, (usize, usize)> = HashMap::new();
    for (gi, g) in m.vpn_gateways.iter().enumerate() {
        for (ci, c) in g.connections.iter().enumerate() {
            for ip in &c.tunnel_outside_ips {
                let ip = IpAddr::V4(*ip);
                if public_owner.contains_key(&ip) || vgw_outside.contains_key(&ip) {
                    warnings.push(format!(
                        "address {ip} is held twice; the first holder is used"
                    ));
                    continue;
                }
                vgw_outside.insert(ip, (gi, ci));
            }
        }
    }

    // --- security group membership -------------------------------------------------
    let mut sg_members: HashMap<String, HashSet<IpAddr>> = HashMap::new();
    for e in &m.network_interfaces {
        for sg in &e.security_groups {
            let Some(si) = ix.get_kind(sg, ObjectKind::SecurityGroup) else {
                continue;
            };
            let g = &m.security_groups[si];
            for key in std::iter::once(g.name.clone()).chain(g.id.clone()) {
                sg_members
                    .entry(key)
                    .or_default()
                    .extend(e.private_ips.iter().copied());
            }
        }
    }

    // --- Transit Gateway ------------------------------------------------------------
    let vpc_attachment = vpc_attachments(m, &ix, &attachment_down);
    let attachment_assoc = attachment_associations(m, &ix);
    let attachment_azs = attachment_azs(m, &ix, &subnet_down);
    let tgw_candidates = tgw_candidates(m, &ix);
    let tgw_routes: Vec<Arc<Lpm<TgwRoute>>> = tgw_candidates
        .routes
        .iter()
        .map(|c| Arc::new(tgw_table(m, c, &attachment_down)))
        .collect();

    // --- on-premises routing: what AWS advertises to each site ----------------------
    let site_routes = site_routes(
        m,
        &ix,
        &attachment_down,
        &vgw_conn_down,
        &attachment_assoc,
        &tgw_routes,
    );

    // --- Network Firewall policies ---------------------------------------------------
    let firewall_policy: Vec<Option<usize>> = m
        .firewalls
        .iter()
        .map(|f| {
            let p = ix.get_kind(&f.policy, ObjectKind::FirewallPolicy);
            if p.is_none() {
                warnings.push(format!(
                    "firewall {}: policy `{}` is not in the model; the firewall passes everything",
                    f.name, f.policy
                ));
            }
            p
        })
        .collect();
    for g in &m.rule_groups {
        if g.domain_list.is_some() {
            warnings.push(format!(
                "rule group {}: domain-list rules are recorded but not evaluated (5-tuple rules only)",
                g.name
            ));
        }
        if g.rules_string.is_some() {
            warnings.push(format!(
                "rule group {}: Suricata rule strings are recorded but not evaluated (5-tuple rules only)",
                g.name
            ));
        }
    }

    warnings.sort();
    warnings.dedup();
    let eni_subnet: Vec<Option<usize>> = m
        .network_interfaces
        .iter()
        .map(|e| subnet_ix(&e.subnet))
        .collect();
    Dataplane {
        model: Arc::new(m.clone()),
        index: Arc::new(ix),
        failures: failures.clone(),
        graph: OnceLock::new(),
        warnings,
        subnet_rt: Shared::new(subnet_rt),
        subnet_nacl: Shared::new(subnet_nacl),
        subnet_vpc: Shared::new(subnet_vpc),
        eni_subnet: Shared::new(eni_subnet),
        subnet_down,
        eni_down,
        nat_down,
        vpce_down,
        fw_endpoint_down,
        attachment_down,
        vgw_conn_down,
        rt_routes: Shared::new(rt_routes),
        tgw_routes,
        tgw_candidates: Shared::new(tgw_candidates),
        mask_index: Shared::new(OnceLock::new()),
        igw_edge_rt: Shared::new(igw_edge_rt),
        vgw_edge_rt: Shared::new(vgw_edge_rt),
        vpc_igw: Shared::new(vpc_igw),
        private_owner: Shared::new(private_owner),
        public_owner: Shared::new(public_owner),
        vpc_attachment: Shared::new(vpc_attachment),
        attachment_assoc: Shared::new(attachment_assoc),
        attachment_azs: Shared::new(attachment_azs),
        site_routes: Shared::new(site_routes),
        sg_members: Shared::new(sg_members),
        firewall_policy: Shared::new(firewall_policy),
        vpc_account: Shared::new(vpc_account),
        tgw_account: Shared::new(tgw_account),
        eni_nlb: Shared::new(eni_nlb),
        nlb_down,
        vgw_outside: Shared::new(vgw_outside),
        watch: None,
        policy_plans: Shared::new(OnceLock::new()),
    }
}

/// `base` with `failures` failed instead of its own failures: equal to
/// [`compile`]`(base.model, failures)`. What does not depend on failures (the model, its
/// index, addresses, filters, associations, …) is shared with `base`; the failure masks
/// are computed again, and only the tables a changed mask feeds are rebuilt: the VPC
/// route tables when a VGW connection's state changes (its propagated routes), a TGW
/// route table when an attachment with a candidate route in it changes state (its
/// propagated routes withdrawn, its static routes blackholed), the attachments' AZs when
/// a subnet's state changes, and what AWS advertises on-premises when any of its inputs
/// changed.
pub(super) fn with_failures(base: &Dataplane, failures: &FailureSet) -> Dataplane {
    let m = &*base.model;
    let ix = &*base.index;
    // Built once, on the first derivation, and shared with every derived dataplane.
    let mask_index = base.mask_index.get_or_init(|| mask_index(m, ix));
    let k = masks_indexed(mask_index, failures);
    let rt_routes = if k.vgw_conn_down == base.vgw_conn_down {
        base.rt_routes.clone()
    } else {
        // Warnings do not depend on failures: `base` holds them already.
        Shared::new(vpc_route_tables(m, ix, &k.vgw_conn_down, &mut Vec::new()))
    };
    let changed: Vec<usize> = (0..k.attachment_down.len())
        .filter(|&a| k.attachment_down[a] != base.attachment_down[a])
        .collect();
    // The prefixes of each TGW route table where a candidate route changed state.
    let mut touched: BTreeMap<usize, BTreeSet<IpNet>> = BTreeMap::new();
    for &a in &changed {
        for &(t, p) in &base.tgw_candidates.of_attachment[a] {
            touched.entry(t).or_default().insert(p);
        }
    }
    let mut tgw_routes = base.tgw_routes.clone();
    for (&t, ps) in &touched {
        tgw_routes[t] = Arc::new(tgw_table_patched(
            m,
            &base.tgw_routes[t],
            &base.tgw_candidates.routes[t],
            &base.tgw_candidates.at[t],
            ps,
            &k.attachment_down,
        ));
    }
    let vpc_attachment = if changed.is_empty() {
        base.vpc_attachment.clone()
    } else {
        // The (VPC, TGW) keys of the changed attachments: each maps to its first VPC
        // attachment that is up, as `vpc_attachments` builds it.
        let keys = &mask_index.vpc_attachment_key;
        let mut map = (*base.vpc_attachment).clone();
        let affected: BTreeSet<(usize, usize)> = changed.iter().filter_map(|&a| keys[a]).collect();
        for key in affected {
            match (0..keys.len()).find(|&a| keys[a] == Some(key) && !k.attachment_down[a]) {
                Some(a) => map.insert(key, a),
                None => map.remove(&key),
            };
        }
        Shared::new(map)
    };
    let attachment_azs = if k.subnet_down == base.subnet_down {
        base.attachment_azs.clone()
    } else {
        Shared::new(attachment_azs(m, ix, &k.subnet_down))
    };
    // What AWS advertises on-premises reads the site attachments' states, their
    // associated tables and the VGW connections' states: built again when a site
    // attachment or a VGW connection changed state, else patched where an associated
    // table changed.
    let site_attachment_changed = changed
        .iter()
        .any(|&a| m.transit_gateway_attachments[a].site.is_some());
    let site_routes = if k.vgw_conn_down != base.vgw_conn_down || site_attachment_changed {
        Shared::new(site_routes(
            m,
            ix,
            &k.attachment_down,
            &k.vgw_conn_down,
            &base.attachment_assoc,
            &tgw_routes,
        ))
    } else if touched.is_empty() {
        base.site_routes.clone()
    } else {
        let ctx = SiteCtx {
            m,
            ix,
            attachment_down: &k.attachment_down,
            vgw_conn_down: &k.vgw_conn_down,
            attachment_assoc: &base.attachment_assoc,
            tgw_routes: &tgw_routes,
        };
        Shared::new(
            m.onprem_sites
                .iter()
                .enumerate()
                .map(|(si, site)| {
                    let mut ps: BTreeSet<IpNet> = BTreeSet::new();
                    for (ai, a) in m.transit_gateway_attachments.iter().enumerate() {
                        if a.site.as_deref() == Some(site.name.as_str()) {
                            if let Some(t) = base.attachment_assoc[ai].and_then(|t| touched.get(&t))
                            {
                                ps.extend(t.iter().copied());
                            }
                        }
                    }
                    let old = &base.site_routes[si];
                    if ps.is_empty() {
                        return Arc::clone(old);
                    }
                    let mut t = Lpm::clone(old);
                    for p in &ps {
                        t.remove(*p);
                    }
                    ctx.fill(&site.name, &mut t, Some(&ps));
                    Arc::new(t)
                })
                .collect(),
        )
    };
    Dataplane {
        model: Arc::clone(&base.model),
        index: Arc::clone(&base.index),
        failures: failures.clone(),
        graph: OnceLock::new(),
        warnings: base.warnings.clone(),
        subnet_rt: base.subnet_rt.clone(),
        subnet_nacl: base.subnet_nacl.clone(),
        subnet_vpc: base.subnet_vpc.clone(),
        eni_subnet: base.eni_subnet.clone(),
        subnet_down: k.subnet_down,
        eni_down: k.eni_down,
        nat_down: k.nat_down,
        vpce_down: k.vpce_down,
        fw_endpoint_down: k.fw_endpoint_down,
        attachment_down: k.attachment_down,
        vgw_conn_down: k.vgw_conn_down,
        rt_routes,
        tgw_routes,
        tgw_candidates: base.tgw_candidates.clone(),
        mask_index: base.mask_index.clone(),
        igw_edge_rt: base.igw_edge_rt.clone(),
        vgw_edge_rt: base.vgw_edge_rt.clone(),
        vpc_igw: base.vpc_igw.clone(),
        private_owner: base.private_owner.clone(),
        public_owner: base.public_owner.clone(),
        vpc_attachment,
        attachment_assoc: base.attachment_assoc.clone(),
        attachment_azs,
        site_routes,
        sg_members: base.sg_members.clone(),
        firewall_policy: base.firewall_policy.clone(),
        vpc_account: base.vpc_account.clone(),
        tgw_account: base.tgw_account.clone(),
        eni_nlb: base.eni_nlb.clone(),
        nlb_down: k.nlb_down,
        vgw_outside: base.vgw_outside.clone(),
        watch: None,
        policy_plans: base.policy_plans.clone(),
    }
}

/// The failure masks: what is down with `failures` failed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Masks {
    subnet_down: Vec<bool>,
    eni_down: Vec<bool>,
    nat_down: Vec<bool>,
    vpce_down: Vec<bool>,
    fw_endpoint_down: HashSet<(usize, usize)>,
    attachment_down: Vec<bool>,
    vgw_conn_down: HashSet<(usize, usize)>,
    nlb_down: Vec<bool>,
}

fn masks(m: &Model, ix: &Index, failures: &FailureSet) -> Masks {
    let subnet_down: Vec<bool> = m
        .subnets
        .iter()
        .map(|s| failures.failed.contains(&s.az) || failures.has(&s.name, s.id.as_deref()))
        .collect();
    let subnet_ix = |name: &str| ix.get_kind(name, ObjectKind::Subnet);
    let down_subnet = |name: &str| subnet_ix(name).map(|s| subnet_down[s]).unwrap_or(false);
    let eni_down: Vec<bool> = m
        .network_interfaces
        .iter()
        .map(|e| {
            down_subnet(&e.subnet)
                || failures.has(&e.name, e.id.as_deref())
                || e.instance
                    .as_deref()
                    .is_some_and(|i| failures.failed.contains(i))
        })
        .collect();
    let nat_down: Vec<bool> = m
        .nat_gateways
        .iter()
        .map(|n| down_subnet(&n.subnet) || failures.has(&n.name, n.id.as_deref()))
        .collect();
    let vpce_down: Vec<bool> = m
        .vpc_endpoints
        .iter()
        .map(|e| {
            e.subnet.as_deref().is_some_and(down_subnet) || failures.has(&e.name, e.id.as_deref())
        })
        .collect();
    let mut fw_endpoint_down = HashSet::new();
    for (fi, f) in m.firewalls.iter().enumerate() {
        for (ei, e) in f.endpoints.iter().enumerate() {
            if down_subnet(&e.subnet)
                || failures.has(&e.name, e.id.as_deref())
                || failures.has(&f.name, f.id.as_deref())
            {
                fw_endpoint_down.insert((fi, ei));
            }
        }
    }
    let attachment_down: Vec<bool> = m
        .transit_gateway_attachments
        .iter()
        .map(|a| !a.available || failures.has(&a.name, a.id.as_deref()))
        .collect();
    let mut vgw_conn_down = HashSet::new();
    for (gi, g) in m.vpn_gateways.iter().enumerate() {
        for (ci, c) in g.connections.iter().enumerate() {
            if failures.has(&c.name, c.id.as_deref()) || failures.has(&g.name, g.id.as_deref()) {
                vgw_conn_down.insert((gi, ci));
            }
        }
    }
    let nlb_down = m
        .network_load_balancers
        .iter()
        .map(|lb| failures.has(&lb.name, lb.id.as_deref()))
        .collect();
    Masks {
        subnet_down,
        eni_down,
        nat_down,
        vpce_down,
        fw_endpoint_down,
        attachment_down,
        vgw_conn_down,
        nlb_down,
    }
}

/// One object a failed name can take down (see [`MaskIndex`]).
#[derive(Clone, Copy, Debug)]
enum Masked {
    Subnet(usize),
    Interface(usize),
    Nat(usize),
    VpcEndpoint(usize),
    FirewallEndpoint(usize, usize),
    Firewall(usize),
    Attachment(usize),
    VgwConnection(usize, usize),
    Vgw(usize),
    LoadBalancer(usize),
}

/// The failure-independent inputs of [`masks`], indexed so that a failure set's masks
/// cost what its names touch: every name, AWS id, AZ and instance → the objects it takes
/// down directly; per subnet, what is located in it; per attachment, its (VPC, TGW) key.
#[derive(Debug)]
pub(crate) struct MaskIndex {
    by_name: HashMap<String, Vec<Masked>>,
    in_subnet: Vec<Vec<Masked>>,
    unavailable: Vec<bool>,
    firewall_endpoints: Vec<usize>,
    vgw_connections: Vec<usize>,
    vpc_attachment_key: Vec<Option<(usize, usize)>>,
    sizes: [usize; 5],
}

fn mask_index(m: &Model, ix: &Index) -> MaskIndex {
    let mut by_name: HashMap<String, Vec<Masked>> = HashMap::new();
    let mut add = |name: &str, id: Option<&str>, x: Masked| {
        by_name.entry(name.to_string()).or_default().push(x);
        if let Some(i) = id {
            by_name.entry(i.to_string()).or_default().push(x);
        }
    };
    let mut in_subnet: Vec<Vec<Masked>> = vec![Vec::new(); m.subnets.len()];
    let subnet_ix = |name: &str| ix.get_kind(name, ObjectKind::Subnet);
    for (i, s) in m.subnets.iter().enumerate() {
        add(&s.az, None, Masked::Subnet(i));
        add(&s.name, s.id.as_deref(), Masked::Subnet(i));
    }
    for (i, e) in m.network_interfaces.iter().enumerate() {
        add(&e.name, e.id.as_deref(), Masked::Interface(i));
        if let Some(inst) = e.instance.as_deref() {
            add(inst, None, Masked::Interface(i));
        }
        if let Some(s) = subnet_ix(&e.subnet) {
            in_subnet[s].push(Masked::Interface(i));
        }
    }
    for (i, n) in m.nat_gateways.iter().enumerate() {
        add(&n.name, n.id.as_deref(), Masked::Nat(i));
        if let Some(s) = subnet_ix(&n.subnet) {
            in_subnet[s].push(Masked::Nat(i));
        }
    }
    for (i, e) in m.vpc_endpoints.iter().enumerate() {
        add(&e.name, e.id.as_deref(), Masked::VpcEndpoint(i));
        if let Some(s) = e.subnet.as_deref().and_then(subnet_ix) {
            in_subnet[s].push(Masked::VpcEndpoint(i));
        }
    }
    for (fi, f) in m.firewalls.iter().enumerate() {
        add(&f.name, f.id.as_deref(), Masked::Firewall(fi));
        for (ei, e) in f.endpoints.iter().enumerate() {
            add(&e.name, e.id.as_deref(), Masked::FirewallEndpoint(fi, ei));
            if let Some(s) = subnet_ix(&e.subnet) {
                in_subnet[s].push(Masked::FirewallEndpoint(fi, ei));
            }
        }
    }
    let mut vpc_attachment_key = Vec::with_capacity(m.transit_gateway_attachments.len());
    for (i, a) in m.transit_gateway_attachments.iter().enumerate() {
        add(&a.name, a.id.as_deref(), Masked::Attachment(i));
        let key = if a.attachment_type == AttachmentType::Vpc {
            a.vpc
                .as_deref()
                .and_then(|v| ix.get_kind(v, ObjectKind::Vpc))
                .zip(ix.get_kind(&a.transit_gateway, ObjectKind::TransitGateway))
        } else {
            None
        };
        vpc_attachment_key.push(key);
    }
    for (gi, g) in m.vpn_gateways.iter().enumerate() {
        add(&g.name, g.id.as_deref(), Masked::Vgw(gi));
        for (ci, c) in g.connections.iter().enumerate() {
            add(&c.name, c.id.as_deref(), Masked::VgwConnection(gi, ci));
        }
    }
    for (i, lb) in m.network_load_balancers.iter().enumerate() {
        add(&lb.name, lb.id.as_deref(), Masked::LoadBalancer(i));
    }
    MaskIndex {
        by_name,
        in_subnet,
        unavailable: m
            .transit_gateway_attachments
            .iter()
            .map(|a| !a.available)
            .collect(),
        firewall_endpoints: m.firewalls.iter().map(|f| f.endpoints.len()).collect(),
        vgw_connections: m.vpn_gateways.iter().map(|g| g.connections.len()).collect(),
        vpc_attachment_key,
        sizes: [
            m.subnets.len(),
            m.network_interfaces.len(),
            m.nat_gateways.len(),
            m.vpc_endpoints.len(),
            m.network_load_balancers.len(),
        ],
    }
}

/// [`masks`] from the index: equal to it, at the cost of the failed names' objects.
fn masks_indexed(x: &MaskIndex, failures: &FailureSet) -> Masks {
    let [subnets, enis, nats, vpces, nlbs] = x.sizes;
    let mut k = Masks {
        subnet_down: vec![false; subnets],
        eni_down: vec![false; enis],
        nat_down: vec![false; nats],
        vpce_down: vec![false; vpces],
        fw_endpoint_down: HashSet::new(),
        attachment_down: x.unavailable.clone(),
        vgw_conn_down: HashSet::new(),
        nlb_down: vec![false; nlbs],
    };
    let mut down_subnets: Vec<usize> = Vec::new();
    for name in &failures.failed {
        for o in x.by_name.get(name).map(Vec::as_slice).unwrap_or_default() {
            down_subnets.extend(mark(x, &mut k, *o));
        }
    }
    // What is located in a failed subnet fails with it.
    for s in down_subnets {
        for o in &x.in_subnet[s] {
            mark(x, &mut k, *o);
        }
    }
    k
}

/// Mark one object down; a subnet is returned (what is in it fails with it).
fn mark(x: &MaskIndex, k: &mut Masks, o: Masked) -> Option<usize> {
    match o {
        Masked::Subnet(i) => {
            k.subnet_down[i] = true;
            return Some(i);
        }
        Masked::Interface(i) => k.eni_down[i] = true,
        Masked::Nat(i) => k.nat_down[i] = true,
        Masked::VpcEndpoint(i) => k.vpce_down[i] = true,
        Masked::FirewallEndpoint(f, e) => {
            k.fw_endpoint_down.insert((f, e));
        }
        Masked::Firewall(f) => {
            k.fw_endpoint_down
                .extend((0..x.firewall_endpoints[f]).map(|e| (f, e)));
        }
        Masked::Attachment(i) => k.attachment_down[i] = true,
        Masked::VgwConnection(g, c) => {
            k.vgw_conn_down.insert((g, c));
        }
        Masked::Vgw(g) => {
            k.vgw_conn_down
                .extend((0..x.vgw_connections[g]).map(|c| (g, c)));
        }
        Masked::LoadBalancer(i) => k.nlb_down[i] = true,
    }
    None
}

/// The VPC route tables (longest-prefix-match tries) with the VGW connections in
/// `vgw_conn_down` down (their propagated routes withdrawn).
fn vpc_route_tables(
    m: &Model,
    ix: &Index,
    vgw_conn_down: &HashSet<(usize, usize)>,
    warnings: &mut Vec<String>,
) -> Vec<Lpm<VpcRoute>> {
    let mut rt_routes = Vec::with_capacity(m.route_tables.len());
    let better = |new: &VpcRoute, old: &VpcRoute| new.rank < old.rank;
    for rt in &m.route_tables {
        let mut t: Lpm<VpcRoute> = Lpm::new();
        let vpc = ix.get_kind(&rt.vpc, ObjectKind::Vpc);
        if let Some(v) = vpc {
            // Every route table holds the local route for each VPC CIDR.
            for c in &m.vpcs[v].cidrs {
                t.insert_preferred(
                    *c,
                    VpcRoute {
                        target: Target::Local,
                        blackhole: false,
                        rank: 0,
                        detail: format!("{c} → local"),
                    },
                    better,
                );
            }
        }
        for r in &rt.routes {
            let target = resolve_target(m, ix, &r.target);
            if let Target::Missing(n) = &target {
                warnings.push(format!(
                    "route table {}: route target `{n}` is not in the model; the route is treated as a blackhole",
                    rt.name
                ));
            }
            let blackhole =
                r.state == RouteState::Blackhole || matches!(target, Target::Missing(_));
            let origin_text = match r.origin {
                RouteOrigin::Local => "local",
                RouteOrigin::Static => "static",
                RouteOrigin::Propagated => "propagated",
            };
            let mut dests: Vec<(IpNet, bool)> = Vec::new();
            if let Some(d) = r.destination {
                dests.push((d, false));
            }
            if let Some(pl) = &r.destination_prefix_list {
                match ix.get_kind(pl, ObjectKind::PrefixList) {
                    Some(p) => dests.extend(m.prefix_lists[p].entries.iter().map(|e| (*e, true))),
                    None => warnings.push(format!(
                        "route table {}: prefix list `{pl}` is not in the model; its route is ignored",
                        rt.name
                    )),
                }
            }
            for (d, via_pl) in dests {
                let rank = vpc_rank(r.origin, r.propagation, via_pl);
                let via = if via_pl {
                    format!(
                        " via {}",
                        r.destination_prefix_list.clone().unwrap_or_default()
                    )
                } else {
                    String::new()
                };
                t.insert_preferred(
                    d,
                    VpcRoute {
                        detail: format!(
                            "{d}{via} → {} ({origin_text}{})",
                            target_text(m, &target),
                            if blackhole { ", blackhole" } else { "" }
                        ),
                        target: target.clone(),
                        blackhole,
                        rank,
                    },
                    better,
                );
            }
        }
        // Route propagation from a virtual private gateway.
        for g in &rt.propagating_vgws {
            let Some(gi) = ix.get_kind(g, ObjectKind::VpnGateway) else {
                continue;
            };
            for (ci, c) in m.vpn_gateways[gi].connections.iter().enumerate() {
                if vgw_conn_down.contains(&(gi, ci)) {
                    continue;
                }
                let (rank, how) = match (c.kind, c.routing) {
                    (ConnectionKind::DirectConnect, _) => (3, "propagated dx"),
                    (ConnectionKind::Vpn, VpnRouting::Static) => (4, "propagated vpn static"),
                    (ConnectionKind::Vpn, VpnRouting::Bgp) => (5, "propagated vpn bgp"),
                };
                for p in connection_prefixes(m, &c.advertised_prefixes, &c.site) {
                    t.insert_preferred(
                        p,
                        VpcRoute {
                            target: Target::VpnGateway(gi),
                            blackhole: false,
                            rank,
                            detail: format!("{p} → vgw {} ({how} over {})", g, c.name),
                        },
                        better,
                    );
                }
            }
        }
        rt_routes.push(t);
    }
    rt_routes
}

/// The failure-independent inputs of the TGW route tables: per table, every candidate
/// route (before failed attachments are withdrawn) and, per prefix, its candidates in
/// order; per attachment, the (table, prefix) of its candidate routes.
#[derive(Debug)]
pub(crate) struct TgwCandidates {
    routes: Vec<Vec<EffectiveTgwRoute>>,
    at: Vec<HashMap<IpNet, Vec<u32>>>,
    of_attachment: Vec<Vec<(usize, IpNet)>>,
}

fn tgw_candidates(m: &Model, ix: &Index) -> TgwCandidates {
    let routes: Vec<Vec<EffectiveTgwRoute>> = (0..m.transit_gateway_route_tables.len())
        .map(|ti| m.transit_gateway_routes(ti, ix))
        .collect();
    let mut of_attachment: Vec<Vec<(usize, IpNet)>> =
        vec![Vec::new(); m.transit_gateway_attachments.len()];
    let mut at: Vec<HashMap<IpNet, Vec<u32>>> = Vec::with_capacity(routes.len());
    for (ti, rs) in routes.iter().enumerate() {
        let mut here: HashMap<IpNet, Vec<u32>> = HashMap::new();
        for (k, r) in rs.iter().enumerate() {
            let p = r.destination.trunc();
            here.entry(p).or_default().push(k as u32);
            if let Some(l) = r.attachment.and_then(|a| of_attachment.get_mut(a)) {
                l.push((ti, p));
            }
        }
        at.push(here);
    }
    TgwCandidates {
        routes,
        at,
        of_attachment,
    }
}

/// One TGW route table from its candidate routes, with the attachments in
/// `attachment_down` failed.
fn tgw_table(
    m: &Model,
    candidates: &[EffectiveTgwRoute],
    attachment_down: &[bool],
) -> Lpm<TgwRoute> {
    let mut t: Lpm<TgwRoute> = Lpm::new();
    for r in candidates {
        tgw_insert(m, &mut t, r, attachment_down);
    }
    t
}

/// `base` (a TGW route table of another failure set) with the entries at `prefixes`
/// computed again from their candidates: equal to [`tgw_table`] when only candidates at
/// those prefixes changed state.
fn tgw_table_patched(
    m: &Model,
    base: &Lpm<TgwRoute>,
    candidates: &[EffectiveTgwRoute],
    at: &HashMap<IpNet, Vec<u32>>,
    prefixes: &BTreeSet<IpNet>,
    attachment_down: &[bool],
) -> Lpm<TgwRoute> {
    let mut t = base.clone();
    for p in prefixes {
        t.remove(*p);
        // Candidates in their order, as `tgw_table` inserts them: the preference at equal
        // prefix keeps the first of the best kind.
        for &k in at.get(p).map(Vec::as_slice).unwrap_or_default() {
            tgw_insert(m, &mut t, &candidates[k as usize], attachment_down);
        }
    }
    t
}

/// Insert one candidate route into a TGW route table being built.
fn tgw_insert(m: &Model, t: &mut Lpm<TgwRoute>, r: &EffectiveTgwRoute, attachment_down: &[bool]) {
    let attachment = match r.attachment {
        Some(a) if attachment_down[a] => {
            // A propagated route leaves with its attachment; a static route to a
            // deleted/failed attachment stays as a blackhole.
            if matches!(
                r.kind,
                TgwRouteKind::Static | TgwRouteKind::PrefixListReference
            ) {
                None
            } else {
                return;
            }
        }
        a => a,
    };
    let kind_text = match r.kind {
        TgwRouteKind::Static => "static",
        TgwRouteKind::PrefixListReference => "prefix-list reference",
        TgwRouteKind::PropagatedVpc => "propagated by a VPC",
        TgwRouteKind::PropagatedDirectConnect => "propagated by Direct Connect",
        TgwRouteKind::PropagatedConnect => "propagated by Connect",
        TgwRouteKind::PropagatedVpn => "propagated by VPN",
    };
    let detail = match attachment {
        Some(a) => format!(
            "{} → {} ({kind_text})",
            r.destination, m.transit_gateway_attachments[a].name
        ),
        None => format!("{} → blackhole ({kind_text})", r.destination),
    };
    t.insert_preferred(
        r.destination,
        TgwRoute {
            attachment,
            kind: r.kind,
            detail,
        },
        |new, old| new.kind < old.kind,
    );
}

/// The VPC attachment of each (VPC, TGW) pair that is up (the first one listed).
fn vpc_attachments(
    m: &Model,
    ix: &Index,
    attachment_down: &[bool],
) -> HashMap<(usize, usize), usize> {
    let mut vpc_attachment = HashMap::new();
    for (ai, a) in m.transit_gateway_attachments.iter().enumerate() {
        if a.attachment_type != AttachmentType::Vpc || attachment_down[ai] {
            continue;
        }
        let tgw = ix.get_kind(&a.transit_gateway, ObjectKind::TransitGateway);
        if let (Some(v), Some(t)) = (
            a.vpc
                .as_deref()
                .and_then(|v| ix.get_kind(v, ObjectKind::Vpc)),
            tgw,
        ) {
            vpc_attachment.entry((v, t)).or_insert(ai);
        }
    }
    vpc_attachment
}

/// Per attachment, its AZs that are up, each with the attachment's subnet there (the
/// first by name), sorted by AZ.
fn attachment_azs(m: &Model, ix: &Index, subnet_down: &[bool]) -> Vec<Vec<(String, usize)>> {
    m.transit_gateway_attachments
        .iter()
        .map(|a| {
            let mut azs: Vec<(String, usize)> = a
                .subnets
                .iter()
                .filter_map(|s| ix.get_kind(s, ObjectKind::Subnet))
                .filter(|s| !subnet_down[*s])
                .map(|s| (m.subnets[s].az.clone(), s))
                .collect();
            azs.sort();
            azs.dedup_by(|x, y| x.0 == y.0);
            azs
        })
        .collect()
}

/// The association of each attachment: the route table for traffic arriving from it.
fn attachment_associations(m: &Model, ix: &Index) -> Vec<Option<usize>> {
    m.transit_gateway_attachments
        .iter()
        .map(|a| {
            let tgw = ix.get_kind(&a.transit_gateway, ObjectKind::TransitGateway);
            // The association decides the route table for traffic arriving from the
            // attachment; without one, the TGW's default association table if enabled.
            a.association
                .as_deref()
                .and_then(|r| ix.get_kind(r, ObjectKind::TransitGatewayRouteTable))
                .or_else(|| {
                    let t = &m.transit_gateways[tgw?];
                    if a.association.is_none() && t.default_route_table_association {
                        ix.get_kind(
                            t.default_route_table.as_deref()?,
                            ObjectKind::TransitGatewayRouteTable,
                        )
                    } else {
                        None
                    }
                })
        })
        .collect()
}

/// What AWS advertises to each on-premises site, with the given attachments and VGW
/// connections down.
fn site_routes(
    m: &Model,
    ix: &Index,
    attachment_down: &[bool],
    vgw_conn_down: &HashSet<(usize, usize)>,
    attachment_assoc: &[Option<usize>],
    tgw_routes: &[Arc<Lpm<TgwRoute>>],
) -> Vec<Arc<Lpm<SiteRoute>>> {
    let ctx = SiteCtx {
        m,
        ix,
        attachment_down,
        vgw_conn_down,
        attachment_assoc,
        tgw_routes,
    };
    m.onprem_sites
        .iter()
        .map(|site| {
            let mut t: Lpm<SiteRoute> = Lpm::new();
            ctx.fill(&site.name, &mut t, None);
            Arc::new(t)
        })
        .collect()
}

/// The inputs of what AWS advertises on-premises.
struct SiteCtx<'a> {
    m: &'a Model,
    ix: &'a Index,
    attachment_down: &'a [bool],
    vgw_conn_down: &'a HashSet<(usize, usize)>,
    attachment_assoc: &'a [Option<usize>],
    tgw_routes: &'a [Arc<Lpm<TgwRoute>>],
}

impl SiteCtx<'_> {
    /// Insert into `t` what AWS advertises to the site named `site`: every prefix, or only
    /// those in `only`. At one prefix the candidates come in the same order either way
    /// (attachments in model order, then VGW connections), so the result at each prefix
    /// is the same.
    fn fill(&self, site: &str, t: &mut Lpm<SiteRoute>, only: Option<&BTreeSet<IpNet>>) {
        let m = self.m;
        let better = |new: &SiteRoute, old: &SiteRoute| new.rank < old.rank;
        for (ai, a) in m.transit_gateway_attachments.iter().enumerate() {
            if a.site.as_deref() != Some(site) || self.attachment_down[ai] {
                continue;
            }
            // A VPN attachment advertises the routes of its associated TGW route table
            // to the customer gateway over BGP; a DX gateway the allowed prefixes (here:
            // the same table's routes). On-prem routers prefer Direct Connect at equal
            // prefix (the usual BGP local preference of DX designs).
            let rank = match a.attachment_type {
                AttachmentType::DirectConnectGateway => 0,
                AttachmentType::Vpn => 1,
                AttachmentType::Connect => 2,
                _ => continue,
            };
            let Some(rtb) = self.attachment_assoc[ai] else {
                continue;
            };
            let table = &self.tgw_routes[rtb];
            let entries: Vec<(IpNet, &TgwRoute)> = match only {
                None => table.entries(),
                Some(ps) => ps
                    .iter()
                    .filter_map(|p| table.get(*p).map(|r| (*p, r)))
                    .collect(),
            };
            for (p, r) in entries {
                if r.attachment.is_none() || r.attachment == Some(ai) {
                    continue;
                }
                t.insert_preferred(
                    p,
                    SiteRoute {
                        connection: SiteConnection::Attachment(ai),
                        rank,
                        name: a.name.clone(),
                    },
                    better,
                );
            }
        }
        for (gi, g) in m.vpn_gateways.iter().enumerate() {
            let Some(v) = g
                .vpc
                .as_deref()
                .and_then(|v| self.ix.get_kind(v, ObjectKind::Vpc))
            else {
                continue;
            };
            for (ci, c) in g.connections.iter().enumerate() {
                if c.site != site || self.vgw_conn_down.contains(&(gi, ci)) {
                    continue;
                }
                let rank = if c.kind == ConnectionKind::DirectConnect {
                    0
                } else {
                    1
                };
                for p in &m.vpcs[v].cidrs {
                    if only.is_some_and(|ps| !ps.contains(&p.trunc())) {
                        continue;
                    }
                    t.insert_preferred(
                        *p,
                        SiteRoute {
                            connection: SiteConnection::Vgw(gi, ci),
                            rank,
                            name: c.name.clone(),
                        },
                        better,
                    );
                }
            }
        }
    }
}

/// The forwarding graph of compiled tables (see [`Dataplane::graph`]).
pub(super) fn graph(
    dp: &Dataplane,
) -> (
    DiGraph<Node, String>,
    HashMap<Node, petgraph::graph::NodeIndex>,
) {
    let m = &*dp.model;
    let rt_routes = &*dp.rt_routes;
    let tgw_routes = &dp.tgw_routes;
    let attachment_assoc = &*dp.attachment_assoc;
    let site_routes = &*dp.site_routes;
    let mut graph: DiGraph<Node, String> = DiGraph::new();
    let mut nodes: HashMap<Node, petgraph::graph::NodeIndex> = HashMap::new();
    let mut node = |graph: &mut DiGraph<Node, String>, n: Node| {
        *nodes.entry(n.clone()).or_insert_with(|| graph.add_node(n))
    };
    for (ri, t) in rt_routes.iter().enumerate() {
        let from = node(&mut graph, Node::RouteTable(ri));
        for (p, r) in t.entries() {
            if r.target == Target::Local || r.blackhole {
                continue;
            }
            let to = node(&mut graph, Node::Target(r.target.clone()));
            graph.add_edge(from, to, p.to_string());
        }
    }
    for (ti, t) in tgw_routes.iter().enumerate() {
        let from = node(&mut graph, Node::TransitGatewayRouteTable(ti));
        for (p, r) in t.entries() {
            if let Some(a) = r.attachment {
                let to = node(&mut graph, Node::Attachment(a));
                graph.add_edge(from, to, p.to_string());
            }
        }
    }
    for (ai, assoc) in attachment_assoc.iter().enumerate() {
        let a = node(&mut graph, Node::Attachment(ai));
        if let Some(r) = assoc {
            let t = node(&mut graph, Node::TransitGatewayRouteTable(*r));
            graph.add_edge(a, t, "association".into());
        }
    }
    for (si, t) in site_routes.iter().enumerate() {
        let s = node(&mut graph, Node::OnPremSite(si));
        for (p, r) in t.entries() {
            let to = match r.connection {
                SiteConnection::Attachment(a) => node(&mut graph, Node::Attachment(a)),
                SiteConnection::Vgw(g, _) => node(&mut graph, Node::Target(Target::VpnGateway(g))),
            };
            graph.add_edge(s, to, p.to_string());
        }
    }
    let internet = node(&mut graph, Node::Internet);
    for (i, _) in m.internet_gateways.iter().enumerate() {
        let g = node(&mut graph, Node::Target(Target::InternetGateway(i)));
        graph.add_edge(internet, g, "ingress".into());
        graph.add_edge(g, internet, "egress".into());
    }
    (graph, nodes)
}

/// The prefixes a VGW connection advertises: its own list, else its site's.
fn connection_prefixes(m: &Model, own: &[IpNet], site: &str) -> Vec<IpNet> {
    if !own.is_empty() {
        return own.to_vec();
    }
    m.onprem_sites
        .iter()
        .find(|s| s.name == site)
        .map(|s| s.prefixes.clone())
        .unwrap_or_default()
}
