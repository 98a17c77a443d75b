//! Look-ups by name or AWS id over a [`Model`].

use super::Model;
use std::collections::HashMap;

/// The kind of a named model object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectKind {
    /// [`super::Account`]
    Account,
    /// [`super::Vpc`]
    Vpc,
    /// [`super::Subnet`]
    Subnet,
    /// [`super::RouteTable`]
    RouteTable,
    /// [`super::InternetGateway`]
    InternetGateway,
    /// [`super::EgressOnlyInternetGateway`]
    EgressOnlyInternetGateway,
    /// [`super::NatGateway`]
    NatGateway,
    /// [`super::VpnGateway`]
    VpnGateway,
    /// [`super::VgwConnection`] (index = vgw index, sub = connection index)
    VgwConnection,
    /// [`super::VpcPeeringConnection`]
    VpcPeeringConnection,
    /// [`super::PrefixList`]
    PrefixList,
    /// [`super::VpcEndpoint`]
    VpcEndpoint,
    /// [`super::TransitGateway`]
    TransitGateway,
    /// [`super::TransitGatewayRouteTable`]
    TransitGatewayRouteTable,
    /// [`super::TransitGatewayAttachment`]
    TransitGatewayAttachment,
    /// [`super::OnPremSite`]
    OnPremSite,
    /// [`super::Firewall`]
    Firewall,
    /// [`super::FirewallEndpoint`] (index = firewall index, sub = endpoint index)
    FirewallEndpoint,
    /// [`super::FirewallPolicy`]
    FirewallPolicy,
    /// [`super::RuleGroup`]
    RuleGroup,
    /// [`super::GatewayLoadBalancer`]
    GatewayLoadBalancer,
    /// [`super::NetworkLoadBalancer`]
    NetworkLoadBalancer,
    /// [`super::TargetGroup`]
    TargetGroup,
    /// [`super::SecurityGroup`]
    SecurityGroup,
    /// [`super::NetworkAcl`]
    NetworkAcl,
    /// [`super::NetworkInterface`]
    NetworkInterface,
}

impl ObjectKind {
    /// The JSON collection the object lives in (`vpcs`, `subnets`, …).
    pub fn collection(self) -> &'static str {
        match self {
            ObjectKind::Account => "accounts",
            ObjectKind::Vpc => "vpcs",
            ObjectKind::Subnet => "subnets",
            ObjectKind::RouteTable => "route_tables",
            ObjectKind::InternetGateway => "internet_gateways",
            ObjectKind::EgressOnlyInternetGateway => "egress_only_internet_gateways",
            ObjectKind::NatGateway => "nat_gateways",
            ObjectKind::VpnGateway => "vpn_gateways",
            ObjectKind::VgwConnection => "vpn_gateways/*/connections",
            ObjectKind::VpcPeeringConnection => "vpc_peering_connections",
            ObjectKind::PrefixList => "prefix_lists",
            ObjectKind::VpcEndpoint => "vpc_endpoints",
            ObjectKind::TransitGateway => "transit_gateways",
            ObjectKind::TransitGatewayRouteTable => "transit_gateway_route_tables",
            ObjectKind::TransitGatewayAttachment => "transit_gateway_attachments",
            ObjectKind::OnPremSite => "onprem_sites",
            ObjectKind::Firewall => "firewalls",
            ObjectKind::FirewallEndpoint => "firewalls/*/endpoints",
            ObjectKind::FirewallPolicy => "firewall_policies",
            ObjectKind::RuleGroup => "rule_groups",
            ObjectKind::GatewayLoadBalancer => "gateway_load_balancers",
            ObjectKind::NetworkLoadBalancer => "network_load_balancers",
            ObjectKind::TargetGroup => "target_groups",
            ObjectKind::SecurityGroup => "security_groups",
            ObjectKind::NetworkAcl => "network_acls",
            ObjectKind::NetworkInterface => "network_interfaces",
        }
    }

    /// A short human label (`vpc`, `subnet`, `tgw-attachment`, …).
    pub fn label(self) -> &'static str {
        match self {
            ObjectKind::Account => "account",
            ObjectKind::Vpc => "vpc",
            ObjectKind::Subnet => "subnet",
            ObjectKind::RouteTable => "route-table",
            ObjectKind::InternetGateway => "internet-gateway",
            ObjectKind::EgressOnlyInternetGateway => "egress-only-internet-gateway",
            ObjectKind::NatGateway => "nat-gateway",
            ObjectKind::VpnGateway => "vpn-gateway",
            ObjectKind::VgwConnection => "vpn-connection",
            ObjectKind::VpcPeeringConnection => "vpc-peering-connection",
            ObjectKind::PrefixList => "prefix-list",
            ObjectKind::VpcEndpoint => "vpc-endpoint",
            ObjectKind::TransitGateway => "transit-gateway",
            ObjectKind::TransitGatewayRouteTable => "tgw-route-table",
            ObjectKind::TransitGatewayAttachment => "tgw-attachment",
            ObjectKind::OnPremSite => "onprem-site",
            ObjectKind::Firewall => "firewall",
            ObjectKind::FirewallEndpoint => "firewall-endpoint",
            ObjectKind::FirewallPolicy => "firewall-policy",
            ObjectKind::RuleGroup => "rule-group",
            ObjectKind::GatewayLoadBalancer => "gateway-load-balancer",
            ObjectKind::NetworkLoadBalancer => "network-load-balancer",
            ObjectKind::TargetGroup => "target-group",
            ObjectKind::SecurityGroup => "security-group",
            ObjectKind::NetworkAcl => "network-acl",
            ObjectKind::NetworkInterface => "network-interface",
        }
    }
}

/// Where a named object lives in the model: its kind and position(s).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ObjectRef {
    /// Kind of object.
    pub kind: ObjectKind,
    /// Index in its collection.
    pub index: usize,
    /// Index of a nested object (firewall endpoint, VGW connection).
    pub sub: usize,
}

/// Name and id look-ups. Duplicate names keep the first occurrence
/// (validation reports duplicates).
#[derive(Clone, Debug, Default)]
pub struct Index {
    by_name: HashMap<String, ObjectRef>,
    by_id: HashMap<String, ObjectRef>,
    /// Names are unique per kind; an account and its VPC often share one.
    by_kind: HashMap<ObjectKind, HashMap<String, ObjectRef>>,
}

impl Index {
    /// Index every object of `m` by name and by AWS id.
    pub fn build(m: &Model) -> Index {
        let mut ix = Index::default();
        macro_rules! add {
            ($coll:expr, $kind:expr) => {
                for (i, o) in $coll.iter().enumerate() {
                    ix.insert(
                        &o.name,
                        o.id.as_deref(),
                        ObjectRef {
                            kind: $kind,
                            index: i,
                            sub: 0,
                        },
                    );
                }
            };
        }
        add!(m.accounts, ObjectKind::Account);
        add!(m.vpcs, ObjectKind::Vpc);
        add!(m.subnets, ObjectKind::Subnet);
        add!(m.route_tables, ObjectKind::RouteTable);
        add!(m.internet_gateways, ObjectKind::InternetGateway);
        add!(
            m.egress_only_internet_gateways,
            ObjectKind::EgressOnlyInternetGateway
        );
        add!(m.nat_gateways, ObjectKind::NatGateway);
        add!(m.vpn_gateways, ObjectKind::VpnGateway);
        add!(m.vpc_peering_connections, ObjectKind::VpcPeeringConnection);
        add!(m.prefix_lists, ObjectKind::PrefixList);
        add!(m.vpc_endpoints, ObjectKind::VpcEndpoint);
        add!(m.transit_gateways, ObjectKind::TransitGateway);
        add!(
            m.transit_gateway_route_tables,
            ObjectKind::TransitGatewayRouteTable
        );
        add!(
            m.transit_gateway_attachments,
            ObjectKind::TransitGatewayAttachment
        );
        add!(m.firewalls, ObjectKind::Firewall);
        add!(m.firewall_policies, ObjectKind::FirewallPolicy);
        add!(m.rule_groups, ObjectKind::RuleGroup);
        add!(m.gateway_load_balancers, ObjectKind::GatewayLoadBalancer);
        add!(m.network_load_balancers, ObjectKind::NetworkLoadBalancer);
        add!(m.target_groups, ObjectKind::TargetGroup);
        add!(m.security_groups, ObjectKind::SecurityGroup);
        add!(m.network_acls, ObjectKind::NetworkAcl);
        add!(m.network_interfaces, ObjectKind::NetworkInterface);
        for (i, s) in m.onprem_sites.iter().enumerate() {
            ix.insert(
                &s.name,
                None,
                ObjectRef {
                    kind: ObjectKind::OnPremSite,
                    index: i,
                    sub: 0,
                },
            );
        }
        for (i, v) in m.vpn_gateways.iter().enumerate() {
            for (j, c) in v.connections.iter().enumerate() {
                let r = ObjectRef {
                    kind: ObjectKind::VgwConnection,
                    index: i,
                    sub: j,
                };
                ix.insert(&c.name, c.id.as_deref(), r);
            }
        }
        for (i, f) in m.firewalls.iter().enumerate() {
            for (j, e) in f.endpoints.iter().enumerate() {
                let r = ObjectRef {
                    kind: ObjectKind::FirewallEndpoint,
                    index: i,
                    sub: j,
                };
                ix.insert(&e.name, e.id.as_deref(), r);
            }
        }
        ix
    }

    fn insert(&mut self, name: &str, id: Option<&str>, r: ObjectRef) {
        self.by_name.entry(name.to_string()).or_insert(r);
        let k = self.by_kind.entry(r.kind).or_default();
        k.entry(name.to_string()).or_insert(r);
        if let Some(id) = id {
            self.by_id.entry(id.to_string()).or_insert(r);
            k.entry(id.to_string()).or_insert(r);
        }
    }

    /// Look an object up by name.
    pub fn name(&self, name: &str) -> Option<ObjectRef> {
        self.by_name.get(name).copied()
    }

    /// Look an object up by name, or else by AWS id.
    pub fn get(&self, name_or_id: &str) -> Option<ObjectRef> {
        self.by_name
            .get(name_or_id)
            .or_else(|| self.by_id.get(name_or_id))
            .copied()
    }

    /// Look up a name and require a kind.
    pub fn get_kind(&self, name_or_id: &str, kind: ObjectKind) -> Option<usize> {
        self.get_ref_kind(name_or_id, kind).map(|r| r.index)
    }

    /// Look up a name (or id) of a given kind, with the nested position.
    pub fn get_ref_kind(&self, name_or_id: &str, kind: ObjectKind) -> Option<ObjectRef> {
        self.by_kind.get(&kind)?.get(name_or_id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_and_vpcs_may_share_a_name() {
        let m: Model =
            serde_json::from_str(include_str!("../../scenarios/landing-zone.json")).unwrap();
        let ix = m.index();
        // `shared-services` is both an account and a VPC in the reference.
        let v = ix
            .get_kind("shared-services", ObjectKind::Vpc)
            .expect("vpc");
        assert_eq!(m.vpcs[v].name, "shared-services");
        let a = ix
            .get_kind("shared-services", ObjectKind::Account)
            .expect("account");
        assert_eq!(m.accounts[a].name, "shared-services");
        assert!(ix.get_kind("shared-services", ObjectKind::Subnet).is_none());
    }
}
