//! Walks that report which objects their hops touched, for incremental failure sweeps
//! (`crate::analysis::failures::incremental`): the same walks as [`super::summarize`],
//! without explanations, with each hop's name, AWS id and AZ handed to a caller's map.

use super::{Endpoint, Summary};
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
    let (fwd, ret, mut touched) = super::summarize_with(dp, src, flow, both_ways, Some(touch));
    touched.sort_unstable();
    touched.dedup();
    (fwd, ret, touched)
}
