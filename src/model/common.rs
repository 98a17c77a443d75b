//! Small value types shared by every part of the model: protocols, port ranges,
//! rule actions.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An IP protocol as AWS writes it in security-group, NACL and firewall rules.
///
/// Serialised as `"all"`, `"tcp"`, `"udp"`, `"icmp"`, `"icmpv6"` or the protocol
/// number as a string (`"47"`). `"-1"` (the AWS spelling of "all") is accepted on input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    /// Every protocol (`-1` in the EC2 API).
    All,
    /// TCP, protocol 6.
    Tcp,
    /// UDP, protocol 17.
    Udp,
    /// ICMP, protocol 1.
    Icmp,
    /// ICMPv6, protocol 58.
    Icmpv6,
    /// Any other IP protocol number.
    Number(u8),
}

impl Protocol {
    /// The IANA protocol number, or `None` for [`Protocol::All`].
    pub fn number(self) -> Option<u8> {
        match self {
            Protocol::All => None,
            Protocol::Tcp => Some(6),
            Protocol::Udp => Some(17),
            Protocol::Icmp => Some(1),
            Protocol::Icmpv6 => Some(58),
            Protocol::Number(n) => Some(n),
        }
    }

    /// The protocol for an IANA number (6 → Tcp, …).
    pub fn from_number(n: u8) -> Protocol {
        match n {
            6 => Protocol::Tcp,
            17 => Protocol::Udp,
            1 => Protocol::Icmp,
            58 => Protocol::Icmpv6,
            n => Protocol::Number(n),
        }
    }

    /// Whether a rule written for `self` matches a packet of protocol `packet`.
    pub fn matches(self, packet: Protocol) -> bool {
        match (self, packet) {
            (Protocol::All, _) => true,
            (_, Protocol::All) => false,
            (a, b) => a.number() == b.number(),
        }
    }

    /// Whether this protocol carries ports (TCP and UDP).
    pub fn has_ports(self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::Udp)
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protocol::All => f.write_str("all"),
            Protocol::Tcp => f.write_str("tcp"),
            Protocol::Udp => f.write_str("udp"),
            Protocol::Icmp => f.write_str("icmp"),
            Protocol::Icmpv6 => f.write_str("icmpv6"),
            Protocol::Number(n) => write!(f, "{n}"),
        }
    }
}

impl FromStr for Protocol {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "all" | "any" | "-1" | "ip" => Ok(Protocol::All),
            "tcp" => Ok(Protocol::Tcp),
            "udp" => Ok(Protocol::Udp),
            "icmp" => Ok(Protocol::Icmp),
            "icmpv6" | "ipv6-icmp" => Ok(Protocol::Icmpv6),
            other => other
                .parse::<u8>()
                .map(Protocol::from_number)
                .map_err(|_| format!("unknown protocol `{s}` (expected all, tcp, udp, icmp, icmpv6 or a number 0-255)")),
        }
    }
}

impl Serialize for Protocol {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Protocol {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match &v {
            serde_json::Value::String(s) => s.parse().map_err(serde::de::Error::custom),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(-1) => Ok(Protocol::All),
                Some(n) if (0..=255).contains(&n) => Ok(Protocol::from_number(n as u8)),
                _ => Err(serde::de::Error::custom(format!(
                    "protocol number {n} out of range"
                ))),
            },
            _ => Err(serde::de::Error::custom(
                "protocol must be a string or a number",
            )),
        }
    }
}

/// An inclusive range of TCP/UDP ports. Serialised as `"443"`, `"1024-65535"` or `"any"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortRange {
    /// First port of the range.
    pub from: u16,
    /// Last port of the range (inclusive).
    pub to: u16,
}

impl PortRange {
    /// Every port, 0-65535.
    pub const ANY: PortRange = PortRange { from: 0, to: 65535 };

    /// A range of a single port.
    pub fn single(p: u16) -> PortRange {
        PortRange { from: p, to: p }
    }

    /// Whether `port` lies inside the range.
    pub fn contains(&self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }

    /// Whether this is the whole port space.
    pub fn is_any(&self) -> bool {
        self.from == 0 && self.to == 65535
    }
}

impl Default for PortRange {
    fn default() -> Self {
        PortRange::ANY
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_any() {
            f.write_str("any")
        } else if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

impl FromStr for PortRange {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("any") || t == "*" {
            return Ok(PortRange::ANY);
        }
        // Network Firewall writes ranges as `1024:65535`, people as `1024-65535`.
        let (a, b) = match t.split_once(['-', ':']) {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (t, t),
        };
        let from: u16 = a.parse().map_err(|_| format!("bad port `{a}` in `{s}`"))?;
        let to: u16 = b.parse().map_err(|_| format!("bad port `{b}` in `{s}`"))?;
        if from > to {
            return Err(format!("port range `{s}` runs backwards"));
        }
        Ok(PortRange { from, to })
    }
}

impl Serialize for PortRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PortRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match &v {
            serde_json::Value::String(s) => s.parse().map_err(serde::de::Error::custom),
            serde_json::Value::Number(n) => n
                .as_u64()
                .and_then(|n| u16::try_from(n).ok())
                .map(PortRange::single)
                .ok_or_else(|| serde::de::Error::custom(format!("port {n} out of range 0-65535"))),
            _ => Err(serde::de::Error::custom(
                "port range must be a string or a number",
            )),
        }
    }
}

pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

pub(crate) fn is_true(b: &bool) -> bool {
    *b
}

pub(crate) fn default_true() -> bool {
    true
}

pub(crate) fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

/// Allow or deny, as in NACL entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleAction {
    /// Let the packet through.
    Allow,
    /// Drop the packet.
    Deny,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_range_parses_all_spellings() {
        assert_eq!("443".parse::<PortRange>().unwrap(), PortRange::single(443));
        assert_eq!(
            "1024-65535".parse::<PortRange>().unwrap(),
            PortRange {
                from: 1024,
                to: 65535
            }
        );
        assert_eq!(
            "1024:65535".parse::<PortRange>().unwrap(),
            PortRange {
                from: 1024,
                to: 65535
            }
        );
        assert!("any".parse::<PortRange>().unwrap().is_any());
        assert!("9-1".parse::<PortRange>().is_err());
        assert!("70000".parse::<PortRange>().is_err());
    }

    #[test]
    fn protocol_matching() {
        assert!(Protocol::All.matches(Protocol::Tcp));
        assert!(!Protocol::Tcp.matches(Protocol::All));
        assert!(Protocol::Number(6).matches(Protocol::Tcp));
        assert_eq!("-1".parse::<Protocol>().unwrap(), Protocol::All);
        assert!("bogus".parse::<Protocol>().is_err());
    }
}
