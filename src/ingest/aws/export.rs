//! Model → AWS `describe-*` snapshot: the JSON files the importer ([`super::load_dir`])
//! reads, in Batfish's multi-account layout
//! `aws_configs/accounts/<account>/<region>/<Key>.json`.
//!
//! Every object keeps its model name as its `Name` tag (or the resource's own name:
//! firewalls, policies, rule groups, load balancers, prefix lists, DX gateways) and its
//! AWS id; objects without an id get a stable one derived from their name
//! ([`export_id`]), so exporting twice gives the same bytes.
//!
//! What AWS cannot express is carried by `lztwin:` tags the importer reads back: an
//! account's environment (`lztwin:environment` on its `Accounts` entry), a site's
//! identity and prefixes (`lztwin:site`, `lztwin:prefixes` on its customer gateway and
//! Direct Connect gateway), the prefixes one attachment or VPN connection advertises
//! (`lztwin:advertised-prefixes`), an interface's role (`lztwin:role`) and a gateway
//! endpoint's prefix list (`lztwin:prefix-list`).
//!
//! `import(export(m))` equals [`expected_import`]`(m)`: `m` with ids filled in, every
//! collection sorted by name (the importer's order), and these intentional differences
//! (what the AWS API cannot represent or derives by itself):
//! - unavailable TGW attachments are exported as `failed` and left out on import;
//! - on-premises sites that no VPN/DX connection reaches are not exported;
//! - a `local` route to exactly a VPC CIDR is the implicit local route (dropped);
//! - a VPC whose only route table is not `main` gets it as main (AWS always has one);
//! - NACL entries come back sorted by (direction, rule number);
//! - the `propagation` source of VGW-propagated VPC routes is derived from the VGW's
//!   connections; GWLB endpoints get a service name;
//! - stateful rules whose protocol is not IP/TCP/UDP/ICMP/ICMPv6 are not representable
//!   in a 5-tuple header and are left out with a warning on import.

use crate::model::*;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

/// Writing a snapshot failed.
#[derive(Debug)]
pub struct ExportError {
    /// The file or directory concerned.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ExportError {}

/// A stable AWS-style id for an object without one: `prefix-0` + 16 hex digits of the
/// FNV-1a hash of `kind:name`.
pub fn export_id(prefix: &str, name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in prefix.bytes().chain([b':']).chain(name.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{prefix}-0{h:016x}")
}

const ACCOUNT_ZERO: &str = "000000000000";

/// The model with every missing AWS id filled in as the exporter writes it.
pub fn with_export_ids(m: &Model) -> Model {
    let mut m = m.clone();
    let acct_id = |m: &Model, a: &str| -> String {
        m.accounts
            .iter()
            .find(|x| x.name == a)
            .and_then(|x| x.id.clone())
            .unwrap_or_else(|| ACCOUNT_ZERO.to_string())
    };
    macro_rules! fill {
        ($coll:ident, $prefix:expr) => {
            for o in &mut m.$coll {
                if o.id.is_none() {
                    o.id = Some(export_id($prefix, &o.name));
                }
            }
        };
    }
    fill!(vpcs, "vpc");
    fill!(subnets, "subnet");
    fill!(route_tables, "rtb");
    fill!(internet_gateways, "igw");
    fill!(egress_only_internet_gateways, "eigw");
    fill!(nat_gateways, "nat");
    fill!(vpn_gateways, "vgw");
    fill!(vpc_peering_connections, "pcx");
    fill!(prefix_lists, "pl");
    fill!(vpc_endpoints, "vpce");
    fill!(transit_gateways, "tgw");
    fill!(transit_gateway_route_tables, "tgw-rtb");
    fill!(transit_gateway_attachments, "tgw-attach");
    fill!(security_groups, "sg");
    fill!(network_acls, "acl");
    fill!(network_interfaces, "eni");
    fill!(network_load_balancers, "nlb");
    fill!(target_groups, "tg");
    for g in &mut m.vpn_gateways {
        for c in &mut g.connections {
            if c.id.is_none() {
                let p = match c.kind {
                    ConnectionKind::Vpn => "vpn",
                    ConnectionKind::DirectConnect => "dxvif",
                };
                c.id = Some(export_id(p, &c.name));
            }
        }
    }
    let vpc_place: BTreeMap<String, (String, String)> = m
        .vpcs
        .iter()
        .map(|v| (v.name.clone(), (acct_id(&m, &v.account), v.region.clone())))
        .collect();
    let place = |vpc: &str| {
        vpc_place
            .get(vpc)
            .cloned()
            .unwrap_or_else(|| (ACCOUNT_ZERO.to_string(), "us-east-1".to_string()))
    };
    for f in &mut m.firewalls {
        let (a, r) = place(&f.vpc);
        if f.id.is_none() {
            f.id = Some(format!(
                "arn:aws:network-firewall:{r}:{a}:firewall/{}",
                f.name
            ));
        }
        for e in &mut f.endpoints {
            if e.id.is_none() {
                e.id = Some(export_id("vpce", &e.name));
            }
        }
    }
    for g in &mut m.gateway_load_balancers {
        let (a, r) = place(&g.vpc);
        if g.id.is_none() {
            let h = export_id("gwy", &g.name);
            g.id = Some(format!(
                "arn:aws:elasticloadbalancing:{r}:{a}:loadbalancer/gwy/{}/{}",
                g.name,
                &h[5..]
            ));
        }
    }
    // Policies and rule groups live where their first firewall does.
    let (pa, pr) = m
        .firewalls
        .first()
        .map(|f| place(&f.vpc))
        .unwrap_or_else(|| (ACCOUNT_ZERO.to_string(), "us-east-1".to_string()));
    for p in &mut m.firewall_policies {
        if p.id.is_none() {
            p.id = Some(format!(
                "arn:aws:network-firewall:{pr}:{pa}:firewall-policy/{}",
                p.name
            ));
        }
    }
    for g in &mut m.rule_groups {
        if g.id.is_none() {
            let kind = match g.group_type {
                RuleGroupType::Stateless => "stateless-rulegroup",
                RuleGroupType::Stateful => "stateful-rulegroup",
            };
            g.id = Some(format!(
                "arn:aws:network-firewall:{pr}:{pa}:{kind}/{}",
                g.name
            ));
        }
    }
    m
}

/// What importing the export of `m` gives: see the module documentation.
pub fn expected_import(m: &Model) -> Model {
    let mut m = with_export_ids(m);
    let gone: BTreeSet<String> = m
        .transit_gateway_attachments
        .iter()
        .filter(|a| !a.available)
        .map(|a| a.name.clone())
        .collect();
    m.transit_gateway_attachments.retain(|a| a.available);
    for t in &mut m.transit_gateway_route_tables {
        for r in &mut t.routes {
            if r.attachment.as_ref().is_some_and(|a| gone.contains(a)) {
                r.attachment = None;
                r.blackhole = true;
            }
        }
    }
    let reached: BTreeSet<String> = m
        .transit_gateway_attachments
        .iter()
        .filter_map(|a| a.site.clone())
        .chain(
            m.vpn_gateways
                .iter()
                .flat_map(|g| g.connections.iter().map(|c| c.site.clone())),
        )
        .collect();
    m.onprem_sites.retain(|s| reached.contains(&s.name));
    let cidrs: BTreeMap<String, Vec<ipnet::IpNet>> = m
        .vpcs
        .iter()
        .map(|v| (v.name.clone(), v.cidrs.clone()))
        .collect();
    let mut tables: BTreeMap<String, usize> = BTreeMap::new();
    for t in &m.route_tables {
        *tables.entry(t.vpc.clone()).or_default() += 1;
    }
    let has_main: BTreeSet<String> = m
        .route_tables
        .iter()
        .filter(|t| t.main)
        .map(|t| t.vpc.clone())
        .collect();
    for t in &mut m.route_tables {
        let vc = cidrs.get(&t.vpc).cloned().unwrap_or_default();
        t.routes.retain(|r| {
            !(r.target == RouteTarget::Local && r.destination.is_some_and(|d| vc.contains(&d)))
        });
        if !has_main.contains(&t.vpc) && tables.get(&t.vpc) == Some(&1) {
            t.main = true;
        }
    }
    for a in &mut m.network_acls {
        a.entries.sort_by_key(|e| (e.egress, e.rule_number));
    }
    for e in &mut m.vpc_endpoints {
        if e.endpoint_type == VpcEndpointType::GatewayLoadBalancer && e.service_name.is_none() {
            e.service_name = Some(gwlb_service_name(&e.name));
        }
    }
    for g in &mut m.rule_groups {
        g.stateful_rules
            .retain(|r| header_protocol(r.protocol).is_some());
    }
    for f in &mut m.firewalls {
        f.endpoints.sort_by(|a, b| a.name.cmp(&b.name));
    }
    for g in &mut m.vpn_gateways {
        g.connections.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let vgw_kind: BTreeMap<String, Option<PropagationSource>> = m
        .vpn_gateways
        .iter()
        .map(|g| {
            let k = if g.connections.is_empty() {
                None
            } else if g
                .connections
                .iter()
                .any(|c| c.kind == ConnectionKind::DirectConnect)
            {
                Some(PropagationSource::DirectConnect)
            } else if g
                .connections
                .iter()
                .any(|c| c.routing == VpnRouting::Static)
            {
                Some(PropagationSource::VpnStatic)
            } else {
                Some(PropagationSource::VpnBgp)
            };
            (g.name.clone(), k)
        })
        .collect();
    for t in &mut m.route_tables {
        for r in &mut t.routes {
            r.propagation = match (&r.origin, &r.target) {
                (RouteOrigin::Propagated, RouteTarget::VpnGateway(g)) => {
                    vgw_kind.get(g).copied().flatten()
                }
                _ => None,
            };
        }
    }
    // The attachment's account is the resource owner when it differs from the TGW's
    // (known only for accounts with an id: `ResourceOwnerId`).
    let acct_with_id: BTreeSet<String> = m
        .accounts
        .iter()
        .filter(|a| a.id.is_some())
        .map(|a| a.name.clone())
        .collect();
    let tgw_account: BTreeMap<String, String> = m
        .transit_gateways
        .iter()
        .map(|t| (t.name.clone(), t.account.clone()))
        .collect();
    let vpc_account: BTreeMap<String, String> = m
        .vpcs
        .iter()
        .map(|v| (v.name.clone(), v.account.clone()))
        .collect();
    let site_prefixes: BTreeMap<String, BTreeSet<ipnet::IpNet>> = m
        .onprem_sites
        .iter()
        .map(|s| (s.name.clone(), s.prefixes.iter().copied().collect()))
        .collect();
    let advertised = |adv: &mut Vec<ipnet::IpNet>, site: Option<&String>| {
        let set: BTreeSet<ipnet::IpNet> = adv.iter().copied().collect();
        let all = site.and_then(|s| site_prefixes.get(s));
        *adv = if Some(&set) == all {
            Vec::new()
        } else {
            set.into_iter().collect()
        };
    };
    for a in &mut m.transit_gateway_attachments {
        a.propagations.sort();
        a.propagations.dedup();
        let tgw_acc = tgw_account.get(&a.transit_gateway).cloned();
        let owner = a.account.clone().or_else(|| match a.attachment_type {
            AttachmentType::Vpc => a.vpc.as_ref().and_then(|v| vpc_account.get(v).cloned()),
            _ => None,
        });
        a.account = owner.filter(|o| Some(o) != tgw_acc.as_ref() && acct_with_id.contains(o));
        advertised(&mut a.advertised_prefixes, a.site.as_ref());
    }
    for g in &mut m.vpn_gateways {
        for c in &mut g.connections {
            advertised(&mut c.advertised_prefixes, Some(&c.site));
        }
    }
    for s in &mut m.onprem_sites {
        s.prefixes.sort();
        s.prefixes.dedup();
    }
    for e in &mut m.vpc_endpoints {
        if e.endpoint_type != VpcEndpointType::Interface {
            e.private_ips.clear();
        }
        if e.endpoint_type == VpcEndpointType::Gateway {
            e.subnet = None;
        }
    }
    for e in &mut m.network_interfaces {
        e.private_ips.sort_by_key(|ip| ip.is_ipv6());
    }
    for t in &mut m.transit_gateway_route_tables {
        t.routes
            .sort_by(|a, b| (a.destination, &a.attachment).cmp(&(b.destination, &b.attachment)));
        t.prefix_list_references
            .sort_by(|a, b| (&a.prefix_list, &a.attachment).cmp(&(&b.prefix_list, &b.attachment)));
    }
    for g in &mut m.gateway_load_balancers {
        g.appliances.sort();
    }
    // Network Load Balancers: only target groups a listener uses are imported; a
    // target's port equal to its group's is implicit; instance targets are exported by
    // instance id (an interface without one is left out); node interfaces carry no
    // instance and keep source/destination check on; a `load_balancer` interface that
    // is no load balancer's node is not imported.
    let used_tgs: BTreeSet<String> = m
        .network_load_balancers
        .iter()
        .flat_map(|l| l.listeners.iter().map(|x| x.target_group.clone()))
        .collect();
    m.target_groups.retain(|t| used_tgs.contains(&t.name));
    let eni_instance: BTreeMap<String, Option<String>> = m
        .network_interfaces
        .iter()
        .map(|e| (e.name.clone(), e.instance.clone()))
        .collect();
    for t in &mut m.target_groups {
        let port = t.port;
        t.targets.retain(|x| match (&x.interface, x.ip) {
            (Some(n), _) => eni_instance.get(n).is_some_and(|i| i.is_some()),
            (None, ip) => ip.is_some(),
        });
        for x in &mut t.targets {
            if x.port == Some(port) {
                x.port = None;
            }
        }
    }
    let nodes: BTreeSet<String> = m
        .network_load_balancers
        .iter()
        .flat_map(|l| l.nodes.iter().cloned())
        .collect();
    m.network_interfaces
        .retain(|e| e.role != InterfaceRole::LoadBalancer || nodes.contains(&e.name));
    for e in &mut m.network_interfaces {
        if e.role == InterfaceRole::LoadBalancer {
            e.instance = None;
            e.source_dest_check = true;
        }
    }
    crate::ingest::aws::build::sort_model(&mut m);
    m
}

fn gwlb_service_name(endpoint: &str) -> String {
    format!("com.amazonaws.vpce.{}", export_id("vpce-svc", endpoint))
}

fn header_protocol(p: Protocol) -> Option<&'static str> {
    match p {
        Protocol::All => Some("IP"),
        Protocol::Tcp => Some("TCP"),
        Protocol::Udp => Some("UDP"),
        Protocol::Icmp => Some("ICMP"),
        Protocol::Icmpv6 => Some("ICMPV6"),
        Protocol::Number(_) => None,
    }
}

/// Files per (account folder, region): top-level key → items.
#[derive(Default)]
struct Files {
    lists: BTreeMap<(String, String), BTreeMap<&'static str, Vec<Value>>>,
    /// Single-response files (firewall, policy, rule group, per-table results): a
    /// JSON array of response objects per file.
    responses: BTreeMap<(String, String), BTreeMap<&'static str, Vec<Value>>>,
}

impl Files {
    fn push(&mut self, place: &(String, String), key: &'static str, v: Value) {
        self.lists
            .entry(place.clone())
            .or_default()
            .entry(key)
            .or_default()
            .push(v);
    }
    fn respond(&mut self, place: &(String, String), file: &'static str, v: Value) {
        self.responses
            .entry(place.clone())
            .or_default()
            .entry(file)
            .or_default()
            .push(v);
    }
}

fn tags(pairs: &[(&str, String)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}

fn name_tag(name: &str) -> Value {
    tags(&[("Name", name.to_string())])
}

fn join(nets: &[ipnet::IpNet]) -> String {
    nets.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn id_of(id: &Option<String>) -> String {
    id.clone().unwrap_or_default()
}

/// Write `m` as a snapshot under `dir` (created if needed). The files are pretty
/// JSON with a trailing newline; the same model always gives the same bytes.
pub fn export_snapshot(m: &Model, dir: &Path) -> Result<(), ExportError> {
    let files = render(m);
    let root = dir.join("aws_configs").join("accounts");
    let io = |p: &Path, e: std::io::Error| ExportError {
        path: p.display().to_string(),
        message: e.to_string(),
    };
    let write = |place: &(String, String), file: &str, v: &Value| -> Result<(), ExportError> {
        let d = root.join(&place.0).join(&place.1);
        std::fs::create_dir_all(&d).map_err(|e| io(&d, e))?;
        let p = d.join(format!("{file}.json"));
        let mut text = serde_json::to_string_pretty(v).map_err(|e| ExportError {
            path: p.display().to_string(),
            message: e.to_string(),
        })?;
        text.push('\n');
        std::fs::write(&p, text).map_err(|e| io(&p, e))
    };
    for (place, keys) in &files.lists {
        for (key, items) in keys {
            let mut o = Map::new();
            o.insert((*key).to_string(), Value::Array(items.clone()));
            write(place, key, &Value::Object(o))?;
        }
    }
    for (place, fs) in &files.responses {
        for (file, items) in fs {
            write(place, file, &Value::Array(items.clone()))?;
        }
    }
    Ok(())
}

/// Build every file's content.
fn render(m0: &Model) -> Files {
    let m = &with_export_ids(m0);
    let mut f = Files::default();
    let default_region = m
        .regions
        .first()
        .map(|r| r.name.clone())
        .or_else(|| m.vpcs.first().map(|v| v.region.clone()))
        .unwrap_or_else(|| "us-east-1".to_string());
    let acct = |name: &str| -> (String, String) {
        match m.accounts.iter().find(|a| a.name == name) {
            Some(a) => (
                a.id.clone().unwrap_or_else(|| a.name.clone()),
                a.id.clone().unwrap_or_else(|| ACCOUNT_ZERO.to_string()),
            ),
            None => (name.to_string(), ACCOUNT_ZERO.to_string()),
        }
    };
    let vpc_of = |n: &str| m.vpcs.iter().find(|v| v.name == n);
    let subnet_of = |n: &str| m.subnets.iter().find(|s| s.name == n);
    // (account folder, region) of a VPC.
    let vpc_place = |n: &str| -> (String, String) {
        match vpc_of(n) {
            Some(v) => (acct(&v.account).0, v.region.clone()),
            None => (
                m.accounts
                    .first()
                    .map(|a| acct(&a.name).0)
                    .unwrap_or_else(|| "default".into()),
                default_region.clone(),
            ),
        }
    };
    let subnet_place = |n: &str| vpc_place(subnet_of(n).map(|s| s.vpc.as_str()).unwrap_or(""));
    let tgw_of = |n: &str| m.transit_gateways.iter().find(|t| t.name == n);
    let tgw_place = |n: &str| -> (String, String) {
        match tgw_of(n) {
            Some(t) => (acct(&t.account).0, t.region.clone()),
            None => vpc_place(""),
        }
    };
    let owner = |a: &str| acct(a).1;
    let vpc_owner = |n: &str| vpc_of(n).map(|v| owner(&v.account)).unwrap_or_default();
    macro_rules! idn {
        ($coll:ident, $name:expr) => {
            m.$coll
                .iter()
                .find(|o| o.name == $name)
                .and_then(|o| o.id.clone())
                .unwrap_or_else(|| $name.to_string())
        };
    }

    // ---- accounts and AZs ------------------------------------------------------------
    let mut places: BTreeSet<(String, String)> = BTreeSet::new();
    for v in &m.vpcs {
        places.insert(vpc_place(&v.name));
    }
    for t in &m.transit_gateways {
        places.insert(tgw_place(&t.name));
    }
    for a in &m.accounts {
        let folder = acct(&a.name).0;
        let place = places
            .iter()
            .find(|(f, _)| *f == folder)
            .cloned()
            .unwrap_or((folder.clone(), default_region.clone()));
        places.insert(place.clone());
        let mut entry = json!({
            "Name": a.name,
            "Tags": tags(&[("lztwin:environment", a.environment.as_str().to_string())]),
        });
        if let Some(id) = &a.id {
            entry["Id"] = json!(id);
        }
        f.push(&place, "Accounts", entry);
    }
    for place in &places {
        if let Some(r) = m.regions.iter().find(|r| r.name == place.1) {
            for z in &r.availability_zones {
                f.push(
                    place,
                    "AvailabilityZones",
                    json!({"ZoneName": z, "RegionName": r.name, "State": "available", "ZoneType": "availability-zone"}),
                );
            }
        }
    }

    // ---- VPCs and subnets ---------------------------------------------------------------
    for v in &m.vpcs {
        let v4: Vec<Value> = v
            .cidrs
            .iter()
            .filter(|c| matches!(c, ipnet::IpNet::V4(_)))
            .map(|c| json!({"CidrBlock": c.to_string(), "CidrBlockState": {"State": "associated"}}))
            .collect();
        let v6: Vec<Value> = v
            .cidrs
            .iter()
            .filter(|c| matches!(c, ipnet::IpNet::V6(_)))
            .map(|c| json!({"Ipv6CidrBlock": c.to_string(), "Ipv6CidrBlockState": {"State": "associated"}}))
            .collect();
        let mut o = json!({
            "VpcId": id_of(&v.id),
            "OwnerId": owner(&v.account),
            "State": "available",
            "CidrBlockAssociationSet": v4,
            "Tags": name_tag(&v.name),
        });
        if let Some(c) = v.cidrs.iter().find(|c| matches!(c, ipnet::IpNet::V4(_))) {
            o["CidrBlock"] = json!(c.to_string());
        }
        if !v6.is_empty() {
            o["Ipv6CidrBlockAssociationSet"] = Value::Array(v6);
        }
        f.push(&vpc_place(&v.name), "Vpcs", o);
    }
    for s in &m.subnets {
        let mut o = json!({
            "SubnetId": id_of(&s.id),
            "VpcId": idn!(vpcs, s.vpc.as_str()),
            "AvailabilityZone": s.az,
            "CidrBlock": s.cidr.to_string(),
            "State": "available",
            "OwnerId": vpc_owner(&s.vpc),
            "Tags": name_tag(&s.name),
        });
        if let Some(v6) = &s.ipv6_cidr {
            o["Ipv6CidrBlockAssociationSet"] = json!([{"Ipv6CidrBlock": v6.to_string(), "Ipv6CidrBlockState": {"State": "associated"}}]);
        }
        f.push(&vpc_place(&s.vpc), "Subnets", o);
    }

    // ---- route tables ------------------------------------------------------------------
    let fw_endpoint_id = |n: &str| {
        m.firewalls
            .iter()
            .flat_map(|f| f.endpoints.iter())
            .find(|e| e.name == n)
            .and_then(|e| e.id.clone())
    };
    for t in &m.route_tables {
        let rid = id_of(&t.id);
        let mut assoc = Vec::new();
        if t.main {
            assoc.push(json!({"Main": true, "RouteTableId": rid, "RouteTableAssociationId": export_id("rtbassoc", &format!("{}:main", t.name)), "AssociationState": {"State": "associated"}}));
        }
        for s in &t.subnets {
            assoc.push(json!({"Main": false, "RouteTableId": rid, "SubnetId": idn!(subnets, s.as_str()), "RouteTableAssociationId": export_id("rtbassoc", &format!("{}:{s}", t.name)), "AssociationState": {"State": "associated"}}));
        }
        for g in &t.edge_associations {
            let gid = if m.internet_gateways.iter().any(|x| x.name == *g) {
                idn!(internet_gateways, g.as_str())
            } else {
                idn!(vpn_gateways, g.as_str())
            };
            assoc.push(json!({"Main": false, "RouteTableId": rid, "GatewayId": gid, "RouteTableAssociationId": export_id("rtbassoc", &format!("{}:{g}", t.name)), "AssociationState": {"State": "associated"}}));
        }
        let mut routes = Vec::new();
        for c in vpc_of(&t.vpc).map(|v| v.cidrs.clone()).unwrap_or_default() {
            let key = if c.addr().is_ipv4() {
                "DestinationCidrBlock"
            } else {
                "DestinationIpv6CidrBlock"
            };
            routes.push(json!({key: c.to_string(), "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}));
        }
        for r in &t.routes {
            let mut o = Map::new();
            match (&r.destination, &r.destination_prefix_list) {
                (Some(d), _) if d.addr().is_ipv4() => {
                    o.insert("DestinationCidrBlock".into(), json!(d.to_string()));
                }
                (Some(d), _) => {
                    o.insert("DestinationIpv6CidrBlock".into(), json!(d.to_string()));
                }
                (None, Some(p)) => {
                    o.insert(
                        "DestinationPrefixListId".into(),
                        json!(idn!(prefix_lists, p.as_str())),
                    );
                }
                (None, None) => continue,
            }
            let (key, id) = match &r.target {
                RouteTarget::Local => ("GatewayId", "local".to_string()),
                RouteTarget::InternetGateway(n) => {
                    ("GatewayId", idn!(internet_gateways, n.as_str()))
                }
                RouteTarget::VpnGateway(n) => ("GatewayId", idn!(vpn_gateways, n.as_str())),
                RouteTarget::VpcEndpoint(n) => (
                    "GatewayId",
                    fw_endpoint_id(n).unwrap_or_else(|| idn!(vpc_endpoints, n.as_str())),
                ),
                RouteTarget::EgressOnlyInternetGateway(n) => (
                    "EgressOnlyInternetGatewayId",
                    idn!(egress_only_internet_gateways, n.as_str()),
                ),
                RouteTarget::NatGateway(n) => ("NatGatewayId", idn!(nat_gateways, n.as_str())),
                RouteTarget::TransitGateway(n) => {
                    ("TransitGatewayId", idn!(transit_gateways, n.as_str()))
                }
                RouteTarget::VpcPeeringConnection(n) => (
                    "VpcPeeringConnectionId",
                    idn!(vpc_peering_connections, n.as_str()),
                ),
                RouteTarget::NetworkInterface(n) => {
                    ("NetworkInterfaceId", idn!(network_interfaces, n.as_str()))
                }
            };
            o.insert(key.into(), json!(id));
            let origin = match r.origin {
                RouteOrigin::Static => "CreateRoute",
                RouteOrigin::Local => "CreateRouteTable",
                RouteOrigin::Propagated => "EnableVgwRoutePropagation",
            };
            o.insert("Origin".into(), json!(origin));
            let state = match r.state {
                RouteState::Active => "active",
                RouteState::Blackhole => "blackhole",
            };
            o.insert("State".into(), json!(state));
            routes.push(Value::Object(o));
        }
        let vgws: Vec<Value> = t
            .propagating_vgws
            .iter()
            .map(|g| json!({"GatewayId": idn!(vpn_gateways, g.as_str())}))
            .collect();
        f.push(
            &vpc_place(&t.vpc),
            "RouteTables",
            json!({
                "RouteTableId": rid,
                "VpcId": idn!(vpcs, t.vpc.as_str()),
                "OwnerId": vpc_owner(&t.vpc),
                "Associations": assoc,
                "PropagatingVgws": vgws,
                "Routes": routes,
                "Tags": name_tag(&t.name),
            }),
        );
    }

    // ---- gateways -------------------------------------------------------------------------
    for g in &m.internet_gateways {
        let place = g
            .vpc
            .as_deref()
            .map(vpc_place)
            .unwrap_or_else(|| vpc_place(""));
        let att: Vec<Value> = g
            .vpc
            .iter()
            .map(|v| json!({"VpcId": idn!(vpcs, v.as_str()), "State": "available"}))
            .collect();
        f.push(
            &place,
            "InternetGateways",
            json!({"InternetGatewayId": id_of(&g.id), "Attachments": att, "Tags": name_tag(&g.name)}),
        );
    }
    for g in &m.egress_only_internet_gateways {
        f.push(
            &vpc_place(&g.vpc),
            "EgressOnlyInternetGateways",
            json!({"EgressOnlyInternetGatewayId": id_of(&g.id), "Attachments": [{"VpcId": idn!(vpcs, g.vpc.as_str()), "State": "attached"}], "Tags": name_tag(&g.name)}),
        );
    }
    for n in &m.nat_gateways {
        let mut addr = json!({"PrivateIp": n.private_ip.to_string(), "IsPrimary": true});
        if let Some(p) = n.public_ip {
            addr["PublicIp"] = json!(p.to_string());
        }
        let conn = match n.connectivity {
            NatConnectivity::Public => "public",
            NatConnectivity::Private => "private",
        };
        let vpc = subnet_of(&n.subnet)
            .map(|s| s.vpc.clone())
            .unwrap_or_default();
        f.push(
            &subnet_place(&n.subnet),
            "NatGateways",
            json!({
                "NatGatewayId": id_of(&n.id),
                "SubnetId": idn!(subnets, n.subnet.as_str()),
                "VpcId": idn!(vpcs, vpc.as_str()),
                "State": "available",
                "ConnectivityType": conn,
                "NatGatewayAddresses": [addr],
                "Tags": name_tag(&n.name),
            }),
        );
    }
    for p in &m.vpc_peering_connections {
        let side = |v: &str| json!({"VpcId": idn!(vpcs, v), "OwnerId": vpc_owner(v), "Region": vpc_of(v).map(|x| x.region.clone()).unwrap_or_default()});
        f.push(
            &vpc_place(&p.requester_vpc),
            "VpcPeeringConnections",
            json!({
                "VpcPeeringConnectionId": id_of(&p.id),
                "Status": {"Code": "active"},
                "RequesterVpcInfo": side(&p.requester_vpc),
                "AccepterVpcInfo": side(&p.accepter_vpc),
                "Tags": name_tag(&p.name),
            }),
        );
    }

    // ---- prefix lists -----------------------------------------------------------------------
    let first_place = places
        .iter()
        .next()
        .cloned()
        .unwrap_or_else(|| ("default".to_string(), default_region.clone()));
    for p in &m.prefix_lists {
        let family = if p.entries.iter().all(|e| e.addr().is_ipv4()) {
            "IPv4"
        } else {
            "IPv6"
        };
        f.push(
            &first_place,
            "ManagedPrefixLists",
            json!({
                "PrefixListId": id_of(&p.id),
                "PrefixListName": p.name,
                "AddressFamily": family,
                "State": "create-complete",
                "MaxEntries": p.entries.len().max(1),
            }),
        );
        let entries: Vec<Value> = p
            .entries
            .iter()
            .map(|e| json!({"Cidr": e.to_string()}))
            .collect();
        f.respond(
            &first_place,
            "ManagedPrefixListEntries",
            json!({"PrefixListId": id_of(&p.id), "Entries": entries}),
        );
    }

    // ---- security groups, NACLs, interfaces ----------------------------------------------------
    for g in &m.security_groups {
        let perms = |rules: &[SecurityGroupRule]| -> Vec<Value> {
            rules
                .iter()
                .filter_map(|r| {
                    let proto = match r.protocol {
                        Protocol::All => "-1".to_string(),
                        p => p.to_string(),
                    };
                    let mut o = json!({"IpProtocol": proto});
                    if r.protocol.has_ports() {
                        o["FromPort"] = json!(r.ports.from);
                        o["ToPort"] = json!(r.ports.to);
                    }
                    let mut peer = Map::new();
                    if let Some(d) = &r.description {
                        peer.insert("Description".into(), json!(d));
                    }
                    if let Some(c) = r.cidr {
                        if c.addr().is_ipv4() {
                            peer.insert("CidrIp".into(), json!(c.to_string()));
                            o["IpRanges"] = json!([Value::Object(peer)]);
                        } else {
                            peer.insert("CidrIpv6".into(), json!(c.to_string()));
                            o["Ipv6Ranges"] = json!([Value::Object(peer)]);
                        }
                    } else if let Some(p) = &r.prefix_list {
                        peer.insert("PrefixListId".into(), json!(idn!(prefix_lists, p.as_str())));
                        o["PrefixListIds"] = json!([Value::Object(peer)]);
                    } else if let Some(s) = &r.security_group {
                        peer.insert("GroupId".into(), json!(idn!(security_groups, s.as_str())));
                        o["UserIdGroupPairs"] = json!([Value::Object(peer)]);
                    } else {
                        return None;
                    }
                    Some(o)
                })
                .collect()
        };
        f.push(
            &vpc_place(&g.vpc),
            "SecurityGroups",
            json!({
                "GroupId": id_of(&g.id),
                "GroupName": g.name,
                "VpcId": idn!(vpcs, g.vpc.as_str()),
                "OwnerId": vpc_owner(&g.vpc),
                "Description": g.name,
                "IpPermissions": perms(&g.ingress),
                "IpPermissionsEgress": perms(&g.egress),
                "Tags": name_tag(&g.name),
            }),
        );
    }
    for a in &m.network_acls {
        let entries: Vec<Value> = a
            .entries
            .iter()
            .map(|e| {
                let proto = e
                    .protocol
                    .number()
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "-1".into());
                let mut o = json!({
                    "RuleNumber": e.rule_number,
                    "Egress": e.egress,
                    "Protocol": proto,
                    "RuleAction": match e.action { RuleAction::Allow => "allow", RuleAction::Deny => "deny" },
                });
                if e.cidr.addr().is_ipv4() {
                    o["CidrBlock"] = json!(e.cidr.to_string());
                } else {
                    o["Ipv6CidrBlock"] = json!(e.cidr.to_string());
                }
                if e.protocol.has_ports() {
                    o["PortRange"] = json!({"From": e.ports.from, "To": e.ports.to});
                }
                o
            })
            .collect();
        let assoc: Vec<Value> = a
            .subnets
            .iter()
            .map(|s| json!({"SubnetId": idn!(subnets, s.as_str()), "NetworkAclId": id_of(&a.id)}))
            .collect();
        f.push(
            &vpc_place(&a.vpc),
            "NetworkAcls",
            json!({
                "NetworkAclId": id_of(&a.id),
                "VpcId": idn!(vpcs, a.vpc.as_str()),
                "OwnerId": vpc_owner(&a.vpc),
                "IsDefault": a.default,
                "Associations": assoc,
                "Entries": entries,
                "Tags": name_tag(&a.name),
            }),
        );
    }
    let eni_json = |id: &str,
                    subnet: &str,
                    ips: &[std::net::IpAddr],
                    public: Option<std::net::Ipv4Addr>,
                    kind: &str| {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        for (i, ip) in ips.iter().enumerate() {
            if ip.is_ipv4() {
                let mut o = json!({"PrivateIpAddress": ip.to_string(), "Primary": i == 0});
                if i == 0 {
                    if let Some(p) = public {
                        o["Association"] = json!({"PublicIp": p.to_string()});
                    }
                }
                v4.push(o);
            } else {
                v6.push(json!({"Ipv6Address": ip.to_string()}));
            }
        }
        let sn = subnet_of(subnet);
        let mut o = json!({
            "NetworkInterfaceId": id,
            "SubnetId": idn!(subnets, subnet),
            "VpcId": sn.map(|s| idn!(vpcs, s.vpc.as_str())).unwrap_or_default(),
            "AvailabilityZone": sn.map(|s| s.az.clone()).unwrap_or_default(),
            "InterfaceType": kind,
            "Status": "in-use",
            "PrivateIpAddresses": v4,
            "Ipv6Addresses": v6,
        });
        if let Some(IpAddrOpt::V4(p)) = ips.first().map(IpAddrOpt::from) {
            o["PrivateIpAddress"] = json!(p.to_string());
        }
        o
    };
    for e in &m.network_interfaces {
        let mut o = eni_json(
            &id_of(&e.id),
            &e.subnet,
            &e.private_ips,
            e.public_ip,
            if e.role == InterfaceRole::LoadBalancer {
                "network_load_balancer"
            } else {
                "interface"
            },
        );
        // A load balancer node's interface is described as AWS does: "ELB net/<name>/<id>".
        if let Some(lb) = m
            .network_load_balancers
            .iter()
            .find(|l| l.nodes.contains(&e.name))
        {
            o["Description"] = json!(format!("ELB {}", nlb_arn_tail(&id_of(&lb.id))));
            o["RequesterManaged"] = json!(true);
        }
        o["Groups"] = Value::Array(
            e.security_groups
                .iter()
                .map(|g| json!({"GroupId": idn!(security_groups, g.as_str()), "GroupName": g}))
                .collect(),
        );
        o["SourceDestCheck"] = json!(e.source_dest_check);
        if let Some(i) = &e.instance {
            o["Attachment"] = json!({"InstanceId": i, "DeviceIndex": 0, "Status": "attached"});
        }
        let mut t: Vec<(&str, String)> = vec![("Name", e.name.clone())];
        for (k, v) in &e.tags {
            t.push((k.as_str(), v.clone()));
        }
        let role = match e.role {
            InterfaceRole::Workload => "workload",
            InterfaceRole::Appliance => "appliance",
            InterfaceRole::LoadBalancer => "load_balancer",
        };
        t.push(("lztwin:role", role.to_string()));
        o["TagSet"] = tags(&t);
        // Tags with empty values are kept (only the lztwin ones are never empty).
        if let Some(arr) = o["TagSet"].as_array_mut() {
            for (k, v) in &e.tags {
                if v.is_empty() {
                    arr.push(json!({"Key": k, "Value": ""}));
                }
            }
        }
        f.push(&subnet_place(&e.subnet), "NetworkInterfaces", o);
    }

    // ---- VPC endpoints, firewalls, GWLBs --------------------------------------------------
    for e in &m.vpc_endpoints {
        let place = vpc_place(&e.vpc);
        let eid = id_of(&e.id);
        let ty = match e.endpoint_type {
            VpcEndpointType::GatewayLoadBalancer => "GatewayLoadBalancer",
            VpcEndpointType::Interface => "Interface",
            VpcEndpointType::Gateway => "Gateway",
        };
        let mut t = vec![("Name", e.name.clone())];
        if let Some(p) = &e.prefix_list {
            t.push(("lztwin:prefix-list", idn!(prefix_lists, p.as_str())));
        }
        let service = match (&e.service_name, e.endpoint_type) {
            (Some(s), _) => s.clone(),
            (None, VpcEndpointType::GatewayLoadBalancer) => gwlb_service_name(&e.name),
            (None, _) => String::new(),
        };
        let mut o = json!({
            "VpcEndpointId": eid,
            "VpcEndpointType": ty,
            "VpcId": idn!(vpcs, e.vpc.as_str()),
            "State": "available",
            "SubnetIds": e.subnet.iter().map(|s| idn!(subnets, s.as_str())).collect::<Vec<_>>(),
            "Tags": tags(&t),
        });
        if !service.is_empty() {
            o["ServiceName"] = json!(service);
        }
        if e.endpoint_type == VpcEndpointType::Interface && !e.private_ips.is_empty() {
            if let Some(sn) = &e.subnet {
                let eni = export_id("eni", &format!("vpce:{}", e.name));
                o["NetworkInterfaceIds"] = json!([eni.clone()]);
                f.push(
                    &place,
                    "NetworkInterfaces",
                    eni_json(&eni, sn, &e.private_ips, None, "vpc_endpoint"),
                );
            }
        }
        if e.endpoint_type == VpcEndpointType::GatewayLoadBalancer {
            if let Some(g) = &e.gateway_load_balancer {
                f.push(
                    &place,
                    "ServiceConfigurations",
                    json!({"ServiceName": service, "ServiceType": [{"ServiceType": "GatewayLoadBalancer"}], "GatewayLoadBalancerArns": [idn!(gateway_load_balancers, g.as_str())]}),
                );
            }
        }
        f.push(&place, "VpcEndpoints", o);
    }
    for fw in &m.firewalls {
        let place = vpc_place(&fw.vpc);
        let mut sync = Map::new();
        let mut mappings = Vec::new();
        for e in &fw.endpoints {
            let Some(s) = subnet_of(&e.subnet) else {
                continue;
            };
            let sid = idn!(subnets, e.subnet.as_str());
            mappings.push(json!({"SubnetId": sid}));
            sync.insert(
                s.az.clone(),
                json!({"Attachment": {"SubnetId": sid, "EndpointId": id_of(&e.id), "Status": "READY"}}),
            );
            // The endpoint as describe-vpc-endpoints lists it, carrying its name.
            f.push(
                &place,
                "VpcEndpoints",
                json!({
                    "VpcEndpointId": id_of(&e.id),
                    "VpcEndpointType": "GatewayLoadBalancer",
                    "VpcId": idn!(vpcs, fw.vpc.as_str()),
                    "ServiceName": format!("com.amazonaws.vpce.{}.{}", place.1, export_id("vpce-svc", &fw.name)),
                    "State": "available",
                    "SubnetIds": [sid],
                    "Tags": name_tag(&e.name),
                }),
            );
        }
        f.respond(
            &place,
            "Firewalls",
            json!({
                "Firewall": {
                    "FirewallName": fw.name,
                    "FirewallArn": id_of(&fw.id),
                    "FirewallId": export_id("fw", &fw.name),
                    "VpcId": idn!(vpcs, fw.vpc.as_str()),
                    "FirewallPolicyArn": idn!(firewall_policies, fw.policy.as_str()),
                    "SubnetMappings": mappings,
                },
                "FirewallStatus": {"Status": "READY", "ConfigurationSyncStateSummary": "IN_SYNC", "SyncStates": Value::Object(sync)},
            }),
        );
    }
    let insp_place = m
        .firewalls
        .first()
        .map(|fw| vpc_place(&fw.vpc))
        .unwrap_or_else(|| first_place.clone());
    for p in &m.firewall_policies {
        let refs = |rs: &[RuleGroupReference]| -> Vec<Value> {
            rs.iter()
                .map(|r| {
                    let mut o = json!({"ResourceArn": idn!(rule_groups, r.rule_group.as_str())});
                    if let Some(pr) = r.priority {
                        o["Priority"] = json!(pr);
                    }
                    o
                })
                .collect()
        };
        let mut pol = json!({
            "StatelessDefaultActions": p.stateless_default_actions,
            "StatelessFragmentDefaultActions": p.stateless_fragment_default_actions,
            "StatelessRuleGroupReferences": refs(&p.stateless_rule_groups),
            "StatefulRuleGroupReferences": refs(&p.stateful_rule_groups),
        });
        if !p.stateful_default_actions.is_empty() {
            pol["StatefulDefaultActions"] = json!(p.stateful_default_actions);
        }
        if p.stateful_rule_order == RuleOrder::StrictOrder {
            pol["StatefulEngineOptions"] = json!({"RuleOrder": "STRICT_ORDER"});
        } else {
            pol["StatefulEngineOptions"] = json!({"RuleOrder": "DEFAULT_ACTION_ORDER"});
        }
        f.respond(
            &insp_place,
            "FirewallPolicies",
            json!({
                "FirewallPolicyResponse": {
                    "FirewallPolicyName": p.name,
                    "FirewallPolicyArn": id_of(&p.id),
                    "FirewallPolicyId": export_id("fwp", &p.name),
                    "FirewallPolicyStatus": "ACTIVE",
                },
                "FirewallPolicy": pol,
            }),
        );
    }
    for g in &m.rule_groups {
        let mut src = Map::new();
        if !g.stateless_rules.is_empty() {
            let rules: Vec<Value> = g
                .stateless_rules
                .iter()
                .map(|r| {
                    let addrs = |v: &[ipnet::IpNet]| -> Vec<Value> {
                        v.iter()
                            .map(|n| json!({"AddressDefinition": n.to_string()}))
                            .collect()
                    };
                    let prs = |v: &[PortRange]| -> Vec<Value> {
                        v.iter()
                            .map(|p| json!({"FromPort": p.from, "ToPort": p.to}))
                            .collect()
                    };
                    let protos: Vec<Value> = r
                        .protocols
                        .iter()
                        .filter_map(|p| p.number().map(|n| json!(n)))
                        .collect();
                    json!({
                        "Priority": r.priority,
                        "RuleDefinition": {
                            "Actions": r.actions,
                            "MatchAttributes": {
                                "Sources": addrs(&r.sources),
                                "Destinations": addrs(&r.destinations),
                                "SourcePorts": prs(&r.source_ports),
                                "DestinationPorts": prs(&r.destination_ports),
                                "Protocols": protos,
                            }
                        }
                    })
                })
                .collect();
            src.insert(
                "StatelessRulesAndCustomActions".into(),
                json!({"StatelessRules": rules}),
            );
        }
        if !g.stateful_rules.is_empty() {
            let rules: Vec<Value> = g
                .stateful_rules
                .iter()
                .filter_map(|r| {
                    let proto = header_protocol(r.protocol)?;
                    let net = |n: &Option<ipnet::IpNet>| {
                        n.map(|x| x.to_string()).unwrap_or_else(|| "ANY".into())
                    };
                    let port = |p: &PortRange| {
                        if p.is_any() {
                            "ANY".to_string()
                        } else if p.from == p.to {
                            p.from.to_string()
                        } else {
                            format!("{}:{}", p.from, p.to)
                        }
                    };
                    let action = match r.action {
                        StatefulAction::Pass => "PASS",
                        StatefulAction::Drop => "DROP",
                        StatefulAction::Reject => "REJECT",
                        StatefulAction::Alert => "ALERT",
                    };
                    let dir = match r.direction {
                        StatefulDirection::Forward => "FORWARD",
                        StatefulDirection::Any => "ANY",
                    };
                    let mut o = json!({
                        "Action": action,
                        "Header": {
                            "Protocol": proto,
                            "Source": net(&r.source),
                            "SourcePort": port(&r.source_port),
                            "Direction": dir,
                            "Destination": net(&r.destination),
                            "DestinationPort": port(&r.destination_port),
                        },
                    });
                    if let Some(sid) = r.sid {
                        o["RuleOptions"] =
                            json!([{"Keyword": "sid", "Settings": [sid.to_string()]}]);
                    }
                    Some(o)
                })
                .collect();
            src.insert("StatefulRules".into(), Value::Array(rules));
        }
        if let Some(d) = &g.domain_list {
            src.insert(
                "RulesSourceList".into(),
                json!({"Targets": d.targets, "TargetTypes": d.target_types, "GeneratedRulesType": d.generated_rules_type}),
            );
        }
        if let Some(s) = &g.rules_string {
            src.insert("RulesString".into(), json!(s));
        }
        let ty = match g.group_type {
            RuleGroupType::Stateless => "STATELESS",
            RuleGroupType::Stateful => "STATEFUL",
        };
        f.respond(
            &insp_place,
            "RuleGroups",
            json!({
                "RuleGroupResponse": {
                    "RuleGroupName": g.name,
                    "RuleGroupArn": id_of(&g.id),
                    "RuleGroupId": export_id("rg", &g.name),
                    "Type": ty,
                    "Capacity": 100,
                    "RuleGroupStatus": "ACTIVE",
                },
                "RuleGroup": {"RulesSource": Value::Object(src)},
            }),
        );
    }
    for g in &m.gateway_load_balancers {
        let place = vpc_place(&g.vpc);
        let arn = id_of(&g.id);
        let azs: Vec<Value> = g
            .subnets
            .iter()
            .map(|s| {
                json!({"SubnetId": idn!(subnets, s.as_str()), "ZoneName": subnet_of(s).map(|x| x.az.clone()).unwrap_or_default()})
            })
            .collect();
        f.push(
            &place,
            "LoadBalancers",
            json!({
                "LoadBalancerArn": arn,
                "LoadBalancerName": g.name,
                "Type": "gateway",
                "Scheme": "internal",
                "VpcId": idn!(vpcs, g.vpc.as_str()),
                "State": {"Code": "active"},
                "AvailabilityZones": azs,
            }),
        );
        let tg = arn.replace(":loadbalancer/gwy/", ":targetgroup/");
        f.push(
            &place,
            "TargetGroups",
            json!({"TargetGroupArn": tg, "TargetGroupName": g.name, "Protocol": "GENEVE", "Port": 6081, "TargetType": "ip", "VpcId": idn!(vpcs, g.vpc.as_str()), "LoadBalancerArns": [arn]}),
        );
        let targets: Vec<Value> = g
            .appliances
            .iter()
            .filter_map(|a| m.network_interfaces.iter().find(|e| e.name == *a))
            .filter_map(|e| e.private_ips.first())
            .map(|ip| json!({"Target": {"Id": ip.to_string(), "Port": 6081}, "TargetHealth": {"State": "healthy"}}))
            .collect();
        f.respond(
            &place,
            "TargetHealth",
            json!({"TargetGroupArn": tg, "TargetHealthDescriptions": targets}),
        );
    }

    // ---- Network Load Balancers: load balancers, listeners, attributes, target groups -------
    for lb in &m.network_load_balancers {
        let place = vpc_place(&lb.vpc);
        let arn = id_of(&lb.id);
        let azs: Vec<Value> = lb
            .nodes
            .iter()
            .filter_map(|n| m.network_interfaces.iter().find(|e| e.name == *n))
            .map(|e| {
                json!({"SubnetId": idn!(subnets, e.subnet.as_str()), "ZoneName": subnet_of(&e.subnet).map(|x| x.az.clone()).unwrap_or_default(), "LoadBalancerAddresses": []})
            })
            .collect();
        f.push(
            &place,
            "LoadBalancers",
            json!({
                "LoadBalancerArn": arn,
                "LoadBalancerName": lb.name,
                "Type": "network",
                "Scheme": match lb.scheme {
                    LoadBalancerScheme::Internal => "internal",
                    LoadBalancerScheme::InternetFacing => "internet-facing",
                },
                "VpcId": idn!(vpcs, lb.vpc.as_str()),
                "State": {"Code": "active"},
                "AvailabilityZones": azs,
            }),
        );
        f.push(
            &place,
            "LoadBalancerAttributes",
            json!({"LoadBalancerArn": arn, "Attributes": [{"Key": "load_balancing.cross_zone.enabled", "Value": lb.cross_zone.to_string()}]}),
        );
        let listeners: Vec<Value> = lb
            .listeners
            .iter()
            .map(|l| {
                let mut o = json!({
                    "LoadBalancerArn": arn,
                    "Port": l.port,
                    "Protocol": l.protocol.as_api(),
                    "DefaultActions": [{"Type": "forward", "Order": 1, "TargetGroupArn": idn!(target_groups, l.target_group.as_str())}],
                });
                if let Some(id) = &l.id {
                    o["ListenerArn"] = json!(id);
                }
                o
            })
            .collect();
        f.push(
            &place,
            "LoadBalancerListeners",
            json!({"LoadBalancerArn": arn, "Listeners": listeners}),
        );
    }
    for tg in &m.target_groups {
        let place = vpc_place(&tg.vpc);
        let arn = id_of(&tg.id);
        let lbs: Vec<String> = m
            .network_load_balancers
            .iter()
            .filter(|l| l.listeners.iter().any(|x| x.target_group == tg.name))
            .map(|l| id_of(&l.id))
            .collect();
        f.push(
            &place,
            "TargetGroups",
            json!({
                "TargetGroupArn": arn,
                "TargetGroupName": tg.name,
                "Protocol": tg.protocol.as_api(),
                "Port": tg.port,
                "TargetType": match tg.target_type {
                    TargetType::Instance => "instance",
                    TargetType::Ip => "ip",
                },
                "VpcId": idn!(vpcs, tg.vpc.as_str()),
                "LoadBalancerArns": lbs,
            }),
        );
        if let Some(p) = tg.preserve_client_ip {
            f.push(
                &place,
                "TargetGroupAttributes",
                json!({"TargetGroupArn": arn, "Attributes": [{"Key": "preserve_client_ip.enabled", "Value": p.to_string()}]}),
            );
        }
        let targets: Vec<Value> = tg
            .targets
            .iter()
            .filter_map(|t| {
                let id = match (&t.interface, t.ip) {
                    (Some(n), _) => m
                        .network_interfaces
                        .iter()
                        .find(|e| e.name == *n)
                        .and_then(|e| e.instance.clone())?,
                    (None, Some(ip)) => ip.to_string(),
                    (None, None) => return None,
                };
                let state = if t.healthy { "healthy" } else { "unhealthy" };
                Some(json!({"Target": {"Id": id, "Port": t.port.unwrap_or(tg.port)}, "TargetHealth": {"State": state}}))
            })
            .collect();
        f.push(
            &place,
            "LoadBalancerTargetHealth",
            json!({"TargetGroupArn": arn, "TargetHealthDescriptions": targets}),
        );
    }

    // ---- on-premises sites: customer gateways and DX gateways -------------------------------
    let site_of = |n: &str| m.onprem_sites.iter().find(|s| s.name == n);
    let cgw_id = |site: &str| export_id("cgw", site);
    let dxgw_id = |site: &str| export_id("dxgw", site);
    let mut cgw_sites: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut dx_sites: BTreeMap<String, (String, String)> = BTreeMap::new();
    let site_tags = |site: &str| {
        let prefixes = site_of(site).map(|s| join(&s.prefixes)).unwrap_or_default();
        tags(&[
            ("lztwin:site", site.to_string()),
            ("lztwin:prefixes", prefixes),
        ])
    };

    // ---- VGWs and their connections -----------------------------------------------------------
    for g in &m.vpn_gateways {
        let place = g
            .vpc
            .as_deref()
            .map(vpc_place)
            .unwrap_or_else(|| first_place.clone());
        let gid = id_of(&g.id);
        let mut o = json!({
            "VpnGatewayId": gid,
            "State": "available",
            "Type": "ipsec.1",
            "VpcAttachments": g.vpc.iter().map(|v| json!({"VpcId": idn!(vpcs, v.as_str()), "State": "attached"})).collect::<Vec<_>>(),
            "Tags": name_tag(&g.name),
        });
        if let Some(a) = g.asn {
            o["AmazonSideAsn"] = json!(a);
        }
        f.push(&place, "VpnGateways", o);
        for c in &g.connections {
            let cid = id_of(&c.id);
            match c.kind {
                ConnectionKind::Vpn => {
                    cgw_sites
                        .entry(c.site.clone())
                        .or_insert_with(|| place.clone());
                    let routes = vpn_routes(c.routing, &c.advertised_prefixes, site_of(&c.site));
                    f.push(
                        &place,
                        "VpnConnections",
                        json!({
                            "VpnConnectionId": cid,
                            "VpnGatewayId": gid,
                            "CustomerGatewayId": cgw_id(&c.site),
                            "State": "available",
                            "Type": "ipsec.1",
                            "Options": {"StaticRoutesOnly": c.routing == VpnRouting::Static},
                            "Routes": routes,
                            "Tags": tags(&[("Name", c.name.clone()), ("lztwin:advertised-prefixes", join(&c.advertised_prefixes))]),
                            "CustomerGatewayConfiguration": cgw_configuration(&cid, &cgw_id(&c.site), &gid, &c.tunnel_outside_ips),
                        }),
                    );
                }
                ConnectionKind::DirectConnect => {
                    dx_sites
                        .entry(c.site.clone())
                        .or_insert_with(|| place.clone());
                    // A private VIF on the VGW; its connection is the site's DX gateway
                    // id, which carries the site's identity.
                    f.push(
                        &place,
                        "VirtualInterfaces",
                        json!({
                            "virtualInterfaceId": cid,
                            "virtualInterfaceName": c.name,
                            "virtualInterfaceType": "private",
                            "virtualInterfaceState": "available",
                            "virtualGatewayId": gid,
                            "connectionId": dxgw_id(&c.site),
                        }),
                    );
                }
            }
        }
    }

    // ---- Transit Gateways ----------------------------------------------------------------------
    for t in &m.transit_gateways {
        let place = tgw_place(&t.name);
        let mut opts = json!({
            "DefaultRouteTableAssociation": if t.default_route_table_association { "enable" } else { "disable" },
            "DefaultRouteTablePropagation": if t.default_route_table_propagation { "enable" } else { "disable" },
        });
        if let Some(a) = t.asn {
            opts["AmazonSideAsn"] = json!(a);
        }
        if let Some(d) = &t.default_route_table {
            let rid = idn!(transit_gateway_route_tables, d.as_str());
            opts["AssociationDefaultRouteTableId"] = json!(rid);
            opts["PropagationDefaultRouteTableId"] = json!(rid);
        }
        f.push(
            &place,
            "TransitGateways",
            json!({
                "TransitGatewayId": id_of(&t.id),
                "OwnerId": owner(&t.account),
                "State": "available",
                "Options": opts,
                "Tags": name_tag(&t.name),
            }),
        );
    }
    let att_of = |n: &str| m.transit_gateway_attachments.iter().find(|a| a.name == n);
    let att_id = |n: &str| att_of(n).and_then(|a| a.id.clone()).unwrap_or_default();
    for t in &m.transit_gateway_route_tables {
        let place = tgw_place(&t.transit_gateway);
        let rid = id_of(&t.id);
        f.push(
            &place,
            "TransitGatewayRouteTables",
            json!({
                "TransitGatewayRouteTableId": rid,
                "TransitGatewayId": idn!(transit_gateways, t.transit_gateway.as_str()),
                "State": "available",
                "DefaultAssociationRouteTable": tgw_of(&t.transit_gateway).is_some_and(|g| g.default_route_table.as_deref() == Some(t.name.as_str())),
                "DefaultPropagationRouteTable": tgw_of(&t.transit_gateway).is_some_and(|g| g.default_route_table.as_deref() == Some(t.name.as_str())),
                "Tags": name_tag(&t.name),
            }),
        );
        let routes: Vec<Value> = t
            .routes
            .iter()
            .map(|r| {
                let key = if r.destination.addr().is_ipv4() {
                    "DestinationCidrBlock"
                } else {
                    "DestinationIpv6CidrBlock"
                };
                let mut o = json!({key: r.destination.to_string(), "Type": "static", "State": if r.blackhole { "blackhole" } else { "active" }});
                if let (false, Some(a)) = (r.blackhole, &r.attachment) {
                    o["TransitGatewayAttachments"] = json!([{"TransitGatewayAttachmentId": att_id(a)}]);
                }
                o
            })
            .collect();
        f.respond(
            &place,
            "TransitGatewayStaticRoutes",
            json!({"TransitGatewayRouteTableId": rid, "Routes": routes}),
        );
        let props: Vec<Value> = m
            .transit_gateway_attachments
            .iter()
            .filter(|a| a.propagations.contains(&t.name))
            .map(|a| json!({"TransitGatewayAttachmentId": id_of(&a.id), "State": "enabled"}))
            .collect();
        f.respond(
            &place,
            "TransitGatewayPropagations",
            json!({"TransitGatewayRouteTableId": rid, "TransitGatewayRouteTablePropagations": props}),
        );
        for p in &t.prefix_list_references {
            let mut o = json!({
                "TransitGatewayRouteTableId": rid,
                "PrefixListId": idn!(prefix_lists, p.prefix_list.as_str()),
                "State": "available",
                "Blackhole": p.blackhole,
            });
            if let (false, Some(a)) = (p.blackhole, &p.attachment) {
                o["TransitGatewayAttachment"] = json!({"TransitGatewayAttachmentId": att_id(a)});
            }
            f.push(&place, "TransitGatewayPrefixListReferences", o);
        }
    }
    for a in &m.transit_gateway_attachments {
        let place = tgw_place(&a.transit_gateway);
        let aid = id_of(&a.id);
        let tgw_id = idn!(transit_gateways, a.transit_gateway.as_str());
        let tgw_owner = tgw_of(&a.transit_gateway)
            .map(|t| owner(&t.account))
            .unwrap_or_default();
        let res_owner =
            a.account
                .as_deref()
                .map(owner)
                .unwrap_or_else(|| match a.attachment_type {
                    AttachmentType::Vpc => a.vpc.as_deref().map(vpc_owner).unwrap_or_default(),
                    _ => tgw_owner.clone(),
                });
        let (rtype, resource) = match a.attachment_type {
            AttachmentType::Vpc => (
                "vpc",
                a.vpc.as_deref().map(|v| idn!(vpcs, v)).unwrap_or_default(),
            ),
            AttachmentType::Vpn => ("vpn", export_id("vpn", &format!("tgw:{}", a.name))),
            AttachmentType::DirectConnectGateway => (
                "direct-connect-gateway",
                a.site.as_deref().map(dxgw_id).unwrap_or_default(),
            ),
            AttachmentType::Peering => (
                "peering",
                a.peer_transit_gateway
                    .as_deref()
                    .map(|t| idn!(transit_gateways, t))
                    .unwrap_or_default(),
            ),
            AttachmentType::Connect => ("connect", aid.clone()),
        };
        let state = if a.available { "available" } else { "failed" };
        let mut o = json!({
            "TransitGatewayAttachmentId": aid,
            "TransitGatewayId": tgw_id,
            "TransitGatewayOwnerId": tgw_owner,
            "ResourceOwnerId": res_owner,
            "ResourceType": rtype,
            "ResourceId": resource,
            "State": state,
            "Tags": tags(&[("Name", a.name.clone()), ("lztwin:advertised-prefixes", join(&a.advertised_prefixes))]),
        });
        if let Some(r) = &a.association {
            o["Association"] = json!({"TransitGatewayRouteTableId": idn!(transit_gateway_route_tables, r.as_str()), "State": "associated"});
        }
        f.push(&place, "TransitGatewayAttachments", o);
        match a.attachment_type {
            AttachmentType::Vpc => {
                let vpc = a.vpc.clone().unwrap_or_default();
                f.push(
                    &place,
                    "TransitGatewayVpcAttachments",
                    json!({
                        "TransitGatewayAttachmentId": aid,
                        "TransitGatewayId": tgw_id,
                        "VpcId": idn!(vpcs, vpc.as_str()),
                        "VpcOwnerId": res_owner,
                        "State": state,
                        "SubnetIds": a.subnets.iter().map(|s| idn!(subnets, s.as_str())).collect::<Vec<_>>(),
                        "Options": {"ApplianceModeSupport": if a.appliance_mode { "enable" } else { "disable" }, "DnsSupport": "enable", "Ipv6Support": "disable"},
                    }),
                );
            }
            AttachmentType::Vpn => {
                if let Some(site) = &a.site {
                    cgw_sites
                        .entry(site.clone())
                        .or_insert_with(|| place.clone());
                    let routes = vpn_routes(a.routing, &a.advertised_prefixes, site_of(site));
                    f.push(
                        &place,
                        "VpnConnections",
                        json!({
                            "VpnConnectionId": resource,
                            "TransitGatewayId": tgw_id,
                            "TransitGatewayAttachmentId": aid,
                            "CustomerGatewayId": cgw_id(site),
                            "State": "available",
                            "Type": "ipsec.1",
                            "Options": {"StaticRoutesOnly": a.routing == VpnRouting::Static},
                            "Routes": routes,
                        }),
                    );
                }
            }
            AttachmentType::DirectConnectGateway => {
                if let Some(site) = &a.site {
                    dx_sites
                        .entry(site.clone())
                        .or_insert_with(|| place.clone());
                    f.push(
                        &place,
                        "DirectConnectGatewayAssociations",
                        json!({
                            "directConnectGatewayId": dxgw_id(site),
                            "associationState": "associated",
                            "associatedGateway": {"id": tgw_id, "type": "transitGateway", "ownerAccount": tgw_owner},
                        }),
                    );
                }
            }
            AttachmentType::Connect => {
                f.push(
                    &place,
                    "TransitGatewayConnects",
                    json!({
                        "TransitGatewayAttachmentId": aid,
                        "TransitGatewayId": tgw_id,
                        "TransportTransitGatewayAttachmentId": a.transport_attachment.as_deref().map(att_id).unwrap_or_default(),
                        "State": state,
                        "Options": {"Protocol": "gre"},
                    }),
                );
                if let Some(site) = &a.site {
                    cgw_sites
                        .entry(site.clone())
                        .or_insert_with(|| place.clone());
                }
            }
            AttachmentType::Peering => {}
        }
    }
    for (site, place) in &cgw_sites {
        f.push(
            place,
            "CustomerGateways",
            json!({
                "CustomerGatewayId": cgw_id(site),
                "BgpAsn": "65000",
                "IpAddress": "192.0.2.1",
                "Type": "ipsec.1",
                "State": "available",
                "Tags": site_tags(site),
            }),
        );
    }
    for (site, place) in &dx_sites {
        f.push(
            place,
            "DirectConnectGateways",
            json!({
                "directConnectGatewayId": dxgw_id(site),
                "directConnectGatewayName": site,
                "amazonSideAsn": 64512,
                "directConnectGatewayState": "available",
                "tags": site_tags(site),
            }),
        );
    }
    f
}

/// The `CustomerGatewayConfiguration` XML of a VPN connection, with the AWS side's
/// tunnel outside addresses (the importer reads only those back).
fn cgw_configuration(vpn: &str, cgw: &str, vgw: &str, outside: &[std::net::Ipv4Addr]) -> String {
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<vpn_connection id=\"{vpn}\">\n  <customer_gateway_id>{cgw}</customer_gateway_id>\n  <vpn_gateway_id>{vgw}</vpn_gateway_id>\n  <vpn_connection_type>ipsec.1</vpn_connection_type>\n"
    );
    for ip in outside {
        x.push_str(&format!(
            "  <ipsec_tunnel>\n    <vpn_gateway>\n      <tunnel_outside_address>\n        <ip_address>{ip}</ip_address>\n      </tunnel_outside_address>\n    </vpn_gateway>\n  </ipsec_tunnel>\n"
        ));
    }
    x.push_str("</vpn_connection>\n");
    x
}

/// `net/<name>/<id>`: the part of a Network Load Balancer ARN its interfaces'
/// descriptions carry (`ELB net/<name>/<id>`).
pub(crate) fn nlb_arn_tail(arn: &str) -> String {
    match arn.find(":loadbalancer/") {
        Some(p) => arn[p + ":loadbalancer/".len()..].to_string(),
        None => arn.to_string(),
    }
}

/// The `Routes` of a VPN connection: the static routes of a static VPN (its advertised
/// prefixes, else its site's); BGP VPNs carry none.
fn vpn_routes(
    routing: VpnRouting,
    advertised: &[ipnet::IpNet],
    site: Option<&OnPremSite>,
) -> Vec<Value> {
    if routing != VpnRouting::Static {
        return Vec::new();
    }
    let nets: Vec<ipnet::IpNet> = if advertised.is_empty() {
        site.map(|s| s.prefixes.clone()).unwrap_or_default()
    } else {
        advertised.to_vec()
    };
    nets.iter()
        .map(|n| json!({"DestinationCidrBlock": n.to_string(), "Source": "static", "State": "available"}))
        .collect()
}

/// An address, for picking the primary IPv4.
enum IpAddrOpt {
    V4(std::net::Ipv4Addr),
    V6,
}

impl From<&std::net::IpAddr> for IpAddrOpt {
    fn from(a: &std::net::IpAddr) -> Self {
        match a {
            std::net::IpAddr::V4(x) => IpAddrOpt::V4(*x),
            std::net::IpAddr::V6(_) => IpAddrOpt::V6,
        }
    }
}
