//! `lztwin export --format aws-snapshot`: the importer reads back what the exporter
//! writes. import(export(m)) == expected_import(m) (m with ids filled, sorted by name,
//! and the documented differences of src/ingest/aws/export.rs).

use lztwin::ingest::aws::export::{expected_import, export_snapshot};
use lztwin::model::Model;
use proptest::prelude::*;
use std::path::Path;
use std::process::Command;

fn round_trip(m: &Model) -> (Model, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("snap");
    export_snapshot(m, &dir).expect("export");
    let loaded = lztwin::ingest::load(dir.to_str().unwrap()).expect("import");
    let mut back = loaded.model;
    back.name = m.name.clone();
    back.description = m.description.clone();
    let warnings = loaded.warnings.iter().map(|w| w.to_string()).collect();
    (back, warnings)
}

/// The first collection element where `got` and `want` differ, as text.
fn first_difference(got: &Model, want: &Model) -> Option<String> {
    let g = serde_json::to_value(got).unwrap();
    let w = serde_json::to_value(want).unwrap();
    let (Some(g), Some(w)) = (g.as_object(), w.as_object()) else {
        return None;
    };
    let keys: std::collections::BTreeSet<&String> = g.keys().chain(w.keys()).collect();
    for k in keys {
        let null = serde_json::Value::Null;
        let (gv, wv) = (g.get(k).unwrap_or(&null), w.get(k).unwrap_or(&null));
        if gv == wv {
            continue;
        }
        if let (Some(ga), Some(wa)) = (gv.as_array(), wv.as_array()) {
            for (i, (a, b)) in ga.iter().zip(wa.iter()).enumerate() {
                if a != b {
                    return Some(format!("{k}[{i}]:\n got  {a}\n want {b}"));
                }
            }
            return Some(format!("{k}: {} items, want {}", ga.len(), wa.len()));
        }
        return Some(format!("{k}:\n got  {gv}\n want {wv}"));
    }
    (got != want).then(|| "models differ".to_string())
}

fn assert_same(got: &Model, want: &Model) {
    if let Some(d) = first_difference(got, want) {
        panic!("{d}");
    }
}

fn reference() -> Model {
    serde_json::from_str(include_str!("../scenarios/landing-zone.json")).unwrap()
}

#[test]
fn reference_round_trips_through_a_snapshot() {
    let m = reference();
    let (back, warnings) = round_trip(&m);
    assert_same(&back, &expected_import(&m));
    // The names of the reference survive: routes still target its firewall endpoints.
    assert!(back.firewalls.iter().any(|f| f
        .endpoints
        .iter()
        .any(|e| e.name == "inspection-fw-endpoint-a")));
    assert_eq!(back.onprem_sites.len(), 1, "VPN and DX reach one site");
    for w in &warnings {
        assert!(
            w.contains("recorded, not evaluated"),
            "unexpected warning: {w}"
        );
    }
}

#[test]
fn minimal_round_trips_without_warnings() {
    let m: Model =
        serde_json::from_str(include_str!("../scenarios/examples/minimal.json")).unwrap();
    let (back, warnings) = round_trip(&m);
    assert_same(&back, &expected_import(&m));
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn export_is_deterministic_and_the_cli_writes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let m = reference();
    export_snapshot(&m, &a).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .args([
            "export",
            concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/landing-zone.json"),
            "--format",
            "aws-snapshot",
            "--out",
            b.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = |d: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v = Vec::new();
        let mut stack = vec![d.to_path_buf()];
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p.strip_prefix(d).unwrap().display().to_string();
                    v.push((rel, std::fs::read(&p).unwrap()));
                }
            }
        }
        v.sort();
        v
    };
    let (fa, fb) = (files(&a), files(&b));
    assert!(fa.len() > 20, "{}", fa.len());
    assert_eq!(fa, fb, "same model, same bytes");
    assert!(fa
        .iter()
        .any(|(p, _)| p.ends_with("accounts/111111111111/eu-west-1/Firewalls.json")));
    // validate reads the exported directory.
    let out = Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .args(["validate", b.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("network-prod eu-west-1: 3 VPCs, 24 subnets"),
        "{text}"
    );

    // Native export: the scenario itself.
    let n = tmp.path().join("native.json");
    let out = Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .args([
            "export",
            b.to_str().unwrap(),
            "--format",
            "native",
            "--out",
            n.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = lztwin::ingest::load(n.to_str().unwrap()).unwrap().model;
    let mut want = expected_import(&m);
    want.name = again.name.clone();
    want.description = again.description.clone();
    assert_same(&again, &want);

    let bad = Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .args([
            "export",
            b.to_str().unwrap(),
            "--format",
            "terraform",
            "--out",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Generated estates (the synthetic generator) round-trip too.
    #[test]
    fn generated_estates_round_trip(seed in any::<u64>(), vpcs in 1usize..4, azs in 1usize..4, subnets in 1usize..4) {
        let o = lztwin::ingest::synthetic::SyntheticOptions {
            vpcs,
            accounts: None,
            azs,
            subnets_per_vpc: subnets,
            seed,
        };
        let m = lztwin::ingest::synthetic::generate(&o).unwrap();
        let (back, _) = round_trip(&m);
        let want = expected_import(&m);
        let diff = first_difference(&back, &want);
        prop_assert!(diff.is_none(), "{}", diff.unwrap_or_default());
    }
}
