//! On-premises router configurations next to a snapshot (`configs/*.txt`, as Batfish
//! lays them out): the few facts lztwin takes from them.
//!
//! lztwin does not model on-premises devices. A router's configuration still tells what
//! its site advertises to AWS, which the `describe-*` output only shows indirectly (as
//! propagated routes). From an IOS-style configuration lztwin reads:
//!
//! - `hostname` (the device name; else the file name, as Batfish names it);
//! - `ip address A M` of its interfaces: they tie the router to a customer gateway
//!   (`IpAddress`) or a Direct Connect virtual interface (`CustomerAddress`);
//! - `network A mask M` (or classful `network A`) under `router bgp`: the prefixes it
//!   advertises over BGP. A default route (`network 0.0.0.0`, with
//!   `default-originate`) is not a prefix the site owns and is left out.
//!
//! Over a dynamic VPN or a Direct Connect virtual interface the customer gateway
//! advertises its prefixes with BGP, and AWS propagates them to the VGW / TGW route
//! tables (<https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html>,
//! <https://docs.aws.amazon.com/directconnect/latest/UserGuide/routing-and-bgp.html>).
//! Everything else in the file is ignored.

use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// What lztwin takes from one router configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RawRouter {
    /// The file, for messages.
    pub file: String,
    /// `hostname`, else the file name.
    pub name: String,
    /// Addresses of its interfaces.
    pub addresses: Vec<Ipv4Addr>,
    /// Prefixes it advertises over BGP (without the default route).
    pub networks: Vec<Ipv4Net>,
}

fn mask_len(m: &str) -> Option<u8> {
    let m: Ipv4Addr = m.parse().ok()?;
    let bits = u32::from(m);
    let len = bits.leading_ones();
    // A contiguous mask only.
    if bits.checked_shl(len).unwrap_or(0) != 0 {
        return None;
    }
    u8::try_from(len).ok()
}

/// The classful length of a `network A` statement without a mask.
fn classful(a: Ipv4Addr) -> u8 {
    match a.octets()[0] {
        0..=127 => 8,
        128..=191 => 16,
        _ => 24,
    }
}

/// Parse one configuration. `file_name` names the device when it has no `hostname`.
pub(crate) fn parse(text: &str, file: &str, file_name: &str) -> RawRouter {
    let mut r = RawRouter {
        file: file.to_string(),
        name: file_name.to_string(),
        ..Default::default()
    };
    let mut in_bgp = false;
    for line in text.lines() {
        let indented = line.starts_with(' ') || line.starts_with('\t');
        let words: Vec<&str> = line.split_whitespace().collect();
        if !indented && !words.is_empty() && words[0] != "!" {
            in_bgp = words.len() >= 2 && words[0] == "router" && words[1] == "bgp";
        }
        match words.as_slice() {
            ["hostname", name, ..] if !indented => r.name = name.to_string(),
            ["ip", "address", a, m, ..] => {
                if let (Ok(a), Some(_)) = (a.parse::<Ipv4Addr>(), mask_len(m)) {
                    r.addresses.push(a);
                }
            }
            ["network", a, "mask", m, ..] if in_bgp => {
                if let (Ok(a), Some(len)) = (a.parse::<Ipv4Addr>(), mask_len(m)) {
                    if let Ok(n) = Ipv4Net::new(a, len) {
                        if len > 0 {
                            r.networks.push(n.trunc());
                        }
                    }
                }
            }
            ["network", a] if in_bgp => {
                if let Ok(a) = a.parse::<Ipv4Addr>() {
                    if !a.is_unspecified() {
                        if let Ok(n) = Ipv4Net::new(a, classful(a)) {
                            r.networks.push(n.trunc());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    r.networks.sort();
    r.networks.dedup();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hostname_addresses_and_bgp_networks() {
        let text = "!\nhostname edge\n!\ninterface Loopback0\n ip address 10.20.0.1 255.255.255.255\n\
                    interface Gi0/0\n ip address 169.254.30.2 255.255.255.252\n!\n\
                    router bgp 65010\n neighbor 169.254.30.1 remote-as 64533\n address-family ipv4 unicast\n  \
                    network 10.20.0.0 mask 255.255.0.0\n  network 0.0.0.0\n exit-address-family\n!\n\
                    ip route 10.20.0.0 255.255.0.0 Null0\n";
        let r = parse(text, "configs/x.txt", "x.txt");
        assert_eq!(r.name, "edge");
        assert_eq!(
            r.addresses,
            vec![
                "10.20.0.1".parse::<Ipv4Addr>().unwrap(),
                "169.254.30.2".parse().unwrap()
            ]
        );
        assert_eq!(r.networks, vec!["10.20.0.0/16".parse::<Ipv4Net>().unwrap()]);
    }

    #[test]
    fn no_hostname_names_the_router_after_its_file_and_outside_bgp_network_is_ignored() {
        let r = parse(
            "interface X\n ip address 1.1.1.2 255.255.255.252\nnetwork 10.0.0.0 mask 255.0.0.0\n",
            "configs/vpn-1.txt",
            "vpn-1.txt",
        );
        assert_eq!(r.name, "vpn-1.txt");
        assert!(r.networks.is_empty());
        assert_eq!(mask_len("255.255.0.255"), None);
    }
}
