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
