//! Transit Gateways, their route tables, attachments, associations and propagations,
//! and on-premises sites.
//!
//! See "How transit gateways work":
//! <https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html>.

use super::common::{default_true, is_default, is_false, is_true};
use super::vpc::VpnRouting;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// A Transit Gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitGateway {
    /// Unique name.
    pub name: String,
    /// AWS id (`tgw-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Owning account (by name).
    pub account: String,
    /// Region name.
    pub region: String,
    /// Amazon-side ASN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn: Option<u32>,
    /// `DefaultRouteTableAssociation`: new attachments are associated with the default table.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default_route_table_association: bool,
    /// `DefaultRouteTablePropagation`: new attachments propagate to the default table.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default_route_table_propagation: bool,
    /// The default route table (by name), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_route_table: Option<String>,
}

/// A Transit Gateway route table (a VRF on the TGW).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitGatewayRouteTable {
    /// Unique name.
    pub name: String,
    /// AWS id (`tgw-rtb-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Transit Gateway (by name).
    pub transit_gateway: String,
    /// Static and blackhole routes. Propagated routes are derived from attachments'
    /// `propagations` (see [`crate::model::Model::transit_gateway_routes`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<TransitGatewayRoute>,
    /// Prefix-list references.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix_list_references: Vec<TransitGatewayPrefixListReference>,
}

/// A static TGW route: to an attachment, or a blackhole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitGatewayRoute {
    /// Destination CIDR.
    pub destination: IpNet,
    /// Target attachment (by name); `None` with `blackhole`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<String>,
    /// A blackhole route drops matching traffic.
    #[serde(default, skip_serializing_if = "is_false")]
    pub blackhole: bool,
}

/// A prefix-list reference in a TGW route table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitGatewayPrefixListReference {
    /// Prefix list (by name).
    pub prefix_list: String,
    /// Target attachment (by name); `None` with `blackhole`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<String>,
    /// Blackhole the prefix list's entries.
    #[serde(default, skip_serializing_if = "is_false")]
    pub blackhole: bool,
}

/// The resource type of a TGW attachment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentType {
    /// A VPC attachment (one subnet per AZ).
    Vpc,
    /// A Site-to-Site VPN attachment.
    Vpn,
    /// A Direct Connect gateway attachment.
    DirectConnectGateway,
    /// A TGW peering attachment (static routes only).
    Peering,
    /// A Connect attachment (GRE + BGP over a transport attachment).
    Connect,
}

/// A Transit Gateway attachment with its association and propagations.
///
/// Which fields apply depends on `type`: `vpc`, `subnets`, `appliance_mode` for VPC
/// attachments; `site`, `routing`, `advertised_prefixes` for VPN and DX gateway
/// attachments; `peer_transit_gateway` for peering; `transport_attachment` for Connect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitGatewayAttachment {
    /// Unique name.
    pub name: String,
    /// AWS id (`tgw-attach-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Transit Gateway (by name).
    pub transit_gateway: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub attachment_type: AttachmentType,
    /// Owning account of the attached resource (by name), when it differs from the TGW's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// VPC attachments: the VPC (by name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    /// VPC attachments: one subnet per AZ (by name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    /// VPC attachments: `ApplianceModeSupport`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub appliance_mode: bool,
    /// VPN / DX attachments: the on-premises site (by name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// VPN attachments: BGP or static routing.
    #[serde(default, skip_serializing_if = "is_default")]
    pub routing: VpnRouting,
    /// VPN / DX attachments: prefixes the site advertises over this attachment; empty
    /// means all of the site's prefixes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advertised_prefixes: Vec<IpNet>,
    /// Peering attachments: the peer Transit Gateway (by name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_transit_gateway: Option<String>,
    /// Connect attachments: the transport attachment (by name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_attachment: Option<String>,
    /// The TGW route table this attachment is associated with (at most one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association: Option<String>,
    /// The TGW route tables this attachment propagates its routes to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub propagations: Vec<String>,
    /// Whether the attachment is available; a failed or deleted one forwards nothing.
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub available: bool,
}

/// An on-premises site (data centre) reached over VPN or Direct Connect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnPremSite {
    /// Unique name (`onprem:<name>` on the command line).
    pub name: String,
    /// The prefixes the site owns.
    pub prefixes: Vec<IpNet>,
}
