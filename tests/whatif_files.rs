//! The change files in scenarios/what-if/ parse, and apply to the reference landing zone.

use lztwin::analysis::diff::{diff_models_sharing, Service};
use lztwin::dataplane::{routing_delta, Dataplane, FailureSet};
use lztwin::ingest::{changes, load_reference};
use lztwin::model::Protocol;

#[test]
fn what_if_files_parse_and_apply_to_the_reference() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/what-if");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "expected the what-if files in {dir}");
    let reference = load_reference().expect("reference loads").model;
    for f in files {
        let cf = changes::load(&f.to_string_lossy()).unwrap_or_else(|e| panic!("{e}"));
        assert!(!cf.changes.is_empty(), "{} has no operations", f.display());
        // The reference scenario lands from the foundation issue; until it has its
        // attachments, only parsing is checked.
        if !reference.transit_gateway_attachments.is_empty() {
            let mut m = reference.clone();
            changes::apply_files(&mut m, &[cf]).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// Each what-if file diffed incrementally (whenever only routing differs) gives the report
/// of two full tables; the routing-only files take the incremental path.
#[test]
fn what_if_diffs_are_the_same_incremental_or_full() {
    let reference = load_reference().expect("reference loads").model;
    let base = Dataplane::compile(&reference);
    let none = FailureSet::default();
    for (file, routing_only) in [
        ("blackhole-prod-route.json", true),
        ("onprem-bypass.json", true),
        ("disable-appliance-mode.json", false),
        ("remove-igw-edge-association.json", false),
    ] {
        let path = format!("{}/scenarios/what-if/{file}", env!("CARGO_MANIFEST_DIR"));
        let cf = changes::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut m = reference.clone();
        changes::apply_files(&mut m, &[cf]).unwrap_or_else(|e| panic!("{e}"));
        let delta = routing_delta(&base, &Dataplane::compile(&m));
        assert_eq!(delta.is_some(), routing_only, "{file}");
        for service in [(Protocol::Tcp, 443), (Protocol::Udp, 53)] {
            let service = Service {
                protocol: service.0,
                dst_port: service.1,
            };
            let full = diff_models_sharing((&reference, &none), (&m, &none), service, 0.0);
            let inc = diff_models_sharing((&reference, &none), (&m, &none), service, 1.0);
            if service.dst_port == 443 {
                assert!(!full.changes.is_empty(), "{file} changes tcp/443 flows");
            }
            assert_eq!(inc, full, "{file}");
        }
    }
}
