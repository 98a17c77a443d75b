//! What-if changes: typed operations on a [`Model`] (docs/changes-format.md).
//!
//! A change file is a JSON list of [`Change`]s. [`apply_all`] applies them in order to a
//! model (a copy the caller owns: input files are never touched). Every object an
//! operation names is looked up by name or AWS id; one that does not exist is a
//! [`ChangeError`] naming it. References inside added objects (route targets, TGW route
//! attachments, association tables, …) are checked the same way and rewritten to model
//! names, so the rest of the pipeline never sees an AWS id where it expects a name.
//!
//! Marking a component failed does not change the model: failed components are
//! collected in [`Applied::failed`], which the caller turns into a dataplane failure set.

use super::{
    Index, Model, NetworkAclEntry, ObjectKind, ObjectRef, Route, RouteState, RouteTarget,
    SecurityGroupRule, StatefulRule, StatelessRule, Subnet, TransitGatewayAttachment,
    TransitGatewayRoute, Vpc,
};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Inbound or outbound (security-group rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Inbound rules.
    Ingress,
    /// Outbound rules.
    Egress,
}

/// One what-if operation. Serialised with an `"op"` tag in kebab-case
/// (`{"op": "add-route", …}`); object fields use the model's snake_case names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Change {
    /// Add a route to a VPC route table (error if one with that destination exists).
    AddRoute {
        /// Route table (name or `rtb-` id).
        route_table: String,
        /// The route.
        route: Route,
    },
    /// Remove the route for a destination (CIDR or prefix list) from a VPC route table.
    RemoveRoute {
        /// Route table (name or `rtb-` id).
        route_table: String,
        /// Destination CIDR.
        #[serde(default)]
        destination: Option<IpNet>,
        /// Destination prefix list (name or `pl-` id).
        #[serde(default)]
        destination_prefix_list: Option<String>,
    },
    /// Replace the route for the same destination in a VPC route table (`ReplaceRoute`).
    ReplaceRoute {
        /// Route table (name or `rtb-` id).
        route_table: String,
        /// The new route; its destination selects the route replaced.
        route: Route,
    },
    /// Mark the route for a destination as a blackhole (what happens when its target is deleted).
    BlackholeRoute {
        /// Route table (name or `rtb-` id).
        route_table: String,
        /// Destination CIDR.
        destination: IpNet,
    },
    /// Add a static (or blackhole) route to a TGW route table.
    AddTgwRoute {
        /// TGW route table (name or `tgw-rtb-` id).
        tgw_route_table: String,
        /// The route.
        route: TransitGatewayRoute,
    },
    /// Remove the static route for a destination from a TGW route table.
    RemoveTgwRoute {
        /// TGW route table (name or `tgw-rtb-` id).
        tgw_route_table: String,
        /// Destination CIDR.
        destination: IpNet,
    },
    /// Replace the static route for the same destination in a TGW route table
    /// (`ReplaceTransitGatewayRoute`); adds it when there is none.
    ReplaceTgwRoute {
        /// TGW route table (name or `tgw-rtb-` id).
        tgw_route_table: String,
        /// The new route.
        route: TransitGatewayRoute,
    },
    /// Associate an attachment with a TGW route table (replacing its association).
    Associate {
        /// Attachment (name or `tgw-attach-` id).
        attachment: String,
        /// TGW route table (name or id).
        tgw_route_table: String,
    },
    /// Remove an attachment's association (it then drops what it receives).
    Disassociate {
        /// Attachment (name or id).
        attachment: String,
    },
    /// Propagate an attachment's routes into a TGW route table.
    EnablePropagation {
        /// Attachment (name or id).
        attachment: String,
        /// TGW route table (name or id).
        tgw_route_table: String,
    },
    /// Stop propagating an attachment's routes into a TGW route table.
    DisablePropagation {
        /// Attachment (name or id).
        attachment: String,
        /// TGW route table (name or id).
        tgw_route_table: String,
    },
    /// Turn appliance mode on or off on a VPC attachment.
    SetApplianceMode {
        /// Attachment (name or id).
        attachment: String,
        /// The new `ApplianceModeSupport`.
        enabled: bool,
    },
    /// Add a TGW attachment.
    AddAttachment {
        /// The attachment, as in the scenario format.
        attachment: TransitGatewayAttachment,
    },
    /// Remove a TGW attachment; static TGW routes to it become blackholes.
    RemoveAttachment {
        /// Attachment (name or id).
        attachment: String,
    },
    /// Add a VPC.
    AddVpc {
        /// The VPC, as in the scenario format.
        vpc: Vpc,
    },
    /// Remove a VPC and everything in it (subnets, route tables, gateways, endpoints,
    /// filters, interfaces, firewalls, its TGW attachments).
    RemoveVpc {
        /// VPC (name or `vpc-` id).
        vpc: String,
    },
    /// Add a subnet, optionally associated with a route table.
    AddSubnet {
        /// The subnet, as in the scenario format.
        subnet: Subnet,
        /// Route table to associate it with (else the VPC's main table).
        #[serde(default)]
        route_table: Option<String>,
    },
    /// Remove a subnet and what lives in it (interfaces, NAT gateways, endpoints).
    RemoveSubnet {
        /// Subnet (name or `subnet-` id).
        subnet: String,
    },
    /// Associate a subnet with a route table (replacing its current association).
    AssociateSubnet {
        /// Subnet (name or id).
        subnet: String,
        /// Route table (name or id).
        route_table: String,
    },
    /// Add an edge association (IGW or VGW) to a gateway route table.
    AddEdgeAssociation {
        /// Route table (name or id).
        route_table: String,
        /// Internet or virtual private gateway (name or id).
        gateway: String,
    },
    /// Remove an edge association from a gateway route table.
    RemoveEdgeAssociation {
        /// Route table (name or id).
        route_table: String,
        /// Internet or virtual private gateway (name or id).
        gateway: String,
    },
    /// Add a security-group rule.
    AddSecurityGroupRule {
        /// Security group (name or `sg-` id).
        security_group: String,
        /// Ingress or egress.
        direction: Direction,
        /// The rule.
        rule: SecurityGroupRule,
    },
    /// Remove a security-group rule (matched by protocol, ports and peer).
    RemoveSecurityGroupRule {
        /// Security group (name or id).
        security_group: String,
        /// Ingress or egress.
        direction: Direction,
        /// The rule to remove (description ignored).
        rule: SecurityGroupRule,
    },
    /// Add a NACL entry (error if its rule number and direction are taken).
    AddNetworkAclEntry {
        /// Network ACL (name or `acl-` id).
        network_acl: String,
        /// The entry.
        entry: NetworkAclEntry,
    },
    /// Replace the NACL entry with the same rule number and direction.
    ReplaceNetworkAclEntry {
        /// Network ACL (name or id).
        network_acl: String,
        /// The entry.
        entry: NetworkAclEntry,
    },
    /// Remove a NACL entry.
    RemoveNetworkAclEntry {
        /// Network ACL (name or id).
        network_acl: String,
        /// Rule number.
        rule_number: u16,
        /// Outbound (`true`) or inbound entry.
        #[serde(default)]
        egress: bool,
    },
    /// Add a Network Firewall rule to a rule group: a stateful rule (inserted at
    /// `position`, default last) or a stateless rule.
    AddFirewallRule {
        /// Rule group (name or ARN).
        rule_group: String,
        /// A stateful 5-tuple rule.
        #[serde(default)]
        stateful_rule: Option<StatefulRule>,
        /// A stateless rule.
        #[serde(default)]
        stateless_rule: Option<StatelessRule>,
        /// Position of a stateful rule (0 = first).
        #[serde(default)]
        position: Option<usize>,
    },
    /// Replace a firewall rule: a stateful rule with the same `sid`, or a stateless rule
    /// with the same priority.
    ReplaceFirewallRule {
        /// Rule group (name or ARN).
        rule_group: String,
        /// A stateful rule (matched by `sid`).
        #[serde(default)]
        stateful_rule: Option<StatefulRule>,
        /// A stateless rule (matched by `priority`).
        #[serde(default)]
        stateless_rule: Option<StatelessRule>,
    },
    /// Remove a firewall rule: a stateful rule by `sid`, or a stateless rule by `priority`.
    RemoveFirewallRule {
        /// Rule group (name or ARN).
        rule_group: String,
        /// Stateful rule id.
        #[serde(default)]
        sid: Option<u64>,
        /// Stateless rule priority.
        #[serde(default)]
        priority: Option<u32>,
    },
    /// Mark a component failed: an AZ, attachment, firewall or GWLB endpoint, NAT gateway,
    /// VPN connection, gateway, … Failures go to [`Applied::failed`], not into the model.
    Fail {
        /// Component (name, AWS id, or an availability-zone name).
        component: String,
    },
}

impl Change {
    /// The operation's name as written in change files (`add-route`, …).
    pub fn op(&self) -> &'static str {
        match self {
            Change::AddRoute { .. } => "add-route",
            Change::RemoveRoute { .. } => "remove-route",
            Change::ReplaceRoute { .. } => "replace-route",
            Change::BlackholeRoute { .. } => "blackhole-route",
            Change::AddTgwRoute { .. } => "add-tgw-route",
            Change::RemoveTgwRoute { .. } => "remove-tgw-route",
            Change::ReplaceTgwRoute { .. } => "replace-tgw-route",
            Change::Associate { .. } => "associate",
            Change::Disassociate { .. } => "disassociate",
            Change::EnablePropagation { .. } => "enable-propagation",
            Change::DisablePropagation { .. } => "disable-propagation",
            Change::SetApplianceMode { .. } => "set-appliance-mode",
            Change::AddAttachment { .. } => "add-attachment",
            Change::RemoveAttachment { .. } => "remove-attachment",
            Change::AddVpc { .. } => "add-vpc",
            Change::RemoveVpc { .. } => "remove-vpc",
            Change::AddSubnet { .. } => "add-subnet",
            Change::RemoveSubnet { .. } => "remove-subnet",
            Change::AssociateSubnet { .. } => "associate-subnet",
            Change::AddEdgeAssociation { .. } => "add-edge-association",
            Change::RemoveEdgeAssociation { .. } => "remove-edge-association",
            Change::AddSecurityGroupRule { .. } => "add-security-group-rule",
            Change::RemoveSecurityGroupRule { .. } => "remove-security-group-rule",
            Change::AddNetworkAclEntry { .. } => "add-network-acl-entry",
            Change::ReplaceNetworkAclEntry { .. } => "replace-network-acl-entry",
            Change::RemoveNetworkAclEntry { .. } => "remove-network-acl-entry",
            Change::AddFirewallRule { .. } => "add-firewall-rule",
            Change::ReplaceFirewallRule { .. } => "replace-firewall-rule",
            Change::RemoveFirewallRule { .. } => "remove-firewall-rule",
            Change::Fail { .. } => "fail",
        }
    }
}

/// Why an operation could not be applied. The message names the missing object.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ChangeError {
    /// Index of the operation in the list applied.
    pub op_index: usize,
    /// JSON pointer inside the operation (`/route/target`), empty for the whole op.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// What applying changes produced besides the changed model.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Components marked failed (model names; AZ names as written).
    pub failed: BTreeSet<String>,
    /// Side effects worth telling (objects removed with their VPC, routes blackholed, …).
    pub notes: Vec<String>,
}

/// Apply `changes` in order to `model`. Stops at the first operation that fails; the
/// model may then be partly changed (callers apply to a copy).
pub fn apply_all(model: &mut Model, changes: &[Change]) -> Result<Applied, ChangeError> {
    let mut out = Applied::default();
    for (i, c) in changes.iter().enumerate() {
        apply(model, c, &mut out).map_err(|(path, message)| ChangeError {
            op_index: i,
            path,
            message,
        })?;
    }
    Ok(out)
}

type OpResult = Result<(), (String, String)>;

fn err<T>(path: &str, msg: impl Into<String>) -> Result<T, (String, String)> {
    Err((path.to_string(), msg.into()))
}

/// The model name of an indexed object.
pub fn object_name(m: &Model, r: ObjectRef) -> Option<&str> {
    let n = match r.kind {
        ObjectKind::Account => &m.accounts.get(r.index)?.name,
        ObjectKind::Vpc => &m.vpcs.get(r.index)?.name,
        ObjectKind::Subnet => &m.subnets.get(r.index)?.name,
        ObjectKind::RouteTable => &m.route_tables.get(r.index)?.name,
        ObjectKind::InternetGateway => &m.internet_gateways.get(r.index)?.name,
        ObjectKind::EgressOnlyInternetGateway => {
            &m.egress_only_internet_gateways.get(r.index)?.name
        }
        ObjectKind::NatGateway => &m.nat_gateways.get(r.index)?.name,
        ObjectKind::VpnGateway => &m.vpn_gateways.get(r.index)?.name,
        ObjectKind::VgwConnection => &m.vpn_gateways.get(r.index)?.connections.get(r.sub)?.name,
        ObjectKind::VpcPeeringConnection => &m.vpc_peering_connections.get(r.index)?.name,
        ObjectKind::PrefixList => &m.prefix_lists.get(r.index)?.name,
        ObjectKind::VpcEndpoint => &m.vpc_endpoints.get(r.index)?.name,
        ObjectKind::TransitGateway => &m.transit_gateways.get(r.index)?.name,
        ObjectKind::TransitGatewayRouteTable => &m.transit_gateway_route_tables.get(r.index)?.name,
        ObjectKind::TransitGatewayAttachment => &m.transit_gateway_attachments.get(r.index)?.name,
        ObjectKind::OnPremSite => &m.onprem_sites.get(r.index)?.name,
        ObjectKind::Firewall => &m.firewalls.get(r.index)?.name,
        ObjectKind::FirewallEndpoint => &m.firewalls.get(r.index)?.endpoints.get(r.sub)?.name,
        ObjectKind::FirewallPolicy => &m.firewall_policies.get(r.index)?.name,
        ObjectKind::RuleGroup => &m.rule_groups.get(r.index)?.name,
        ObjectKind::GatewayLoadBalancer => &m.gateway_load_balancers.get(r.index)?.name,
        ObjectKind::NetworkLoadBalancer => &m.network_load_balancers.get(r.index)?.name,
        ObjectKind::TargetGroup => &m.target_groups.get(r.index)?.name,
        ObjectKind::SecurityGroup => &m.security_groups.get(r.index)?.name,
        ObjectKind::NetworkAcl => &m.network_acls.get(r.index)?.name,
        ObjectKind::NetworkInterface => &m.network_interfaces.get(r.index)?.name,
    };
    Some(n.as_str())
}

/// Look `name_or_id` up as one of `kinds`; error names it and says what was expected.
fn find(
    m: &Model,
    ix: &Index,
    name_or_id: &str,
    kinds: &[ObjectKind],
    path: &str,
) -> Result<(ObjectRef, String), (String, String)> {
    let what = kinds
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join(" or ");
    let of_kind = kinds.iter().find_map(|k| ix.get_ref_kind(name_or_id, *k));
    match of_kind.or_else(|| ix.get(name_or_id)) {
        Some(r) if kinds.contains(&r.kind) => {
            let name = object_name(m, r).unwrap_or(name_or_id).to_string();
            Ok((r, name))
        }
        Some(r) => err(
            path,
            format!("`{name_or_id}` is a {}, not a {what}", r.kind.label()),
        ),
        None => err(path, format!("no {what} named `{name_or_id}`")),
    }
}

/// Check a VPC route's target and prefix list exist, and rewrite them to model names.
fn resolve_route(m: &Model, ix: &Index, route: &mut Route, path: &str) -> OpResult {
    if route.destination.is_none() == route.destination_prefix_list.is_none() {
        return err(
            path,
            "a route needs exactly one of `destination` and `destination_prefix_list`",
        );
    }
    if let Some(pl) = &mut route.destination_prefix_list {
        let p = format!("{path}/destination_prefix_list");
        *pl = find(m, ix, pl, &[ObjectKind::PrefixList], &p)?.1;
    }
    let p = format!("{path}/target");
    let (name, kinds): (&mut String, &[ObjectKind]) = match &mut route.target {
        RouteTarget::Local => return Ok(()),
        RouteTarget::InternetGateway(n) => (n, &[ObjectKind::InternetGateway]),
        RouteTarget::EgressOnlyInternetGateway(n) => (n, &[ObjectKind::EgressOnlyInternetGateway]),
        RouteTarget::NatGateway(n) => (n, &[ObjectKind::NatGateway]),
        RouteTarget::VpnGateway(n) => (n, &[ObjectKind::VpnGateway]),
        RouteTarget::TransitGateway(n) => (n, &[ObjectKind::TransitGateway]),
        RouteTarget::VpcPeeringConnection(n) => (n, &[ObjectKind::VpcPeeringConnection]),
        RouteTarget::NetworkInterface(n) => (n, &[ObjectKind::NetworkInterface]),
        RouteTarget::VpcEndpoint(n) => {
            (n, &[ObjectKind::VpcEndpoint, ObjectKind::FirewallEndpoint])
        }
    };
    *name = find(m, ix, name, kinds, &p)?.1;
    Ok(())
}

fn resolve_tgw_route(m: &Model, ix: &Index, r: &mut TransitGatewayRoute, path: &str) -> OpResult {
    match (&mut r.attachment, r.blackhole) {
        (Some(_), true) => err(path, "a blackhole TGW route has no `attachment`"),
        (None, false) => err(
            path,
            "a TGW route needs an `attachment` or `blackhole: true`",
        ),
        (None, true) => Ok(()),
        (Some(a), false) => {
            let p = format!("{path}/attachment");
            *a = find(m, ix, a, &[ObjectKind::TransitGatewayAttachment], &p)?.1;
            Ok(())
        }
    }
}

fn same_destination(a: &Route, b: &Route) -> bool {
    a.destination == b.destination && a.destination_prefix_list == b.destination_prefix_list
}

fn same_sg_rule(a: &SecurityGroupRule, b: &SecurityGroupRule) -> bool {
    a.protocol == b.protocol
        && a.ports == b.ports
        && a.cidr == b.cidr
        && a.prefix_list == b.prefix_list
        && a.security_group == b.security_group
}

/// Whether `name` is an availability zone of the model (declared in a region or used by a subnet).
fn is_az(m: &Model, name: &str) -> bool {
    m.regions
        .iter()
        .any(|r| r.availability_zones.iter().any(|z| z == name))
        || m.subnets.iter().any(|s| s.az == name)
}

fn apply(m: &mut Model, c: &Change, out: &mut Applied) -> OpResult {
    let ix = m.index();
    match c {
        Change::AddRoute { route_table, route } => {
            let (r, _) = find(
                m,
                &ix,
                route_table,
                &[ObjectKind::RouteTable],
                "/route_table",
            )?;
            let mut route = route.clone();
            resolve_route(m, &ix, &mut route, "/route")?;
            let rt = &mut m.route_tables[r.index];
            if rt.routes.iter().any(|x| same_destination(x, &route)) {
                return err(
                    "/route",
                    format!(
                        "route table `{}` already has a route to {}; use replace-route",
                        rt.name,
                        dest_text(&route)
                    ),
                );
            }
            rt.routes.push(route);
        }
        Change::RemoveRoute {
            route_table,
            destination,
            destination_prefix_list,
        } => {
            let (r, _) = find(
                m,
                &ix,
                route_table,
                &[ObjectKind::RouteTable],
                "/route_table",
            )?;
            let pl = match destination_prefix_list {
                Some(p) => Some(
                    find(
                        m,
                        &ix,
                        p,
                        &[ObjectKind::PrefixList],
                        "/destination_prefix_list",
                    )?
                    .1,
                ),
                None => None,
            };
            if destination.is_none() == pl.is_none() {
                return err(
                    "",
                    "remove-route needs exactly one of `destination` and `destination_prefix_list`",
                );
            }
            let rt = &mut m.route_tables[r.index];
            let before = rt.routes.len();
            rt.routes
                .retain(|x| !(x.destination == *destination && x.destination_prefix_list == pl));
            if rt.routes.len() == before {
                let d = destination
                    .map(|d| d.to_string())
                    .or(pl)
                    .unwrap_or_default();
                return err("", format!("route table `{}` has no route to {d}", rt.name));
            }
        }
        Change::ReplaceRoute { route_table, route } => {
            let (r, _) = find(
                m,
                &ix,
                route_table,
                &[ObjectKind::RouteTable],
                "/route_table",
            )?;
            let mut route = route.clone();
            resolve_route(m, &ix, &mut route, "/route")?;
            let rt = &mut m.route_tables[r.index];
            match rt.routes.iter_mut().find(|x| same_destination(x, &route)) {
                Some(x) => *x = route,
                None => {
                    return err(
                        "/route",
                        format!(
                            "route table `{}` has no route to {}",
                            rt.name,
                            dest_text(&route)
                        ),
                    )
                }
            }
        }
        Change::BlackholeRoute {
            route_table,
            destination,
        } => {
            let (r, _) = find(
                m,
                &ix,
                route_table,
                &[ObjectKind::RouteTable],
                "/route_table",
            )?;
            let rt = &mut m.route_tables[r.index];
            match rt
                .routes
                .iter_mut()
                .find(|x| x.destination == Some(*destination))
            {
                Some(x) => x.state = RouteState::Blackhole,
                None => {
                    return err(
                        "/destination",
                        format!("route table `{}` has no route to {destination}", rt.name),
                    )
                }
            }
        }
        Change::AddTgwRoute {
            tgw_route_table,
            route,
        } => {
            let (r, _) = find(
                m,
                &ix,
                tgw_route_table,
                &[ObjectKind::TransitGatewayRouteTable],
                "/tgw_route_table",
            )?;
            let mut route = route.clone();
            resolve_tgw_route(m, &ix, &mut route, "/route")?;
            let t = &mut m.transit_gateway_route_tables[r.index];
            if t.routes.iter().any(|x| x.destination == route.destination) {
                return err(
                    "/route/destination",
                    format!(
                        "TGW route table `{}` already has a static route to {}; use replace-tgw-route",
                        t.name, route.destination
                    ),
                );
            }
            t.routes.push(route);
        }
        Change::RemoveTgwRoute {
            tgw_route_table,
            destination,
        } => {
            let (r, _) = find(
                m,
                &ix,
                tgw_route_table,
                &[ObjectKind::TransitGatewayRouteTable],
                "/tgw_route_table",
            )?;
            let t = &mut m.transit_gateway_route_tables[r.index];
            let before = t.routes.len();
            t.routes.retain(|x| x.destination != *destination);
            if t.routes.len() == before {
                return err(
                    "/destination",
                    format!(
                        "TGW route table `{}` has no static route to {destination}",
                        t.name
                    ),
                );
            }
        }
        Change::ReplaceTgwRoute {
            tgw_route_table,
            route,
        } => {
            let (r, _) = find(
                m,
                &ix,
                tgw_route_table,
                &[ObjectKind::TransitGatewayRouteTable],
                "/tgw_route_table",
            )?;
            let mut route = route.clone();
            resolve_tgw_route(m, &ix, &mut route, "/route")?;
            let t = &mut m.transit_gateway_route_tables[r.index];
            match t
                .routes
                .iter_mut()
                .find(|x| x.destination == route.destination)
            {
                Some(x) => *x = route,
                None => t.routes.push(route),
            }
        }
        Change::Associate {
            attachment,
            tgw_route_table,
        } => {
            let (a, _) = find(
                m,
                &ix,
                attachment,
                &[ObjectKind::TransitGatewayAttachment],
                "/attachment",
            )?;
            let (_, t) = find(
                m,
                &ix,
                tgw_route_table,
                &[ObjectKind::TransitGatewayRouteTable],
                "/tgw_route_table",
            )?;
            m.transit_gateway_attachments[a.index].association = Some(t);
        }
        Change::Disassociate { attachment } => {
            let (a, name) = find(
                m,
                &ix,
                attachment,
                &[ObjectKind::TransitGatewayAttachment],
                "/attachment",
            )?;
            if m.transit_gateway_attachments[a.index]
                .association
                .take()
                .is_none()
            {
                return err(
                    "/attachment",
                    format!("attachment `{name}` has no association"),
                );
            }
        }
        Change::EnablePropagation {
            attachment,
            tgw_route_table,
        } => {
            let (a, name) = find(
                m,
                &ix,
                attachment,
                &[ObjectKind::TransitGatewayAttachment],
                "/attachment",
            )?;
            let (_, t) = find(
                m,
                &ix,
                tgw_route_table,
                &[ObjectKind::TransitGatewayRouteTable],
                "/tgw_route_table",
            )?;
            let att = &mut m.transit_gateway_attachments[a.index];
            if att.propagations.contains(&t) {
                out.notes
                    .push(format!("attachment `{name}` already propagates to `{t}`"));
            } else {
                att.propagations.push(t);
            }
        }
        Change::DisablePropagation {
            attachment,
            tgw_route_table,
        } => {
            let (a, name) = find(
                m,
                &ix,
                attachment,
                &[ObjectKind::TransitGatewayAttachment],
                "/attachment",
            )?;
            let (_, t) = find(
                m,
                &ix,
                tgw_route_table,
                &[ObjectKind::TransitGatewayRouteTable],
                "/tgw_route_table",
            )?;
            let att = &mut m.transit_gateway_attachments[a.index];
            let before = att.propagations.len();
            att.propagations.retain(|p| p != &t);
            if att.propagations.len() == before {
                return err(
                    "/tgw_route_table",
                    format!("attachment `{name}` does not propagate to `{t}`"),
                );
            }
        }
        Change::SetApplianceMode {
            attachment,
            enabled,
        } => {
            let (a, name) = find(
                m,
                &ix,
                attachment,
                &[ObjectKind::TransitGatewayAttachment],
                "/attachment",
            )?;
            let att = &mut m.transit_gateway_attachments[a.index];
            if att.attachment_type != super::AttachmentType::Vpc {
                return err("/attachment", format!("attachment `{name}` is not a VPC attachment: appliance mode applies to VPC attachments only"));
            }
            att.appliance_mode = *enabled;
        }
        Change::AddAttachment { attachment } => {
            let mut a = attachment.clone();
            if ix.get(&a.name).is_some() {
                return err(
                    "/attachment/name",
                    format!("an object named `{}` already exists", a.name),
                );
            }
            a.transit_gateway = find(
                m,
                &ix,
                &a.transit_gateway,
                &[ObjectKind::TransitGateway],
                "/attachment/transit_gateway",
            )?
            .1;
            if let Some(v) = &mut a.vpc {
                *v = find(m, &ix, v, &[ObjectKind::Vpc], "/attachment/vpc")?.1;
            }
            for (i, s) in a.subnets.iter_mut().enumerate() {
                *s = find(
                    m,
                    &ix,
                    s,
                    &[ObjectKind::Subnet],
                    &format!("/attachment/subnets/{i}"),
                )?
                .1;
            }
            if let Some(s) = &mut a.site {
                *s = find(m, &ix, s, &[ObjectKind::OnPremSite], "/attachment/site")?.1;
            }
            if let Some(t) = &mut a.association {
                *t = find(
                    m,
                    &ix,
                    t,
                    &[ObjectKind::TransitGatewayRouteTable],
                    "/attachment/association",
                )?
                .1;
            }
            for (i, t) in a.propagations.iter_mut().enumerate() {
                *t = find(
                    m,
                    &ix,
                    t,
                    &[ObjectKind::TransitGatewayRouteTable],
                    &format!("/attachment/propagations/{i}"),
                )?
                .1;
            }
            m.transit_gateway_attachments.push(a);
        }
        Change::RemoveAttachment { attachment } => {
            let (a, name) = find(
                m,
                &ix,
                attachment,
                &[ObjectKind::TransitGatewayAttachment],
                "/attachment",
            )?;
            m.transit_gateway_attachments.remove(a.index);
            blackhole_tgw_routes_to(m, &BTreeSet::from([name]), out);
        }
        Change::AddVpc { vpc } => {
            let mut v = vpc.clone();
            if ix.get(&v.name).is_some() {
                return err(
                    "/vpc/name",
                    format!("an object named `{}` already exists", v.name),
                );
            }
            v.account = find(m, &ix, &v.account, &[ObjectKind::Account], "/vpc/account")?.1;
            m.vpcs.push(v);
        }
        Change::RemoveVpc { vpc } => {
            let (_, name) = find(m, &ix, vpc, &[ObjectKind::Vpc], "/vpc")?;
            remove_vpc(m, &name, out);
        }
        Change::AddSubnet {
            subnet,
            route_table,
        } => {
            let mut s = subnet.clone();
            if ix.get(&s.name).is_some() {
                return err(
                    "/subnet/name",
                    format!("an object named `{}` already exists", s.name),
                );
            }
            s.vpc = find(m, &ix, &s.vpc, &[ObjectKind::Vpc], "/subnet/vpc")?.1;
            let rt = match route_table {
                Some(rt) => Some(find(m, &ix, rt, &[ObjectKind::RouteTable], "/route_table")?.0),
                None => None,
            };
            if let Some(rt) = rt {
                m.route_tables[rt.index].subnets.push(s.name.clone());
            }
            m.subnets.push(s);
        }
        Change::RemoveSubnet { subnet } => {
            let (_, name) = find(m, &ix, subnet, &[ObjectKind::Subnet], "/subnet")?;
            remove_subnets(m, &BTreeSet::from([name]), out);
        }
        Change::AssociateSubnet {
            subnet,
            route_table,
        } => {
            let (_, s) = find(m, &ix, subnet, &[ObjectKind::Subnet], "/subnet")?;
            let (r, _) = find(
                m,
                &ix,
                route_table,
                &[ObjectKind::RouteTable],
                "/route_table",
            )?;
            for rt in &mut m.route_tables {
                rt.subnets.retain(|x| x != &s);
            }
            m.route_tables[r.index].subnets.push(s);
        }
        Change::AddEdgeAssociation {
            route_table,
            gateway,
        } => {
            let (r, _) = find(
                m,
                &ix,
                route_table,
                &[ObjectKind::RouteTable],
                "/route_table",
            )?;
            let (_, g) = find(
                m,
                &ix,
                gateway,
                &[ObjectKind::InternetGateway, ObjectKind::VpnGateway],
                "/gateway",
            )?;
            let rt = &mut m.route_tables[r.index];
            if !rt.edge_associations.contains(&g) {
                rt.edge_associations.push(g);
            }
        }
        Change::RemoveEdgeAssociation {
            route_table,
            gateway,
        } => {
            let (r, _) = find(
                m,
                &ix,
                route_table,
                &[ObjectKind::RouteTable],
                "/route_table",
            )?;
            let (_, g) = find(
                m,
                &ix,
                gateway,
                &[ObjectKind::InternetGateway, ObjectKind::VpnGateway],
                "/gateway",
            )?;
            let rt = &mut m.route_tables[r.index];
            let before = rt.edge_associations.len();
            rt.edge_associations.retain(|x| x != &g);
            if rt.edge_associations.len() == before {
                return err(
                    "/gateway",
                    format!(
                        "route table `{}` has no edge association with `{g}`",
                        rt.name
                    ),
                );
            }
        }
        Change::AddSecurityGroupRule {
            security_group,
            direction,
            rule,
        } => {
            let (r, _) = find(
                m,
                &ix,
                security_group,
                &[ObjectKind::SecurityGroup],
                "/security_group",
            )?;
            let mut rule = rule.clone();
            resolve_sg_rule(m, &ix, &mut rule)?;
            let sg = &mut m.security_groups[r.index];
            let rules = match direction {
                Direction::Ingress => &mut sg.ingress,
                Direction::Egress => &mut sg.egress,
            };
            if !rules.iter().any(|x| same_sg_rule(x, &rule)) {
                rules.push(rule);
            }
        }
        Change::RemoveSecurityGroupRule {
            security_group,
            direction,
            rule,
        } => {
            let (r, name) = find(
                m,
                &ix,
                security_group,
                &[ObjectKind::SecurityGroup],
                "/security_group",
            )?;
            let mut rule = rule.clone();
            resolve_sg_rule(m, &ix, &mut rule)?;
            let sg = &mut m.security_groups[r.index];
            let rules = match direction {
                Direction::Ingress => &mut sg.ingress,
                Direction::Egress => &mut sg.egress,
            };
            let before = rules.len();
            rules.retain(|x| !same_sg_rule(x, &rule));
            if rules.len() == before {
                return err(
                    "/rule",
                    format!(
                        "security group `{name}` has no such {} rule",
                        match direction {
                            Direction::Ingress => "ingress",
                            Direction::Egress => "egress",
                        }
                    ),
                );
            }
        }
        Change::AddNetworkAclEntry { network_acl, entry } => {
            let (r, name) = find(
                m,
                &ix,
                network_acl,
                &[ObjectKind::NetworkAcl],
                "/network_acl",
            )?;
            let acl = &mut m.network_acls[r.index];
            if acl
                .entries
                .iter()
                .any(|e| e.rule_number == entry.rule_number && e.egress == entry.egress)
            {
                return err("/entry/rule_number", format!("network ACL `{name}` already has {} rule {}; use replace-network-acl-entry", in_out(entry.egress), entry.rule_number));
            }
            acl.entries.push(entry.clone());
        }
        Change::ReplaceNetworkAclEntry { network_acl, entry } => {
            let (r, name) = find(
                m,
                &ix,
                network_acl,
                &[ObjectKind::NetworkAcl],
                "/network_acl",
            )?;
            let acl = &mut m.network_acls[r.index];
            match acl
                .entries
                .iter_mut()
                .find(|e| e.rule_number == entry.rule_number && e.egress == entry.egress)
            {
                Some(e) => *e = entry.clone(),
                None => {
                    return err(
                        "/entry/rule_number",
                        format!(
                            "network ACL `{name}` has no {} rule {}",
                            in_out(entry.egress),
                            entry.rule_number
                        ),
                    )
                }
            }
        }
        Change::RemoveNetworkAclEntry {
            network_acl,
            rule_number,
            egress,
        } => {
            let (r, name) = find(
                m,
                &ix,
                network_acl,
                &[ObjectKind::NetworkAcl],
                "/network_acl",
            )?;
            let acl = &mut m.network_acls[r.index];
            let before = acl.entries.len();
            acl.entries
                .retain(|e| !(e.rule_number == *rule_number && e.egress == *egress));
            if acl.entries.len() == before {
                return err(
                    "/rule_number",
                    format!(
                        "network ACL `{name}` has no {} rule {rule_number}",
                        in_out(*egress)
                    ),
                );
            }
        }
        Change::AddFirewallRule {
            rule_group,
            stateful_rule,
            stateless_rule,
            position,
        } => {
            let (r, name) = find(m, &ix, rule_group, &[ObjectKind::RuleGroup], "/rule_group")?;
            let g = &mut m.rule_groups[r.index];
            match (stateful_rule, stateless_rule) {
                (Some(rule), None) => {
                    if g.group_type != super::RuleGroupType::Stateful {
                        return err(
                            "/stateful_rule",
                            format!("rule group `{name}` is stateless"),
                        );
                    }
                    let at = position
                        .unwrap_or(g.stateful_rules.len())
                        .min(g.stateful_rules.len());
                    g.stateful_rules.insert(at, rule.clone());
                }
                (None, Some(rule)) => {
                    if g.group_type != super::RuleGroupType::Stateless {
                        return err(
                            "/stateless_rule",
                            format!("rule group `{name}` is stateful"),
                        );
                    }
                    if g.stateless_rules
                        .iter()
                        .any(|x| x.priority == rule.priority)
                    {
                        return err("/stateless_rule/priority", format!("rule group `{name}` already has a rule with priority {}; use replace-firewall-rule", rule.priority));
                    }
                    g.stateless_rules.push(rule.clone());
                }
                _ => return err(
                    "",
                    "add-firewall-rule needs exactly one of `stateful_rule` and `stateless_rule`",
                ),
            }
        }
        Change::ReplaceFirewallRule {
            rule_group,
            stateful_rule,
            stateless_rule,
        } => {
            let (r, name) = find(m, &ix, rule_group, &[ObjectKind::RuleGroup], "/rule_group")?;
            let g = &mut m.rule_groups[r.index];
            match (stateful_rule, stateless_rule) {
                (Some(rule), None) => {
                    let Some(sid) = rule.sid else {
                        return err("/stateful_rule", "replace-firewall-rule needs the stateful rule's `sid`");
                    };
                    match g.stateful_rules.iter_mut().find(|x| x.sid == Some(sid)) {
                        Some(x) => *x = rule.clone(),
                        None => return err("/stateful_rule/sid", format!("rule group `{name}` has no stateful rule with sid {sid}")),
                    }
                }
                (None, Some(rule)) => {
                    match g.stateless_rules.iter_mut().find(|x| x.priority == rule.priority) {
                        Some(x) => *x = rule.clone(),
                        None => return err("/stateless_rule/priority", format!("rule group `{name}` has no stateless rule with priority {}", rule.priority)),
                    }
                }
                _ => return err("", "replace-firewall-rule needs exactly one of `stateful_rule` and `stateless_rule`"),
            }
        }
        Change::RemoveFirewallRule {
            rule_group,
            sid,
            priority,
        } => {
            let (r, name) = find(m, &ix, rule_group, &[ObjectKind::RuleGroup], "/rule_group")?;
            let g = &mut m.rule_groups[r.index];
            match (sid, priority) {
                (Some(sid), None) => {
                    let before = g.stateful_rules.len();
                    g.stateful_rules.retain(|x| x.sid != Some(*sid));
                    if before == g.stateful_rules.len() {
                        return err(
                            "/sid",
                            format!("rule group `{name}` has no stateful rule with sid {sid}"),
                        );
                    }
                }
                (None, Some(p)) => {
                    let before = g.stateless_rules.len();
                    g.stateless_rules.retain(|x| x.priority != *p);
                    if before == g.stateless_rules.len() {
                        return err(
                            "/priority",
                            format!("rule group `{name}` has no stateless rule with priority {p}"),
                        );
                    }
                }
                _ => {
                    return err(
                        "",
                        "remove-firewall-rule needs exactly one of `sid` and `priority`",
                    )
                }
            }
        }
        Change::Fail { component } => {
            let name = if is_az(m, component) {
                component.clone()
            } else {
                match ix.get(component) {
                    Some(r) => object_name(m, r).unwrap_or(component).to_string(),
                    None => {
                        return err(
                            "/component",
                            format!("no component or availability zone named `{component}`"),
                        )
                    }
                }
            };
            out.failed.insert(name);
        }
    }
    Ok(())
}

fn in_out(egress: bool) -> &'static str {
    if egress {
        "outbound"
    } else {
        "inbound"
    }
}

fn dest_text(r: &Route) -> String {
    r.destination
        .map(|d| d.to_string())
        .or_else(|| r.destination_prefix_list.clone())
        .unwrap_or_default()
}

fn resolve_sg_rule(m: &Model, ix: &Index, rule: &mut SecurityGroupRule) -> OpResult {
    if let Some(p) = &mut rule.prefix_list {
        *p = find(m, ix, p, &[ObjectKind::PrefixList], "/rule/prefix_list")?.1;
    }
    if let Some(g) = &mut rule.security_group {
        *g = find(
            m,
            ix,
            g,
            &[ObjectKind::SecurityGroup],
            "/rule/security_group",
        )?
        .1;
    }
    Ok(())
}

/// Static TGW routes (and prefix-list references) to removed attachments become
/// blackholes: a route whose attachment is deleted stays in the table in state
/// `blackhole` (TransitGatewayRoute State, EC2 API reference,
/// <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayRoute.html>).
/// Associations and propagations of the removed attachments simply disappear with them.
fn blackhole_tgw_routes_to(m: &mut Model, gone: &BTreeSet<String>, out: &mut Applied) {
    for t in &mut m.transit_gateway_route_tables {
        for r in &mut t.routes {
            if r.attachment.as_ref().is_some_and(|a| gone.contains(a)) {
                out.notes.push(format!(
                    "TGW route {} in `{}` now a blackhole (attachment removed)",
                    r.destination, t.name
                ));
                r.attachment = None;
                r.blackhole = true;
            }
        }
        for p in &mut t.prefix_list_references {
            if p.attachment.as_ref().is_some_and(|a| gone.contains(a)) {
                p.attachment = None;
                p.blackhole = true;
            }
        }
    }
}

/// VPC routes whose target was removed become blackholes, as EC2 does
/// ("Blackhole: the route's target isn't available",
/// <https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#route-table-routes>).
fn blackhole_vpc_routes_to(m: &mut Model, gone: &BTreeSet<String>, out: &mut Applied) {
    for rt in &mut m.route_tables {
        for r in &mut rt.routes {
            let target = match &r.target {
                RouteTarget::Local => continue,
                RouteTarget::InternetGateway(n)
                | RouteTarget::EgressOnlyInternetGateway(n)
                | RouteTarget::NatGateway(n)
                | RouteTarget::VpnGateway(n)
                | RouteTarget::TransitGateway(n)
                | RouteTarget::VpcPeeringConnection(n)
                | RouteTarget::NetworkInterface(n)
                | RouteTarget::VpcEndpoint(n) => n,
            };
            if gone.contains(target) && r.state != RouteState::Blackhole {
                out.notes.push(format!(
                    "route {} in `{}` now a blackhole (target `{target}` removed)",
                    dest_text(r),
                    rt.name
                ));
                r.state = RouteState::Blackhole;
            }
        }
    }
}

/// Remove subnets and what lives in them; targets that disappear blackhole their routes.
fn remove_subnets(m: &mut Model, subnets: &BTreeSet<String>, out: &mut Applied) {
    let mut gone: BTreeSet<String> = BTreeSet::new();
    m.subnets.retain(|s| !subnets.contains(&s.name));
    for rt in &mut m.route_tables {
        rt.subnets.retain(|s| !subnets.contains(s));
    }
    for a in &mut m.network_acls {
        a.subnets.retain(|s| !subnets.contains(s));
    }
    m.network_interfaces.retain(|e| {
        let keep = !subnets.contains(&e.subnet);
        if !keep {
            out.notes.push(format!(
                "network interface `{}` removed with its subnet",
                e.name
            ));
            gone.insert(e.name.clone());
        }
        keep
    });
    m.nat_gateways.retain(|n| {
        let keep = !subnets.contains(&n.subnet);
        if !keep {
            out.notes
                .push(format!("NAT gateway `{}` removed with its subnet", n.name));
            gone.insert(n.name.clone());
        }
        keep
    });
    m.vpc_endpoints.retain(|e| {
        let keep = !e.subnet.as_ref().is_some_and(|s| subnets.contains(s));
        if !keep {
            out.notes
                .push(format!("VPC endpoint `{}` removed with its subnet", e.name));
            gone.insert(e.name.clone());
        }
        keep
    });
    for f in &mut m.firewalls {
        f.endpoints.retain(|e| {
            let keep = !subnets.contains(&e.subnet);
            if !keep {
                out.notes.push(format!(
                    "firewall endpoint `{}` removed with its subnet",
                    e.name
                ));
                gone.insert(e.name.clone());
            }
            keep
        });
    }
    for g in &mut m.gateway_load_balancers {
        g.subnets.retain(|s| !subnets.contains(s));
        g.appliances.retain(|a| !gone.contains(a));
    }
    for a in &mut m.transit_gateway_attachments {
        let before = a.subnets.len();
        a.subnets.retain(|s| !subnets.contains(s));
        if a.subnets.len() != before {
            out.notes.push(format!(
                "attachment `{}` loses its subnet(s) in the removed subnet's AZ",
                a.name
            ));
        }
    }
    blackhole_vpc_routes_to(m, &gone, out);
}

/// Remove a VPC and everything in it.
fn remove_vpc(m: &mut Model, vpc: &str, out: &mut Applied) {
    let subnets: BTreeSet<String> = m
        .subnets
        .iter()
        .filter(|s| s.vpc == vpc)
        .map(|s| s.name.clone())
        .collect();
    remove_subnets(m, &subnets, out);
    let mut gone: BTreeSet<String> = BTreeSet::new();
    macro_rules! drop_in_vpc {
        ($coll:expr, $label:expr, |$x:ident| $in_vpc:expr) => {
            $coll.retain(|$x| {
                let keep = !$in_vpc;
                if !keep {
                    out.notes
                        .push(format!("{} `{}` removed with VPC `{vpc}`", $label, $x.name));
                    gone.insert($x.name.clone());
                }
                keep
            });
        };
    }
    drop_in_vpc!(m.route_tables, "route table", |x| x.vpc == vpc);
    drop_in_vpc!(m.internet_gateways, "internet gateway", |x| x
        .vpc
        .as_deref()
        == Some(vpc));
    drop_in_vpc!(
        m.egress_only_internet_gateways,
        "egress-only internet gateway",
        |x| x.vpc == vpc
    );
    drop_in_vpc!(m.vpc_endpoints, "VPC endpoint", |x| x.vpc == vpc);
    drop_in_vpc!(m.security_groups, "security group", |x| x.vpc == vpc);
    drop_in_vpc!(m.network_acls, "network ACL", |x| x.vpc == vpc);
    drop_in_vpc!(m.gateway_load_balancers, "gateway load balancer", |x| x.vpc
        == vpc);
    drop_in_vpc!(m.vpc_peering_connections, "peering connection", |x| x
        .requester_vpc
        == vpc
        || x.accepter_vpc == vpc);
    drop_in_vpc!(m.transit_gateway_attachments, "TGW attachment", |x| x
        .vpc
        .as_deref()
        == Some(vpc));
    // Firewalls: their endpoints too.
    m.firewalls.retain(|f| {
        let keep = f.vpc != vpc;
        if !keep {
            out.notes
                .push(format!("firewall `{}` removed with VPC `{vpc}`", f.name));
            gone.insert(f.name.clone());
            for e in &f.endpoints {
                gone.insert(e.name.clone());
            }
        }
        keep
    });
    // A VGW attached to the VPC is detached, not deleted.
    for v in &mut m.vpn_gateways {
        if v.vpc.as_deref() == Some(vpc) {
            v.vpc = None;
        }
    }
    m.vpcs.retain(|v| v.name != vpc);
    for rt in &mut m.route_tables {
        rt.edge_associations.retain(|g| !gone.contains(g));
    }
    blackhole_vpc_routes_to(m, &gone, out);
    blackhole_tgw_routes_to(m, &gone, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Model {
        let json = r#"{
          "name": "t",
          "accounts": [{"name": "net", "environment": "network"}],
          "vpcs": [{"name": "a", "id": "vpc-a", "account": "net", "region": "r", "cidrs": ["10.0.0.0/16"]}],
          "subnets": [{"name": "a1", "vpc": "a", "az": "r-1a", "cidr": "10.0.0.0/24"}],
          "route_tables": [{"name": "a-rt", "id": "rtb-1", "vpc": "a", "main": true,
             "routes": [{"destination": "0.0.0.0/0", "target": {"transit_gateway": "tgw"}}]}],
          "transit_gateways": [{"name": "tgw", "id": "tgw-1", "account": "net", "region": "r"}],
          "transit_gateway_route_tables": [
             {"name": "spoke", "transit_gateway": "tgw", "routes": [{"destination": "0.0.0.0/0", "attachment": "att-a"}]},
             {"name": "fw", "id": "tgw-rtb-2", "transit_gateway": "tgw"}],
          "transit_gateway_attachments": [{"name": "att-a", "id": "tgw-attach-a", "transit_gateway": "tgw", "type": "vpc",
             "vpc": "a", "subnets": ["a1"], "association": "spoke", "propagations": ["fw"]}],
          "network_interfaces": [{"name": "eni-1", "subnet": "a1", "private_ips": ["10.0.0.10"]}]
        }"#;
        serde_json::from_str(json).unwrap()
    }

    fn parse(json: &str) -> Vec<Change> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn add_and_remove_vpc_route_by_id() {
        let mut m = small();
        let ch = parse(
            r#"[{"op": "add-route", "route_table": "rtb-1",
                 "route": {"destination": "10.9.0.0/16", "target": {"transit_gateway": "tgw-1"}}},
                {"op": "remove-route", "route_table": "a-rt", "destination": "0.0.0.0/0"}]"#,
        );
        apply_all(&mut m, &ch).unwrap();
        let rt = &m.route_tables[0];
        assert_eq!(rt.routes.len(), 1);
        // The AWS id of the target was rewritten to the model name.
        assert_eq!(
            rt.routes[0].target,
            RouteTarget::TransitGateway("tgw".into())
        );
    }

    #[test]
    fn missing_object_is_named_with_its_op_index() {
        let mut m = small();
        let ch = parse(
            r#"[{"op": "set-appliance-mode", "attachment": "att-a", "enabled": true},
                {"op": "associate", "attachment": "att-zzz", "tgw_route_table": "fw"}]"#,
        );
        let e = apply_all(&mut m, &ch).unwrap_err();
        assert_eq!(e.op_index, 1);
        assert_eq!(e.path, "/attachment");
        assert!(e.message.contains("att-zzz"), "{}", e.message);
    }

    #[test]
    fn missing_route_target_is_an_error() {
        let mut m = small();
        let ch = parse(
            r#"[{"op": "add-route", "route_table": "a-rt",
                 "route": {"destination": "10.9.0.0/16", "target": {"nat_gateway": "nat-nope"}}}]"#,
        );
        let e = apply_all(&mut m, &ch).unwrap_err();
        assert_eq!(e.path, "/route/target");
        assert!(e.message.contains("nat-nope"));
    }

    #[test]
    fn propagation_association_and_appliance_mode() {
        let mut m = small();
        let ch = parse(
            r#"[{"op": "enable-propagation", "attachment": "tgw-attach-a", "tgw_route_table": "spoke"},
                {"op": "disable-propagation", "attachment": "att-a", "tgw_route_table": "tgw-rtb-2"},
                {"op": "associate", "attachment": "att-a", "tgw_route_table": "fw"},
                {"op": "set-appliance-mode", "attachment": "att-a", "enabled": true}]"#,
        );
        apply_all(&mut m, &ch).unwrap();
        let a = &m.transit_gateway_attachments[0];
        assert_eq!(a.propagations, vec!["spoke".to_string()]);
        assert_eq!(a.association.as_deref(), Some("fw"));
        assert!(a.appliance_mode);
        // Disabling a propagation that is not there is an error.
        let e = apply_all(&mut m, &parse(r#"[{"op": "disable-propagation", "attachment": "att-a", "tgw_route_table": "fw"}]"#)).unwrap_err();
        assert!(e.message.contains("does not propagate"));
    }

    #[test]
    fn fail_collects_components_not_in_model() {
        let mut m = small();
        let before = m.clone();
        let ch = parse(
            r#"[{"op": "fail", "component": "r-1a"}, {"op": "fail", "component": "tgw-attach-a"}]"#,
        );
        let out = apply_all(&mut m, &ch).unwrap();
        assert_eq!(m, before);
        assert_eq!(
            out.failed.into_iter().collect::<Vec<_>>(),
            vec!["att-a".to_string(), "r-1a".to_string()]
        );
        assert!(apply_all(&mut m, &parse(r#"[{"op": "fail", "component": "r-9z"}]"#)).is_err());
    }

    #[test]
    fn remove_vpc_cascades_and_blackholes() {
        let mut m = small();
        let out = apply_all(&mut m, &parse(r#"[{"op": "remove-vpc", "vpc": "vpc-a"}]"#)).unwrap();
        assert!(m.vpcs.is_empty() && m.subnets.is_empty() && m.route_tables.is_empty());
        assert!(m.network_interfaces.is_empty() && m.transit_gateway_attachments.is_empty());
        let r = &m.transit_gateway_route_tables[0].routes[0];
        assert!(r.blackhole && r.attachment.is_none());
        assert!(!out.notes.is_empty());
    }

    #[test]
    fn tgw_routes_add_replace_remove() {
        let mut m = small();
        let ch = parse(
            r#"[{"op": "add-tgw-route", "tgw_route_table": "fw", "route": {"destination": "10.1.0.0/16", "blackhole": true}},
                {"op": "replace-tgw-route", "tgw_route_table": "fw", "route": {"destination": "10.1.0.0/16", "attachment": "att-a"}},
                {"op": "remove-tgw-route", "tgw_route_table": "spoke", "destination": "0.0.0.0/0"}]"#,
        );
        apply_all(&mut m, &ch).unwrap();
        assert_eq!(
            m.transit_gateway_route_tables[1].routes[0]
                .attachment
                .as_deref(),
            Some("att-a")
        );
        assert!(m.transit_gateway_route_tables[0].routes.is_empty());
        let dup = parse(
            r#"[{"op": "add-tgw-route", "tgw_route_table": "fw", "route": {"destination": "10.1.0.0/16", "blackhole": true}}]"#,
        );
        assert!(apply_all(&mut m, &dup).is_err());
    }

    #[test]
    fn unknown_op_and_field_are_rejected() {
        assert!(serde_json::from_str::<Vec<Change>>(r#"[{"op": "frobnicate"}]"#).is_err());
        assert!(serde_json::from_str::<Vec<Change>>(
            r#"[{"op": "disassociate", "attachment": "a", "bogus": 1}]"#
        )
        .is_err());
    }

    #[test]
    fn add_objects_check_references() {
        let mut m = small();
        let ch = parse(
            r#"[{"op": "add-vpc", "vpc": {"name": "b", "account": "net", "region": "r", "cidrs": ["10.1.0.0/16"]}},
                {"op": "add-subnet", "subnet": {"name": "b1", "vpc": "b", "az": "r-1a", "cidr": "10.1.0.0/24"}},
                {"op": "add-attachment", "attachment": {"name": "att-b", "transit_gateway": "tgw-1", "type": "vpc",
                   "vpc": "b", "subnets": ["b1"], "association": "tgw-rtb-2"}}]"#,
        );
        apply_all(&mut m, &ch).unwrap();
        assert_eq!(
            m.transit_gateway_attachments[1].association.as_deref(),
            Some("fw")
        );
        assert_eq!(m.transit_gateway_attachments[1].transit_gateway, "tgw");
        let bad = parse(
            r#"[{"op": "add-subnet", "subnet": {"name": "c1", "vpc": "nope", "az": "r-1a", "cidr": "10.2.0.0/24"}}]"#,
        );
        let e = apply_all(&mut m, &bad).unwrap_err();
        assert_eq!(e.path, "/subnet/vpc");
    }
}
