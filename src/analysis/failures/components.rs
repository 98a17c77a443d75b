//! The components a failure sweep fails, by class, and what each one's failure can touch.

use crate::model::{AttachmentType, ConnectionKind, Model, VpcEndpointType};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// A class of components (`--fail`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureClass {
    /// Availability zones.
    Az,
    /// Transit Gateway attachments (every type).
    Attachment,
    /// Network Firewall endpoints and Gateway Load Balancer endpoints.
    FirewallEndpoint,
    /// Site-to-Site VPN: VPN attachments and VGW VPN connections.
    Vpn,
    /// Direct Connect: DX gateway attachments and VGW DX connections.
    Dx,
    /// NAT gateways.
    Nat,
}

impl FailureClass {
    /// Every class, in output order.
    pub const ALL: [FailureClass; 6] = [
        FailureClass::Az,
        FailureClass::Attachment,
        FailureClass::FirewallEndpoint,
        FailureClass::Vpn,
        FailureClass::Dx,
        FailureClass::Nat,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::Az => "az",
            FailureClass::Attachment => "attachment",
            FailureClass::FirewallEndpoint => "firewall-endpoint",
            FailureClass::Vpn => "vpn",
            FailureClass::Dx => "dx",
            FailureClass::Nat => "nat",
        }
    }
}

/// Parse a `--fail` value: one class, `all`, or a comma-separated list.
pub fn parse_classes(s: &str) -> Result<Vec<FailureClass>, String> {
    let mut out = BTreeSet::new();
    for part in s.split(',').map(str::trim) {
        if part == "all" {
            out.extend(FailureClass::ALL);
        } else {
            out.insert(part.parse::<FailureClass>()?);
        }
    }
    Ok(out.into_iter().collect())
}

impl FromStr for FailureClass {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        FailureClass::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                format!("unknown failure class `{s}` (expected az, attachment, firewall-endpoint, vpn, dx, nat or all)")
            })
    }
}

/// One component that can fail.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Component {
    /// Its class.
    pub class: FailureClass,
    /// Its model name (the AZ name for AZs); what the dataplane's failure set holds.
    pub name: String,
}

/// Every component of the given classes, sorted by class then name, without duplicates
/// (a VPN attachment is listed once, under the first class asked for).
pub fn components(m: &Model, classes: &[FailureClass]) -> Vec<Component> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut classes = classes.to_vec();
    classes.sort();
    classes.dedup();
    for class in classes {
        let mut names: Vec<String> = match class {
            FailureClass::Az => m.subnets.iter().map(|s| s.az.clone()).collect(),
            FailureClass::Attachment => m
                .transit_gateway_attachments
                .iter()
                .map(|a| a.name.clone())
                .collect(),
            FailureClass::FirewallEndpoint => m
                .firewalls
                .iter()
                .flat_map(|f| f.endpoints.iter().map(|e| e.name.clone()))
                .chain(
                    m.vpc_endpoints
                        .iter()
                        .filter(|e| e.endpoint_type == VpcEndpointType::GatewayLoadBalancer)
                        .map(|e| e.name.clone()),
                )
                .collect(),
            FailureClass::Vpn | FailureClass::Dx => {
                let (at, ck) = if class == FailureClass::Vpn {
                    (AttachmentType::Vpn, ConnectionKind::Vpn)
                } else {
                    (
                        AttachmentType::DirectConnectGateway,
                        ConnectionKind::DirectConnect,
                    )
                };
                m.transit_gateway_attachments
                    .iter()
                    .filter(|a| a.attachment_type == at)
                    .map(|a| a.name.clone())
                    .chain(m.vpn_gateways.iter().flat_map(|v| {
                        v.connections
                            .iter()
                            .filter(move |c| c.kind == ck)
                            .map(|c| c.name.clone())
                    }))
                    .collect()
            }
            FailureClass::Nat => m.nat_gateways.iter().map(|n| n.name.clone()).collect(),
        };
        names.sort();
        names.dedup();
        for name in names {
            if seen.insert(name.clone()) {
                out.push(Component { class, name });
            }
        }
    }
    out
}

/// For every name a failure set may hold, the names of every object whose forwarding
/// behaviour that failure can change: the component itself, and for an AZ every object
/// located in the AZ (subnets, their interfaces, NAT gateways and endpoints) plus every
/// TGW attachment or GWLB with a subnet there (their choice among AZs depends on which
/// AZs are up, so a flow through them in another AZ may move).
pub struct Reach {
    by_name: BTreeMap<String, BTreeSet<String>>,
}

impl Reach {
    /// Build for a model.
    pub fn build(m: &Model) -> Reach {
        let mut by_name: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let az_of: BTreeMap<&str, &str> = m
            .subnets
            .iter()
            .map(|s| (s.name.as_str(), s.az.as_str()))
            .collect();
        let mut add = |az: &str, name: &str| {
            by_name
                .entry(az.to_string())
                .or_insert_with(|| BTreeSet::from([az.to_string()]))
                .insert(name.to_string());
        };
        for s in &m.subnets {
            add(&s.az, &s.name);
        }
        let mut in_subnet = |subnet: &str, name: &str| {
            if let Some(az) = az_of.get(subnet) {
                add(az, name);
            }
        };
        for e in &m.network_interfaces {
            in_subnet(&e.subnet, &e.name);
        }
        for n in &m.nat_gateways {
            in_subnet(&n.subnet, &n.name);
        }
        for e in &m.vpc_endpoints {
            if let Some(s) = &e.subnet {
                in_subnet(s, &e.name);
            }
        }
        for f in &m.firewalls {
            for e in &f.endpoints {
                in_subnet(&e.subnet, &e.name);
                in_subnet(&e.subnet, &f.name);
            }
        }
        for a in &m.transit_gateway_attachments {
            for s in &a.subnets {
                in_subnet(s, &a.name);
            }
        }
        for g in &m.gateway_load_balancers {
            for s in &g.subnets {
                in_subnet(s, &g.name);
            }
        }
        Reach { by_name }
    }

    /// The names a failure of `name` can touch (at least `name` itself).
    pub fn touched(&self, name: &str) -> BTreeSet<String> {
        self.by_name
            .get(name)
            .cloned()
            .unwrap_or_else(|| BTreeSet::from([name.to_string()]))
    }
}
