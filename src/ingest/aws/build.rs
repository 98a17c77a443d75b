//! Raw snapshot → model: names, references, and what AWS derives.
//!
//! Derivations (each documented where it happens):
//! - the main route table of a VPC (from `Associations[].Main`, else the VPC's only table);
//! - TGW associations and propagations onto attachments, so that
//!   [`crate::model::Model::transit_gateway_routes`] recomputes propagated routes;
//! - on-premises sites: one per customer gateway (VPN), Direct Connect gateway, or DX
//!   connection of a private VIF on a VGW, with the prefixes seen propagated from it
//!   (TGW routes of type `propagated` whose attachment is a VPN/DX attachment, routes a
//!   VGW propagated into VPC route tables, VPN static routes).
//!
//! A reference to an object the snapshot does not hold is a warning and the referring
//! route/rule/association is left out (the model never holds dangling names).

use super::layout::DEFAULT_ACCOUNT;
use super::names::Names;
use super::raw::*;
use super::Sink;
use crate::diag::Diagnostic;
use crate::model::*;
use ipnet::IpNet;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Hash maps and sets with foldhash: these are look-ups only (never iterated into the
/// output), and SipHash was a measurable part of the import (BENCHMARKS.md "Import").
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// See [`HashMap`].
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// Tag keys that carry an account's environment.
const ENV_TAGS: &[&str] = &[
    "Environment",
    "environment",
    "Env",
    "env",
    "lztwin:environment",
];
/// Tag carrying the prefixes a site owns (written by the exporter).
pub(crate) const TAG_PREFIXES: &str = "lztwin:prefixes";
/// Tag carrying the prefixes advertised over one VPN/DX attachment or connection.
pub(crate) const TAG_ADVERTISED: &str = "lztwin:advertised-prefixes";
/// Tag carrying an interface's role (`workload` / `appliance`).
pub(crate) const TAG_ROLE: &str = "lztwin:role";
/// Tag carrying a gateway endpoint's prefix list id.
pub(crate) const TAG_PREFIX_LIST: &str = "lztwin:prefix-list";
/// Tag naming the on-premises site of a customer gateway or DX gateway: gateways with
/// the same value are one site (a data centre reached over VPN and Direct Connect).
pub(crate) const TAG_SITE: &str = "lztwin:site";

/// An environment from a tag value.
pub(crate) fn environment(v: &str) -> Option<Environment> {
    match v.trim().to_ascii_lowercase().as_str() {
        "network" | "networking" => Some(Environment::Network),
        "shared-services" | "shared" | "sharedservices" | "shared_services" => {
            Some(Environment::SharedServices)
        }
        "builder" | "build" | "cicd" | "ci" => Some(Environment::Builder),
        "dev" | "development" => Some(Environment::Dev),
        "test" | "testing" | "qa" => Some(Environment::Test),
        "prod" | "production" => Some(Environment::Prod),
        "other" => Some(Environment::Other),
        _ => None,
    }
}

fn env_of(tags: &BTreeMap<String, String>) -> Option<Environment> {
    ENV_TAGS
        .iter()
        .find_map(|k| tags.get(*k))
        .and_then(|v| environment(v))
}

fn parse_prefix_tag(v: Option<&String>) -> Option<Vec<IpNet>> {
    let v = v?;
    Some(
        v.split([',', ' '])
            .filter(|s| !s.is_empty())
            .filter_map(super::value::parse_net)
            .collect(),
    )
}

/// (destination, attachment name, blackhole) of a static TGW route.
type StaticRoute = (IpNet, Option<String>, bool);

struct Ctx<'a> {
    s: &'a RawSnapshot,
    names: Names<'a>,
    /// Account folder → account name.
    folder_account: BTreeMap<String, String>,
    /// Account id → account name.
    id_account: BTreeMap<String, String>,
    warnings: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn n(&self, key: &str) -> String {
        self.names.get(key)
    }

    fn warn(&mut self, c: &Common, msg: String) {
        let file = self
            .s
            .origins
            .get(c.origin)
            .map(|o| o.file.clone())
            .unwrap_or_default();
        self.warnings
            .push(Diagnostic::warning(file, c.path.clone(), msg));
    }

    fn warn_at(&mut self, origin: OriginId, path: &str, msg: String) {
        let file = self
            .s
            .origins
            .get(origin)
            .map(|o| o.file.clone())
            .unwrap_or_default();
        self.warnings
            .push(Diagnostic::warning(file, path.to_string(), msg));
    }

    fn region(&self, c: &Common) -> String {
        self.s
            .origins
            .get(c.origin)
            .map(|o| o.region.clone())
            .unwrap_or_default()
    }

    /// The owning account: the one whose id is the `OwnerId`, else the file's folder.
    fn account(&self, c: &Common) -> String {
        if let Some(a) = c.owner.as_ref().and_then(|o| self.id_account.get(o)) {
            return a.clone();
        }
        let folder = self
            .s
            .origins
            .get(c.origin)
            .map(|o| o.account.as_str())
            .unwrap_or(DEFAULT_ACCOUNT);
        self.folder_account
            .get(folder)
            .cloned()
            .unwrap_or_else(|| folder.to_string())
    }
}

/// Key of one side of a TGW attachment (peering attachments have two sides).
fn att_key(s: &RawSnapshot, id: &str, tgw: &str) -> String {
    let sides = s
        .attachments
        .range((id.to_string(), String::new())..)
        .take_while(|((i, _), _)| i == id)
        .count();
    if sides > 1 {
        format!("{id}@{tgw}")
    } else {
        id.to_string()
    }
}

/// Build the model.
pub(crate) fn build(s: &RawSnapshot, name: &str, sink: &mut Sink) -> Model {
    // ---- accounts -------------------------------------------------------------
    let folders: BTreeSet<String> = s.origins.iter().map(|o| o.account.clone()).collect();
    let mut accounts = Vec::new();
    let mut folder_account = BTreeMap::new();
    let mut id_account = BTreeMap::new();
    for f in &folders {
        let entry = s.accounts.get(f);
        let aname = entry
            .and_then(|e| e.name.clone())
            .unwrap_or_else(|| f.clone());
        let id = entry.and_then(|e| e.id.clone()).or_else(|| {
            (f.len() == 12 && f.bytes().all(|b| b.is_ascii_digit())).then(|| f.clone())
        });
        let mut env = entry.and_then(|e| env_of(&e.tags));
        if env.is_none() {
            // Else the environment tag of the account's VPCs, when they agree.
            let envs: BTreeSet<Environment> = s
                .vpcs
                .values()
                .filter(|v| s.origins.get(v.c.origin).is_some_and(|o| &o.account == f))
                .filter_map(|v| env_of(&v.c.tags))
                .collect();
            if envs.len() == 1 {
                env = envs.into_iter().next();
            }
        }
        folder_account.insert(f.clone(), aname.clone());
        if let Some(i) = &id {
            id_account.insert(i.clone(), aname.clone());
        }
        accounts.push(Account {
            name: aname,
            id,
            environment: env.unwrap_or(Environment::Other),
        });
    }
    // Accounts have a namespace of their own (model::Index looks names up per kind):
    // a VPC may carry its account's name.
    let reserved: BTreeSet<String> = BTreeSet::new();

    // ---- sites (derived) --------------------------------------------------------
    // Site key for a VPN connection: its customer gateway (else the VPN itself).
    // The site key of a customer gateway or DX gateway: `lztwin-site:<name>` when it
    // carries the `lztwin:site` tag (so one site may be reached over VPN and DX),
    // else its own id.
    let canon = |k: &str| -> String {
        let tagged = s
            .cgws
            .get(k)
            .map(|c| &c.c)
            .or_else(|| s.dxgws.get(k).map(|d| &d.c))
            .and_then(|c| c.tags.get(TAG_SITE))
            .filter(|v| !v.is_empty());
        match tagged {
            Some(n) => format!("lztwin-site:{n}"),
            None => k.to_string(),
        }
    };
    let vpn_site = |v: &str| -> String {
        s.vpns
            .get(v)
            .and_then(|x| x.cgw.as_deref().map(canon))
            .unwrap_or_else(|| format!("{v}-site"))
    };

    // ---- names --------------------------------------------------------------------
    // Borrowed from the raw snapshot: names are decided for every object.
    let mut cands: Vec<(Cow<str>, Option<Cow<str>>)> = Vec::new();
    fn tag(c: &Common) -> Option<Cow<'_, str>> {
        c.name_tag().map(Cow::Borrowed)
    }
    for (k, v) in &s.vpcs {
        cands.push((Cow::Borrowed(k.as_str()), tag(&v.c)));
    }
    for (k, v) in &s.subnets {
        cands.push((Cow::Borrowed(k.as_str()), tag(&v.c)));
    }
    for (k, v) in &s.route_tables {
        cands.push((Cow::Borrowed(k.as_str()), tag(&v.c)));
    }
    for (k, v) in s.igws.iter().chain(s.eigws.iter()) {
        cands.push((Cow::Borrowed(k.as_str()), tag(&v.c)));
    }
    for (k, v) in &s.nats {
        cands.push((Cow::Borrowed(k.as_str()), tag(&v.c)));
    }
    for (k, v) in &s.vgws {
        cands.push((Cow::Borrowed(k.as_str()), tag(&v.c)));
    }
    for (k, v) in &s.vpns {
        cands.push((Cow::Borrowed(k.as_str()), tag(&v.c)));
    }
    for (k, v) in &s.peerings {
        cands.push((Cow::Borrowed(k.as_str()), tag(&v.c)));
    }
    for (k, v) in &s.prefix_lists {
        cands.push((
            Cow::Borrowed(k.as_str()),
            v.name.as_deref().map(Cow::Borrowed).or_else(|| tag(&v.c)),
        ));
    }
    for (k, v) in &s.endpoints {
        cands.push((Cow::Borrowed(k.as_str()), tag(&v.c)));
    }
    for (k, v) in &s.tgws {
        cands.push((Cow::Borrowed(k.as_str()), tag(&v.c)));
    }
    for (k, v) in &s.tgw_rtbs {
        cands.push((Cow::Borrowed(k.as_str()), tag(&v.c)));
    }
    for ((id, tgw), v) in &s.attachments {
        cands.push((Cow::Owned(att_key(s, id, tgw)), tag(&v.c)));
    }
    for (k, v) in &s.vifs {
        cands.push((
            Cow::Borrowed(k.as_str()),
            v.name.as_deref().map(Cow::Borrowed).or_else(|| tag(&v.c)),
        ));
    }
    for (k, v) in &s.firewalls {
        cands.push((
            Cow::Borrowed(k.as_str()),
            Some(Cow::Borrowed(v.name.as_str())),
        ));
        for (_, _, ep) in &v.endpoints {
            // Named by its describe-vpc-endpoints entry's Name tag when listed there.
            if !s.endpoints.contains_key(ep) {
                cands.push((Cow::Borrowed(ep.as_str()), None));
            }
        }
    }
    for (k, v) in &s.policies {
        cands.push((
            Cow::Borrowed(k.as_str()),
            Some(Cow::Borrowed(v.policy.name.as_str())),
        ));
    }
    for (k, v) in &s.rule_groups {
        cands.push((
            Cow::Borrowed(k.as_str()),
            Some(Cow::Borrowed(v.group.name.as_str())),
        ));
    }
    for (k, v) in &s.lbs {
        cands.push((
            Cow::Borrowed(k.as_str()),
            Some(Cow::Borrowed(v.name.as_str())),
        ));
    }
    // Target groups of Network Load Balancer listeners (a GWLB's are represented by
    // the GWLB).
    let nlb_tgs: BTreeSet<&str> = s
        .listeners
        .iter()
        .filter(|(lb, _)| s.lbs.get(*lb).is_some_and(|l| l.lb_type == "network"))
        .flat_map(|(_, ls)| ls.iter().flat_map(|l| l.target_groups.iter()))
        .map(|t| t.as_str())
        .collect();
    for (k, v) in &s.target_groups {
        if nlb_tgs.contains(k.as_str()) {
            cands.push((
                Cow::Borrowed(k.as_str()),
                v.name.as_deref().map(Cow::Borrowed),
            ));
        }
    }
    for (k, v) in &s.sgs {
        cands.push((
            Cow::Borrowed(k.as_str()),
            tag(&v.c).or_else(|| v.group_name.as_deref().map(Cow::Borrowed)),
        ));
    }
    for (k, v) in &s.nacls {
        cands.push((Cow::Borrowed(k.as_str()), tag(&v.c)));
    }
    // ENIs: their own Name tag, else their instance's for the primary interface.
    let mut eni_count: HashMap<&str, usize> = HashMap::default();
    for e in s.enis.values() {
        if let Some(i) = &e.instance {
            *eni_count.entry(i.as_str()).or_default() += 1;
        }
    }
    for (k, e) in &s.enis {
        let pref = tag(&e.c).or_else(|| {
            let i = e.instance.as_deref()?;
            let primary = e.device_index.unwrap_or(0) == 0 || eni_count.get(i) == Some(&1);
            if !primary {
                return None;
            }
            s.instances.get(i).and_then(|x| tag(&x.c))
        });
        cands.push((Cow::Borrowed(k.as_str()), pref));
    }
    // Sites.
    let mut site_keys: BTreeSet<String> = BTreeSet::new();
    for v in s.vpns.keys() {
        site_keys.insert(vpn_site(v));
    }
    for d in s.dxgws.keys() {
        site_keys.insert(canon(d));
    }
    for v in s.vifs.values() {
        if v.dxgw.is_none() && v.vgw.is_some() {
            site_keys.insert(
                v.connection
                    .as_deref()
                    .map(canon)
                    .unwrap_or_else(|| format!("{}-site", v.c.path)),
            );
        }
    }
    for k in &site_keys {
        let pref = k
            .strip_prefix("lztwin-site:")
            .map(Cow::Borrowed)
            .or_else(|| s.cgws.get(k).and_then(|c| tag(&c.c)))
            .or_else(|| {
                s.dxgws
                    .get(k)
                    .and_then(|d| tag(&d.c).or(d.name.as_deref().map(Cow::Borrowed)))
            });
        cands.push((Cow::Borrowed(k.as_str()), pref));
    }
    let names = Names::new(cands, &reserved);
    let mut cx = Ctx {
        s,
        names,
        folder_account,
        id_account,
        warnings: Vec::new(),
    };

    let mut m = Model {
        name: name.to_string(),
        description: Some("imported from an AWS describe-* snapshot".to_string()),
        accounts,
        ..Default::default()
    };

    // ---- regions ------------------------------------------------------------------
    let mut regions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for o in &s.origins {
        regions.entry(o.region.clone()).or_default();
    }
    for (r, z) in &s.azs {
        regions
            .entry(r.clone())
            .or_default()
            .extend(z.iter().cloned());
    }

    // ---- VPCs, subnets --------------------------------------------------------------
    let mut vpc_ok: HashSet<&str> = HashSet::default();
    let mut vpc_cidrs: HashMap<&str, Vec<IpNet>> = HashMap::default();
    for (id, v) in &s.vpcs {
        if v.cidrs.is_empty() {
            cx.warn(&v.c, format!("VPC {id} has no associated CIDR block"));
        }
        vpc_ok.insert(id);
        vpc_cidrs.insert(id, v.cidrs.clone());
        m.vpcs.push(Vpc {
            name: cx.n(id),
            id: Some(id.clone()),
            account: cx.account(&v.c),
            region: cx.region(&v.c),
            cidrs: v.cidrs.clone(),
        });
    }
    let mut subnet_ok: HashSet<&str> = HashSet::default();
    let mut subnet_az: HashMap<&str, &str> = HashMap::default();
    for (id, sn) in &s.subnets {
        if !vpc_ok.contains(sn.vpc.as_str()) {
            cx.warn(
                &sn.c,
                format!(
                    "subnet {id}: its VPC {} is not in the snapshot: left out",
                    sn.vpc
                ),
            );
            continue;
        }
        let Some(cidr) = sn.cidr else {
            cx.warn(
                &sn.c,
                format!(
                    "subnet {id} has no IPv4 CIDR: IPv6-only subnets are not modelled, left out"
                ),
            );
            continue;
        };
        subnet_ok.insert(id);
        subnet_az.insert(id, &sn.az);
        let region = s
            .vpcs
            .get(&sn.vpc)
            .map(|v| cx.region(&v.c))
            .unwrap_or_else(|| cx.region(&sn.c));
        if !sn.az.is_empty() {
            regions.entry(region).or_default().insert(sn.az.clone());
        }
        m.subnets.push(Subnet {
            name: cx.n(id),
            id: Some(id.clone()),
            vpc: cx.n(&sn.vpc),
            az: sn.az.clone(),
            cidr,
            ipv6_cidr: sn.ipv6,
        });
    }
    m.regions = regions
        .into_iter()
        .map(|(name, z)| Region {
            name,
            availability_zones: z.into_iter().collect(),
        })
        .collect();

    // ---- prefix lists ----------------------------------------------------------------
    let mut pl_ok: HashSet<&str> = HashSet::default();
    for (id, p) in &s.prefix_lists {
        let entries = match &p.entries {
            Some(e) => e.clone(),
            None => {
                cx.warn(&p.c, format!(
                    "prefix list {id}: entries unknown (add get-managed-prefix-list-entries as {{\"PrefixListId\", \"Entries\"}}): modelled empty"
                ));
                Vec::new()
            }
        };
        pl_ok.insert(id);
        m.prefix_lists.push(PrefixList {
            name: cx.n(id),
            id: Some(id.clone()),
            entries,
        });
    }

    // ---- security groups, NACLs --------------------------------------------------------
    for (id, g) in &s.sgs {
        let Some(vpc) = g.vpc.as_deref().filter(|v| vpc_ok.contains(v)) else {
            cx.warn(&g.c, format!("security group {id}: no VPC in the snapshot (EC2-Classic or another account): left out"));
            continue;
        };
        let rules = |list: &[RawSgRule], cx: &mut Ctx| -> Vec<SecurityGroupRule> {
            let mut out = Vec::new();
            for r in list {
                let mut rule = SecurityGroupRule {
                    protocol: r.protocol,
                    ports: r.ports,
                    cidr: None,
                    prefix_list: None,
                    security_group: None,
                    description: r.description.clone(),
                };
                match &r.peer {
                    RawPeer::Cidr(c) => rule.cidr = Some(*c),
                    RawPeer::PrefixList(p) if pl_ok.contains(p.as_str()) => {
                        rule.prefix_list = Some(cx.n(p))
                    }
                    RawPeer::Group(x)
                        if s.sgs.get(x).is_some_and(|g| {
                            g.vpc.as_deref().is_some_and(|v| vpc_ok.contains(v))
                        }) =>
                    {
                        rule.security_group = Some(cx.n(x))
                    }
                    RawPeer::PrefixList(x) | RawPeer::Group(x) => {
                        cx.warn_at(g.c.origin, &r.path, format!(
                            "security group {id}: rule peer {x} is not in the snapshot: rule left out"
                        ));
                        continue;
                    }
                }
                out.push(rule);
            }
            out
        };
        let ingress = rules(&g.ingress, &mut cx);
        let egress = rules(&g.egress, &mut cx);
        m.security_groups.push(SecurityGroup {
            name: cx.n(id),
            id: Some(id.clone()),
            vpc: cx.n(vpc),
            ingress,
            egress,
        });
    }
    for (id, a) in &s.nacls {
        if !vpc_ok.contains(a.vpc.as_str()) {
            cx.warn(
                &a.c,
                format!(
                    "network ACL {id}: VPC {} not in the snapshot: left out",
                    a.vpc
                ),
            );
            continue;
        }
        let subnets = a
            .subnets
            .iter()
            .filter(|x| subnet_ok.contains(x.as_str()))
            .map(|x| cx.n(x))
            .collect();
        let mut entries = a.entries.clone();
        entries.sort_by_key(|e| (e.egress, e.rule_number));
        m.network_acls.push(NetworkAcl {
            name: cx.n(id),
            id: Some(id.clone()),
            vpc: cx.n(&a.vpc),
            default: a.default,
            subnets,
            entries,
        });
    }

    // ---- gateways ---------------------------------------------------------------------
    for (id, g) in &s.igws {
        let vpc = g
            .vpc
            .as_deref()
            .filter(|v| vpc_ok.contains(v))
            .map(|v| cx.n(v));
        m.internet_gateways.push(InternetGateway {
            name: cx.n(id),
            id: Some(id.clone()),
            vpc,
        });
    }
    for (id, g) in &s.eigws {
        let Some(vpc) = g.vpc.as_deref().filter(|v| vpc_ok.contains(v)) else {
            cx.warn(&g.c, format!("egress-only internet gateway {id} is not attached to a VPC in the snapshot: left out"));
            continue;
        };
        m.egress_only_internet_gateways
            .push(EgressOnlyInternetGateway {
                name: cx.n(id),
                id: Some(id.clone()),
                vpc: cx.n(vpc),
            });
    }
    for (id, n) in &s.nats {
        if !subnet_ok.contains(n.subnet.as_str()) {
            cx.warn(
                &n.c,
                format!(
                    "NAT gateway {id}: subnet {} not in the snapshot: left out",
                    n.subnet
                ),
            );
            continue;
        }
        let Some(private_ip) = n.private_ip else {
            cx.warn(
                &n.c,
                format!("NAT gateway {id} has no private address: left out"),
            );
            continue;
        };
        m.nat_gateways.push(NatGateway {
            name: cx.n(id),
            id: Some(id.clone()),
            subnet: cx.n(&n.subnet),
            connectivity: if n.private {
                NatConnectivity::Private
            } else {
                NatConnectivity::Public
            },
            private_ip,
            public_ip: n.public_ip,
        });
    }
    for (id, p) in &s.peerings {
        if !vpc_ok.contains(p.requester.as_str()) || !vpc_ok.contains(p.accepter.as_str()) {
            cx.warn(
                &p.c,
                format!("VPC peering connection {id}: a peer VPC is not in the snapshot: left out"),
            );
            continue;
        }
        m.vpc_peering_connections.push(VpcPeeringConnection {
            name: cx.n(id),
            id: Some(id.clone()),
            requester_vpc: cx.n(&p.requester),
            accepter_vpc: cx.n(&p.accepter),
        });
    }

    // ---- workloads ----------------------------------------------------------------------
    // Healthy GWLB targets (instance ids or IPs) make appliances.
    let gwlb_arns: BTreeSet<&str> = s
        .lbs
        .iter()
        .filter(|(_, l)| l.lb_type == "gateway")
        .map(|(k, _)| k.as_str())
        .collect();
    let mut gwlb_targets: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (tg, ids) in &s.target_health {
        if let Some(g) = s.target_groups.get(tg) {
            for lb in &g.lbs {
                if gwlb_arns.contains(lb.as_str()) {
                    gwlb_targets
                        .entry(lb.as_str())
                        .or_default()
                        .extend(ids.iter().map(|x| x.as_str()));
                }
            }
        }
    }
    let all_targets: BTreeSet<&str> = gwlb_targets.values().flatten().copied().collect();
    // Owned interfaces are represented by their owner (NAT gateway, GWLB endpoint, TGW,
    // LB). An interface endpoint's network interface (`vpc_endpoint`) is kept as an
    // interface: it is where its clients' traffic ends, subject to its security groups
    // ("Access an AWS service using an interface VPC endpoint",
    // <https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html>).
    const OWNED: &[&str] = &[
        "nat_gateway",
        "transit_gateway",
        "gateway_load_balancer",
        "gateway_load_balancer_endpoint",
        "network_load_balancer",
        "interface_endpoint",
    ];
    let mut eni_ok: HashSet<&str> = HashSet::default();
    let mut instance_eni: BTreeMap<&str, (i64, &str)> = BTreeMap::new();
    let mut ip_eni: HashMap<std::net::IpAddr, &str> = HashMap::default();
    for (id, e) in &s.enis {
        if e.interface_type
            .as_deref()
            .is_some_and(|t| OWNED.contains(&t))
        {
            continue;
        }
        if let Some(inst) = e.instance.as_deref() {
            if let Some(st) = s.instances.get(inst).and_then(|i| i.state.as_deref()) {
                if st != "running" && st != "pending" {
                    cx.warn(
                        &e.c,
                        format!("network interface {id}: its instance {inst} is {st}: left out"),
                    );
                    continue;
                }
            }
        }
        if !subnet_ok.contains(e.subnet.as_str()) {
            cx.warn(
                &e.c,
                format!(
                    "network interface {id}: subnet {} not in the snapshot: left out",
                    e.subnet
                ),
            );
            continue;
        }
        if e.private_ips.is_empty() {
            cx.warn(
                &e.c,
                format!("network interface {id} has no private address: left out"),
            );
            continue;
        }
        eni_ok.insert(id);
        if let Some(inst) = e.instance.as_deref() {
            let di = e.device_index.unwrap_or(0);
            let cur = instance_eni.entry(inst).or_insert((di, id));
            if di < cur.0 {
                *cur = (di, id);
            }
        }
        for ip in &e.private_ips {
            ip_eni.entry(*ip).or_insert(id);
        }
        let public_ip = e.public_ip.or_else(|| {
            s.eips
                .iter()
                .find(|a| {
                    a.eni.as_deref() == Some(id.as_str())
                        && a.private_ip
                            .is_none_or(|p| e.private_ips.first() == Some(&p))
                })
                .map(|a| a.public_ip)
        });
        let inst = e.instance.as_deref().and_then(|i| s.instances.get(i));
        let sdc = e
            .source_dest_check
            .or_else(|| inst.and_then(|i| i.source_dest_check))
            .unwrap_or(true);
        let mut tags: BTreeMap<String, String> = BTreeMap::new();
        if let Some(i) = inst {
            tags.extend(i.c.tags.clone());
        }
        tags.extend(e.c.tags.clone());
        let role_tag = tags.get(TAG_ROLE).cloned();
        tags.retain(|k, _| k != "Name" && !k.starts_with("lztwin:") && !k.starts_with("aws:"));
        let targeted = all_targets.contains(id.as_str())
            || e.instance
                .as_deref()
                .is_some_and(|i| all_targets.contains(i))
            || e.private_ips
                .iter()
                .any(|ip| all_targets.contains(ip.to_string().as_str()));
        let role = match role_tag.as_deref() {
            Some("appliance") => InterfaceRole::Appliance,
            Some("workload") => InterfaceRole::Workload,
            _ if targeted || !sdc => InterfaceRole::Appliance,
            _ => InterfaceRole::Workload,
        };
        let mut groups = Vec::new();
        for g in &e.groups {
            if s.sgs
                .get(g)
                .is_some_and(|x| x.vpc.as_deref().is_some_and(|v| vpc_ok.contains(v)))
            {
                groups.push(cx.n(g));
            } else {
                cx.warn(&e.c, format!("network interface {id}: security group {g} not in the snapshot: not applied"));
            }
        }
        m.network_interfaces.push(NetworkInterface {
            name: cx.n(id),
            id: Some(id.clone()),
            instance: e.instance.clone(),
            subnet: cx.n(&e.subnet),
            private_ips: e.private_ips.clone(),
            public_ip,
            security_groups: groups,
            source_dest_check: sdc,
            role,
            tags,
        });
    }
    // Instances listed without interfaces (only running ones matter).
    for (id, i) in &s.instances {
        if i.state
            .as_deref()
            .is_some_and(|st| st != "running" && st != "pending")
            && !instance_eni.contains_key(id.as_str())
        {
            cx.warn(
                &i.c,
                format!(
                    "instance {id} is {}: left out",
                    i.state.as_deref().unwrap_or("?")
                ),
            );
        }
    }

    // ---- inspection --------------------------------------------------------------------
    let mut fw_endpoints: HashSet<&str> = HashSet::default();
    for (arn, rg) in &s.rule_groups {
        let mut g = rg.group.clone();
        g.name = cx.n(arn);
        g.id = Some(arn.clone());
        m.rule_groups.push(g);
    }
    let mut policy_names: BTreeMap<String, String> = BTreeMap::new();
    for (arn, p) in &s.policies {
        let mut pol = p.policy.clone();
        pol.name = cx.n(arn);
        pol.id = Some(arn.clone());
        let fix = |refs: &mut Vec<RuleGroupReference>, cx: &mut Ctx| {
            refs.retain(|r| {
                if s.rule_groups.contains_key(&r.rule_group) {
                    true
                } else {
                    cx.warn(
                        &p.c,
                        format!(
                            "firewall policy {arn}: rule group {} not in the snapshot: left out",
                            r.rule_group
                        ),
                    );
                    false
                }
            });
            for r in refs.iter_mut() {
                r.rule_group = cx.n(&r.rule_group);
            }
        };
        fix(&mut pol.stateless_rule_groups, &mut cx);
        fix(&mut pol.stateful_rule_groups, &mut cx);
        policy_names.insert(arn.clone(), pol.name.clone());
        m.firewall_policies.push(pol);
    }
    for (arn, f) in &s.firewalls {
        if !vpc_ok.contains(f.vpc.as_str()) {
            cx.warn(
                &f.c,
                format!(
                    "firewall {}: VPC {} not in the snapshot: left out",
                    f.name, f.vpc
                ),
            );
            continue;
        }
        let policy = match policy_names.get(&f.policy_arn) {
            Some(p) => p.clone(),
            None => {
                // Without the policy the firewall still steers traffic; assume it passes.
                let pname = format!("{}-policy-unknown", cx.n(arn));
                cx.warn(&f.c, format!(
                    "firewall {}: policy {} not in the snapshot (add describe-firewall-policy): modelled as {pname}, which passes everything",
                    f.name, f.policy_arn
                ));
                m.firewall_policies.push(FirewallPolicy {
                    name: pname.clone(),
                    id: None,
                    stateless_default_actions: vec!["aws:forward_to_sfe".into()],
                    stateless_fragment_default_actions: Vec::new(),
                    stateless_rule_groups: Vec::new(),
                    stateful_rule_groups: Vec::new(),
                    stateful_rule_order: RuleOrder::DefaultActionOrder,
                    stateful_default_actions: Vec::new(),
                });
                pname
            }
        };
        let mut endpoints = Vec::new();
        for (_, subnet, ep) in &f.endpoints {
            if !subnet_ok.contains(subnet.as_str()) {
                cx.warn(&f.c, format!("firewall {}: endpoint {ep} is in subnet {subnet}, not in the snapshot: left out", f.name));
                continue;
            }
            fw_endpoints.insert(ep);
            endpoints.push(FirewallEndpoint {
                name: cx.n(ep),
                id: Some(ep.clone()),
                subnet: cx.n(subnet),
            });
        }
        endpoints.sort_by(|a, b| a.name.cmp(&b.name));
        m.firewalls.push(Firewall {
            name: cx.n(arn),
            id: Some(arn.clone()),
            vpc: cx.n(&f.vpc),
            policy,
            endpoints,
        });
    }
    for (arn, lb) in &s.lbs {
        if lb.lb_type == "network" {
            network_load_balancer(&mut cx, &mut m, arn, lb, &vpc_ok, &subnet_ok, &instance_eni);
            continue;
        }
        if lb.lb_type != "gateway" {
            cx.warn(
                &lb.c,
                format!(
                    "{} load balancer {}: not modelled (only Gateway and Network Load Balancers are)",
                    lb.lb_type, lb.name
                ),
            );
            continue;
        }
        let Some(vpc) = lb.vpc.as_deref().filter(|v| vpc_ok.contains(v)) else {
            cx.warn(
                &lb.c,
                format!(
                    "Gateway Load Balancer {}: VPC not in the snapshot: left out",
                    lb.name
                ),
            );
            continue;
        };
        let mut appliances: BTreeSet<String> = BTreeSet::new();
        for t in gwlb_targets.get(arn.as_str()).into_iter().flatten() {
            let eni = if let Some((_, e)) = instance_eni.get(t) {
                Some(*e)
            } else if let Ok(ip) = t.parse::<std::net::IpAddr>() {
                ip_eni.get(&ip).copied()
            } else {
                None
            };
            match eni {
                Some(e) => {
                    appliances.insert(cx.n(e));
                }
                None => cx.warn(&lb.c, format!("Gateway Load Balancer {}: target {t} has no network interface in the snapshot: left out", lb.name)),
            }
        }
        m.gateway_load_balancers.push(GatewayLoadBalancer {
            name: cx.n(arn),
            id: Some(arn.clone()),
            vpc: cx.n(vpc),
            subnets: lb
                .subnets
                .iter()
                .filter(|x| subnet_ok.contains(x.as_str()))
                .map(|x| cx.n(x))
                .collect(),
            appliances: appliances.into_iter().collect(),
        });
    }

    // Load-balancer interfaces and target groups no modelled load balancer uses.
    let node_ids: BTreeSet<String> = m
        .network_interfaces
        .iter()
        .filter(|e| e.role == InterfaceRole::LoadBalancer)
        .filter_map(|e| e.id.clone())
        .collect();
    for (id, e) in &s.enis {
        if e.interface_type.as_deref() == Some("network_load_balancer") && !node_ids.contains(id) {
            cx.warn(&e.c, format!("network interface {id} ({}): its Network Load Balancer is not in the snapshot: not modelled", e.description.as_deref().unwrap_or("network_load_balancer")));
        }
    }
    let gwlb_ids: BTreeSet<&str> = gwlb_arns.clone();
    for (arn, g) in &s.target_groups {
        let used = m
            .target_groups
            .iter()
            .any(|t| t.id.as_deref() == Some(arn.as_str()))
            || g.lbs.iter().any(|l| gwlb_ids.contains(l.as_str()));
        if !used {
            cx.warn(&g.c, format!("target group {arn}: no listener of a modelled load balancer forwards to it: not modelled"));
        }
    }

    // ---- VPC endpoints -----------------------------------------------------------------
    let mut vpce_ok: HashSet<&str> = HashSet::default();
    let gwlbs_in: Vec<&String> = s
        .lbs
        .iter()
        .filter(|(_, l)| {
            l.lb_type == "gateway" && l.vpc.as_deref().is_some_and(|v| vpc_ok.contains(v))
        })
        .map(|(k, _)| k)
        .collect();
    // Gateway endpoint → prefix list, from its routes.
    let mut gw_pl: BTreeMap<&str, &str> = BTreeMap::new();
    for rt in s.route_tables.values() {
        for r in &rt.routes {
            if let (RawTarget::Gateway(g), Some(pl)) = (&r.target, &r.dest_pl) {
                if g.starts_with("vpce-") {
                    gw_pl.entry(g.as_str()).or_insert(pl.as_str());
                }
            }
        }
    }
    for (id, e) in &s.endpoints {
        if fw_endpoints.contains(id.as_str()) {
            continue; // A Network Firewall endpoint: modelled on its firewall.
        }
        if !vpc_ok.contains(e.vpc.as_str()) {
            cx.warn(
                &e.c,
                format!(
                    "VPC endpoint {id}: VPC {} not in the snapshot: left out",
                    e.vpc
                ),
            );
            continue;
        }
        let subnet = e
            .subnets
            .iter()
            .find(|x| subnet_ok.contains(x.as_str()))
            .map(|x| cx.n(x));
        if e.etype != VpcEndpointType::Gateway && subnet.is_none() {
            cx.warn(
                &e.c,
                format!("VPC endpoint {id}: none of its subnets is in the snapshot: left out"),
            );
            continue;
        }
        let mut gwlb = None;
        if e.etype == VpcEndpointType::GatewayLoadBalancer {
            let by_service = e
                .service
                .as_ref()
                .and_then(|sv| s.endpoint_services.get(sv))
                .and_then(|arns| arns.iter().find(|a| gwlbs_in.contains(a)));
            gwlb = match (by_service, gwlbs_in.as_slice()) {
                (Some(a), _) => Some(cx.n(a)),
                (None, [only]) => Some(cx.n(only)),
                (None, []) => {
                    cx.warn(&e.c, format!("GWLB endpoint {id}: no Gateway Load Balancer in the snapshot: its appliances are unknown"));
                    None
                }
                (None, _) => {
                    cx.warn(&e.c, format!("GWLB endpoint {id}: several Gateway Load Balancers and no ServiceConfigurations (describe-vpc-endpoint-service-configurations) to tell which serves it"));
                    None
                }
            };
        }
        let mut private_ips = Vec::new();
        if e.etype == VpcEndpointType::Interface {
            for eni in &e.enis {
                if let Some(x) = s.enis.get(eni) {
                    private_ips.extend(x.private_ips.iter().copied());
                }
            }
        }
        let prefix_list = if e.etype == VpcEndpointType::Gateway {
            let by_tag = e.c.tags.get(TAG_PREFIX_LIST).map(|s| s.as_str());
            let by_route = gw_pl.get(id.as_str()).copied();
            let by_name = e.service.as_ref().and_then(|sv| {
                s.prefix_lists
                    .iter()
                    .find(|(_, p)| p.name.as_ref() == Some(sv))
                    .map(|(k, _)| k.as_str())
            });
            by_tag
                .or(by_route)
                .or(by_name)
                .filter(|p| pl_ok.contains(p))
                .map(|p| cx.n(p))
        } else {
            None
        };
        vpce_ok.insert(id);
        m.vpc_endpoints.push(VpcEndpoint {
            name: cx.n(id),
            id: Some(id.clone()),
            vpc: cx.n(&e.vpc),
            endpoint_type: e.etype,
            subnet: if e.etype == VpcEndpointType::Gateway {
                None
            } else {
                subnet
            },
            gateway_load_balancer: gwlb,
            service_name: e.service.clone(),
            private_ips,
            prefix_list,
        });
    }

    // ---- on-premises: VGWs, VPN, DX -------------------------------------------------------
    // Observed prefixes per site key and per connection/attachment key.
    let mut site_prefixes: BTreeMap<String, BTreeSet<IpNet>> = BTreeMap::new();
    let mut conn_prefixes: BTreeMap<String, BTreeSet<IpNet>> = BTreeMap::new();
    let mut conn_tagged: BTreeMap<String, Vec<IpNet>> = BTreeMap::new();
    for k in &site_keys {
        site_prefixes.entry(k.clone()).or_default();
    }
    // Prefixes tagged on any gateway of a site.
    let gw_tags = s
        .cgws
        .iter()
        .map(|(k, c)| (k, &c.c))
        .chain(s.dxgws.iter().map(|(k, d)| (k, &d.c)));
    for (k, c) in gw_tags {
        let key = canon(k);
        if let (true, Some(p)) = (
            site_keys.contains(&key),
            parse_prefix_tag(c.tags.get(TAG_PREFIXES)),
        ) {
            site_prefixes.entry(key).or_default().extend(p);
        }
    }
    for (id, v) in &s.vpns {
        let site = vpn_site(id);
        site_prefixes
            .entry(site)
            .or_default()
            .extend(v.routes.iter().copied());
        conn_prefixes
            .entry(id.clone())
            .or_default()
            .extend(v.routes.iter().copied());
        if let Some(p) = parse_prefix_tag(v.c.tags.get(TAG_ADVERTISED)) {
            conn_tagged.insert(id.clone(), p);
        }
    }
    // VGW connections: VPNs, private VIFs, DX gateway associations.
    struct Conn {
        key: String,
        id: Option<String>,
        site: String,
        kind: ConnectionKind,
        routing: VpnRouting,
        outside: Vec<std::net::Ipv4Addr>,
    }
    let mut vgw_conns: BTreeMap<String, Vec<Conn>> = BTreeMap::new();
    for (id, v) in &s.vpns {
        if let Some(g) = &v.vgw {
            vgw_conns.entry(g.clone()).or_default().push(Conn {
                key: id.clone(),
                id: Some(id.clone()),
                site: vpn_site(id),
                kind: ConnectionKind::Vpn,
                routing: if v.static_only {
                    VpnRouting::Static
                } else {
                    VpnRouting::Bgp
                },
                outside: v.outside_ips.clone(),
            });
        } else if v.tgw.is_none() {
            cx.warn(
                &v.c,
                format!("VPN connection {id} is attached to neither a VGW nor a TGW: left out"),
            );
        } else if !v.outside_ips.is_empty() {
            cx.warn(
                &v.c,
                format!("VPN connection {id}: the tunnel outside addresses of a transit gateway VPN are not modelled (the Internet does not reach them)"),
            );
        }
    }
    for (id, v) in &s.vifs {
        match (&v.vgw, &v.dxgw) {
            (Some(g), None) => {
                let site = v
                    .connection
                    .as_deref()
                    .map(canon)
                    .unwrap_or_else(|| format!("{}-site", v.c.path));
                vgw_conns.entry(g.clone()).or_default().push(Conn {
                    key: id.clone(),
                    id: Some(id.clone()),
                    site,
                    kind: ConnectionKind::DirectConnect,
                    routing: VpnRouting::Bgp,
                    outside: Vec::new(),
                });
            }
            (_, Some(_)) => {} // Through its DX gateway (a site of its own).
            (None, None) => cx.warn(
                &v.c,
                format!(
                    "virtual interface {id} ({}) has no VGW or DX gateway: not modelled",
                    v.vif_type
                ),
            ),
        }
    }
    for a in &s.dx_assocs {
        if s.vgws.contains_key(&a.gateway) {
            vgw_conns.entry(a.gateway.clone()).or_default().push(Conn {
                key: format!("{}:{}", a.dxgw, a.gateway),
                id: None,
                site: canon(&a.dxgw),
                kind: ConnectionKind::DirectConnect,
                routing: VpnRouting::Bgp,
                outside: Vec::new(),
            });
        } else if !s.tgws.contains_key(&a.gateway)
            && !s
                .attachments
                .values()
                .any(|x| x.resource.as_deref() == Some(a.dxgw.as_str()) && x.tgw == a.gateway)
        {
            cx.warn_at(a.origin, "", format!("Direct Connect gateway {} is associated with {}, which is not in this snapshot (it may be in another region)", a.dxgw, a.gateway));
        }
    }
    // VGW-propagated routes reveal what the VGW's sites advertise.
    for rt in s.route_tables.values() {
        for r in &rt.routes {
            if r.origin == "EnableVgwRoutePropagation" {
                if let (RawTarget::Gateway(g), Some(d)) = (&r.target, r.dest) {
                    for c in vgw_conns.get(g).into_iter().flatten() {
                        site_prefixes.entry(c.site.clone()).or_default().insert(d);
                        conn_prefixes.entry(c.key.clone()).or_default().insert(d);
                    }
                }
            }
        }
    }

    // On-premises routers (configs/*.txt): a router that holds the address of a customer
    // gateway (`IpAddress`) or of a virtual interface (`CustomerAddress`) advertises its
    // BGP networks over that connection, and AWS propagates them
    // (<https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html>,
    // <https://docs.aws.amazon.com/directconnect/latest/UserGuide/routing-and-bgp.html>):
    // they are prefixes of the connection's site.
    for r in &s.routers {
        let holds = |ip: Option<std::net::IpAddr>| matches!(ip, Some(std::net::IpAddr::V4(a)) if r.addresses.contains(&a));
        let mut sites: BTreeSet<String> = BTreeSet::new();
        for (vid, v) in &s.vpns {
            if v.cgw
                .as_deref()
                .is_some_and(|c| holds(s.cgws.get(c).and_then(|g| g.ip)))
            {
                sites.insert(vpn_site(vid));
            }
        }
        for v in s.vifs.values() {
            if !holds(v.customer_address) {
                continue;
            }
            match (&v.dxgw, &v.vgw) {
                (Some(d), _) => {
                    sites.insert(d.clone());
                }
                (None, Some(_)) => {
                    sites.insert(
                        v.connection
                            .clone()
                            .unwrap_or_else(|| format!("{}-site", v.c.path)),
                    );
                }
                (None, None) => {}
            }
        }
        if sites.is_empty() {
            cx.warnings.push(Diagnostic::warning(
                r.file.clone(),
                "",
                format!(
                    "router {}: none of its addresses is a customer gateway or virtual interface address of the snapshot: not used",
                    r.name
                ),
            ));
            continue;
        }
        for site in sites {
            site_prefixes
                .entry(site)
                .or_default()
                .extend(r.networks.iter().map(|n| IpNet::V4(*n)));
        }
    }

    // ---- TGWs ------------------------------------------------------------------------------
    let mut tgw_ok: HashSet<&str> = HashSet::default();
    for id in s.tgws.keys() {
        tgw_ok.insert(id);
    }
    let mut rtb_ok: HashMap<&str, &str> = HashMap::default(); // rtb → tgw
    for (id, r) in &s.tgw_rtbs {
        if tgw_ok.contains(r.tgw.as_str()) {
            rtb_ok.insert(id, &r.tgw);
        } else {
            cx.warn(
                &r.c,
                format!(
                    "TGW route table {id}: transit gateway {} not in the snapshot: left out",
                    r.tgw
                ),
            );
        }
    }
    for (id, t) in &s.tgws {
        m.transit_gateways.push(TransitGateway {
            name: cx.n(id),
            id: Some(id.clone()),
            account: cx.account(&t.c),
            region: cx.region(&t.c),
            asn: t.asn,
            default_route_table_association: t.default_association,
            default_route_table_propagation: t.default_propagation,
            default_route_table: t
                .association_rtb
                .as_deref()
                .filter(|r| rtb_ok.contains_key(r))
                .map(|r| cx.n(r)),
        });
    }
    // Attachments.
    let mut att_ok: HashMap<(&str, &str), AttachmentType> = HashMap::default();
    for ((id, tgw), a) in &s.attachments {
        if !tgw_ok.contains(tgw.as_str()) {
            cx.warn(
                &a.c,
                format!("TGW attachment {id}: transit gateway {tgw} not in the snapshot: left out"),
            );
            continue;
        }
        let t = match a.rtype.as_deref() {
            Some("vpc") => AttachmentType::Vpc,
            Some("vpn") => AttachmentType::Vpn,
            Some("direct-connect-gateway") => AttachmentType::DirectConnectGateway,
            Some("peering") | Some("tgw-peering") => AttachmentType::Peering,
            Some("connect") => AttachmentType::Connect,
            other => {
                cx.warn(
                    &a.c,
                    format!(
                        "TGW attachment {id} of type {} is not modelled: left out",
                        other.unwrap_or("unknown")
                    ),
                );
                continue;
            }
        };
        att_ok.insert((id, tgw), t);
    }
    // TGW routes: static routes, and propagated ones that reveal on-prem prefixes.
    let mut static_routes: BTreeMap<&str, BTreeSet<StaticRoute>> = BTreeMap::new();
    let mut plrefs: BTreeMap<&str, Vec<TransitGatewayPrefixListReference>> = BTreeMap::new();
    for r in &s.tgw_routes {
        let Some(tgw) = rtb_ok.get(r.rtb.as_str()).copied() else {
            cx.warn_at(
                r.origin,
                &r.path,
                format!(
                    "TGW route of {}: route table not in the snapshot: left out",
                    r.rtb
                ),
            );
            continue;
        };
        let att = r
            .attachment
            .as_deref()
            .filter(|a| att_ok.contains_key(&(*a, tgw)));
        if r.attachment.is_some() && att.is_none() && !r.blackhole {
            cx.warn_at(
                r.origin,
                &r.path,
                format!(
                    "TGW route of {}: attachment {} not in the snapshot: left out",
                    r.rtb,
                    r.attachment.as_deref().unwrap_or("")
                ),
            );
            continue;
        }
        if r.rtype == "propagated" {
            let Some(a) = att else { continue };
            let ty = att_ok[&(a, tgw)];
            if matches!(
                ty,
                AttachmentType::Vpn
                    | AttachmentType::DirectConnectGateway
                    | AttachmentType::Connect
            ) {
                if let Some(d) = r.dest {
                    conn_prefixes
                        .entry(att_key(s, a, tgw))
                        .or_default()
                        .insert(d);
                }
            }
            continue;
        }
        if let Some(pl) = &r.dest_pl {
            if pl_ok.contains(pl.as_str()) {
                plrefs
                    .entry(r.rtb.as_str())
                    .or_default()
                    .push(TransitGatewayPrefixListReference {
                        prefix_list: cx.n(pl),
                        attachment: att.map(|a| cx.n(&att_key(s, a, tgw))),
                        blackhole: r.blackhole,
                    });
            }
            continue;
        }
        let Some(d) = r.dest else { continue };
        static_routes.entry(r.rtb.as_str()).or_default().insert((
            d,
            if r.blackhole {
                None
            } else {
                att.map(|a| cx.n(&att_key(s, a, tgw)))
            },
            r.blackhole || att.is_none(),
        ));
    }
    for p in &s.pl_refs {
        let Some(tgw) = rtb_ok.get(p.rtb.as_str()).copied() else {
            continue;
        };
        if !pl_ok.contains(p.pl.as_str()) {
            cx.warn_at(
                p.origin,
                &p.path,
                format!(
                    "prefix-list reference of {}: prefix list {} not in the snapshot: left out",
                    p.rtb, p.pl
                ),
            );
            continue;
        }
        let att = p
            .attachment
            .as_deref()
            .filter(|a| att_ok.contains_key(&(*a, tgw)));
        let r = TransitGatewayPrefixListReference {
            prefix_list: cx.n(&p.pl),
            attachment: if p.blackhole {
                None
            } else {
                att.map(|a| cx.n(&att_key(s, a, tgw)))
            },
            blackhole: p.blackhole || att.is_none(),
        };
        let v = plrefs.entry(p.rtb.as_str()).or_default();
        if !v.contains(&r) {
            v.push(r);
        }
    }
    for (id, r) in &s.tgw_rtbs {
        if !rtb_ok.contains_key(id.as_str()) {
            continue;
        }
        let routes = static_routes
            .remove(id.as_str())
            .unwrap_or_default()
            .into_iter()
            .map(|(destination, attachment, blackhole)| TransitGatewayRoute {
                destination,
                attachment,
                blackhole,
            })
            .collect();
        let mut prefix_list_references = plrefs.remove(id.as_str()).unwrap_or_default();
        prefix_list_references
            .sort_by(|a, b| (&a.prefix_list, &a.attachment).cmp(&(&b.prefix_list, &b.attachment)));
        m.transit_gateway_route_tables
            .push(TransitGatewayRouteTable {
                name: cx.n(id),
                id: Some(id.clone()),
                transit_gateway: cx.n(&r.tgw),
                routes,
                prefix_list_references,
            });
    }
    // Site of each on-prem attachment; propagated prefixes also belong to the site.
    let dx_site_ok: BTreeSet<&String> = s.dxgws.keys().collect();
    let mut att_site: BTreeMap<String, String> = BTreeMap::new();
    for ((id, tgw), a) in &s.attachments {
        let Some(ty) = att_ok.get(&(id.as_str(), tgw.as_str())) else {
            continue;
        };
        let key = att_key(s, id, tgw);
        let site = match ty {
            AttachmentType::Vpn => a.resource.as_deref().map(vpn_site),
            AttachmentType::DirectConnectGateway => a.resource.as_deref().map(|r| {
                let k = canon(r);
                if !dx_site_ok.contains(&r.to_string()) {
                    site_prefixes.entry(k.clone()).or_default();
                }
                k
            }),
            AttachmentType::Connect => Some(format!("{key}-site")),
            _ => None,
        };
        if let Some(site) = site {
            if let Some(p) = parse_prefix_tag(a.c.tags.get(TAG_ADVERTISED)) {
                conn_tagged.insert(key.clone(), p);
            }
            let seen = conn_prefixes.get(&key).cloned().unwrap_or_default();
            let tagged = conn_tagged.get(&key).cloned().unwrap_or_default();
            let e = site_prefixes.entry(site.clone()).or_default();
            e.extend(seen);
            e.extend(tagged);
            // VPN routes of a TGW VPN belong to its attachment too.
            if let Some(v) = a.resource.as_deref().and_then(|r| s.vpns.get(r)) {
                conn_prefixes
                    .entry(key.clone())
                    .or_default()
                    .extend(v.routes.iter().copied());
            }
            att_site.insert(key, site);
        }
    }
    for (k, v) in &conn_tagged {
        if let Some(site) = att_site.get(k) {
            site_prefixes
                .entry(site.clone())
                .or_default()
                .extend(v.iter().copied());
        }
    }
    // Advertised prefixes of one connection: tagged, else observed; empty when all.
    let advertised = |key: &str, site: &str| -> Vec<IpNet> {
        let seen: BTreeSet<IpNet> = match conn_tagged.get(key) {
            Some(t) => t.iter().copied().collect(),
            None => conn_prefixes.get(key).cloned().unwrap_or_default(),
        };
        let all = site_prefixes.get(site).cloned().unwrap_or_default();
        if seen.is_empty() || seen == all {
            Vec::new()
        } else {
            seen.into_iter().collect()
        }
    };
    let mut used_sites: BTreeSet<String> = BTreeSet::new();
    // Propagations by attachment id (one pass, not one scan per attachment).
    let mut props_of: HashMap<&str, Vec<&str>> = HashMap::default();
    for (r, at) in &s.propagations {
        props_of.entry(at.as_str()).or_default().push(r.as_str());
    }
    for ((id, tgw), a) in &s.attachments {
        let Some(ty) = att_ok.get(&(id.as_str(), tgw.as_str())).copied() else {
            continue;
        };
        let key = att_key(s, id, tgw);
        let mut att = TransitGatewayAttachment {
            name: cx.n(&key),
            id: Some(id.clone()),
            transit_gateway: cx.n(tgw),
            attachment_type: ty,
            account: None,
            vpc: None,
            subnets: Vec::new(),
            appliance_mode: a.appliance_mode.unwrap_or(false),
            site: None,
            routing: VpnRouting::Bgp,
            advertised_prefixes: Vec::new(),
            peer_transit_gateway: None,
            transport_attachment: None,
            association: None,
            propagations: Vec::new(),
            available: true,
        };
        let tgw_account = s.tgws.get(tgw).map(|t| cx.account(&t.c));
        let res_account = a
            .resource_owner
            .as_ref()
            .and_then(|o| cx.id_account.get(o).cloned());
        if res_account.is_some() && res_account != tgw_account {
            att.account = res_account;
        }
        match ty {
            AttachmentType::Vpc => {
                match a.vpc.as_deref().filter(|v| vpc_ok.contains(v)) {
                    Some(v) => att.vpc = Some(cx.n(v)),
                    None => cx.warn(
                        &a.c,
                        format!(
                            "TGW attachment {id}: VPC {} not in the snapshot",
                            a.vpc.as_deref().unwrap_or("?")
                        ),
                    ),
                }
                let mut subs: Vec<String> = Vec::new();
                for sn in &a.subnets {
                    if subnet_ok.contains(sn.as_str()) {
                        subs.push(cx.n(sn));
                    } else {
                        cx.warn(
                            &a.c,
                            format!(
                                "TGW attachment {id}: subnet {sn} not in the snapshot: left out"
                            ),
                        );
                    }
                }
                att.subnets = subs;
            }
            AttachmentType::Vpn
            | AttachmentType::DirectConnectGateway
            | AttachmentType::Connect => {
                if let Some(site) = att_site.get(&key) {
                    att.site = Some(cx.n(site));
                    used_sites.insert(site.clone());
                    att.advertised_prefixes = advertised(&key, site);
                }
                if ty == AttachmentType::Vpn {
                    if let Some(v) = a.resource.as_deref().and_then(|r| s.vpns.get(r)) {
                        if v.static_only {
                            att.routing = VpnRouting::Static;
                        }
                    }
                }
                if ty == AttachmentType::Connect {
                    if let Some(t) = a
                        .transport
                        .as_deref()
                        .filter(|t| att_ok.contains_key(&(*t, tgw.as_str())))
                    {
                        att.transport_attachment = Some(cx.n(&att_key(s, t, tgw)));
                    }
                }
            }
            AttachmentType::Peering => match a.peer_tgw.as_deref().filter(|p| tgw_ok.contains(p)) {
                Some(p) => att.peer_transit_gateway = Some(cx.n(p)),
                None => cx.warn(
                    &a.c,
                    format!(
                        "TGW peering attachment {id}: peer {} not in the snapshot",
                        a.peer_tgw.as_deref().unwrap_or("?")
                    ),
                ),
            },
        }
        // Association and propagations apply within the attachment's own TGW.
        if let Some(r) = a.association.as_deref() {
            if rtb_ok.get(r) == Some(&tgw.as_str()) {
                att.association = Some(cx.n(r));
            } else {
                cx.warn(
                    &a.c,
                    format!("TGW attachment {id}: associated route table {r} not in the snapshot"),
                );
            }
        }
        let mut props: Vec<String> = props_of
            .get(id.as_str())
            .into_iter()
            .flatten()
            .filter(|r| rtb_ok.get(**r) == Some(&tgw.as_str()))
            .map(|r| cx.n(r))
            .collect();
        props.sort();
        props.dedup();
        att.propagations = props;
        m.transit_gateway_attachments.push(att);
    }
    let att_ids: HashSet<&str> = s.attachments.keys().map(|(i, _)| i.as_str()).collect();
    for (rtb, att) in &s.propagations {
        if !rtb_ok.contains_key(rtb.as_str()) || !att_ids.contains(att.as_str()) {
            cx.warnings.push(Diagnostic::warning(
                m.name.clone(),
                "",
                format!("propagation of {att} to {rtb}: route table or attachment not in the snapshot: left out"),
            ));
        }
    }

    // VGWs with their connections.
    for (id, g) in &s.vgws {
        let mut connections = Vec::new();
        for c in vgw_conns.get(id).into_iter().flatten() {
            used_sites.insert(c.site.clone());
            connections.push(VgwConnection {
                name: cx.n(&c.key),
                id: c.id.clone(),
                site: cx.n(&c.site),
                kind: c.kind,
                routing: c.routing,
                advertised_prefixes: advertised(&c.key, &c.site),
                tunnel_outside_ips: c.outside.clone(),
            });
        }
        connections.sort_by(|a, b| a.name.cmp(&b.name));
        m.vpn_gateways.push(VpnGateway {
            name: cx.n(id),
            id: Some(id.clone()),
            vpc: g
                .vpc
                .as_deref()
                .filter(|v| vpc_ok.contains(v))
                .map(|v| cx.n(v)),
            asn: g.asn,
            connections,
        });
    }
    for (v, conns) in &vgw_conns {
        if !s.vgws.contains_key(v) {
            for c in conns {
                cx.warnings.push(Diagnostic::warning(m.name.clone(), "", format!(
                    "connection {} refers to virtual private gateway {v}, which is not in the snapshot: left out", c.key
                )));
            }
        }
    }
    for site in &used_sites {
        let prefixes: Vec<IpNet> = site_prefixes
            .get(site)
            .map(|p| p.iter().copied().collect())
            .unwrap_or_default();
        if prefixes.is_empty() {
            cx.warnings.push(Diagnostic::warning(m.name.clone(), "", format!(
                "on-premises site {}: no prefixes found in the snapshot (add search-transit-gateway-routes results, VPN static routes or VGW-propagated routes)",
                cx.n(site)
            )));
        }
        m.onprem_sites.push(OnPremSite {
            name: cx.n(site),
            prefixes,
        });
    }

    // ---- VPC route tables ---------------------------------------------------------------
    let igw_ok: HashSet<&str> = s.igws.keys().map(|k| k.as_str()).collect();
    let eigw_ok: HashSet<&str> = m
        .egress_only_internet_gateways
        .iter()
        .filter_map(|g| g.id.as_deref())
        .collect::<Vec<_>>()
        .into_iter()
        .map(|x| {
            s.eigws
                .get_key_value(x)
                .map(|(k, _)| k.as_str())
                .unwrap_or("")
        })
        .collect();
    let nat_ok: HashSet<&str> = m
        .nat_gateways
        .iter()
        .filter_map(|g| g.id.as_deref())
        .filter_map(|x| s.nats.get_key_value(x).map(|(k, _)| k.as_str()))
        .collect();
    let pcx_ok: HashSet<&str> = m
        .vpc_peering_connections
        .iter()
        .filter_map(|g| g.id.as_deref())
        .filter_map(|x| s.peerings.get_key_value(x).map(|(k, _)| k.as_str()))
        .collect();
    let vgw_conn_kind = |g: &str| -> Option<PropagationSource> {
        let cs = vgw_conns.get(g)?;
        if cs.iter().any(|c| c.kind == ConnectionKind::DirectConnect) {
            Some(PropagationSource::DirectConnect)
        } else if cs.iter().any(|c| c.routing == VpnRouting::Static) {
            Some(PropagationSource::VpnStatic)
        } else {
            Some(PropagationSource::VpnBgp)
        }
    };
    let mut main_seen: HashSet<&str> = HashSet::default();
    let mut tables_per_vpc: HashMap<&str, usize> = HashMap::default();
    for rt in s.route_tables.values() {
        *tables_per_vpc.entry(rt.vpc.as_str()).or_default() += 1;
        if rt.main {
            main_seen.insert(rt.vpc.as_str());
        }
    }
    for (id, rt) in &s.route_tables {
        if !vpc_ok.contains(rt.vpc.as_str()) {
            cx.warn(
                &rt.c,
                format!(
                    "route table {id}: VPC {} not in the snapshot: left out",
                    rt.vpc
                ),
            );
            continue;
        }
        // Every VPC has a main route table; a snapshot without the main association
        // but with a single table for the VPC means that table.
        // https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#RouteTableDetails
        let main = rt.main
            || (!main_seen.contains(rt.vpc.as_str())
                && tables_per_vpc.get(rt.vpc.as_str()) == Some(&1));
        let cidrs = vpc_cidrs.get(rt.vpc.as_str()).cloned().unwrap_or_default();
        let mut routes = Vec::new();
        for r in &rt.routes {
            let target = match &r.target {
                RawTarget::Local => {
                    if r.dest.is_some_and(|d| cidrs.contains(&d)) {
                        continue; // The implicit local route.
                    }
                    Some(RouteTarget::Local)
                }
                RawTarget::Gateway(g) if igw_ok.contains(g.as_str()) => {
                    Some(RouteTarget::InternetGateway(cx.n(g)))
                }
                RawTarget::Gateway(g) if s.vgws.contains_key(g) => {
                    Some(RouteTarget::VpnGateway(cx.n(g)))
                }
                RawTarget::Gateway(g)
                    if vpce_ok.contains(g.as_str()) || fw_endpoints.contains(g.as_str()) =>
                {
                    Some(RouteTarget::VpcEndpoint(cx.n(g)))
                }
                RawTarget::Gateway(g) if eigw_ok.contains(g.as_str()) => {
                    Some(RouteTarget::EgressOnlyInternetGateway(cx.n(g)))
                }
                RawTarget::Gateway(g) if nat_ok.contains(g.as_str()) => {
                    Some(RouteTarget::NatGateway(cx.n(g)))
                }
                RawTarget::EgressOnly(g) if eigw_ok.contains(g.as_str()) => {
                    Some(RouteTarget::EgressOnlyInternetGateway(cx.n(g)))
                }
                RawTarget::Nat(g) if nat_ok.contains(g.as_str()) => {
                    Some(RouteTarget::NatGateway(cx.n(g)))
                }
                RawTarget::Tgw(g) if tgw_ok.contains(g.as_str()) => {
                    Some(RouteTarget::TransitGateway(cx.n(g)))
                }
                RawTarget::Peering(g) if pcx_ok.contains(g.as_str()) => {
                    Some(RouteTarget::VpcPeeringConnection(cx.n(g)))
                }
                RawTarget::Eni(g) if eni_ok.contains(g.as_str()) => {
                    Some(RouteTarget::NetworkInterface(cx.n(g)))
                }
                RawTarget::Instance(i) => instance_eni
                    .get(i.as_str())
                    .map(|(_, e)| RouteTarget::NetworkInterface(cx.n(e))),
                _ => None,
            };
            let Some(target) = target else {
                let what = match &r.target {
                    RawTarget::Unsupported(w) => format!("{w} is not modelled"),
                    RawTarget::Gateway(g)
                    | RawTarget::EgressOnly(g)
                    | RawTarget::Nat(g)
                    | RawTarget::Tgw(g)
                    | RawTarget::Peering(g)
                    | RawTarget::Eni(g)
                    | RawTarget::Instance(g) => {
                        format!("target {g} is not in the snapshot")
                    }
                    RawTarget::Local => "local".into(),
                };
                cx.warn_at(
                    rt.c.origin,
                    &r.path,
                    format!("route table {id}: {what}: route left out"),
                );
                continue;
            };
            let destination_prefix_list = match &r.dest_pl {
                Some(p) if pl_ok.contains(p.as_str()) => Some(cx.n(p)),
                Some(p) => {
                    cx.warn_at(
                        rt.c.origin,
                        &r.path,
                        format!(
                            "route table {id}: prefix list {p} not in the snapshot: route left out"
                        ),
                    );
                    continue;
                }
                None => None,
            };
            let origin = match r.origin.as_str() {
                "CreateRouteTable" => RouteOrigin::Local,
                "EnableVgwRoutePropagation" => RouteOrigin::Propagated,
                _ => RouteOrigin::Static,
            };
            let propagation = match (&origin, &target) {
                (RouteOrigin::Propagated, RouteTarget::VpnGateway(_)) => match &r.target {
                    RawTarget::Gateway(g) => vgw_conn_kind(g),
                    _ => None,
                },
                _ => None,
            };
            routes.push(Route {
                destination: if destination_prefix_list.is_some() {
                    None
                } else {
                    r.dest
                },
                destination_prefix_list,
                target,
                origin,
                propagation,
                state: if r.blackhole {
                    RouteState::Blackhole
                } else {
                    RouteState::Active
                },
            });
        }
        let mut edges = Vec::new();
        for g in &rt.edges {
            if igw_ok.contains(g.as_str()) || s.vgws.contains_key(g) {
                edges.push(cx.n(g));
            } else {
                cx.warn(&rt.c, format!("route table {id}: edge association with {g}, which is not in the snapshot: left out"));
            }
        }
        let mut propagating_vgws = Vec::new();
        for g in &rt.propagating_vgws {
            if s.vgws.contains_key(g) {
                propagating_vgws.push(cx.n(g));
            }
        }
        m.route_tables.push(RouteTable {
            name: cx.n(id),
            id: Some(id.clone()),
            vpc: cx.n(&rt.vpc),
            main,
            subnets: rt
                .subnets
                .iter()
                .filter(|x| subnet_ok.contains(x.as_str()))
                .map(|x| cx.n(x))
                .collect(),
            edge_associations: edges,
            propagating_vgws,
            routes,
        });
    }
    for v in &m.vpcs {
        let vid = v.id.as_deref().unwrap_or("");
        if tables_per_vpc.get(vid).copied().unwrap_or(0) > 1 && !main_seen.contains(vid) {
            cx.warnings.push(Diagnostic::warning(m.name.clone(), "", format!(
                "VPC {vid}: the snapshot does not say which route table is main; subnets without an explicit association have no routes"
            )));
        }
    }

    sort_model(&mut m);
    sink.warnings.append(&mut cx.warnings);
    m
}

/// Sort every collection by name (the importer's canonical order).
pub(crate) fn sort_model(m: &mut Model) {
    macro_rules! by_name {
        ($($f:ident),*) => { $( m.$f.sort_by(|a, b| a.name.cmp(&b.name)); )* };
    }
    by_name!(
        accounts,
        regions,
        vpcs,
        subnets,
        route_tables,
        internet_gateways,
        egress_only_internet_gateways,
        nat_gateways,
        vpn_gateways,
        vpc_peering_connections,
        prefix_lists,
        vpc_endpoints,
        transit_gateways,
        transit_gateway_route_tables,
        transit_gateway_attachments,
        onprem_sites,
        firewalls,
        firewall_policies,
        rule_groups,
        gateway_load_balancers,
        network_load_balancers,
        target_groups,
        security_groups,
        network_acls,
        network_interfaces
    );
}

/// A Network Load Balancer: its node interfaces (interface type `network_load_balancer`,
/// described `ELB net/<name>/<id>`), listeners, attributes and the target groups its
/// listeners forward to. Whatever cannot be modelled is a warning.
fn network_load_balancer(
    cx: &mut Ctx<'_>,
    m: &mut Model,
    arn: &str,
    lb: &RawLb,
    vpc_ok: &HashSet<&str>,
    subnet_ok: &HashSet<&str>,
    instance_eni: &BTreeMap<&str, (i64, &str)>,
) {
    let s = cx.s;
    let Some(vpc) = lb.vpc.as_deref().filter(|v| vpc_ok.contains(v)) else {
        cx.warn(
            &lb.c,
            format!(
                "Network Load Balancer {}: VPC not in the snapshot: left out",
                lb.name
            ),
        );
        return;
    };
    let tail = super::export::nlb_arn_tail(arn);
    let attrs = s.elb_attributes.get(arn);
    let cross_zone = attrs
        .and_then(|a| a.get("load_balancing.cross_zone.enabled"))
        .is_some_and(|v| v == "true");
    // Nodes: one interface per enabled AZ subnet.
    let mut nodes = Vec::new();
    for (subnet, addrs) in &lb.addresses {
        if !subnet_ok.contains(subnet.as_str()) {
            cx.warn(&lb.c, format!("Network Load Balancer {}: subnet {subnet} not in the snapshot: its node there is left out", lb.name));
            continue;
        }
        let found = s.enis.iter().find(|(_, e)| {
            e.interface_type.as_deref() == Some("network_load_balancer")
                && e.subnet == *subnet
                && e.description
                    .as_deref()
                    .is_none_or(|d| d.trim_start_matches("ELB ") == tail)
        });
        let Some((eni_id, e)) = found else {
            cx.warn(&lb.c, format!("Network Load Balancer {}: no network interface of the load balancer in subnet {subnet} in the snapshot (describe-network-interfaces): its node there is not modelled", lb.name));
            continue;
        };
        let mut private_ips = e.private_ips.clone();
        if private_ips.is_empty() {
            if let Some(ip) = addrs.iter().find_map(|(p, _)| *p) {
                private_ips.push(std::net::IpAddr::V4(ip));
            }
        }
        if private_ips.is_empty() {
            cx.warn(&e.c, format!("network interface {eni_id} of Network Load Balancer {} has no private address: left out", lb.name));
            continue;
        }
        let public_ip = e.public_ip.or_else(|| addrs.iter().find_map(|(_, p)| *p));
        let groups: Vec<String> = e
            .groups
            .iter()
            .chain(if e.groups.is_empty() {
                lb.groups.iter()
            } else {
                [].iter()
            })
            .filter(|g| s.sgs.contains_key(*g))
            .map(|g| cx.n(g))
            .collect();
        let name = cx.n(eni_id);
        let mut tags = e.c.tags.clone();
        tags.retain(|k, _| k != "Name" && !k.starts_with("lztwin:") && !k.starts_with("aws:"));
        m.network_interfaces.push(NetworkInterface {
            name: name.clone(),
            id: Some(eni_id.clone()),
            instance: None,
            subnet: cx.n(subnet),
            private_ips,
            public_ip,
            security_groups: groups,
            source_dest_check: true,
            role: InterfaceRole::LoadBalancer,
            tags,
        });
        nodes.push(name);
    }
    if nodes.is_empty() {
        cx.warn(
            &lb.c,
            format!(
                "Network Load Balancer {}: no node interface in the snapshot: left out",
                lb.name
            ),
        );
        return;
    }
    // Listeners and the target groups they forward to.
    let mut listeners = Vec::new();
    let mut used_tgs: BTreeSet<&str> = BTreeSet::new();
    for l in s.listeners.get(arn).into_iter().flatten() {
        let what = l.id.clone().unwrap_or_else(|| format!("{:?}", l.port));
        let Some(protocol) = ListenerProtocol::from_api(&l.protocol) else {
            cx.warn(&l.c, format!("listener {what} of {}: protocol {} is not a Network Load Balancer protocol: left out", lb.name, l.protocol));
            continue;
        };
        let Some(port) = l.port else {
            cx.warn(
                &l.c,
                format!("listener {what} of {}: no port: left out", lb.name),
            );
            continue;
        };
        for a in &l.other_actions {
            cx.warn(
                &l.c,
                format!(
                    "listener {what} of {}: default action `{a}` is not modelled",
                    lb.name
                ),
            );
        }
        let Some(tg) = l.target_groups.first() else {
            cx.warn(
                &l.c,
                format!(
                    "listener {what} of {}: no forward action to a target group: left out",
                    lb.name
                ),
            );
            continue;
        };
        if l.target_groups.len() > 1 {
            cx.warn(&l.c, format!("listener {what} of {}: weighted forward to {} target groups: only the first ({tg}) is modelled", lb.name, l.target_groups.len()));
        }
        if !s.target_groups.contains_key(tg) {
            cx.warn(&l.c, format!("listener {what} of {}: target group {tg} not in the snapshot (describe-target-groups): left out", lb.name));
            continue;
        }
        used_tgs.insert(tg.as_str());
        listeners.push(Listener {
            id: l.id.clone(),
            protocol,
            port,
            target_group: cx.n(tg),
        });
    }
    if listeners.is_empty() {
        cx.warn(&lb.c, format!("Network Load Balancer {}: no listener in the snapshot (describe-listeners): it forwards nothing", lb.name));
    }
    for tg in used_tgs {
        if m.target_groups.iter().any(|t| t.id.as_deref() == Some(tg)) {
            continue;
        }
        let Some(g) = s.target_groups.get(tg) else {
            continue;
        };
        let ttype = match g.target_type.as_deref().unwrap_or("instance") {
            "instance" => TargetType::Instance,
            "ip" => TargetType::Ip,
            other => {
                cx.warn(&g.c, format!("target group {tg}: target type {other} is not modelled: its listeners forward nothing"));
                TargetType::Ip
            }
        };
        let protocol = g
            .protocol
            .as_deref()
            .and_then(ListenerProtocol::from_api)
            .unwrap_or_default();
        let port = g.port.unwrap_or(0);
        let preserve = s
            .elb_attributes
            .get(tg)
            .and_then(|a| a.get("preserve_client_ip.enabled"))
            .map(|v| v == "true");
        let mut targets = Vec::new();
        match s.targets.get(tg) {
            None => cx.warn(&g.c, format!("target group {tg}: no target health in the snapshot (describe-target-health): no targets modelled")),
            Some(ts) => {
                for t in ts {
                    let healthy = t.state == "healthy" || t.state == "unavailable";
                    let (interface, ip) = match ttype {
                        TargetType::Instance => match instance_eni.get(t.id.as_str()) {
                            Some((_, e)) => (Some(cx.n(e)), None),
                            None => {
                                cx.warn(&g.c, format!("target group {tg}: instance {} has no network interface in the snapshot: left out", t.id));
                                continue;
                            }
                        },
                        TargetType::Ip => match t.id.parse::<std::net::IpAddr>() {
                            Ok(ip) => (None, Some(ip)),
                            Err(_) => {
                                cx.warn(&g.c, format!("target group {tg}: target {} is not an IP address: left out", t.id));
                                continue;
                            }
                        },
                    };
                    targets.push(LbTarget {
                        interface,
                        ip,
                        port: t.port.filter(|p| *p != port),
                        healthy,
                    });
                }
            }
        }
        let tvpc = g
            .vpc
            .as_deref()
            .filter(|v| vpc_ok.contains(v))
            .unwrap_or(vpc);
        m.target_groups.push(TargetGroup {
            name: cx.n(tg),
            id: Some(tg.to_string()),
            vpc: cx.n(tvpc),
            protocol,
            port,
            target_type: ttype,
            preserve_client_ip: preserve,
            targets,
        });
    }
    m.network_load_balancers.push(NetworkLoadBalancer {
        name: cx.n(arn),
        id: Some(arn.to_string()),
        vpc: cx.n(vpc),
        scheme: if lb.scheme.as_deref() == Some("internet-facing") {
            LoadBalancerScheme::InternetFacing
        } else {
            LoadBalancerScheme::Internal
        },
        nodes,
        cross_zone,
        listeners,
    });
}
