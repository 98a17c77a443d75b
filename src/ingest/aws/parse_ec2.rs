//! Parsers for EC2 `describe-*` outputs: VPCs, subnets, route tables, gateways,
//! VPN, peering, prefix lists, endpoints, ENIs, instances, SGs, NACLs, addresses.
//! Field names: <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/>.

use super::raw::*;
use super::value::{parse_net, Located, Obj, PResult};
use super::Sink;
use crate::model::{NetworkAclEntry, PortRange, Protocol, RuleAction, VpcEndpointType};
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr};

/// Run `f` on every item of a list; an item with the wrong shape is an error, and the
/// others are still read.
pub(crate) fn each<'a>(
    items: Vec<Located<'a>>,
    file: &'a str,
    sink: &mut Sink,
    mut f: impl FnMut(Obj<'a>, &mut Sink) -> PResult<()>,
) {
    for it in items {
        let r = it.obj(file).and_then(|o| f(o, sink));
        if let Err(e) = r {
            sink.errors.push(e);
        }
    }
}

/// Whether an object is in one of the `ok` states (absent state counts as ok); if not,
/// warn that it is left out.
pub(crate) fn active(
    o: &Obj,
    state: Option<&str>,
    what: &str,
    id: &str,
    ok: &[&str],
    sink: &mut Sink,
) -> bool {
    match state {
        None => true,
        Some(s) if ok.iter().any(|k| k.eq_ignore_ascii_case(s)) => true,
        Some(s) => {
            sink.warnings
                .push(o.warn(format!("{what} {id} is {s}: left out")));
            false
        }
    }
}

/// Common fields of a record.
pub(crate) fn common(o: &Obj, origin: OriginId) -> PResult<Common> {
    Ok(Common {
        origin,
        path: o.path(),
        tags: o.tags()?,
        owner: o.str("OwnerId")?.map(str::to_string),
    })
}

fn ipv4(o: &Obj, key: &str) -> PResult<Option<Ipv4Addr>> {
    match o.str(key)? {
        None => Ok(None),
        Some(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| o.err(key, format!("`{s}` is not an IPv4 address"))),
    }
}

fn ipaddr(o: &Obj, key: &str) -> PResult<Option<IpAddr>> {
    match o.str(key)? {
        None => Ok(None),
        Some(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| o.err(key, format!("`{s}` is not an IP address"))),
    }
}

/// `describe-vpcs`.
pub(crate) fn vpcs(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("VpcId")?;
        if !active(
            &o,
            o.str("State")?,
            "VPC",
            id,
            &["available", "pending"],
            sink,
        ) {
            return Ok(());
        }
        let mut cidrs: Vec<IpNet> = Vec::new();
        for a in o.list("CidrBlockAssociationSet")? {
            let a = a.obj(file)?;
            let st = match a.obj("CidrBlockState")? {
                Some(st) => st.str("State")?.unwrap_or("associated").to_string(),
                None => "associated".to_string(),
            };
            if st == "associated" {
                if let Some(n) = a.net("CidrBlock")? {
                    cidrs.push(n);
                }
            }
        }
        if cidrs.is_empty() {
            if let Some(n) = o.net("CidrBlock")? {
                cidrs.push(n);
            }
        }
        for a in o.list("Ipv6CidrBlockAssociationSet")? {
            let a = a.obj(file)?;
            let st = match a.obj("Ipv6CidrBlockState")? {
                Some(st) => st.str("State")?.unwrap_or("associated").to_string(),
                None => "associated".to_string(),
            };
            if st == "associated" {
                if let Some(n) = a.net("Ipv6CidrBlock")? {
                    cidrs.push(n);
                }
            }
        }
        let v = RawVpc {
            c: common(&o, origin)?,
            cidrs,
        };
        upsert(&mut s.vpcs, id.to_string(), v, keep_first);
        Ok(())
    })
}

/// `describe-subnets`.
pub(crate) fn subnets(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("SubnetId")?;
        if !active(
            &o,
            o.str("State")?,
            "subnet",
            id,
            &["available", "pending"],
            sink,
        ) {
            return Ok(());
        }
        let cidr = match o.net("CidrBlock")? {
            Some(IpNet::V4(n)) => Some(n),
            Some(IpNet::V6(_)) => return Err(o.err("CidrBlock", "expected an IPv4 CIDR")),
            None => None,
        };
        let mut ipv6 = None;
        for a in o.list("Ipv6CidrBlockAssociationSet")? {
            let a = a.obj(file)?;
            if let Some(IpNet::V6(n)) = a.net("Ipv6CidrBlock")? {
                ipv6.get_or_insert(n);
            }
        }
        let az = o.str("AvailabilityZone")?.unwrap_or("").to_string();
        let v = RawSubnet {
            c: common(&o, origin)?,
            vpc: o.req("VpcId")?.to_string(),
            az,
            cidr,
            ipv6,
        };
        upsert(&mut s.subnets, id.to_string(), v, keep_first);
        Ok(())
    })
}

fn route(o: &Obj) -> PResult<RawRoute> {
    let dest = match o.net("DestinationCidrBlock")? {
        Some(n) => Some(n),
        None => o.net("DestinationIpv6CidrBlock")?,
    };
    let dest_pl = o.str("DestinationPrefixListId")?.map(str::to_string);
    if dest.is_none() && dest_pl.is_none() {
        return Err(o.err(
            "DestinationCidrBlock",
            "route without DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId",
        ));
    }
    let target = if let Some(g) = o.str("GatewayId")? {
        if g == "local" {
            RawTarget::Local
        } else {
            RawTarget::Gateway(g.to_string())
        }
    } else if let Some(x) = o.str("EgressOnlyInternetGatewayId")? {
        RawTarget::EgressOnly(x.to_string())
    } else if let Some(x) = o.str("NatGatewayId")? {
        RawTarget::Nat(x.to_string())
    } else if let Some(x) = o.str("TransitGatewayId")? {
        RawTarget::Tgw(x.to_string())
    } else if let Some(x) = o.str("VpcPeeringConnectionId")? {
        RawTarget::Peering(x.to_string())
    } else if let Some(x) = o.str("NetworkInterfaceId")? {
        RawTarget::Eni(x.to_string())
    } else if let Some(x) = o.str("InstanceId")? {
        RawTarget::Instance(x.to_string())
    } else if let Some(x) = o.str("LocalGatewayId")? {
        RawTarget::Unsupported(format!("local gateway {x}"))
    } else if let Some(x) = o.str("CarrierGatewayId")? {
        RawTarget::Unsupported(format!("carrier gateway {x}"))
    } else if let Some(x) = o.str("CoreNetworkArn")? {
        RawTarget::Unsupported(format!("Cloud WAN core network {x}"))
    } else {
        return Err(o.err("GatewayId", "route without a target"));
    };
    Ok(RawRoute {
        path: o.path(),
        dest,
        dest_pl,
        target,
        origin: o.str("Origin")?.unwrap_or("CreateRoute").to_string(),
        blackhole: o
            .str("State")?
            .is_some_and(|s| s.eq_ignore_ascii_case("blackhole")),
    })
}

/// `describe-route-tables`.
pub(crate) fn route_tables(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, _| {
        let id = o.req("RouteTableId")?;
        let mut rt = RawRouteTable {
            c: common(&o, origin)?,
            vpc: o.req("VpcId")?.to_string(),
            main: false,
            subnets: Vec::new(),
            edges: Vec::new(),
            propagating_vgws: Vec::new(),
            routes: Vec::new(),
        };
        for a in o.list("Associations")? {
            let a = a.obj(file)?;
            if let Some(st) = a.obj("AssociationState")? {
                if let Some(state) = st.str("State")? {
                    if !state.eq_ignore_ascii_case("associated") {
                        continue;
                    }
                }
            }
            if a.bool("Main")? == Some(true) {
                rt.main = true;
            }
            if let Some(sn) = a.str("SubnetId")? {
                rt.subnets.push(sn.to_string());
            }
            if let Some(g) = a.str("GatewayId")? {
                rt.edges.push(g.to_string());
            }
        }
        for p in o.list("PropagatingVgws")? {
            let p = p.obj(file)?;
            if let Some(g) = p.str("GatewayId")? {
                rt.propagating_vgws.push(g.to_string());
            }
        }
        for r in o.list("Routes")? {
            let r = r.obj(file)?;
            rt.routes.push(route(&r)?);
        }
        upsert(&mut s.route_tables, id.to_string(), rt, keep_first);
        Ok(())
    })
}

fn attached_vpc(o: &Obj, file: &str) -> PResult<Option<String>> {
    for a in o.list("Attachments")? {
        let a = a.obj(file)?;
        let st = a.str("State")?.unwrap_or("available");
        if ["available", "attached"].contains(&st) {
            if let Some(v) = a.str("VpcId")? {
                return Ok(Some(v.to_string()));
            }
        }
    }
    Ok(None)
}

/// `describe-internet-gateways`.
pub(crate) fn igws(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, _| {
        let id = o.req("InternetGatewayId")?;
        let g = RawGateway {
            c: common(&o, origin)?,
            vpc: attached_vpc(&o, file)?,
        };
        upsert(&mut s.igws, id.to_string(), g, |a, b| {
            fill(&mut a.vpc, b.vpc)
        });
        Ok(())
    })
}

/// `describe-egress-only-internet-gateways`.
pub(crate) fn eigws(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, _| {
        let id = o.req("EgressOnlyInternetGatewayId")?;
        let g = RawGateway {
            c: common(&o, origin)?,
            vpc: attached_vpc(&o, file)?,
        };
        upsert(&mut s.eigws, id.to_string(), g, |a, b| {
            fill(&mut a.vpc, b.vpc)
        });
        Ok(())
    })
}

/// `describe-nat-gateways`.
pub(crate) fn nats(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("NatGatewayId")?;
        if !active(&o, o.str("State")?, "NAT gateway", id, &["available"], sink) {
            return Ok(());
        }
        let mut private_ip = None;
        let mut public_ip = None;
        for a in o.list("NatGatewayAddresses")? {
            let a = a.obj(file)?;
            if a.bool("IsPrimary")? == Some(false) && private_ip.is_some() {
                continue;
            }
            if private_ip.is_none() {
                private_ip = ipv4(&a, "PrivateIp")?;
            }
            if public_ip.is_none() {
                public_ip = ipv4(&a, "PublicIp")?;
            }
        }
        let private = o
            .str("ConnectivityType")?
            .is_some_and(|c| c.eq_ignore_ascii_case("private"));
        let n = RawNat {
            c: common(&o, origin)?,
            subnet: o.req("SubnetId")?.to_string(),
            private,
            private_ip,
            public_ip,
        };
        upsert(&mut s.nats, id.to_string(), n, keep_first);
        Ok(())
    })
}

/// `describe-vpn-gateways`.
pub(crate) fn vgws(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("VpnGatewayId")?;
        if !active(
            &o,
            o.str("State")?,
            "virtual private gateway",
            id,
            &["available", "pending"],
            sink,
        ) {
            return Ok(());
        }
        let mut vpc = None;
        for a in o.list("VpcAttachments")? {
            let a = a.obj(file)?;
            if a.str("State")?.unwrap_or("attached") == "attached" {
                vpc = a.str("VpcId")?.map(str::to_string);
            }
        }
        let g = RawVgw {
            c: common(&o, origin)?,
            vpc,
            asn: o.int("AmazonSideAsn")?.and_then(|a| u32::try_from(a).ok()),
        };
        upsert(&mut s.vgws, id.to_string(), g, |a, b| {
            fill(&mut a.vpc, b.vpc)
        });
        Ok(())
    })
}

/// `describe-vpn-connections`.
pub(crate) fn vpns(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("VpnConnectionId")?;
        if !active(
            &o,
            o.str("State")?,
            "VPN connection",
            id,
            &["available", "pending"],
            sink,
        ) {
            return Ok(());
        }
        let static_only = match o.obj("Options")? {
            Some(op) => op.bool("StaticRoutesOnly")?.unwrap_or(false),
            None => false,
        };
        let mut routes = Vec::new();
        for r in o.list("Routes")? {
            let r = r.obj(file)?;
            let st = r.str("State")?.unwrap_or("available");
            if st == "available" || st == "pending" {
                if let Some(n) = r.net("DestinationCidrBlock")? {
                    routes.push(n);
                }
            }
        }
        // The AWS side's tunnel outside addresses: from the customer gateway
        // configuration XML, else from the tunnels' telemetry (`OutsideIpAddress`).
        let mut outside_ips = Vec::new();
        if let Some(xml) = o.str("CustomerGatewayConfiguration")? {
            match super::cgw_xml::vgw_tunnel_outside_ips(xml) {
                Ok(ips) => outside_ips = ips,
                Err(e) => sink.warnings.push(crate::diag::Diagnostic::warning(
                    file,
                    o.at("CustomerGatewayConfiguration"),
                    format!(
                        "VPN connection {id}: customer gateway configuration XML at {e}; its tunnel outside addresses are read from VgwTelemetry"
                    ),
                )),
            }
        }
        if outside_ips.is_empty() {
            for t in o.list("VgwTelemetry")? {
                let t = t.obj(file)?;
                if let Some(a) = t.str("OutsideIpAddress")? {
                    match a.parse::<Ipv4Addr>() {
                        Ok(ip) => outside_ips.push(ip),
                        Err(_) => sink.warnings.push(t.warn(format!(
                            "VPN connection {id}: tunnel outside address `{a}` is not an IPv4 address: left out"
                        ))),
                    }
                }
            }
        }
        let v = RawVpn {
            c: common(&o, origin)?,
            outside_ips,
            vgw: o.str("VpnGatewayId")?.map(str::to_string),
            tgw: o.str("TransitGatewayId")?.map(str::to_string),
            cgw: o.str("CustomerGatewayId")?.map(str::to_string),
            static_only,
            routes,
        };
        upsert(&mut s.vpns, id.to_string(), v, keep_first);
        Ok(())
    })
}

/// `describe-customer-gateways`.
pub(crate) fn cgws(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("CustomerGatewayId")?;
        if !active(
            &o,
            o.str("State")?,
            "customer gateway",
            id,
            &["available", "pending"],
            sink,
        ) {
            return Ok(());
        }
        let c = RawCgw {
            c: common(&o, origin)?,
            ip: ipaddr(&o, "IpAddress")?,
        };
        upsert(&mut s.cgws, id.to_string(), c, keep_first);
        Ok(())
    })
}

/// `describe-vpc-peering-connections`.
pub(crate) fn peerings(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("VpcPeeringConnectionId")?;
        let code = match o.obj("Status")? {
            Some(st) => st.str("Code")?.map(str::to_string),
            None => None,
        };
        if !active(
            &o,
            code.as_deref(),
            "VPC peering connection",
            id,
            &["active"],
            sink,
        ) {
            return Ok(());
        }
        let side = |k: &str| -> PResult<String> {
            match o.obj(k)? {
                Some(x) => Ok(x.req("VpcId")?.to_string()),
                None => Err(o.err(k, format!("missing required field `{k}`"))),
            }
        };
        let p = RawPeering {
            c: common(&o, origin)?,
            requester: side("RequesterVpcInfo")?,
            accepter: side("AccepterVpcInfo")?,
        };
        upsert(&mut s.peerings, id.to_string(), p, keep_first);
        Ok(())
    })
}

fn cidr_entries(o: &Obj, file: &str) -> PResult<Option<Vec<IpNet>>> {
    if o.get("Cidrs").is_some() {
        let mut v = Vec::new();
        for (i, c) in o.strs("Cidrs")?.into_iter().enumerate() {
            v.push(parse_net(c).ok_or_else(|| {
                o.err(&format!("Cidrs/{i}"), format!("`{c}` is not a CIDR block"))
            })?);
        }
        return Ok(Some(v));
    }
    if o.get("Entries").is_some() {
        let mut v = Vec::new();
        for e in o.list("Entries")? {
            let e = e.obj(file)?;
            if let Some(n) = e.net("Cidr")? {
                v.push(n);
            }
        }
        return Ok(Some(v));
    }
    Ok(None)
}

fn merge_pl(a: &mut RawPrefixList, b: RawPrefixList) {
    fill(&mut a.name, b.name);
    fill(&mut a.entries, b.entries);
    if a.c.tags.is_empty() {
        a.c.tags = b.c.tags;
    }
}

/// `describe-prefix-lists`, `describe-managed-prefix-lists` (entries inline as
/// `Entries`, or from a separate `{"PrefixListId", "Entries"}` object).
pub(crate) fn prefix_lists(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("PrefixListId")?;
        if let Some(st) = o.str("State")? {
            if st.contains("delete") || st.contains("fail") {
                sink.warnings
                    .push(o.warn(format!("prefix list {id} is {st}: left out")));
                return Ok(());
            }
        }
        let p = RawPrefixList {
            c: common(&o, origin)?,
            name: o.str("PrefixListName")?.map(str::to_string),
            entries: cidr_entries(&o, file)?,
        };
        upsert(&mut s.prefix_lists, id.to_string(), p, merge_pl);
        Ok(())
    })
}

/// One `get-managed-prefix-list-entries` result with its `PrefixListId`.
pub(crate) fn prefix_list_entries(
    s: &mut RawSnapshot,
    origin: OriginId,
    o: &Obj,
    file: &str,
) -> PResult<()> {
    let id = o.req("PrefixListId")?;
    let p = RawPrefixList {
        c: common(o, origin)?,
        name: o.str("PrefixListName")?.map(str::to_string),
        entries: cidr_entries(o, file)?,
    };
    upsert(&mut s.prefix_lists, id.to_string(), p, merge_pl);
    Ok(())
}

/// `describe-vpc-endpoints`.
pub(crate) fn endpoints(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("VpcEndpointId")?;
        if !active(
            &o,
            o.str("State")?,
            "VPC endpoint",
            id,
            &["available", "pending", "pendingAcceptance"],
            sink,
        ) {
            return Ok(());
        }
        let t = o.str("VpcEndpointType")?.unwrap_or("Gateway");
        let etype = match t.to_ascii_lowercase().as_str() {
            "gateway" => VpcEndpointType::Gateway,
            "interface" => VpcEndpointType::Interface,
            "gatewayloadbalancer" => VpcEndpointType::GatewayLoadBalancer,
            _ => {
                sink.warnings.push(o.warn(format!(
                    "VPC endpoint {id} of type {t} is not modelled: left out"
                )));
                return Ok(());
            }
        };
        let e = RawEndpoint {
            c: common(&o, origin)?,
            vpc: o.req("VpcId")?.to_string(),
            etype,
            service: o.str("ServiceName")?.map(str::to_string),
            subnets: o
                .strs("SubnetIds")?
                .into_iter()
                .map(str::to_string)
                .collect(),
            enis: o
                .strs("NetworkInterfaceIds")?
                .into_iter()
                .map(str::to_string)
                .collect(),
        };
        upsert(&mut s.endpoints, id.to_string(), e, keep_first);
        Ok(())
    })
}

/// `describe-vpc-endpoint-service-configurations`: which GWLBs serve which service.
pub(crate) fn service_configurations(
    s: &mut RawSnapshot,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, _| {
        if let Some(name) = o.str("ServiceName")? {
            let lbs = o
                .strs("GatewayLoadBalancerArns")?
                .into_iter()
                .map(str::to_string)
                .collect();
            s.endpoint_services.insert(name.to_string(), lbs);
        }
        Ok(())
    })
}

fn eni_from(o: &Obj, origin: OriginId, file: &str, instance: Option<&str>) -> PResult<RawEni> {
    let mut ips: Vec<IpAddr> = Vec::new();
    let mut public_ip = None;
    if let Some(a) = o.obj("Association")? {
        public_ip = ipv4(&a, "PublicIp")?;
    }
    if let Some(p) = ipaddr(o, "PrivateIpAddress")? {
        ips.push(p);
    }
    for p in o.list("PrivateIpAddresses")? {
        let p = p.obj(file)?;
        if let Some(ip) = ipaddr(&p, "PrivateIpAddress")? {
            if !ips.contains(&ip) {
                if p.bool("Primary")? == Some(true) {
                    ips.insert(0, ip);
                } else {
                    ips.push(ip);
                }
            }
        }
        if public_ip.is_none() {
            if let Some(a) = p.obj("Association")? {
                public_ip = ipv4(&a, "PublicIp")?;
            }
        }
    }
    for p in o.list("Ipv6Addresses")? {
        let p = p.obj(file)?;
        if let Some(ip) = ipaddr(&p, "Ipv6Address")? {
            if !ips.contains(&ip) {
                ips.push(ip);
            }
        }
    }
    let mut groups = Vec::new();
    for g in o.list("Groups")? {
        let g = g.obj(file)?;
        if let Some(id) = g.str("GroupId")? {
            groups.push(id.to_string());
        }
    }
    let (mut inst, mut device_index) = (instance.map(str::to_string), None);
    if let Some(a) = o.obj("Attachment")? {
        if inst.is_none() {
            inst = a.str("InstanceId")?.map(str::to_string);
        }
        device_index = a.int("DeviceIndex")?;
    }
    Ok(RawEni {
        c: common(o, origin)?,
        subnet: o.req("SubnetId")?.to_string(),
        instance: inst,
        device_index,
        private_ips: ips,
        public_ip,
        groups,
        source_dest_check: o.bool("SourceDestCheck")?,
        interface_type: o.str("InterfaceType")?.map(str::to_string),
        description: o.str("Description")?.map(str::to_string),
    })
}

fn merge_eni(a: &mut RawEni, b: RawEni) {
    fill(&mut a.instance, b.instance);
    fill(&mut a.device_index, b.device_index);
    fill(&mut a.public_ip, b.public_ip);
    fill(&mut a.source_dest_check, b.source_dest_check);
    fill(&mut a.interface_type, b.interface_type);
    fill(&mut a.description, b.description);
    if a.private_ips.is_empty() {
        a.private_ips = b.private_ips;
    }
    if a.groups.is_empty() {
        a.groups = b.groups;
    }
    if a.c.tags.is_empty() {
        a.c.tags = b.c.tags;
    }
}

/// `describe-network-interfaces`.
pub(crate) fn enis(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, _| {
        let id = o.req("NetworkInterfaceId")?;
        let e = eni_from(&o, origin, file, None)?;
        upsert(&mut s.enis, id.to_string(), e, merge_eni);
        Ok(())
    })
}

fn instance(s: &mut RawSnapshot, origin: OriginId, o: &Obj, file: &str) -> PResult<()> {
    let id = o.req("InstanceId")?;
    let state = match o.obj("State")? {
        Some(st) => st.str("Name")?.map(str::to_string),
        None => None,
    };
    for n in o.list("NetworkInterfaces")? {
        let n = n.obj(file)?;
        let eid = n.req("NetworkInterfaceId")?;
        let mut e = eni_from(&n, origin, file, Some(id))?;
        if e.c.tags.is_empty() {
            e.c.tags = Default::default();
        }
        upsert(&mut s.enis, eid.to_string(), e, merge_eni);
    }
    let i = RawInstance {
        c: common(o, origin)?,
        state,
        source_dest_check: o.bool("SourceDestCheck")?,
    };
    upsert(&mut s.instances, id.to_string(), i, keep_first);
    Ok(())
}

/// `describe-instances` (`Reservations`).
pub(crate) fn reservations(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        each(o.list("Instances")?, file, sink, |i, _| {
            instance(s, origin, &i, file)
        });
        Ok(())
    })
}

/// A bare `Instances` list.
pub(crate) fn instances(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |i, _| instance(s, origin, &i, file))
}

fn sg_rules(o: &Obj, key: &str, file: &str, sink: &mut Sink) -> PResult<Vec<RawSgRule>> {
    let mut out = Vec::new();
    for p in o.list(key)? {
        let p = p.obj(file)?;
        let proto_s = match p.get("IpProtocol") {
            Some(super::value::Json::Number(n)) => n.to_string(),
            _ => p.str("IpProtocol")?.unwrap_or("-1").to_string(),
        };
        let protocol: Protocol = proto_s
            .parse()
            .map_err(|e: String| p.err("IpProtocol", e))?;
        let ports = ports_of(&p, protocol)?;
        let mut peers: Vec<(RawPeer, Option<String>)> = Vec::new();
        for r in p.list("IpRanges")? {
            let r = r.obj(file)?;
            if let Some(n) = r.net("CidrIp")? {
                peers.push((RawPeer::Cidr(n), r.str("Description")?.map(str::to_string)));
            }
        }
        for r in p.list("Ipv6Ranges")? {
            let r = r.obj(file)?;
            if let Some(n) = r.net("CidrIpv6")? {
                peers.push((RawPeer::Cidr(n), r.str("Description")?.map(str::to_string)));
            }
        }
        for r in p.list("PrefixListIds")? {
            let r = r.obj(file)?;
            if let Some(x) = r.str("PrefixListId")? {
                peers.push((
                    RawPeer::PrefixList(x.to_string()),
                    r.str("Description")?.map(str::to_string),
                ));
            }
        }
        for r in p.list("UserIdGroupPairs")? {
            let r = r.obj(file)?;
            if let Some(x) = r.str("GroupId")? {
                peers.push((
                    RawPeer::Group(x.to_string()),
                    r.str("Description")?.map(str::to_string),
                ));
            }
        }
        if peers.is_empty() {
            sink.warnings
                .push(p.warn("security-group rule without a peer: matches nothing"));
        }
        for (peer, description) in peers {
            out.push(RawSgRule {
                path: p.path(),
                protocol,
                ports,
                peer,
                description,
            });
        }
    }
    Ok(out)
}

/// Ports of an SG rule or NACL entry: only TCP/UDP carry ports; -1 or absent means all.
fn ports_of(p: &Obj, protocol: Protocol) -> PResult<PortRange> {
    if !protocol.has_ports() {
        return Ok(PortRange::ANY);
    }
    let (from, to) = (p.int("FromPort")?, p.int("ToPort")?);
    match (from, to) {
        (Some(f), Some(t)) if (0..=65535).contains(&f) && (0..=65535).contains(&t) && f <= t => {
            Ok(PortRange {
                from: f as u16,
                to: t as u16,
            })
        }
        (None, None) | (Some(-1), _) | (_, Some(-1)) => Ok(PortRange::ANY),
        _ => Err(p.err("FromPort", format!("bad port range {from:?}-{to:?}"))),
    }
}

/// Ports of a NACL entry's `PortRange` (`From`/`To`; `FromPort`/`ToPort` accepted).
fn nacl_ports(p: &Obj, protocol: Protocol) -> PResult<PortRange> {
    if !protocol.has_ports() {
        return Ok(PortRange::ANY);
    }
    let from = match p.int("From")? {
        Some(f) => Some(f),
        None => p.int("FromPort")?,
    };
    let to = match p.int("To")? {
        Some(t) => Some(t),
        None => p.int("ToPort")?,
    };
    match (from, to) {
        (Some(f), Some(t)) if (0..=65535).contains(&f) && (0..=65535).contains(&t) && f <= t => {
            Ok(PortRange {
                from: f as u16,
                to: t as u16,
            })
        }
        (None, None) | (Some(-1), _) | (_, Some(-1)) => Ok(PortRange::ANY),
        _ => Err(p.err("From", format!("bad port range {from:?}-{to:?}"))),
    }
}

/// `describe-security-groups`.
pub(crate) fn sgs(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("GroupId")?;
        let g = RawSg {
            c: common(&o, origin)?,
            group_name: o.str("GroupName")?.map(str::to_string),
            vpc: o.str("VpcId")?.map(str::to_string),
            ingress: sg_rules(&o, "IpPermissions", file, sink)?,
            egress: sg_rules(&o, "IpPermissionsEgress", file, sink)?,
        };
        upsert(&mut s.sgs, id.to_string(), g, keep_first);
        Ok(())
    })
}

/// `describe-network-acls`.
pub(crate) fn nacls(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, _| {
        let id = o.req("NetworkAclId")?;
        let mut subnets = Vec::new();
        for a in o.list("Associations")? {
            let a = a.obj(file)?;
            if let Some(sn) = a.str("SubnetId")? {
                subnets.push(sn.to_string());
            }
        }
        let mut entries = Vec::new();
        for e in o.list("Entries")? {
            let e = e.obj(file)?;
            let n = e
                .int("RuleNumber")?
                .ok_or_else(|| e.err("RuleNumber", "missing RuleNumber"))?;
            if !(1..=32766).contains(&n) {
                // 32767 is the implicit default deny; the model denies by default.
                continue;
            }
            let proto_s = match e.get("Protocol") {
                Some(super::value::Json::Number(n)) => n.to_string(),
                _ => e.str("Protocol")?.unwrap_or("-1").to_string(),
            };
            let protocol: Protocol = proto_s.parse().map_err(|m: String| e.err("Protocol", m))?;
            // describe-network-acls writes `PortRange: {From, To}`
            // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PortRange.html).
            let ports = match e.obj("PortRange")? {
                Some(pr) => nacl_ports(&pr, protocol)?,
                None => PortRange::ANY,
            };
            let cidr = match e.net("CidrBlock")? {
                Some(c) => c,
                None => e.net("Ipv6CidrBlock")?.ok_or_else(|| {
                    e.err("CidrBlock", "entry without CidrBlock or Ipv6CidrBlock")
                })?,
            };
            let action = match e.str("RuleAction")?.unwrap_or("") {
                a if a.eq_ignore_ascii_case("allow") => RuleAction::Allow,
                a if a.eq_ignore_ascii_case("deny") => RuleAction::Deny,
                a => return Err(e.err("RuleAction", format!("unknown rule action `{a}`"))),
            };
            entries.push(NetworkAclEntry {
                rule_number: n as u16,
                egress: e.bool("Egress")?.unwrap_or(false),
                protocol,
                ports,
                cidr,
                action,
            });
        }
        let n = RawNacl {
            c: common(&o, origin)?,
            vpc: o.req("VpcId")?.to_string(),
            default: o.bool("IsDefault")?.unwrap_or(false),
            subnets,
            entries,
        };
        upsert(&mut s.nacls, id.to_string(), n, keep_first);
        Ok(())
    })
}

/// `describe-addresses`.
pub(crate) fn addresses(s: &mut RawSnapshot, items: Vec<Located>, file: &str, sink: &mut Sink) {
    each(items, file, sink, |o, _| {
        let Some(public_ip) = ipv4(&o, "PublicIp")? else {
            return Ok(());
        };
        s.eips.push(RawEip {
            eni: o.str("NetworkInterfaceId")?.map(str::to_string),
            private_ip: ipaddr(&o, "PrivateIpAddress")?,
            public_ip,
        });
        Ok(())
    })
}

/// `describe-availability-zones`.
pub(crate) fn azs(
    s: &mut RawSnapshot,
    region: &str,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, _| {
        if let Some(z) = o.str("ZoneName")? {
            if o.str("ZoneType")?.is_none_or(|t| t == "availability-zone") {
                s.azs
                    .entry(region.to_string())
                    .or_default()
                    .insert(z.to_string());
            }
        }
        Ok(())
    })
}

/// `Accounts` (Organizations `list-accounts`, with `Tags` added by the collector).
pub(crate) fn accounts(
    s: &mut RawSnapshot,
    folder: &str,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, _| {
        let a = RawAccount {
            id: o.str("Id")?.map(str::to_string),
            name: o.str("Name")?.map(str::to_string),
            tags: o.tags()?,
        };
        // An entry for this folder's own account, or one naming the folder by id/name.
        let key = if a.id.as_deref() == Some(folder) || a.name.as_deref() == Some(folder) {
            folder.to_string()
        } else {
            a.id.clone()
                .or(a.name.clone())
                .unwrap_or_else(|| folder.to_string())
        };
        s.accounts.insert(key, a);
        Ok(())
    })
}
