//! Walks that report which objects their hops touched, for incremental failure sweeps
//! (`crate::analysis::failures::incremental`): the same walks as [`super::summarize`],
//! without explanations, with each hop's name, AWS id and AZ handed to a caller's map.

use super::walk::{End, Walk};
use super::{Endpoint, Summary, Verdict};
use crate::dataplane::{Dataplane, Flow};

/// [`super::summarize`] that also hands every hop's name, AWS id and AZ (both directions)
/// to `touch`, and returns the forward summary, the reply's, and the values `touch`
/// returned (sorted, without repeats).
pub fn summarize_touching(
    dp: &Dataplane,
    src: &Endpoint,
    flow: &Flow,
    both_ways: bool,
    touch: &(dyn Fn(&str) -> Option<u32> + Sync),
) -> (Summary, Option<Summary>, Vec<u32>) {
    let mut w = Walk::new(dp, *flow, None, false);
    w.touch = Some(touch);
    let (verdict, reason) = split(w.start(src));
    let mut touched = std::mem::take(&mut w.touched);
    let ret = if both_ways && verdict.is_success() {
        // The reply, as `super::walk_reply` starts it: from where the forward walk
        // ended, addressed to the source as the destination saw it.
        let rflow = w.pkt.reversed();
        let mut r = Walk::new(dp, rflow, Some(&w.state), false);
        r.touch = Some(touch);
        r.origin = w.pkt_at_start;
        let start = match w.end {
            End::Interface(eni) => Some(Endpoint::Interface { eni, ip: rflow.src }),
            End::Internet => Some(Endpoint::Internet { ip: rflow.src }),
            End::Site(Some(site)) => Some(Endpoint::OnPrem {
                site,
                ip: rflow.src,
            }),
            End::Site(None) | End::None | End::VpnTunnel(..) => None,
        };
        let (v, why) = match (&start, w.end) {
            (Some(s), _) => split(r.start(s)),
            (None, End::VpnTunnel(g, c)) => split(r.vpn_tunnel_reply(g, c)),
            (None, _) => (Verdict::Unreachable, Some("UNKNOWN_RESOURCE".to_string())),
        };
        touched.append(&mut r.touched);
        Some(Summary {
            verdict: v,
            reason: why,
            hops: r.nhops,
            inspected_by: r.inspected,
            hash_after_translation: r.tainted,
        })
    } else {
        None
    };
    touched.sort_unstable();
    touched.dedup();
    (
        Summary {
            verdict,
            reason,
            hops: w.nhops,
            inspected_by: w.inspected,
            hash_after_translation: w.tainted,
        },
        ret,
        touched,
    )
}

fn split(o: Result<Verdict, (Verdict, &'static str)>) -> (Verdict, Option<String>) {
    match o {
        Ok(v) => (v, None),
        Err((v, code)) => (v, Some(code.to_string())),
    }
}
