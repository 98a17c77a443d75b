//! Security groups (stateful) and network ACLs (stateless).
//!
//! See <https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html> and
//! <https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html>.

use super::common::{is_false, PortRange, Protocol, RuleAction};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// A security group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroup {
    /// Unique name.
    pub name: String,
    /// AWS id (`sg-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// VPC (by name).
    pub vpc: String,
    /// Inbound rules (allow only).
    #[serde(default)]
    pub ingress: Vec<SecurityGroupRule>,
    /// Outbound rules (allow only). A new group allows all outbound.
    #[serde(default)]
    pub egress: Vec<SecurityGroupRule>,
}

/// One security-group rule with exactly one peer: a CIDR, a prefix list or a group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupRule {
    /// Protocol.
    pub protocol: Protocol,
    /// Ports (TCP/UDP); ANY by default.
    #[serde(default, skip_serializing_if = "PortRange::is_any")]
    pub ports: PortRange,
    /// Peer CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<IpNet>,
    /// Peer prefix list (by name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_list: Option<String>,
    /// Peer security group (by name): matches the private IPs of its members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_group: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A network ACL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkAcl {
    /// Unique name.
    pub name: String,
    /// AWS id (`acl-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// VPC (by name).
    pub vpc: String,
    /// The VPC's default NACL: applies to every subnet not associated with another.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    /// Subnets associated with this NACL (by name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    /// Entries; evaluated by rule number, lowest first, first match wins; then deny.
    #[serde(default)]
    pub entries: Vec<NetworkAclEntry>,
}

/// One NACL entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkAclEntry {
    /// Rule number, 1-32766.
    pub rule_number: u16,
    /// Outbound (`true`) or inbound rule.
    #[serde(default, skip_serializing_if = "is_false")]
    pub egress: bool,
    /// Protocol.
    pub protocol: Protocol,
    /// Ports (TCP/UDP).
    #[serde(default, skip_serializing_if = "PortRange::is_any")]
    pub ports: PortRange,
    /// CIDR.
    pub cidr: IpNet,
    /// Allow or deny.
    pub action: RuleAction,
}
