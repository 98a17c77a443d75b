//! Flow endpoints: network interfaces, on-premises sites, the Internet.

use crate::model::Model;
use std::net::IpAddr;

/// Where a flow starts or ends.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    /// A network interface (index into `Model::network_interfaces`) and one of its addresses.
    Interface {
        /// Index of the ENI.
        eni: usize,
        /// The address used (a private IP, or its public IP when addressed from outside).
        ip: IpAddr,
    },
    /// An on-premises site (index into `Model::onprem_sites`) and an address in it.
    OnPrem {
        /// Index of the site.
        site: usize,
        /// The address.
        ip: IpAddr,
    },
    /// The Internet, with an address on it.
    Internet {
        /// The address.
        ip: IpAddr,
    },
}

impl Endpoint {
    /// The address of the endpoint.
    pub fn ip(&self) -> IpAddr {
        match self {
            Endpoint::Interface { ip, .. }
            | Endpoint::OnPrem { ip, .. }
            | Endpoint::Internet { ip } => *ip,
        }
    }
}

/// Resolve an ENDPOINT argument: an IP address, an AWS id (`i-`, `eni-`, `subnet-`), a
/// name from a native scenario, `internet`, or `onprem:<site>`.
pub fn resolve_endpoint(_m: &Model, text: &str) -> Result<Endpoint, String> {
    Err(format!("cannot resolve endpoint `{text}` yet"))
}

/// A representative address on the Internet (TEST-NET-3, RFC 5737), used where the
/// Internet appears as a matrix endpoint.
pub const INTERNET_REPRESENTATIVE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 10));

/// Every endpoint of reachability analyses, in model order: each workload ENI (by its
/// primary private address), each on-premises site (a representative address: the
/// first host of its first prefix), then the Internet.
pub fn all_endpoints(m: &Model) -> Vec<Endpoint> {
    let mut out = Vec::new();
    for (i, eni) in m.network_interfaces.iter().enumerate() {
        if eni.role != crate::model::InterfaceRole::Workload {
            continue;
        }
        if let Some(ip) = eni.private_ips.first() {
            out.push(Endpoint::Interface { eni: i, ip: *ip });
        }
    }
    for (i, s) in m.onprem_sites.iter().enumerate() {
        if let Some(p) = s.prefixes.first() {
            out.push(Endpoint::OnPrem {
                site: i,
                ip: representative_host(p),
            });
        }
    }
    out.push(Endpoint::Internet {
        ip: INTERNET_REPRESENTATIVE,
    });
    out
}

/// The first usable host of a prefix (the network address itself for /31, /32, /127, /128).
pub fn representative_host(p: &ipnet::IpNet) -> IpAddr {
    p.hosts().next().unwrap_or_else(|| p.network())
}
