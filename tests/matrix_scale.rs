//! Scale check: the fast matrix engine completes on a generated 10,000-VPC estate
//! (the "a 10,000-VPC estate completes on this 2-core, 24 GiB machine").
//!
//! Ignored by default (it needs a release build and a minute); run it with
//! `/usr/bin/time -v cargo test --release --test matrix_scale -- --ignored --nocapture`
//! (BENCHMARKS.md reports its time and peak memory). `LZTWIN_SCALE_VPCS` sets the size.

use lztwin::analysis::matrix::{compute, MatrixOptions};
use lztwin::dataplane::Dataplane;
use lztwin::ingest::synthetic::{generate, SyntheticOptions};
use std::time::Instant;

#[test]
#[ignore = "scale check: run explicitly with --release --ignored"]
fn fast_matrix_completes_on_a_10000_vpc_estate() {
    let vpcs: usize = std::env::var("LZTWIN_SCALE_VPCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let t = Instant::now();
    let model = generate(&SyntheticOptions {
        vpcs,
        ..SyntheticOptions::default()
    })
    .expect("generated estate");
    let dp = Dataplane::compile(&model);
    let compiled = t.elapsed();
    let t = Instant::now();
    let m = compute(&dp, &model, &MatrixOptions::default());
    let took = t.elapsed();
    let n = m.endpoints.len();
    assert_eq!(m.cell_count(), n * (n - 1));
    let (total, reachable, inspected) = m.totals();
    assert!(reachable > 0 && inspected > 0 && reachable < total);
    println!(
        "{vpcs} VPCs: {n} endpoints, {total} cells ({reachable} reachable, {inspected} inspected); \
         generate+compile {compiled:.2?}, matrix {took:.2?}"
    );
}
