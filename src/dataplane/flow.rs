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
        let h = hash_endpoint(hash_endpoint(HASH_BASIS, lo.0, lo.1), hi.0, hi.1);
        hash_protocol(h, self.protocol)
    }
}

/// The FNV-1a offset basis [`Flow::symmetric_hash`] starts from.
pub const HASH_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

/// [`Flow::symmetric_hash`]'s state after more bytes (FNV-1a is a stream: an endpoint is
/// its address octets then its port, big-endian).
#[inline]
pub fn hash_bytes(h: u64, bytes: &[u8]) -> u64 {
    fnv(h, bytes)
}

#[inline]
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for x in bytes {
        h ^= u64::from(*x);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// [`Flow::symmetric_hash`]'s state after one more endpoint (address and port): callers
/// that hash many flows sharing an endpoint start from its state.
#[inline]
pub fn hash_endpoint(h: u64, ip: IpAddr, port: u16) -> u64 {
    let h = match ip {
        IpAddr::V4(v) => fnv(h, &v.octets()),
        IpAddr::V6(v) => fnv(h, &v.octets()),
    };
    fnv(h, &port.to_be_bytes())
}

/// [`Flow::symmetric_hash`]'s last step: the protocol number.
#[inline]
pub fn hash_protocol(h: u64, protocol: Protocol) -> u64 {
    fnv(h, &[protocol.number().unwrap_or(255)])
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
        // FNV-1a of 10.0.0.1, 49152, 10.1.0.1, 443, 6 (computed independently): the AZ
        // and appliance choices of existing outputs depend on this value.
        assert_eq!(f.symmetric_hash(), 0x1a59_9f20_1a55_ceac);
        // Starting from a precomputed endpoint state gives the same hash.
        let lo = hash_endpoint(HASH_BASIS, f.src, f.src_port);
        assert_eq!(
            hash_protocol(hash_endpoint(lo, f.dst, f.dst_port), f.protocol),
            f.symmetric_hash()
        );
    }
}
