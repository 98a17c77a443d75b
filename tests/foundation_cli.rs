//! Foundation CLI: `validate` on the reference and the examples, and every kind of bad
//! input exits 2 with a message naming the file and the place, never a panic or a hang.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Commands that load INPUT and are checked against bad input.
const COMMANDS: &[&str] = &["validate", "show", "graph"];

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// Run lztwin with `stdin` bytes, killing it after 60 s (a hang fails the test).
fn run_with(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lztwin");
    if let Some(mut i) = child.stdin.take() {
        let _ = i.write_all(stdin);
    }
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("lztwin {args:?} hung for 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn run(args: &[&str]) -> Output {
    run_with(args, b"")
}

/// Assert `validate <path>` (and `show`, `graph`) exit 2 with an error naming
/// `file` followed by `place`, and no panic.
fn assert_bad(path: &Path, file: &str, place: &str) {
    for cmd in COMMANDS {
        let out = run(&[cmd, path.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{cmd} {}: {err}",
            path.display()
        );
        assert!(!err.contains("panicked"), "{err}");
        let want = format!("{file}:{place}");
        assert!(
            err.contains(&want) && err.contains("error"),
            "{cmd}: want `{want}` in: {err}"
        );
        assert!(out.stdout.is_empty(), "no data on stdout on error");
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn validate_reference_prints_a_line_per_account() {
    let out = run(&[
        "validate",
        repo("scenarios/landing-zone.json").to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert_eq!(
        lines[0],
        "network-prod eu-west-1: 3 VPCs, 24 subnets, 19 route tables, 1 transit gateway, \
         3 TGW route tables, 5 TGW attachments, 2 firewalls, 4 network interfaces"
    );
    for acc in [
        "shared-services",
        "deploy-cicd",
        "workloads-test",
        "workloads-prod",
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{acc} eu-west-1: 1 VPC, 6 subnets"))),
            "{acc}: {text}"
        );
    }
    assert_eq!(
        lines[5],
        "ok: landing-zone: 5 accounts, 1 region, 7 VPCs, 1 on-premises site (0 warnings)"
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn minimal_example_loads_clean_from_file_and_stdin() {
    let path = repo("scenarios/examples/minimal.json");
    let out = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&path).unwrap();
    let out2 = run_with(&["validate", "-"], &bytes);
    assert_eq!(out2.status.code(), Some(0));
    assert_eq!(out.stdout, out2.stdout);
    let m = lztwin::ingest::load(path.to_str().unwrap()).unwrap().model;
    assert_eq!(m.vpcs.len(), 2);
    assert_eq!(m.transit_gateway_attachments.len(), 3);
}

#[test]
fn syntax_errors_name_file_and_line_col() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated.json", b"{\"name\": \"x\",\n \"vpcs\": [".to_vec(), "2:"),
        ("notjson.json", b"name = x\n".to_vec(), "1:"),
        ("empty.json", Vec::new(), "1:1:"),
        ("blank.json", b"  \n\n ".to_vec(), "1:1:"),
        (
            "binary.json",
            (0u8..=255).cycle().skip(7).take(4000).collect(),
            "1:",
        ),
        ("array.json", b"[1, 2, 3]".to_vec(), "1:"),
        ("string.json", b"\"a scenario\"".to_vec(), "1:"),
        ("trailing.json", b"{\"name\": \"x\"} {".to_vec(), "1:"),
        ("nul.json", b"{\"name\": \"a\0b\"}".to_vec(), "1:"),
        ("huge.json", b"{\"name\": \"x\",\n\"vpcs\": [{\"name\": 1e999999}]}".to_vec(), "2:"),
        (
            "deep.json",
            format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)).into_bytes(),
            "1:",
        ),
        (
            "deep-in-field.json",
            format!(
                "{{\"name\": \"x\", \"security_groups\": [{{\"name\": \"s\", \"vpc\": \"v\", \"ingress\": [{{\"protocol\": {}{}}}]}}]}}",
                "[".repeat(200_000),
                "]".repeat(200_000)
            )
            .into_bytes(),
            "1:",
        ),
    ];
    for (name, bytes, place) in cases {
        let p = write(d, name, &bytes);
        assert_bad(&p, name, place);
    }
}

#[test]
fn shape_errors_name_the_field() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let p = write(
        d,
        "wrongtype.json",
        b"{\"name\": \"x\",\n  \"vpcs\": {\"a\": 1}}",
    );
    assert_bad(&p, "wrongtype.json", "2:");
    let out = run(&["validate", p.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("at vpcs: invalid type: map"));

    let p = write(d, "unknown.json", b"{\"name\": \"x\", \"vpcz\": []}");
    assert_bad(&p, "unknown.json", "1:");
    let out = run(&["validate", p.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `vpcz`"));

    let p = write(
        d,
        "badcidr.json",
        b"{\"name\": \"x\", \"vpcs\": [{\"name\": \"v\", \"account\": \"a\", \"region\": \"r\",\n \"cidrs\": [\"10.0.0.0/33\"]}]}",
    );
    assert_bad(&p, "badcidr.json", "2:");
    let out = run(&["validate", p.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("at vpcs[0].cidrs[0]"));
}

/// The reference scenario with one edit, written to a temp file.
fn edited(dir: &Path, name: &str, edit: impl Fn(&mut serde_json::Value)) -> PathBuf {
    let text = std::fs::read_to_string(repo("scenarios/landing-zone.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    edit(&mut v);
    write(
        dir,
        name,
        serde_json::to_string_pretty(&v).unwrap().as_bytes(),
    )
}

#[test]
fn semantic_errors_name_the_json_path() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let p = edited(d, "dangling.json", |v| {
        v["subnets"][4]["vpc"] = "no-such-vpc".into();
    });
    assert_bad(
        &p,
        "dangling.json",
        "/subnets/4/vpc: error: dangling reference: no vpc named `no-such-vpc`",
    );

    let p = edited(d, "outside.json", |v| {
        v["subnets"][0]["cidr"] = "10.99.0.0/28".into();
    });
    assert_bad(
        &p,
        "outside.json",
        "/subnets/0/cidr: error: subnet CIDR 10.99.0.0/28 is outside",
    );

    let p = edited(d, "dup.json", |v| {
        let n = v["subnets"][0]["name"].clone();
        v["subnets"][1]["name"] = n;
    });
    assert_bad(&p, "dup.json", "/subnets/1/name: error: duplicate name");

    let p = edited(d, "assoc.json", |v| {
        v["transit_gateway_attachments"][0]["association"] = "nope-rt".into();
    });
    assert_bad(
        &p,
        "assoc.json",
        "/transit_gateway_attachments/0/association: error:",
    );

    // Every problem at once: two errors, both reported.
    let p = edited(d, "two.json", |v| {
        v["subnets"][0]["vpc"] = "ghost".into();
        v["network_interfaces"][0]["security_groups"][0] = "ghost-sg".into();
    });
    let out = run(&["validate", p.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("two.json:/subnets/0/vpc: error"), "{err}");
    assert!(
        err.contains("two.json:/network_interfaces/0/security_groups/0: error"),
        "{err}"
    );
}

#[test]
fn missing_file_and_unusable_directories() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let missing = d.join("nope.json");
    let out = run(&["validate", missing.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("nope.json: error: cannot open"), "{err}");

    let empty = d.join("empty-dir");
    std::fs::create_dir(&empty).unwrap();
    let out = run(&["validate", empty.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("empty-dir: error:"), "{err}");

    let garbage = d.join("garbage");
    std::fs::create_dir(&garbage).unwrap();
    write(&garbage, "notes.txt", b"hello");
    write(&garbage, "x.json", &[0xff, 0xfe, 0x00, 0x01, 0x02]);
    assert_bad(&garbage, "x.json", "1:");
}

#[test]
fn stdin_errors_are_located() {
    let out = run_with(&["validate", "-"], b"{\"name\": \"x\",\n\"vpcs\": [}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("<stdin>:2:"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["validate"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["no-such-command"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn show_json_lists_every_account_vpc_subnet_tgw_table_and_firewall() {
    let path = repo("scenarios/landing-zone.json");
    let out = run(&["show", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("show json");
    let m = lztwin::ingest::load(path.to_str().unwrap()).unwrap().model;
    let names = |ptr: &str, key: &str| -> Vec<String> {
        let mut out = Vec::new();
        for acc in v["accounts"].as_array().unwrap() {
            for item in acc[ptr].as_array().unwrap() {
                if key.is_empty() {
                    out.push(item["name"].as_str().unwrap().to_string());
                } else {
                    for sub in item[key].as_array().unwrap() {
                        out.push(sub["name"].as_str().unwrap().to_string());
                    }
                }
            }
        }
        out.sort();
        out
    };
    let mut accounts: Vec<String> = v["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect();
    accounts.sort();
    let sorted = |it: Vec<String>| {
        let mut it = it;
        it.sort();
        it
    };
    assert_eq!(
        accounts,
        sorted(m.accounts.iter().map(|a| a.name.clone()).collect())
    );
    assert_eq!(
        names("vpcs", ""),
        sorted(m.vpcs.iter().map(|a| a.name.clone()).collect())
    );
    assert_eq!(
        names("vpcs", "subnets"),
        sorted(m.subnets.iter().map(|a| a.name.clone()).collect())
    );
    assert_eq!(
        names("vpcs", "firewalls"),
        sorted(m.firewalls.iter().map(|a| a.name.clone()).collect())
    );
    assert_eq!(
        names("transit_gateways", "route_tables"),
        sorted(
            m.transit_gateway_route_tables
                .iter()
                .map(|a| a.name.clone())
                .collect()
        )
    );
    assert_eq!(
        names("transit_gateways", "attachments"),
        sorted(
            m.transit_gateway_attachments
                .iter()
                .map(|a| a.name.clone())
                .collect()
        )
    );
    assert_eq!(v["onprem_sites"][0]["name"], "corporate-dc");
    // The spoke table's default route goes to the inspection VPC attachment.
    let tgw = &v["accounts"][0]["transit_gateways"][0];
    let tables = tgw["route_tables"].as_array().unwrap();
    assert!(tables.iter().any(|t| t["routes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["destination"] == "0.0.0.0/0" && r["origin"] == "static")));

    // Text: same objects, deterministic bytes.
    let t1 = run(&["show", path.to_str().unwrap()]);
    let t2 = run(&["show", path.to_str().unwrap(), "--format", "text"]);
    assert_eq!(t1.status.code(), Some(0));
    assert_eq!(t1.stdout, t2.stdout);
    let text = String::from_utf8_lossy(&t1.stdout);
    for s in &m.subnets {
        assert!(text.contains(&format!("subnet {} ", s.name)), "{}", s.name);
    }
    let bad = run(&["show", path.to_str().unwrap(), "--format", "xml"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn graph_is_deterministic_dot_of_the_topology() {
    let path = repo("scenarios/landing-zone.json");
    let a = run(&["graph", path.to_str().unwrap()]);
    let b = run(&["graph", path.to_str().unwrap(), "--format", "dot"]);
    assert_eq!(
        a.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    assert_eq!(a.stdout, b.stdout, "same input, same bytes");
    let dot = String::from_utf8_lossy(&a.stdout);
    assert!(dot.starts_with("digraph \"landing-zone\" {"));
    assert!(dot.trim_end().ends_with('}'));
    let m = lztwin::ingest::load(path.to_str().unwrap()).unwrap().model;
    assert_eq!(
        dot.matches("subgraph \"cluster_account_").count(),
        m.accounts.len()
    );
    for v in &m.vpcs {
        assert!(dot.contains(&format!("\"vpc:{}\" [", v.name)), "{}", v.name);
    }
    for f in &m.firewalls {
        assert!(
            dot.contains(&format!("\"firewall:{}\" [", f.name)),
            "{}",
            f.name
        );
    }
    for a in &m.transit_gateway_attachments {
        if let Some(r) = &a.association {
            assert!(dot.contains(&format!(
                "\"attachment:{}\" -> \"tgw-rtb:{r}\" [color=blue",
                a.name
            )));
        }
    }
    let bad = run(&["graph", path.to_str().unwrap(), "--format", "png"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn minimal_example_traces_to_the_data_centre_and_the_internet() {
    let path = repo("scenarios/examples/minimal.json");
    let p = path.to_str().unwrap();
    let out = run(&[
        "trace",
        p,
        "--from",
        "app-server",
        "--to",
        "onprem:dc",
        "--dst-port",
        "22",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("192.168.0.0/16 → dc-vpn"), "{text}");
    assert!(text.contains("verdict: exits-network"), "{text}");
    let out = run(&[
        "trace",
        p,
        "--from",
        "app-server",
        "--to",
        "internet",
        "--both-ways",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("nat-gateway        egress-nat-a"), "{text}");
    assert!(text.contains("verdict: accepted"), "{text}");
}
