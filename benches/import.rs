//! Import of an AWS `describe-*` snapshot of a generated estate, compared with a plain
//! `serde_json` parse of the same files.
//!
//! `LZTWIN_BENCH_VPCS=2000 cargo bench --bench import` (default 2,000 workload VPCs).
//!
//! Outside the measurement, the bench generates the estate with `lztwin generate`'s
//! generator (3 AZs, 3 subnets per VPC, seed 1) and writes it with the AWS snapshot
//! exporter (`lztwin export --format aws-snapshot`) into a temporary directory. It then
//! times, both reading the files from disk (warm page cache):
//!
//! - `import/N`: `lztwin::ingest::load(DIR)`, the entry point the CLI uses for a directory
//!   INPUT (layout discovery, reads, JSON parse, dispatch, build, validation);
//! - `serde-json-value/N`: reading every JSON file the importer reads and parsing it with
//!   `serde_json::from_slice::<serde_json::Value>`.
//!
//! BENCHMARKS.md reports `import / serde-json-value` (goal ≤ 3×).

use criterion::{criterion_group, criterion_main, Criterion};
use lztwin::ingest::aws::export::export_snapshot;
use lztwin::ingest::aws::layout::discover;
use lztwin::ingest::synthetic::{generate, SyntheticOptions};

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("LZTWIN_BENCH_VPCS")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(2000);
    let model = generate(&SyntheticOptions {
        vpcs: n,
        ..SyntheticOptions::default()
    })
    .expect("generated estate");
    let tmp = tempfile::tempdir().expect("temporary directory");
    export_snapshot(&model, tmp.path()).expect("snapshot written");
    let dir = tmp.path().to_string_lossy().to_string();
    let (files, _) = discover(tmp.path()).expect("snapshot layout");
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0))
        .sum();
    let loaded = lztwin::ingest::load(&dir).expect("snapshot imports");
    eprintln!(
        "{n} VPCs: {} files, {:.1} MiB, {} VPCs / {} interfaces imported, {} warnings",
        files.len(),
        bytes as f64 / (1024.0 * 1024.0),
        loaded.model.vpcs.len(),
        loaded.model.network_interfaces.len(),
        loaded.warnings.len()
    );

    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.bench_function(format!("import/{n}"), |b| {
        b.iter(|| lztwin::ingest::load(&dir).map(|l| l.model.vpcs.len()))
    });
    g.bench_function(format!("serde-json-value/{n}"), |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| {
                    let buf = std::fs::read(&f.path).expect("readable file");
                    match serde_json::from_slice::<serde_json::Value>(&buf) {
                        Ok(serde_json::Value::Object(m)) => m.len(),
                        Ok(serde_json::Value::Array(a)) => a.len(),
                        _ => 0,
                    }
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
