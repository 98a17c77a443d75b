//! One trace on a large generated estate.
//!
//! `cargo bench --bench trace`. The estate is `lztwin generate`'s landing zone with
//! `LZTWIN_BENCH_VPCS` workload VPCs (default 2,000), 3 AZs and 3 subnets per VPC; the
//! dataplane is compiled once, outside the measurement. Benchmarks:
//!
//! - `trace/inspected-east-west`: one forward trace between two workloads of different
//!   VPCs that passes the TGW and the inspection firewall (the longest common path);
//! - `trace/inspected-east-west-both-ways`: the same with its reply;
//! - `trace/sample-100`: 100 fixed pairs of endpoints (any verdict), forward only.
//!
//! Before measuring it prints the hops of the benchmarked flow and the mean hops per
//! trace over the sample (the figures of BENCHMARKS.md, section "trace").

use criterion::{criterion_group, criterion_main, Criterion};
use lztwin::dataplane::Dataplane;
use lztwin::ingest::synthetic::{generate, SplitMix64, SyntheticOptions};
use lztwin::model::Protocol;
use lztwin::sim::endpoint::all_endpoints;
use lztwin::sim::{flow_between, trace, Endpoint, Flow, TraceOptions};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let vpcs: usize = std::env::var("LZTWIN_BENCH_VPCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let m = generate(&SyntheticOptions {
        vpcs,
        accounts: None,
        azs: 3,
        subnets_per_vpc: 3,
        seed: 1,
    })
    .expect("valid generator options");
    let dp = Dataplane::compile(&m);
    let eps = all_endpoints(&m);
    let workloads: Vec<&Endpoint> = eps
        .iter()
        .filter(|e| matches!(e, Endpoint::Interface { .. }))
        .collect();
    assert!(workloads.len() >= 2, "the estate has workloads");

    // The benchmarked flow: the first pair (first workload to later ones) that is
    // accepted after inspection by a firewall.
    let src = workloads[0];
    let fwd = TraceOptions { both_ways: false };
    let (dst, flow): (&Endpoint, Flow) = workloads[1..]
        .iter()
        .rev()
        .map(|d| (*d, flow_between(&m, src, d, Protocol::Tcp, 49152, 443)))
        .find(|(d, f)| {
            let t = trace(&dp, src, d, f, &fwd);
            t.verdict == lztwin::sim::Verdict::Accepted && !t.inspected_by.is_empty()
        })
        .unwrap_or_else(|| {
            let d = workloads[workloads.len() - 1];
            (d, flow_between(&m, src, d, Protocol::Tcp, 49152, 443))
        });
    let t = trace(&dp, src, dst, &flow, &TraceOptions { both_ways: true });
    let reply_hops = t.return_trace.as_ref().map_or(0, |r| r.hops.len());
    eprintln!(
        "trace bench: {vpcs} VPCs, {} interfaces; flow {} -> {}: {} ({} hops, reply {} {} hops)",
        m.network_interfaces.len(),
        flow.src,
        flow.dst,
        t.verdict.as_str(),
        t.hops.len(),
        t.return_trace.as_ref().map_or("-", |r| r.verdict.as_str()),
        reply_hops
    );

    // A fixed sample of 100 pairs (seeded), for the mean hops per trace.
    let mut rng = SplitMix64::new(7);
    let sample: Vec<(&Endpoint, &Endpoint, Flow)> = (0..100)
        .map(|_| {
            let a = &eps[rng.below(eps.len())];
            let b = &eps[rng.below(eps.len())];
            (a, b, flow_between(&m, a, b, Protocol::Tcp, 49152, 443))
        })
        .collect();
    let total_hops: usize = sample
        .iter()
        .map(|(a, b, f)| trace(&dp, a, b, f, &fwd).hops.len())
        .sum();
    eprintln!(
        "trace bench: sample of {}: {:.1} hops per trace on average",
        sample.len(),
        total_hops as f64 / sample.len() as f64
    );

    let mut g = c.benchmark_group("trace");
    g.bench_function("inspected-east-west", |b| {
        b.iter(|| trace(&dp, black_box(src), dst, black_box(&flow), &fwd))
    });
    g.bench_function("inspected-east-west-both-ways", |b| {
        b.iter(|| {
            trace(
                &dp,
                black_box(src),
                dst,
                black_box(&flow),
                &TraceOptions { both_ways: true },
            )
        })
    });
    g.bench_function("sample-100", |b| {
        b.iter(|| {
            sample
                .iter()
                .map(|(a, d, f)| trace(&dp, a, d, f, &fwd).hops.len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
