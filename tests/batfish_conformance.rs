//! Conformance with Batfish's own AWS end-to-end tests.
//!
//! Every record of `../shared/fixtures/batfish/expected-traces.json` (see the README
//! there) is replayed against its snapshot, loaded with lztwin's AWS importer: the
//! source endpoint is mapped onto a lztwin [`Endpoint`], the flow is traced (both ways
//! for `bidirectional` records) and Batfish's disposition is compared through ONE
//! mapping table ([`DISPOSITIONS`]) with lztwin's [`Verdict`]. Records where Batfish's
//! answer is not what AWS does are kept, listed in [`BATFISH_DIFFERS`] with the AWS
//! documentation that says so, and assert lztwin's answer instead.
//!
//! A red run prints one line per record (agree / DISAGREE), so it names the record.

use lztwin::dataplane::Dataplane;
use lztwin::model::{Model, Protocol};
use lztwin::sim::{resolve_endpoint, trace, Endpoint, Flow, Trace, TraceOptions, Verdict};
use serde_json::Value;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

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

/// Where a Batfish trace ended: the kind of its last node (`expected_hops_kind`), `*`
/// for any. Batfish and lztwin name drops differently in two places, so the mapping
/// looks at where the flow stopped as well as at the disposition.
type Row = (&'static str, &'static [&'static str], Verdict, &'static str);

/// THE mapping from Batfish's `FlowDisposition` (and the kind of node the trace ended
/// at) to lztwin's verdict. The first matching row wins.
const DISPOSITIONS: &[Row] = &[
    (
        "ACCEPTED",
        &["onprem-router"],
        Verdict::ExitsNetwork,
        "lztwin does not model on-premises devices: reaching the router that owns the \
         address is leaving the modelled network toward that site",
    ),
    ("ACCEPTED", &["*"], Verdict::Accepted, "delivered"),
    (
        "DENIED_IN",
        &["internet-gateway", "nat-gateway"],
        Verdict::Unreachable,
        "Batfish models gateway rules (an IGW translates only addresses with a public IP, \
         a NAT gateway forwards only its own sessions and TCP/UDP/ICMP) as input filters; \
         in AWS they are not filters, and lztwin reports them as unreachable with the \
         Reachability Analyzer code",
    ),
    (
        "DENIED_OUT",
        &["internet-gateway", "nat-gateway"],
        Verdict::Unreachable,
        "as DENIED_IN at a gateway",
    ),
    (
        "DENIED_IN",
        &["*"],
        Verdict::Denied,
        "security group, network ACL, listener",
    ),
    (
        "DENIED_OUT",
        &["*"],
        Verdict::Denied,
        "security group, network ACL",
    ),
    (
        "EXITS_NETWORK",
        &["internet-only"],
        Verdict::NoRoute,
        "a trace that starts and ends at Batfish's Internet node (an address the snapshot \
         does not hold, sent back out to the Internet) never enters the modelled network; \
         lztwin: no route into it",
    ),
    (
        "NULL_ROUTED",
        &["internet-only", "aws-backbone"],
        Verdict::NoRoute,
        "Batfish's synthetic Internet and AWS backbone nodes null-route what the Internet \
         does not route (private space, unassigned AWS space); lztwin has no Internet \
         routers: no route",
    ),
    (
        "NULL_ROUTED",
        &["vpc"],
        Verdict::Unreachable,
        "Batfish's VPC router null-routes the parts of the VPC CIDR outside every subnet; \
         in AWS the local route matches and no subnet holds the address \
         (NO_POSSIBLE_DESTINATION)",
    ),
    (
        "NULL_ROUTED",
        &["*"],
        Verdict::Blackhole,
        "a blackhole route",
    ),
    ("NO_ROUTE", &["*"], Verdict::NoRoute, "no route"),
    (
        "NEIGHBOR_UNREACHABLE",
        &["*"],
        Verdict::Unreachable,
        "nothing owns the address",
    ),
    (
        "DELIVERED_TO_SUBNET",
        &["*"],
        Verdict::Unreachable,
        "nothing owns the address",
    ),
    (
        "INSUFFICIENT_INFO",
        &["*"],
        Verdict::Unreachable,
        "nothing owns the address",
    ),
    (
        "EXITS_NETWORK",
        &["*"],
        Verdict::ExitsNetwork,
        "left the network",
    ),
    ("LOOP", &["*"], Verdict::Loop, "a forwarding loop"),
];

/// Records where Batfish's disposition is not what AWS does: (record id, the verdict
/// lztwin must give, the AWS documentation that says so).
const BATFISH_DIFFERS: &[(&str, Verdict, &str)] = &[(
    "test-transit-gateway/testFromA2toB/1",
    Verdict::Unreachable,
    "i-075e846ed41670385 is in an AZ where the TGW attachment has no subnet. Batfish \
     reports a discard route (NULL_ROUTED), but the subnet's route to the TGW is active, \
     not a blackhole route: \"any resources in Availability Zones where there is no \
     transit gateway attachment cannot reach the transit gateway\" \
     (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html, Limits); \
     Reachability Analyzer code TGW_ATTACH_VPC_AZ_RESTRICTION",
)];

/// Records lztwin does not reproduce yet: (record id, why). Each is a known gap of the
/// importer or the simulator, printed on every run; the list only shrinks.
const PENDING: &[(&str, &str)] = &[];

fn map_disposition(d: &str, at: &str) -> Verdict {
    DISPOSITIONS
        .iter()
        .find(|(b, kinds, _, _)| *b == d && (kinds.contains(&"*") || kinds.contains(&at)))
        .map(|(_, _, v, _)| *v)
        .unwrap_or_else(|| panic!("unmapped Batfish disposition {d} at {at}"))
}

/// The kind of the last node of a Batfish hop list; `internet-only` when the trace
/// never left Batfish's Internet node.
fn last_kind(v: &Value) -> &str {
    let kinds = v.get("expected_hops_kind").and_then(Value::as_array);
    match kinds.map(|k| k.as_slice()) {
        Some([only]) if only.as_str() == Some("internet") => "internet-only",
        Some(k) => k.last().and_then(Value::as_str).unwrap_or("*"),
        None => "*",
    }
}

fn verdict_name(v: Verdict) -> &'static str {
    v.as_str()
}

struct Snapshot {
    model: Model,
    dp: Dataplane,
}

fn load_snapshot(name: &str) -> Snapshot {
    let p = fixtures(&format!("batfish/snapshots/{name}"));
    let loaded = lztwin::ingest::load(p.to_str().expect("utf-8 path"))
        .unwrap_or_else(|e| panic!("snapshot {name} does not load: {e:?}"));
    let dp = Dataplane::compile(&loaded.model);
    Snapshot {
        model: loaded.model,
        dp,
    }
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn ip(v: &Value, k: &str) -> Option<IpAddr> {
    s(v, k).and_then(|t| t.parse().ok())
}

/// Addresses of the `ip address A M` lines of a router configuration (Batfish picks
/// "any address of the node" when a test does not fix the source).
fn config_addresses(snapshot: &str, node: &str) -> Vec<IpAddr> {
    let dir = fixtures(&format!("batfish/snapshots/{snapshot}/configs"));
    let text = std::fs::read_to_string(dir.join(node))
        .or_else(|_| std::fs::read_to_string(dir.join(format!("{node}.txt"))))
        .unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            match w.as_slice() {
                ["ip", "address", a, _, ..] => a.parse().ok(),
                _ => None,
            }
        })
        .collect()
}

/// Every JSON object of the snapshot's files under `key` (e.g. `CustomerGateways`).
fn snapshot_objects(snapshot: &str, key: &str) -> Vec<Value> {
    fn walk(dir: &Path, key: &str, out: &mut Vec<Value>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, key, out);
            } else if p.extension().is_some_and(|e| e == "json") {
                let v: Value = std::fs::read_to_string(&p)
                    .ok()
                    .and_then(|t| serde_json::from_str(&t).ok())
                    .unwrap_or(Value::Null);
                if let Some(items) = v.get(key).and_then(Value::as_array) {
                    out.extend(items.iter().cloned());
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &fixtures(&format!("batfish/snapshots/{snapshot}/aws_configs")),
        key,
        &mut out,
    );
    out
}

/// The on-premises sites standing for a Batfish VGW node (the sites of its connections)
/// or on-premises router (the sites of the customer gateways and virtual interfaces
/// whose address the router holds, named by id or name).
fn sites_for(m: &Model, snapshot: &str, node: &str, kind: &str) -> Vec<usize> {
    let mut names: Vec<String> = Vec::new();
    if kind == "vpn-gateway" {
        for g in m
            .vpn_gateways
            .iter()
            .filter(|g| g.id.as_deref() == Some(node))
        {
            names.extend(g.connections.iter().map(|c| c.site.clone()));
        }
    } else {
        let held = config_addresses(snapshot, node);
        let holds = |a: Option<&str>| {
            a.and_then(|a| a.split('/').next())
                .and_then(|a| a.parse::<IpAddr>().ok())
                .is_some_and(|a| held.contains(&a))
        };
        let tag_name = |o: &Value| -> Option<String> {
            o.get("Tags")?
                .as_array()?
                .iter()
                .find(|t| t.get("Key").and_then(Value::as_str) == Some("Name"))?
                .get("Value")?
                .as_str()
                .map(str::to_string)
        };
        for g in snapshot_objects(snapshot, "CustomerGateways") {
            if holds(s(&g, "IpAddress")) {
                names.extend(s(&g, "CustomerGatewayId").map(str::to_string));
                names.extend(tag_name(&g));
            }
        }
        let dxgws = snapshot_objects(snapshot, "DirectConnectGateways");
        for v in snapshot_objects(snapshot, "VirtualInterfaces") {
            if holds(s(&v, "CustomerAddress")) {
                names.extend(s(&v, "ConnectionId").map(str::to_string));
                if let Some(d) = s(&v, "DirectConnectGatewayId") {
                    names.push(d.to_string());
                    for g in dxgws
                        .iter()
                        .filter(|g| s(g, "DirectConnectGatewayId") == Some(d))
                    {
                        names.extend(s(g, "DirectConnectGatewayName").map(str::to_string));
                    }
                }
            }
        }
    }
    (0..m.onprem_sites.len())
        .filter(|i| names.contains(&m.onprem_sites[*i].name))
        .collect()
}

/// The lztwin source endpoint of a record, and the source address of its flow.
fn source(m: &Model, dp: &Dataplane, rec: &Value) -> Result<Endpoint, String> {
    let src = &rec["src"];
    let node = s(src, "ingress_node").ok_or("no ingress_node")?;
    let kind = s(src, "ingress_node_kind").ok_or("no ingress_node_kind")?;
    let src_ip = ip(src, "src_ip");
    match kind {
        "instance" => {
            let enis: Vec<usize> = (0..m.network_interfaces.len())
                .filter(|i| m.network_interfaces[*i].instance.as_deref() == Some(node))
                .collect();
            let eni = enis
                .iter()
                .copied()
                .find(|i| src_ip.is_some_and(|a| m.network_interfaces[*i].private_ips.contains(&a)))
                .or_else(|| enis.first().copied())
                .ok_or_else(|| format!("no interface of instance {node}"))?;
            let ip = src_ip
                .or_else(|| m.network_interfaces[eni].private_ips.first().copied())
                .ok_or("interface without address")?;
            Ok(Endpoint::Interface { eni, ip })
        }
        "internet" => Ok(Endpoint::Internet {
            ip: src_ip.unwrap_or(lztwin::sim::endpoint::INTERNET_REPRESENTATIVE),
        }),
        "onprem-router" | "vpn-gateway" => {
            let snapshot = s(rec, "snapshot").unwrap_or("");
            let sites = sites_for(m, snapshot, node, kind);
            // The source address: the record's, else an address the site owns, else an
            // address of the router (Batfish: "any address of the node").
            let pick_ip = |site: usize| -> Option<IpAddr> {
                src_ip
                    .or_else(|| {
                        m.onprem_sites[site]
                            .prefixes
                            .first()
                            .map(lztwin::sim::endpoint::representative_host)
                    })
                    .or_else(|| config_addresses(snapshot, node).first().copied())
            };
            // A router with several connections forwards over the one that learned
            // the longest prefix for the destination (what AWS advertises to the site).
            let dst = ip(rec, "dst_ip");
            let learned = |site: usize| -> i32 {
                let (Some(d), Some(a)) = (dst, pick_ip(site)) else {
                    return -1;
                };
                let flow = Flow {
                    src: a,
                    dst: d,
                    protocol: Protocol::All,
                    src_port: 0,
                    dst_port: 0,
                };
                let ep = Endpoint::OnPrem { site, ip: a };
                let t = trace(dp, &ep, &ep, &flow, &TraceOptions::default());
                t.hops
                    .first()
                    .filter(|h| h.action == "send")
                    .and_then(|h| h.detail.split_whitespace().next())
                    .and_then(|p| p.parse::<ipnet::IpNet>().ok())
                    .map_or(-1, |p| i32::from(p.prefix_len()))
            };
            let site = sites
                .iter()
                .copied()
                .max_by_key(|x| (learned(*x), std::cmp::Reverse(*x)))
                .ok_or_else(|| {
                    format!(
                        "no on-premises site for {kind} {node} (sites: {:?})",
                        m.onprem_sites.iter().map(|s| &s.name).collect::<Vec<_>>()
                    )
                })?;
            let ip = pick_ip(site).ok_or("no address for the on-premises source")?;
            Ok(Endpoint::OnPrem { site, ip })
        }
        // Batfish starts these flows at the subnet / VPC router itself. lztwin's
        // sources are interfaces, so the flow is sent by an interface of that subnet
        // (of the VPC) with the record's source address.
        "subnet" | "vpc" => {
            let subnets: Vec<&str> = m
                .subnets
                .iter()
                .filter(|sn| {
                    sn.id.as_deref() == Some(node)
                        || m.vpcs
                            .iter()
                            .any(|v| v.id.as_deref() == Some(node) && v.name == sn.vpc)
                })
                .map(|sn| sn.name.as_str())
                .collect();
            let eni = (0..m.network_interfaces.len())
                .find(|i| subnets.contains(&m.network_interfaces[*i].subnet.as_str()))
                .ok_or_else(|| format!("no interface in {node}"))?;
            let ip = src_ip.ok_or("no src_ip")?;
            Ok(Endpoint::Interface { eni, ip })
        }
        k => Err(format!("unsupported source kind {k}")),
    }
}

fn protocol(rec: &Value) -> Protocol {
    match s(rec, "protocol") {
        Some("tcp") => Protocol::Tcp,
        Some("udp") => Protocol::Udp,
        Some("icmp") => Protocol::Icmp,
        _ => Protocol::from_number(
            rec.get("ip_protocol_number")
                .and_then(Value::as_u64)
                .and_then(|n| u8::try_from(n).ok())
                .unwrap_or(0),
        ),
    }
}

fn port(rec: &Value, k: &str) -> u16 {
    rec.get(k)
        .and_then(Value::as_u64)
        .and_then(|n| u16::try_from(n).ok())
        .unwrap_or(0)
}

/// The outcome of one record.
struct Outcome {
    id: String,
    expected: Verdict,
    got: Option<Verdict>,
    reverse: Option<(Verdict, Option<Verdict>)>,
    hops_ok: bool,
    note: String,
    detail: String,
}

impl Outcome {
    fn agrees(&self) -> bool {
        self.got == Some(self.expected)
            && self.reverse.is_none_or(|(e, g)| g == Some(e))
            && self.hops_ok
    }
}

fn hop_ids(t: &Trace) -> Vec<&str> {
    t.hops.iter().map(|h| h.id.as_str()).collect()
}

/// The expected nodes whose presence is checked in lztwin's hops: the first node when
/// the flow starts at an instance, and the last node when it is one lztwin names
/// (an instance, subnet, gateway or transit gateway). Batfish's synthetic nodes, VPC
/// routers and on-premises routers have no lztwin hop; a load-balancer node (`nlb-az`)
/// is one `network-load-balancer` hop named by the load balancer, not per AZ, and is not
/// checked. A target behind a load balancer may be any of its targets ([`nlb_targets`]).
fn checked_nodes(rec: &Value) -> Vec<(String, String)> {
    let (Some(ids), Some(kinds)) = (
        rec.get("expected_hops_aws").and_then(Value::as_array),
        rec.get("expected_hops_kind").and_then(Value::as_array),
    ) else {
        return Vec::new();
    };
    let pair = |i: usize| -> Option<(String, String)> {
        Some((
            ids.get(i)?.as_str()?.to_string(),
            kinds.get(i)?.as_str()?.to_string(),
        ))
    };
    let mut out = Vec::new();
    if let Some((id, kind)) = pair(0) {
        if kind == "instance" {
            out.push((id, kind));
        }
    }
    // A one-node path starts at a node lztwin maps onto an endpoint (VGW, router).
    if ids.len() < 2 {
        return out;
    }
    if let Some((id, kind)) = ids.len().checked_sub(1).and_then(pair) {
        let named = [
            "instance",
            "subnet",
            "internet-gateway",
            "nat-gateway",
            "vpn-gateway",
            "transit-gateway",
        ];
        if named.contains(&kind.as_str()) && !out.iter().any(|(i, _)| *i == id) {
            out.push((id, kind));
        }
    }
    out
}

/// Whether a lztwin trace names the Batfish node `want` of kind `kind`: by its AWS id,
/// an instance by one of its interfaces, a subnet by an interface in it or its route
/// table, a transit gateway by one of its route tables or attachments.
fn trace_names(m: &Model, t: &Trace, want: &str, kind: &str) -> bool {
    let ids = hop_ids(t);
    if ids.contains(&want) {
        return true;
    }
    let named =
        |x: Option<&str>, name: &str| x.is_some_and(|x| ids.contains(&x)) || ids.contains(&name);
    match kind {
        "instance" => m
            .network_interfaces
            .iter()
            .filter(|e| e.instance.as_deref() == Some(want))
            .any(|e| named(e.id.as_deref(), &e.name)),
        "subnet" => {
            let Some(sn) = m.subnets.iter().find(|s| s.id.as_deref() == Some(want)) else {
                return false;
            };
            m.network_interfaces
                .iter()
                .filter(|e| e.subnet == sn.name)
                .any(|e| named(e.id.as_deref(), &e.name))
                || m.route_tables
                    .iter()
                    .filter(|r| {
                        r.subnets.contains(&sn.name)
                            || (r.main
                                && r.vpc == sn.vpc
                                && !m.route_tables.iter().any(|o| o.subnets.contains(&sn.name)))
                    })
                    .any(|r| named(r.id.as_deref(), &r.name))
        }
        "transit-gateway" => {
            let Some(g) = m
                .transit_gateways
                .iter()
                .find(|g| g.id.as_deref() == Some(want))
            else {
                return false;
            };
            m.transit_gateway_route_tables
                .iter()
                .filter(|r| r.transit_gateway == g.name)
                .any(|r| named(r.id.as_deref(), &r.name))
                || m.transit_gateway_attachments
                    .iter()
                    .filter(|a| a.transit_gateway == g.name)
                    .any(|a| named(a.id.as_deref(), &a.name))
        }
        _ => false,
    }
}

/// The instances registered behind the Network Load Balancers a record's hops pass
/// (`nlb-az` nodes, named by ARN). AWS picks one of them per flow by a hash that
/// includes the TCP sequence number ("Target groups for your Network Load Balancers",
/// <https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html>),
/// and the records say "either server could be chosen": Batfish's choice is one
/// deterministic pick, lztwin's (a flow hash over the healthy targets) another. So an
/// expected instance that is one of these may be matched by any of them.
fn nlb_targets(m: &Model, rec: &Value) -> Vec<String> {
    let arns: Vec<&str> = rec
        .get("expected_hops_aws")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .zip(
            rec.get("expected_hops_kind")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
        .filter(|(_, k)| k.as_str() == Some("nlb-az"))
        .filter_map(|(a, _)| a.as_str())
        .collect();
    let mut out = Vec::new();
    for lb in m
        .network_load_balancers
        .iter()
        .filter(|l| l.id.as_deref().is_some_and(|i| arns.contains(&i)))
    {
        for l in &lb.listeners {
            for tg in m.target_groups.iter().filter(|t| t.name == l.target_group) {
                for t in &tg.targets {
                    let eni = t
                        .interface
                        .as_deref()
                        .and_then(|i| m.network_interfaces.iter().find(|e| e.name == i));
                    out.extend(eni.and_then(|e| e.instance.clone()));
                }
            }
        }
    }
    out
}

/// [`trace_names`], where an expected NLB target may be any target of that NLB.
fn trace_names_target(m: &Model, t: &Trace, want: &str, kind: &str, alts: &[String]) -> bool {
    if kind == "instance" && alts.iter().any(|a| a == want) {
        return alts.iter().any(|a| trace_names(m, t, a, kind));
    }
    trace_names(m, t, want, kind)
}

fn run_record(snap: &Snapshot, rec: &Value) -> Outcome {
    let id = s(rec, "id").unwrap_or("?").to_string();
    let expected_bf = s(rec, "expected_disposition").unwrap_or("?");
    let mut expected = map_disposition(expected_bf, last_kind(rec));
    let mut note = String::new();
    if let Some((_, v, why)) = BATFISH_DIFFERS.iter().find(|(r, _, _)| *r == id) {
        expected = *v;
        note = format!("Batfish differs from AWS: {why}");
    }
    let m = &snap.model;
    let mut out = Outcome {
        id: id.clone(),
        expected,
        got: None,
        reverse: None,
        hops_ok: true,
        note,
        detail: String::new(),
    };
    let src = match source(m, &snap.dp, rec) {
        Ok(e) => e,
        Err(e) => {
            out.detail = format!("source: {e}");
            return out;
        }
    };
    if s(rec, "check") == Some("reachability") {
        return reachability(snap, rec, &src, out);
    }
    let Some(dst_ip) = ip(rec, "dst_ip") else {
        out.detail = "no dst_ip".into();
        return out;
    };
    let dst = resolve_endpoint(m, &dst_ip.to_string()).unwrap_or(Endpoint::Internet { ip: dst_ip });
    let flow = Flow {
        src: src.ip(),
        dst: dst_ip,
        protocol: protocol(rec),
        src_port: port(rec, "src_port"),
        dst_port: port(rec, "dst_port"),
    };
    let bidi = s(rec, "check") == Some("bidirectional");
    let t = trace(
        &snap.dp,
        &src,
        &dst,
        &flow,
        &TraceOptions { both_ways: bidi },
    );
    // Determinism: the same trace twice gives the same result.
    let again = trace(
        &snap.dp,
        &src,
        &dst,
        &flow,
        &TraceOptions { both_ways: bidi },
    );
    assert_eq!(t, again, "{id}: trace is not deterministic");
    out.got = Some(t.verdict);
    out.detail = format!(
        "lztwin {} {:?} hops {:?}",
        t.verdict.as_str(),
        t.reason,
        hop_ids(&t)
    );
    if bidi {
        let rev_expected = rec["reverse"]
            .get("expected_disposition")
            .and_then(Value::as_str)
            .map(|d| map_disposition(d, last_kind(&rec["reverse"])))
            .unwrap_or(Verdict::Accepted);
        let rev_got = t.return_trace.as_ref().map(|r| r.verdict);
        out.reverse = Some((rev_expected, rev_got));
        if let Some(r) = &t.return_trace {
            out.detail.push_str(&format!(
                " | reply {} {:?} hops {:?}",
                r.verdict.as_str(),
                r.reason,
                hop_ids(r)
            ));
        }
    }
    // Hops: the first and last expected nodes appear, when the verdicts agree.
    let alts = nlb_targets(m, rec);
    if out.got == Some(out.expected) {
        for (want, kind) in checked_nodes(rec) {
            if !trace_names_target(m, &t, &want, &kind, &alts) {
                out.hops_ok = false;
                out.detail
                    .push_str(&format!(" | expected hop {want} missing"));
            }
        }
        if let (Some(r), Some((e, Some(g)))) = (&t.return_trace, out.reverse) {
            if e == g {
                for (want, kind) in checked_nodes(&rec["reverse"]) {
                    if !trace_names_target(m, r, &want, &kind, &alts) {
                        out.hops_ok = false;
                        out.detail
                            .push_str(&format!(" | expected reply hop {want} missing"));
                    }
                }
            }
        }
    }
    out
}

/// A reachability record: some flow (headers unconstrained) from the source ends
/// accepted at `dst_node`. lztwin searches a small header space: each private address
/// of the destination node, TCP/UDP on the common ports, ICMP and all protocols.
fn reachability(snap: &Snapshot, rec: &Value, src: &Endpoint, mut out: Outcome) -> Outcome {
    let m = &snap.model;
    let node = s(rec, "dst_node").unwrap_or("");
    let targets: Vec<(usize, IpAddr)> = m
        .network_interfaces
        .iter()
        .enumerate()
        .filter(|(_, e)| e.instance.as_deref() == Some(node))
        .flat_map(|(i, e)| e.private_ips.iter().map(move |a| (i, *a)))
        .collect();
    let mut got = None;
    'search: for (eni, dst_ip) in &targets {
        let dst = Endpoint::Interface {
            eni: *eni,
            ip: *dst_ip,
        };
        for (protocol, port) in [
            (Protocol::Tcp, 22),
            (Protocol::Tcp, 80),
            (Protocol::Tcp, 443),
            (Protocol::Udp, 53),
            (Protocol::Icmp, 0),
            (Protocol::All, 0),
        ] {
            let flow = Flow {
                src: src.ip(),
                dst: *dst_ip,
                protocol,
                src_port: 49152,
                dst_port: port,
            };
            let t = trace(&snap.dp, src, &dst, &flow, &TraceOptions::default());
            if got.is_none() || t.verdict == Verdict::Accepted {
                got = Some(t.verdict);
                out.detail = format!("lztwin {} {:?} for {flow:?}", t.verdict.as_str(), t.reason);
            }
            if t.verdict == Verdict::Accepted {
                break 'search;
            }
        }
    }
    if targets.is_empty() {
        out.detail = format!("no interface of {node}");
    }
    out.got = got;
    out
}

#[test]
fn batfish_expected_traces_agree() {
    let text = std::fs::read_to_string(fixtures("batfish/expected-traces.json"))
        .expect("expected-traces.json");
    let records: Vec<Value> = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(records.len(), 68, "the README announces 68 records");
    let mut snaps: BTreeMap<String, Snapshot> = BTreeMap::new();
    let mut outcomes = Vec::new();
    for rec in &records {
        let name = s(rec, "snapshot").expect("snapshot").to_string();
        let snap = snaps
            .entry(name.clone())
            .or_insert_with(|| load_snapshot(&name));
        outcomes.push(run_record(snap, rec));
    }
    let mut report = String::new();
    let (mut agree, mut bad, mut pending) = (0, 0, 0);
    for o in &outcomes {
        let ok = o.agrees();
        let pend = PENDING.iter().find(|(r, _)| *r == o.id);
        let tag = match (ok, pend) {
            (true, None) => {
                agree += 1;
                "agree   "
            }
            (false, Some(_)) => {
                pending += 1;
                "pending "
            }
            // A pending record that now agrees must leave PENDING.
            (true, Some(_)) => {
                bad += 1;
                "FIXED (remove from PENDING)"
            }
            (false, None) => {
                bad += 1;
                "DISAGREE"
            }
        };
        report.push_str(&format!(
            "{tag} {}: expected {}{} got {}{} {}{}{}\n",
            o.id,
            verdict_name(o.expected),
            o.reverse
                .map(|(e, _)| format!(" (reply {})", e.as_str()))
                .unwrap_or_default(),
            o.got.map_or("-", Verdict::as_str),
            o.reverse
                .map(|(_, g)| format!(" (reply {})", g.map_or("-", Verdict::as_str)))
                .unwrap_or_default(),
            o.detail,
            if o.note.is_empty() {
                String::new()
            } else {
                format!(" [{}]", o.note)
            },
            pend.map(|(_, why)| format!(" [pending: {why}]"))
                .unwrap_or_default(),
        ));
    }
    println!(
        "{agree} agree, {pending} pending, {bad} disagree of {}",
        outcomes.len()
    );
    assert_eq!(bad, 0, "records disagree with Batfish:\n{report}");
    assert!(PENDING
        .iter()
        .all(|(r, _)| outcomes.iter().any(|o| o.id == *r)));
}
