//! Policies for `lztwin verify` (docs/policy-format.md): lztwin intents and AWS Network
//! Access Analyzer scopes, as plain data. Parsing (with located errors) lives in
//! `ingest::policy`; checking in `analysis::verify` and `analysis::naa`.

use crate::model::{Environment, PortRange, Protocol};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

/// A place in a policy file (1-based line and column).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it starts.
    pub pos: Pos,
}

/// A parsed policy file.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The file it came from (for messages and SARIF locations).
    pub file: String,
    /// Free text.
    pub description: Option<String>,
    /// Intents or a Network Access Analyzer scope.
    pub body: PolicyBody,
}

/// What a policy file holds.
#[derive(Clone, Debug, PartialEq)]
pub enum PolicyBody {
    /// lztwin intents, in file order.
    Intents(Vec<Intent>),
    /// A Network Access Analyzer scope.
    Scope(NaaScope),
}

/// The kind of an intent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntentKind {
    /// Every accepted path between the selectors passes an inspection component.
    MustTraverse,
    /// No path from `from` to `to`.
    Isolated,
    /// `from` reaches `to` on the services, and the reply comes back.
    Reachable,
    /// The reply of every accepted flow passes the same inspection endpoints as the request.
    Symmetric,
    /// Nothing in `to` is reachable from the Internet except on the `allow`ed services.
    NoExposure,
    /// A Network Access Analyzer scope (results only; never written in an intents file).
    NaaScope,
}

impl IntentKind {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            IntentKind::MustTraverse => "must-traverse",
            IntentKind::Isolated => "isolated",
            IntentKind::Reachable => "reachable",
            IntentKind::Symmetric => "symmetric",
            IntentKind::NoExposure => "no-exposure",
            IntentKind::NaaScope => "naa-scope",
        }
    }
}

/// What an intent selects: a set of endpoints of the model.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Selector {
    /// `internet`: every address class outside the AWS estate and the on-prem sites.
    Internet,
    /// `onprem:*`: every on-premises site.
    OnPremAll,
    /// `onprem:<site>`.
    OnPrem(String),
    /// `account:<name or 12-digit id>`: the workload ENIs of an account.
    Account(String),
    /// `env:<environment>`: workload ENIs whose `environment` tag (or, without one, whose
    /// account's environment) is this one.
    Environment(Environment),
    /// `vpc:<name or id>`.
    Vpc(String),
    /// `subnet:<name or id>`.
    Subnet(String),
    /// `cidr:<prefix>` (or a bare prefix or address): every address class inside it.
    Cidr(IpNet),
    /// `endpoint:<ENI name, eni- or i- id, or address>`.
    Endpoint(String),
    /// `tag:<key>=<value>`: workload ENIs with this tag.
    Tag(String, String),
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Internet => f.write_str("internet"),
            Selector::OnPremAll => f.write_str("onprem:*"),
            Selector::OnPrem(s) => write!(f, "onprem:{s}"),
            Selector::Account(s) => write!(f, "account:{s}"),
            Selector::Environment(e) => write!(f, "env:{}", e.as_str()),
            Selector::Vpc(s) => write!(f, "vpc:{s}"),
            Selector::Subnet(s) => write!(f, "subnet:{s}"),
            Selector::Cidr(c) => write!(f, "cidr:{c}"),
            Selector::Endpoint(s) => write!(f, "endpoint:{s}"),
            Selector::Tag(k, v) => write!(f, "tag:{k}={v}"),
        }
    }
}

impl std::str::FromStr for Selector {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("internet") {
            return Ok(Selector::Internet);
        }
        let nonempty = |v: &str, what: &str| {
            if v.is_empty() {
                Err(format!("selector `{s}` names no {what}"))
            } else {
                Ok(v.to_string())
            }
        };
        match t.split_once(':') {
            Some(("onprem", "*")) => Ok(Selector::OnPremAll),
            Some(("onprem", v)) => Ok(Selector::OnPrem(nonempty(v, "site")?)),
            Some(("account", v)) => Ok(Selector::Account(nonempty(v, "account")?)),
            Some(("env" | "environment", v)) => {
                serde_json::from_value::<Environment>(serde_json::Value::String(v.to_string()))
                    .map(Selector::Environment)
                    .map_err(|_| {
                        format!(
                            "unknown environment `{v}` (network, shared-services, builder, dev, test, prod, other)"
                        )
                    })
            }
            Some(("vpc", v)) => Ok(Selector::Vpc(nonempty(v, "VPC")?)),
            Some(("subnet", v)) => Ok(Selector::Subnet(nonempty(v, "subnet")?)),
            Some(("endpoint", v)) => Ok(Selector::Endpoint(nonempty(v, "endpoint")?)),
            Some(("cidr", v)) => parse_prefix(v).map(Selector::Cidr),
            Some(("tag", v)) => match v.split_once('=') {
                Some((k, val)) if !k.is_empty() => Ok(Selector::Tag(k.to_string(), val.to_string())),
                _ => Err(format!("selector `{s}`: write a tag as `tag:<key>=<value>`")),
            },
            _ => {
                // A bare address or prefix (IPv6 addresses contain ':').
                if let Ok(p) = parse_prefix(t) {
                    return Ok(Selector::Cidr(p));
                }
                Err(format!(
                    "unknown selector `{s}` (expected internet, onprem:*, onprem:<site>, account:, env:, vpc:, subnet:, cidr:, endpoint: or tag:<key>=<value>)"
                ))
            }
        }
    }
}

/// Parse `10.0.0.0/8` or a single address (as a host prefix).
pub fn parse_prefix(s: &str) -> Result<IpNet, String> {
    let t = s.trim();
    if let Ok(n) = t.parse::<IpNet>() {
        return Ok(n.trunc());
    }
    t.parse::<IpAddr>()
        .map(IpNet::from)
        .map_err(|_| format!("`{s}` is not an address or a CIDR prefix"))
}

/// A service: a protocol and (TCP/UDP) a port range. Written `tcp/443`,
/// `tcp/1024-65535`, `udp/53`, `icmp`, `all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceSpec {
    /// Protocol (`all` = every protocol).
    pub protocol: Protocol,
    /// Destination ports (TCP/UDP only; ANY otherwise).
    pub ports: PortRange,
}

impl ServiceSpec {
    /// Whether a flow of `protocol` to `port` is in this service.
    pub fn matches(&self, protocol: Protocol, port: u16) -> bool {
        self.protocol.matches(protocol) && (!protocol.has_ports() || self.ports.contains(port))
    }
}

impl fmt::Display for ServiceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.protocol.has_ports() && !self.ports.is_any() {
            write!(f, "{}/{}", self.protocol, self.ports)
        } else {
            write!(f, "{}", self.protocol)
        }
    }
}

impl std::str::FromStr for ServiceSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let (p, ports) = match t.split_once('/') {
            Some((p, ports)) => (p, Some(ports)),
            None => (t, None),
        };
        let protocol: Protocol = p.parse()?;
        let ports = match ports {
            None => PortRange::ANY,
            Some(r) => {
                if !protocol.has_ports() {
                    return Err(format!(
                        "service `{s}`: only tcp and udp have ports (write `{protocol}`)"
                    ));
                }
                r.parse()?
            }
        };
        Ok(ServiceSpec { protocol, ports })
    }
}

/// Which inspection components a `must-traverse` intent accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Through {
    /// Any firewall endpoint, GWLB endpoint or appliance.
    Any,
    /// One of these (firewall, GWLB, endpoint or appliance names or ids).
    Named(Vec<Located<String>>),
}

/// One intent of a policy file.
#[derive(Clone, Debug, PartialEq)]
pub struct Intent {
    /// Unique name in the file.
    pub name: String,
    /// Kind.
    pub kind: IntentKind,
    /// Free text.
    pub description: Option<String>,
    /// Source selectors (for `no-exposure`: `internet` unless given).
    pub from: Vec<Located<Selector>>,
    /// Destination selectors.
    pub to: Vec<Located<Selector>>,
    /// The services the intent is about; empty means every service.
    pub services: Vec<ServiceSpec>,
    /// `no-exposure`: services that may be reachable from the Internet.
    pub allow: Vec<ServiceSpec>,
    /// `must-traverse`: the inspection required.
    pub through: Through,
    /// Also check `to` → `from`.
    pub both_directions: bool,
    /// Where the intent starts in the file.
    pub pos: Pos,
}

/// A Network Access Analyzer scope (`CreateNetworkInsightsAccessScope`:
/// <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkInsightsAccessScope.html>).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NaaScope {
    /// `MatchPaths`: the paths to find.
    #[serde(default)]
    pub match_paths: Vec<AccessScopePath>,
    /// `ExcludePaths`: paths that are not findings.
    #[serde(default)]
    pub exclude_paths: Vec<AccessScopePath>,
    /// Name of the scope: the file name without extension.
    #[serde(skip)]
    pub name: String,
    /// Where each `MatchPaths` entry starts.
    #[serde(skip)]
    pub match_pos: Vec<Pos>,
    /// Where the scope starts (the first `MatchPaths` entry, or the file start).
    #[serde(skip)]
    pub pos: Pos,
}

/// `AccessScopePathRequest`
/// (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AccessScopePathRequest.html>).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AccessScopePath {
    /// `Source`.
    #[serde(default)]
    pub source: Option<PathStatement>,
    /// `Destination`.
    #[serde(default)]
    pub destination: Option<PathStatement>,
    /// `ThroughResources`: the path passes every one of these.
    #[serde(default)]
    pub through_resources: Vec<ThroughResourcesStatement>,
}

/// `PathStatementRequest`
/// (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PathStatementRequest.html>).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PathStatement {
    /// `PacketHeaderStatement`.
    #[serde(default)]
    pub packet_header_statement: Option<PacketHeaderStatement>,
    /// `ResourceStatement`.
    #[serde(default)]
    pub resource_statement: Option<ResourceStatement>,
}

/// `PacketHeaderStatementRequest`
/// (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PacketHeaderStatementRequest.html>).
/// Values are kept as written; [`NaaScope::check`] parses them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PacketHeaderStatement {
    /// `SourceAddresses` (CIDRs).
    #[serde(default)]
    pub source_addresses: Vec<String>,
    /// `DestinationAddresses` (CIDRs).
    #[serde(default)]
    pub destination_addresses: Vec<String>,
    /// `SourcePrefixLists` (ids or names).
    #[serde(default)]
    pub source_prefix_lists: Vec<String>,
    /// `DestinationPrefixLists` (ids or names).
    #[serde(default)]
    pub destination_prefix_lists: Vec<String>,
    /// `SourcePorts` (`443`, `1024-65535`).
    #[serde(default)]
    pub source_ports: Vec<String>,
    /// `DestinationPorts`.
    #[serde(default)]
    pub destination_ports: Vec<String>,
    /// `Protocols` (`tcp`, `udp`).
    #[serde(default)]
    pub protocols: Vec<String>,
}

/// `ResourceStatementRequest`
/// (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ResourceStatementRequest.html>).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ResourceStatement {
    /// `Resources`: ids or ARNs.
    #[serde(default)]
    pub resources: Vec<String>,
    /// `ResourceTypes` (`AWS::EC2::InternetGateway`, …).
    #[serde(default)]
    pub resource_types: Vec<String>,
}

/// `ThroughResourcesStatementRequest`
/// (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ThroughResourcesStatementRequest.html>).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ThroughResourcesStatement {
    /// `ResourceStatement`.
    #[serde(default)]
    pub resource_statement: Option<ResourceStatement>,
}

/// The resource types a scope may name (the types Network Access Analyzer supports
/// that the twin models).
pub const NAA_RESOURCE_TYPES: &[&str] = &[
    "AWS::EC2::InternetGateway",
    "AWS::EC2::NatGateway",
    "AWS::EC2::NetworkInterface",
    "AWS::EC2::Instance",
    "AWS::EC2::Subnet",
    "AWS::EC2::VPC",
    "AWS::EC2::RouteTable",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::TransitGateway",
    "AWS::EC2::TransitGatewayAttachment",
    "AWS::EC2::TransitGatewayRouteTable",
    "AWS::EC2::VPCEndpoint",
    "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::VPNConnection",
    "AWS::EC2::VPNGateway",
    "AWS::EC2::EgressOnlyInternetGateway",
    "AWS::DirectConnect::Gateway",
    "AWS::NetworkFirewall::Firewall",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
];
