//! The environment model: typed structs for everything the twin simulates,
//! independent of where the data came from (native scenario, AWS snapshot, generator).
//!
//! Every object has a `name` unique across the whole model and an optional AWS `id`.
//! References between objects are by name. The model is plain data: the forwarding
//! semantics live in [`crate::dataplane`] and [`crate::sim`].

pub mod change;
pub mod common;
pub mod derive;
pub mod elb;
pub mod filters;
pub mod index;
pub mod inspection;
pub mod org;
pub mod policy;
pub mod tgw;
pub mod validate;
pub mod vpc;
pub mod workload;

pub use common::{PortRange, Protocol, RuleAction};
pub use elb::{
    LbTarget, Listener, ListenerProtocol, LoadBalancerScheme, NetworkLoadBalancer, TargetGroup,
    TargetType,
};
pub use filters::{NetworkAcl, NetworkAclEntry, SecurityGroup, SecurityGroupRule};
pub use index::{Index, ObjectKind, ObjectRef};
pub use inspection::{
    DomainList, Firewall, FirewallEndpoint, FirewallPolicy, GatewayLoadBalancer, RuleGroup,
    RuleGroupReference, RuleGroupType, RuleOrder, StatefulAction, StatefulDirection, StatefulRule,
    StatelessRule,
};
pub use org::{Account, Environment, Region};
pub use tgw::{
    AttachmentType, OnPremSite, TransitGateway, TransitGatewayAttachment,
    TransitGatewayPrefixListReference, TransitGatewayRoute, TransitGatewayRouteTable,
};
pub use vpc::{
    ConnectionKind, EgressOnlyInternetGateway, InternetGateway, NatConnectivity, NatGateway,
    PrefixList, PropagationSource, Route, RouteOrigin, RouteState, RouteTable, RouteTarget, Subnet,
    VgwConnection, Vpc, VpcEndpoint, VpcEndpointType, VpcPeeringConnection, VpnGateway, VpnRouting,
};
pub use workload::{InterfaceRole, NetworkInterface};

use serde::{Deserialize, Serialize};

/// A whole environment: the organisation and every network object in it.
///
/// This is also the native scenario format (see docs/scenario-format.md): a person
/// writes it by hand as JSON, with names instead of AWS ids.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Scenario name (used for output directories).
    pub name: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Regions and their availability zones.
    #[serde(default)]
    pub regions: Vec<Region>,
    /// Accounts.
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// VPCs.
    #[serde(default)]
    pub vpcs: Vec<Vpc>,
    /// Subnets.
    #[serde(default)]
    pub subnets: Vec<Subnet>,
    /// VPC route tables.
    #[serde(default)]
    pub route_tables: Vec<RouteTable>,
    /// Internet gateways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub internet_gateways: Vec<InternetGateway>,
    /// Egress-only internet gateways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub egress_only_internet_gateways: Vec<EgressOnlyInternetGateway>,
    /// NAT gateways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nat_gateways: Vec<NatGateway>,
    /// Virtual private gateways with their VPN/DX connections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpn_gateways: Vec<VpnGateway>,
    /// VPC peering connections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpc_peering_connections: Vec<VpcPeeringConnection>,
    /// Managed prefix lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix_lists: Vec<PrefixList>,
    /// VPC endpoints (GWLB, interface, gateway).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpc_endpoints: Vec<VpcEndpoint>,
    /// Transit Gateways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transit_gateways: Vec<TransitGateway>,
    /// Transit Gateway route tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transit_gateway_route_tables: Vec<TransitGatewayRouteTable>,
    /// Transit Gateway attachments (with associations and propagations).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transit_gateway_attachments: Vec<TransitGatewayAttachment>,
    /// On-premises sites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub onprem_sites: Vec<OnPremSite>,
    /// AWS Network Firewalls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firewalls: Vec<Firewall>,
    /// Network Firewall policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firewall_policies: Vec<FirewallPolicy>,
    /// Network Firewall rule groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_groups: Vec<RuleGroup>,
    /// Gateway Load Balancers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateway_load_balancers: Vec<GatewayLoadBalancer>,
    /// Network Load Balancers (listeners included).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_load_balancers: Vec<NetworkLoadBalancer>,
    /// Target groups of the Network Load Balancers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_groups: Vec<TargetGroup>,
    /// Security groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<SecurityGroup>,
    /// Network ACLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_acls: Vec<NetworkAcl>,
    /// Network interfaces (workloads and appliances).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_interfaces: Vec<NetworkInterface>,
}

impl Model {
    /// Build the name/id index. Cheap enough to call once per command.
    pub fn index(&self) -> Index {
        Index::build(self)
    }
}
