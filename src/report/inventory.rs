//! Inventory of a model per account and region: the one-line summaries of
//! `lztwin validate` and the tree of `lztwin show` (text or JSON).

use crate::model::{AttachmentType, Model};
use std::collections::BTreeSet;
use std::fmt;

/// What one account holds in one region (counts), for `lztwin validate`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Account name.
    pub account: String,
    /// Region name (empty when the account holds nothing).
    pub region: String,
    /// VPCs.
    pub vpcs: usize,
    /// Subnets of those VPCs.
    pub subnets: usize,
    /// VPC route tables.
    pub route_tables: usize,
    /// Transit Gateways owned.
    pub transit_gateways: usize,
    /// TGW route tables of those Transit Gateways.
    pub tgw_route_tables: usize,
    /// TGW attachments owned (the attached resource's account, else the TGW's).
    pub attachments: usize,
    /// Network Firewalls in those VPCs.
    pub firewalls: usize,
    /// Network interfaces in those VPCs.
    pub network_interfaces: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.region.is_empty() {
            return write!(f, "{}: no resources", self.account);
        }
        let parts = [
            (self.vpcs, "VPC", "VPCs"),
            (self.subnets, "subnet", "subnets"),
            (self.route_tables, "route table", "route tables"),
            (self.transit_gateways, "transit gateway", "transit gateways"),
            (self.tgw_route_tables, "TGW route table", "TGW route tables"),
            (self.attachments, "TGW attachment", "TGW attachments"),
            (self.firewalls, "firewall", "firewalls"),
            (
                self.network_interfaces,
                "network interface",
                "network interfaces",
            ),
        ];
        let text: Vec<String> = parts
            .iter()
            .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
            .collect();
        write!(f, "{} {}: {}", self.account, self.region, text.join(", "))
    }
}

/// The account owning a TGW attachment: its own `account`, else its VPC's, else the TGW's.
pub fn attachment_account(m: &Model, i: usize) -> Option<&str> {
    let a = m.transit_gateway_attachments.get(i)?;
    if let Some(acc) = &a.account {
        return Some(acc);
    }
    if a.attachment_type == AttachmentType::Vpc {
        if let Some(v) = a
            .vpc
            .as_deref()
            .and_then(|v| m.vpcs.iter().find(|x| x.name == v))
        {
            return Some(&v.account);
        }
    }
    m.transit_gateways
        .iter()
        .find(|t| t.name == a.transit_gateway)
        .map(|t| t.account.as_str())
}

/// The region of a TGW attachment (its Transit Gateway's).
fn attachment_region(m: &Model, i: usize) -> Option<&str> {
    let a = m.transit_gateway_attachments.get(i)?;
    m.transit_gateways
        .iter()
        .find(|t| t.name == a.transit_gateway)
        .map(|t| t.region.as_str())
}

/// One summary per (account, region) holding something, in the model's account order
/// and region name order; an account holding nothing gets one `no resources` line.
pub fn summaries(m: &Model) -> Vec<Summary> {
    let mut out = Vec::new();
    for acc in &m.accounts {
        let a = acc.name.as_str();
        let mut regions: BTreeSet<&str> = BTreeSet::new();
        regions.extend(
            m.vpcs
                .iter()
                .filter(|v| v.account == a)
                .map(|v| v.region.as_str()),
        );
        regions.extend(
            m.transit_gateways
                .iter()
                .filter(|t| t.account == a)
                .map(|t| t.region.as_str()),
        );
        for i in 0..m.transit_gateway_attachments.len() {
            if attachment_account(m, i) == Some(a) {
                regions.extend(attachment_region(m, i));
            }
        }
        if regions.is_empty() {
            out.push(Summary {
                account: a.to_string(),
                ..Summary::default()
            });
            continue;
        }
        for r in regions {
            let vpcs: BTreeSet<&str> = m
                .vpcs
                .iter()
                .filter(|v| v.account == a && v.region == r)
                .map(|v| v.name.as_str())
                .collect();
            let tgws: BTreeSet<&str> = m
                .transit_gateways
                .iter()
                .filter(|t| t.account == a && t.region == r)
                .map(|t| t.name.as_str())
                .collect();
            let subnets: BTreeSet<&str> = m
                .subnets
                .iter()
                .filter(|s| vpcs.contains(s.vpc.as_str()))
                .map(|s| s.name.as_str())
                .collect();
            out.push(Summary {
                account: a.to_string(),
                region: r.to_string(),
                vpcs: vpcs.len(),
                subnets: subnets.len(),
                route_tables: m
                    .route_tables
                    .iter()
                    .filter(|t| vpcs.contains(t.vpc.as_str()))
                    .count(),
                transit_gateways: tgws.len(),
                tgw_route_tables: m
                    .transit_gateway_route_tables
                    .iter()
                    .filter(|t| tgws.contains(t.transit_gateway.as_str()))
                    .count(),
                attachments: (0..m.transit_gateway_attachments.len())
                    .filter(|&i| {
                        attachment_account(m, i) == Some(a) && attachment_region(m, i) == Some(r)
                    })
                    .count(),
                firewalls: m
                    .firewalls
                    .iter()
                    .filter(|f| vpcs.contains(f.vpc.as_str()))
                    .count(),
                network_interfaces: m
                    .network_interfaces
                    .iter()
                    .filter(|e| subnets.contains(e.subnet.as_str()))
                    .count(),
            });
        }
    }
    out
}

/// The inventory of `lztwin show`: per account, its VPCs (subnets, route tables,
/// gateways, firewalls) and Transit Gateways (route tables with their effective
/// routes, attachments); then the on-premises sites. Everything in model order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Inventory {
    /// Scenario name.
    pub name: String,
    /// Accounts in model order.
    pub accounts: Vec<AccountInventory>,
    /// On-premises sites.
    pub onprem_sites: Vec<SiteInventory>,
}

/// One account.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AccountInventory {
    /// Account name.
    pub name: String,
    /// 12-digit id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Environment tag.
    pub environment: String,
    /// The account's VPCs.
    pub vpcs: Vec<VpcInventory>,
    /// The Transit Gateways it owns.
    pub transit_gateways: Vec<TgwInventory>,
}

/// One VPC.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct VpcInventory {
    /// Name.
    pub name: String,
    /// AWS id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Region.
    pub region: String,
    /// CIDR blocks.
    pub cidrs: Vec<String>,
    /// Subnets.
    pub subnets: Vec<SubnetInventory>,
    /// Route tables.
    pub route_tables: Vec<RouteTableInventory>,
    /// Internet gateway (name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internet_gateway: Option<String>,
    /// NAT gateways: `name (subnet, private IP → public IP)`.
    pub nat_gateways: Vec<String>,
    /// Network Firewalls.
    pub firewalls: Vec<FirewallInventory>,
    /// VPC endpoints: `name (type)`.
    pub vpc_endpoints: Vec<String>,
    /// Number of network interfaces in the VPC.
    pub network_interfaces: usize,
}

/// One subnet.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SubnetInventory {
    /// Name.
    pub name: String,
    /// AWS id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Availability zone.
    pub az: String,
    /// IPv4 CIDR.
    pub cidr: String,
    /// The route table it uses (explicit or main).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route_table: Option<String>,
    /// The network ACL it uses (explicit or the VPC's default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_acl: Option<String>,
}

/// One VPC route table.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RouteTableInventory {
    /// Name.
    pub name: String,
    /// AWS id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Main route table of its VPC.
    pub main: bool,
    /// Explicitly associated subnets.
    pub subnets: Vec<String>,
    /// Edge associations (gateways).
    pub edge_associations: Vec<String>,
    /// Routes: destination and target.
    pub routes: Vec<RouteLine>,
}

/// A route: destination → target.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RouteLine {
    /// CIDR or prefix-list name.
    pub destination: String,
    /// `kind name` (`transit_gateway lz-tgw`), `local`, or `blackhole`.
    pub target: String,
    /// How the route got there (`static`, `propagated-vpc`, …).
    pub origin: String,
}

/// One Network Firewall.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FirewallInventory {
    /// Name.
    pub name: String,
    /// Policy name.
    pub policy: String,
    /// Endpoints: `name (subnet, AZ)`.
    pub endpoints: Vec<String>,
}

/// One Transit Gateway.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TgwInventory {
    /// Name.
    pub name: String,
    /// AWS id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Region.
    pub region: String,
    /// Amazon-side ASN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asn: Option<u32>,
    /// Route tables with their effective routes.
    pub route_tables: Vec<TgwRouteTableInventory>,
    /// Attachments (of every account).
    pub attachments: Vec<AttachmentInventory>,
}

/// One TGW route table.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TgwRouteTableInventory {
    /// Name.
    pub name: String,
    /// AWS id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Attachments associated with it.
    pub associations: Vec<String>,
    /// Attachments propagating to it.
    pub propagations: Vec<String>,
    /// Effective routes (static, prefix-list, propagated), sorted by destination.
    pub routes: Vec<RouteLine>,
}

/// One TGW attachment.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AttachmentInventory {
    /// Name.
    pub name: String,
    /// AWS id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `vpc`, `vpn`, `direct_connect_gateway`, `peering`, `connect`.
    #[serde(rename = "type")]
    pub attachment_type: String,
    /// Owning account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The VPC, site, peer TGW or transport attachment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// VPC attachments: subnets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    /// VPC attachments: appliance mode.
    pub appliance_mode: bool,
    /// Associated route table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association: Option<String>,
    /// Route tables it propagates to.
    pub propagations: Vec<String>,
    /// Available (false: failed or deleted).
    pub available: bool,
}

/// One on-premises site.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SiteInventory {
    /// Name.
    pub name: String,
    /// Prefixes it owns.
    pub prefixes: Vec<String>,
    /// The attachments and VGW connections that reach it.
    pub connections: Vec<String>,
}

fn enum_str<T: serde::Serialize>(t: &T) -> String {
    match serde_json::to_value(t) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// `kind name` of a VPC route target, as the native format spells it.
pub fn target_str(t: &crate::model::RouteTarget) -> String {
    match serde_json::to_value(t) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(o)) => o
            .iter()
            .next()
            .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or_default()))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Build the inventory of `m`.
pub fn inventory(m: &Model) -> Inventory {
    let ix = m.index();
    let accounts = m
        .accounts
        .iter()
        .map(|acc| AccountInventory {
            name: acc.name.clone(),
            id: acc.id.clone(),
            environment: acc.environment.as_str().to_string(),
            vpcs: m
                .vpcs
                .iter()
                .filter(|v| v.account == acc.name)
                .map(|v| vpc_inventory(m, v))
                .collect(),
            transit_gateways: m
                .transit_gateways
                .iter()
                .filter(|t| t.account == acc.name)
                .map(|t| tgw_inventory(m, &ix, t))
                .collect(),
        })
        .collect();
    let onprem_sites = m
        .onprem_sites
        .iter()
        .map(|s| {
            let mut connections: Vec<String> = m
                .transit_gateway_attachments
                .iter()
                .filter(|a| a.site.as_deref() == Some(s.name.as_str()))
                .map(|a| format!("{} ({})", a.name, enum_str(&a.attachment_type)))
                .collect();
            for g in &m.vpn_gateways {
                for c in g.connections.iter().filter(|c| c.site == s.name) {
                    connections.push(format!("{} ({} on {})", c.name, enum_str(&c.kind), g.name));
                }
            }
            SiteInventory {
                name: s.name.clone(),
                prefixes: s.prefixes.iter().map(|p| p.to_string()).collect(),
                connections,
            }
        })
        .collect();
    Inventory {
        name: m.name.clone(),
        accounts,
        onprem_sites,
    }
}

fn vpc_inventory(m: &Model, v: &crate::model::Vpc) -> VpcInventory {
    let subnets: Vec<SubnetInventory> = m
        .subnets
        .iter()
        .enumerate()
        .filter(|(_, s)| s.vpc == v.name)
        .map(|(i, s)| SubnetInventory {
            name: s.name.clone(),
            id: s.id.clone(),
            az: s.az.clone(),
            cidr: s.cidr.to_string(),
            route_table: m
                .subnet_route_table(i)
                .map(|r| m.route_tables[r].name.clone()),
            network_acl: m
                .subnet_network_acl(i)
                .map(|a| m.network_acls[a].name.clone()),
        })
        .collect();
    let in_vpc = |sn: &str| subnets.iter().any(|s| s.name == sn);
    VpcInventory {
        name: v.name.clone(),
        id: v.id.clone(),
        region: v.region.clone(),
        cidrs: v.cidrs.iter().map(|c| c.to_string()).collect(),
        route_tables: m
            .route_tables
            .iter()
            .filter(|t| t.vpc == v.name)
            .map(|t| RouteTableInventory {
                name: t.name.clone(),
                id: t.id.clone(),
                main: t.main,
                subnets: t.subnets.clone(),
                edge_associations: t.edge_associations.clone(),
                routes: t
                    .routes
                    .iter()
                    .map(|r| RouteLine {
                        destination: r
                            .destination
                            .map(|d| d.to_string())
                            .or_else(|| r.destination_prefix_list.clone())
                            .unwrap_or_default(),
                        target: if r.state == crate::model::RouteState::Blackhole {
                            format!("blackhole ({})", target_str(&r.target))
                        } else {
                            target_str(&r.target)
                        },
                        origin: enum_str(&r.origin),
                    })
                    .collect(),
            })
            .collect(),
        internet_gateway: m
            .internet_gateways
            .iter()
            .find(|g| g.vpc.as_deref() == Some(v.name.as_str()))
            .map(|g| g.name.clone()),
        nat_gateways: m
            .nat_gateways
            .iter()
            .filter(|n| in_vpc(&n.subnet))
            .map(|n| match n.public_ip {
                Some(p) => format!("{} ({}, {} → {p})", n.name, n.subnet, n.private_ip),
                None => format!("{} ({}, {}, private)", n.name, n.subnet, n.private_ip),
            })
            .collect(),
        firewalls: m
            .firewalls
            .iter()
            .filter(|f| f.vpc == v.name)
            .map(|f| FirewallInventory {
                name: f.name.clone(),
                policy: f.policy.clone(),
                endpoints: f
                    .endpoints
                    .iter()
                    .map(|e| {
                        let az = subnets
                            .iter()
                            .find(|s| s.name == e.subnet)
                            .map(|s| s.az.as_str())
                            .unwrap_or("?");
                        format!("{} ({}, {az})", e.name, e.subnet)
                    })
                    .collect(),
            })
            .collect(),
        vpc_endpoints: m
            .vpc_endpoints
            .iter()
            .filter(|e| e.vpc == v.name)
            .map(|e| format!("{} ({})", e.name, enum_str(&e.endpoint_type)))
            .collect(),
        network_interfaces: m
            .network_interfaces
            .iter()
            .filter(|e| in_vpc(&e.subnet))
            .count(),
        subnets,
    }
}

fn tgw_inventory(
    m: &Model,
    ix: &crate::model::Index,
    t: &crate::model::TransitGateway,
) -> TgwInventory {
    let atts = &m.transit_gateway_attachments;
    let route_tables = m
        .transit_gateway_route_tables
        .iter()
        .enumerate()
        .filter(|(_, r)| r.transit_gateway == t.name)
        .map(|(i, r)| {
            let mut routes: Vec<(IpNetKey, RouteLine)> = m
                .transit_gateway_routes(i, ix)
                .into_iter()
                .map(|e| {
                    (
                        (e.destination.addr(), e.destination.prefix_len(), e.kind),
                        RouteLine {
                            destination: e.destination.to_string(),
                            target: e
                                .attachment
                                .and_then(|a| atts.get(a))
                                .map(|a| a.name.clone())
                                .unwrap_or_else(|| "blackhole".to_string()),
                            origin: enum_str(&e.kind),
                        },
                    )
                })
                .collect();
            routes.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.target.cmp(&b.1.target)));
            TgwRouteTableInventory {
                name: r.name.clone(),
                id: r.id.clone(),
                associations: atts
                    .iter()
                    .filter(|a| a.association.as_deref() == Some(r.name.as_str()))
                    .map(|a| a.name.clone())
                    .collect(),
                propagations: atts
                    .iter()
                    .filter(|a| a.propagations.contains(&r.name))
                    .map(|a| a.name.clone())
                    .collect(),
                routes: routes.into_iter().map(|(_, l)| l).collect(),
            }
        })
        .collect();
    let attachments = atts
        .iter()
        .enumerate()
        .filter(|(_, a)| a.transit_gateway == t.name)
        .map(|(i, a)| AttachmentInventory {
            name: a.name.clone(),
            id: a.id.clone(),
            attachment_type: enum_str(&a.attachment_type),
            account: attachment_account(m, i).map(str::to_string),
            resource: a
                .vpc
                .clone()
                .or_else(|| a.site.clone())
                .or_else(|| a.peer_transit_gateway.clone())
                .or_else(|| a.transport_attachment.clone()),
            subnets: a.subnets.clone(),
            appliance_mode: a.appliance_mode,
            association: a.association.clone(),
            propagations: a.propagations.clone(),
            available: a.available,
        })
        .collect();
    TgwInventory {
        name: t.name.clone(),
        id: t.id.clone(),
        region: t.region.clone(),
        asn: t.asn,
        route_tables,
        attachments,
    }
}

type IpNetKey = (std::net::IpAddr, u8, crate::model::derive::TgwRouteKind);

impl Inventory {
    /// The inventory as indented text.
    pub fn render_text(&self) -> String {
        use std::fmt::Write as _;
        let mut o = String::new();
        let _ = writeln!(o, "scenario {}", self.name);
        for a in &self.accounts {
            let id =
                a.id.as_deref()
                    .map(|i| format!(", {i}"))
                    .unwrap_or_default();
            let _ = writeln!(o, "account {} ({}{id})", a.name, a.environment);
            for v in &a.vpcs {
                let _ = writeln!(o, "  vpc {} {} [{}]", v.name, v.region, v.cidrs.join(", "));
                for s in &v.subnets {
                    let _ = writeln!(
                        o,
                        "    subnet {} {} {} route-table={} nacl={}",
                        s.name,
                        s.az,
                        s.cidr,
                        s.route_table.as_deref().unwrap_or("-"),
                        s.network_acl.as_deref().unwrap_or("-")
                    );
                }
                for t in &v.route_tables {
                    let mut tags = Vec::new();
                    if t.main {
                        tags.push("main".to_string());
                    }
                    if !t.edge_associations.is_empty() {
                        tags.push(format!("edge: {}", t.edge_associations.join(", ")));
                    }
                    let tags = if tags.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", tags.join("; "))
                    };
                    let _ = writeln!(o, "    route-table {}{tags}", t.name);
                    for r in &t.routes {
                        let _ = writeln!(o, "      {} -> {}", r.destination, r.target);
                    }
                }
                if let Some(g) = &v.internet_gateway {
                    let _ = writeln!(o, "    internet-gateway {g}");
                }
                for n in &v.nat_gateways {
                    let _ = writeln!(o, "    nat-gateway {n}");
                }
                for f in &v.firewalls {
                    let _ = writeln!(o, "    firewall {} policy={}", f.name, f.policy);
                    for e in &f.endpoints {
                        let _ = writeln!(o, "      endpoint {e}");
                    }
                }
                for e in &v.vpc_endpoints {
                    let _ = writeln!(o, "    vpc-endpoint {e}");
                }
                let _ = writeln!(o, "    network-interfaces {}", v.network_interfaces);
            }
            for t in &a.transit_gateways {
                let asn = t.asn.map(|a| format!(" ASN {a}")).unwrap_or_default();
                let _ = writeln!(o, "  transit-gateway {} {}{asn}", t.name, t.region);
                for r in &t.route_tables {
                    let _ = writeln!(
                        o,
                        "    tgw-route-table {} associated=[{}] propagating=[{}]",
                        r.name,
                        r.associations.join(", "),
                        r.propagations.join(", ")
                    );
                    for l in &r.routes {
                        let _ =
                            writeln!(o, "      {} -> {} ({})", l.destination, l.target, l.origin);
                    }
                }
                for at in &t.attachments {
                    let mut extra = String::new();
                    if let Some(r) = &at.resource {
                        let _ = write!(extra, " {r}");
                    }
                    if !at.subnets.is_empty() {
                        let _ = write!(extra, " subnets=[{}]", at.subnets.join(", "));
                    }
                    if at.appliance_mode {
                        extra.push_str(" appliance-mode");
                    }
                    if !at.available {
                        extra.push_str(" UNAVAILABLE");
                    }
                    let _ = writeln!(
                        o,
                        "    attachment {} {}{extra} account={} association={} propagations=[{}]",
                        at.name,
                        at.attachment_type,
                        at.account.as_deref().unwrap_or("-"),
                        at.association.as_deref().unwrap_or("-"),
                        at.propagations.join(", ")
                    );
                }
            }
        }
        for s in &self.onprem_sites {
            let _ = writeln!(
                o,
                "onprem-site {} [{}] via [{}]",
                s.name,
                s.prefixes.join(", "),
                s.connections.join(", ")
            );
        }
        o
    }
}
