//! Packet-path simulation: walk one flow hop by hop through the [`Dataplane`] as AWS
//! forwards it, explain every decision, and follow the reply back.
//!
//! Imports [`crate::dataplane`] and [`crate::model`].

pub mod endpoint;
pub mod segment;
mod walk;

pub use crate::dataplane::Flow;
pub use endpoint::{resolve_endpoint, Endpoint};

use crate::dataplane::Dataplane;
use serde::{Deserialize, Serialize};
use walk::{End, Walk};

/// The outcome of a trace (stable vocabulary of `lztwin trace --format json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Delivered to the destination ENI.
    Accepted,
    /// Left the modelled network toward the Internet or an on-prem site.
    ExitsNetwork,
    /// Dropped by a filter: security group, NACL, firewall rule.
    Denied,
    /// No route matched.
    NoRoute,
    /// A blackhole route matched.
    Blackhole,
    /// The flow entered a forwarding loop.
    Loop,
    /// Dropped for another reason (AZ restriction, gateway rule, asymmetric state, …).
    Unreachable,
}

impl Verdict {
    /// Whether the flow got through (accepted or exits the network).
    pub fn is_success(self) -> bool {
        matches!(self, Verdict::Accepted | Verdict::ExitsNetwork)
    }

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::ExitsNetwork => "exits-network",
            Verdict::Denied => "denied",
            Verdict::NoRoute => "no-route",
            Verdict::Blackhole => "blackhole",
            Verdict::Loop => "loop",
            Verdict::Unreachable => "unreachable",
        }
    }
}

/// One hop of a trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    /// Component kind (`network-interface`, `subnet`, `route-table`, `tgw-attachment`, …).
    pub kind: String,
    /// AWS id, or the name when no id is known.
    pub id: String,
    /// Name in the model.
    pub name: String,
    /// Owning account (name).
    pub account: Option<String>,
    /// Availability zone, where one applies.
    pub az: Option<String>,
    /// What happened here (`forward`, `accept`, `deny`, `snat`, …).
    pub action: String,
    /// The route or rule that decided.
    pub detail: String,
}

/// A trace of one direction of a flow (stable JSON contract of `lztwin trace`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    /// The flow as it left the source.
    pub flow: Flow,
    /// Outcome.
    pub verdict: Verdict,
    /// Reachability Analyzer explanation code (or a project code in the same style).
    pub reason: Option<String>,
    /// The hops, in order.
    pub hops: Vec<Hop>,
    /// Ids of the firewall endpoints, GWLB endpoints or appliances the flow passed.
    pub inspected_by: Vec<String>,
    /// The reply (with `--both-ways`); `None` when not asked or the forward failed.
    #[serde(rename = "return")]
    pub return_trace: Option<Box<Trace>>,
}

/// Options of a trace.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TraceOptions {
    /// Also trace the reply (through the state the forward direction created).
    pub both_ways: bool,
}

/// The flow analysed from `src` to `dst`: an interface sends from its private address;
/// an interface is addressed by its public (Elastic) IP when the source is on the
/// Internet (the only way the Internet reaches it), by its private address otherwise.
pub fn flow_between(
    m: &crate::model::Model,
    src: &Endpoint,
    dst: &Endpoint,
    protocol: crate::model::Protocol,
    src_port: u16,
    dst_port: u16,
) -> Flow {
    let dst_ip = match (src, dst) {
        (Endpoint::Internet { .. }, Endpoint::Interface { eni, ip }) => m
            .network_interfaces
            .get(*eni)
            .and_then(|e| e.public_ip)
            .map(std::net::IpAddr::V4)
            .unwrap_or(*ip),
        (_, d) => d.ip(),
    };
    let src_ip = match src {
        Endpoint::Interface { eni, ip } => m
            .network_interfaces
            .get(*eni)
            .and_then(|e| {
                e.private_ips
                    .iter()
                    .find(|p| p.is_ipv4() == dst_ip.is_ipv4())
                    .copied()
            })
            .unwrap_or(*ip),
        s => s.ip(),
    };
    Flow {
        src: src_ip,
        dst: dst_ip,
        protocol,
        src_port,
        dst_port,
    }
}

/// Trace `flow` from `src` to `dst` through `dp`: the forward direction hop by hop and,
/// with `opts.both_ways`, the reply through the state the forward direction created
/// (security groups, firewall endpoints, NAT translations).
///
/// `dst` names the intended destination; the walk itself follows `flow.dst`, and the
/// verdict says what happened to the packet. `flow.src` should be an address of `src`.
pub fn trace(
    dp: &Dataplane,
    src: &Endpoint,
    _dst: &Endpoint,
    flow: &Flow,
    opts: &TraceOptions,
) -> Trace {
    let mut w = Walk::new(dp, *flow, None, true);
    let (verdict, reason) = split(w.start(src));
    let return_trace = if opts.both_ways && verdict.is_success() {
        Some(Box::new(reply(dp, &w)))
    } else {
        None
    };
    Trace {
        flow: *flow,
        verdict,
        reason,
        hops: w.hops,
        inspected_by: w.inspected,
        return_trace,
    }
}

/// The reply of a successful forward walk: from where the forward ended, addressed to
/// the source as the destination saw it (after any NAT).
fn reply(dp: &Dataplane, fwd: &Walk<'_>) -> Trace {
    let (w, verdict, reason) = walk_reply(dp, fwd, true);
    Trace {
        flow: w.pkt_at_start,
        verdict,
        reason,
        hops: w.hops,
        inspected_by: w.inspected,
        return_trace: None,
    }
}

fn walk_reply<'a>(
    dp: &'a Dataplane,
    fwd: &'a Walk<'_>,
    explain: bool,
) -> (Walk<'a>, Verdict, Option<String>) {
    walk_reply_of(dp, fwd.pkt, fwd.pkt_at_start, &fwd.state, fwd.end, explain)
}

/// The reply of a forward walk that ended with packet `fwd_pkt` at `end`, leaving
/// `state`, having started as `fwd_start`.
fn walk_reply_of<'a>(
    dp: &'a Dataplane,
    fwd_pkt: Flow,
    fwd_start: Flow,
    state: &'a walk::FlowState,
    end: End,
    explain: bool,
) -> (Walk<'a>, Verdict, Option<String>) {
    let mut w = reply_walk(dp, fwd_pkt, fwd_start, state, explain);
    let (verdict, reason) = run_reply(&mut w, end);
    (w, verdict, reason)
}

/// The walk of the reply of a forward walk that ended with packet `fwd_pkt`, leaving
/// `state`, having started as `fwd_start` (not started yet: see [`run_reply`]).
pub(crate) fn reply_walk<'a>(
    dp: &'a Dataplane,
    fwd_pkt: Flow,
    fwd_start: Flow,
    state: &'a walk::FlowState,
    explain: bool,
) -> Walk<'a> {
    let mut w = Walk::new(dp, fwd_pkt.reversed(), Some(state), explain);
    w.origin = fwd_start;
    w
}

/// Run reply walk `w` from where its forward walk ended: addressed to the source as the
/// destination saw it.
pub(crate) fn run_reply(w: &mut Walk<'_>, end: End) -> (Verdict, Option<String>) {
    let rsrc = w.pkt.src;
    let start = match end {
        End::Interface(eni) => Some(Endpoint::Interface { eni, ip: rsrc }),
        End::Internet => Some(Endpoint::Internet { ip: rsrc }),
        End::Site(Some(site)) => Some(Endpoint::OnPrem { site, ip: rsrc }),
        End::Site(None) | End::None | End::VpnTunnel(..) => None,
    };
    split(match (&start, end) {
        (Some(s), _) => w.start(s),
        (None, End::VpnTunnel(g, c)) => w.vpn_tunnel_reply(g, c),
        (None, _) => Err((Verdict::Unreachable, "UNKNOWN_RESOURCE")),
    })
}

/// The summary of the reply of a forward walk (see [`walk_reply_of`]).
pub(crate) fn reply_summary(
    dp: &Dataplane,
    fwd_pkt: &Flow,
    fwd_start: &Flow,
    state: &walk::FlowState,
    end: End,
) -> Summary {
    let (r, verdict, reason) = walk_reply_of(dp, *fwd_pkt, *fwd_start, state, end, false);
    summary_of(r, verdict, reason)
}

/// The outcome of one direction of a flow without the hops' explanations: what a
/// matrix needs, computed by the same walk as [`trace`] without building any string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Verdict.
    pub verdict: Verdict,
    /// Explanation code.
    pub reason: Option<String>,
    /// Number of hops ([`Trace::hops`]`.len()` of the same trace).
    pub hops: u32,
    /// Inspection components passed, in path order.
    pub inspected_by: Vec<String>,
    /// A path choice hashed a translated packet (see [`summarize`]'s users: the fast
    /// matrix engine does not share such an outcome between flows).
    pub hash_after_translation: bool,
    /// The walk consulted a routing entry its dataplane watches
    /// ([`crate::dataplane::Dataplane::watching`]); always `false` without a watch.
    pub watched: bool,
}

/// [`trace`] without explanations: the forward summary and, with `both_ways` and a
/// successful forward direction, the reply's. Equal to the summary of [`trace`]'s result
/// (tests/trace_props.rs holds them equal).
pub fn summarize(
    dp: &Dataplane,
    src: &Endpoint,
    flow: &Flow,
    both_ways: bool,
) -> (Summary, Option<Summary>) {
    let (fwd, ret, _) = summarize_with(dp, src, flow, both_ways, None);
    (fwd, ret)
}

/// [`summarize`], handing every hop of both directions to `touch` when given (see
/// [`touch`]) and returning what it returned, in hop order.
fn summarize_with<'a>(
    dp: &'a Dataplane,
    src: &Endpoint,
    flow: &Flow,
    both_ways: bool,
    touch: Option<walk::Touch<'a>>,
) -> (Summary, Option<Summary>, Vec<u32>) {
    let mut w = Walk::new(dp, *flow, None, false);
    w.touch = touch;
    let (verdict, reason) = split(w.start(src));
    let mut touched = std::mem::take(&mut w.touched);
    let ret = (both_ways && verdict.is_success()).then(|| {
        let mut r = reply_walk(dp, w.pkt, w.pkt_at_start, &w.state, false);
        r.touch = touch;
        let (v, why) = run_reply(&mut r, w.end);
        touched.append(&mut r.touched);
        summary_of(r, v, why)
    });
    (summary_of(w, verdict, reason), ret, touched)
}

/// The summary of a finished walk.
fn summary_of(w: Walk<'_>, verdict: Verdict, reason: Option<String>) -> Summary {
    Summary {
        verdict,
        reason,
        hops: w.nhops,
        inspected_by: w.inspected,
        hash_after_translation: w.tainted,
        watched: w.watched,
    }
}

/// A walk's outcome as (verdict, explanation code).
fn split(o: Result<Verdict, (Verdict, &'static str)>) -> (Verdict, Option<String>) {
    match o {
        Ok(v) => (v, None),
        Err((v, code)) => (v, Some(code.to_string())),
    }
}

impl Trace {
    /// The summary of this trace (one direction).
    pub fn summary(&self) -> Summary {
        Summary {
            verdict: self.verdict,
            reason: self.reason.clone(),
            hops: self.hops.len() as u32,
            inspected_by: self.inspected_by.clone(),
            hash_after_translation: false,
            watched: false,
        }
    }
}

/// Walks that report what they touched (incremental failure sweeps).
pub mod touch;
