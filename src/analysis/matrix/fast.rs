//! The fast matrix engine: compile once and share work across pairs (address classes of
//! the dataplane's tables, each (forwarding context, class) resolved once, sources in
//! parallel). Owned by the lead; until it lands it delegates to the per-pair engine, so
//! both engines agree trivially.

use super::{Matrix, MatrixOptions, Progress};
use crate::dataplane::Dataplane;
use crate::model::Model;

/// Compute the matrix of `model` (compiled as `dp`). Must equal
/// [`super::engine::per_pair`] cell for cell (tests/matrix_props.rs).
pub fn compute(
    dp: &Dataplane,
    model: &Model,
    opts: &MatrixOptions,
    progress: Progress<'_>,
) -> Matrix {
    super::engine::per_pair(dp, model, opts, progress)
}
