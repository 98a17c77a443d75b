//! CLI tests of `lztwin verify` on the reference landing zone, its breaking what-if
//! variants, Network Access Analyzer scopes, JUnit and SARIF output, and bad policies.

use std::path::Path;
use std::process::{Command, Output};

const SCENARIO: &str = "scenarios/landing-zone.json";
const POLICY: &str = "scenarios/policies/landing-zone.json";
const NAA_INGRESS: &str = "scenarios/policies/naa-ingress-through-firewall.json";
const NAA_ONPREM: &str = "scenarios/policies/naa-onprem-spokes-through-firewall.json";

fn lztwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lztwin"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run lztwin")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_of(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            stderr(o)
        )
    })
}

/// The results of a JSON report by name: (status, violation_count, first violation).
fn result<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v["results"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["name"] == name))
        .unwrap_or_else(|| panic!("no result `{name}` in {v}"))
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn reference_environment_passes_every_intent_and_scope() {
    let o = lztwin(&[
        "verify",
        SCENARIO,
        "--policy",
        POLICY,
        NAA_INGRESS,
        NAA_ONPREM,
        "--format",
        "json",
    ]);
    let v = json_of(&o);
    assert_eq!(o.status.code(), Some(0), "{v:#}");
    assert_eq!(v["summary"]["violated"], 0);
    assert_eq!(v["summary"]["findings"], 0);
    // Every intent really checked flows (nothing vacuous).
    for r in v["results"].as_array().unwrap() {
        assert!(r["flows_checked"].as_u64().unwrap() > 0, "{r}");
        assert_eq!(r["status"], "holds", "{r}");
    }
}

/// Verify the reference with a what-if change applied; returns the JSON report.
fn variant(change: &str, policies: &[&str]) -> (Output, serde_json::Value) {
    let mut args = vec![
        "verify", SCENARIO, "--apply", change, "--format", "json", "--policy",
    ];
    args.extend_from_slice(policies);
    let o = lztwin(&args);
    let v = json_of(&o);
    (o, v)
}

#[test]
fn onprem_bypass_breaks_inspection_and_names_the_flow() {
    let (o, v) = variant(
        "scenarios/what-if/onprem-bypass.json",
        &[POLICY, NAA_ONPREM, NAA_INGRESS],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = result(&v, "onprem-workloads-inspected");
    assert_eq!(r["status"], "violated");
    let first = &r["violations"][0];
    // The spoke → on-prem direction now goes straight to the DX/VPN attachment.
    assert!(
        first["to"].as_str().unwrap().starts_with("onprem:"),
        "{first}"
    );
    assert!(
        first["trace"]["hops"].as_array().unwrap().len() > 1,
        "{first}"
    );
    assert_eq!(
        result(&v, "naa-onprem-spokes-through-firewall")["status"],
        "violated"
    );
    assert_eq!(
        result(&v, "naa-ingress-through-firewall")["status"],
        "holds"
    );
    // The text output names the flow too.
    let t = lztwin(&[
        "verify",
        SCENARIO,
        "--apply",
        "scenarios/what-if/onprem-bypass.json",
        "--policy",
        POLICY,
    ]);
    let text = String::from_utf8_lossy(&t.stdout);
    assert!(text.contains("FAIL  onprem-workloads-inspected"), "{text}");
    assert!(text.contains("-> onprem:corporate-dc"), "{text}");
}

#[test]
fn appliance_mode_off_breaks_symmetry() {
    let (o, v) = variant(
        "scenarios/what-if/disable-appliance-mode.json",
        &[POLICY, NAA_ONPREM, NAA_INGRESS],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = result(&v, "inspection-is-symmetric");
    assert_eq!(r["status"], "violated", "{r}");
    let first = &r["violations"][0];
    assert!(first["trace"]["return"].is_object(), "{first}");
    // NAA scopes look at the forward path only: no finding.
    assert_eq!(
        result(&v, "naa-onprem-spokes-through-firewall")["status"],
        "holds"
    );
    assert_eq!(
        result(&v, "naa-ingress-through-firewall")["status"],
        "holds"
    );
}

#[test]
fn igw_edge_association_removed_breaks_ingress_inspection() {
    let (o, v) = variant(
        "scenarios/what-if/remove-igw-edge-association.json",
        &[POLICY, NAA_ONPREM, NAA_INGRESS],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = result(&v, "internet-ingress-inspected");
    assert_eq!(r["status"], "violated", "{r}");
    assert_eq!(r["violations"][0]["from"], "internet");
    assert!(r["violations"][0]["to"]
        .as_str()
        .unwrap()
        .starts_with("ingress-proxy"));
    assert_eq!(
        result(&v, "naa-ingress-through-firewall")["status"],
        "violated"
    );
    assert_eq!(
        result(&v, "naa-onprem-spokes-through-firewall")["status"],
        "holds"
    );
}

#[test]
fn junit_and_sarif_are_well_formed() {
    let d = tempfile::tempdir().unwrap();
    let junit = d.path().join("verify.xml");
    let sarif = d.path().join("verify.sarif");
    // A policy that surely fails (whatever the forwarding), so both files carry a
    // counterexample: prod reaching a site that does not answer on an odd port.
    let p = write(
        d.path(),
        "p.json",
        r#"{"intents": [
  {"name": "isolated-holds", "type": "isolated", "from": ["endpoint:prod-app-a"], "to": ["endpoint:prod-app-a", "192.0.2.1"], "services": ["udp/9"]},
  {"name": "must-reach", "type": "reachable", "from": ["endpoint:prod-app-a"], "to": ["192.0.2.1"], "services": ["udp/9"]}
]}"#,
    );
    let o = lztwin(&[
        "verify",
        SCENARIO,
        "--policy",
        &p,
        NAA_INGRESS,
        "--junit",
        junit.to_str().unwrap(),
        "--sarif",
        sarif.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));

    // JUnit: parsed back by a common parser; one case per intent or scope.
    let xml = std::fs::read(&junit).unwrap();
    let suites = junit_parser::from_reader(std::io::Cursor::new(&xml)).expect("JUnit parses");
    let cases: Vec<_> = suites.suites.iter().flat_map(|s| s.cases.iter()).collect();
    assert_eq!(cases.len(), 3);
    assert_eq!(suites.suites.len(), 2, "one suite per policy file");
    let reach = cases
        .iter()
        .find(|c| c.original_name == "must-reach")
        .unwrap();
    assert!(reach.status.is_failure());
    let f = reach.status.failure_as_ref();
    assert!(
        f.message.contains("prod-app-a \u{2192} internet"),
        "{}",
        f.message
    );
    assert!(
        f.text
            .contains("udp 10.64.96.10:49152 \u{2192} 192.0.2.1:9"),
        "{}",
        f.text
    );
    assert!(cases
        .iter()
        .find(|c| c.original_name == "isolated-holds")
        .unwrap()
        .status
        .is_success());

    // SARIF: valid against the 2.1.0 schema; located at the intent's line. The schema in
    // tests/ is the OASIS one with the `run.language` pattern's stray `]` removed (the
    // original is not a valid regex, which jsonschema rejects when compiling).
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(doc["version"], "2.1.0");
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "one result per violation");
    let r = &results[0];
    assert_eq!(r["ruleId"], "reachable");
    let loc = &r["locations"][0]["physicalLocation"];
    assert!(loc["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("p.json"));
    assert_eq!(loc["region"]["startLine"], 3);
}

#[test]
fn bad_policies_exit_2_with_file_and_place() {
    let d = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str, &str)] = &[
        ("syntax.json", "{\"intents\": [\n  {\"name\": \"a\",,}\n]}", ":2:"),
        (
            "kind.json",
            "{\"intents\": [\n  {\"name\": \"a\", \"type\": \"never\", \"from\": [\"internet\"], \"to\": [\"internet\"]}\n]}",
            ":2:",
        ),
        (
            "unknown-vpc.json",
            "{\"intents\": [\n  {\"name\": \"a\", \"type\": \"isolated\",\n   \"from\": [\"vpc:nope\"], \"to\": [\"env:prod\"]}\n]}",
            ":3:13",
        ),
        (
            "unknown-firewall.json",
            "{\"intents\": [{\"name\": \"a\", \"type\": \"must-traverse\", \"from\": [\"onprem:*\"],\n \"to\": [\"env:prod\"], \"through\": \"no-such-fw\"}]}",
            ":2:",
        ),
        (
            "naa-type.json",
            "{\"MatchPaths\": [\n {\"Source\": {\"ResourceStatement\": {\"ResourceTypes\": [\"AWS::S3::Bucket\"]}}}]}",
            ":2:",
        ),
        ("array.json", "[]", ":1:1"),
        ("empty.json", "", ":1:"),
    ];
    for (name, text, loc) in cases {
        let p = write(d.path(), name, text);
        let o = lztwin(&["verify", SCENARIO, "--policy", &p]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {e}");
        assert!(
            e.contains(&format!("{p}{loc}")),
            "{name}: expected `{p}{loc}` in {e}"
        );
    }
    let o = lztwin(&["verify", SCENARIO, "--policy", "/nonexistent/p.json"]);
    assert_eq!(o.status.code(), Some(2));
    let o = lztwin(&["verify", SCENARIO, "--policy", POLICY, "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn json_output_is_the_same_whatever_the_thread_count() {
    let run = |threads: &str| {
        Command::new(env!("CARGO_BIN_EXE_lztwin"))
            .args([
                "verify", SCENARIO, "--policy", POLICY, NAA_ONPREM, "--format", "json",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap()
    };
    let a = run("1");
    let b = run("3");
    assert!(!a.stdout.is_empty());
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.status.code(), b.status.code());
}

#[test]
fn diff_and_failures_take_a_policy() {
    let d = tempfile::tempdir().unwrap();
    let bad = write(
        d.path(),
        "bad.json",
        "{\"intents\": [\n {\"name\": \"a\", \"type\": \"isolated\", \"from\": [\"account:nobody\"], \"to\": [\"internet\"]}]}",
    );
    let o = lztwin(&[
        "diff",
        SCENARIO,
        "--apply",
        "scenarios/what-if/onprem-bypass.json",
        "--policy",
        &bad,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{bad}:2:")), "{}", stderr(&o));
    let o = lztwin(&["failures", SCENARIO, "--policy", &bad]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn diff_policy_reports_the_intents_a_change_breaks() {
    let o = lztwin(&[
        "diff",
        SCENARIO,
        "--apply",
        "scenarios/what-if/onprem-bypass.json",
        "--policy",
        POLICY,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json_of(&o);
    let broken = v["summary"]["policies_broken"].as_array().unwrap();
    assert!(
        broken.iter().any(|b| b == "onprem-workloads-inspected"),
        "{v}"
    );
    assert!(
        !broken.iter().any(|b| b == "dev-test-isolated-from-prod"),
        "{v}"
    );
}

/// The table of scenarios/policies/README.md: which intents and scopes each what-if
/// change breaks.
#[test]
fn each_what_if_change_breaks_exactly_the_documented_intents() {
    let table: &[(&str, &[&str])] = &[
        (
            "onprem-bypass",
            &[
                "onprem-workloads-inspected",
                "inspection-is-symmetric",
                "naa-onprem-spokes-through-firewall",
            ],
        ),
        (
            "disable-appliance-mode",
            &[
                "builder-deploys-to-test-and-prod",
                "inspection-is-symmetric",
            ],
        ),
        (
            "remove-igw-edge-association",
            &["internet-ingress-inspected", "naa-ingress-through-firewall"],
        ),
        (
            "blackhole-prod-route",
            &["builder-deploys-to-test-and-prod"],
        ),
        ("fail-az-a", &["builder-deploys-to-test-and-prod"]),
    ];
    for (change, expected) in table {
        let (o, v) = variant(
            &format!("scenarios/what-if/{change}.json"),
            &[POLICY, NAA_INGRESS, NAA_ONPREM],
        );
        assert_eq!(o.status.code(), Some(1), "{change}: {}", stderr(&o));
        let mut broken: Vec<&str> = v["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] != "holds")
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        broken.sort();
        let mut want = expected.to_vec();
        want.sort();
        assert_eq!(broken, want, "{change}");
    }
}

/// A mistake in one AZ only (the inspection VPC's TGW subnet in eu-west-1b sends
/// traffic straight to the NAT gateway): only flows the Transit Gateway hashes to
/// eu-west-1b are hit. Verification varies the source port until every AZ of the
/// inspection is met, so the mistake is found whatever AZ the first flow lands in.
#[test]
fn a_mistake_in_one_az_is_found() {
    let d = tempfile::tempdir().unwrap();
    let change = write(
        d.path(),
        "az-b.json",
        r#"[{"op": "replace-route", "route_table": "inspection-tgw-rt-b",
              "route": {"destination": "0.0.0.0/0", "target": {"nat_gateway": "inspection-nat-b"}}}]"#,
    );
    let (o, v) = variant(&change, &[POLICY]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let egress = result(&v, "internet-egress-inspected");
    assert_eq!(egress["status"], "violated");
    for f in egress["violations"].as_array().unwrap() {
        let azs: Vec<&str> = f["trace"]["hops"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["kind"] == "nat-gateway")
            .filter_map(|h| h["az"].as_str())
            .collect();
        assert_eq!(azs, ["eu-west-1b"], "{f}");
    }
    let deploy = result(&v, "builder-deploys-to-test-and-prod");
    assert_eq!(deploy["status"], "violated");
    // Some of these were found only on another source port than the first one.
    assert!(deploy["violations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["flow"]["src_port"] != 49152));
}
