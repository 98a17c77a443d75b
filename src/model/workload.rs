//! Workloads: network interfaces of instances and appliances.

use super::common::{default_true, is_true};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

/// What a network interface is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterfaceRole {
    /// An instance or service: an endpoint of reachability analyses.
    #[default]
    Workload,
    /// A firewall or router appliance that forwards traffic (source/destination check off).
    Appliance,
    /// A node of a Network Load Balancer (interface type `network_load_balancer`): it
    /// holds the load balancer's address in one AZ and is named in the load balancer's
    /// `nodes`.
    LoadBalancer,
}

/// An elastic network interface (an instance's ENI).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkInterface {
    /// Unique name.
    pub name: String,
    /// AWS id (`eni-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Instance id (`i-…`) it is attached to, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Subnet (by name).
    pub subnet: String,
    /// Private addresses (IPv4 first is primary; IPv6 allowed).
    pub private_ips: Vec<IpAddr>,
    /// Public IPv4 or Elastic IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ipv4Addr>,
    /// Security groups (by name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<String>,
    /// Source/destination check: an ENI forwards traffic not addressed to it only when off.
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub source_dest_check: bool,
    /// Workload or appliance.
    #[serde(default, skip_serializing_if = "super::common::is_default")]
    pub role: InterfaceRole,
    /// Free-form tags (e.g. `service`, `tier`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}
