//! Facts AWS derives from the configuration: the route table and NACL a subnet uses,
//! and the effective routes of each Transit Gateway route table.

use super::{AttachmentType, Index, Model, ObjectKind, VpnRouting};
use ipnet::IpNet;

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
