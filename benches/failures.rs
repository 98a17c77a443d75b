//! Failure sweep: incremental evaluation vs full recomputation per scenario, and diff.
//!
//! `cargo bench --bench failures`. The estate is a hub-and-spoke landing zone of
//! `LZTWIN_BENCH_VPCS` VPCs (default 200) with one workload per VPC over two AZs; the
//! 2,000-VPC figure of BENCHMARKS.md uses the generator of `lztwin generate` once it is
//! on main (set LZTWIN_BENCH_VPCS=2000).

use criterion::{criterion_group, criterion_main, Criterion};
use lztwin::analysis::diff::{diff_models, Service};
use lztwin::analysis::failures::{sweep, FailureClass, SweepOptions};
use lztwin::dataplane::FailureSet;
use lztwin::model::change::{apply_all, Change};
use lztwin::model::{Model, Protocol};

fn estate(vpcs: usize) -> Model {
    let mut v = Vec::new();
    let mut subnets = Vec::new();
    let mut rts = Vec::new();
    let mut atts = Vec::new();
    let mut ifs = Vec::new();
    for i in 0..vpcs {
        let (a, b) = (i / 256, i % 256);
        v.push(
            serde_json::json!({"name": format!("v{i}"), "account": "app", "region": "r",
            "cidrs": [format!("10.{a}.{b}.0/24")]}),
        );
        for (z, az) in ["r-1a", "r-1b"].iter().enumerate() {
            subnets.push(
                serde_json::json!({"name": format!("v{i}-s{z}"), "vpc": format!("v{i}"),
                "az": az, "cidr": format!("10.{a}.{b}.{}/25", z * 128)}),
            );
        }
        rts.push(
            serde_json::json!({"name": format!("v{i}-rt"), "vpc": format!("v{i}"), "main": true,
            "routes": [{"destination": "0.0.0.0/0", "target": {"transit_gateway": "tgw"}}]}),
        );
        atts.push(
            serde_json::json!({"name": format!("att-{i}"), "transit_gateway": "tgw", "type": "vpc",
            "vpc": format!("v{i}"), "subnets": [format!("v{i}-s0"), format!("v{i}-s1")],
            "association": "spoke", "propagations": ["spoke"]}),
        );
        ifs.push(
            serde_json::json!({"name": format!("v{i}-eni"), "subnet": format!("v{i}-s{}", i % 2),
            "private_ips": [format!("10.{a}.{b}.{}", (i % 2) * 128 + 10)]}),
        );
    }
    serde_json::from_value(serde_json::json!({
        "name": "bench",
        "regions": [{"name": "r", "availability_zones": ["r-1a", "r-1b"]}],
        "accounts": [{"name": "net", "environment": "network"}, {"name": "app", "environment": "prod"}],
        "vpcs": v, "subnets": subnets, "route_tables": rts,
        "transit_gateways": [{"name": "tgw", "account": "net", "region": "r"}],
        "transit_gateway_route_tables": [{"name": "spoke", "transit_gateway": "tgw"}],
        "transit_gateway_attachments": atts, "network_interfaces": ifs
    }))
    .expect("bench estate is a valid model")
}

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("LZTWIN_BENCH_VPCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let m = estate(n);
    let mut g = c.benchmark_group(format!("failures-{n}-vpcs"));
    g.sample_size(10);
    for full in [false, true] {
        let opts = SweepOptions {
            classes: vec![
                FailureClass::Az,
                FailureClass::Attachment,
                FailureClass::FirewallEndpoint,
            ],
            full,
            ..SweepOptions::default()
        };
        let name = if full {
            "sweep-full-recompute"
        } else {
            "sweep-incremental"
        };
        g.bench_function(name, |b| {
            b.iter(|| sweep(&m, &opts, None, &|| {}).map(|r| r.scenarios.len()))
        });
    }
    let mut changed = m.clone();
    let one_route: Vec<Change> = serde_json::from_str(
        r#"[{"op": "blackhole-route", "route_table": "v0-rt", "destination": "0.0.0.0/0"}]"#,
    )
    .expect("change parses");
    apply_all(&mut changed, &one_route).expect("change applies");
    let service = Service {
        protocol: Protocol::Tcp,
        dst_port: 443,
    };
    let none = FailureSet::default();
    g.bench_function("diff-one-route", |b| {
        b.iter(|| {
            diff_models(&m, &none, &changed, &none, service)
                .summary
                .lost
        })
    });
    g.bench_function("one-matrix", |b| {
        b.iter(|| {
            lztwin::analysis::diff::cell_table(&m, &none, service)
                .cells
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
