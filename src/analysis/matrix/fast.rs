//! The fast matrix engine: cut every walk where the packet reaches a transit gateway and
//! share each half between the flows it cannot tell apart ([`crate::sim::segment`]).
//!
//! - **Prefix, per source.** From a source interface to the transit gateway, a walk looks
//!   at the destination only through the prefixes of the source VPC's route tables,
//!   subnets and network ACLs and of the source's outbound security-group rules (members
//!   of referenced groups count as host prefixes). Those prefixes cut the address space
//!   into intervals; the destinations, sorted by address, fall into runs of the same
//!   interval, and one prefix walk per run serves the whole run. A prefix walk that needs
//!   anything else gives up, and the run's flows are walked whole.
//! - **Suffix, per destination.** From the transit gateway route table on, a walk looks
//!   at the source address only through the prefixes of filter rules (security groups,
//!   network ACLs, firewall rules whose protocol and port can match the service, plus
//!   referenced groups' members): sources with the same *source class* (same signature
//!   over those prefixes, same address family) are alike, except for path choices that
//!   hash the flow, which take the hash modulo the number of candidates — so `hash mod L`
//!   (L the least common multiple of every candidate count) decides them all. A
//!   destination column keeps one suffix per (cut, source class[, hash mod L]); a suffix
//!   that translated the packet, used the source address otherwise, or hit the loop guard
//!   is not shared, and neither is one that would revisit a context of the prefix.
//!
//! Columns run in parallel (rayon); each is a pure function of its destination, and cells
//! are assembled row-major with details interned in the order the per-pair engine interns
//! them, so the result is byte-identical whatever the thread count. tests/matrix_props.rs
//! holds this engine equal to the per-pair reference cell for cell.

use super::{
    endpoints, service_info, CellOutcome, Detail, DetailInterner, Half, Matrix, MatrixEndpoint,
    MatrixOptions, Progress,
};
use crate::dataplane::filters::proto_port_match;
use crate::dataplane::flow::{hash_bytes, hash_endpoint, hash_protocol, HASH_BASIS};
use crate::dataplane::{Dataplane, Flow};
use crate::model::{Model, ObjectKind};
use crate::sim::segment::{self, Cut, Dep, Prefix, Suffix};
use crate::sim::{summarize, Endpoint, Summary, Verdict};
use foldhash::HashMapExt;
use ipnet::IpNet;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::sync::{OnceLock, RwLock};

/// The engine's hash maps are look-ups only (nothing iterates them into the output), so
/// they use a fast hasher.
type HashMap<K, V> = foldhash::HashMap<K, V>;
use std::net::IpAddr;

/// Compute the matrix of `model` (compiled as `dp`). Equal to
/// [`super::engine::per_pair`] cell for cell.
pub fn compute(
    dp: &Dataplane,
    model: &Model,
    opts: &MatrixOptions,
    progress: Progress<'_>,
) -> Matrix {
    compute_watched(dp, model, opts, progress).0
}

/// [`compute`], and the cells (source, destination), row-major, whose walks (either way)
/// consulted a routing entry `dp` watches ([`Dataplane::watching`]); none without a
/// watch.
pub fn compute_watched(
    dp: &Dataplane,
    model: &Model,
    opts: &MatrixOptions,
    progress: Progress<'_>,
) -> (Matrix, Vec<(u32, u32)>) {
    let eps = endpoints(model, opts.group_by);
    let flows = Flows::new(model, &eps, opts);
    let l = hash_modulus(dp, model);
    // Source classes and prefix slots are independent: each one's serial steps overlap
    // the other's parallel ones.
    let (classes, (pos, order, slots, cold, n_rtbs, n_azs)) = rayon::join(
        || source_classes(dp, model, &eps, &flows, opts),
        || {
            // Destinations sorted by address (ties by index): runs of one interval are
            // contiguous.
            let mut order: Vec<u32> = (0..eps.len() as u32).collect();
            order.sort_by_key(|&j| (addr_key(eps[j as usize].endpoint.ip()), j));
            let keys: Vec<(u8, u128)> = order
                .iter()
                .map(|&j| addr_key(eps[j as usize].endpoint.ip()))
                .collect();
            let mut pos = vec![0u32; eps.len()];
            for (p, &j) in order.iter().enumerate() {
                pos[j as usize] = p as u32;
            }
            let vpc_prefixes = vpc_prefixes(dp, model);
            let mut sources: Vec<SourcePrefix> = (0..eps.len())
                .into_par_iter()
                .map(|i| source_prefix(dp, model, &eps, &flows, &vpc_prefixes, &order, &keys, i))
                .collect();
            let (n_rtbs, n_azs) = number_cuts(&mut sources);
            let (slots, cold) = Slots::new(sources);
            (pos, order, slots, cold, n_rtbs, n_azs)
        },
    );
    let ctx = Ctx {
        dp,
        eps: &eps,
        flows: &flows,
        classes: &classes,
        slots: &slots,
        cold: &cold,
        pos: &pos,
        l,
        both_ways: opts.both_ways,
        n_rtbs,
        n_azs,
    };
    // Columns in address order, in chunks: each chunk follows every source's slot with a
    // cursor that only moves forward (no search per cell).
    // Each column's details also get provisional global numbers as it finishes.
    // So do its outcomes (with those detail numbers).
    let shared_details: Shared<Detail> = Shared::default();
    let shared_outcomes: Shared<CellOutcome> = Shared::default();
    let replicas: Vec<OnceLock<Replica>> = (0..rayon::current_num_threads().clamp(1, MAX_REPLICAS))
        .map(|_| OnceLock::new())
        .collect();
    let by_pos: Vec<Numbered> = order
        .par_chunks(COLUMN_CHUNK)
        .enumerate()
        .flat_map_iter(|(c, js)| {
            let worker = rayon::current_thread_index().unwrap_or(0) % replicas.len();
            let own = replicas[worker].get_or_init(|| Replica {
                flows: flows.clone(),
                slots: slots.clone(),
            });
            let ctx = Ctx {
                flows: &own.flows,
                slots: &own.slots,
                ..ctx
            };
            let mut cursor = ctx.slots.cursor((c * COLUMN_CHUNK) as u32);
            let (shared_details, shared_outcomes) = (&shared_details, &shared_outcomes);
            js.iter().map(move |&j| {
                let c = ctx.column(j as usize, &mut cursor);
                let ids = shared_details.ids(&c.details);
                let half = |h: LocalHalf| Half {
                    verdict: h.verdict,
                    hops: h.hops,
                    detail: ids[h.detail as usize],
                };
                let outcomes: Vec<CellOutcome> = c
                    .outcomes
                    .iter()
                    .map(|o| CellOutcome {
                        fwd: half(o.fwd),
                        ret: o.ret.map(half),
                    })
                    .collect();
                let ids = shared_outcomes.ids(&outcomes);
                progress(1);
                // The column's own outcomes and details are freed here, by the worker
                // that allocated them, rather than with the rest at the end.
                Numbered {
                    dirty: c.dirty,
                    cells: c.cells,
                    first: c.first,
                    ids,
                }
            })
        })
        .collect();
    let mut columns: Vec<Option<Numbered>> = (0..eps.len()).map(|_| None).collect();
    for (&j, c) in order.iter().zip(by_pos) {
        columns[j as usize] = Some(c);
    }
    let columns: Vec<Numbered> = columns.into_iter().flatten().collect();
    let provisional = (shared_outcomes.into_keys(), shared_details.into_keys());
    let matrix = assemble(opts, eps, &columns, provisional);
    let mut dirty: Vec<(u32, u32)> = columns
        .iter()
        .enumerate()
        .flat_map(|(j, c)| c.dirty.iter().map(move |&i| (i, j as u32)))
        .collect();
    dirty.sort_unstable();
    // The columns and the prefix slots hold many small allocations: free them in
    // parallel rather than one by one on return.
    rayon::join(
        || columns.into_par_iter().with_min_len(64).for_each(drop),
        || cold.into_par_iter().with_min_len(256).for_each(drop),
    );
    (matrix, dirty)
}

/// Destination columns per parallel task (consecutive in address order).
const COLUMN_CHUNK: usize = 24;

/// A worker's own copy of what every cell of a column reads: the flows (addresses and
/// hash sides) and the hot part of the prefix slots. The columns only read them, but two
/// cores reading one copy ran each column about 8 % slower than with a copy each
/// (2,000 VPCs, 2 threads: 242 ms against 224 ms of column time summed over the
/// workers), as lines one core's cache holds are fetched from it rather than shared
/// cache. A copy costs about 1.3 MB at 2,000 VPCs.
struct Replica {
    flows: Flows,
    slots: Slots,
}

/// Workers beyond this share copies (worker index modulo this).
const MAX_REPLICAS: usize = 16;

/// The flow of every (source, destination) pair, as [`super::flow_for`] builds it, from
/// per-endpoint addresses (no model lookups per cell).
#[derive(Clone)]
struct Flows {
    protocol: crate::model::Protocol,
    dst_port: u16,
    /// Source address towards an IPv4 / IPv6 destination.
    src4: Vec<IpAddr>,
    src6: Vec<IpAddr>,
    /// The address a destination is reached at, and its public IPv4 address (for
    /// sources on the Internet).
    dst: Vec<IpAddr>,
    public: Vec<Option<IpAddr>>,
    internet: Vec<bool>,
    /// Each endpoint as [`Flow::symmetric_hash`] sees it: as a source (towards IPv4 /
    /// IPv6), as a destination, and as a destination from the Internet.
    side_src4: Vec<HashSide>,
    side_src6: Vec<HashSide>,
    side_dst: Vec<HashSide>,
    side_public: Vec<HashSide>,
}

impl Flows {
    fn new(m: &Model, eps: &[MatrixEndpoint], opts: &MatrixOptions) -> Flows {
        let mut f = Flows {
            protocol: opts.protocol,
            dst_port: opts.dst_port,
            src4: Vec::with_capacity(eps.len()),
            src6: Vec::with_capacity(eps.len()),
            dst: Vec::with_capacity(eps.len()),
            public: Vec::with_capacity(eps.len()),
            internet: Vec::with_capacity(eps.len()),
            side_src4: Vec::with_capacity(eps.len()),
            side_src6: Vec::with_capacity(eps.len()),
            side_dst: Vec::with_capacity(eps.len()),
            side_public: Vec::with_capacity(eps.len()),
        };
        for e in eps {
            let ip = e.endpoint.ip();
            let eni = match &e.endpoint {
                Endpoint::Interface { eni, .. } => m.network_interfaces.get(*eni),
                _ => None,
            };
            let pick = |v4: bool| {
                eni.and_then(|n| n.private_ips.iter().find(|p| p.is_ipv4() == v4).copied())
                    .unwrap_or(ip)
            };
            f.src4.push(pick(true));
            f.src6.push(pick(false));
            f.dst.push(ip);
            f.public.push(eni.and_then(|n| n.public_ip).map(IpAddr::V4));
            f.side_src4.push(HashSide::new(pick(true), super::SRC_PORT));
            f.side_src6
                .push(HashSide::new(pick(false), super::SRC_PORT));
            f.side_dst.push(HashSide::new(ip, opts.dst_port));
            let public = eni.and_then(|n| n.public_ip).map_or(ip, IpAddr::V4);
            f.side_public.push(HashSide::new(public, opts.dst_port));
            f.internet
                .push(matches!(e.endpoint, Endpoint::Internet { .. }));
        }
        f
    }

    fn flow(&self, i: usize, j: usize) -> Flow {
        let dst = if self.internet[i] {
            self.public[j].unwrap_or(self.dst[j])
        } else {
            self.dst[j]
        };
        Flow {
            src: if dst.is_ipv4() {
                self.src4[i]
            } else {
                self.src6[i]
            },
            dst,
            protocol: self.protocol,
            src_port: super::SRC_PORT,
            dst_port: self.dst_port,
        }
    }

    /// `flow(i, j).symmetric_hash()`, from the endpoints' precomputed sides: the side
    /// that sorts first is already hashed, the other's bytes are added.
    fn hash(&self, i: usize, j: usize) -> u64 {
        let d = if self.internet[i] {
            &self.side_public[j]
        } else {
            &self.side_dst[j]
        };
        // The source address has the destination's family (`flow`).
        let s = if d.key.0 == 0 {
            &self.side_src4[i]
        } else {
            &self.side_src6[i]
        };
        HashSide::flow_hash(s, d, self.protocol)
    }
}

/// An endpoint (address and port) as [`Flow::symmetric_hash`] sees it.
#[derive(Clone, Copy)]
struct HashSide {
    /// Sort key: (family, address, port), ordered as `(IpAddr, u16)` is ([`addr_key`]).
    key: (u8, u128, u16),
    /// The hash state after this endpoint alone.
    state: u64,
    /// Its bytes: address octets, then the port big-endian.
    bytes: [u8; 18],
    len: u8,
}

impl HashSide {
    /// The symmetric hash of the flow from `s` to `d`.
    fn flow_hash(s: &HashSide, d: &HashSide, protocol: crate::model::Protocol) -> u64 {
        let (first, second) = if s.key <= d.key { (s, d) } else { (d, s) };
        // Fixed lengths (IPv4 or IPv6 address, then the port) let the byte loop unroll.
        let h = if second.len == 6 {
            hash_bytes(first.state, &second.bytes[..6])
        } else {
            hash_bytes(first.state, &second.bytes[..18])
        };
        hash_protocol(h, protocol)
    }

    fn new(ip: IpAddr, port: u16) -> HashSide {
        let mut bytes = [0u8; 18];
        let n = match ip {
            IpAddr::V4(v) => {
                bytes[..4].copy_from_slice(&v.octets());
                4
            }
            IpAddr::V6(v) => {
                bytes[..16].copy_from_slice(&v.octets());
                16
            }
        };
        bytes[n..n + 2].copy_from_slice(&port.to_be_bytes());
        let (family, value) = addr_key(ip);
        HashSide {
            key: (family, value, port),
            state: hash_endpoint(HASH_BASIS, ip, port),
            bytes,
            len: (n + 2) as u8,
        }
    }
}

/// `a % d` for a fixed divisor `d` by multiplication instead of division (Barrett
/// reduction): with `m = floor((2^64 - 1) / d)`, the estimate `q = (a * m) >> 64` is
/// the quotient or one less (`a * m / 2^64 > a / d - 1` as `a < 2^64`), so `a - q * d`
/// is below `2d` and one conditional subtraction gives the remainder.
#[derive(Clone, Copy)]
struct FastMod {
    d: u64,
    m: u64,
}

impl FastMod {
    /// `d` must not be 0.
    fn new(d: u64) -> FastMod {
        debug_assert!(d > 0);
        let d = d.max(1);
        FastMod { d, m: u64::MAX / d }
    }

    #[inline]
    fn rem(self, a: u64) -> u64 {
        let q = ((u128::from(a) * u128::from(self.m)) >> 64) as u64;
        let r = a - q * self.d;
        if r >= self.d {
            r - self.d
        } else {
            r
        }
    }
}

/// An address as a sortable key: (family, value).
fn addr_key(ip: IpAddr) -> (u8, u128) {
    match ip {
        IpAddr::V4(a) => (0, u128::from(u32::from(a))),
        IpAddr::V6(a) => (1, u128::from(a)),
    }
}

/// The first key of `p` and the first key after it.
fn bounds(p: &IpNet) -> [(u8, u128); 2] {
    match p.trunc() {
        IpNet::V4(n) => {
            let lo = u32::from(n.network());
            let hi = u32::from(n.broadcast());
            let after = if hi == u32::MAX {
                (1, 0)
            } else {
                (0, u128::from(hi) + 1)
            };
            [(0, u128::from(lo)), after]
        }
        IpNet::V6(n) => {
            let hi = u128::from(n.broadcast());
            let after = if hi == u128::MAX { (2, 0) } else { (1, hi + 1) };
            [(1, u128::from(n.network())), after]
        }
    }
}

fn host(ip: IpAddr) -> IpNet {
    IpNet::from(ip)
}

/// Source classes: equal numbers for sources that every prefix a suffix can test the
/// source address against (see the module doc) treats alike.
///
/// Security-group and network-ACL prefixes make a *base* class per endpoint and address
/// family. A firewall rule tests the source only when its destination side matches (the
/// packet's destination is the column's), so each column refines the base class with the
/// source prefixes of the rules *active* for its destination only — a rule naming one
/// VPC pair splits the sources of one column, not of all. Columns with the same active
/// rules share one refinement.
struct SourceClasses {
    /// Per column: index into `sets`.
    column_set: Vec<u32>,
    /// Per distinct active set: (number of classes, class of every source).
    sets: Vec<(usize, Vec<u32>)>,
}

impl SourceClasses {
    /// The class of source `i` in column `j`.
    #[cfg(test)]
    fn of(&self, i: usize, j: usize) -> u32 {
        self.sets[self.column_set[j] as usize].1[i]
    }

    /// The class of every source in column `j`.
    fn column(&self, j: usize) -> &[u32] {
        &self.sets[self.column_set[j] as usize].1
    }

    /// The number of classes of column `j`.
    fn count(&self, j: usize) -> usize {
        self.sets[self.column_set[j] as usize].0
    }
}

fn source_classes(
    dp: &Dataplane,
    m: &Model,
    eps: &[MatrixEndpoint],
    flows: &Flows,
    opts: &MatrixOptions,
) -> SourceClasses {
    // Only rules that can match the service's packets test the source: a security group
    // or network ACL rule applies only to its protocol and destination ports
    // (dataplane::filters), a firewall rule only to its protocol and ports
    // (dataplane::firewall). A suffix walks forward packets only, whose ports are the
    // service's.
    let probe = Flow {
        src: IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
        dst: IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
        protocol: opts.protocol,
        src_port: super::SRC_PORT,
        dst_port: opts.dst_port,
    };
    let mut v: BTreeSet<IpNet> = BTreeSet::new();
    for sg in &m.security_groups {
        for r in sg.ingress.iter().chain(&sg.egress) {
            if !proto_port_match(r.protocol, &r.ports, &probe) {
                continue;
            }
            v.extend(r.cidr);
            if let Some(pl) = &r.prefix_list {
                if let Some(i) = dp.index.get_kind(pl, ObjectKind::PrefixList) {
                    v.extend(m.prefix_lists[i].entries.iter().copied());
                }
            }
            if let Some(g) = &r.security_group {
                if let Some(members) = dp.sg_members.get(g.as_str()) {
                    v.extend(members.iter().map(|ip| host(*ip)));
                }
            }
        }
    }
    for a in &m.network_acls {
        for e in &a.entries {
            if proto_port_match(e.protocol, &e.ports, &probe) {
                v.insert(e.cidr);
            }
        }
    }
    // Firewall rules, as the ways they can match: (destination side, source side).
    let mut ways: BTreeSet<(Vec<IpNet>, IpNet)> = BTreeSet::new();
    for g in &m.rule_groups {
        for r in &g.stateless_rules {
            if Dataplane::stateless_rule_ports_match(r, &probe) {
                for src in &r.sources {
                    ways.insert((r.destinations.clone(), *src));
                }
            }
        }
        for r in &g.stateful_rules {
            if !Dataplane::stateful_rule_ports_match(r, &probe) {
                continue;
            }
            // Forward: the rule's source is tested against the packet's source; with
            // direction "any" also the other way round.
            if let Some(src) = r.source {
                ways.insert((r.destination.into_iter().collect(), src));
            }
            if r.direction == crate::model::StatefulDirection::Any {
                if let Some(dst) = r.destination {
                    ways.insert((r.source.into_iter().collect(), dst));
                }
            }
        }
    }
    let ways: Vec<(Vec<IpNet>, IpNet)> = ways
        .into_iter()
        .map(|(d, s)| (d.into_iter().map(|p| p.trunc()).collect(), s.trunc()))
        .collect();
    let prefixes: Vec<IpNet> = v.into_iter().map(|p| p.trunc()).collect();
    // Signatures numbered in endpoint order (IPv4 source before IPv6), so the numbers do
    // not depend on the thread count.
    let srcs: Vec<IpAddr> = (0..eps.len())
        .flat_map(|i| [flows.src4[i], flows.src6[i]])
        .collect();
    let sigs = signatures(&prefixes, &srcs);
    let mut ids: HashMap<(bool, &[u32]), u32> = HashMap::new();
    let (mut v4, mut v6) = (Vec::with_capacity(eps.len()), Vec::with_capacity(eps.len()));
    for (x, (ip, sig)) in srcs.iter().zip(&sigs).enumerate() {
        let n = ids.len() as u32;
        let id = *ids.entry((ip.is_ipv4(), sig.as_slice())).or_insert(n);
        if x % 2 == 0 {
            v4.push(id)
        } else {
            v6.push(id)
        }
    }
    // The active ways of each column (the destination interface sources address): those
    // with no destination side, and those with a prefix there that contains the address
    // (one sweep over every destination-side prefix).
    let mut dst_prefixes: Vec<IpNet> = Vec::new();
    let mut dst_way: Vec<u32> = Vec::new();
    let mut always: Vec<u32> = Vec::new();
    for (k, (dst, _)) in ways.iter().enumerate() {
        if dst.is_empty() {
            always.push(k as u32);
        }
        for p in dst {
            dst_prefixes.push(*p);
            dst_way.push(k as u32);
        }
    }
    let dst_sigs = signatures(&dst_prefixes, &flows.dst);
    let actives: Vec<(bool, Vec<u32>)> = dst_sigs
        .into_par_iter()
        .zip(&flows.dst)
        .map(|(sig, d)| {
            let mut active: Vec<u32> = always
                .iter()
                .copied()
                .chain(sig.iter().map(|&x| dst_way[x as usize]))
                .collect();
            active.sort_unstable();
            active.dedup();
            (d.is_ipv4(), active)
        })
        .collect();
    let mut set_ids: HashMap<(bool, Vec<u32>), u32> = HashMap::new();
    let mut set_keys: Vec<(bool, Vec<u32>)> = Vec::new();
    let column_set: Vec<u32> = actives
        .into_iter()
        .map(|key| {
            let n = set_ids.len() as u32;
            *set_ids.entry(key.clone()).or_insert_with(|| {
                set_keys.push(key);
                n
            })
        })
        .collect();
    // The ways whose source side contains each source address (`srcs` order), and those
    // lists numbered: addresses with one list are alike under every set of active ways.
    let way_srcs: Vec<IpNet> = ways.iter().map(|w| w.1).collect();
    let in_ways = signatures(&way_srcs, &srcs);
    let mut list_ids: HashMap<&[u32], u32> = HashMap::new();
    let mut lists: Vec<&[u32]> = Vec::new();
    let list_of: Vec<u32> = in_ways
        .iter()
        .map(|l| {
            *list_ids.entry(l.as_slice()).or_insert_with(|| {
                lists.push(l);
                lists.len() as u32 - 1
            })
        })
        .collect();
    let sets = set_keys
        .par_iter()
        .map(|(v4dst, active)| {
            // A source's signature is the active part of its list, in way order.
            let mut is_active = vec![false; ways.len()];
            for &k in active {
                is_active[k as usize] = true;
            }
            let mut sig_ids: HashMap<Vec<u32>, u32> = HashMap::new();
            let sig_of: Vec<u32> = lists
                .iter()
                .map(|l| {
                    let sig: Vec<u32> = l
                        .iter()
                        .copied()
                        .filter(|&k| is_active[k as usize])
                        .collect();
                    let n = sig_ids.len() as u32;
                    *sig_ids.entry(sig).or_insert(n)
                })
                .collect();
            let mut ids: HashMap<(u32, u32), u32> = HashMap::new();
            let cls: Vec<u32> = (0..eps.len())
                .map(|i| {
                    let (base, x) = if *v4dst {
                        (v4[i], 2 * i)
                    } else {
                        (v6[i], 2 * i + 1)
                    };
                    let n = ids.len() as u32;
                    *ids.entry((base, sig_of[list_of[x] as usize])).or_insert(n)
                })
                .collect();
            (ids.len(), cls)
        })
        .collect();
    SourceClasses { column_set, sets }
}

/// For every address, the indices (increasing) of the `prefixes` that contain it: one
/// sweep over the addresses and the prefixes' bounds in address order, keeping the
/// prefixes the sweep is inside.
fn signatures(prefixes: &[IpNet], addrs: &[IpAddr]) -> Vec<Vec<u32>> {
    // (key, prefix, whether the sweep enters it there): a prefix covers its first key up
    // to, not including, its first key after.
    let mut events: Vec<((u8, u128), u32, bool)> = Vec::with_capacity(2 * prefixes.len());
    for (k, p) in prefixes.iter().enumerate() {
        let [lo, after] = bounds(p);
        events.push((lo, k as u32, true));
        events.push((after, k as u32, false));
    }
    // A prefix's two keys differ, so the order of events at one key does not matter.
    events.sort_unstable();
    let mut order: Vec<u32> = (0..addrs.len() as u32).collect();
    order.sort_unstable_by_key(|&x| addr_key(addrs[x as usize]));
    let mut inside: BTreeSet<u32> = BTreeSet::new();
    let mut out: Vec<Vec<u32>> = vec![Vec::new(); addrs.len()];
    let mut e = 0;
    let mut last: Option<((u8, u128), u32)> = None;
    for x in order {
        let key = addr_key(addrs[x as usize]);
        while e < events.len() && events[e].0 <= key {
            let (_, k, enter) = events[e];
            if enter {
                inside.insert(k);
            } else {
                inside.remove(&k);
            }
            e += 1;
        }
        out[x as usize] = match last {
            Some((k, y)) if k == key => out[y as usize].clone(),
            _ => inside.iter().copied().collect(),
        };
        last = Some((key, x));
    }
    out
}

/// Per VPC, the prefixes a prefix walk can test a destination against there: the VPC's
/// CIDRs, its subnets, the routes of its route tables and the entries of its subnets'
/// network ACLs.
fn vpc_prefixes(dp: &Dataplane, m: &Model) -> Vec<Vec<IpNet>> {
    let mut out: Vec<BTreeSet<IpNet>> = vec![BTreeSet::new(); m.vpcs.len()];
    for (v, x) in m.vpcs.iter().enumerate() {
        out[v].extend(x.cidrs.iter().copied());
    }
    for (s, sn) in m.subnets.iter().enumerate() {
        let Some(v) = dp.vpc_of_subnet(s) else {
            continue;
        };
        out[v].insert(IpNet::V4(sn.cidr));
        out[v].extend(sn.ipv6_cidr.map(IpNet::V6));
        if let Some(a) = dp.subnet_nacl.get(s).copied().flatten() {
            out[v].extend(m.network_acls[a].entries.iter().map(|e| e.cidr));
        }
    }
    // Route look-ups in parallel, merged in route-table order.
    let routes: Vec<(Option<usize>, Vec<IpNet>)> = m
        .route_tables
        .par_iter()
        .enumerate()
        .map(|(rt, t)| {
            let v = dp.index.get_kind(&t.vpc, ObjectKind::Vpc);
            let mut ps: Vec<IpNet> = match v {
                Some(_) => dp.vpc_routes(rt).into_iter().map(|(p, _)| p).collect(),
                None => Vec::new(),
            };
            // A watched table's changed prefixes are boundaries too (one added on the
            // changed side is not among this table's), so that every destination of a
            // run consults the same watched prefixes as the run's prefix walk.
            if let Some(w) = &dp.watch {
                ps.extend(w.route_tables.get(rt).into_iter().flatten().copied());
            }
            (v, ps)
        })
        .collect();
    for (v, ps) in routes {
        if let Some(v) = v {
            out[v].extend(ps);
        }
    }
    out.into_par_iter()
        .map(|s| s.into_iter().collect())
        .collect()
}

/// What a prefix walk found for a run of destinations.
enum Slot {
    /// Walk the flows whole.
    Whole,
    /// The walk ended in the source VPC.
    Done {
        verdict: Verdict,
        reason: Option<&'static str>,
        hops: u32,
        /// The walk consulted a watched routing entry.
        watched: bool,
    },
    /// The walk reached a transit gateway (the cut, and the numbers of its route table
    /// and AZ).
    Cut(Cut, u32, u32),
}

/// The prefix walks of one source: runs of the address-sorted destinations (`starts`:
/// where each run begins) and what one walk found for each.
struct SourcePrefix {
    starts: Vec<u32>,
    slots: Vec<Slot>,
}

/// Every source's prefix slots in flat arrays: source `i`'s runs begin at
/// `starts[off[i]..off[i + 1]]`, with their slots at the same positions of the cold
/// `Vec<Slot>` ([`Slots::new`]) and of `hot`. A column reads one slot of every source:
/// `hot` keeps what it reads per cell small enough to stay in cache, and each worker
/// reads its own copy ([`Replica`]).
#[derive(Clone)]
struct Slots {
    off: Vec<u32>,
    starts: Vec<u32>,
    hot: Vec<Hot>,
    /// The distinct (verdict, reason, watched) of the `Done` slots: a `Done` slot's hot
    /// part holds its index here, so a column reads no cold slot for it.
    done: Vec<DoneOutcome>,
}

/// What a [`Slot::Done`] found, apart from its hops.
type DoneOutcome = (Verdict, Option<&'static str>, bool);

/// The per-cell part of a [`Slot`].
#[derive(Clone, Copy)]
struct Hot {
    /// [`HOT_WHOLE`], [`HOT_DONE`] or the cut's route table number.
    rtb: u32,
    /// The cut's AZ number; for [`HOT_DONE`], the index of its outcome in
    /// [`Slots::done`].
    az: u32,
    /// The cut's (or the `Done` walk's) hops, and the cut's steps.
    hops: u32,
    steps: u32,
    /// The cut's Bloom filter of visited contexts.
    mask: u64,
}

const HOT_WHOLE: u32 = u32::MAX;
const HOT_DONE: u32 = u32::MAX - 1;

impl Slots {
    /// The slots of `sources`, and the slots themselves in the same order (cold: read
    /// when a column computes a suffix).
    fn new(sources: Vec<SourcePrefix>) -> (Slots, Vec<Slot>) {
        let mut cold = Vec::new();
        let mut s = Slots {
            off: vec![0],
            starts: Vec::new(),
            hot: Vec::new(),
            done: Vec::new(),
        };
        for p in sources {
            s.starts.extend(p.starts);
            s.hot.extend(p.slots.iter().map(|slot| {
                let mut h = Hot {
                    rtb: HOT_WHOLE,
                    az: 0,
                    hops: 0,
                    steps: 0,
                    mask: 0,
                };
                match slot {
                    Slot::Whole => {}
                    Slot::Done {
                        verdict,
                        reason,
                        hops,
                        watched,
                    } => {
                        let o = (*verdict, *reason, *watched);
                        let x = match s.done.iter().position(|d| *d == o) {
                            Some(x) => x,
                            None => {
                                s.done.push(o);
                                s.done.len() - 1
                            }
                        };
                        h.rtb = HOT_DONE;
                        h.az = x as u32;
                        h.hops = *hops;
                    }
                    Slot::Cut(c, rtb, az) => {
                        h = Hot {
                            rtb: *rtb,
                            az: *az,
                            hops: c.hops,
                            steps: u32::try_from(c.steps).unwrap_or(u32::MAX),
                            mask: c.seen_mask,
                        }
                    }
                }
                h
            }));
            cold.extend(p.slots);
            s.off.push(s.starts.len() as u32);
        }
        (s, cold)
    }

    /// The slot number of source `i` for the destination at sorted position `p`.
    fn at(&self, i: usize, p: u32) -> usize {
        let (a, b) = (self.off[i] as usize, self.off[i + 1] as usize);
        let k = self.starts[a..b]
            .partition_point(|&x| x <= p)
            .saturating_sub(1);
        a + k
    }

    /// Where the slot after slot `k` of source `i` begins (`u32::MAX` after the last).
    fn next_start(&self, i: usize, k: usize) -> u32 {
        if k + 1 < self.off[i + 1] as usize {
            self.starts[k + 1]
        } else {
            u32::MAX
        }
    }

    /// Every source's slot for the destination at sorted position `p`.
    fn cursor(&self, p: u32) -> Cursor {
        let n = self.off.len() - 1;
        Cursor {
            at: (0..n)
                .map(|i| {
                    let k = self.at(i, p);
                    (k as u32, self.next_start(i, k))
                })
                .collect(),
            #[cfg(debug_assertions)]
            p,
        }
    }
}

/// Per source, its slot for the current destination position and where its next slot
/// begins; positions only grow.
struct Cursor {
    at: Vec<(u32, u32)>,
    #[cfg(debug_assertions)]
    p: u32,
}

impl Cursor {
    /// [`Slots::at`] for position `p`, not before the last one asked.
    #[inline]
    fn at(&mut self, slots: &Slots, i: usize, p: u32) -> usize {
        #[cfg(debug_assertions)]
        {
            debug_assert!(p >= self.p);
            self.p = p;
        }
        let (k, next) = &mut self.at[i];
        if p >= *next {
            let mut x = *k as usize + 1;
            let mut after = slots.next_start(i, x);
            while p >= after {
                x += 1;
                after = slots.next_start(i, x);
            }
            *k = x as u32;
            *next = after;
        }
        *k as usize
    }
}

#[allow(clippy::too_many_arguments)]
fn source_prefix(
    dp: &Dataplane,
    m: &Model,
    eps: &[MatrixEndpoint],
    flows: &Flows,
    vpc_prefixes: &[Vec<IpNet>],
    order: &[u32],
    keys: &[(u8, u128)],
    i: usize,
) -> SourcePrefix {
    let whole = SourcePrefix {
        starts: vec![0],
        slots: vec![Slot::Whole],
    };
    let Endpoint::Interface { eni, .. } = eps[i].endpoint else {
        return whole;
    };
    let Some(vpc) = dp
        .subnet_of_interface(eni)
        .and_then(|s| dp.vpc_of_subnet(s))
    else {
        return whole;
    };
    let mut ps: Vec<IpNet> = vpc_prefixes[vpc].clone();
    if let Some(e) = m.network_interfaces.get(eni) {
        for g in &e.security_groups {
            let Some(gi) = dp.index.get_kind(g, ObjectKind::SecurityGroup) else {
                continue;
            };
            for r in &m.security_groups[gi].egress {
                ps.extend(r.cidr);
                if let Some(pl) = &r.prefix_list {
                    if let Some(k) = dp.index.get_kind(pl, ObjectKind::PrefixList) {
                        ps.extend(m.prefix_lists[k].entries.iter().copied());
                    }
                }
                if let Some(sg) = &r.security_group {
                    if let Some(members) = dp.sg_members.get(sg.as_str()) {
                        ps.extend(members.iter().map(|ip| host(*ip)));
                    }
                }
            }
        }
    }
    // Interval boundaries, as positions in the sorted destinations.
    let mut starts: BTreeSet<u32> = BTreeSet::new();
    starts.insert(0);
    let mut mark = |b: (u8, u128)| {
        let p = keys.partition_point(|k| *k < b) as u32;
        if (p as usize) < keys.len() {
            starts.insert(p);
        }
    };
    mark((1, 0));
    for p in &ps {
        for b in bounds(p) {
            mark(b);
        }
    }
    let starts: Vec<u32> = starts.into_iter().collect();
    let slots = starts
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let end = starts.get(k + 1).map_or(order.len(), |&e| e as usize);
            let rep = order[s as usize..end]
                .iter()
                .map(|&j| j as usize)
                .find(|&j| j != i);
            let Some(j) = rep else {
                return Slot::Whole;
            };
            match segment::prefix(dp, &eps[i].endpoint, &flows.flow(i, j)) {
                Prefix::Abort => Slot::Whole,
                Prefix::Done {
                    verdict,
                    reason,
                    hops,
                    watched,
                } => Slot::Done {
                    verdict,
                    reason,
                    hops,
                    watched,
                },
                Prefix::Cut(c) => Slot::Cut(c, 0, 0),
            }
        })
        .collect();
    SourcePrefix { starts, slots }
}

/// Numbers the cuts' transit gateway route tables and AZs in source order; returns how
/// many of each.
fn number_cuts(sources: &mut [SourcePrefix]) -> (usize, usize) {
    let mut rtbs: HashMap<usize, u32> = HashMap::new();
    let mut azs: HashMap<Option<&str>, u32> = HashMap::new();
    let mut numbers: Vec<(u32, u32)> = Vec::new();
    for s in sources.iter() {
        for slot in &s.slots {
            if let Slot::Cut(c, ..) = slot {
                let n = rtbs.len() as u32;
                let r = *rtbs.entry(c.rtb).or_insert(n);
                let n = azs.len() as u32;
                numbers.push((r, *azs.entry(c.az.as_deref()).or_insert(n)));
            }
        }
    }
    let counts = (rtbs.len(), azs.len());
    let mut numbers = numbers.into_iter();
    for s in sources {
        for slot in &mut s.slots {
            if let Slot::Cut(_, r, a) = slot {
                if let Some((x, y)) = numbers.next() {
                    (*r, *a) = (x, y);
                }
            }
        }
    }
    counts
}

/// One direction of a cell in a column, its detail numbered locally.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct LocalHalf {
    verdict: Verdict,
    hops: u32,
    detail: u32,
}

/// A cell outcome in a column, its details numbered locally.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct LocalOutcome {
    fwd: LocalHalf,
    ret: Option<LocalHalf>,
}

/// A destination column: the local outcome of every other source, in source order, and
/// the outcomes and details they number.
struct Column {
    /// The sources whose cell's walks consulted a watched routing entry
    /// ([`Dataplane::watching`]), ascending.
    dirty: Vec<u32>,
    cells: Cells,
    outcomes: Vec<LocalOutcome>,
    /// Per local outcome: the first source that has it.
    first: Vec<u32>,
    details: Vec<Detail>,
}

/// A column once its outcomes have provisional numbers: what assembly reads.
struct Numbered {
    /// As [`Column::dirty`].
    dirty: Vec<u32>,
    cells: Cells,
    /// Per local outcome: the first source that has it, and its provisional number.
    first: Vec<u32>,
    ids: Vec<u32>,
}

/// A column's local outcome numbers, one byte each when they fit (a column has few
/// outcomes: this quarters the memory the columns hold and the transpose reads).
enum Cells {
    Small(Vec<u8>),
    Large(Vec<u32>),
}

impl Cells {
    fn new(cells: Vec<u32>, outcomes: usize) -> Cells {
        if outcomes <= 1 << 8 {
            Cells::Small(cells.iter().map(|&o| o as u8).collect())
        } else {
            Cells::Large(cells)
        }
    }
}

/// Every column's details (or outcomes) under one provisional number each, given as
/// columns finish (in any order: [`assemble`] renumbers them by first use).
struct Shared<K> {
    index: RwLock<HashMap<K, u32>>,
}

impl<K> Default for Shared<K> {
    fn default() -> Self {
        Shared {
            index: RwLock::new(HashMap::new()),
        }
    }
}

impl<K: Clone + Eq + std::hash::Hash> Shared<K> {
    /// The numbers of `keys`, adding the new ones.
    fn ids(&self, keys: &[K]) -> Vec<u32> {
        {
            // Columns mostly meet keys other columns met: a shared look-up.
            let index = self.index.read().unwrap_or_else(|e| e.into_inner());
            let ids: Option<Vec<u32>> = keys.iter().map(|k| index.get(k).copied()).collect();
            if let Some(ids) = ids {
                return ids;
            }
        }
        let mut index = self.index.write().unwrap_or_else(|e| e.into_inner());
        keys.iter()
            .map(|k| {
                if let Some(&x) = index.get(k) {
                    return x;
                }
                let x = index.len() as u32;
                index.insert(k.clone(), x);
                x
            })
            .collect()
    }

    /// The keys, by number.
    fn into_keys(self) -> Vec<K> {
        let index = self.index.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<Option<K>> = vec![None; index.len()];
        for (k, x) in index {
            out[x as usize] = Some(k);
        }
        out.into_iter().flatten().collect()
    }
}

/// A column's interning of outcomes and details.
#[derive(Default)]
struct Local {
    details: DetailInterner,
    outcomes: Vec<LocalOutcome>,
    ids: HashMap<LocalOutcome, u32>,
    first: Vec<u32>,
    /// Detail of a prefix that ended in the source VPC, per reason.
    reasons: Vec<(Option<&'static str>, u32)>,
}

impl Local {
    /// The number of `o`, which source `i` has (sources come in increasing order).
    fn outcome(&mut self, o: LocalOutcome, i: usize) -> u32 {
        *self.ids.entry(o).or_insert_with(|| {
            self.outcomes.push(o);
            self.first.push(i as u32);
            self.outcomes.len() as u32 - 1
        })
    }

    fn half(&mut self, s: Summary) -> LocalHalf {
        LocalHalf {
            verdict: s.verdict,
            hops: s.hops,
            detail: self.details.intern(summary_detail(s)),
        }
    }

    fn reason(&mut self, reason: Option<&'static str>) -> u32 {
        if let Some(&(_, d)) = self.reasons.iter().find(|r| r.0 == reason) {
            return d;
        }
        let d = self.details.intern(detail(&[], reason));
        self.reasons.push((reason, d));
        d
    }
}

/// A suffix shared in a column, its detail, and the outcome numbers it gave per total
/// hop count (forward only).
struct Entry {
    suffix: Suffix,
    detail: u32,
    outs: Vec<(u32, u32)>,
}

/// The memo of a column, a decision tree over (cut route table, source class, arrival
/// AZ or "any", hash bucket or "any"). A slot holds 0 (not computed yet), [`NOT_SHARED`]
/// (walk whole), [`SPLIT_AZ`] / [`SPLIT_HASH`] (the suffixes here read the arrival AZ /
/// the flow hash first: look under its value) or [`FIRST_ENTRY`] + an entry's index.
///
/// Why the tree is exact: all flows that reach a node agree on the dimensions fixed on the
/// way (and on the destination, the source class and the ports), so their walks are the
/// same step for step until one reads a dimension not fixed yet — the split the first walk
/// computed there records which one it read first.
enum MemoTable {
    Dense { slots: Vec<u32>, dims: [usize; 3] },
    Map(HashMap<[u64; 4], u32>),
}

const NOT_SHARED: u32 = 1;
const SPLIT_AZ: u32 = 2;
const SPLIT_HASH: u32 = 3;
const FIRST_ENTRY: u32 = 4;
/// "Any" in a [`MemoTable`] key.
const ANY: u64 = u64::MAX;

impl MemoTable {
    fn new(classes: usize, azs: usize, l: u64, rtbs: usize) -> MemoTable {
        let size = rtbs
            .saturating_mul(classes)
            .saturating_mul(azs + 1)
            .saturating_mul(l as usize + 1);
        if l > 0 && size <= 1 << 20 {
            MemoTable::Dense {
                slots: vec![0; size],
                dims: [classes, azs + 1, l as usize + 1],
            }
        } else {
            MemoTable::Map(HashMap::new())
        }
    }

    fn index(dims: &[usize; 3], k: &[u64; 4]) -> usize {
        let v = |x: u64, n: usize| if x == ANY { n - 1 } else { x as usize };
        ((k[0] as usize * dims[0] + k[1] as usize) * dims[1] + v(k[2], dims[1])) * dims[2]
            + v(k[3], dims[2])
    }

    fn get(&self, k: &[u64; 4]) -> u32 {
        match self {
            MemoTable::Dense { slots, dims } => slots[Self::index(dims, k)],
            MemoTable::Map(m) => m.get(k).copied().unwrap_or(0),
        }
    }

    fn set(&mut self, k: &[u64; 4], v: u32) {
        match self {
            MemoTable::Dense { slots, dims } => slots[Self::index(dims, k)] = v,
            MemoTable::Map(m) => {
                m.insert(*k, v);
            }
        }
    }
}

/// What the columns read. `flows` and `slots`, which every cell reads, are the worker's
/// own copies ([`Replica`]).
#[derive(Clone, Copy)]
struct Ctx<'a> {
    dp: &'a Dataplane,
    eps: &'a [MatrixEndpoint],
    flows: &'a Flows,
    classes: &'a SourceClasses,
    slots: &'a Slots,
    cold: &'a [Slot],
    pos: &'a [u32],
    l: u64,
    both_ways: bool,
    n_rtbs: usize,
    n_azs: usize,
}

fn detail(inspected: &[String], reason: Option<&str>) -> Detail {
    Detail {
        inspected_by: inspected.to_vec(),
        reason: reason.map(str::to_string),
    }
}

fn summary_detail(s: Summary) -> Detail {
    Detail {
        inspected_by: s.inspected_by,
        reason: s.reason,
    }
}

impl Ctx<'_> {
    /// The outcome of the flow (`i`, `j`) walked whole, and whether the walk consulted a
    /// watched routing entry.
    fn whole(&self, i: usize, j: usize, local: &mut Local) -> (u32, bool) {
        let flow = self.flows.flow(i, j);
        let (f, r) = summarize(self.dp, &self.eps[i].endpoint, &flow, self.both_ways);
        let watched = f.watched || r.as_ref().is_some_and(|r| r.watched);
        let o = LocalOutcome {
            fwd: local.half(f),
            ret: r.map(|r| local.half(r)),
        };
        (local.outcome(o, i), watched)
    }

    /// The shared suffix for the flow (`i`, `j`) from the cut of slot `k` (`hot`: its
    /// route table and AZ numbers), computing it on first use.
    #[allow(clippy::too_many_arguments)]
    fn suffix(
        &self,
        memo: &mut MemoTable,
        entries: &mut Vec<Entry>,
        (details, buckets): (&mut DetailInterner, &mut Vec<u64>),
        k: usize,
        hot: &Hot,
        class: u32,
        (i, j): (usize, usize),
    ) -> Option<u32> {
        let mut bucket = || self.bucket(buckets, i, j);
        let mut key = [u64::from(hot.rtb), u64::from(class), ANY, ANY];
        loop {
            match memo.get(&key) {
                0 => break,
                NOT_SHARED => return None,
                SPLIT_AZ => key[2] = u64::from(hot.az),
                SPLIT_HASH => key[3] = bucket(),
                e => return Some(e - FIRST_ENTRY),
            }
        }
        let Slot::Cut(cut, ..) = &self.cold[k] else {
            return None;
        };
        let s = segment::suffix(self.dp, cut, &self.flows.flow(i, j));
        if !s.shareable || (self.l == 0 && s.hashed) {
            memo.set(&key, NOT_SHARED);
            return None;
        }
        for d in &s.deps {
            let (x, split, value) = match d {
                Dep::Az => (2, SPLIT_AZ, u64::from(hot.az)),
                Dep::Hash => (3, SPLIT_HASH, bucket()),
            };
            if key[x] == ANY {
                memo.set(&key, split);
                key[x] = value;
            }
        }
        let e = entries.len() as u32;
        memo.set(&key, FIRST_ENTRY + e);
        let d = details.intern(detail(&s.inspected, s.reason));
        entries.push(Entry {
            suffix: s,
            detail: d,
            outs: Vec::new(),
        });
        Some(e)
    }

    /// The flow hash of (`i`, `j`) modulo L. The first call of a column hashes every
    /// source's flow in one loop (independent hashes overlap in the CPU; most cells of a
    /// column that reads the hash at all need theirs). With no common modulus (`l == 0`)
    /// suffixes that hash are not shared and any bucket will do.
    fn bucket(&self, buckets: &mut Vec<u64>, i: usize, j: usize) -> u64 {
        if buckets.is_empty() {
            let l = FastMod::new(self.l.max(1));
            buckets.extend((0..self.eps.len()).map(|i| l.rem(self.flows.hash(i, j))));
        }
        buckets[i]
    }

    /// Whether the shared suffix joins the cut of slot `k` as the whole walk would.
    fn joins(&self, s: &Suffix, k: usize, hot: &Hot) -> bool {
        s.joins_by_mask(hot.steps as usize, hot.mask)
            .unwrap_or_else(|| matches!(&self.cold[k], Slot::Cut(cut, ..) if s.joins(cut)))
    }

    /// The outcome of the flow (`i`, `j`) through the shared suffix `entry` after a cut
    /// of `cut_hops` hops, and whether its reply consulted a watched routing entry.
    fn joined(
        &self,
        entry: &mut Entry,
        cut_hops: u32,
        (i, j): (usize, usize),
        local: &mut Local,
    ) -> (u32, bool) {
        let s = &entry.suffix;
        let hops = cut_hops + s.hops;
        let fwd = LocalHalf {
            verdict: s.verdict,
            hops,
            detail: entry.detail,
        };
        if self.both_ways && s.verdict.is_success() {
            let r = segment::reply(self.dp, &self.flows.flow(i, j), s);
            let watched = r.watched;
            let o = LocalOutcome {
                fwd,
                ret: Some(local.half(r)),
            };
            return (local.outcome(o, i), watched);
        }
        if let Some(&(_, o)) = entry.outs.iter().find(|x| x.0 == hops) {
            return (o, false);
        }
        let o = local.outcome(LocalOutcome { fwd, ret: None }, i);
        entry.outs.push((hops, o));
        (o, false)
    }

    fn column(&self, j: usize, cursor: &mut Cursor) -> Column {
        let n = self.eps.len();
        let classes = self.classes.column(j);
        let p = self.pos[j];
        let mut local = Local::default();
        let mut memo = MemoTable::new(self.classes.count(j), self.n_azs, self.l, self.n_rtbs);
        let mut entries: Vec<Entry> = Vec::new();
        let mut buckets: Vec<u64> = Vec::new();
        let mut cells = Vec::with_capacity(n.saturating_sub(1));
        let mut dirty = Vec::new();
        for i in (0..n).filter(|&i| i != j) {
            let k = cursor.at(self.slots, i, p);
            let hot = &self.slots.hot[k];
            let (o, watched) = match hot.rtb {
                HOT_WHOLE => self.whole(i, j, &mut local),
                HOT_DONE => {
                    let (verdict, reason, watched) = self.slots.done[hot.az as usize];
                    let fwd = LocalHalf {
                        verdict,
                        hops: hot.hops,
                        detail: local.reason(reason),
                    };
                    (local.outcome(LocalOutcome { fwd, ret: None }, i), watched)
                }
                _ => {
                    let class = classes.get(i).copied().unwrap_or(0);
                    let d = (&mut local.details, &mut buckets);
                    match self.suffix(&mut memo, &mut entries, d, k, hot, class, (i, j)) {
                        Some(e) if self.joins(&entries[e as usize].suffix, k, hot) => {
                            let entry = &mut entries[e as usize];
                            // The cold slot is read only when a watch is set.
                            let shared = self.dp.watch.is_some()
                                && (entry.suffix.watched
                                    || matches!(&self.cold[k], Slot::Cut(c, ..) if c.watched));
                            let (o, reply) = self.joined(entry, hot.hops, (i, j), &mut local);
                            (o, shared || reply)
                        }
                        _ => self.whole(i, j, &mut local),
                    }
                }
            };
            cells.push(o);
            if watched {
                dirty.push(i as u32);
            }
        }
        Column {
            dirty,
            cells: Cells::new(cells, local.outcomes.len()),
            outcomes: local.outcomes,
            first: local.first,
            details: local.details.into_details(),
        }
    }
}

/// Assemble the cells row-major. Outcomes and details are numbered in the per-pair
/// engine's order (by first use, row-major; forward detail before reply detail), so both
/// engines give equal matrices: a column's local outcome is first used at (its first
/// source, the column), so an outcome's first use is the least of those over the
/// columns; details are then first used in the order of the outcomes that hold them.
///
/// A column's `ids` are the provisional numbers of its local outcomes, numbering
/// `provisional`, whose details are provisional numbers into `details`.
fn assemble(
    opts: &MatrixOptions,
    eps: Vec<MatrixEndpoint>,
    columns: &[Numbered],
    (provisional, details): (Vec<CellOutcome>, Vec<Detail>),
) -> Matrix {
    let n = eps.len();
    let m = n.saturating_sub(1);
    let mut first_use = vec![(u32::MAX, u32::MAX); provisional.len()];
    for (d, c) in columns.iter().enumerate() {
        for (&s, &p) in c.first.iter().zip(&c.ids) {
            let u = &mut first_use[p as usize];
            *u = (*u).min((s, d as u32));
        }
    }
    // A cell has one outcome: no two outcomes share a first use.
    let mut used: Vec<u32> = (0..provisional.len() as u32)
        .filter(|&p| first_use[p as usize].0 != u32::MAX)
        .collect();
    used.sort_unstable_by_key(|&p| first_use[p as usize]);
    // Details numbered by first use: the final number of each provisional one, and the
    // provisional ones in final order.
    let mut final_detail = vec![u32::MAX; details.len()];
    let mut used_details: Vec<u32> = Vec::new();
    let mut final_outcome = vec![u32::MAX; provisional.len()];
    let mut outcomes: Vec<CellOutcome> = Vec::with_capacity(used.len());
    for &p in &used {
        let mut half = |h: Half| {
            let g = &mut final_detail[h.detail as usize];
            if *g == u32::MAX {
                *g = used_details.len() as u32;
                used_details.push(h.detail);
            }
            Half { detail: *g, ..h }
        };
        let co = provisional[p as usize];
        let fwd = half(co.fwd);
        let co = CellOutcome {
            fwd,
            ret: co.ret.map(half),
        };
        final_outcome[p as usize] = outcomes.len() as u32;
        outcomes.push(co);
    }
    let remap: Vec<Vec<u32>> = columns
        .iter()
        .map(|c| c.ids.iter().map(|&p| final_outcome[p as usize]).collect())
        .collect();
    // Zeroed lazily by the allocator; its pages are first touched in parallel below.
    let mut cells = vec![0u32; n * m];
    // Transpose in tiles of rows: each column is read in contiguous runs, and a tile's
    // rows span few enough pages for the TLB.
    const TILE: usize = 16;
    if m > 0 {
        cells
            .par_chunks_mut(TILE * m)
            .enumerate()
            .for_each(|(t, chunk)| {
                let rows = chunk.len() / m;
                for (d, col) in columns.iter().enumerate() {
                    let (rows, map) = (t * TILE..t * TILE + rows, &remap[d]);
                    match &col.cells {
                        Cells::Small(v) => transpose(chunk, m, rows, d, v, map),
                        Cells::Large(v) => transpose(chunk, m, rows, d, v, map),
                    }
                }
            });
    }
    Matrix {
        service: service_info(opts),
        endpoints: eps,
        outcomes,
        cell_outcomes: cells,
        details: used_details
            .iter()
            .map(|&p| details[p as usize].clone())
            .collect(),
        group_by: opts.group_by,
    }
}

/// Write the cells of column `d` (`col`, local numbers mapped by `map`) for the source
/// rows `rows` into `chunk`, whose first row is `rows.start` (row-major, `m` cells a row,
/// none for a source to itself).
fn transpose<T: Copy + Into<u32>>(
    chunk: &mut [u32],
    m: usize,
    rows: std::ops::Range<usize>,
    d: usize,
    col: &[T],
    map: &[u32],
) {
    let first = rows.start;
    // Sources before `d` (destination cell `d - 1` of their row), then after it.
    for s in rows.start..rows.end.min(d) {
        let o: u32 = col[s].into();
        chunk[(s - first) * m + d - 1] = map[o as usize];
    }
    for s in rows.start.max(d + 1)..rows.end {
        let o: u32 = col[s - 1].into();
        chunk[(s - first) * m + d] = map[o as usize];
    }
}

/// The least common multiple of every count a path choice takes a hash modulo: the AZs
/// of each VPC attachment (appliance mode, or no subnet in the arriving AZ) and the
/// healthy appliances of each Gateway Load Balancer, as compiled (after failures); 0 when
/// it grows past a million (then nothing is shared across different flows' hashes).
fn hash_modulus(dp: &Dataplane, model: &Model) -> u64 {
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    let mut counts: BTreeSet<u64> = BTreeSet::new();
    for azs in &dp.attachment_azs {
        counts.insert(azs.len().max(1) as u64);
    }
    for g in &model.gateway_load_balancers {
        let healthy = g
            .appliances
            .iter()
            .filter_map(|a| dp.index.get_kind(a, ObjectKind::NetworkInterface))
            .filter(|a| !dp.eni_down[*a])
            .count();
        counts.insert(healthy.max(1) as u64);
    }
    let mut l: u64 = 1;
    for c in counts {
        l = l / gcd(l, c) * c;
        if l > 1_000_000 {
            return 0;
        }
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::matrix::{compute as mcompute, flow_for, Engine};

    #[test]
    fn fast_equals_per_pair_on_the_reference() {
        let m = crate::ingest::load_reference().unwrap().model;
        let dp = Dataplane::compile(&m);
        for both_ways in [false, true] {
            let opts = MatrixOptions {
                both_ways,
                ..MatrixOptions::default()
            };
            let fast = mcompute(&dp, &m, &opts);
            let slow = mcompute(
                &dp,
                &m,
                &MatrixOptions {
                    engine: Engine::PerPair,
                    ..opts
                },
            );
            assert_eq!(fast, slow);
            assert_eq!(
                serde_json::to_string(&fast).unwrap(),
                serde_json::to_string(&slow).unwrap()
            );
        }
    }

    #[test]
    fn flows_are_the_matrix_flows() {
        let m = crate::ingest::load_reference().unwrap().model;
        let opts = MatrixOptions::default();
        let eps = endpoints(&m, None);
        let f = Flows::new(&m, &eps, &opts);
        for i in 0..eps.len() {
            for j in 0..eps.len() {
                let flow = flow_for(&m, &eps[i], &eps[j], &opts);
                assert_eq!(f.flow(i, j), flow);
                assert_eq!(f.hash(i, j), flow.symmetric_hash());
            }
        }
    }

    #[test]
    fn small_and_large_cells_transpose_alike() {
        // 3 sources x 3 destinations, column 1 (sources 0 and 2), local numbers 0..300.
        let local: Vec<u32> = vec![299, 7];
        let map: Vec<u32> = (0..300).map(|o| o * 2).collect();
        let small = Cells::new(local.iter().map(|o| o % 256).collect(), 256);
        let large = Cells::new(local.clone(), 300);
        assert!(matches!(&small, Cells::Small(v) if v == &[43, 7]));
        let Cells::Large(v) = &large else {
            panic!("300 outcomes need 4-byte cells");
        };
        let mut got = vec![0u32; 6];
        transpose(&mut got, 2, 0..3, 1, v, &map);
        // Row s holds destinations other than s: (0,1) is row 0 col 0, (2,1) row 2 col 1.
        assert_eq!(got, vec![598, 0, 0, 0, 0, 14]);
        let Cells::Small(v) = &small else {
            unreachable!()
        };
        let mut got = vec![0u32; 4];
        transpose(&mut got, 2, 1..3, 1, v, &map);
        assert_eq!(got, vec![0, 0, 0, 14]);
    }

    #[test]
    fn fastmod_edge_cases() {
        for d in [
            1,
            2,
            3,
            7,
            1 << 20,
            1_000_000,
            u64::MAX / 3,
            1 << 63,
            u64::MAX,
        ] {
            for a in [0, 1, 2, d - 1, d, d.wrapping_add(1), u64::MAX - 1, u64::MAX] {
                assert_eq!(FastMod::new(d).rem(a), a % d, "{a} % {d}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn fastmod_is_the_remainder(a: u64, d in 1u64.., small in 1u64..=1_000_000) {
            proptest::prop_assert_eq!(FastMod::new(d).rem(a), a % d);
            proptest::prop_assert_eq!(FastMod::new(small).rem(a), a % small);
        }
    }

    fn arb_net() -> impl proptest::strategy::Strategy<Value = IpNet> {
        use proptest::prelude::*;
        prop_oneof![
            (any::<u32>(), 0u8..=32).prop_map(|(a, l)| {
                IpNet::V4(ipnet::Ipv4Net::new(a.into(), l).unwrap()).trunc()
            }),
            // Few distinct high bits, so that IPv6 prefixes nest.
            (0u128..4, any::<u64>(), 0u8..=128).prop_map(|(h, a, l)| {
                let v = (h << 126) | u128::from(a);
                IpNet::V6(ipnet::Ipv6Net::new(v.into(), l).unwrap()).trunc()
            }),
        ]
    }

    proptest::proptest! {
        #[test]
        fn signatures_are_the_containing_prefixes(
            nets in proptest::collection::btree_set(arb_net(), 0..40),
            extra in proptest::collection::vec(arb_net(), 0..30),
        ) {
            let prefixes: Vec<IpNet> = nets.into_iter().collect();
            // Addresses at and around prefix bounds, plus arbitrary ones.
            let mut addrs: Vec<IpAddr> = Vec::new();
            for p in prefixes.iter().chain(&extra) {
                addrs.extend([p.network(), p.broadcast()]);
                match p.broadcast() {
                    IpAddr::V4(b) => addrs.push(IpAddr::V4(u32::from(b).wrapping_add(1).into())),
                    IpAddr::V6(b) => addrs.push(IpAddr::V6(u128::from(b).wrapping_add(1).into())),
                }
            }
            let sigs = signatures(&prefixes, &addrs);
            for (ip, sig) in addrs.iter().zip(&sigs) {
                let want: Vec<u32> = (0..prefixes.len() as u32)
                    .filter(|&k| prefixes[k as usize].contains(ip))
                    .collect();
                proptest::prop_assert_eq!(sig, &want, "{}", ip);
            }
        }

        #[test]
        fn cursor_follows_slots(
            runs in proptest::collection::vec(proptest::collection::btree_set(1u32..60, 0..8), 1..12),
            steps in proptest::collection::vec(0u32..6, 1..40),
            first in 0u32..60,
        ) {
            let sources: Vec<SourcePrefix> = runs
                .iter()
                .map(|r| {
                    let starts: Vec<u32> = std::iter::once(0).chain(r.iter().copied()).collect();
                    let slots = starts.iter().map(|_| Slot::Whole).collect();
                    SourcePrefix { starts, slots }
                })
                .collect();
            let (slots, _) = Slots::new(sources);
            let mut p = first;
            let mut cursor = slots.cursor(p);
            for step in steps {
                for i in 0..runs.len() {
                    proptest::prop_assert_eq!(cursor.at(&slots, i, p), slots.at(i, p));
                }
                p += step;
            }
        }
    }

    #[test]
    fn hash_sides_give_the_flow_hash() {
        use crate::model::Protocol;
        let addrs: Vec<IpAddr> = [
            "10.0.0.1",
            "10.0.0.2",
            "192.168.1.9",
            "2001:db8::1",
            "2001:db8::2",
            "fd00::ff",
        ]
        .iter()
        .map(|a| a.parse().unwrap())
        .collect();
        for &a in &addrs {
            for &b in addrs.iter().filter(|b| b.is_ipv4() == a.is_ipv4()) {
                for (sp, dp) in [(49152, 443), (22, 49152), (443, 443)] {
                    for protocol in [Protocol::Tcp, Protocol::Udp, Protocol::All] {
                        let flow = Flow {
                            src: a,
                            dst: b,
                            protocol,
                            src_port: sp,
                            dst_port: dp,
                        };
                        let (s, d) = (HashSide::new(a, sp), HashSide::new(b, dp));
                        assert_eq!(HashSide::flow_hash(&s, &d, protocol), flow.symmetric_hash());
                    }
                }
            }
        }
    }

    #[test]
    fn sources_share_classes_per_column() {
        let m = crate::ingest::load_reference().unwrap().model;
        let dp = Dataplane::compile(&m);
        let opts = MatrixOptions::default();
        let eps = endpoints(&m, None);
        let f = Flows::new(&m, &eps, &opts);
        let c = source_classes(&dp, &m, &eps, &f, &opts);
        // Columns differ in the firewall rules active for them.
        assert!(c.sets.len() > 1);
        for j in 0..eps.len() {
            assert!((0..eps.len()).all(|i| (c.of(i, j) as usize) < c.count(j)));
            // Fewer classes than sources (sharing happens), more than one (filters differ).
            assert!(c.count(j) > 1 && c.count(j) < eps.len(), "column {j}");
        }
        assert!(hash_modulus(&dp, &m) > 0);
    }
}
