//! The snapshot as read: AWS objects keyed by AWS id, before names and references
//! are resolved. Copies of one object from several accounts' files (a shared TGW, a
//! peering connection) are merged here by id: the first copy wins, later copies only
//! fill what the first one lacked.

use crate::model::{
    FirewallPolicy, NetworkAclEntry, PortRange, Protocol, RuleGroup, VpcEndpointType,
};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr};

/// Where a record was read: index into [`RawSnapshot::origins`].
pub type OriginId = usize;

/// A file's account and region.
#[derive(Clone, Debug)]
pub struct Origin {
    /// File shown in messages.
    pub file: String,
    /// Account folder.
    pub account: String,
    /// Region folder.
    pub region: String,
}

/// Fields every record has.
#[derive(Clone, Debug, Default)]
pub struct Common {
    /// Where it was read (first copy).
    pub origin: OriginId,
    /// JSON path in that file.
    pub path: String,
    /// Tags.
    pub tags: BTreeMap<String, String>,
    /// `OwnerId`, when given.
    pub owner: Option<String>,
}

impl Common {
    /// The `Name` tag.
    pub fn name_tag(&self) -> Option<&str> {
        self.tags
            .get("Name")
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
    }
}

/// A VPC.
#[derive(Clone, Debug, Default)]
pub struct RawVpc {
    pub c: Common,
    pub cidrs: Vec<IpNet>,
}

/// A subnet.
#[derive(Clone, Debug)]
pub struct RawSubnet {
    pub c: Common,
    pub vpc: String,
    pub az: String,
    pub cidr: Option<Ipv4Net>,
    pub ipv6: Option<Ipv6Net>,
}

/// A route target as AWS writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawTarget {
    /// `GatewayId: local`.
    Local,
    /// `GatewayId: igw-…|vgw-…|vpce-…` (decided by what the id resolves to).
    Gateway(String),
    /// `EgressOnlyInternetGatewayId`.
    EgressOnly(String),
    /// `NatGatewayId`.
    Nat(String),
    /// `TransitGatewayId`.
    Tgw(String),
    /// `VpcPeeringConnectionId`.
    Peering(String),
    /// `NetworkInterfaceId`.
    Eni(String),
    /// `InstanceId` (without an ENI id).
    Instance(String),
    /// A target lztwin does not model (local gateway, carrier gateway, core network).
    Unsupported(String),
}

/// One VPC route.
#[derive(Clone, Debug)]
pub struct RawRoute {
    pub path: String,
    pub dest: Option<IpNet>,
    pub dest_pl: Option<String>,
    pub target: RawTarget,
    /// `Origin`: `CreateRouteTable`, `CreateRoute`, `EnableVgwRoutePropagation`.
    pub origin: String,
    pub blackhole: bool,
}

/// A VPC route table.
#[derive(Clone, Debug)]
pub struct RawRouteTable {
    pub c: Common,
    pub vpc: String,
    pub main: bool,
    pub subnets: Vec<String>,
    pub edges: Vec<String>,
    pub propagating_vgws: Vec<String>,
    pub routes: Vec<RawRoute>,
}

/// An internet gateway or egress-only internet gateway.
#[derive(Clone, Debug)]
pub struct RawGateway {
    pub c: Common,
    pub vpc: Option<String>,
}

/// A NAT gateway.
#[derive(Clone, Debug)]
pub struct RawNat {
    pub c: Common,
    pub subnet: String,
    pub private: bool,
    pub private_ip: Option<Ipv4Addr>,
    pub public_ip: Option<Ipv4Addr>,
}

/// A virtual private gateway.
#[derive(Clone, Debug)]
pub struct RawVgw {
    pub c: Common,
    pub vpc: Option<String>,
    pub asn: Option<u32>,
}

/// A Site-to-Site VPN connection.
#[derive(Clone, Debug)]
pub struct RawVpn {
    pub c: Common,
    pub vgw: Option<String>,
    pub tgw: Option<String>,
    pub cgw: Option<String>,
    pub static_only: bool,
    pub routes: Vec<IpNet>,
    /// The AWS side's tunnel outside addresses (`CustomerGatewayConfiguration`, else
    /// `VgwTelemetry`).
    pub outside_ips: Vec<Ipv4Addr>,
}

/// A customer gateway.
#[derive(Clone, Debug)]
pub struct RawCgw {
    pub c: Common,
    /// `IpAddress`: the customer gateway's outside address.
    pub ip: Option<std::net::IpAddr>,
}

/// A VPC peering connection.
#[derive(Clone, Debug)]
pub struct RawPeering {
    pub c: Common,
    pub requester: String,
    pub accepter: String,
}

/// A prefix list (AWS-managed `PrefixLists` or customer `ManagedPrefixLists`).
#[derive(Clone, Debug)]
pub struct RawPrefixList {
    pub c: Common,
    pub name: Option<String>,
    pub entries: Option<Vec<IpNet>>,
}

/// A VPC endpoint.
#[derive(Clone, Debug)]
pub struct RawEndpoint {
    pub c: Common,
    pub vpc: String,
    pub etype: VpcEndpointType,
    pub service: Option<String>,
    pub subnets: Vec<String>,
    pub enis: Vec<String>,
}

/// A Transit Gateway.
#[derive(Clone, Debug)]
pub struct RawTgw {
    pub c: Common,
    pub asn: Option<u32>,
    pub default_association: bool,
    pub default_propagation: bool,
    pub association_rtb: Option<String>,
    pub propagation_rtb: Option<String>,
}

/// A Transit Gateway route table.
#[derive(Clone, Debug)]
pub struct RawTgwRtb {
    pub c: Common,
    pub tgw: String,
}

/// A Transit Gateway attachment, merged from every describe call that shows it.
/// Keyed by (attachment id, TGW id): a peering attachment has one side per TGW.
#[derive(Clone, Debug, Default)]
pub struct RawAttachment {
    pub c: Common,
    pub tgw: String,
    /// `vpc`, `vpn`, `direct-connect-gateway`, `peering`, `connect`, …
    pub rtype: Option<String>,
    pub resource: Option<String>,
    pub resource_owner: Option<String>,
    pub association: Option<String>,
    pub vpc: Option<String>,
    pub subnets: Vec<String>,
    pub appliance_mode: Option<bool>,
    pub peer_tgw: Option<String>,
    pub transport: Option<String>,
}

/// A TGW route from `search-transit-gateway-routes` (or Batfish's static-route wrapper).
#[derive(Clone, Debug)]
pub struct RawTgwRoute {
    pub origin: OriginId,
    pub path: String,
    pub rtb: String,
    pub dest: Option<IpNet>,
    pub dest_pl: Option<String>,
    /// `static` or `propagated`.
    pub rtype: String,
    pub blackhole: bool,
    pub attachment: Option<String>,
}

/// A prefix-list reference of a TGW route table.
#[derive(Clone, Debug)]
pub struct RawPlRef {
    pub origin: OriginId,
    pub path: String,
    pub rtb: String,
    pub pl: String,
    pub attachment: Option<String>,
    pub blackhole: bool,
}

/// A Direct Connect gateway.
#[derive(Clone, Debug)]
pub struct RawDxgw {
    pub c: Common,
    pub name: Option<String>,
}

/// A DX gateway association with a TGW or VGW.
#[derive(Clone, Debug)]
pub struct RawDxAssoc {
    pub origin: OriginId,
    pub dxgw: String,
    pub gateway: String,
}

/// A Direct Connect virtual interface.
#[derive(Clone, Debug)]
pub struct RawVif {
    pub c: Common,
    pub name: Option<String>,
    pub vif_type: String,
    pub vgw: Option<String>,
    pub dxgw: Option<String>,
    pub connection: Option<String>,
    /// `CustomerAddress` (`a.b.c.d/len`): the customer router's BGP peer address.
    pub customer_address: Option<std::net::IpAddr>,
}

/// A Network Firewall.
#[derive(Clone, Debug)]
pub struct RawFirewall {
    pub c: Common,
    pub name: String,
    pub vpc: String,
    pub policy_arn: String,
    /// (AZ, subnet id, endpoint id) from `FirewallStatus.SyncStates`.
    pub endpoints: Vec<(String, String, String)>,
}

/// A Network Firewall policy; rule groups referenced by ARN.
#[derive(Clone, Debug)]
pub struct RawPolicy {
    pub c: Common,
    pub policy: FirewallPolicy,
}

/// A Network Firewall rule group.
#[derive(Clone, Debug)]
pub struct RawRuleGroup {
    pub group: RuleGroup,
}

/// An Elastic Load Balancing load balancer.
#[derive(Clone, Debug)]
pub struct RawLb {
    pub c: Common,
    pub name: String,
    pub lb_type: String,
    pub vpc: Option<String>,
    pub subnets: Vec<String>,
    /// `Scheme` (`internal`, `internet-facing`).
    pub scheme: Option<String>,
    /// Per enabled AZ: (subnet, the node's `LoadBalancerAddresses`: private IPv4 address,
    /// public (Elastic) IP).
    pub addresses: Vec<(String, Vec<LbAddress>)>,
    /// `SecurityGroups` of the load balancer.
    pub groups: Vec<String>,
}

/// One of a load balancer node's `LoadBalancerAddresses`: (private IPv4 address,
/// public or Elastic IP).
pub type LbAddress = (Option<Ipv4Addr>, Option<Ipv4Addr>);

/// A listener of an ELBv2 load balancer.
#[derive(Clone, Debug)]
pub struct RawListener {
    pub c: Common,
    pub id: Option<String>,
    pub protocol: String,
    pub port: Option<u16>,
    /// Target groups of the default `forward` action (in order).
    pub target_groups: Vec<String>,
    /// Types of the default actions that are not `forward`.
    pub other_actions: Vec<String>,
}

/// A target group.
#[derive(Clone, Debug, Default)]
pub struct RawTargetGroup {
    pub c: Common,
    pub lbs: Vec<String>,
    pub name: Option<String>,
    pub vpc: Option<String>,
    pub protocol: Option<String>,
    pub port: Option<u16>,
    pub target_type: Option<String>,
}

/// A registered target (`describe-target-health`).
#[derive(Clone, Debug)]
pub struct RawLbTarget {
    pub id: String,
    pub port: Option<u16>,
    pub state: String,
}

/// A network interface.
#[derive(Clone, Debug, Default)]
pub struct RawEni {
    pub c: Common,
    pub subnet: String,
    pub instance: Option<String>,
    pub device_index: Option<i64>,
    pub private_ips: Vec<IpAddr>,
    pub public_ip: Option<Ipv4Addr>,
    pub groups: Vec<String>,
    pub source_dest_check: Option<bool>,
    pub interface_type: Option<String>,
    /// `Description` (a load balancer node's is `ELB net/<name>/<id>`).
    pub description: Option<String>,
}

/// An EC2 instance (for state, name and source/dest check).
#[derive(Clone, Debug)]
pub struct RawInstance {
    pub c: Common,
    pub state: Option<String>,
    pub source_dest_check: Option<bool>,
}

/// Peer of a security-group rule.
#[derive(Clone, Debug)]
pub enum RawPeer {
    Cidr(IpNet),
    PrefixList(String),
    Group(String),
}

/// One security-group rule with one peer.
#[derive(Clone, Debug)]
pub struct RawSgRule {
    pub path: String,
    pub protocol: Protocol,
    pub ports: PortRange,
    pub peer: RawPeer,
    pub description: Option<String>,
}

/// A security group.
#[derive(Clone, Debug)]
pub struct RawSg {
    pub c: Common,
    pub group_name: Option<String>,
    pub vpc: Option<String>,
    pub ingress: Vec<RawSgRule>,
    pub egress: Vec<RawSgRule>,
}

/// A network ACL.
#[derive(Clone, Debug)]
pub struct RawNacl {
    pub c: Common,
    pub vpc: String,
    pub default: bool,
    pub subnets: Vec<String>,
    pub entries: Vec<NetworkAclEntry>,
}

/// An Elastic IP association.
#[derive(Clone, Debug)]
pub struct RawEip {
    pub eni: Option<String>,
    pub private_ip: Option<IpAddr>,
    pub public_ip: Ipv4Addr,
}

/// An account entry (`Accounts`, Organizations `list-accounts` output plus tags).
#[derive(Clone, Debug, Default)]
pub struct RawAccount {
    pub id: Option<String>,
    pub name: Option<String>,
    pub tags: BTreeMap<String, String>,
}

/// Everything read from a snapshot.
#[derive(Default, Debug)]
pub struct RawSnapshot {
    pub origins: Vec<Origin>,
    pub vpcs: BTreeMap<String, RawVpc>,
    pub subnets: BTreeMap<String, RawSubnet>,
    pub route_tables: BTreeMap<String, RawRouteTable>,
    pub igws: BTreeMap<String, RawGateway>,
    pub eigws: BTreeMap<String, RawGateway>,
    pub nats: BTreeMap<String, RawNat>,
    pub vgws: BTreeMap<String, RawVgw>,
    pub vpns: BTreeMap<String, RawVpn>,
    pub cgws: BTreeMap<String, RawCgw>,
    pub peerings: BTreeMap<String, RawPeering>,
    pub prefix_lists: BTreeMap<String, RawPrefixList>,
    pub endpoints: BTreeMap<String, RawEndpoint>,
    /// Endpoint service name → GWLB ARNs (`ServiceConfigurations`).
    pub endpoint_services: BTreeMap<String, Vec<String>>,
    pub tgws: BTreeMap<String, RawTgw>,
    pub tgw_rtbs: BTreeMap<String, RawTgwRtb>,
    pub attachments: BTreeMap<(String, String), RawAttachment>,
    /// (route table, attachment) propagations that are enabled.
    pub propagations: BTreeSet<(String, String)>,
    pub tgw_routes: Vec<RawTgwRoute>,
    pub pl_refs: Vec<RawPlRef>,
    pub dxgws: BTreeMap<String, RawDxgw>,
    pub dx_assocs: Vec<RawDxAssoc>,
    pub vifs: BTreeMap<String, RawVif>,
    pub firewalls: BTreeMap<String, RawFirewall>,
    pub policies: BTreeMap<String, RawPolicy>,
    pub rule_groups: BTreeMap<String, RawRuleGroup>,
    pub lbs: BTreeMap<String, RawLb>,
    pub target_groups: BTreeMap<String, RawTargetGroup>,
    /// Load balancer ARN → listeners.
    pub listeners: BTreeMap<String, Vec<RawListener>>,
    /// Load balancer or target group ARN → attributes (`Key` → `Value`).
    pub elb_attributes: BTreeMap<String, BTreeMap<String, String>>,
    /// Target group ARN → every registered target with its health state.
    pub targets: BTreeMap<String, Vec<RawLbTarget>>,
    /// Target group ARN → healthy target ids (instance ids or IPs).
    pub target_health: BTreeMap<String, BTreeSet<String>>,
    pub enis: BTreeMap<String, RawEni>,
    pub instances: BTreeMap<String, RawInstance>,
    pub sgs: BTreeMap<String, RawSg>,
    pub nacls: BTreeMap<String, RawNacl>,
    pub eips: Vec<RawEip>,
    /// Region → availability zones.
    pub azs: BTreeMap<String, BTreeSet<String>>,
    /// Account folder → account entry.
    pub accounts: BTreeMap<String, RawAccount>,
    /// On-premises router configurations (`configs/`).
    pub routers: Vec<super::routers::RawRouter>,
}

/// Insert `v` under `k` unless a copy is there already (then merge with `f`).
pub fn upsert<K: Ord, V>(map: &mut BTreeMap<K, V>, k: K, v: V, merge: impl FnOnce(&mut V, V)) {
    use std::collections::btree_map::Entry;
    match map.entry(k) {
        Entry::Vacant(e) => {
            e.insert(v);
        }
        Entry::Occupied(mut e) => merge(e.get_mut(), v),
    }
}

/// Keep the first copy (merge that ignores later copies).
pub fn keep_first<V>(_: &mut V, _: V) {}

/// Fill `a` from `b` where `a` is empty.
pub fn fill<T>(a: &mut Option<T>, b: Option<T>) {
    if a.is_none() {
        *a = b;
    }
}
