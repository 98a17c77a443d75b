//! The routing entries in which two dataplanes differ, for differential reachability:
//! a walk on the base dataplane that never consults one of them takes the same steps on
//! the changed dataplane (a walk is deterministic and each step reads only the forwarding
//! context it is in — `crate::sim::walk`), so only the flows whose base walks consult a
//! watched entry need walking again (`crate::analysis::diff`).
//!
//! The argument holds only when everything else the walks read is the same, so
//! [`routing_delta`] answers `None` (compute the changed side in full) unless the two
//! models differ at most in their route tables, their transit gateway route tables and
//! their attachments' associations and propagations, with the same failures.

use super::lpm::Lpm;
use super::Dataplane;
use crate::model::{Model, TransitGatewayAttachment};
use ipnet::IpNet;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// Routing entries of a dataplane, by index, that a walk reports consulting
/// ([`Dataplane::watching`]; the walk's `watched` flag).
///
/// A route table is watched per prefix: a longest-prefix lookup of an address that no
/// changed prefix contains finds the same route in both tables (every prefix containing
/// it is unchanged), so only lookups of addresses inside a changed prefix count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Watch {
    /// Subnets whose route table (association, or the main table) differs.
    pub subnets: Vec<bool>,
    /// Per VPC route table: the prefixes whose effective route differs (added, removed
    /// or changed).
    pub route_tables: Vec<Vec<IpNet>>,
    /// Transit gateway attachments whose associated route table differs.
    pub attachments: Vec<bool>,
    /// Per transit gateway route table: the prefixes whose effective route differs.
    pub tgw_route_tables: Vec<Vec<IpNet>>,
    /// Per on-premises site: the prefixes whose learned route (what AWS advertises)
    /// differs.
    pub sites: Vec<Vec<IpNet>>,
}

impl Watch {
    /// Whether nothing is watched (the two dataplanes route alike).
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    /// How many entries are watched (subnets, attachments, and changed prefixes).
    pub fn count(&self) -> usize {
        let flags = |v: &[bool]| v.iter().filter(|b| **b).count();
        let prefixes = |v: &[Vec<IpNet>]| v.iter().map(Vec::len).sum::<usize>();
        flags(&self.subnets)
            + flags(&self.attachments)
            + prefixes(&self.route_tables)
            + prefixes(&self.tgw_route_tables)
            + prefixes(&self.sites)
    }
}

/// Whether `v` holds `true` at `i`.
pub(crate) fn hit(v: &[bool], i: usize) -> bool {
    v.get(i).copied().unwrap_or(false)
}

/// Whether a changed prefix of table `i` of `v` contains `dst`.
pub(crate) fn hit_prefix(v: &[Vec<IpNet>], i: usize, dst: IpAddr) -> bool {
    v.get(i)
        .is_some_and(|ps| ps.iter().any(|p| p.contains(&dst)))
}

/// The routing entries in which `changed` differs from `base`, when routing is all that
/// differs (see the module documentation); `None` otherwise, and when a gateway route
/// table (edge association) changed (not watched).
pub fn routing_delta(base: &Dataplane, changed: &Dataplane) -> Option<Watch> {
    if base.failures != changed.failures || !same_but_routing(&base.model, &changed.model) {
        return None;
    }
    if *base.igw_edge_rt != *changed.igw_edge_rt || *base.vgw_edge_rt != *changed.vgw_edge_rt {
        return None;
    }
    let differ = |a: &[Option<usize>], b: &[Option<usize>]| -> Option<Vec<bool>> {
        (a.len() == b.len()).then(|| a.iter().zip(b).map(|(x, y)| x != y).collect())
    };
    fn tables<T: PartialEq + Sync + Send>(
        a: &[impl std::ops::Deref<Target = Lpm<T>> + Sync],
        b: &[impl std::ops::Deref<Target = Lpm<T>> + Sync],
    ) -> Option<Vec<Vec<IpNet>>> {
        (a.len() == b.len()).then(|| {
            a.par_iter()
                .zip(b)
                .map(|(x, y)| changed_prefixes(x, y))
                .collect()
        })
    }
    Some(Watch {
        subnets: differ(&base.subnet_rt, &changed.subnet_rt)?,
        route_tables: tables(&wrap(&base.rt_routes), &wrap(&changed.rt_routes))?,
        attachments: differ(&base.attachment_assoc, &changed.attachment_assoc)?,
        tgw_route_tables: tables(&base.tgw_routes, &changed.tgw_routes)?,
        sites: tables(&base.site_routes, &changed.site_routes)?,
    })
}

/// The prefixes whose entry differs between `a` and `b` (in one of them only, or with
/// different routes), in prefix order.
fn changed_prefixes<T: PartialEq>(a: &Lpm<T>, b: &Lpm<T>) -> Vec<IpNet> {
    let (ea, eb) = (a.entries(), b.entries());
    if ea == eb {
        return Vec::new();
    }
    let ma: BTreeMap<IpNet, &T> = ea.into_iter().collect();
    let mb: BTreeMap<IpNet, &T> = eb.into_iter().collect();
    let mut out: Vec<IpNet> = ma
        .iter()
        .filter(|(p, v)| mb.get(*p) != Some(*v))
        .map(|(p, _)| *p)
        .collect();
    out.extend(mb.keys().filter(|p| !ma.contains_key(*p)));
    out.sort_unstable();
    out
}

/// References to plain tables, as the deref-able items [`routing_delta`] compares.
fn wrap<T>(v: &[T]) -> Vec<&T> {
    v.iter().collect()
}

/// Whether `a` and `b` are equal except for their VPC route tables' contents, their
/// transit gateway route tables' contents and their attachments' associations and
/// propagations (tables in the same order under the same names: the index of the model
/// stays the same).
fn same_but_routing(a: &Model, b: &Model) -> bool {
    // Every field named (no `..`): a new model field must be placed on one side.
    let Model {
        name: _,
        description: _,
        regions,
        accounts,
        vpcs,
        subnets,
        route_tables,
        internet_gateways,
        egress_only_internet_gateways,
        nat_gateways,
        vpn_gateways,
        vpc_peering_connections,
        prefix_lists,
        vpc_endpoints,
        transit_gateways,
        transit_gateway_route_tables,
        transit_gateway_attachments,
        onprem_sites,
        firewalls,
        firewall_policies,
        rule_groups,
        gateway_load_balancers,
        network_load_balancers,
        target_groups,
        security_groups,
        network_acls,
        network_interfaces,
    } = a;
    let same_tables = route_tables.len() == b.route_tables.len()
        && route_tables
            .iter()
            .zip(&b.route_tables)
            .all(|(x, y)| (&x.name, &x.id, &x.vpc) == (&y.name, &y.id, &y.vpc));
    let same_tgw_tables = transit_gateway_route_tables.len()
        == b.transit_gateway_route_tables.len()
        && transit_gateway_route_tables
            .iter()
            .zip(&b.transit_gateway_route_tables)
            .all(|(x, y)| {
                (&x.name, &x.id, &x.transit_gateway) == (&y.name, &y.id, &y.transit_gateway)
            });
    let unrouted = |t: &TransitGatewayAttachment| TransitGatewayAttachment {
        association: None,
        propagations: Vec::new(),
        ..t.clone()
    };
    let same_attachments = transit_gateway_attachments.len() == b.transit_gateway_attachments.len()
        && transit_gateway_attachments
            .iter()
            .zip(&b.transit_gateway_attachments)
            .all(|(x, y)| unrouted(x) == unrouted(y));
    same_tables
        && same_tgw_tables
        && same_attachments
        && *regions == b.regions
        && *accounts == b.accounts
        && *vpcs == b.vpcs
        && *subnets == b.subnets
        && *internet_gateways == b.internet_gateways
        && *egress_only_internet_gateways == b.egress_only_internet_gateways
        && *nat_gateways == b.nat_gateways
        && *vpn_gateways == b.vpn_gateways
        && *vpc_peering_connections == b.vpc_peering_connections
        && *prefix_lists == b.prefix_lists
        && *vpc_endpoints == b.vpc_endpoints
        && *transit_gateways == b.transit_gateways
        && *onprem_sites == b.onprem_sites
        && *firewalls == b.firewalls
        && *firewall_policies == b.firewall_policies
        && *rule_groups == b.rule_groups
        && *gateway_load_balancers == b.gateway_load_balancers
        && *network_load_balancers == b.network_load_balancers
        && *target_groups == b.target_groups
        && *security_groups == b.security_groups
        && *network_acls == b.network_acls
        && *network_interfaces == b.network_interfaces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::load_reference;
    use crate::model::{RouteState, SecurityGroupRule};

    fn reference() -> Model {
        load_reference().expect("reference scenario loads").model
    }

    fn delta(a: &Model, b: &Model) -> Option<Watch> {
        routing_delta(&Dataplane::compile(a), &Dataplane::compile(b))
    }

    #[test]
    fn same_model_watches_nothing() {
        let m = reference();
        let w = delta(&m, &m).expect("routing is all that differs");
        assert!(w.is_empty());
        assert_eq!(w.count(), 0);
    }

    #[test]
    fn a_blackholed_route_watches_its_table_only() {
        let m = reference();
        let mut c = m.clone();
        let rt = c
            .route_tables
            .iter()
            .position(|t| t.routes.iter().any(|r| r.state == RouteState::Active))
            .expect("an active route");
        if let Some(r) = c.route_tables[rt]
            .routes
            .iter_mut()
            .find(|r| r.state == RouteState::Active)
        {
            r.state = RouteState::Blackhole;
        }
        let w = delta(&m, &c).expect("routing only");
        assert_eq!(w.count(), 1);
        let p = c.route_tables[rt]
            .routes
            .iter()
            .find(|r| r.state == RouteState::Blackhole)
            .and_then(|r| r.destination);
        assert_eq!(w.route_tables[rt], p.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn an_association_watches_the_attachment() {
        let m = reference();
        let mut c = m.clone();
        let (k, other) = c
            .transit_gateway_attachments
            .iter()
            .enumerate()
            .find_map(|(k, a)| {
                let other = c
                    .transit_gateway_route_tables
                    .iter()
                    .find(|t| Some(&t.name) != a.association.as_ref())?;
                Some((k, other.name.clone()))
            })
            .expect("an attachment and another TGW route table");
        c.transit_gateway_attachments[k].association = Some(other);
        let w = delta(&m, &c).expect("routing only");
        assert!(w.attachments[k]);
        assert!(w.route_tables.iter().all(Vec::is_empty));
    }

    #[test]
    fn a_filter_change_is_not_routing() {
        let m = reference();
        let mut c = m.clone();
        let g = c
            .security_groups
            .iter_mut()
            .find(|g| !g.ingress.is_empty())
            .expect("a security group with a rule");
        let r: SecurityGroupRule = g.ingress.remove(0);
        assert!(delta(&m, &c).is_none(), "removed {r:?}");
        let mut f = m.clone();
        f.name = "renamed".into();
        assert!(delta(&m, &f).is_some(), "the scenario name does not route");
    }
}
