//! Longest-prefix-match tables over IPv4 and IPv6, built once per forwarding context on
//! top of `prefix-trie` (a binary trie: a lookup costs O(prefix length), not a scan).
//!
//! AWS selects "the most specific route that matches the traffic" separately for IPv4 and
//! IPv6 ("How route priority works",
//! <https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html>). Several
//! routes can exist for the same prefix (static, prefix-list, propagated); the table keeps,
//! per prefix, the one the caller's preference orders first (see [`Lpm::insert_preferred`]).

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use prefix_trie::PrefixMap;
use std::net::IpAddr;

/// A longest-prefix-match table from prefixes to values.
#[derive(Clone, Debug)]
pub struct Lpm<T> {
    v4: PrefixMap<Ipv4Net, T>,
    v6: PrefixMap<Ipv6Net, T>,
}

impl<T> Default for Lpm<T> {
    fn default() -> Self {
        Lpm {
            v4: PrefixMap::new(),
            v6: PrefixMap::new(),
        }
    }
}

impl<T> Lpm<T> {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Insert `value` for `prefix` unless a value already there is preferred:
    /// `better(new, old)` says whether the new value wins. Host bits of `prefix` are
    /// ignored (AWS stores the network address).
    pub fn insert_preferred(&mut self, prefix: IpNet, value: T, better: impl Fn(&T, &T) -> bool) {
        match prefix.trunc() {
            IpNet::V4(p) => match self.v4.get_mut(&p) {
                Some(old) if !better(&value, old) => {}
                Some(old) => *old = value,
                None => {
                    self.v4.insert(p, value);
                }
            },
            IpNet::V6(p) => match self.v6.get_mut(&p) {
                Some(old) if !better(&value, old) => {}
                Some(old) => *old = value,
                None => {
                    self.v6.insert(p, value);
                }
            },
        }
    }

    /// The entry of the longest prefix containing `ip`, with that prefix.
    pub fn lookup(&self, ip: IpAddr) -> Option<(IpNet, &T)> {
        match ip {
            IpAddr::V4(a) => {
                let host = Ipv4Net::new(a, 32).ok()?;
                self.v4.get_lpm(&host).map(|(p, v)| (IpNet::V4(*p), v))
            }
            IpAddr::V6(a) => {
                let host = Ipv6Net::new(a, 128).ok()?;
                self.v6.get_lpm(&host).map(|(p, v)| (IpNet::V6(*p), v))
            }
        }
    }

    /// The value stored for exactly `prefix` (host bits ignored).
    pub fn get(&self, prefix: IpNet) -> Option<&T> {
        match prefix.trunc() {
            IpNet::V4(p) => self.v4.get(&p),
            IpNet::V6(p) => self.v6.get(&p),
        }
    }

    /// Remove the value stored for exactly `prefix` (host bits ignored).
    pub fn remove(&mut self, prefix: IpNet) -> Option<T> {
        match prefix.trunc() {
            IpNet::V4(p) => self.v4.remove(&p),
            IpNet::V6(p) => self.v6.remove(&p),
        }
    }

    /// Every (prefix, value) of the table, IPv4 first, in trie order (deterministic).
    pub fn entries(&self) -> Vec<(IpNet, &T)> {
        let mut out: Vec<(IpNet, &T)> = self.v4.iter().map(|(p, v)| (IpNet::V4(*p), v)).collect();
        out.extend(self.v6.iter().map(|(p, v)| (IpNet::V6(*p), v)));
        out
    }

    /// Number of prefixes.
    pub fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::net::Ipv4Addr;

    fn brute(routes: &[(Ipv4Net, u32)], ip: Ipv4Addr) -> Option<(u8, u32)> {
        // The longest containing prefix; at equal prefix the smallest value wins
        // (the preference used below).
        routes
            .iter()
            .filter(|(p, _)| p.contains(&ip))
            .map(|(p, v)| (p.prefix_len(), *v))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
    }

    proptest! {
        /// The trie agrees with a brute-force scan of the routes.
        #[test]
        fn lpm_matches_brute_force(
            routes in proptest::collection::vec((any::<u32>(), 0u8..=32, 0u32..5), 0..40),
            probes in proptest::collection::vec(any::<u32>(), 1..40),
        ) {
            let routes: Vec<(Ipv4Net, u32)> = routes
                .into_iter()
                .map(|(a, l, v)| (Ipv4Net::new(Ipv4Addr::from(a), l).unwrap().trunc(), v))
                .collect();
            let mut t = Lpm::new();
            for (p, v) in &routes {
                t.insert_preferred(IpNet::V4(*p), *v, |new, old| new < old);
            }
            for probe in probes {
                let ip = Ipv4Addr::from(probe);
                let got = t.lookup(IpAddr::V4(ip)).map(|(p, v)| (p.prefix_len(), *v));
                prop_assert_eq!(got, brute(&routes, ip));
            }
        }
    }

    #[test]
    fn v6_and_v4_are_separate() {
        let mut t = Lpm::new();
        t.insert_preferred("0.0.0.0/0".parse().unwrap(), 1, |_, _| false);
        t.insert_preferred("::/0".parse().unwrap(), 2, |_, _| false);
        assert_eq!(t.lookup("10.0.0.1".parse().unwrap()).map(|x| *x.1), Some(1));
        assert_eq!(
            t.lookup("2001:db8::1".parse().unwrap()).map(|x| *x.1),
            Some(2)
        );
    }
}
