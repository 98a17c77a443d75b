//! Failure sweeps and diff on `lztwin generate`'s landing zone.
//!
//! `LZTWIN_BENCH_VPCS=2000 cargo bench --bench failures` (default 2,000 workload VPCs,
//! 3 AZs, 3 subnets per VPC, seed 1). Components: every AZ, TGW attachment and firewall
//! endpoint (`lztwin failures --fail az,attachment,firewall-endpoint`), tcp/443.
//!
//! At 2,000 VPCs (about 6.4 million flows) a full recomputation takes about a second
//! with the fast matrix engine (and ten or more walking every flow), and the whole sweep
//! has 2,016 scenarios: too long for criterion's samples. So the bench measures once
//! (wall clock, printed): the baseline (every flow walked, with the component → flows
//! index); the incremental evaluation of a seeded sample of scenarios of each class
//! (`Baseline::evaluate`); the whole incremental single-failure sweep, class by class, as
//! `lztwin failures` runs it (`Baseline::evaluate_all`); one full recomputation per class
//! with the fastest engine (`diff::cell_table` with the failure applied: the fast matrix
//! engine both ways), checked to give the incremental result; the per-scenario ratios;
//! the diff of two estates that differ in one route, one cell table and one fast-engine
//! matrix. It also prints how many flows each class's scenarios can change (exact, from
//! the index). Criterion then times the incremental evaluation of the sampled attachment
//! scenarios, and with `LZTWIN_BENCH_VPCS` ≤ 300 also the full recomputations (walking
//! every flow, and with the fast engine), the diff and one matrix.

use criterion::{criterion_group, criterion_main, Criterion};
use lztwin::analysis::diff::{cell_table, diff_models};
use lztwin::analysis::failures::incremental::Baseline;
use lztwin::analysis::failures::{components, FailureClass, SweepOptions};
use lztwin::analysis::matrix::{self, Engine, MatrixOptions};
use lztwin::dataplane::{Dataplane, FailureSet};
use lztwin::ingest::synthetic::{generate, SplitMix64, SyntheticOptions};
use lztwin::model::{RouteState, RouteTarget};
use std::time::Instant;

/// Sampled scenarios per class (seeded).
const SAMPLE: [(FailureClass, usize); 3] = [
    (FailureClass::Az, 1),
    (FailureClass::Attachment, 8),
    (FailureClass::FirewallEndpoint, 2),
];

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

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
    let classes = [
        FailureClass::Az,
        FailureClass::Attachment,
        FailureClass::FirewallEndpoint,
    ];
    let comps = components(&model, &classes);
    let service = SweepOptions::default().service;
    let t = Instant::now();
    let base = Baseline::compute(&model, service, &comps);
    let t_base = secs(t);
    let e = base.endpoints();
    let flows = e * (e - 1);
    eprintln!(
        "{n} VPCs: {e} endpoints, {flows} flows, {} components; baseline {t_base:.1} s, index {} entries ({:.0} MiB)",
        comps.len(),
        base.index_entries(),
        base.index_entries() as f64 * 4.0 / 1048576.0
    );

    // Whole sweep: flows each scenario walks again incrementally (exact).
    let mut total_affected = 0usize;
    for class in classes {
        let (mut k, mut sum, mut max) = (0usize, 0usize, 0usize);
        for comp in comps.iter().filter(|x| x.class == class) {
            let a = base.affected(std::slice::from_ref(&comp.name)).len();
            k += 1;
            sum += a;
            max = max.max(a);
        }
        total_affected += sum;
        eprintln!(
            "  {}: {k} scenarios, flows walked again: {sum} in all, {:.0} on average, {max} at most",
            class.as_str(),
            sum as f64 / k.max(1) as f64
        );
    }
    let scenarios = comps.len();
    eprintln!(
        "  whole sweep: {total_affected} flows walked incrementally vs {} by full recomputation ({:.0}x fewer)",
        scenarios * flows,
        (scenarios * flows) as f64 / total_affected.max(1) as f64
    );

    // Seeded sample per class.
    let mut rng = SplitMix64::new(1);
    let mut sample: Vec<(FailureClass, Vec<String>)> = Vec::new();
    for (class, k) in SAMPLE {
        let of: Vec<&String> = comps
            .iter()
            .filter(|x| x.class == class)
            .map(|x| &x.name)
            .collect();
        let mut picked: Vec<usize> = Vec::new();
        while picked.len() < k.min(of.len()) {
            let i = rng.below(of.len());
            if !picked.contains(&i) {
                picked.push(i);
                sample.push((class, vec![of[i].clone()]));
            }
        }
    }
    for (class, failed) in &sample {
        let a = base.affected(failed).len();
        let t = Instant::now();
        let r = base.evaluate(&model, failed, 5);
        eprintln!(
            "  incremental {} {}: {a} flows walked again, {:.3} s (lost {}, lost inspection {})",
            class.as_str(),
            failed[0],
            secs(t),
            r.lost,
            r.lost_inspection
        );
    }
    // The whole single-failure sweep, incrementally, as `lztwin failures` runs it
    // (`Baseline::evaluate_all`), timed class by class. LZTWIN_BENCH_SWEEP=0 skips it.
    let skip = std::env::var("LZTWIN_BENCH_SWEEP").is_ok_and(|v| v == "0");
    let mut t_sweep = 0.0;
    let mut sweep_class: Vec<(FailureClass, usize, f64)> = Vec::new();
    if !skip {
        for class in classes {
            let all: Vec<Vec<String>> = comps
                .iter()
                .filter(|x| x.class == class)
                .map(|x| vec![x.name.clone()])
                .collect();
            let t = Instant::now();
            let lost: usize = base
                .evaluate_all(&model, &all, 5, &|_, r| r.lost)
                .into_iter()
                .sum();
            let s = secs(t);
            t_sweep += s;
            sweep_class.push((class, all.len(), s));
            eprintln!(
                "  incremental sweep, {}: {} scenarios in {s:.2} s ({:.4} s each; {lost} flows lost in all)",
                class.as_str(),
                all.len(),
                s / all.len().max(1) as f64
            );
        }
        eprintln!("  whole incremental sweep: {scenarios} scenarios in {t_sweep:.1} s");
    }
    // Full recomputation per class, the fastest available: the fast matrix engine's
    // round-trip table of every flow with the failure applied (`diff::cell_table`), for
    // the first sampled scenario of each class. The bench checks that comparing it with
    // the baseline gives the incremental result.
    let mut t_full_sum = 0.0;
    let mut fulls = 0;
    let mut full_class: Vec<(FailureClass, f64)> = Vec::new();
    for class in classes {
        let Some((_, failed)) = sample.iter().find(|(c, _)| *c == class) else {
            continue;
        };
        let fs = FailureSet {
            failed: failed.iter().cloned().collect(),
        };
        let t = Instant::now();
        let table = cell_table(&model, &fs, service);
        let s = secs(t);
        t_full_sum += s;
        fulls += 1;
        full_class.push((class, s));
        let full = base.evaluate_table(failed, &table, 5);
        drop(table);
        let inc = base.evaluate(&model, failed, 5);
        assert_eq!(full, inc, "incremental equals full recomputation");
        eprintln!(
            "  full recomputation (fast engine, one cell table) {} {}: {flows} flows, {s:.2} s",
            class.as_str(),
            failed[0]
        );
    }
    let t_full = t_full_sum / fulls.max(1) as f64;
    if !skip {
        for (class, k, s) in &sweep_class {
            let f = full_class
                .iter()
                .find(|(c, _)| c == class)
                .map_or(t_full, |x| x.1);
            let each = s / (*k).max(1) as f64;
            eprintln!(
                "  {}: {each:.4} s per scenario vs {f:.2} s full ({:.1}x)",
                class.as_str(),
                f / each
            );
        }
        let per_inc = t_sweep / scenarios as f64;
        eprintln!(
            "  per scenario: full recomputation {t_full:.2} s (mean of the classes); incremental {per_inc:.4} s ({:.1}x), or {:.4} s with the baseline spread over the sweep ({:.1}x)",
            t_full / per_inc,
            (t_sweep + t_base) / scenarios as f64,
            t_full * scenarios as f64 / (t_sweep + t_base)
        );
    }

    // Diff of two estates that differ in one route: a workload VPC's default route to
    // the TGW becomes a blackhole.
    let mut changed = model.clone();
    let wl = model
        .vpcs
        .iter()
        .position(|v| v.name.contains("prod"))
        .unwrap_or(model.vpcs.len() - 1);
    let vpc = model.vpcs[wl].name.clone();
    if let Some(r) = changed
        .route_tables
        .iter_mut()
        .filter(|t| t.vpc == vpc)
        .flat_map(|t| t.routes.iter_mut())
        .find(|r| matches!(r.target, RouteTarget::TransitGateway(_)))
    {
        r.state = RouteState::Blackhole;
    }
    let none = FailureSet::default();
    let t = Instant::now();
    let d = diff_models(&model, &none, &changed, &none, service);
    let t_diff = secs(t);
    let t = Instant::now();
    let ct = cell_table(&model, &none, service);
    let t_table = secs(t);
    drop(ct);
    let dp = Dataplane::compile(&model);
    let mopts = MatrixOptions {
        engine: Engine::Fast,
        ..MatrixOptions::default()
    };
    let t = Instant::now();
    let mx = matrix::compute(&dp, &model, &mopts);
    let t_matrix = secs(t);
    drop(mx);
    eprintln!(
        "  diff (route of {vpc} blackholed: {} changes, {} lost): {t_diff:.1} s; one cell table {t_table:.1} s ({:.2}x); one fast matrix {t_matrix:.1} s ({:.2}x)",
        d.changes.len(),
        d.summary.lost,
        t_diff / t_table,
        t_diff / t_matrix
    );

    let mut g = c.benchmark_group(format!("failures-{n}"));
    g.sample_size(10);
    let atts: Vec<&Vec<String>> = sample
        .iter()
        .filter(|(c, _)| *c == FailureClass::Attachment)
        .map(|(_, f)| f)
        .collect();
    g.bench_function(
        format!("incremental-{}-sampled-attachments", atts.len()),
        |b| {
            b.iter(|| {
                atts.iter()
                    .map(|f| base.evaluate(&model, f, 5).lost)
                    .sum::<usize>()
            })
        },
    );
    if n <= 300 {
        if let Some(f) = atts.first() {
            g.bench_function("full-recomputation-walk-1-attachment", |b| {
                b.iter(|| base.evaluate_full(&model, f, 5).lost)
            });
            let fs = FailureSet {
                failed: f.iter().cloned().collect(),
            };
            g.bench_function("full-recomputation-fast-1-attachment", |b| {
                b.iter(|| cell_table(&model, &fs, service).cells.len())
            });
        }
        g.bench_function("diff-one-route", |b| {
            b.iter(|| {
                diff_models(&model, &none, &changed, &none, service)
                    .summary
                    .lost
            })
        });
        g.bench_function("one-cell-table", |b| {
            b.iter(|| cell_table(&model, &none, service).cells.len())
        });
        g.bench_function("one-fast-matrix", |b| {
            b.iter(|| matrix::compute(&dp, &model, &mopts).cell_count())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
