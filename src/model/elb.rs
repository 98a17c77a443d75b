//! Network Load Balancers: the load balancer (one node per enabled AZ, each a network
//! interface of role `load_balancer`), its listeners and the target groups they forward to.
//!
//! Names follow the Elastic Load Balancing API (`LoadBalancer`, `Listener`,
//! `TargetGroup`, `TargetHealthDescription`). See "Network Load Balancers"
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html>),
//! "Listeners for your Network Load Balancers"
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html>)
//! and "Target groups for your Network Load Balancers"
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html>).

use super::common::{default_true, is_default, is_false, is_true};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// Whether a load balancer is reachable from the Internet (`Scheme`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoadBalancerScheme {
    /// Private addresses only.
    #[default]
    Internal,
    /// Its nodes also have public addresses (the node interfaces' `public_ip`).
    InternetFacing,
}

/// A Network Load Balancer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkLoadBalancer {
    /// Unique name.
    pub name: String,
    /// ARN, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// VPC (by name).
    pub vpc: String,
    /// `internal` (default) or `internet-facing`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub scheme: LoadBalancerScheme,
    /// Its nodes: one network interface (by name, role `load_balancer`) per enabled AZ,
    /// holding the node's address in its subnet.
    pub nodes: Vec<String>,
    /// Cross-zone load balancing (`load_balancing.cross_zone.enabled`, off by default
    /// for Network Load Balancers): each node may pick targets in every enabled AZ.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cross_zone: bool,
    /// Listeners (by port and protocol).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listeners: Vec<Listener>,
}

/// The protocol of a listener or target group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListenerProtocol {
    /// TCP.
    #[default]
    Tcp,
    /// UDP.
    Udp,
    /// TCP and UDP on the same port.
    TcpUdp,
    /// TLS (terminated by the load balancer; TCP on the wire).
    Tls,
}

impl ListenerProtocol {
    /// Whether a packet of `p` is served by this protocol (TCP for TCP/TLS/TCP_UDP,
    /// UDP for UDP/TCP_UDP; nothing else).
    pub fn serves(self, p: super::Protocol) -> bool {
        use super::Protocol as P;
        matches!(
            (self, p),
            (
                ListenerProtocol::Tcp | ListenerProtocol::Tls | ListenerProtocol::TcpUdp,
                P::Tcp
            ) | (ListenerProtocol::Udp | ListenerProtocol::TcpUdp, P::Udp)
        )
    }

    /// The API spelling (`TCP`, `UDP`, `TCP_UDP`, `TLS`).
    pub fn as_api(self) -> &'static str {
        match self {
            ListenerProtocol::Tcp => "TCP",
            ListenerProtocol::Udp => "UDP",
            ListenerProtocol::TcpUdp => "TCP_UDP",
            ListenerProtocol::Tls => "TLS",
        }
    }

    /// Parse the API spelling (case-insensitive).
    pub fn from_api(s: &str) -> Option<ListenerProtocol> {
        match s.to_ascii_uppercase().as_str() {
            "TCP" => Some(ListenerProtocol::Tcp),
            "UDP" => Some(ListenerProtocol::Udp),
            "TCP_UDP" => Some(ListenerProtocol::TcpUdp),
            "TLS" => Some(ListenerProtocol::Tls),
            _ => None,
        }
    }
}

/// A listener: connections to the load balancer on `port` with `protocol` are forwarded
/// to `target_group` (its default `forward` action).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listener {
    /// ARN, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Protocol.
    #[serde(default, skip_serializing_if = "is_default")]
    pub protocol: ListenerProtocol,
    /// Port the load balancer listens on.
    pub port: u16,
    /// Target group (by name) of the forward action.
    pub target_group: String,
}

/// What a target group's targets are (`TargetType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetType {
    /// EC2 instances (by their primary network interface).
    #[default]
    Instance,
    /// IP addresses.
    Ip,
}

/// A target group of a Network Load Balancer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    /// Unique name.
    pub name: String,
    /// ARN, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// VPC (by name).
    pub vpc: String,
    /// Protocol.
    #[serde(default, skip_serializing_if = "is_default")]
    pub protocol: ListenerProtocol,
    /// Port targets receive traffic on unless a target overrides it.
    pub port: u16,
    /// Instance or IP targets.
    #[serde(default, skip_serializing_if = "is_default")]
    pub target_type: TargetType,
    /// Client IP preservation (`preserve_client_ip.enabled`); absent = the AWS default
    /// (on for instance targets and UDP, off for IP targets over TCP/TLS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preserve_client_ip: Option<bool>,
    /// Registered targets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<LbTarget>,
}

impl TargetGroup {
    /// Whether the target sees the client's address as the source (the AWS default
    /// when not set: "enabled for instance and UDP/TCP_UDP targets, disabled for IP
    /// targets with TCP and TLS", "Client IP preservation" in
    /// <https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html>).
    pub fn preserves_client_ip(&self) -> bool {
        self.preserve_client_ip.unwrap_or(
            self.target_type == TargetType::Instance
                || matches!(
                    self.protocol,
                    ListenerProtocol::Udp | ListenerProtocol::TcpUdp
                ),
        )
    }
}

/// A registered target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LbTarget {
    /// Instance targets: the instance's network interface (by name); traffic goes to
    /// its primary private address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interface: Option<String>,
    /// IP targets: the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<IpAddr>,
    /// Port; absent = the target group's port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Whether health checks pass (`TargetHealth.State` healthy). Load balancers route
    /// only to healthy targets, unless none is healthy (fail open).
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub healthy: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Protocol;

    #[test]
    fn listener_protocols_serve_their_transport() {
        assert!(ListenerProtocol::Tcp.serves(Protocol::Tcp));
        assert!(ListenerProtocol::Tls.serves(Protocol::Tcp));
        assert!(!ListenerProtocol::Tcp.serves(Protocol::Udp));
        assert!(ListenerProtocol::TcpUdp.serves(Protocol::Udp));
        assert!(!ListenerProtocol::Udp.serves(Protocol::All));
        assert!(!ListenerProtocol::Tcp.serves(Protocol::Icmp));
        for p in [
            ListenerProtocol::Tcp,
            ListenerProtocol::Udp,
            ListenerProtocol::TcpUdp,
            ListenerProtocol::Tls,
        ] {
            assert_eq!(ListenerProtocol::from_api(p.as_api()), Some(p));
        }
        assert_eq!(ListenerProtocol::from_api("HTTP"), None);
    }

    #[test]
    fn client_ip_preservation_defaults() {
        let mut g = TargetGroup {
            name: "tg".into(),
            id: None,
            vpc: "v".into(),
            protocol: ListenerProtocol::Tcp,
            port: 80,
            target_type: TargetType::Instance,
            preserve_client_ip: None,
            targets: vec![],
        };
        assert!(g.preserves_client_ip());
        g.target_type = TargetType::Ip;
        assert!(!g.preserves_client_ip());
        g.protocol = ListenerProtocol::Udp;
        assert!(g.preserves_client_ip());
        g.preserve_client_ip = Some(false);
        assert!(!g.preserves_client_ip());
    }
}
