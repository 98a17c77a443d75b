//! Synthetic landing-zone estates of any size (`lztwin generate`), shaped like the
//! reference environment (scenarios/landing-zone.json, described in scenarios/README.md):
//!
//! - a Transit Gateway with three route tables: `spoke` (pre-inspection: 0.0.0.0/0 to the
//!   inspection VPC), `firewall` (post-inspection: every spoke VPC and on-prem prefix is
//!   propagated here) and `onprem` (the estate to the inspection VPC);
//! - an inspection VPC with an AWS Network Firewall endpoint per AZ, NAT gateways and an
//!   internet gateway, attached with appliance mode on
//!   (<https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-appliance-scenario.html>);
//! - an ingress VPC whose internet gateway has an edge association to a gateway route table
//!   that steers inbound traffic through a second firewall
//!   (<https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-table.html>);
//! - shared-services and builder VPCs, and `--vpcs` workload VPCs spread over workload
//!   accounts, one environment (prod, test, dev) per account;
//! - on-prem sites over Site-to-Site VPN (BGP and static) and Direct Connect attachments;
//! - security groups, NACLs (prod VPCs get a custom app NACL as in the reference) and
//!   firewall rule groups in STRICT_ORDER (isolation drops, east-west passes, egress).
//!
//! The estate is valid by construction and deterministic per seed: the seed only drives
//! choices made with a small SplitMix64 generator (workload placement, service tags, AWS
//! ids, a few extra firewall passes), never iteration order.
//!
//! Address plan: the whole estate is in 10.0.0.0/8. Hub VPCs are in 10.0.0.0/16; each
//! environment has its own /10 (prod 10.64.0.0/10, test 10.128.0.0/10, dev 10.192.0.0/10)
//! holding up to 4,096 workload VPCs of a /22 each, so firewall rules can name whole
//! environments. On-prem sites own 172.16.0.0/16, 192.168.0.0/16 and 172.17.0.0/16.

use crate::model::{
    Account, AttachmentType, Environment, Firewall, FirewallEndpoint, FirewallPolicy,
    InterfaceRole, InternetGateway, Model, NatConnectivity, NatGateway, NetworkAcl,
    NetworkAclEntry, NetworkInterface, OnPremSite, PortRange, Protocol, Region, Route, RouteOrigin,
    RouteState, RouteTable, RouteTarget, RuleAction, RuleGroup, RuleGroupReference, RuleGroupType,
    RuleOrder, SecurityGroup, SecurityGroupRule, StatefulAction, StatefulDirection, StatefulRule,
    Subnet, TransitGateway, TransitGatewayAttachment, TransitGatewayRoute,
    TransitGatewayRouteTable, Vpc, VpnRouting,
};
pub use crate::rng::SplitMix64;
use ipnet::{IpNet, Ipv4Net};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

/// Parameters of a generated estate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntheticOptions {
    /// Workload VPCs (besides the hub, shared-services and builder VPCs), 1..=[`MAX_VPCS`].
    pub vpcs: usize,
    /// Accounts in total, including the three platform accounts (network, shared
    /// services, builder); at least 4. `None`: one workload account per 40 VPCs (3..=100).
    pub accounts: Option<usize>,
    /// Availability zones, 1..=6.
    pub azs: usize,
    /// Application subnets per workload VPC, 1..=48 (spread round-robin over the AZs).
    pub subnets_per_vpc: usize,
    /// Seed of the pseudo-random choices.
    pub seed: u64,
}

impl Default for SyntheticOptions {
    fn default() -> Self {
        SyntheticOptions {
            vpcs: 10,
            accounts: None,
            azs: 3,
            subnets_per_vpc: 3,
            seed: 1,
        }
    }
}

/// Most workload VPCs: each environment's /10 holds 4,096 /22s, and workload VPCs are spread
/// round-robin over the three environments.
pub const MAX_VPCS: usize = 12_000;

/// Check the options; the message names the flag at fault.
pub fn check_options(o: &SyntheticOptions) -> Result<(), String> {
    if o.vpcs == 0 || o.vpcs > MAX_VPCS {
        return Err(format!("--vpcs must be 1..={MAX_VPCS}, got {}", o.vpcs));
    }
    if o.azs == 0 || o.azs > 6 {
        return Err(format!("--azs must be 1..=6, got {}", o.azs));
    }
    if o.subnets_per_vpc == 0 || o.subnets_per_vpc > 48 {
        return Err(format!(
            "--subnets-per-vpc must be 1..=48, got {}",
            o.subnets_per_vpc
        ));
    }
    if let Some(a) = o.accounts {
        if !(4..=10_000).contains(&a) {
            return Err(format!(
                "--accounts must be 4..=10000 (network, shared services, builder and at least one workload account), got {a}"
            ));
        }
    }
    Ok(())
}

const REGION: &str = "eu-west-1";
const TGW: &str = "lz-tgw";
const NETWORK: &str = "network-prod";
const SHARED: &str = "shared-services";
const BUILDER: &str = "deploy-cicd";

fn v4(a: u8, b: u8, c: u8, d: u8) -> Ipv4Addr {
    Ipv4Addr::new(a, b, c, d)
}

fn net4(addr: Ipv4Addr, len: u8) -> Ipv4Net {
    // Every prefix length used below is ≤ 32, so this cannot fail.
    Ipv4Net::new(addr, len).unwrap_or_else(|_| Ipv4Net::default())
}

fn add(a: Ipv4Addr, n: u32) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(a).wrapping_add(n))
}

fn p(s: &str) -> IpNet {
    s.parse().unwrap_or_else(|_| IpNet::V4(Ipv4Net::default()))
}

fn route(dst: IpNet, target: RouteTarget) -> Route {
    Route {
        destination: Some(dst),
        destination_prefix_list: None,
        target,
        origin: RouteOrigin::Static,
        propagation: None,
        state: RouteState::Active,
    }
}

fn rt(name: String, id: String, vpc: &str, main: bool, subnets: Vec<String>) -> RouteTable {
    RouteTable {
        name,
        id: Some(id),
        vpc: vpc.to_string(),
        main,
        subnets,
        edge_associations: Vec::new(),
        propagating_vgws: Vec::new(),
        routes: Vec::new(),
    }
}

fn sg_rule(proto: Protocol, ports: PortRange, cidr: IpNet, what: &str) -> SecurityGroupRule {
    SecurityGroupRule {
        protocol: proto,
        ports,
        cidr: Some(cidr),
        prefix_list: None,
        security_group: None,
        description: Some(what.to_string()),
    }
}

fn egress_all() -> Vec<SecurityGroupRule> {
    vec![sg_rule(
        Protocol::All,
        PortRange::ANY,
        p("0.0.0.0/0"),
        "all outbound (AWS default)",
    )]
}

fn acl(rule: u16, egress: bool, proto: Protocol, ports: PortRange, cidr: IpNet) -> NetworkAclEntry {
    NetworkAclEntry {
        rule_number: rule,
        egress,
        protocol: proto,
        ports,
        cidr,
        action: RuleAction::Allow,
    }
}

fn srule(
    action: StatefulAction,
    proto: Protocol,
    src: Option<IpNet>,
    dst: Option<IpNet>,
    port: PortRange,
    any_dir: bool,
    sid: &mut u64,
) -> StatefulRule {
    *sid += 1;
    StatefulRule {
        action,
        protocol: proto,
        source: src,
        source_port: PortRange::ANY,
        destination: dst,
        destination_port: port,
        direction: if any_dir {
            StatefulDirection::Any
        } else {
            StatefulDirection::Forward
        },
        sid: Some(*sid),
    }
}

/// The address block of an environment's workload VPCs (/10).
pub fn environment_block(env: Environment) -> Option<Ipv4Net> {
    match env {
        Environment::Prod => Some(net4(v4(10, 64, 0, 0), 10)),
        Environment::Test => Some(net4(v4(10, 128, 0, 0), 10)),
        Environment::Dev => Some(net4(v4(10, 192, 0, 0), 10)),
        _ => None,
    }
}

const WORKLOAD_ENVS: [Environment; 3] = [Environment::Prod, Environment::Test, Environment::Dev];

struct Gen {
    m: Model,
    rng: SplitMix64,
    azs: Vec<String>,
}

impl Gen {
    fn id(&mut self, prefix: &str) -> String {
        format!("{prefix}-{}", self.rng.hex(17))
    }

    fn subnet(&mut self, name: String, vpc: &str, az: usize, cidr: Ipv4Net) -> String {
        let id = self.id("subnet");
        self.m.subnets.push(Subnet {
            name: name.clone(),
            id: Some(id),
            vpc: vpc.to_string(),
            az: self.azs[az].clone(),
            cidr,
            ipv6_cidr: None,
        });
        name
    }

    fn vpc(&mut self, name: &str, account: &str, cidr: Ipv4Net) {
        let id = self.id("vpc");
        self.m.vpcs.push(Vpc {
            name: name.to_string(),
            id: Some(id),
            account: account.to_string(),
            region: REGION.to_string(),
            cidrs: vec![IpNet::V4(cidr)],
        });
        let id = self.id("rtb");
        self.m
            .route_tables
            .push(rt(format!("{name}-main-rt"), id, name, true, Vec::new()));
    }

    #[allow(clippy::too_many_arguments)]
    fn attachment(
        &mut self,
        name: String,
        vpc: &str,
        account: Option<&str>,
        subnets: Vec<String>,
        appliance: bool,
        association: &str,
        propagate: bool,
    ) {
        let id = self.id("tgw-attach");
        self.m
            .transit_gateway_attachments
            .push(TransitGatewayAttachment {
                name,
                id: Some(id),
                transit_gateway: TGW.to_string(),
                attachment_type: AttachmentType::Vpc,
                account: account.map(str::to_string),
                vpc: Some(vpc.to_string()),
                subnets,
                appliance_mode: appliance,
                site: None,
                routing: VpnRouting::Bgp,
                advertised_prefixes: Vec::new(),
                peer_transit_gateway: None,
                transport_attachment: None,
                association: Some(association.to_string()),
                propagations: if propagate {
                    vec!["firewall".to_string()]
                } else {
                    Vec::new()
                },
                available: true,
            });
    }

    #[allow(clippy::too_many_arguments)]
    fn eni(
        &mut self,
        name: String,
        subnet: &str,
        ip: Ipv4Addr,
        public: Option<Ipv4Addr>,
        sg: &str,
        service: &str,
        instance: bool,
    ) {
        let hex = self.rng.hex(17);
        let mut tags = BTreeMap::new();
        tags.insert("service".to_string(), service.to_string());
        self.m.network_interfaces.push(NetworkInterface {
            name,
            id: Some(format!("eni-{hex}")),
            instance: instance.then(|| format!("i-{hex}")),
            subnet: subnet.to_string(),
            private_ips: vec![IpAddr::V4(ip)],
            public_ip: public,
            security_groups: vec![sg.to_string()],
            source_dest_check: true,
            role: InterfaceRole::Workload,
            tags,
        });
    }

    fn letter(&self, az: usize) -> char {
        (b'a' + az as u8) as char
    }
}

/// On-prem sites: (name, prefixes, attachments as (kind, routing)).
fn sites() -> Vec<(&'static str, Vec<IpNet>)> {
    vec![
        (
            "corporate-dc",
            vec![p("172.16.0.0/16"), p("192.168.0.0/16")],
        ),
        ("branch-office", vec![p("172.17.0.0/16")]),
    ]
}

/// Generate an estate. Errors name the offending option.
pub fn generate(o: &SyntheticOptions) -> Result<Model, String> {
    check_options(o)?;
    let azs: Vec<String> = (0..o.azs)
        .map(|i| format!("{REGION}{}", (b'a' + i as u8) as char))
        .collect();
    let mut g = Gen {
        m: Model {
            name: format!(
                "synthetic-{}vpc-{}az-seed{}",
                o.vpcs, o.azs, o.seed
            ),
            description: Some(format!(
                "Synthetic landing zone generated by `lztwin generate --vpcs {} --azs {} --subnets-per-vpc {} --seed {}`, shaped like scenarios/landing-zone.json.",
                o.vpcs, o.azs, o.subnets_per_vpc, o.seed
            )),
            regions: vec![Region {
                name: REGION.to_string(),
                availability_zones: azs.clone(),
            }],
            ..Model::default()
        },
        rng: SplitMix64::new(o.seed ^ 0x6c7a_7477_696e),
        azs,
    };
    let n_az = o.azs;
    let estate = p("10.0.0.0/8");
    let onprem = sites();
    let onprem_prefixes: Vec<IpNet> = onprem.iter().flat_map(|s| s.1.clone()).collect();
    let dc = onprem[0].1.clone();

    // --- accounts -------------------------------------------------------------------
    let workload_accounts = match o.accounts {
        Some(a) => a - 3,
        None => (o.vpcs / 40).clamp(3, 100),
    };
    for (name, env) in [
        (NETWORK, Environment::Network),
        (SHARED, Environment::SharedServices),
        (BUILDER, Environment::Builder),
    ] {
        let id = format!("{:012}", g.rng.next_u64() % 1_000_000_000_000);
        g.m.accounts.push(Account {
            name: name.to_string(),
            id: Some(id),
            environment: env,
        });
    }
    let mut accounts: Vec<(String, Environment)> = Vec::new();
    for i in 0..workload_accounts {
        let env = WORKLOAD_ENVS[i % 3];
        let name = format!("workloads-{}-{:02}", env.as_str(), i / 3 + 1);
        let id = format!("{:012}", g.rng.next_u64() % 1_000_000_000_000);
        g.m.accounts.push(Account {
            name: name.clone(),
            id: Some(id),
            environment: env,
        });
        accounts.push((name, env));
    }

    // --- Transit Gateway ------------------------------------------------------------
    let id = g.id("tgw");
    g.m.transit_gateways.push(TransitGateway {
        name: TGW.to_string(),
        id: Some(id),
        account: NETWORK.to_string(),
        region: REGION.to_string(),
        asn: Some(64512),
        default_route_table_association: false,
        default_route_table_propagation: false,
        default_route_table: None,
    });
    // Pre-inspection table: everything to the inspection VPC.
    // Post-inspection table: propagated routes only.
    // On-prem table: the estate to the inspection VPC.
    for (name, routes) in [
        ("spoke", vec![p("0.0.0.0/0")]),
        ("firewall", vec![]),
        ("onprem", vec![estate]),
    ] {
        let id = g.id("tgw-rtb");
        g.m.transit_gateway_route_tables
            .push(TransitGatewayRouteTable {
                name: name.to_string(),
                id: Some(id),
                transit_gateway: TGW.to_string(),
                routes: routes
                    .into_iter()
                    .map(|d| TransitGatewayRoute {
                        destination: d,
                        attachment: Some("inspection-attachment".to_string()),
                        blackhole: false,
                    })
                    .collect(),
                prefix_list_references: Vec::new(),
            });
    }

    // --- inspection VPC (10.0.0.0/22) ----------------------------------------------
    let vpc = "inspection";
    g.vpc(vpc, NETWORK, net4(v4(10, 0, 0, 0), 22));
    let id = g.id("igw");
    g.m.internet_gateways.push(InternetGateway {
        name: "inspection-igw".into(),
        id: Some(id),
        vpc: Some(vpc.into()),
    });
    let mut tgw_subnets = Vec::new();
    let mut fw_endpoints = Vec::new();
    for az in 0..n_az {
        let l = g.letter(az);
        let k = az as u32;
        let tgw_sn = g.subnet(
            format!("inspection-tgw-{l}"),
            vpc,
            az,
            net4(add(v4(10, 0, 0, 0), 16 * k), 28),
        );
        let fw_sn = g.subnet(
            format!("inspection-firewall-{l}"),
            vpc,
            az,
            net4(add(v4(10, 0, 1, 0), 16 * k), 28),
        );
        let pub_base = add(v4(10, 0, 2, 0), 32 * k);
        let pub_sn = g.subnet(
            format!("inspection-public-{l}"),
            vpc,
            az,
            net4(pub_base, 27),
        );
        let ep = format!("inspection-fw-endpoint-{l}");
        let ep_id = g.id("vpce");
        fw_endpoints.push(FirewallEndpoint {
            name: ep.clone(),
            id: Some(ep_id),
            subnet: fw_sn.clone(),
        });
        let nat = format!("inspection-nat-{l}");
        let nat_id = g.id("nat");
        g.m.nat_gateways.push(NatGateway {
            name: nat.clone(),
            id: Some(nat_id),
            subnet: pub_sn.clone(),
            connectivity: NatConnectivity::Public,
            private_ip: add(pub_base, 10),
            public_ip: Some(v4(198, 51, 100, 11 + az as u8)),
        });
        // TGW subnet → firewall endpoint of the same AZ.
        let id = g.id("rtb");
        let mut t = rt(
            format!("inspection-tgw-rt-{l}"),
            id,
            vpc,
            false,
            vec![tgw_sn.clone()],
        );
        t.routes
            .push(route(p("0.0.0.0/0"), RouteTarget::VpcEndpoint(ep.clone())));
        g.m.route_tables.push(t);
        // Firewall subnet → NAT for the Internet, TGW for the estate and on-prem.
        let id = g.id("rtb");
        let mut t = rt(
            format!("inspection-firewall-rt-{l}"),
            id,
            vpc,
            false,
            vec![fw_sn],
        );
        t.routes
            .push(route(p("0.0.0.0/0"), RouteTarget::NatGateway(nat.clone())));
        for d in std::iter::once(estate).chain(onprem_prefixes.iter().copied()) {
            t.routes
                .push(route(d, RouteTarget::TransitGateway(TGW.into())));
        }
        g.m.route_tables.push(t);
        // Public subnet → IGW; the estate back through the firewall (symmetric return).
        let id = g.id("rtb");
        let mut t = rt(
            format!("inspection-public-rt-{l}"),
            id,
            vpc,
            false,
            vec![pub_sn],
        );
        t.routes.push(route(
            p("0.0.0.0/0"),
            RouteTarget::InternetGateway("inspection-igw".into()),
        ));
        t.routes.push(route(estate, RouteTarget::VpcEndpoint(ep)));
        g.m.route_tables.push(t);
        tgw_subnets.push(tgw_sn);
    }
    let fw_id = "arn:aws:network-firewall:eu-west-1:000000000000:firewall/inspection-firewall";
    g.m.firewalls.push(Firewall {
        name: "inspection-firewall".into(),
        id: Some(fw_id.into()),
        vpc: vpc.into(),
        policy: "inspection-policy".into(),
        endpoints: fw_endpoints,
    });
    // Appliance mode on: both directions of a flow use one firewall endpoint.
    g.attachment(
        "inspection-attachment".into(),
        vpc,
        None,
        tgw_subnets,
        true,
        "firewall",
        false,
    );

    // --- ingress VPC (10.0.4.0/22) ------------------------------------------------------
    let vpc = "ingress";
    g.vpc(vpc, NETWORK, net4(v4(10, 0, 4, 0), 22));
    let id = g.id("igw");
    g.m.internet_gateways.push(InternetGateway {
        name: "ingress-igw".into(),
        id: Some(id),
        vpc: Some(vpc.into()),
    });
    let mut fw_subnets = Vec::new();
    let mut tgw_subnets = Vec::new();
    let mut endpoints = Vec::new();
    let mut edge = Vec::new();
    let mut proxies = Vec::new();
    for az in 0..n_az {
        let l = g.letter(az);
        let k = az as u32;
        let fw_sn = g.subnet(
            format!("ingress-firewall-{l}"),
            vpc,
            az,
            net4(add(v4(10, 0, 4, 0), 16 * k), 28),
        );
        let prot = net4(add(v4(10, 0, 5, 0), 32 * k), 27);
        let prot_sn = g.subnet(format!("ingress-protected-{l}"), vpc, az, prot);
        let tgw_sn = g.subnet(
            format!("ingress-tgw-{l}"),
            vpc,
            az,
            net4(add(v4(10, 0, 6, 0), 16 * k), 28),
        );
        let ep = format!("ingress-fw-endpoint-{l}");
        let ep_id = g.id("vpce");
        endpoints.push(FirewallEndpoint {
            name: ep.clone(),
            id: Some(ep_id),
            subnet: fw_sn.clone(),
        });
        edge.push(route(IpNet::V4(prot), RouteTarget::VpcEndpoint(ep.clone())));
        let id = g.id("rtb");
        let mut t = rt(
            format!("ingress-protected-rt-{l}"),
            id,
            vpc,
            false,
            vec![prot_sn.clone()],
        );
        t.routes
            .push(route(p("0.0.0.0/0"), RouteTarget::VpcEndpoint(ep)));
        t.routes
            .push(route(estate, RouteTarget::TransitGateway(TGW.into())));
        g.m.route_tables.push(t);
        if az < 2 {
            proxies.push((
                format!("ingress-proxy-{l}"),
                prot_sn,
                add(prot.network(), 10),
                az,
            ));
        }
        fw_subnets.push(fw_sn);
        tgw_subnets.push(tgw_sn);
    }
    // Edge association: the IGW's inbound traffic goes through the firewall endpoint of
    // the protected subnet's AZ.
    let id = g.id("rtb");
    let mut t = rt("ingress-edge-rt".into(), id, vpc, false, Vec::new());
    t.edge_associations.push("ingress-igw".into());
    t.routes = edge;
    g.m.route_tables.push(t);
    let id = g.id("rtb");
    let mut t = rt("ingress-firewall-rt".into(), id, vpc, false, fw_subnets);
    t.routes.push(route(
        p("0.0.0.0/0"),
        RouteTarget::InternetGateway("ingress-igw".into()),
    ));
    g.m.route_tables.push(t);
    let id = g.id("rtb");
    g.m.route_tables.push(rt(
        "ingress-tgw-rt".into(),
        id,
        vpc,
        false,
        tgw_subnets.clone(),
    ));
    g.m.firewalls.push(Firewall {
        name: "ingress-firewall".into(),
        id: Some(
            "arn:aws:network-firewall:eu-west-1:000000000000:firewall/ingress-firewall".into(),
        ),
        vpc: vpc.into(),
        policy: "ingress-policy".into(),
        endpoints,
    });
    g.attachment(
        "ingress-attachment".into(),
        vpc,
        None,
        tgw_subnets,
        false,
        "spoke",
        true,
    );
    let prod_block = environment_block(Environment::Prod).map(IpNet::V4);
    let id = g.id("sg");
    let mut proxy_egress = Vec::new();
    if let Some(b) = prod_block {
        proxy_egress.push(sg_rule(
            Protocol::Tcp,
            PortRange::single(443),
            b,
            "to the prod backends",
        ));
    }
    g.m.security_groups.push(SecurityGroup {
        name: "ingress-proxy-sg".into(),
        id: Some(id),
        vpc: vpc.into(),
        ingress: vec![sg_rule(
            Protocol::Tcp,
            PortRange::single(443),
            p("0.0.0.0/0"),
            "HTTPS from the Internet",
        )],
        egress: proxy_egress,
    });
    for (i, (name, sn, ip, _az)) in proxies.into_iter().enumerate() {
        // 203.0.113.10 is the Internet's representative address in matrices, so the
        // proxies' public addresses start above it (RFC 5737 documentation range).
        let public = v4(203, 0, 113, 100 + i as u8);
        g.eni(
            name,
            &sn,
            ip,
            Some(public),
            "ingress-proxy-sg",
            "ingress-proxy",
            true,
        );
    }

    // --- spoke VPCs: shared services, builder, workloads ------------------------------------
    // (name, account, cidr, env)
    let mut spokes: Vec<(String, String, Ipv4Net, Environment)> = vec![
        (
            SHARED.to_string(),
            SHARED.to_string(),
            net4(v4(10, 0, 8, 0), 21),
            Environment::SharedServices,
        ),
        (
            BUILDER.to_string(),
            BUILDER.to_string(),
            net4(v4(10, 0, 16, 0), 20),
            Environment::Builder,
        ),
    ];
    let mut per_env = [0u32; 3];
    for i in 0..o.vpcs {
        let (acct, env) = &accounts[i % accounts.len()];
        let e = WORKLOAD_ENVS.iter().position(|x| x == env).unwrap_or(0);
        let block = environment_block(*env).unwrap_or_default();
        if per_env[e] >= 4096 {
            return Err(format!(
                "--vpcs {}: more than 4096 VPCs in the {} environment; add accounts (--accounts)",
                o.vpcs,
                env.as_str()
            ));
        }
        let cidr = net4(add(block.network(), per_env[e] * 1024), 22);
        per_env[e] += 1;
        spokes.push((
            format!("{}-vpc{:04}", env.as_str(), i + 1),
            acct.clone(),
            cidr,
            *env,
        ));
    }
    let shared_cidr = IpNet::V4(spokes[0].2);
    let builder_cidr = IpNet::V4(spokes[1].2);
    let services = ["app", "api", "web", "batch", "db"];
    for (vpc, account, cidr, env) in &spokes {
        let vpc = vpc.as_str();
        g.vpc(vpc, account, *cidr);
        let base = cidr.network();
        let size = 1u32 << (32 - cidr.prefix_len());
        // The last /24 of the VPC holds the TGW attachment subnets (/28 per AZ); the rest
        // is split into equal app subnets.
        let tgw_base = add(base, size - 256);
        let app_space = size - 256;
        let per = (app_space / o.subnets_per_vpc as u32).max(16);
        let app_len = (32 - per.ilog2()).max(32 - (app_space.ilog2())) as u8;
        let app_size = 1u32 << (32 - app_len);
        let mut app = Vec::new();
        for s in 0..o.subnets_per_vpc {
            let az = s % n_az;
            let name = g.subnet(
                format!("{vpc}-app-{}{}", g.letter(az), s / n_az + 1),
                vpc,
                az,
                net4(add(base, app_size * s as u32), app_len),
            );
            app.push((name, az, add(base, app_size * s as u32)));
        }
        let mut tgw_sns = Vec::new();
        for az in 0..n_az {
            let l = g.letter(az);
            tgw_sns.push(g.subnet(
                format!("{vpc}-tgw-{l}"),
                vpc,
                az,
                net4(add(tgw_base, 16 * az as u32), 28),
            ));
        }
        let id = g.id("rtb");
        let mut t = rt(
            format!("{vpc}-app-rt"),
            id,
            vpc,
            false,
            app.iter().map(|a| a.0.clone()).collect(),
        );
        t.routes.push(route(
            p("0.0.0.0/0"),
            RouteTarget::TransitGateway(TGW.into()),
        ));
        g.m.route_tables.push(t);
        g.attachment(
            format!("{vpc}-attachment"),
            vpc,
            Some(account),
            tgw_sns,
            false,
            "spoke",
            true,
        );
        // Security groups and workloads.
        let sg = format!("{vpc}-app-sg");
        let id = g.id("sg");
        let mut ingress = vec![sg_rule(
            Protocol::Tcp,
            PortRange::single(443),
            estate,
            "HTTPS from the AWS estate (the firewall decides who)",
        )];
        for d in &dc {
            ingress.push(sg_rule(
                Protocol::Tcp,
                PortRange::single(443),
                *d,
                "HTTPS from the corporate DC",
            ));
        }
        ingress.push(sg_rule(
            Protocol::Tcp,
            PortRange::single(22),
            builder_cidr,
            "SSH deploys from the builder VPC",
        ));
        match env {
            Environment::SharedServices => {
                ingress.push(sg_rule(Protocol::Udp, PortRange::single(53), estate, "DNS"));
                ingress.push(sg_rule(Protocol::Tcp, PortRange::single(53), estate, "DNS"));
                for d in &onprem_prefixes {
                    ingress.push(sg_rule(
                        Protocol::Udp,
                        PortRange::single(53),
                        *d,
                        "DNS from on-prem",
                    ));
                }
            }
            _ => {
                if g.rng.chance(1, 4) {
                    ingress.push(sg_rule(
                        Protocol::Tcp,
                        PortRange::single(8443),
                        IpNet::V4(*cidr),
                        "service mesh inside the VPC",
                    ));
                }
            }
        }
        g.m.security_groups.push(SecurityGroup {
            name: sg.clone(),
            id: Some(id),
            vpc: vpc.into(),
            ingress,
            egress: egress_all(),
        });
        let mut workloads: Vec<(String, &'static str)> = match env {
            Environment::SharedServices => vec![
                ("dns-resolver-a".into(), "route53-resolver-inbound"),
                ("dns-resolver-b".into(), "route53-resolver-inbound"),
            ],
            Environment::Builder => vec![
                ("builder-runner-a".into(), "ci-runner"),
                ("artifact-repo".into(), "artifact-repository"),
            ],
            _ => {
                let mut w = vec![(format!("{vpc}-{}", services[0]), services[0])];
                if g.rng.chance(1, 4) {
                    let s = services[1 + g.rng.below(services.len() - 1)];
                    w.push((format!("{vpc}-{s}"), s));
                }
                w
            }
        };
        workloads.dedup_by(|a, b| a.0 == b.0);
        let start = g.rng.below(app.len());
        for (k, (name, service)) in workloads.into_iter().enumerate() {
            let (sn, _az, sbase) = app[(start + k) % app.len()].clone();
            let host = 10 + k as u32 + (k as u32 / app.len() as u32) * 2;
            g.eni(name, &sn, add(sbase, host), None, &sg, service, true);
        }
        // Prod VPCs: default NACL (allow all) and a custom app NACL as in the reference.
        if *env == Environment::Prod {
            let id = g.id("acl");
            g.m.network_acls.push(NetworkAcl {
                name: format!("{vpc}-default-nacl"),
                id: Some(id),
                vpc: vpc.into(),
                default: true,
                subnets: Vec::new(),
                entries: vec![
                    acl(100, false, Protocol::All, PortRange::ANY, p("0.0.0.0/0")),
                    acl(100, true, Protocol::All, PortRange::ANY, p("0.0.0.0/0")),
                ],
            });
            let eph = PortRange {
                from: 1024,
                to: 65535,
            };
            let mut entries = vec![
                acl(100, false, Protocol::Tcp, PortRange::single(443), estate),
                acl(
                    130,
                    false,
                    Protocol::Tcp,
                    PortRange::single(22),
                    builder_cidr,
                ),
                acl(200, false, Protocol::Tcp, eph, p("0.0.0.0/0")),
                acl(210, false, Protocol::Udp, eph, shared_cidr),
                acl(
                    100,
                    true,
                    Protocol::Tcp,
                    PortRange::single(443),
                    p("0.0.0.0/0"),
                ),
                acl(
                    110,
                    true,
                    Protocol::Tcp,
                    PortRange::single(80),
                    p("0.0.0.0/0"),
                ),
                acl(120, true, Protocol::Udp, PortRange::single(53), shared_cidr),
                acl(130, true, Protocol::Tcp, PortRange::single(53), shared_cidr),
                acl(200, true, Protocol::Tcp, eph, p("0.0.0.0/0")),
            ];
            for (i, d) in dc.iter().enumerate() {
                entries.push(acl(
                    110 + i as u16,
                    false,
                    Protocol::Tcp,
                    PortRange::single(443),
                    *d,
                ));
            }
            entries.sort_by_key(|e| (e.egress, e.rule_number));
            let id = g.id("acl");
            g.m.network_acls.push(NetworkAcl {
                name: format!("{vpc}-app-nacl"),
                id: Some(id),
                vpc: vpc.into(),
                default: false,
                subnets: app.iter().map(|a| a.0.clone()).collect(),
                entries,
            });
        }
    }

    // --- on-prem sites over VPN and Direct Connect ----------------------------------------
    for (i, (site, prefixes)) in onprem.iter().enumerate() {
        g.m.onprem_sites.push(OnPremSite {
            name: site.to_string(),
            prefixes: prefixes.clone(),
        });
        let mut links = vec![(
            AttachmentType::Vpn,
            if i == 0 {
                VpnRouting::Bgp
            } else {
                VpnRouting::Static
            },
        )];
        if i == 0 {
            links.push((AttachmentType::DirectConnectGateway, VpnRouting::Bgp));
        }
        for (kind, routing) in links {
            let suffix = if kind == AttachmentType::Vpn {
                "vpn"
            } else {
                "dx"
            };
            let id = g.id("tgw-attach");
            g.m.transit_gateway_attachments
                .push(TransitGatewayAttachment {
                    name: format!("{site}-{suffix}"),
                    id: Some(id),
                    transit_gateway: TGW.into(),
                    attachment_type: kind,
                    account: None,
                    vpc: None,
                    subnets: Vec::new(),
                    appliance_mode: false,
                    site: Some(site.to_string()),
                    routing,
                    advertised_prefixes: prefixes.clone(),
                    peer_transit_gateway: None,
                    transport_attachment: None,
                    association: Some("onprem".into()),
                    propagations: vec!["firewall".into()],
                    available: true,
                });
        }
    }

    // --- firewall policies and rule groups ---------------------------------------------
    let prod = environment_block(Environment::Prod).map(IpNet::V4);
    let test = environment_block(Environment::Test).map(IpNet::V4);
    let dev = environment_block(Environment::Dev).map(IpNet::V4);
    let mut sid = 1000u64;
    let tcp = Protocol::Tcp;
    let any = PortRange::ANY;
    let isolation = vec![
        srule(
            StatefulAction::Drop,
            Protocol::All,
            dev,
            prod,
            any,
            true,
            &mut sid,
        ),
        srule(
            StatefulAction::Drop,
            Protocol::All,
            test,
            prod,
            any,
            true,
            &mut sid,
        ),
    ];
    let mut east_west = Vec::new();
    for dst in [test, prod, dev] {
        for port in [22, 443] {
            east_west.push(srule(
                StatefulAction::Pass,
                tcp,
                Some(builder_cidr),
                dst,
                PortRange::single(port),
                false,
                &mut sid,
            ));
        }
    }
    for d in &dc {
        for dst in [dev, test, prod] {
            east_west.push(srule(
                StatefulAction::Pass,
                tcp,
                Some(*d),
                dst,
                PortRange::single(443),
                false,
                &mut sid,
            ));
        }
    }
    for src in [dev, test, prod] {
        east_west.push(srule(
            StatefulAction::Pass,
            tcp,
            src,
            Some(dc[0]),
            PortRange::single(443),
            false,
            &mut sid,
        ));
    }
    for (proto, port) in [(Protocol::Udp, 53), (tcp, 53), (tcp, 443)] {
        east_west.push(srule(
            StatefulAction::Pass,
            proto,
            Some(estate),
            Some(shared_cidr),
            PortRange::single(port),
            false,
            &mut sid,
        ));
    }
    for d in &onprem_prefixes {
        east_west.push(srule(
            StatefulAction::Pass,
            Protocol::Udp,
            Some(*d),
            Some(shared_cidr),
            PortRange::single(53),
            false,
            &mut sid,
        ));
    }
    east_west.push(srule(
        StatefulAction::Pass,
        tcp,
        Some(estate),
        Some(builder_cidr),
        PortRange::single(443),
        false,
        &mut sid,
    ));
    east_west.push(srule(
        StatefulAction::Pass,
        tcp,
        Some(p("10.0.4.0/22")),
        prod,
        PortRange::single(443),
        false,
        &mut sid,
    ));
    // A few seeded application flows between workload VPCs of one environment.
    let workload_spokes: Vec<&(String, String, Ipv4Net, Environment)> =
        spokes[2..].iter().collect();
    let extra = (o.vpcs / 50).clamp(1, 40);
    for _ in 0..extra {
        let a = workload_spokes[g.rng.below(workload_spokes.len())];
        let same_env: Vec<_> = workload_spokes.iter().filter(|s| s.3 == a.3).collect();
        let b = same_env[g.rng.below(same_env.len())];
        if a.0 == b.0 {
            continue;
        }
        east_west.push(srule(
            StatefulAction::Pass,
            tcp,
            Some(IpNet::V4(a.2)),
            Some(IpNet::V4(b.2)),
            PortRange::single(443),
            false,
            &mut sid,
        ));
    }
    let mut egress = vec![srule(
        StatefulAction::Drop,
        Protocol::All,
        None,
        Some(estate),
        any,
        false,
        &mut sid,
    )];
    for d in &onprem_prefixes {
        egress.push(srule(
            StatefulAction::Drop,
            Protocol::All,
            None,
            Some(*d),
            any,
            false,
            &mut sid,
        ));
    }
    for src in [prod, test, dev, Some(builder_cidr), Some(shared_cidr)] {
        for port in [80, 443] {
            egress.push(srule(
                StatefulAction::Pass,
                tcp,
                src,
                None,
                PortRange::single(port),
                false,
                &mut sid,
            ));
        }
    }
    let ingress_allow = vec![srule(
        StatefulAction::Pass,
        tcp,
        None,
        Some(p("10.0.5.0/24")),
        PortRange::single(443),
        false,
        &mut sid,
    )];
    for (name, rules) in [
        ("inspection-isolation", isolation),
        ("inspection-east-west", east_west),
        ("inspection-egress", egress),
        ("ingress-allow", ingress_allow),
    ] {
        g.m.rule_groups.push(RuleGroup {
            name: name.into(),
            id: None,
            group_type: RuleGroupType::Stateful,
            stateless_rules: Vec::new(),
            stateful_rules: rules,
            domain_list: None,
            rules_string: None,
        });
    }
    let policy = |name: &str, groups: &[(&str, u32)]| FirewallPolicy {
        name: name.into(),
        id: None,
        stateless_default_actions: vec!["aws:forward_to_sfe".into()],
        stateless_fragment_default_actions: vec!["aws:forward_to_sfe".into()],
        stateless_rule_groups: Vec::new(),
        stateful_rule_groups: groups
            .iter()
            .map(|(g, pr)| RuleGroupReference {
                rule_group: g.to_string(),
                priority: Some(*pr),
            })
            .collect(),
        // STRICT_ORDER so the isolation drops win over broader passes.
        stateful_rule_order: RuleOrder::StrictOrder,
        stateful_default_actions: vec!["aws:drop_strict".into()],
    };
    g.m.firewall_policies.push(policy(
        "inspection-policy",
        &[
            ("inspection-isolation", 100),
            ("inspection-east-west", 200),
            ("inspection-egress", 300),
        ],
    ));
    g.m.firewall_policies
        .push(policy("ingress-policy", &[("ingress-allow", 100)]));
    Ok(g.m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(vpcs: usize, seed: u64) -> SyntheticOptions {
        SyntheticOptions {
            vpcs,
            seed,
            ..SyntheticOptions::default()
        }
    }

    #[test]
    fn deterministic_per_seed() {
        let a = generate(&opts(20, 7)).unwrap();
        let b = generate(&opts(20, 7)).unwrap();
        let c = generate(&opts(20, 8)).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn names_unique_and_shape_like_reference() {
        let m = generate(&opts(30, 1)).unwrap();
        // 30 workload VPCs + inspection, ingress, shared services, builder.
        assert_eq!(m.vpcs.len(), 34);
        let mut names = std::collections::BTreeSet::new();
        for n in m
            .vpcs
            .iter()
            .map(|v| &v.name)
            .chain(m.subnets.iter().map(|s| &s.name))
            .chain(m.route_tables.iter().map(|r| &r.name))
            .chain(m.network_interfaces.iter().map(|r| &r.name))
            .chain(m.transit_gateway_attachments.iter().map(|r| &r.name))
            .chain(m.security_groups.iter().map(|r| &r.name))
        {
            assert!(names.insert(n.clone()), "duplicate name {n}");
        }
        let insp = m
            .transit_gateway_attachments
            .iter()
            .find(|a| a.name == "inspection-attachment")
            .unwrap();
        assert!(insp.appliance_mode);
        assert!(m
            .route_tables
            .iter()
            .any(|r| r.edge_associations == vec!["ingress-igw".to_string()]));
        assert_eq!(m.firewalls.len(), 2);
        assert_eq!(m.onprem_sites.len(), 2);
        assert!(m.network_acls.iter().any(|a| !a.default));
    }

    #[test]
    fn subnets_inside_their_vpc_and_disjoint() {
        for spv in [1, 3, 7, 48] {
            let m = generate(&SyntheticOptions {
                vpcs: 12,
                subnets_per_vpc: spv,
                azs: 6,
                ..SyntheticOptions::default()
            })
            .unwrap();
            let mut all: Vec<Ipv4Net> = Vec::new();
            for s in &m.subnets {
                let v = m.vpcs.iter().find(|v| v.name == s.vpc).unwrap();
                assert!(
                    v.cidrs.iter().any(|c| c.contains(&IpNet::V4(s.cidr))),
                    "{} {} outside {:?}",
                    s.name,
                    s.cidr,
                    v.cidrs
                );
                all.push(s.cidr);
            }
            all.sort();
            for w in all.windows(2) {
                assert!(
                    !w[0].contains(&w[1].network()),
                    "{} overlaps {}",
                    w[0],
                    w[1]
                );
            }
            for e in &m.network_interfaces {
                let s = m.subnets.iter().find(|s| s.name == e.subnet).unwrap();
                match e.private_ips[0] {
                    IpAddr::V4(a) => assert!(s.cidr.contains(&a)),
                    IpAddr::V6(_) => panic!("v4 only"),
                }
            }
        }
    }

    #[test]
    fn validates_clean() {
        let m = generate(&opts(40, 3)).unwrap();
        let errors: Vec<_> = crate::model::validate::validate(&m)
            .into_iter()
            .filter(|p| p.severity == crate::diag::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn bad_options_are_errors() {
        assert!(generate(&opts(0, 1)).is_err());
        assert!(generate(&SyntheticOptions {
            azs: 7,
            ..SyntheticOptions::default()
        })
        .is_err());
        assert!(generate(&SyntheticOptions {
            accounts: Some(2),
            ..SyntheticOptions::default()
        })
        .is_err());
    }

    #[test]
    fn scales_to_thousands() {
        let m = generate(&opts(2000, 1)).unwrap();
        assert_eq!(m.vpcs.len(), 2004);
        assert!(m.network_interfaces.len() >= 2000);
    }
}
