//! Inspection: AWS Network Firewall (firewalls, policies, rule groups), Gateway Load
//! Balancers and their appliance fleets.
//!
//! Field names follow the Network Firewall API
//! (<https://docs.aws.amazon.com/network-firewall/latest/APIReference/>).

use super::common::{is_default, PortRange, Protocol};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// An AWS Network Firewall with one endpoint per AZ.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Firewall {
    /// Unique name.
    pub name: String,
    /// ARN or id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// VPC (by name).
    pub vpc: String,
    /// Firewall policy (by name).
    pub policy: String,
    /// One endpoint per AZ.
    pub endpoints: Vec<FirewallEndpoint>,
}

/// A firewall endpoint (`vpce-…`) in one subnet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirewallEndpoint {
    /// Unique name; routes target it as `{"vpc_endpoint": name}`.
    pub name: String,
    /// AWS id (`vpce-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The firewall subnet (by name); its AZ is the endpoint's AZ.
    pub subnet: String,
}

/// Stateful rule evaluation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RuleOrder {
    /// `DEFAULT_ACTION_ORDER`: pass, then drop, then reject, then alert.
    #[default]
    DefaultActionOrder,
    /// `STRICT_ORDER`: groups by priority, rules in the order written.
    StrictOrder,
}

/// A reference from a policy to a rule group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleGroupReference {
    /// Rule group (by name).
    pub rule_group: String,
    /// Priority (stateless groups, and stateful groups in strict order); lowest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
}

/// A Network Firewall policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirewallPolicy {
    /// Unique name.
    pub name: String,
    /// ARN, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `StatelessDefaultActions`: `aws:pass`, `aws:drop` or `aws:forward_to_sfe`.
    pub stateless_default_actions: Vec<String>,
    /// `StatelessFragmentDefaultActions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stateless_fragment_default_actions: Vec<String>,
    /// Stateless rule groups with priorities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stateless_rule_groups: Vec<RuleGroupReference>,
    /// Stateful rule groups (priorities used in strict order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stateful_rule_groups: Vec<RuleGroupReference>,
    /// `StatefulEngineOptions.RuleOrder`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub stateful_rule_order: RuleOrder,
    /// `StatefulDefaultActions` (strict order only): `aws:drop_strict`,
    /// `aws:drop_established`, `aws:alert_strict`, `aws:alert_established`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stateful_default_actions: Vec<String>,
}

/// Stateless or stateful.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RuleGroupType {
    /// Stateless: 5-tuple match with priorities.
    Stateless,
    /// Stateful: Suricata-compatible engine.
    Stateful,
}

/// A Network Firewall rule group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleGroup {
    /// Unique name.
    pub name: String,
    /// ARN, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Stateless or stateful.
    #[serde(rename = "type")]
    pub group_type: RuleGroupType,
    /// Stateless rules (stateless groups).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stateless_rules: Vec<StatelessRule>,
    /// 5-tuple stateful rules (`StatefulRules`), in the order written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stateful_rules: Vec<StatefulRule>,
    /// A domain list (`RulesSourceList`): recorded, not evaluated on IP flows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_list: Option<DomainList>,
    /// Suricata rule strings (`RulesString`): recorded, not evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules_string: Option<String>,
}

/// A stateless rule: match attributes, a priority and actions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatelessRule {
    /// Priority within the group, 1-65535, lowest first.
    pub priority: u32,
    /// Actions: exactly one of `aws:pass`, `aws:drop`, `aws:forward_to_sfe` (plus custom ones).
    pub actions: Vec<String>,
    /// Source CIDRs; empty matches any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<IpNet>,
    /// Destination CIDRs; empty matches any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<IpNet>,
    /// Source port ranges; empty matches any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_ports: Vec<PortRange>,
    /// Destination port ranges; empty matches any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_ports: Vec<PortRange>,
    /// Protocols; empty matches any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protocols: Vec<Protocol>,
}

/// Stateful rule action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StatefulAction {
    /// Let the flow through and stop inspecting it.
    Pass,
    /// Drop silently.
    Drop,
    /// Drop and send a TCP reset / ICMP unreachable.
    Reject,
    /// Log only.
    Alert,
}

/// Direction of a stateful 5-tuple rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StatefulDirection {
    /// Source to destination only.
    #[default]
    Forward,
    /// Both ways.
    Any,
}

/// A 5-tuple stateful rule (`StatefulRule` with a `Header`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatefulRule {
    /// Action.
    pub action: StatefulAction,
    /// Protocol (`IP` = all).
    pub protocol: Protocol,
    /// Source CIDR; `None` = ANY.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<IpNet>,
    /// Source port; ANY by default.
    #[serde(default, skip_serializing_if = "PortRange::is_any")]
    pub source_port: PortRange,
    /// Destination CIDR; `None` = ANY.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<IpNet>,
    /// Destination port; ANY by default.
    #[serde(default, skip_serializing_if = "PortRange::is_any")]
    pub destination_port: PortRange,
    /// FORWARD or ANY.
    #[serde(default, skip_serializing_if = "is_default")]
    pub direction: StatefulDirection,
    /// Suricata `sid`, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<u64>,
}

/// A domain list rule source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainList {
    /// Domains (`.example.com`).
    pub targets: Vec<String>,
    /// `TLS_SNI`, `HTTP_HOST`.
    pub target_types: Vec<String>,
    /// `ALLOWLIST` or `DENYLIST`.
    pub generated_rules_type: String,
}

/// A Gateway Load Balancer and the appliances behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewayLoadBalancer {
    /// Unique name.
    pub name: String,
    /// ARN, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// VPC (by name).
    pub vpc: String,
    /// Subnets it is deployed in (by name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    /// Healthy appliance targets: network interfaces (by name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub appliances: Vec<String>,
}
