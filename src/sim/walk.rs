//! The walk of one direction of a flow through the [`Dataplane`], hop by hop.
//!
//! Each step cites the AWS rule it follows. Short names of the sources:
//! [RP] "How route priority works" (vpc/latest/userguide/route-tables-priority.html);
//! [RT] "Configure route tables" (vpc/latest/userguide/VPC_Route_Tables.html);
//! [GRT] "Gateway route tables" (vpc/latest/userguide/gateway-route-tables.html);
//! [HTW] "How transit gateways work" (vpc/latest/tgw/how-transit-gateways-work.html);
//! [APP] "Example: Appliance in a shared services VPC" (vpc/latest/tgw/transit-gateway-appliance-scenario.html);
//! [NAT] "NAT gateways" (vpc/latest/userguide/vpc-nat-gateway.html);
//! [IGW] "Internet gateways" (vpc/latest/userguide/VPC_Internet_Gateway.html);
//! [PCX] "VPC peering limitations" (vpc/latest/peering/vpc-peering-basics.html);
//! [NFW] "Firewall endpoints" and "Stateful rule groups" (network-firewall/latest/developerguide);
//! [RA] Reachability Analyzer explanation codes (vpc/latest/reachability/explanation-codes.html).

use super::{Endpoint, Hop, Verdict};
use crate::dataplane::watch::{hit, hit_prefix, Watch};
use crate::dataplane::{Dataplane, Flow, Owner, SiteConnection, Target};
use crate::model::{AttachmentType, NatConnectivity, ObjectKind, Protocol};
use std::net::IpAddr;

/// How a packet entered the VPC it is in (edge-to-edge rules depend on it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Via {
    /// From inside the VPC.
    Local,
    /// From a Transit Gateway attachment.
    Tgw,
    /// From an Internet gateway.
    Igw,
    /// From a virtual private gateway.
    Vgw,
    /// From a VPC peering connection.
    Peering,
}

/// State a forward walk leaves behind for its reply.
#[derive(Clone, Debug, Default)]
pub(crate) struct FlowState {
    /// Firewall endpoints whose stateful engine tracks the flow.
    pub fw: Vec<(usize, usize)>,
    /// NAT translations: (NAT gateway, original source).
    pub nat: Vec<(usize, IpAddr)>,
    /// The gateway endpoint (VPC endpoint, VPC) the flow left through to an AWS service.
    pub gateway_endpoint: Option<(usize, usize)>,
    /// Flows Network Load Balancer nodes forwarded (see `nlb.rs`).
    pub nlb: Vec<nlb::NlbSession>,
}

/// Where a successful walk ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum End {
    /// Not (yet) successful.
    None,
    /// Delivered to an interface.
    Interface(usize),
    /// Left to the Internet.
    Internet,
    /// Left to an on-premises site (index, if known).
    Site(Option<usize>),
    /// Delivered to the AWS-side outside address of a VPN tunnel (VGW, connection).
    VpnTunnel(usize, usize),
}

/// Record a hop: with explanations, build it (the arguments are evaluated only then);
/// without, only count it, so a matrix pays for no strings.
macro_rules! hop {
    ($w:expr, $kind:expr, $id:expr, $name:expr, $acct:expr, $az:expr, $action:expr, $detail:expr $(,)?) => {
        if $w.explain {
            let detail: String = $detail;
            $w.push_hop($kind, $id, $name, $acct, $az, $action, detail);
        } else {
            $w.nhops += 1;
            if let Some(t) = $w.touch {
                // Failure sweeps: what this hop touched, as the caller's small integers.
                let (id, name, az): (Option<&str>, &str, Option<&str>) = ($id, $name, $az);
                let found = [t(name), id.and_then(t), az.and_then(t)];
                $w.touched.extend(found.into_iter().flatten());
            }
        }
    };
}

// Network Load Balancer hops and VPN tunnel endpoints (after `hop!`, which it uses).
#[path = "nlb.rs"]
mod nlb;

/// Maps a hop's name, AWS id or AZ to a small integer the caller tracks, or `None`
/// (see [`Walk::touch`]).
pub(crate) type Touch<'a> = &'a (dyn Fn(&str) -> Option<u32> + Sync);

type Fail = (Verdict, &'static str);
type Outcome = Result<Verdict, Fail>;

/// The code a [`Segment::Prefix`] walk returns where it stopped at a transit gateway.
pub(crate) const CUT: &str = "INTERNAL_SEGMENT_CUT";
/// The code a [`Segment::Prefix`] walk returns where it gave up (a step that depends on
/// more than the source VPC's tables).
pub(crate) const ABORT: &str = "INTERNAL_SEGMENT_ABORT";

/// How much of a walk to run. The matrix engine shares work between flows by cutting
/// walks where a packet arrives at a transit gateway (see `crate::sim::segment`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Segment {
    /// The whole walk.
    #[default]
    Whole,
    /// Only the part in the source's own VPC: stop ([`CUT`]) where the packet arrives
    /// at a transit gateway, recording [`Walk::cut`], or give up ([`ABORT`]) at any step
    /// that looks at the destination beyond the source VPC's route tables and network
    /// ACLs and the source's security groups (delivery, gateways, appliances, peering).
    Prefix,
}

pub(crate) const MAX_STEPS: usize = 64;

/// One walk (one direction).
pub(crate) struct Walk<'a> {
    dp: &'a Dataplane,
    /// Without explanations: report each hop's name, id and AZ here, and keep what it
    /// maps to in [`Self::touched`] (incremental failure sweeps).
    pub touch: Option<Touch<'a>>,
    /// What [`Self::touch`] returned, in hop order (with repeats).
    pub touched: Vec<u32>,
    pub pkt: Flow,
    /// The packet as it left the source.
    pub pkt_at_start: Flow,
    /// The flow whose hash path choices follow (the forward flow, also for its reply).
    pub origin: Flow,
    /// A path choice hashed a packet whose addresses differ from `origin`'s (after a
    /// NAT): the outcome depends on more than the flow's endpoint classes.
    pub tainted: bool,
    pub hops: Vec<Hop>,
    /// Number of hops (also counted when hops are not built).
    pub nhops: u32,
    /// Build hops with explanations (`false`: count them only).
    pub explain: bool,
    pub inspected: Vec<String>,
    pub state: FlowState,
    reply: Option<&'a FlowState>,
    steps: usize,
    seen: Vec<(u8, usize, Flow)>,
    pub end: End,
    /// How much of the walk to run.
    pub segment: Segment,
    /// Where a [`Segment::Prefix`] walk stopped: the transit gateway route table and the
    /// AZ the packet arrived in.
    pub cut: Option<(usize, Option<String>)>,
    /// A decision used the source address other than by testing it against a prefix of
    /// a security group, network ACL or firewall rule (owner lookups at gateways,
    /// peering's address check).
    pub src_exact: bool,
    /// A path choice hashed the flow.
    pub hashed: bool,
    /// The AZ a resumed walk started with is the arrival AZ of its cut (until the first
    /// transit gateway exit reads it).
    az_is_cut: bool,
    /// The cut's AZ and the flow hash, in the order the walk first read them.
    pub deps: Vec<Dep>,
    /// The walk consulted a routing entry its dataplane watches
    /// ([`Dataplane::watching`]).
    pub watched: bool,
}

/// What a resumed walk read besides the destination, its source class and ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dep {
    /// The AZ the packet arrived at the transit gateway in.
    Az,
    /// The flow hash.
    Hash,
}

fn is_private_v4(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            a.is_private() || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        IpAddr::V6(_) => false,
    }
}

impl<'a> Walk<'a> {
    pub fn new(
        dp: &'a Dataplane,
        pkt: Flow,
        reply: Option<&'a FlowState>,
        explain: bool,
    ) -> Walk<'a> {
        Walk {
            dp,
            touch: None,
            touched: Vec::new(),
            pkt,
            pkt_at_start: pkt,
            origin: pkt,
            tainted: false,
            hops: Vec::new(),
            nhops: 0,
            explain,
            inspected: Vec::new(),
            state: FlowState::default(),
            reply,
            steps: 0,
            seen: Vec::new(),
            end: End::None,
            segment: Segment::Whole,
            cut: None,
            src_exact: false,
            hashed: false,
            az_is_cut: false,
            deps: Vec::new(),
            watched: false,
        }
    }

    /// Note that the walk consults entry `i` of the routing entries `pick` chooses from
    /// the dataplane's watch, if it has one.
    fn consult(&mut self, pick: fn(&Watch) -> &[bool], i: usize) {
        if let Some(w) = &self.dp.watch {
            self.watched |= hit(pick(w), i);
        }
    }

    /// Note that the walk looks the packet's destination up in table `i` of the tables
    /// `pick` chooses from the dataplane's watch, if it has one.
    fn consult_lookup(&mut self, pick: fn(&Watch) -> &[Vec<ipnet::IpNet>], i: usize) {
        if let Some(w) = &self.dp.watch {
            self.watched |= hit_prefix(pick(w), i, self.pkt.dst);
        }
    }

    fn note(&mut self, d: Dep) {
        if !self.deps.contains(&d) {
            self.deps.push(d);
        }
    }

    /// The (kind, index) of every forwarding context visited so far (loop detection).
    pub fn seen_contexts(&self) -> impl Iterator<Item = (u8, usize)> + '_ {
        self.seen.iter().map(|(k, i, _)| (*k, *i))
    }

    /// Steps taken so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Start a walk at a transit gateway route table: the packet arrived in `az` at an
    /// attachment associated with `rtb` (the rest of a walk a [`Segment::Prefix`] walk
    /// cut there).
    pub fn resume_at_tgw(&mut self, rtb: usize, az: Option<String>) -> Outcome {
        self.az_is_cut = true;
        self.tgw_route_table(rtb, az)
    }

    /// A step that looks at more than the source VPC's tables: a prefix walk gives up.
    fn special(&self) -> Result<(), Fail> {
        if self.segment == Segment::Prefix {
            Err((Verdict::Unreachable, ABORT))
        } else {
            Ok(())
        }
    }

    /// The flow hash for a path choice (appliance mode, AZ choice, GWLB appliance).
    fn flow_hash(&mut self) -> u64 {
        self.hashed = true;
        self.note(Dep::Hash);
        if self.pkt != self.origin && self.pkt != self.origin.reversed() {
            self.tainted = true;
        }
        self.pkt.symmetric_hash()
    }

    fn is_reply(&self) -> bool {
        self.reply.is_some()
    }

    #[allow(clippy::too_many_arguments)]
    fn push_hop(
        &mut self,
        kind: &str,
        id: Option<&str>,
        name: &str,
        account: Option<&str>,
        az: Option<&str>,
        action: &str,
        detail: String,
    ) {
        self.nhops += 1;
        self.hops.push(Hop {
            kind: kind.to_string(),
            id: id.unwrap_or(name).to_string(),
            name: name.to_string(),
            account: account.map(str::to_string),
            az: az.map(str::to_string),
            action: action.to_string(),
            detail,
        });
    }

    fn vpc_account(&self, vpc: usize) -> Option<&'a str> {
        self.dp.vpc_account.get(vpc).and_then(|a| a.as_deref())
    }

    fn subnet_hop(&mut self, kind: &str, subnet: usize, action: &str, detail: String) {
        let dp = self.dp;
        let s = &dp.model.subnets[subnet];
        let acct = dp.vpc_of_subnet(subnet).and_then(|v| self.vpc_account(v));
        hop!(
            self,
            kind,
            s.id.as_deref(),
            &s.name,
            acct,
            Some(&s.az),
            action,
            detail,
        );
    }

    fn step(&mut self, kind: u8, idx: usize) -> Result<(), Fail> {
        self.steps += 1;
        let key = (kind, idx, self.pkt);
        if self.steps > MAX_STEPS || self.seen.contains(&key) {
            return Err((Verdict::Loop, "ROUTING_LOOP"));
        }
        self.seen.push(key);
        Ok(())
    }

    // ------------------------------------------------------------------ sources

    /// Walk from a source endpoint.
    pub fn start(&mut self, src: &Endpoint) -> Outcome {
        match src {
            Endpoint::Interface { eni, .. } => self.send_from_interface(*eni),
            Endpoint::OnPrem { site, .. } => self.onprem_send(*site),
            Endpoint::Internet { .. } => self.internet_send(),
        }
    }

    fn send_from_interface(&mut self, eni: usize) -> Outcome {
        // A target's reply to a flow a Network Load Balancer forwarded (nlb.rs).
        if let Some(r) = self.nlb_reply_from_target(eni) {
            return r;
        }
        let dp = self.dp;
        let Some(e) = dp.model.network_interfaces.get(eni) else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        let Some(subnet) = dp.subnet_of_interface(eni) else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        let az = dp.model.subnets[subnet].az.clone();
        let acct = dp.vpc_of_subnet(subnet).and_then(|v| self.vpc_account(v));
        if dp.eni_down[eni] {
            hop!(
                self,
                "network-interface",
                e.id.as_deref(),
                &e.name,
                acct,
                Some(&az),
                "down",
                "the interface (or its AZ) is failed".into(),
            );
            return Err((Verdict::Unreachable, "COMPONENT_FAILED"));
        }
        let detail = if self.is_reply() {
            "reply leaves (security groups are stateful: allowed)".to_string()
        } else {
            match dp.security_groups_allow(eni, false, &self.pkt, self.explain) {
                Ok(rule) => rule,
                Err(why) => {
                    hop!(
                        self,
                        "network-interface",
                        e.id.as_deref(),
                        &e.name,
                        acct,
                        Some(&az),
                        "deny",
                        why,
                    );
                    return Err((Verdict::Denied, "ENI_SG_RULES_MISMATCH"));
                }
            }
        };
        hop!(
            self,
            "network-interface",
            e.id.as_deref(),
            &e.name,
            acct,
            Some(&az),
            "send",
            detail,
        );
        self.emit(subnet, Via::Local)
    }

    fn internet_send(&mut self) -> Outcome {
        self.special()?;
        self.src_exact = true;

        // The reply of a flow that left through a gateway endpoint comes back through
        // that endpoint, not from the Internet ("Gateway endpoints": the service's
        // traffic to and from the VPC goes through the endpoint,
        // <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html>).
        if let Some((v, vpc)) = self.reply.and_then(|st| st.gateway_endpoint) {
            return self.gateway_endpoint_reply(v, vpc);
        }
        let dp = self.dp;
        let dst = self.pkt.dst;
        hop!(
            self,
            "internet",
            None,
            "internet",
            None,
            None,
            "send",
            format!("from {}", self.pkt.src),
        );
        if is_private_v4(dst) {
            // Private (RFC 1918 / RFC 6598) addresses are not routed on the Internet.
            return Err((Verdict::NoRoute, "NO_ROUTE_TO_DESTINATION"));
        }
        if let Some((g, c)) = dp.vpn_tunnel_endpoint(dst) {
            return self.vpn_tunnel_endpoint(g, c);
        }
        let owner_vpc = match dst {
            IpAddr::V4(_) => dp.public_owner(dst).and_then(|o| self.owner_vpc(o)),
            IpAddr::V6(_) => (0..dp.model.vpcs.len()).find(|v| dp.private_owner(*v, dst).is_some()),
        };
        let Some(vpc) = owner_vpc else {
            // Not an address of the modelled network.
            return Err((Verdict::NoRoute, "NO_ROUTE_TO_DESTINATION"));
        };
        let Some(igw) = dp.vpc_igw[vpc] else {
            return Err((Verdict::NoRoute, "NO_ROUTE_TO_DESTINATION"));
        };
        self.igw_ingress(igw, vpc)
    }

    /// The reply of an AWS service enters the VPC through gateway endpoint `v`.
    fn gateway_endpoint_reply(&mut self, v: usize, vpc: usize) -> Outcome {
        self.special()?;
        self.src_exact = true;

        let dp = self.dp;
        let Some(e) = dp.model.vpc_endpoints.get(v) else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        hop!(
            self,
            "vpc-endpoint",
            e.id.as_deref(),
            &e.name,
            self.vpc_account(vpc),
            None,
            "enter",
            format!(
                "reply from the AWS service at {} through the gateway endpoint",
                self.pkt.src
            ),
        );
        self.deliver_local(vpc, None, Via::Local)
    }

    fn onprem_send(&mut self, site: usize) -> Outcome {
        self.special()?;
        self.src_exact = true;

        let dp = self.dp;
        let Some(s) = dp.model.onprem_sites.get(site) else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        self.consult_lookup(|w| &w.sites, site);
        let Some((p, r)) = dp
            .site_routes
            .get(site)
            .and_then(|t| t.lookup(self.pkt.dst))
        else {
            hop!(
                self,
                "onprem-site",
                None,
                &s.name,
                None,
                None,
                "no-route",
                format!("AWS advertises no route to {} to this site", self.pkt.dst),
            );
            return Err((Verdict::NoRoute, "NO_ROUTE_TO_DESTINATION"));
        };
        let r = r.clone();
        hop!(
            self,
            "onprem-site",
            None,
            &s.name,
            None,
            None,
            "send",
            format!("{p} learned over {} (longest prefix; Direct Connect preferred over VPN at equal prefix)", r.name),
        );
        match r.connection {
            SiteConnection::Attachment(a) => {
                let at = &dp.model.transit_gateway_attachments[a];
                let acct = self.attachment_account(a);
                hop!(
                    self,
                    "tgw-attachment",
                    at.id.as_deref(),
                    &at.name,
                    acct,
                    None,
                    "enter",
                    attachment_kind(at.attachment_type).to_string(),
                );
                self.tgw_route(a, None)
            }
            SiteConnection::Vgw(g, _) => self.vgw_ingress(g),
        }
    }

    fn owner_vpc(&self, o: Owner) -> Option<usize> {
        let dp = self.dp;
        let subnet = match o {
            Owner::Interface(e) => dp.subnet_of_interface(e)?,
            Owner::NatGateway(n) => dp
                .index
                .get_kind(&dp.model.nat_gateways[n].subnet, ObjectKind::Subnet)?,
        };
        dp.vpc_of_subnet(subnet)
    }

    fn attachment_account(&self, a: usize) -> Option<&'a str> {
        let dp = self.dp;
        let at = &dp.model.transit_gateway_attachments[a];
        at.account.as_deref().or_else(|| {
            dp.index
                .get_kind(&at.transit_gateway, ObjectKind::TransitGateway)
                .and_then(|t| dp.tgw_account[t].as_deref())
        })
    }

    // ------------------------------------------------------------------ VPC routing

    /// Enter subnet `to` (from subnet `from`, or from outside the VPC): the AZ must be up
    /// and the network ACLs must allow the packet out of `from` and into `to`. Traffic
    /// that stays in one subnet is not filtered by its NACL.
    fn enter_subnet(&mut self, from: Option<usize>, to: usize) -> Result<(), Fail> {
        let dp = self.dp;
        if dp.subnet_down[to] {
            self.subnet_hop(
                "subnet",
                to,
                "down",
                "the subnet (or its AZ) is failed".into(),
            );
            return Err((Verdict::Unreachable, "COMPONENT_FAILED"));
        }
        if from == Some(to) {
            return Ok(());
        }
        let pkt = self.pkt;
        if let Some(s) = from {
            match dp.network_acl_allows(s, true, &pkt, self.explain) {
                Ok(None) => {}
                Ok(Some(rule)) => self.nacl_hop(s, "allow", rule),
                Err(rule) => {
                    self.nacl_hop(s, "deny", rule);
                    return Err((Verdict::Denied, "SUBNET_ACL_RESTRICTION"));
                }
            }
        }
        match dp.network_acl_allows(to, false, &pkt, self.explain) {
            Ok(None) => Ok(()),
            Ok(Some(rule)) => {
                self.nacl_hop(to, "allow", rule);
                Ok(())
            }
            Err(rule) => {
                self.nacl_hop(to, "deny", rule);
                Err((Verdict::Denied, "SUBNET_ACL_RESTRICTION"))
            }
        }
    }

    fn nacl_hop(&mut self, subnet: usize, action: &str, rule: String) {
        let dp = self.dp;
        let Some(acl) = dp.subnet_nacl[subnet] else {
            return;
        };
        let a = &dp.model.network_acls[acl];
        let s = &dp.model.subnets[subnet];
        let acct = dp.vpc_of_subnet(subnet).and_then(|v| self.vpc_account(v));
        hop!(
            self,
            "network-acl",
            a.id.as_deref(),
            &a.name,
            acct,
            Some(&s.az),
            action,
            format!("{} ({})", rule, s.name),
        );
    }

    /// An element in `subnet` sends the packet: it is routed by the subnet's route table.
    fn emit(&mut self, subnet: usize, via: Via) -> Outcome {
        self.step(0, subnet)?;
        let dp = self.dp;
        let Some(vpc) = dp.vpc_of_subnet(subnet) else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        let s = &dp.model.subnets[subnet];
        let dst = self.pkt.dst;
        // Traffic inside one subnet is not routed: it goes straight to the destination,
        // never through an appliance [RT].
        let in_subnet = match dst {
            IpAddr::V4(a) => s.cidr.contains(&a),
            IpAddr::V6(a) => s.ipv6_cidr.is_some_and(|c| c.contains(&a)),
        };
        if in_subnet {
            self.subnet_hop(
                "subnet",
                subnet,
                "forward",
                format!("{dst} is inside {}: delivered without routing", s.cidr),
            );
            return self.deliver_local(vpc, Some(subnet), via);
        }
        self.consult(|w| &w.subnets, subnet);
        let Some(rt) = dp.subnet_rt[subnet] else {
            self.subnet_hop(
                "subnet",
                subnet,
                "no-route",
                "the subnet has no route table".into(),
            );
            return Err((Verdict::NoRoute, "NO_ROUTE_TO_DESTINATION"));
        };
        self.route_in_table(rt, Some(subnet), vpc, via)
    }

    /// Look `dst` up in VPC route table `rt` and follow the route.
    fn route_in_table(&mut self, rt: usize, from: Option<usize>, vpc: usize, via: Via) -> Outcome {
        let dp = self.dp;
        self.consult_lookup(|w| &w.route_tables, rt);
        let t = &dp.model.route_tables[rt];
        let az: Option<&str> = from.map(|s| dp.model.subnets[s].az.as_str());
        let acct = self.vpc_account(vpc);
        let dst = self.pkt.dst;
        let Some((_, route)) = dp.vpc_route(rt, dst) else {
            hop!(
                self,
                "route-table",
                t.id.as_deref(),
                &t.name,
                acct,
                az,
                "no-route",
                format!("no route matches {dst}"),
            );
            return Err((Verdict::NoRoute, "NO_ROUTE_TO_DESTINATION"));
        };
        // Borrowed: copied only when the rule below rewrites it.
        let mut route = std::borrow::Cow::Borrowed(route);
        // The local route wins over propagated routes even when they are more specific
        // ("Route tables and VPN route priority",
        // <https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html>).
        if route.rank >= 3 && dp.model.vpcs[vpc].cidrs.iter().any(|c| c.contains(&dst)) {
            let r = route.to_mut();
            r.target = Target::Local;
            r.blackhole = false;
            r.detail = format!(
                "local (beats the more specific propagated route {})",
                r.detail
            );
        }
        let action = if route.blackhole {
            "blackhole"
        } else {
            "forward"
        };
        hop!(
            self,
            "route-table",
            t.id.as_deref(),
            &t.name,
            acct,
            az,
            action,
            route.detail.clone(),
        );
        if route.blackhole {
            return Err((Verdict::Blackhole, "BAD_STATE_ROUTE"));
        }
        self.route_target(&route.target, from, vpc, via)
    }

    fn route_target(
        &mut self,
        target: &Target,
        from: Option<usize>,
        vpc: usize,
        via: Via,
    ) -> Outcome {
        match target {
            Target::Local => self.deliver_local(vpc, from, via),
            Target::InternetGateway(i) => self.igw_egress(*i, vpc),
            Target::EgressOnlyInternetGateway(i) => self.eigw_egress(*i, vpc),
            Target::NatGateway(n) => self.nat(*n, from, via),
            Target::VpnGateway(g) => self.vgw_egress(*g, vpc, via),
            Target::TransitGateway(t) => self.tgw_from_vpc(*t, vpc, from),
            Target::VpcPeeringConnection(p) => self.peering(*p, vpc, via),
            Target::NetworkInterface(e) => self.appliance(*e, from, via),
            Target::FirewallEndpoint(f, e) => self.firewall(*f, *e, from, via),
            Target::GatewayLoadBalancerEndpoint(v) => self.gwlbe(*v, from, via),
            Target::GatewayEndpoint(v) => {
                self.special()?;
                let dp = self.dp;
                let e = &dp.model.vpc_endpoints[*v];
                hop!(
                    self,
                    "vpc-endpoint",
                    e.id.as_deref(),
                    &e.name,
                    self.vpc_account(vpc),
                    None,
                    "exit",
                    "gateway endpoint to an AWS service (not modelled further)".into(),
                );
                self.state.gateway_endpoint = Some((*v, vpc));
                self.end = End::Internet;
                Ok(Verdict::ExitsNetwork)
            }
            Target::Missing(_) => Err((Verdict::Blackhole, "BAD_STATE_ROUTE")),
        }
    }

    /// Deliver to the holder of `dst` in `vpc` (the local route).
    fn deliver_local(&mut self, vpc: usize, from: Option<usize>, via: Via) -> Outcome {
        self.special()?;

        let dp = self.dp;
        match dp.private_owner(vpc, self.pkt.dst) {
            Some(Owner::Interface(e)) if dp.load_balancer_of(e).is_some() => {
                self.nlb_arrive(e, from, via)
            }
            Some(Owner::Interface(e)) => {
                let Some(subnet) = dp.subnet_of_interface(e) else {
                    return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
                };
                self.enter_subnet(from, subnet)?;
                self.arrive_interface(e, subnet, via)
            }
            Some(Owner::NatGateway(n)) => {
                let orig = self
                    .reply
                    .and_then(|st| st.nat.iter().find(|(x, _)| *x == n).map(|(_, o)| *o));
                match orig {
                    Some(o) => self.nat_reverse(n, from, o),
                    None => {
                        let g = &dp.model.nat_gateways[n];
                        hop!(
                            self,
                            "nat-gateway",
                            g.id.as_deref(),
                            &g.name,
                            self.vpc_account(vpc),
                            None,
                            "drop",
                            "a NAT gateway accepts only replies to flows it translated".into(),
                        );
                        Err((Verdict::Unreachable, "NO_POSSIBLE_DESTINATION"))
                    }
                }
            }
            None => {
                // The local route covers the whole VPC CIDR [RT]; an address no interface
                // holds has no destination. Name the subnet that contains it, if any.
                let dst = self.pkt.dst;
                let holder = (0..dp.model.subnets.len()).find(|s| {
                    dp.vpc_of_subnet(*s) == Some(vpc) && {
                        let sn = &dp.model.subnets[*s];
                        match dst {
                            IpAddr::V4(a) => sn.cidr.contains(&a),
                            IpAddr::V6(a) => sn.ipv6_cidr.is_some_and(|c| c.contains(&a)),
                        }
                    }
                });
                if let Some(s) = holder {
                    let cidr = dp.model.subnets[s].cidr;
                    self.subnet_hop(
                        "subnet",
                        s,
                        "drop",
                        format!("no interface in {cidr} holds {dst}"),
                    );
                } else {
                    let v = &dp.model.vpcs[vpc];
                    hop!(
                        self,
                        "vpc",
                        v.id.as_deref(),
                        &v.name,
                        self.vpc_account(vpc),
                        None,
                        "drop",
                        format!("no subnet of the VPC holds {dst}"),
                    );
                }
                Err((Verdict::Unreachable, "NO_POSSIBLE_DESTINATION"))
            }
        }
    }

    fn arrive_interface(&mut self, eni: usize, subnet: usize, _via: Via) -> Outcome {
        let dp = self.dp;
        let e = &dp.model.network_interfaces[eni];
        let az = dp.model.subnets[subnet].az.clone();
        let acct = dp.vpc_of_subnet(subnet).and_then(|v| self.vpc_account(v));
        if dp.eni_down[eni] {
            hop!(
                self,
                "network-interface",
                e.id.as_deref(),
                &e.name,
                acct,
                Some(&az),
                "down",
                "the interface (or its AZ) is failed".into(),
            );
            return Err((Verdict::Unreachable, "COMPONENT_FAILED"));
        }
        if !e.private_ips.contains(&self.pkt.dst) {
            hop!(
                self,
                "network-interface",
                e.id.as_deref(),
                &e.name,
                acct,
                Some(&az),
                "drop",
                format!("{} is not an address of this interface", self.pkt.dst),
            );
            return Err((Verdict::Unreachable, "ENI_ADDRESS_RESTRICTION"));
        }
        if !self.is_reply() {
            match dp.security_groups_allow(eni, true, &self.pkt, self.explain) {
                Ok(rule) => {
                    hop!(
                        self,
                        "network-interface",
                        e.id.as_deref(),
                        &e.name,
                        acct,
                        Some(&az),
                        "accept",
                        rule,
                    );
                }
                Err(why) => {
                    hop!(
                        self,
                        "network-interface",
                        e.id.as_deref(),
                        &e.name,
                        acct,
                        Some(&az),
                        "deny",
                        why,
                    );
                    return Err((Verdict::Denied, "ENI_SG_RULES_MISMATCH"));
                }
            }
        } else {
            hop!(
                self,
                "network-interface",
                e.id.as_deref(),
                &e.name,
                acct,
                Some(&az),
                "accept",
                "reply of an allowed flow (security groups are stateful)".into(),
            );
        }
        self.end = End::Interface(eni);
        Ok(Verdict::Accepted)
    }

    /// A route whose target is an interface: an appliance (or an instance) forwards the
    /// packet on, which requires source/destination checking off [RA
    /// ENI_SOURCE_DEST_CHECK_RESTRICTION].
    fn appliance(&mut self, eni: usize, from: Option<usize>, via: Via) -> Outcome {
        self.special()?;

        let dp = self.dp;
        let e = &dp.model.network_interfaces[eni];
        let Some(subnet) = dp.subnet_of_interface(eni) else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        self.enter_subnet(from, subnet)?;
        if e.private_ips.contains(&self.pkt.dst) {
            return self.arrive_interface(eni, subnet, via);
        }
        let az = dp.model.subnets[subnet].az.clone();
        let acct = dp.vpc_of_subnet(subnet).and_then(|v| self.vpc_account(v));
        if dp.eni_down[eni] {
            hop!(
                self,
                "appliance",
                e.id.as_deref(),
                &e.name,
                acct,
                Some(&az),
                "down",
                "the appliance (or its AZ) is failed".into(),
            );
            return Err((Verdict::Unreachable, "COMPONENT_FAILED"));
        }
        if e.source_dest_check {
            hop!(
                self,
                "appliance",
                e.id.as_deref(),
                &e.name,
                acct,
                Some(&az),
                "drop",
                "source/destination check is on: the interface drops traffic not addressed to it"
                    .into(),
            );
            return Err((Verdict::Unreachable, "ENI_SOURCE_DEST_CHECK_RESTRICTION"));
        }
        let detail = if self.is_reply() {
            "forwards the reply (security groups are stateful)".to_string()
        } else {
            let pkt = self.pkt;
            let explain = self.explain;
            match dp
                .security_groups_allow(eni, true, &pkt, explain)
                .and_then(|a| {
                    dp.security_groups_allow(eni, false, &pkt, explain)
                        .map(|b| format!("{a}; {b}"))
                }) {
                Ok(r) => r,
                Err(why) => {
                    hop!(
                        self,
                        "appliance",
                        e.id.as_deref(),
                        &e.name,
                        acct,
                        Some(&az),
                        "deny",
                        why,
                    );
                    return Err((Verdict::Denied, "ENI_SG_RULES_MISMATCH"));
                }
            }
        };
        hop!(
            self,
            "appliance",
            e.id.as_deref(),
            &e.name,
            acct,
            Some(&az),
            "forward",
            detail,
        );
        self.inspected
            .push(e.id.clone().unwrap_or_else(|| e.name.clone()));
        self.emit(subnet, via)
    }

    /// A Network Firewall endpoint: the policy decides; the stateful engine keeps the
    /// flow's state in this endpoint only, so a reply arriving at another endpoint has no
    /// state and is dropped [NFW; APP: "the appliance ... drops the traffic"].
    fn firewall(&mut self, f: usize, ep: usize, from: Option<usize>, via: Via) -> Outcome {
        self.special()?;

        let dp = self.dp;
        let fw = &dp.model.firewalls[f];
        let e = &fw.endpoints[ep];
        let Some(subnet) = dp.index.get_kind(&e.subnet, ObjectKind::Subnet) else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        let az = dp.model.subnets[subnet].az.clone();
        let acct = dp.vpc_of_subnet(subnet).and_then(|v| self.vpc_account(v));
        if dp.fw_endpoint_down.contains(&(f, ep)) {
            hop!(
                self,
                "firewall-endpoint",
                e.id.as_deref(),
                &e.name,
                acct,
                Some(&az),
                "down",
                format!("{}: the endpoint (or its AZ) is failed", fw.name),
            );
            return Err((Verdict::Unreachable, "COMPONENT_FAILED"));
        }
        self.enter_subnet(from, subnet)?;
        let id = e.id.clone().unwrap_or_else(|| e.name.clone());
        let policy = dp.firewall_policy[f];
        let pkt = self.pkt;
        let (pass, detail, code) = match (self.reply, policy) {
            (_, None) => (true, "no policy modelled: pass".to_string(), ""),
            (None, Some(p)) => {
                let d = dp.firewall_evaluate(p, &pkt);
                if d.pass && d.stateful {
                    self.state.fw.push((f, ep));
                }
                (d.pass, d.rule, "FIREWALL_RULES_RESTRICTION")
            }
            (Some(st), Some(p)) => {
                let (action, rule) = dp.firewall_stateless(p, &pkt);
                match action.as_str() {
                    "aws:pass" => (true, rule, ""),
                    "aws:drop" => (false, rule, "FIREWALL_RULES_RESTRICTION"),
                    _ if st.fw.contains(&(f, ep)) => {
                        (true, format!("{rule}; stateful: reply of an established flow"), "")
                    }
                    _ => (
                        false,
                        format!("{rule}; stateful: no state for this flow in this endpoint (the request passed another endpoint or none): dropped"),
                        "ASYMMETRIC_INSPECTION",
                    ),
                }
            }
        };
        hop!(
            self,
            "firewall-endpoint",
            e.id.as_deref(),
            &e.name,
            acct,
            Some(&az),
            if pass { "pass" } else { "drop" },
            format!("{}: {}", fw.name, detail),
        );
        self.inspected.push(id);
        if !pass {
            return Err((Verdict::Denied, code));
        }
        self.emit(subnet, via)
    }

    /// A Gateway Load Balancer endpoint: the flow goes to one appliance of the GWLB's
    /// fleet (5-tuple stickiness, the same for both directions) and back to the endpoint,
    /// which forwards by its subnet's route table.
    fn gwlbe(&mut self, v: usize, from: Option<usize>, via: Via) -> Outcome {
        self.special()?;

        let dp = self.dp;
        let e = &dp.model.vpc_endpoints[v];
        let Some(subnet) = e
            .subnet
            .as_deref()
            .and_then(|s| dp.index.get_kind(s, ObjectKind::Subnet))
        else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        let az = dp.model.subnets[subnet].az.clone();
        let acct = dp.vpc_of_subnet(subnet).and_then(|x| self.vpc_account(x));
        if dp.vpce_down[v] {
            hop!(
                self,
                "gwlb-endpoint",
                e.id.as_deref(),
                &e.name,
                acct,
                Some(&az),
                "down",
                "the endpoint (or its AZ) is failed".into(),
            );
            return Err((Verdict::Unreachable, "COMPONENT_FAILED"));
        }
        self.enter_subnet(from, subnet)?;
        self.inspected
            .push(e.id.clone().unwrap_or_else(|| e.name.clone()));
        let gwlb = e
            .gateway_load_balancer
            .as_deref()
            .and_then(|g| dp.index.get_kind(g, ObjectKind::GatewayLoadBalancer));
        let healthy: Vec<usize> = gwlb
            .map(|g| {
                dp.model.gateway_load_balancers[g]
                    .appliances
                    .iter()
                    .filter_map(|a| dp.index.get_kind(a, ObjectKind::NetworkInterface))
                    .filter(|a| !dp.eni_down[*a])
                    .collect()
            })
            .unwrap_or_default();
        if healthy.is_empty() {
            hop!(
                self,
                "gwlb-endpoint",
                e.id.as_deref(),
                &e.name,
                acct,
                Some(&az),
                "drop",
                "the Gateway Load Balancer has no healthy appliance".into(),
            );
            return Err((Verdict::Unreachable, "ELBV2_NO_TARGETS_IN_AZ"));
        }
        let pick = healthy[(self.flow_hash() % healthy.len() as u64) as usize];
        let a = &dp.model.network_interfaces[pick];
        let g = gwlb
            .map(|g| dp.model.gateway_load_balancers[g].name.clone())
            .unwrap_or_default();
        hop!(
            self,
            "gwlb-endpoint",
            e.id.as_deref(),
            &e.name,
            acct,
            Some(&az),
            "forward",
            format!("to {g} (GENEVE)"),
        );
        let a_sub = dp.subnet_of_interface(pick);
        let a_az = a_sub.map(|s| dp.model.subnets[s].az.clone());
        hop!(
            self,
            "appliance",
            a.id.as_deref(),
            &a.name,
            acct,
            a_az.as_deref(),
            "inspect",
            format!("appliance of {g} chosen by flow hash; returns the packet to the endpoint"),
        );
        self.inspected
            .push(a.id.clone().unwrap_or_else(|| a.name.clone()));
        self.emit(subnet, via)
    }

    /// NAT gateway: source NAT to its private address (then the IGW maps it to the
    /// Elastic IP). It does not forward traffic that arrives over peering, VPN or Direct
    /// Connect; traffic from a transit gateway is fine [NAT; RA NGW_REQUIRES_SOURCE_IN_VPC].
    fn nat(&mut self, n: usize, from: Option<usize>, via: Via) -> Outcome {
        self.special()?;
        self.src_exact = true;

        let dp = self.dp;
        let g = &dp.model.nat_gateways[n];
        let Some(subnet) = dp.index.get_kind(&g.subnet, ObjectKind::Subnet) else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        let az = dp.model.subnets[subnet].az.clone();
        let acct = dp.vpc_of_subnet(subnet).and_then(|x| self.vpc_account(x));
        if dp.nat_down[n] {
            hop!(
                self,
                "nat-gateway",
                g.id.as_deref(),
                &g.name,
                acct,
                Some(&az),
                "down",
                "the NAT gateway (or its AZ) is failed".into(),
            );
            return Err((Verdict::Unreachable, "COMPONENT_FAILED"));
        }
        self.enter_subnet(from, subnet)?;
        if matches!(via, Via::Peering | Via::Vgw) {
            hop!(
                self,
                "nat-gateway",
                g.id.as_deref(),
                &g.name,
                acct,
                Some(&az),
                "drop",
                "traffic from a peering connection, VPN or Direct Connect cannot use a NAT gateway"
                    .into(),
            );
            return Err((Verdict::Unreachable, "NGW_REQUIRES_SOURCE_IN_VPC"));
        }
        if !matches!(
            self.pkt.protocol,
            Protocol::Tcp | Protocol::Udp | Protocol::Icmp | Protocol::All
        ) {
            hop!(
                self,
                "nat-gateway",
                g.id.as_deref(),
                &g.name,
                acct,
                Some(&az),
                "drop",
                "NAT gateways translate TCP, UDP and ICMP only".into(),
            );
            return Err((Verdict::Unreachable, "PROTOCOL_RESTRICTION"));
        }
        let IpAddr::V4(_) = self.pkt.src else {
            return Err((Verdict::Unreachable, "PROTOCOL_RESTRICTION"));
        };
        let old = self.pkt.src;
        self.pkt.src = IpAddr::V4(g.private_ip);
        self.state.nat.push((n, old));
        hop!(
            self,
            "nat-gateway",
            g.id.as_deref(),
            &g.name,
            acct,
            Some(&az),
            "snat",
            format!("source {old} → {}", g.private_ip),
        );
        self.emit(subnet, Via::Local)
    }

    fn nat_reverse(&mut self, n: usize, from: Option<usize>, orig: IpAddr) -> Outcome {
        self.special()?;
        self.src_exact = true;

        let dp = self.dp;
        let g = &dp.model.nat_gateways[n];
        let Some(subnet) = dp.index.get_kind(&g.subnet, ObjectKind::Subnet) else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        let az = dp.model.subnets[subnet].az.clone();
        let acct = dp.vpc_of_subnet(subnet).and_then(|x| self.vpc_account(x));
        if dp.nat_down[n] {
            return Err((Verdict::Unreachable, "COMPONENT_FAILED"));
        }
        self.enter_subnet(from, subnet)?;
        let was = self.pkt.dst;
        self.pkt.dst = orig;
        hop!(
            self,
            "nat-gateway",
            g.id.as_deref(),
            &g.name,
            acct,
            Some(&az),
            "un-nat",
            format!("destination {was} → {orig}"),
        );
        self.emit(subnet, Via::Local)
    }

    /// Internet gateway, outbound: 1:1 NAT of the source's public/Elastic IP; a source
    /// without one cannot leave; private and in-VPC destinations are rejected [IGW; RA
    /// IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS, IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS].
    fn igw_egress(&mut self, i: usize, vpc: usize) -> Outcome {
        self.special()?;
        self.src_exact = true;

        let dp = self.dp;
        let g = &dp.model.internet_gateways[i];
        let acct = self.vpc_account(vpc);
        let dst = self.pkt.dst;
        if is_private_v4(dst) {
            hop!(
                self,
                "internet-gateway",
                g.id.as_deref(),
                &g.name,
                acct,
                None,
                "drop",
                format!("{dst} is a private address: not sent to the Internet"),
            );
            return Err((
                Verdict::Unreachable,
                "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS",
            ));
        }
        if dp.model.vpcs[vpc].cidrs.iter().any(|c| c.contains(&dst)) {
            return Err((Verdict::Unreachable, "IGW_DESTINATION_ADDRESS_IN_VPC_CIDRS"));
        }
        if self.pkt.src.is_ipv4() {
            let public = match dp.private_owner(vpc, self.pkt.src) {
                Some(Owner::Interface(e)) => dp.model.network_interfaces[e].public_ip,
                Some(Owner::NatGateway(n)) => {
                    let ng = &dp.model.nat_gateways[n];
                    // Traffic from a private NAT gateway sent to an IGW is dropped [NAT].
                    if ng.connectivity == NatConnectivity::Public {
                        ng.public_ip
                    } else {
                        None
                    }
                }
                None => None,
            };
            let Some(public) = public else {
                hop!(
                    self,
                    "internet-gateway",
                    g.id.as_deref(),
                    &g.name,
                    acct,
                    None,
                    "drop",
                    format!("source {} has no public or Elastic IP", self.pkt.src),
                );
                return Err((Verdict::Unreachable, "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"));
            };
            let old = self.pkt.src;
            self.pkt.src = IpAddr::V4(public);
            hop!(
                self,
                "internet-gateway",
                g.id.as_deref(),
                &g.name,
                acct,
                None,
                "egress",
                format!("source {old} → {public}"),
            );
        } else {
            hop!(
                self,
                "internet-gateway",
                g.id.as_deref(),
                &g.name,
                acct,
                None,
                "egress",
                "IPv6: no translation".into(),
            );
        }
        // A public address of the modelled network is reached over the Internet and
        // through its VPC's Internet gateway.
        let owner_vpc = match dst {
            IpAddr::V4(_) => dp.public_owner(dst).and_then(|o| self.owner_vpc(o)),
            IpAddr::V6(_) => (0..dp.model.vpcs.len()).find(|v| dp.private_owner(*v, dst).is_some()),
        };
        if let Some((g, c)) = dp.vpn_tunnel_endpoint(dst) {
            hop!(
                self,
                "internet",
                None,
                "internet",
                None,
                None,
                "forward",
                format!("{dst} is a VPN tunnel outside address"),
            );
            return self.vpn_tunnel_endpoint(g, c);
        }
        match owner_vpc.and_then(|v| dp.vpc_igw[v].map(|g| (v, g))) {
            Some((v, g2)) => {
                hop!(
                    self,
                    "internet",
                    None,
                    "internet",
                    None,
                    None,
                    "forward",
                    format!("{dst} is a public address of VPC {}", dp.model.vpcs[v].name),
                );
                self.igw_ingress(g2, v)
            }
            None => self.exit_to_internet(),
        }
    }

    /// Internet gateway, inbound: only to a public/Elastic IP of the VPC, translated to
    /// its private address; then the gateway route table (edge association) if any
    /// steers it [GRT], else the local route.
    fn igw_ingress(&mut self, i: usize, vpc: usize) -> Outcome {
        self.special()?;
        self.src_exact = true;

        let dp = self.dp;
        let g = &dp.model.internet_gateways[i];
        let acct = self.vpc_account(vpc);
        if is_private_v4(self.pkt.src) {
            hop!(
                self,
                "internet-gateway",
                g.id.as_deref(),
                &g.name,
                acct,
                None,
                "drop",
                format!("source {} is a private address", self.pkt.src),
            );
            return Err((
                Verdict::Unreachable,
                "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS",
            ));
        }
        let dst = self.pkt.dst;
        if dst.is_ipv4() {
            let private = match dp.public_owner(dst) {
                Some(o) if self.owner_vpc(o) == Some(vpc) => match o {
                    Owner::Interface(e) => dp.model.network_interfaces[e]
                        .private_ips
                        .iter()
                        .find(|a| a.is_ipv4())
                        .copied(),
                    Owner::NatGateway(n) => Some(IpAddr::V4(dp.model.nat_gateways[n].private_ip)),
                },
                _ => None,
            };
            let Some(private) = private else {
                hop!(
                    self,
                    "internet-gateway",
                    g.id.as_deref(),
                    &g.name,
                    acct,
                    None,
                    "drop",
                    format!("{dst} is no public address of this VPC"),
                );
                return Err((
                    Verdict::Unreachable,
                    "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
                ));
            };
            self.pkt.dst = private;
            hop!(
                self,
                "internet-gateway",
                g.id.as_deref(),
                &g.name,
                acct,
                None,
                "ingress",
                format!("destination {dst} → {private}"),
            );
        } else {
            hop!(
                self,
                "internet-gateway",
                g.id.as_deref(),
                &g.name,
                acct,
                None,
                "ingress",
                "IPv6".into(),
            );
        }
        match dp.igw_edge_rt[i] {
            Some(rt) => self.route_in_table(rt, None, vpc, Via::Igw),
            None => self.deliver_local(vpc, None, Via::Igw),
        }
    }

    /// Egress-only Internet gateway: IPv6 out, and only replies back in.
    fn eigw_egress(&mut self, i: usize, vpc: usize) -> Outcome {
        self.special()?;
        self.src_exact = true;

        let dp = self.dp;
        let g = &dp.model.egress_only_internet_gateways[i];
        if !self.pkt.dst.is_ipv6() {
            return Err((Verdict::Unreachable, "PROTOCOL_RESTRICTION"));
        }
        hop!(
            self,
            "egress-only-internet-gateway",
            g.id.as_deref(),
            &g.name,
            self.vpc_account(vpc),
            None,
            "egress",
            "IPv6, outbound-initiated".into(),
        );
        self.exit_to_internet()
    }

    /// The packet leaves the modelled network for the Internet (its destination is no
    /// address the twin models).
    pub(super) fn exit_to_internet(&mut self) -> Outcome {
        let dst = self.pkt.dst;
        hop!(
            self,
            "internet",
            None,
            "internet",
            None,
            None,
            "exit",
            format!("to {dst}"),
        );
        self.end = End::Internet;
        Ok(Verdict::ExitsNetwork)
    }

    /// Virtual private gateway, outbound: to the site whose connection covers the
    /// destination (longest prefix, Direct Connect before VPN).
    fn vgw_egress(&mut self, gi: usize, vpc: usize, via: Via) -> Outcome {
        self.special()?;

        let dp = self.dp;
        let g = &dp.model.vpn_gateways[gi];
        let acct = self.vpc_account(vpc);
        if via == Via::Peering {
            hop!(
                self,
                "vpn-gateway",
                g.id.as_deref(),
                &g.name,
                acct,
                None,
                "drop",
                "no edge-to-edge routing through a peered VPC's gateway".into(),
            );
            return Err((Verdict::Unreachable, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"));
        }
        let dst = self.pkt.dst;
        let mut best: Option<(u8, u8, usize)> = None;
        for (ci, c) in g.connections.iter().enumerate() {
            if dp.vgw_conn_down.contains(&(gi, ci)) {
                continue;
            }
            let prefixes = if c.advertised_prefixes.is_empty() {
                dp.model
                    .onprem_sites
                    .iter()
                    .find(|s| s.name == c.site)
                    .map(|s| s.prefixes.clone())
                    .unwrap_or_default()
            } else {
                c.advertised_prefixes.clone()
            };
            let Some(len) = prefixes
                .iter()
                .filter(|p| p.contains(&dst))
                .map(|p| p.prefix_len())
                .max()
            else {
                continue;
            };
            let rank = u8::from(c.kind != crate::model::ConnectionKind::DirectConnect);
            if best.is_none_or(|(l, r, _)| len > l || (len == l && rank < r)) {
                best = Some((len, rank, ci));
            }
        }
        let Some((_, _, ci)) = best else {
            hop!(
                self,
                "vpn-gateway",
                g.id.as_deref(),
                &g.name,
                acct,
                None,
                "no-route",
                format!("no connection advertises {dst}"),
            );
            return Err((Verdict::NoRoute, "NO_ROUTE_TO_DESTINATION"));
        };
        let c = &g.connections[ci];
        hop!(
            self,
            "vpn-gateway",
            g.id.as_deref(),
            &g.name,
            acct,
            None,
            "exit",
            format!("over {}", c.name),
        );
        let site = dp.model.onprem_sites.iter().position(|s| s.name == c.site);
        hop!(
            self,
            "onprem-site",
            None,
            &c.site,
            None,
            None,
            "exit",
            format!("to {dst}"),
        );
        self.end = End::Site(site);
        Ok(Verdict::ExitsNetwork)
    }

    fn vgw_ingress(&mut self, gi: usize) -> Outcome {
        self.special()?;

        let dp = self.dp;
        let g = &dp.model.vpn_gateways[gi];
        let Some(vpc) = g
            .vpc
            .as_deref()
            .and_then(|v| dp.index.get_kind(v, ObjectKind::Vpc))
        else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        hop!(
            self,
            "vpn-gateway",
            g.id.as_deref(),
            &g.name,
            self.vpc_account(vpc),
            None,
            "ingress",
            String::new(),
        );
        match dp.vgw_edge_rt[gi] {
            Some(rt) => self.route_in_table(rt, None, vpc, Via::Vgw),
            None => self.deliver_local(vpc, None, Via::Vgw),
        }
    }

    /// VPC peering: only between the two VPCs' own addresses — not transitive, no
    /// edge-to-edge routing [PCX].
    fn peering(&mut self, p: usize, vpc: usize, _via: Via) -> Outcome {
        self.special()?;
        self.src_exact = true;

        let dp = self.dp;
        let pcx = &dp.model.vpc_peering_connections[p];
        let a = dp.index.get_kind(&pcx.requester_vpc, ObjectKind::Vpc);
        let b = dp.index.get_kind(&pcx.accepter_vpc, ObjectKind::Vpc);
        let other = if a == Some(vpc) { b } else { a };
        let Some(other) = other else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        let acct = self.vpc_account(vpc);
        let (src, dst) = (self.pkt.src, self.pkt.dst);
        if !dp.model.vpcs[other].cidrs.iter().any(|c| c.contains(&dst)) {
            hop!(
                self,
                "vpc-peering-connection",
                pcx.id.as_deref(),
                &pcx.name,
                acct,
                None,
                "drop",
                format!("{dst} is not in the peer VPC"),
            );
            return Err((Verdict::Unreachable, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"));
        }
        if !dp.model.vpcs[vpc].cidrs.iter().any(|c| c.contains(&src)) {
            hop!(
                self,
                "vpc-peering-connection",
                pcx.id.as_deref(),
                &pcx.name,
                acct,
                None,
                "drop",
                format!("source {src} is not in the local VPC: peering is not transitive"),
            );
            return Err((Verdict::Unreachable, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"));
        }
        hop!(
            self,
            "vpc-peering-connection",
            pcx.id.as_deref(),
            &pcx.name,
            acct,
            None,
            "forward",
            format!("to VPC {}", dp.model.vpcs[other].name),
        );
        self.deliver_local(other, None, Via::Peering)
    }

    // ------------------------------------------------------------------ Transit Gateway

    /// From a VPC into a Transit Gateway: through the attachment's ENI in the sending
    /// subnet's AZ; a subnet in an AZ where the attachment has no subnet cannot reach the
    /// TGW [HTW; RA TGW_ATTACH_VPC_AZ_RESTRICTION].
    fn tgw_from_vpc(&mut self, t: usize, vpc: usize, from: Option<usize>) -> Outcome {
        let dp = self.dp;
        let Some(att) = dp.vpc_attachment.get(&(vpc, t)).copied() else {
            let tg = &dp.model.transit_gateways[t];
            hop!(
                self,
                "transit-gateway",
                tg.id.as_deref(),
                &tg.name,
                dp.tgw_account[t].as_deref(),
                None,
                "drop",
                format!(
                    "VPC {} has no available attachment to this transit gateway",
                    dp.model.vpcs[vpc].name
                ),
            );
            return Err((Verdict::Unreachable, "TGW_ATTACH_NOT_FOUND"));
        };
        let at = &dp.model.transit_gateway_attachments[att];
        let az = from.map(|s| dp.model.subnets[s].az.clone());
        let acct = self.attachment_account(att);
        let eni_subnet = az.as_ref().and_then(|z| {
            dp.attachment_azs[att]
                .iter()
                .find(|(a, _)| a == z)
                .map(|(_, s)| *s)
        });
        let Some(eni_subnet) = eni_subnet else {
            hop!(
                self,
                "tgw-attachment",
                at.id.as_deref(),
                &at.name,
                acct,
                az.as_deref(),
                "drop",
                format!(
                    "the attachment has no (working) subnet in {}",
                    az.clone().unwrap_or_default()
                ),
            );
            return Err((Verdict::Unreachable, "TGW_ATTACH_VPC_AZ_RESTRICTION"));
        };
        self.enter_subnet(from, eni_subnet)?;
        let sname = dp.model.subnets[eni_subnet].name.clone();
        hop!(
            self,
            "tgw-attachment",
            at.id.as_deref(),
            &at.name,
            acct,
            az.as_deref(),
            "enter",
            format!("through its interface in {sname}"),
        );
        self.tgw_route(att, az)
    }

    /// The TGW route table associated with the arriving attachment decides [HTW].
    fn tgw_route(&mut self, att: usize, az: Option<String>) -> Outcome {
        self.step(1, att)?;
        let dp = self.dp;
        let at = &dp.model.transit_gateway_attachments[att];
        self.consult(|w| &w.attachments, att);
        let Some(rtb) = dp.attachment_assoc[att] else {
            hop!(
                self,
                "tgw-attachment",
                at.id.as_deref(),
                &at.name,
                self.attachment_account(att),
                az.as_deref(),
                "drop",
                "the attachment is associated with no route table".into(),
            );
            return Err((
                Verdict::Unreachable,
                "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
            ));
        };
        if self.segment == Segment::Prefix {
            self.cut = Some((rtb, az));
            return Err((Verdict::Unreachable, CUT));
        }
        self.tgw_route_table(rtb, az)
    }

    /// Look the packet up in transit gateway route table `rtb` and follow the route.
    fn tgw_route_table(&mut self, rtb: usize, az: Option<String>) -> Outcome {
        let dp = self.dp;
        self.consult_lookup(|w| &w.tgw_route_tables, rtb);
        let trt = &dp.model.transit_gateway_route_tables[rtb];
        // The account is for explanations only: looked up (by name) only when they are
        // built.
        let acct = || {
            dp.index
                .get_kind(&trt.transit_gateway, ObjectKind::TransitGateway)
                .and_then(|t| dp.tgw_account[t].as_deref())
        };
        let dst = self.pkt.dst;
        let Some((_, r)) = dp.tgw_route(rtb, dst) else {
            hop!(
                self,
                "tgw-route-table",
                trt.id.as_deref(),
                &trt.name,
                acct(),
                az.as_deref(),
                "no-route",
                format!("no route matches {dst}"),
            );
            return Err((Verdict::NoRoute, "TGW_RTB_CANNOT_ROUTE"));
        };
        let Some(out) = r.attachment else {
            hop!(
                self,
                "tgw-route-table",
                trt.id.as_deref(),
                &trt.name,
                acct(),
                az.as_deref(),
                "blackhole",
                r.detail.clone(),
            );
            return Err((Verdict::Blackhole, "TGW_RTB_BAD_STATE_ROUTE"));
        };
        hop!(
            self,
            "tgw-route-table",
            trt.id.as_deref(),
            &trt.name,
            acct(),
            az.as_deref(),
            "forward",
            r.detail.clone(),
        );
        self.tgw_exit(out, az)
    }

    fn tgw_exit(&mut self, b: usize, az: Option<String>) -> Outcome {
        let az_is_cut = std::mem::take(&mut self.az_is_cut);
        let dp = self.dp;
        let at = &dp.model.transit_gateway_attachments[b];
        let acct = self.attachment_account(b);
        match at.attachment_type {
            AttachmentType::Vpc => {
                let azs = &dp.attachment_azs[b];
                if azs.is_empty() {
                    hop!(
                        self,
                        "tgw-attachment",
                        at.id.as_deref(),
                        &at.name,
                        acct,
                        None,
                        "drop",
                        "no available subnet in any AZ".into(),
                    );
                    return Err((Verdict::Unreachable, "TGW_ATTACH_VPC_AZ_RESTRICTION"));
                }
                // The arrival AZ matters only without appliance mode (AZ affinity).
                let same = if at.appliance_mode {
                    None
                } else {
                    if az_is_cut {
                        self.note(Dep::Az);
                    }
                    az.as_ref()
                        .and_then(|z| azs.iter().find(|(a, _)| a == z).cloned())
                };
                // The hash is taken only when it decides (a walk records whether it did).
                let hashed = if at.appliance_mode || same.is_none() {
                    azs[(self.flow_hash() % azs.len() as u64) as usize].clone()
                } else {
                    (String::new(), 0)
                };
                // Appliance mode: one interface chosen by flow hash for both directions
                // of the flow. Otherwise AZ affinity: stay in the source AZ if the
                // attachment has a subnet there, else another AZ [APP].
                let ((chosen_az, subnet), why) = if at.appliance_mode {
                    (
                        hashed,
                        "appliance mode: the flow hash picks the AZ (the same for the reply)"
                            .to_string(),
                    )
                } else if let Some(s) = same {
                    (s, "AZ affinity: stays in the source AZ".to_string())
                } else {
                    let w = match &az {
                        Some(z) => format!("no subnet in {z}: another AZ"),
                        None => "from a VPN/DX/peering attachment: AZ by flow hash".into(),
                    };
                    (hashed, w)
                };
                let sname = dp.model.subnets[subnet].name.clone();
                hop!(
                    self,
                    "tgw-attachment",
                    at.id.as_deref(),
                    &at.name,
                    acct,
                    Some(&chosen_az),
                    "exit",
                    format!("{why}; out through {sname}"),
                );
                self.emit(subnet, Via::Tgw)
            }
            AttachmentType::Vpn
            | AttachmentType::DirectConnectGateway
            | AttachmentType::Connect => {
                hop!(
                    self,
                    "tgw-attachment",
                    at.id.as_deref(),
                    &at.name,
                    acct,
                    None,
                    "exit",
                    attachment_kind(at.attachment_type).to_string(),
                );
                let site = at
                    .site
                    .as_deref()
                    .and_then(|s| dp.model.onprem_sites.iter().position(|x| x.name == s));
                let sname = at.site.clone().unwrap_or_else(|| "on-premises".into());
                hop!(
                    self,
                    "onprem-site",
                    None,
                    &sname,
                    None,
                    None,
                    "exit",
                    format!("to {}", self.pkt.dst),
                );
                self.end = End::Site(site);
                Ok(Verdict::ExitsNetwork)
            }
            AttachmentType::Peering => {
                let same_tgw = |x: &str, y: &str| {
                    x == y
                        || dp.index.get_kind(x, ObjectKind::TransitGateway).is_some()
                            && dp.index.get_kind(x, ObjectKind::TransitGateway)
                                == dp.index.get_kind(y, ObjectKind::TransitGateway)
                };
                let peer = at.peer_transit_gateway.as_deref().and_then(|p| {
                    dp.model
                        .transit_gateway_attachments
                        .iter()
                        .enumerate()
                        .position(|(i, x)| {
                            i != b
                                && x.attachment_type == AttachmentType::Peering
                                && !dp.attachment_down[i]
                                && same_tgw(&x.transit_gateway, p)
                                && x.peer_transit_gateway
                                    .as_deref()
                                    .is_some_and(|q| same_tgw(q, &at.transit_gateway))
                        })
                });
                let Some(peer) = peer else {
                    hop!(
                        self,
                        "tgw-attachment",
                        at.id.as_deref(),
                        &at.name,
                        acct,
                        None,
                        "drop",
                        "the peer transit gateway's side of the peering is not modelled".into(),
                    );
                    return Err((Verdict::Unreachable, "TGW_PEERING_NOT_MODELLED"));
                };
                hop!(
                    self,
                    "tgw-attachment",
                    at.id.as_deref(),
                    &at.name,
                    acct,
                    None,
                    "exit",
                    "peering to the other transit gateway".into(),
                );
                let pa = &dp.model.transit_gateway_attachments[peer];
                hop!(
                    self,
                    "tgw-attachment",
                    pa.id.as_deref(),
                    &pa.name,
                    self.attachment_account(peer),
                    None,
                    "enter",
                    "peering attachment".into(),
                );
                self.tgw_route(peer, None)
            }
        }
    }
}

fn attachment_kind(t: AttachmentType) -> &'static str {
    match t {
        AttachmentType::Vpc => "VPC attachment",
        AttachmentType::Vpn => "VPN attachment",
        AttachmentType::DirectConnectGateway => "Direct Connect gateway attachment",
        AttachmentType::Peering => "peering attachment",
        AttachmentType::Connect => "Connect attachment",
    }
}
