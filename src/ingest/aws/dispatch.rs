//! Which parser reads a file: decided by its top-level JSON keys, never its name.

use super::parse_ec2 as ec2;
use super::parse_inspection as insp;
use super::parse_tgw as tgw;
use super::raw::{OriginId, RawSnapshot};
use super::value::{kind, pascal, Json, Obj};
use super::Sink;
use crate::diag::Diagnostic;

/// Keys that are read by a list parser.
const LIST_KEYS: &[&str] = &[
    "Vpcs",
    "Subnets",
    "RouteTables",
    "InternetGateways",
    "EgressOnlyInternetGateways",
    "NatGateways",
    "NetworkInterfaces",
    "Reservations",
    "Instances",
    "Addresses",
    "SecurityGroups",
    "NetworkAcls",
    "PrefixLists",
    "ManagedPrefixLists",
    "VpcEndpoints",
    "ServiceConfigurations",
    "VpcPeeringConnections",
    "VpnGateways",
    "VpnConnections",
    "CustomerGateways",
    "AvailabilityZones",
    "TransitGateways",
    "TransitGatewayAttachments",
    "TransitGatewayVpcAttachments",
    "TransitGatewayPeeringAttachments",
    "TransitGatewayConnects",
    "TransitGatewayRouteTables",
    "TransitGatewayPropagations",
    "TransitGatewayStaticRoutes",
    "TransitGatewayRoutes",
    "TransitGatewayRouteSearches",
    "TransitGatewayPrefixListReferences",
    "DirectConnectGateways",
    "DirectConnectGatewayAssociations",
    "VirtualInterfaces",
    "LoadBalancers",
    "TargetGroups",
    "LoadBalancerTargetHealth",
    "TargetHealth",
    "Listeners",
    "LoadBalancerListeners",
    "LoadBalancerAttributes",
    "TargetGroupAttributes",
    "ManagedPrefixListEntries",
    "TransitGatewayRouteTablePropagationSets",
    "Accounts",
];

/// Keys Batfish (and lztwin) ignore without a word: they carry no forwarding state.
const IGNORED: &[&str] = &[
    "DhcpOptions",
    "Regions",
    "InstanceStatuses",
    "PlacementGroups",
    "ServiceNames",
    "Tags",
    "NextToken",
    "NextMarker",
    "UpdateToken",
    "ResponseMetadata",
    "AdditionalRoutesAvailable",
];

/// Keys of resources lztwin knows but does not model, with what they are.
const NOT_MODELLED: &[(&str, &str)] = &[
    ("DBInstances", "RDS instances (their network interfaces are modelled when listed)"),
    ("DomainStatusList", "OpenSearch/Elasticsearch domains (their network interfaces are modelled when listed)"),
    ("ServiceDetails", "VPC endpoint services"),
    ("CarrierGateways", "carrier gateways"),
    ("LocalGateways", "local gateways (Outposts)"),
    ("TransitGatewayPolicyTables", "transit gateway policy tables (Cloud WAN)"),
    ("TransitGatewayMulticastDomains", "transit gateway multicast domains"),
    ("TransitGatewayConnectPeers", "transit gateway Connect peers (BGP sessions)"),
    ("SecurityGroupRules", "security-group rules listed on their own (lztwin reads them from describe-security-groups)"),
    ("Associations", "route-table associations listed without their TransitGatewayRouteTableId (lztwin reads associations from describe-transit-gateway-attachments)"),
    ("TransitGatewayRouteTablePropagations", "propagations listed without their TransitGatewayRouteTableId (wrap them as {\"TransitGatewayRouteTableId\", \"TransitGatewayRouteTablePropagations\"})"),
    ("TransitGatewayAttachmentPropagations", "attachment propagations listed without their attachment id (lztwin reads propagations per route table)"),
    ("Routes", "routes listed without their TransitGatewayRouteTableId (wrap search-transit-gateway-routes output as {\"TransitGatewayRouteTableId\", \"Routes\"})"),
    ("Entries", "prefix-list entries listed without their PrefixListId (wrap them as {\"PrefixListId\", \"Entries\"})"),
    ("TargetHealthDescriptions", "target health listed without its TargetGroupArn (wrap it as {\"TargetGroupArn\", \"TargetHealthDescriptions\"})"),
    ("VpcEndpointConnections", "VPC endpoint connections"),
    ("FlowLogs", "flow logs"),
];

/// Whether `key` is a top-level key of AWS CLI output that lztwin recognises.
pub(crate) fn is_aws_key(key: &str) -> bool {
    // The EC2 CLI prints PascalCase; only Direct Connect prints camelCase. Native
    // scenarios use snake_case (`vpcs`, `subnets`), which must not match.
    let camel_ok = [
        "directConnectGateways",
        "directConnectGatewayAssociations",
        "virtualInterfaces",
    ];
    if !key.starts_with(|c: char| c.is_ascii_uppercase()) && !camel_ok.contains(&key) {
        return false;
    }
    let k = pascal(key);
    LIST_KEYS.contains(&k.as_str())
        || IGNORED.contains(&k.as_str())
        || NOT_MODELLED.iter().any(|(n, _)| *n == k)
        || SINGLE_MARKERS.contains(&k.as_str())
}

/// Keys that mark a single response object (Network Firewall, per-table results).
const SINGLE_MARKERS: &[&str] = &[
    "Firewall",
    "FirewallPolicy",
    "RuleGroup",
    "TransitGatewayRouteTableId",
    "TargetGroupArn",
    "PrefixListId",
];

/// Read one file's root value into the raw snapshot.
pub(crate) fn read_root(s: &mut RawSnapshot, origin: OriginId, v: &Json, sink: &mut Sink) {
    let file = s.origins[origin].file.clone();
    match v {
        Json::Object(map) => read_object(s, origin, Obj::root(map, &file), sink),
        Json::Array(items) => {
            let is_response = |i: &Json| {
                i.as_object().is_some_and(|m| {
                    m.keys()
                        .any(|k| SINGLE_MARKERS.contains(&pascal(k).as_str()))
                })
            };
            if items.is_empty() {
                sink.warnings.push(Diagnostic::warning(
                    file,
                    "",
                    "empty JSON array: nothing to read",
                ));
                return;
            }
            if !items.iter().all(is_response) {
                sink.errors.push(Diagnostic::error(
                    file,
                    "/",
                    "top level is a JSON array, but not of describe-firewall, \
                     describe-firewall-policy, describe-rule-group or per-route-table results \
                     (a --query projection?); expected the object the AWS CLI prints",
                ));
                return;
            }
            for (i, it) in items.iter().enumerate() {
                if let Json::Object(m) = it {
                    read_object(s, origin, Obj::root_at(m, &file, i), sink);
                }
            }
        }
        other => sink.errors.push(Diagnostic::error(
            file,
            "/",
            format!(
                "top level is {}; expected a JSON object of describe-* output",
                kind(other)
            ),
        )),
    }
}

fn read_object(s: &mut RawSnapshot, origin: OriginId, o: Obj, sink: &mut Sink) {
    let file = o.file;
    let region = s.origins[origin].region.clone();
    let account = s.origins[origin].account.clone();
    let has = |k: &str| o.get(k).is_some();
    let mut consumed: Vec<&str> = Vec::new();
    let single = |r: Result<(), Diagnostic>, sink: &mut Sink| {
        if let Err(e) = r {
            sink.errors.push(e);
        }
    };
    // Single-response shapes first.
    if has("Firewall") {
        single(insp::firewall(s, origin, &o, file, sink), sink);
        consumed.extend(["Firewall", "FirewallStatus"]);
    }
    if has("FirewallPolicy") {
        single(insp::policy(s, origin, &o, file), sink);
        consumed.extend(["FirewallPolicy", "FirewallPolicyResponse"]);
    }
    if has("RuleGroup") {
        single(insp::rule_group(s, &o, file, sink), sink);
        consumed.extend(["RuleGroup", "RuleGroupResponse"]);
    }
    if has("TransitGatewayRouteTableId") {
        if has("Routes") {
            single(tgw::table_routes(s, origin, &o, file, sink), sink);
            consumed.push("Routes");
        }
        if has("TransitGatewayRouteTablePropagations") {
            single(tgw::table_propagations(s, &o, file), sink);
            consumed.push("TransitGatewayRouteTablePropagations");
        }
        consumed.push("TransitGatewayRouteTableId");
    }
    if has("TargetGroupArn") && has("TargetHealthDescriptions") {
        single(insp::target_health(s, &o, file, sink), sink);
        consumed.extend(["TargetGroupArn", "TargetHealthDescriptions"]);
    }
    if has("PrefixListId") && (has("Entries") || has("Cidrs")) {
        single(ec2::prefix_list_entries(s, origin, &o, file), sink);
        consumed.extend(["PrefixListId", "Entries", "Cidrs", "PrefixListName"]);
    }
    for key in o.map.keys_sorted() {
        let k = pascal(key);
        if consumed.contains(&k.as_str()) || IGNORED.contains(&k.as_str()) {
            continue;
        }
        if let Some((_, what)) = NOT_MODELLED.iter().find(|(n, _)| *n == k) {
            let n = match o.get(key) {
                Some(Json::Array(a)) => a.len(),
                Some(Json::Null) | None => 0,
                Some(_) => 1,
            };
            if n > 0 {
                sink.warnings.push(Diagnostic::warning(
                    file,
                    o.at(key),
                    format!("{n} {what}: not modelled"),
                ));
            }
            continue;
        }
        if !LIST_KEYS.contains(&k.as_str()) {
            sink.warnings.push(Diagnostic::warning(
                file,
                o.at(key),
                format!("unknown key `{key}`: not read"),
            ));
            continue;
        }
        let items = match o.list(key) {
            Ok(i) => i,
            Err(e) => {
                sink.errors.push(e);
                continue;
            }
        };
        match k.as_str() {
            "Vpcs" => ec2::vpcs(s, origin, items, file, sink),
            "Subnets" => ec2::subnets(s, origin, items, file, sink),
            "RouteTables" => ec2::route_tables(s, origin, items, file, sink),
            "InternetGateways" => ec2::igws(s, origin, items, file, sink),
            "EgressOnlyInternetGateways" => ec2::eigws(s, origin, items, file, sink),
            "NatGateways" => ec2::nats(s, origin, items, file, sink),
            "NetworkInterfaces" => ec2::enis(s, origin, items, file, sink),
            "Reservations" => ec2::reservations(s, origin, items, file, sink),
            "Instances" => ec2::instances(s, origin, items, file, sink),
            "Addresses" => ec2::addresses(s, items, file, sink),
            "SecurityGroups" => ec2::sgs(s, origin, items, file, sink),
            "NetworkAcls" => ec2::nacls(s, origin, items, file, sink),
            "PrefixLists" | "ManagedPrefixLists" | "ManagedPrefixListEntries" => {
                ec2::prefix_lists(s, origin, items, file, sink)
            }
            "VpcEndpoints" => ec2::endpoints(s, origin, items, file, sink),
            "ServiceConfigurations" => ec2::service_configurations(s, items, file, sink),
            "VpcPeeringConnections" => ec2::peerings(s, origin, items, file, sink),
            "VpnGateways" => ec2::vgws(s, origin, items, file, sink),
            "VpnConnections" => ec2::vpns(s, origin, items, file, sink),
            "CustomerGateways" => ec2::cgws(s, origin, items, file, sink),
            "AvailabilityZones" => ec2::azs(s, &region, items, file, sink),
            "Accounts" => ec2::accounts(s, &account, items, file, sink),
            "TransitGateways" => tgw::tgws(s, origin, items, file, sink),
            "TransitGatewayAttachments" => tgw::attachments(s, origin, items, file, sink),
            "TransitGatewayVpcAttachments" => tgw::vpc_attachments(s, origin, items, file, sink),
            "TransitGatewayPeeringAttachments" => {
                tgw::peering_attachments(s, origin, items, file, sink)
            }
            "TransitGatewayConnects" => tgw::connects(s, origin, items, file, sink),
            "TransitGatewayRouteTables" => tgw::tgw_rtbs(s, origin, items, file, sink),
            "TransitGatewayPropagations" | "TransitGatewayRouteTablePropagationSets" => {
                tgw::propagations(s, items, file, sink)
            }
            "TransitGatewayStaticRoutes"
            | "TransitGatewayRoutes"
            | "TransitGatewayRouteSearches" => tgw::route_searches(s, origin, items, file, sink),
            "TransitGatewayPrefixListReferences" => {
                tgw::pl_references(s, origin, items, file, sink)
            }
            "DirectConnectGateways" => tgw::dxgws(s, origin, items, file, sink),
            "DirectConnectGatewayAssociations" => {
                tgw::dx_associations(s, origin, items, file, sink)
            }
            "VirtualInterfaces" => tgw::vifs(s, origin, items, file, sink),
            "LoadBalancers" => insp::load_balancers(s, origin, items, file, sink),
            "TargetGroups" => insp::target_groups(s, origin, items, file, sink),
            "Listeners" => insp::listeners(s, origin, items, file, sink, false),
            "LoadBalancerListeners" => insp::listeners(s, origin, items, file, sink, true),
            "LoadBalancerAttributes" | "TargetGroupAttributes" => {
                insp::elb_attributes(s, items, file, sink)
            }
            "LoadBalancerTargetHealth" | "TargetHealth" => {
                insp::target_health_list(s, items, file, sink)
            }
            _ => sink.warnings.push(Diagnostic::warning(
                file,
                o.at(key),
                format!("key `{key}` is not read"),
            )),
        }
    }
}
