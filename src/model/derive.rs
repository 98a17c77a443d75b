//! Facts AWS derives from the configuration: the route table and NACL a subnet uses,
//! and the effective routes of each Transit Gateway route table.

use super::{AttachmentType, Index, Model, ObjectKind, VpnRouting};
use ipnet::IpNet;
use std::collections::HashMap;

/// Why a TGW route is in a table, in AWS's order of preference at equal prefix
/// length: static > prefix-list reference > VPC-propagated > DX-gateway-propagated >
/// Connect-propagated > VPN-propagated ("Route evaluation order",
/// <https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html#tgw-route-evaluation-overview>).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TgwRouteKind {
    /// A static (or blackhole) route.
    Static,
    /// From a prefix-list reference.
    PrefixListReference,
    /// Propagated by a VPC attachment.
    PropagatedVpc,
    /// Propagated by a Direct Connect gateway attachment.
    PropagatedDirectConnect,
    /// Propagated by a Connect attachment.
    PropagatedConnect,
    /// Propagated by a VPN attachment (BGP).
    PropagatedVpn,
}

/// One effective route of a TGW route table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveTgwRoute {
    /// Destination.
    pub destination: IpNet,
    /// Target attachment (index into `Model::transit_gateway_attachments`); `None` = blackhole.
    pub attachment: Option<usize>,
    /// Why the route is there (its preference at equal prefix).
    pub kind: TgwRouteKind,
}

impl Model {
    /// The route table a subnet uses: the one that lists it, else its VPC's main table.
    /// See "Subnet route tables",
    /// <https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html>.
    pub fn subnet_route_table(&self, subnet: usize) -> Option<usize> {
        let s = self.subnets.get(subnet)?;
        self.route_tables
            .iter()
            .position(|rt| rt.subnets.iter().any(|n| n == &s.name))
            .or_else(|| {
                self.route_tables
                    .iter()
                    .position(|rt| rt.main && rt.vpc == s.vpc)
            })
    }

    /// [`Self::subnet_route_table`] of every subnet, in one pass over the route tables
    /// (linear, where asking per subnet is quadratic).
    pub fn subnet_route_tables(&self) -> Vec<Option<usize>> {
        let mut listed: HashMap<&str, usize> = HashMap::new();
        let mut main: HashMap<&str, usize> = HashMap::new();
        for (i, rt) in self.route_tables.iter().enumerate() {
            for n in &rt.subnets {
                listed.entry(n.as_str()).or_insert(i);
            }
            if rt.main {
                main.entry(rt.vpc.as_str()).or_insert(i);
            }
        }
        self.subnets
            .iter()
            .map(|s| {
                listed
                    .get(s.name.as_str())
                    .or_else(|| main.get(s.vpc.as_str()))
                    .copied()
            })
            .collect()
    }

    /// [`Self::subnet_network_acl`] of every subnet, in one pass over the network ACLs.
    pub fn subnet_network_acls(&self) -> Vec<Option<usize>> {
        let mut listed: HashMap<&str, usize> = HashMap::new();
        let mut default: HashMap<&str, usize> = HashMap::new();
        for (i, a) in self.network_acls.iter().enumerate() {
            for n in &a.subnets {
                listed.entry(n.as_str()).or_insert(i);
            }
            if a.default {
                default.entry(a.vpc.as_str()).or_insert(i);
            }
        }
        self.subnets
            .iter()
            .map(|s| {
                listed
                    .get(s.name.as_str())
                    .or_else(|| default.get(s.vpc.as_str()))
                    .copied()
            })
            .collect()
    }

    /// The network ACL a subnet uses: the one that lists it, else its VPC's default NACL.
    /// `None` means no NACL is modelled for the VPC: the default NACL allows everything.
    pub fn subnet_network_acl(&self, subnet: usize) -> Option<usize> {
        let s = self.subnets.get(subnet)?;
        self.network_acls
            .iter()
            .position(|a| a.subnets.iter().any(|n| n == &s.name))
            .or_else(|| {
                self.network_acls
                    .iter()
                    .position(|a| a.default && a.vpc == s.vpc)
            })
    }

    /// The effective routes of TGW route table `rtb` (index): its static and blackhole
    /// routes, its prefix-list references, and the routes propagated by every available
    /// attachment that propagates to it. Every route is kept, preferred or not; the
    /// dataplane picks the best per prefix by [`TgwRouteKind`].
    ///
    /// Propagation per "Route propagation"
    /// (<https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html>): a VPC
    /// attachment propagates its VPC's CIDRs; VPN (BGP) and DX gateway attachments the
    /// prefixes the site advertises; Connect attachments the prefixes of their site.
    /// VPN attachments with static routing and peering attachments propagate nothing:
    /// their routes are static routes.
    pub fn transit_gateway_routes(&self, rtb: usize, ix: &Index) -> Vec<EffectiveTgwRoute> {
        let Some(table) = self.transit_gateway_route_tables.get(rtb) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for r in &table.routes {
            let attachment = if r.blackhole {
                None
            } else {
                r.attachment
                    .as_deref()
                    .and_then(|a| ix.get_kind(a, ObjectKind::TransitGatewayAttachment))
            };
            out.push(EffectiveTgwRoute {
                destination: r.destination,
                attachment,
                kind: TgwRouteKind::Static,
            });
        }
        for p in &table.prefix_list_references {
            let Some(pl) = ix.get_kind(&p.prefix_list, ObjectKind::PrefixList) else {
                continue;
            };
            let attachment = if p.blackhole {
                None
            } else {
                p.attachment
                    .as_deref()
                    .and_then(|a| ix.get_kind(a, ObjectKind::TransitGatewayAttachment))
            };
            for e in &self.prefix_lists[pl].entries {
                out.push(EffectiveTgwRoute {
                    destination: *e,
                    attachment,
                    kind: TgwRouteKind::PrefixListReference,
                });
            }
        }
        for (ai, a) in self.transit_gateway_attachments.iter().enumerate() {
            if !a.available || !a.propagations.iter().any(|p| p == &table.name) {
                continue;
            }
            let (kind, prefixes): (TgwRouteKind, Vec<IpNet>) = match a.attachment_type {
                AttachmentType::Vpc => {
                    let cidrs = a
                        .vpc
                        .as_deref()
                        .and_then(|v| ix.get_kind(v, ObjectKind::Vpc))
                        .map(|v| self.vpcs[v].cidrs.clone())
                        .unwrap_or_default();
                    (TgwRouteKind::PropagatedVpc, cidrs)
                }
                AttachmentType::Vpn if a.routing == VpnRouting::Static => continue,
                AttachmentType::Vpn => (TgwRouteKind::PropagatedVpn, self.advertised(a)),
                AttachmentType::DirectConnectGateway => {
                    (TgwRouteKind::PropagatedDirectConnect, self.advertised(a))
                }
                AttachmentType::Connect => (TgwRouteKind::PropagatedConnect, self.advertised(a)),
                AttachmentType::Peering => continue,
            };
            for p in prefixes {
                out.push(EffectiveTgwRoute {
                    destination: p,
                    attachment: Some(ai),
                    kind,
                });
            }
        }
        out
    }

    /// The prefixes an on-premises attachment advertises: its own list, else its site's.
    fn advertised(&self, a: &super::TransitGatewayAttachment) -> Vec<IpNet> {
        if !a.advertised_prefixes.is_empty() {
            return a.advertised_prefixes.clone();
        }
        a.site
            .as_deref()
            .and_then(|s| self.onprem_sites.iter().find(|x| x.name == s))
            .map(|s| s.prefixes.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn batch_lookups_equal_per_subnet_ones() {
        let m = crate::ingest::load_reference().unwrap().model;
        let rts = m.subnet_route_tables();
        let acls = m.subnet_network_acls();
        for s in 0..m.subnets.len() {
            assert_eq!(rts[s], m.subnet_route_table(s));
            assert_eq!(acls[s], m.subnet_network_acl(s));
        }
        assert!(rts.iter().any(Option::is_some));
        assert!(acls.iter().any(Option::is_some));
    }
}
