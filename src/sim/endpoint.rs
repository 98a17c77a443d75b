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
