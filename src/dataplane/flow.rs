//! The packet header the dataplane forwards: a 5-tuple.

use crate::model::Protocol;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// The 5-tuple of a flow (one direction).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Flow {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// Protocol (`tcp`, `udp`, `icmp`, `all`).
    pub protocol: Protocol,
    /// Source port (TCP/UDP).
    pub src_port: u16,
    /// Destination port (TCP/UDP).
    pub dst_port: u16,
}

impl Flow {
    /// The reply of this flow: addresses and ports swapped.
    pub fn reversed(&self) -> Flow {
        Flow {
            src: self.dst,
            dst: self.src,
            protocol: self.protocol,
            src_port: self.dst_port,
            dst_port: self.src_port,
        }
    }

    /// A hash of the flow that is the same for both directions (FNV-1a over the sorted
    /// endpoints), stable across platforms and runs. Used where AWS picks one of several
    /// paths per flow: Transit Gateway appliance mode ("the transit gateway selects one
    /// network interface ... using a flow hash ... for the life of the flow", and the
    /// reply uses the same one — <https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-appliance-scenario.html>)
    /// and Gateway Load Balancer flow stickiness.
    pub fn symmetric_hash(&self) -> u64 {
        let a = (self.src, self.src_port);
        let b = (self.dst, self.dst_port);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for x in bytes {
                h ^= u64::from(*x);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        for (ip, port) in [lo, hi] {
            match ip {
                IpAddr::V4(v) => eat(&v.octets()),
                IpAddr::V6(v) => eat(&v.octets()),
            }
            eat(&port.to_be_bytes());
        }
        eat(&[self.protocol.number().unwrap_or(255)]);
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_symmetric() {
        let f = Flow {
            src: "10.0.0.1".parse().unwrap(),
            dst: "10.1.0.1".parse().unwrap(),
            protocol: Protocol::Tcp,
            src_port: 49152,
            dst_port: 443,
        };
        assert_eq!(f.symmetric_hash(), f.reversed().symmetric_hash());
        let g = Flow { dst_port: 22, ..f };
        assert_ne!(f.symmetric_hash(), g.symmetric_hash());
    }
}
