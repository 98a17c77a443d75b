//! Walks that report which objects their hops touched, for incremental failure sweeps
//! (`crate::analysis::failures::incremental`): the same walks as [`super::summarize`],
//! without explanations, with each hop's name, AWS id and AZ handed to a caller's map.

use super::walk::Walk;
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
        // The reply, as `super::walk_reply` runs it, with the hook set.
        let mut r = super::reply_walk(dp, w.pkt, w.pkt_at_start, &w.state, false);
        r.touch = Some(touch);
        let (v, why) = super::run_reply(&mut r, w.end);
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
