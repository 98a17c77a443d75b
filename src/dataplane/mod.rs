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
pub mod watch;

pub use flow::Flow;
pub use tables::{Owner, SiteConnection, SiteRoute, Target, TgwRoute, VpcRoute};
pub use watch::{routing_delta, Watch};

use crate::model::{Index, Model};
use lpm::Lpm;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

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

/// A part of a compiled dataplane that failures do not change, shared between a
/// dataplane and those derived from it with [`Dataplane::with_failures`]. Reads like the
/// value it holds (indexing, methods, `for x in &shared`).
#[derive(Debug)]
pub(crate) struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    pub(crate) fn new(value: T) -> Shared<T> {
        Shared(Arc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<'a, T> IntoIterator for &'a Shared<Vec<T>> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a Shared<HashMap<K, V>> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::collections::hash_map::Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
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
    /// The model it was compiled from (shared by the dataplanes derived with
    /// [`Dataplane::with_failures`]).
    pub model: Arc<Model>,
    /// Name/id index of the model.
    pub index: Arc<Index>,
    /// What is failed.
    pub failures: FailureSet,
    /// The forwarding graph and the node of each forwarding context, built on first use
    /// ([`Dataplane::graph`]).
    graph: OnceLock<(DiGraph<Node, String>, HashMap<Node, NodeIndex>)>,
    /// What the twin could not model, said once per object.
    pub warnings: Vec<String>,

    pub(crate) subnet_rt: Shared<Vec<Option<usize>>>,
    pub(crate) subnet_nacl: Shared<Vec<Option<usize>>>,
    pub(crate) subnet_vpc: Shared<Vec<Option<usize>>>,
    /// The subnet of each interface (resolved once: walks ask per packet).
    pub(crate) eni_subnet: Shared<Vec<Option<usize>>>,
    pub(crate) subnet_down: Vec<bool>,
    pub(crate) eni_down: Vec<bool>,
    pub(crate) nat_down: Vec<bool>,
    pub(crate) vpce_down: Vec<bool>,
    pub(crate) fw_endpoint_down: HashSet<(usize, usize)>,
    pub(crate) attachment_down: Vec<bool>,
    pub(crate) vgw_conn_down: HashSet<(usize, usize)>,
    pub(crate) rt_routes: Shared<Vec<Lpm<VpcRoute>>>,
    pub(crate) tgw_routes: Vec<Arc<Lpm<TgwRoute>>>,
    /// The TGW route tables' candidate routes (to rebuild a table when failures change).
    pub(crate) tgw_candidates: Shared<tables::TgwCandidates>,
    /// What each failed name takes down (to derive failure masks), built on first use.
    pub(crate) mask_index: Shared<OnceLock<tables::MaskIndex>>,
    pub(crate) igw_edge_rt: Shared<Vec<Option<usize>>>,
    pub(crate) vgw_edge_rt: Shared<Vec<Option<usize>>>,
    pub(crate) vpc_igw: Shared<Vec<Option<usize>>>,
    pub(crate) private_owner: Shared<HashMap<(usize, IpAddr), Owner>>,
    pub(crate) public_owner: Shared<HashMap<IpAddr, Owner>>,
    pub(crate) vpc_attachment: Shared<HashMap<(usize, usize), usize>>,
    pub(crate) attachment_assoc: Shared<Vec<Option<usize>>>,
    pub(crate) attachment_azs: Shared<Vec<Vec<(String, usize)>>>,
    pub(crate) site_routes: Shared<Vec<Arc<Lpm<SiteRoute>>>>,
    pub(crate) sg_members: Shared<HashMap<String, HashSet<IpAddr>>>,
    pub(crate) firewall_policy: Shared<Vec<Option<usize>>>,
    pub(crate) vpc_account: Shared<Vec<Option<String>>>,
    pub(crate) tgw_account: Shared<Vec<Option<String>>>,
    /// The Network Load Balancer whose node each interface is, if any.
    pub(crate) eni_nlb: Shared<Vec<Option<usize>>>,
    /// Failed Network Load Balancers.
    pub(crate) nlb_down: Vec<bool>,
    /// VPN tunnel outside addresses (AWS side) → (VGW, connection).
    pub(crate) vgw_outside: Shared<HashMap<IpAddr, (usize, usize)>>,
    /// Routing entries whose use a walk reports ([`Dataplane::watching`]).
    pub(crate) watch: Option<Arc<Watch>>,
    /// Each firewall policy's rule groups in evaluation order, built on first use.
    pub(crate) policy_plans: Shared<OnceLock<Vec<firewall::PolicyPlan>>>,
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

    /// This dataplane's model with `failures` failed (instead of this dataplane's own
    /// failures): equal to [`Dataplane::compile_with_failures`] of the same model, but
    /// cheap — everything failures do not change is shared with `self`, and only the
    /// failure masks and the tables they feed are computed again. A failure sweep derives
    /// one per scenario from the baseline's.
    pub fn with_failures(&self, failures: &FailureSet) -> Dataplane {
        tables::with_failures(self, failures)
    }

    /// This dataplane with the routing entries of `watch` watched: a walk that consults
    /// one of them (a subnet's route table association, a VPC or transit gateway route
    /// table lookup, an attachment's association, an on-premises site's learned routes)
    /// says so in its `watched` flag ([`crate::sim::Summary::watched`]). Forwarding is
    /// unchanged.
    pub fn watching(mut self, watch: Watch) -> Dataplane {
        self.watch = Some(Arc::new(watch));
        self
    }

    /// The forwarding graph: an edge per route (weight: the destination and how the
    /// route got there) from a route table to its target, from a TGW route table to an
    /// attachment, from an attachment to its associated TGW route table, and from a site
    /// to its attachments. Built on first use.
    pub fn graph(&self) -> &DiGraph<Node, String> {
        &self.graph_and_nodes().0
    }

    /// The graph node of each forwarding context (see [`Dataplane::graph`]).
    pub fn nodes(&self) -> &HashMap<Node, NodeIndex> {
        &self.graph_and_nodes().1
    }

    fn graph_and_nodes(&self) -> &(DiGraph<Node, String>, HashMap<Node, NodeIndex>) {
        self.graph.get_or_init(|| tables::graph(self))
    }

    /// The VPC (index) of a subnet.
    pub fn vpc_of_subnet(&self, subnet: usize) -> Option<usize> {
        self.subnet_vpc.get(subnet).copied().flatten()
    }

    /// The subnet (index) of an interface.
    pub fn subnet_of_interface(&self, eni: usize) -> Option<usize> {
        self.eni_subnet.get(eni).copied().flatten()
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
