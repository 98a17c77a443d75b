//! AWS snapshot import: every Batfish snapshot loads; every AWS CLI example file, alone
//! in a directory, loads or fails with a located message (never a panic).

use std::path::{Path, PathBuf};
use std::process::Command;

/// ../shared/fixtures next to the repository (a worktree sits one level deeper).
fn fixtures(sub: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let near = root.join("../shared/fixtures");
    let base = if near.is_dir() {
        near
    } else {
        root.join("../../shared/fixtures")
    };
    base.join(sub)
}

fn lztwin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .args(args)
        .output()
        .expect("run lztwin")
}

#[test]
fn every_batfish_snapshot_validates() {
    let dir = fixtures("batfish/snapshots");
    let mut snaps: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("batfish fixtures")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    snaps.sort();
    assert_eq!(snaps.len(), 20, "expected the 20 Batfish snapshots");
    for s in snaps {
        let out = lztwin(&["validate", s.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            s.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("ok:"), "{stdout}");
    }
}

#[test]
fn batfish_ids_are_kept_and_shared_tgw_merged() {
    let s = fixtures("batfish/snapshots/test-transit-gateway-multi-account");
    let loaded = lztwin::ingest::load(s.to_str().unwrap()).expect("loads");
    let m = &loaded.model;
    assert_eq!(m.transit_gateways.len(), 1, "shared TGW merged by id");
    assert_eq!(
        m.transit_gateways[0].id.as_deref(),
        Some("tgw-0efdeab79e9a8e490")
    );
    assert_eq!(m.accounts.len(), 2);
    assert_eq!(m.vpcs.len(), 2);
    assert!(m
        .transit_gateway_attachments
        .iter()
        .all(|a| a.association.is_some()));
    // Propagated routes are derived from propagations: both VPC CIDRs are in the table.
    let ix = m.index();
    let routes = m.transit_gateway_routes(0, &ix);
    assert!(routes.len() >= 2, "{routes:?}");

    let p = fixtures("batfish/snapshots/test-transit-gateway-peering");
    let m = lztwin::ingest::load(p.to_str().unwrap())
        .expect("loads")
        .model;
    let peering: Vec<_> = m
        .transit_gateway_attachments
        .iter()
        .filter(|a| a.attachment_type == lztwin::model::AttachmentType::Peering)
        .collect();
    assert_eq!(peering.len(), 2, "one peering attachment per TGW side");
    assert!(peering.iter().all(|a| a.peer_transit_gateway.is_some()));
    let rt = m
        .transit_gateway_route_tables
        .iter()
        .find(|t| t.id.as_deref() == Some("tgw-rtb-018a5e572ec3088d1"))
        .expect("table");
    assert_eq!(rt.routes.len(), 1);
    assert_eq!(rt.routes[0].destination.to_string(), "192.168.0.0/16");
}

#[test]
fn every_awscli_example_loads_or_fails_located() {
    let dir = fixtures("awscli-examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 40);
    let mut failed = 0;
    for f in files {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::copy(&f, tmp.path().join(f.file_name().unwrap())).unwrap();
        let out = lztwin(&["validate", tmp.path().to_str().unwrap()]);
        let code = out.status.code();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            code == Some(0) || code == Some(2),
            "{}: exit {code:?}: {stderr}",
            f.display()
        );
        if code == Some(2) {
            failed += 1;
            // Located: `file:location: error: ...`
            assert!(
                stderr.contains(".json:") && stderr.contains("error"),
                "{}: {stderr}",
                f.display()
            );
        }
    }
    // The two --query projections are not describe-* output.
    assert!(failed >= 2, "{failed}");
}

#[test]
fn bad_json_is_located() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("x.json"),
        "{\"Vpcs\": [\n  {\"VpcId\": }\n]}",
    )
    .unwrap();
    let out = lztwin(&["validate", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("x.json:2:"), "{e}");

    std::fs::write(tmp.path().join("x.json"), "{\"Vpcs\": {}}").unwrap();
    let out = lztwin(&["validate", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("x.json:/Vpcs: error"), "{e}");

    std::fs::write(
        tmp.path().join("x.json"),
        "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"nope\"}], \"Bogus\": [1]}",
    )
    .unwrap();
    let out = lztwin(&["validate", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("/Vpcs/0/CidrBlock"), "{e}");
    assert!(e.contains("unknown key `Bogus`"), "{e}");
}
