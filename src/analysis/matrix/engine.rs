//! The per-pair engine: one [`crate::sim::trace`] per ordered pair of distinct endpoints.
//! Slow (quadratic traces) but obviously right: the reference the fast engine is tested
//! against. Sources run in parallel (rayon); rows are collected in source order, so the
//! result does not depend on the thread count.

use super::{endpoints, flow_for, Matrix, MatrixEndpoint, MatrixOptions, Outcome, Progress};
use crate::dataplane::Dataplane;
use crate::model::Model;
use crate::sim::{trace, TraceOptions};
use rayon::prelude::*;

/// The outcomes of one source row: `(dst index, forward, reply)` for every other endpoint.
pub fn row(
    dp: &Dataplane,
    eps: &[MatrixEndpoint],
    src: usize,
    opts: &MatrixOptions,
) -> Vec<(u32, Outcome, Option<Outcome>)> {
    let topts = TraceOptions {
        both_ways: opts.both_ways,
    };
    let s = &eps[src];
    eps.iter()
        .enumerate()
        .filter(|(j, _)| *j != src)
        .map(|(j, d)| {
            let t = trace(
                dp,
                &s.endpoint,
                &d.endpoint,
                &flow_for(&dp.model, s, d, opts),
                &topts,
            );
            let ret = if opts.both_ways {
                t.return_trace.as_deref().map(Outcome::from_trace)
            } else {
                None
            };
            (j as u32, Outcome::from_trace(&t), ret)
        })
        .collect()
}

/// Compute the matrix by tracing every pair.
pub fn per_pair(
    dp: &Dataplane,
    model: &Model,
    opts: &MatrixOptions,
    progress: Progress<'_>,
) -> Matrix {
    let eps = endpoints(model, opts.group_by);
    let rows: Vec<_> = (0..eps.len())
        .into_par_iter()
        .map(|i| {
            let r = row(dp, &eps, i, opts);
            progress(1);
            r
        })
        .collect();
    Matrix::from_rows(opts, eps, rows)
}
