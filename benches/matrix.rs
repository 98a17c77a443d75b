//! Reachability matrix on generated estates: the fast engine on the whole matrix, and the
//! per-pair reference engine on a sample of source rows (scaled to the whole matrix in
//! BENCHMARKS.md).
//!
//! `LZTWIN_BENCH_VPCS=100,500 cargo bench --bench matrix` (default sizes 100 and 500;
//! add 2000 for the target size).

use criterion::{criterion_group, criterion_main, Criterion};
use lztwin::analysis::matrix::{compute, endpoints, engine, Engine, MatrixOptions};
use lztwin::dataplane::Dataplane;
use lztwin::ingest::synthetic::{generate, SyntheticOptions};

/// Source rows the per-pair engine traces per iteration.
const SAMPLE_ROWS: usize = 4;

fn bench(c: &mut Criterion) {
    let sizes: Vec<usize> = std::env::var("LZTWIN_BENCH_VPCS")
        .unwrap_or_else(|_| "100,500".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let mut g = c.benchmark_group("matrix");
    g.sample_size(10);
    for n in sizes {
        let model = generate(&SyntheticOptions {
            vpcs: n,
            ..SyntheticOptions::default()
        })
        .expect("generated estate");
        let dp = Dataplane::compile(&model);
        let opts = MatrixOptions::default();
        let eps = endpoints(&model, None);
        eprintln!(
            "{n} VPCs: {} endpoints, {} cells",
            eps.len(),
            eps.len() * (eps.len() - 1)
        );
        g.bench_function(format!("generate/{n}"), |b| {
            b.iter(|| {
                generate(&SyntheticOptions {
                    vpcs: n,
                    ..SyntheticOptions::default()
                })
            })
        });
        g.bench_function(format!("fast/{n}"), |b| {
            b.iter(|| {
                compute(
                    &dp,
                    &model,
                    &MatrixOptions {
                        engine: Engine::Fast,
                        ..opts
                    },
                )
            })
        });
        // The same on dedicated pools of 1 and 2 threads (the 2-threads target).
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("thread pool");
            g.bench_function(format!("fast-{threads}-thread/{n}"), |b| {
                b.iter(|| pool.install(|| compute(&dp, &model, &opts)))
            });
        }
        // Per-pair on a few evenly spaced source rows; × endpoints / SAMPLE_ROWS for the
        // whole matrix.
        let step = (eps.len() / SAMPLE_ROWS).max(1);
        g.bench_function(format!("per-pair-{SAMPLE_ROWS}-rows/{n}"), |b| {
            b.iter(|| {
                (0..SAMPLE_ROWS)
                    .map(|k| engine::row(&dp, &eps, (k * step) % eps.len(), &opts).len())
                    .sum::<usize>()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
