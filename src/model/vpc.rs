//! VPCs, subnets, route tables and the VPC gateways.
//!
//! Names follow the EC2 API: RouteTable, InternetGateway, NatGateway, …
//! See <https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html>.

use super::common::{is_default, is_false};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr};

/// A VPC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vpc {
    /// Unique name.
    pub name: String,
    /// AWS id (`vpc-…`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Owning account (by name).
    pub account: String,
    /// Region name.
    pub region: String,
    /// IPv4 and IPv6 CIDR blocks; the first IPv4 block is the primary one.
    pub cidrs: Vec<IpNet>,
}

/// A subnet: one CIDR in one availability zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    /// Unique name.
    pub name: String,
    /// AWS id (`subnet-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// VPC (by name).
    pub vpc: String,
    /// Availability zone name.
    pub az: String,
    /// IPv4 CIDR.
    pub cidr: Ipv4Net,
    /// Optional IPv6 CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr: Option<Ipv6Net>,
}

/// A VPC route table (main, custom, or a gateway route table with edge associations).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteTable {
    /// Unique name.
    pub name: String,
    /// AWS id (`rtb-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// VPC (by name).
    pub vpc: String,
    /// The VPC's main route table: used by every subnet without an explicit association.
    #[serde(default, skip_serializing_if = "is_false")]
    pub main: bool,
    /// Subnets explicitly associated with this table (by name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    /// Edge associations: internet or virtual private gateways (by name) whose inbound
    /// traffic this gateway route table steers (ingress routing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edge_associations: Vec<String>,
    /// Virtual private gateways whose routes propagate into this table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub propagating_vgws: Vec<String>,
    /// The routes. The local route of each VPC CIDR is implicit and need not be listed.
    #[serde(default)]
    pub routes: Vec<Route>,
}

/// How a route came into a route table (EC2 `Origin`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteOrigin {
    /// `CreateRoute`: a static route.
    #[default]
    Static,
    /// `CreateRouteTable`: the local route.
    Local,
    /// `EnableVgwRoutePropagation`: learned from a VGW.
    Propagated,
}

/// Where a propagated route was learned, for the equal-prefix tie-break
/// (DX BGP > VPN static > VPN BGP,
/// <https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html>).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PropagationSource {
    /// Direct Connect BGP.
    DirectConnect,
    /// Site-to-Site VPN static routes.
    VpnStatic,
    /// Site-to-Site VPN BGP.
    VpnBgp,
}

/// The state of a route (`active`, or `blackhole` when its target is gone).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteState {
    /// The route forwards.
    #[default]
    Active,
    /// The route drops matching traffic.
    Blackhole,
}

/// One route of a VPC route table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Destination CIDR (IPv4 or IPv6). Exactly one of this and `destination_prefix_list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<IpNet>,
    /// Destination managed prefix list (by name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_prefix_list: Option<String>,
    /// Where matching traffic goes.
    pub target: RouteTarget,
    /// How the route was created.
    #[serde(default, skip_serializing_if = "is_default")]
    pub origin: RouteOrigin,
    /// For propagated routes: where they were learned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propagation: Option<PropagationSource>,
    /// Active or blackhole.
    #[serde(default, skip_serializing_if = "is_default")]
    pub state: RouteState,
}

/// The target of a VPC route. Names refer to objects in the model.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteTarget {
    /// The VPC's local route.
    Local,
    /// An internet gateway.
    InternetGateway(String),
    /// An egress-only internet gateway (IPv6).
    EgressOnlyInternetGateway(String),
    /// A NAT gateway.
    NatGateway(String),
    /// A virtual private gateway.
    VpnGateway(String),
    /// A transit gateway.
    TransitGateway(String),
    /// A VPC peering connection.
    VpcPeeringConnection(String),
    /// A network interface (an appliance ENI or an instance's primary ENI).
    NetworkInterface(String),
    /// A VPC endpoint: a Gateway Load Balancer endpoint, an AWS Network Firewall
    /// endpoint, or a gateway endpoint.
    VpcEndpoint(String),
}

/// An internet gateway attached to a VPC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InternetGateway {
    /// Unique name.
    pub name: String,
    /// AWS id (`igw-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Attached VPC (by name); `None` when detached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
}

/// An egress-only internet gateway (IPv6, outbound-initiated only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EgressOnlyInternetGateway {
    /// Unique name.
    pub name: String,
    /// AWS id (`eigw-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Attached VPC (by name).
    pub vpc: String,
}

/// Public or private NAT gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NatConnectivity {
    /// Public: translates to its Elastic IP, for the Internet through an IGW.
    #[default]
    Public,
    /// Private: translates to its private IP; traffic it sends to an IGW is dropped.
    Private,
}

/// A NAT gateway in one subnet (and so one AZ).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatGateway {
    /// Unique name.
    pub name: String,
    /// AWS id (`nat-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Subnet (by name).
    pub subnet: String,
    /// Public or private.
    #[serde(default, skip_serializing_if = "is_default")]
    pub connectivity: NatConnectivity,
    /// Private address of its ENI.
    pub private_ip: Ipv4Addr,
    /// Elastic IP (public NAT gateways).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ipv4Addr>,
}

/// Routing of a VPN connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VpnRouting {
    /// BGP (dynamic) routing.
    #[default]
    Bgp,
    /// Static routes.
    Static,
}

/// Kind of an on-premises connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKind {
    /// Site-to-Site VPN.
    #[default]
    Vpn,
    /// Direct Connect (private VIF to a VGW, or a DX gateway).
    DirectConnect,
}

/// A connection from a virtual private gateway to an on-premises site.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VgwConnection {
    /// Name of the connection (e.g. the VPN connection or VIF).
    pub name: String,
    /// AWS id (`vpn-…`, `dxvif-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The on-premises site (by name).
    pub site: String,
    /// VPN or Direct Connect.
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: ConnectionKind,
    /// BGP or static (VPN only).
    #[serde(default, skip_serializing_if = "is_default")]
    pub routing: VpnRouting,
    /// The prefixes the site advertises over this connection; empty means all the site's prefixes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advertised_prefixes: Vec<IpNet>,
    /// The AWS side's tunnel outside addresses (VPN only; from the connection's
    /// `CustomerGatewayConfiguration`): public addresses held by the virtual private
    /// gateway, reached from the Internet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tunnel_outside_ips: Vec<Ipv4Addr>,
}

/// A virtual private gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpnGateway {
    /// Unique name.
    pub name: String,
    /// AWS id (`vgw-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Attached VPC (by name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    /// Amazon-side ASN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<u32>,
    /// VPN connections and private VIFs to on-premises sites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connections: Vec<VgwConnection>,
}

/// A VPC peering connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpcPeeringConnection {
    /// Unique name.
    pub name: String,
    /// AWS id (`pcx-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Requester VPC (by name).
    pub requester_vpc: String,
    /// Accepter VPC (by name).
    pub accepter_vpc: String,
}

/// A managed prefix list (customer-managed, or an AWS-managed one such as S3's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrefixList {
    /// Unique name.
    pub name: String,
    /// AWS id (`pl-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The CIDR entries.
    pub entries: Vec<IpNet>,
}

/// The kind of a VPC endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VpcEndpointType {
    /// A Gateway Load Balancer endpoint: routable, hands traffic to a GWLB.
    GatewayLoadBalancer,
    /// An interface endpoint (an ENI for an AWS or PrivateLink service).
    Interface,
    /// A gateway endpoint (S3, DynamoDB) reached through a prefix-list route.
    Gateway,
}

/// A VPC endpoint. Network Firewall endpoints are modelled on [`crate::model::Firewall`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpcEndpoint {
    /// Unique name.
    pub name: String,
    /// AWS id (`vpce-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// VPC (by name).
    pub vpc: String,
    /// Endpoint type.
    #[serde(rename = "type")]
    pub endpoint_type: VpcEndpointType,
    /// The subnet of a GWLB or interface endpoint (by name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    /// For GWLB endpoints: the Gateway Load Balancer (by name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_load_balancer: Option<String>,
    /// Service name (`com.amazonaws.eu-west-1.s3`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Private addresses of an interface endpoint's ENIs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_ips: Vec<IpAddr>,
    /// For gateway endpoints: the prefix list of the service (by name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_list: Option<String>,
}
