//! Walks cut in two where a packet arrives at a transit gateway, so that a matrix can
//! share each half between many flows.
//!
//! A walk is deterministic: each step looks only at the forwarding context it is in and at
//! the packet. Cutting it where the packet arrives at a Transit Gateway attachment gives
//! two halves that depend on less than the whole flow:
//!
//! - the **prefix** (source interface → its subnet's route table → the attachment) looks at
//!   the destination only through the prefixes of the source VPC's route tables, network
//!   ACLs and the source's security groups; a [`prefix`] walk gives up ([`Prefix::Abort`])
//!   at any other step (delivery, gateways, appliances, peering);
//! - the **suffix** starts at the transit gateway route table associated with the arriving
//!   attachment, in the AZ the packet arrived in ("the route table associated with the
//!   attachment ... determines the next hop", and AZ affinity keeps the AZ,
//!   <https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html>). It
//!   looks at the source address only through security-group, network-ACL and firewall
//!   rule prefixes — unless [`Suffix::shareable`] says otherwise — and at the flow hash.
//!
//! The caller (`crate::analysis::matrix::fast`) decides when two flows are alike for a
//! half; this module only runs the halves and joins them.

pub(crate) use super::walk::Dep;
use super::walk::{End, FlowState, Segment, Walk, ABORT, CUT, MAX_STEPS};
use super::{Endpoint, Summary, Verdict};
use crate::dataplane::{Dataplane, Flow};

/// Where a prefix walk stopped at a transit gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cut {
    /// The transit gateway route table associated with the arriving attachment.
    pub rtb: usize,
    /// The AZ the packet arrived in.
    pub az: Option<String>,
    /// Hops of the prefix.
    pub hops: u32,
    /// Steps of the prefix (the loop guard counts them).
    pub steps: usize,
    /// The forwarding contexts the prefix visited, as (kind, index).
    pub seen: Vec<(u8, usize)>,
    /// A 64-bit Bloom filter of `seen` (see [`Suffix::joins`]).
    pub seen_mask: u64,
    /// The prefix consulted a watched routing entry
    /// ([`crate::dataplane::Dataplane::watching`]).
    pub watched: bool,
}

/// The bit of a forwarding context in a 64-bit Bloom filter of contexts.
fn context_bit(k: &(u8, usize)) -> u64 {
    let h = (k.1 as u64)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(u64::from(k.0));
    1u64 << (h >> 58)
}

fn mask(seen: &[(u8, usize)]) -> u64 {
    seen.iter().fold(0, |m, k| m | context_bit(k))
}

/// The result of a [`prefix`] walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prefix {
    /// The walk needed more than the source VPC's tables: walk the flow whole.
    Abort,
    /// The walk ended in the source VPC (denied, no route, blackhole, …).
    Done {
        /// Verdict.
        verdict: Verdict,
        /// Explanation code.
        reason: Option<&'static str>,
        /// Hops.
        hops: u32,
        /// The walk consulted a watched routing entry.
        watched: bool,
    },
    /// The packet reached a transit gateway.
    Cut(Cut),
}

/// Walk `flow` from `src` up to the first transit gateway it reaches.
pub fn prefix(dp: &Dataplane, src: &Endpoint, flow: &Flow) -> Prefix {
    let mut w = Walk::new(dp, *flow, None, false);
    w.segment = Segment::Prefix;
    match w.start(src) {
        Err((_, code)) if code == ABORT => Prefix::Abort,
        Err((_, code)) if code == CUT => match w.cut.take() {
            Some((rtb, az)) if w.pkt == *flow && !w.hashed && w.inspected.is_empty() => {
                let seen: Vec<(u8, usize)> = w.seen_contexts().collect();
                Prefix::Cut(Cut {
                    rtb,
                    az,
                    hops: w.nhops,
                    steps: w.steps(),
                    seen_mask: mask(&seen),
                    seen,
                    watched: w.watched,
                })
            }
            _ => Prefix::Abort,
        },
        Ok(_) => Prefix::Abort,
        Err((verdict, code)) => Prefix::Done {
            verdict,
            reason: Some(code),
            hops: w.nhops,
            watched: w.watched,
        },
    }
}

/// The rest of a walk from a [`Cut`].
#[derive(Clone, Debug)]
pub struct Suffix {
    /// Verdict.
    pub verdict: Verdict,
    /// Explanation code.
    pub reason: Option<&'static str>,
    /// Hops of the suffix.
    pub hops: u32,
    /// Inspection components passed.
    pub inspected: Vec<String>,
    /// Whether the suffix depends on the flow only through the destination address, the
    /// source address's prefix tests in filters, the ports and the flow hash: the packet
    /// was not translated, no decision used the source address otherwise, and the walk
    /// did not hit the loop guard.
    pub shareable: bool,
    /// Whether a path choice hashed the flow.
    pub hashed: bool,
    /// The cut's AZ and the flow hash, in the order the walk first read them.
    pub(crate) deps: Vec<Dep>,
    /// The suffix consulted a watched routing entry
    /// ([`crate::dataplane::Dataplane::watching`]).
    pub watched: bool,
    steps: usize,
    seen: Vec<(u8, usize)>,
    seen_mask: u64,
    state: FlowState,
    end: End,
}

impl Suffix {
    /// Whether this suffix joins `cut` exactly as the whole walk would: it revisits none
    /// of the prefix's contexts and the two fit under the loop guard's step limit.
    pub fn joins(&self, cut: &Cut) -> bool {
        self.joins_by_mask(cut.steps, cut.seen_mask)
            .unwrap_or_else(|| !self.seen.iter().any(|k| cut.seen.contains(k)))
    }

    /// [`Self::joins`] from the cut's step count and Bloom filter alone; `None` when the
    /// filters overlap and only the exact check on the cut's contexts can tell.
    pub fn joins_by_mask(&self, cut_steps: usize, cut_mask: u64) -> Option<bool> {
        if cut_steps + self.steps > MAX_STEPS {
            Some(false)
        } else if cut_mask & self.seen_mask == 0 {
            Some(true)
        } else {
            None
        }
    }
}

/// Walk `flow` on from `cut`.
pub fn suffix(dp: &Dataplane, cut: &Cut, flow: &Flow) -> Suffix {
    let mut w = Walk::new(dp, *flow, None, false);
    let (verdict, reason) = match w.resume_at_tgw(cut.rtb, cut.az.clone()) {
        Ok(v) => (v, None),
        Err((v, code)) => (v, Some(code)),
    };
    let seen: Vec<(u8, usize)> = w.seen_contexts().collect();
    Suffix {
        verdict,
        reason,
        hops: w.nhops,
        shareable: w.pkt == *flow && !w.src_exact && !w.tainted && verdict != Verdict::Loop,
        hashed: w.hashed,
        deps: std::mem::take(&mut w.deps),
        watched: w.watched,
        steps: w.steps(),
        seen_mask: mask(&seen),
        seen,
        inspected: w.inspected,
        state: w.state,
        end: w.end,
    }
}

/// The reply of a forward walk made of a prefix and `suffix` (the forward packet was not
/// translated: [`Suffix::shareable`]).
pub fn reply(dp: &Dataplane, flow: &Flow, suffix: &Suffix) -> Summary {
    super::reply_summary(dp, flow, flow, &suffix.state, suffix.end)
}
