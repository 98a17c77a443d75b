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

/// Resolve an ENDPOINT argument: an IP address, an AWS id (`eni-`, `i-`, `subnet-`), a
/// name from a native scenario (interface, instance, subnet), `internet` or
/// `internet:<ip>`, `onprem:<site>` or `onprem:<site>:<ip>`.
///
/// An address resolves to the interface holding it (a private or public address), else
/// to the on-premises site whose prefixes contain it, else — when it is not a private
/// address — to the Internet. A private address nothing holds is an error.
pub fn resolve_endpoint(m: &Model, text: &str) -> Result<Endpoint, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty endpoint".into());
    }
    if t.eq_ignore_ascii_case("internet") {
        return Ok(Endpoint::Internet {
            ip: INTERNET_REPRESENTATIVE,
        });
    }
    if let Some(rest) = t.strip_prefix("internet:") {
        let ip: IpAddr = rest
            .parse()
            .map_err(|_| format!("`{rest}` in `{t}` is not an IP address"))?;
        return Ok(Endpoint::Internet { ip });
    }
    if let Some(rest) = t.strip_prefix("onprem:") {
        let (name, ip) = match rest.split_once(':') {
            Some((n, ip)) if !ip.contains(':') || ip.parse::<IpAddr>().is_ok() => (n, Some(ip)),
            _ => (rest, None),
        };
        let Some(site) = m.onprem_sites.iter().position(|s| s.name == name) else {
            let known: Vec<&str> = m.onprem_sites.iter().map(|s| s.name.as_str()).collect();
            return Err(format!(
                "no on-premises site `{name}` (sites: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ));
        };
        let s = &m.onprem_sites[site];
        let ip = match ip {
            Some(ip) => {
                let ip: IpAddr = ip
                    .parse()
                    .map_err(|_| format!("`{ip}` in `{t}` is not an IP address"))?;
                if !s.prefixes.iter().any(|p| p.contains(&ip)) {
                    return Err(format!("{ip} is not in the prefixes of site `{name}`"));
                }
                ip
            }
            None => s
                .prefixes
                .first()
                .map(representative_host)
                .ok_or_else(|| format!("site `{name}` has no prefixes"))?,
        };
        return Ok(Endpoint::OnPrem { site, ip });
    }
    if let Ok(ip) = t.parse::<IpAddr>() {
        return resolve_address(m, ip);
    }
    // Interfaces by name or id, then instances, then subnets (their first interface).
    let iface = |pred: &dyn Fn(&crate::model::NetworkInterface) -> bool| {
        m.network_interfaces.iter().position(pred)
    };
    let found = iface(&|e| e.name == t || e.id.as_deref() == Some(t))
        .or_else(|| iface(&|e| e.instance.as_deref() == Some(t)))
        .or_else(|| {
            let s = m
                .subnets
                .iter()
                .find(|s| s.name == t || s.id.as_deref() == Some(t))?;
            iface(&|e| e.subnet == s.name)
        });
    match found {
        Some(eni) => {
            let ip = m.network_interfaces[eni]
                .private_ips
                .first()
                .copied()
                .ok_or_else(|| format!("interface `{t}` has no private address"))?;
            Ok(Endpoint::Interface { eni, ip })
        }
        None => Err(format!(
            "`{t}` is no interface, instance, subnet, address, `internet` or `onprem:<site>` of the model"
        )),
    }
}

fn resolve_address(m: &Model, ip: IpAddr) -> Result<Endpoint, String> {
    if let Some(eni) = m
        .network_interfaces
        .iter()
        .position(|e| e.private_ips.contains(&ip))
    {
        return Ok(Endpoint::Interface { eni, ip });
    }
    if let Some(eni) = m
        .network_interfaces
        .iter()
        .position(|e| e.public_ip.map(IpAddr::V4) == Some(ip))
    {
        return Ok(Endpoint::Interface { eni, ip });
    }
    if let Some(site) = m
        .onprem_sites
        .iter()
        .position(|s| s.prefixes.iter().any(|p| p.contains(&ip)))
    {
        return Ok(Endpoint::OnPrem { site, ip });
    }
    let private = match ip {
        IpAddr::V4(a) => {
            a.is_private() || (a.octets()[0] == 100 && (64..128).contains(&a.octets()[1]))
        }
        IpAddr::V6(a) => (a.segments()[0] & 0xfe00) == 0xfc00,
    };
    let in_vpc = m
        .vpcs
        .iter()
        .any(|v| v.cidrs.iter().any(|c| c.contains(&ip)));
    if private || in_vpc {
        return Err(format!(
            "no interface or on-premises site holds {ip} (nothing to send from or deliver to)"
        ));
    }
    Ok(Endpoint::Internet { ip })
}

/// A representative address on the Internet (TEST-NET-1, RFC 5737, which no modelled
/// resource uses), used for `internet` and where the Internet is a matrix endpoint.
pub const INTERNET_REPRESENTATIVE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 10));

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
