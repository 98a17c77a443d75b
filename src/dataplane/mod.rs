//! The dataplane: the model compiled once into a forwarding graph (petgraph) whose
//! nodes are forwarding contexts (VPC route tables, gateway route tables, TGW route
//! tables, gateways, endpoints, appliances, attachments, on-prem sites, the Internet),
//! each route table with a longest-prefix-match table ([`lpm::Lpm`], a prefix trie).
//!
//! A `Dataplane` is immutable after [`Dataplane::compile`] and `Sync`: matrices and
//! failure sweeps share one across rayon threads. Failed components are masked at
//! compile time ([`FailureSet`]): a failed AZ takes down every subnet (and so every
//! interface, NAT gateway and endpoint) in it and the attachment ENIs there; a failed
//! attachment withdraws its propagated routes and turns static routes to it into
//! blackholes, as AWS does for a deleted attachment.
//!
//! Imports only [`crate::model`].

pub mod filters;
pub mod firewall;
pub mod flow;
pub mod lpm;
mod tables;

pub use flow::Flow;
pub use tables::{Owner, SiteConnection, SiteRoute, Target, TgwRoute, VpcRoute};

use crate::model::{Index, Model};
use lpm::Lpm;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::IpAddr;

/// Components to treat as failed (by name or AWS id): AZs, subnets, interfaces,
/// attachments, firewalls and firewall endpoints, VPC endpoints, NAT gateways, VGW
/// connections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FailureSet {
    /// Failed component names (AZ names, attachment names, endpoint names, …).
    pub failed: BTreeSet<String>,
}

impl FailureSet {
    /// Whether an object with this name (and optional id) is failed.
    pub fn has(&self, name: &str, id: Option<&str>) -> bool {
        self.failed.contains(name) || id.is_some_and(|i| self.failed.contains(i))
    }
}

/// A node of the forwarding graph: one forwarding context.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    /// A VPC route table (subnet or gateway route table), by index.
    RouteTable(usize),
    /// A Transit Gateway route table, by index.
    TransitGatewayRouteTable(usize),
    /// A Transit Gateway attachment, by index.
    Attachment(usize),
    /// A route target that forwards (gateway, endpoint, appliance, peering).
    Target(Target),
    /// An on-premises site, by index.
    OnPremSite(usize),
    /// The Internet.
    Internet,
}

/// The compiled forwarding graph and the look-up structures the simulator walks.
#[derive(Debug)]
pub struct Dataplane {
    /// The model it was compiled from.
    pub model: Model,
    /// Name/id index of the model.
    pub index: Index,
    /// What is failed.
    pub failures: FailureSet,
    /// The forwarding graph: an edge per route (weight: the destination and how the
    /// route got there) from a route table to its target, from an attachment to its
    /// associated TGW route table, and from a site to its attachments.
    pub graph: DiGraph<Node, String>,
    /// Graph node of each forwarding context.
    pub nodes: HashMap<Node, NodeIndex>,
    /// What the twin could not model, said once per object.
    pub warnings: Vec<String>,

    pub(crate) subnet_rt: Vec<Option<usize>>,
    pub(crate) subnet_nacl: Vec<Option<usize>>,
    pub(crate) subnet_vpc: Vec<Option<usize>>,
    pub(crate) subnet_down: Vec<bool>,
    pub(crate) eni_down: Vec<bool>,
    pub(crate) nat_down: Vec<bool>,
    pub(crate) vpce_down: Vec<bool>,
    pub(crate) fw_endpoint_down: HashSet<(usize, usize)>,
    pub(crate) attachment_down: Vec<bool>,
    pub(crate) vgw_conn_down: HashSet<(usize, usize)>,
    pub(crate) rt_routes: Vec<Lpm<VpcRoute>>,
    pub(crate) tgw_routes: Vec<Lpm<TgwRoute>>,
    pub(crate) igw_edge_rt: Vec<Option<usize>>,
    pub(crate) vgw_edge_rt: Vec<Option<usize>>,
    pub(crate) vpc_igw: Vec<Option<usize>>,
    pub(crate) private_owner: HashMap<(usize, IpAddr), Owner>,
    pub(crate) public_owner: HashMap<IpAddr, Owner>,
    pub(crate) vpc_attachment: HashMap<(usize, usize), usize>,
    pub(crate) attachment_assoc: Vec<Option<usize>>,
    pub(crate) attachment_azs: Vec<Vec<(String, usize)>>,
    pub(crate) site_routes: Vec<Lpm<SiteRoute>>,
    pub(crate) sg_members: HashMap<String, HashSet<IpAddr>>,
    pub(crate) firewall_policy: Vec<Option<usize>>,
    pub(crate) vpc_account: Vec<Option<String>>,
    pub(crate) tgw_account: Vec<Option<String>>,
    /// The Network Load Balancer whose node each interface is, if any.
    pub(crate) eni_nlb: Vec<Option<usize>>,
    /// Failed Network Load Balancers.
    pub(crate) nlb_down: Vec<bool>,
    /// VPN tunnel outside addresses (AWS side) → (VGW, connection).
    pub(crate) vgw_outside: HashMap<IpAddr, (usize, usize)>,
}

impl Dataplane {
    /// Compile a model with nothing failed.
    pub fn compile(model: &Model) -> Dataplane {
        Dataplane::compile_with_failures(model, &FailureSet::default())
    }

    /// Compile a model with some components failed.
    pub fn compile_with_failures(model: &Model, failures: &FailureSet) -> Dataplane {
        tables::compile(model, failures)
    }

    /// The VPC (index) of a subnet.
    pub fn vpc_of_subnet(&self, subnet: usize) -> Option<usize> {
        self.subnet_vpc.get(subnet).copied().flatten()
    }

    /// The subnet (index) of an interface.
    pub fn subnet_of_interface(&self, eni: usize) -> Option<usize> {
        let e = self.model.network_interfaces.get(eni)?;
        self.index
            .get_kind(&e.subnet, crate::model::ObjectKind::Subnet)
    }

    /// The owner of a private address in a VPC.
    pub fn private_owner(&self, vpc: usize, ip: IpAddr) -> Option<Owner> {
        self.private_owner.get(&(vpc, ip)).copied()
    }

    /// The Network Load Balancer (index) whose node interface `eni` is.
    pub fn load_balancer_of(&self, eni: usize) -> Option<usize> {
        self.eni_nlb.get(eni).copied().flatten()
    }

    /// The VGW and connection whose AWS-side tunnel outside address `ip` is.
    pub fn vpn_tunnel_endpoint(&self, ip: IpAddr) -> Option<(usize, usize)> {
        self.vgw_outside.get(&ip).copied()
    }

    /// The owner of a public (Elastic) address.
    pub fn public_owner(&self, ip: IpAddr) -> Option<Owner> {
        self.public_owner.get(&ip).copied()
    }

    /// The route of a VPC route table that matches `dst` (longest prefix, then AWS's
    /// preference at equal prefix), with the matched prefix.
    pub fn vpc_route(&self, rt: usize, dst: IpAddr) -> Option<(ipnet::IpNet, &VpcRoute)> {
        self.rt_routes.get(rt)?.lookup(dst)
    }

    /// The route of a TGW route table that matches `dst`.
    pub fn tgw_route(&self, rtb: usize, dst: IpAddr) -> Option<(ipnet::IpNet, &TgwRoute)> {
        self.tgw_routes.get(rtb)?.lookup(dst)
    }

    /// Every effective route of a VPC route table (after preference), for reports.
    pub fn vpc_routes(&self, rt: usize) -> Vec<(ipnet::IpNet, &VpcRoute)> {
        self.rt_routes
            .get(rt)
            .map(|t| t.entries())
            .unwrap_or_default()
    }

    /// Every effective route of a TGW route table (after preference), for reports.
    pub fn tgw_routes(&self, rtb: usize) -> Vec<(ipnet::IpNet, &TgwRoute)> {
        self.tgw_routes
            .get(rtb)
            .map(|t| t.entries())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
