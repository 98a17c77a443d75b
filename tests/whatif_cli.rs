//! CLI tests of `lztwin diff`, `lztwin failures` and `lztwin merge`.

use std::path::Path;
use std::process::Command;

const SCENARIO: &str = r#"{
  "name": "t",
  "regions": [{"name": "r", "availability_zones": ["r-1a", "r-1b"]}],
  "accounts": [{"name": "net", "environment": "network"}, {"name": "app", "environment": "prod"}],
  "vpcs": [{"name": "a", "account": "app", "region": "r", "cidrs": ["10.0.0.0/16"]},
           {"name": "b", "account": "app", "region": "r", "cidrs": ["10.1.0.0/16"]}],
  "subnets": [{"name": "a1", "vpc": "a", "az": "r-1a", "cidr": "10.0.0.0/24"},
              {"name": "a2", "vpc": "a", "az": "r-1b", "cidr": "10.0.1.0/24"},
              {"name": "b1", "vpc": "b", "az": "r-1a", "cidr": "10.1.0.0/24"},
              {"name": "b2", "vpc": "b", "az": "r-1b", "cidr": "10.1.1.0/24"}],
  "route_tables": [{"name": "a-rt", "vpc": "a", "main": true, "routes": [{"destination": "0.0.0.0/0", "target": {"transit_gateway": "tgw"}}]},
                   {"name": "b-rt", "vpc": "b", "main": true, "routes": [{"destination": "0.0.0.0/0", "target": {"transit_gateway": "tgw"}}]}],
  "transit_gateways": [{"name": "tgw", "account": "net", "region": "r"}],
  "transit_gateway_route_tables": [{"name": "spoke", "transit_gateway": "tgw"}],
  "transit_gateway_attachments": [
     {"name": "att-a", "transit_gateway": "tgw", "type": "vpc", "vpc": "a", "subnets": ["a1", "a2"], "association": "spoke", "propagations": ["spoke"]},
     {"name": "att-b", "transit_gateway": "tgw", "type": "vpc", "vpc": "b", "subnets": ["b1", "b2"], "association": "spoke", "propagations": ["spoke"]}],
  "network_interfaces": [
     {"name": "a-app-1", "subnet": "a1", "private_ips": ["10.0.0.10"]},
     {"name": "a-app-2", "subnet": "a2", "private_ips": ["10.0.1.10"]},
     {"name": "b-app-1", "subnet": "b1", "private_ips": ["10.1.0.10"]}]
}"#;

fn lztwin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .args(args)
        .output()
        .expect("run lztwin")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn diff_of_an_environment_with_itself_is_empty() {
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "s.json", SCENARIO);
    let o = lztwin(&["diff", &s, &s, "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["changes"], serde_json::json!([]));
    // 3 ENIs + the Internet: 4 endpoints, 12 ordered pairs.
    assert_eq!(v["summary"]["flows"], 12);
}

#[test]
fn change_on_a_missing_object_exits_2_located() {
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "s.json", SCENARIO);
    let c = write(
        d.path(),
        "c.json",
        r#"[{"op": "set-appliance-mode", "attachment": "att-a", "enabled": true},
            {"op": "associate", "attachment": "att-nope", "tgw_route_table": "spoke"}]"#,
    );
    let o = lztwin(&["diff", &s, "--apply", &c]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("c.json:/1/attachment"), "{err}");
    assert!(err.contains("att-nope"), "{err}");
    // The input file is untouched.
    assert_eq!(std::fs::read_to_string(&s).unwrap(), SCENARIO);
}

#[test]
fn changed_and_apply_together_is_a_usage_error() {
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "s.json", SCENARIO);
    let c = write(d.path(), "c.json", "[]");
    assert_eq!(
        lztwin(&["diff", &s, &s, "--apply", &c]).status.code(),
        Some(2)
    );
    assert_eq!(lztwin(&["diff", &s]).status.code(), Some(2));
}

#[test]
fn sharded_sweep_merges_into_the_single_run() {
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "s.json", SCENARIO);
    let whole = lztwin(&["failures", &s, "--k", "2", "--format", "json"]);
    assert_eq!(
        whole.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&whole.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&whole.stdout).unwrap();
    // 2 AZs + 2 attachments = 4 components, 6 pairs.
    assert_eq!(v["scenarios"].as_array().unwrap().len(), 6);
    let mut shards = Vec::new();
    for i in 1..=3 {
        let o = lztwin(&[
            "failures",
            &s,
            "--k",
            "2",
            "--format",
            "json",
            "--shard",
            &format!("{i}/3"),
        ]);
        assert_eq!(o.status.code(), Some(0));
        shards.push(write(
            d.path(),
            &format!("shard{i}.json"),
            &String::from_utf8_lossy(&o.stdout),
        ));
    }
    // Order of inputs does not matter.
    let merged = lztwin(&["merge", &shards[2], &shards[0], &shards[1]]);
    assert_eq!(
        merged.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    assert_eq!(merged.stdout, whole.stdout);
    // A missing shard is an error.
    let o = lztwin(&["merge", &shards[0], &shards[1]]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("shard 3/3 is missing"));
}

#[test]
fn single_failure_sweep_lists_every_component() {
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "s.json", SCENARIO);
    let o = lztwin(&["failures", &s, "--fail", "az", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut failed: Vec<String> = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["failed"][0].as_str().unwrap().to_string())
        .collect();
    failed.sort();
    assert_eq!(failed, vec!["r-1a", "r-1b"]);
    assert_eq!(
        lztwin(&["failures", &s, "--fail", "bogus"]).status.code(),
        Some(2)
    );
    assert_eq!(
        lztwin(&["failures", &s, "--shard", "4/3"]).status.code(),
        Some(2)
    );
}
