//! Parsers for Transit Gateway outputs (`describe-transit-gateway*`,
//! `search-transit-gateway-routes`, `get-transit-gateway-route-table-propagations`,
//! `get-transit-gateway-prefix-list-references`, Batfish's wrappers) and Direct Connect
//! (`describe-direct-connect-gateways`, `…-associations`, `describe-virtual-interfaces`;
//! PascalCase or camelCase keys).

use super::parse_ec2::{active, common, each};
use super::raw::*;
use super::value::{Located, Obj, PResult};
use super::Sink;

fn merge_attachment(a: &mut RawAttachment, b: RawAttachment) {
    fill(&mut a.rtype, b.rtype);
    fill(&mut a.resource, b.resource);
    fill(&mut a.resource_owner, b.resource_owner);
    fill(&mut a.association, b.association);
    fill(&mut a.vpc, b.vpc);
    fill(&mut a.appliance_mode, b.appliance_mode);
    fill(&mut a.peer_tgw, b.peer_tgw);
    fill(&mut a.transport, b.transport);
    if a.subnets.is_empty() {
        a.subnets = b.subnets;
    }
    if a.c.tags.is_empty() {
        a.c.tags = b.c.tags;
    }
}

const ATTACHMENT_OK: &[&str] = &["available", "pending", "modifying", "initiating"];

/// `describe-transit-gateways`.
pub(crate) fn tgws(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("TransitGatewayId")?;
        if !active(
            &o,
            o.str("State")?,
            "transit gateway",
            id,
            &["available", "pending", "modifying"],
            sink,
        ) {
            return Ok(());
        }
        let mut t = RawTgw {
            c: common(&o, origin)?,
            asn: None,
            default_association: false,
            default_propagation: false,
            association_rtb: None,
            propagation_rtb: None,
        };
        if let Some(op) = o.obj("Options")? {
            t.asn = op.int("AmazonSideAsn")?.and_then(|a| u32::try_from(a).ok());
            t.default_association = op.str("DefaultRouteTableAssociation")? == Some("enable");
            t.default_propagation = op.str("DefaultRouteTablePropagation")? == Some("enable");
            t.association_rtb = op
                .str("AssociationDefaultRouteTableId")?
                .map(str::to_string);
            t.propagation_rtb = op
                .str("PropagationDefaultRouteTableId")?
                .map(str::to_string);
        }
        upsert(&mut s.tgws, id.to_string(), t, |a, b| {
            fill(&mut a.asn, b.asn);
            fill(&mut a.association_rtb, b.association_rtb);
            fill(&mut a.propagation_rtb, b.propagation_rtb);
        });
        Ok(())
    })
}

/// `describe-transit-gateway-route-tables`.
pub(crate) fn tgw_rtbs(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("TransitGatewayRouteTableId")?;
        if !active(
            &o,
            o.str("State")?,
            "transit gateway route table",
            id,
            &["available", "pending"],
            sink,
        ) {
            return Ok(());
        }
        let r = RawTgwRtb {
            c: common(&o, origin)?,
            tgw: o.req("TransitGatewayId")?.to_string(),
        };
        upsert(&mut s.tgw_rtbs, id.to_string(), r, keep_first);
        Ok(())
    })
}

fn association(o: &Obj) -> PResult<Option<String>> {
    match o.obj("Association")? {
        Some(a) => {
            let st = a.str("State")?.unwrap_or("associated");
            if st == "associated" || st == "associating" {
                Ok(a.str("TransitGatewayRouteTableId")?.map(str::to_string))
            } else {
                Ok(None)
            }
        }
        None => Ok(None),
    }
}

/// `describe-transit-gateway-attachments`.
pub(crate) fn attachments(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("TransitGatewayAttachmentId")?;
        if !active(
            &o,
            o.str("State")?,
            "transit gateway attachment",
            id,
            ATTACHMENT_OK,
            sink,
        ) {
            return Ok(());
        }
        let tgw = o.req("TransitGatewayId")?.to_string();
        let rtype = o.str("ResourceType")?.map(str::to_string);
        let resource = o.str("ResourceId")?.map(str::to_string);
        let a = RawAttachment {
            c: common(&o, origin)?,
            tgw: tgw.clone(),
            vpc: if rtype.as_deref() == Some("vpc") {
                resource.clone()
            } else {
                None
            },
            peer_tgw: if rtype.as_deref() == Some("peering") {
                resource.clone()
            } else {
                None
            },
            rtype,
            resource,
            resource_owner: o.str("ResourceOwnerId")?.map(str::to_string),
            association: association(&o)?,
            ..Default::default()
        };
        upsert(
            &mut s.attachments,
            (id.to_string(), tgw),
            a,
            merge_attachment,
        );
        Ok(())
    })
}

/// `describe-transit-gateway-vpc-attachments`.
pub(crate) fn vpc_attachments(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("TransitGatewayAttachmentId")?;
        if !active(
            &o,
            o.str("State")?,
            "transit gateway VPC attachment",
            id,
            ATTACHMENT_OK,
            sink,
        ) {
            return Ok(());
        }
        let tgw = o.req("TransitGatewayId")?.to_string();
        let appliance = match o.obj("Options")? {
            Some(op) => op.str("ApplianceModeSupport")?.map(|v| v == "enable"),
            None => None,
        };
        let vpc = o.req("VpcId")?.to_string();
        let a = RawAttachment {
            c: common(&o, origin)?,
            tgw: tgw.clone(),
            rtype: Some("vpc".into()),
            resource: Some(vpc.clone()),
            resource_owner: o.str("VpcOwnerId")?.map(str::to_string),
            vpc: Some(vpc),
            subnets: o
                .strs("SubnetIds")?
                .into_iter()
                .map(str::to_string)
                .collect(),
            appliance_mode: Some(appliance.unwrap_or(false)),
            ..Default::default()
        };
        upsert(&mut s.attachments, (id.to_string(), tgw), a, |a, b| {
            // The VPC-attachment call is authoritative for subnets and appliance mode.
            if !b.subnets.is_empty() {
                a.subnets = b.subnets.clone();
            }
            if b.appliance_mode.is_some() {
                a.appliance_mode = b.appliance_mode;
            }
            merge_attachment(a, b)
        });
        Ok(())
    })
}

/// `describe-transit-gateway-peering-attachments`: one attachment seen from both TGWs.
pub(crate) fn peering_attachments(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("TransitGatewayAttachmentId")?;
        if !active(
            &o,
            o.str("State")?,
            "transit gateway peering attachment",
            id,
            ATTACHMENT_OK,
            sink,
        ) {
            return Ok(());
        }
        let side = |k: &str| -> PResult<(String, Option<String>)> {
            match o.obj(k)? {
                Some(x) => Ok((
                    x.req("TransitGatewayId")?.to_string(),
                    x.str("OwnerId")?.map(str::to_string),
                )),
                None => Err(o.err(k, format!("missing required field `{k}`"))),
            }
        };
        let (req, req_owner) = side("RequesterTgwInfo")?;
        let (acc, acc_owner) = side("AccepterTgwInfo")?;
        for (tgw, peer, peer_owner) in [(&req, &acc, &acc_owner), (&acc, &req, &req_owner)] {
            let a = RawAttachment {
                c: common(&o, origin)?,
                tgw: tgw.clone(),
                rtype: Some("peering".into()),
                resource: Some(peer.clone()),
                resource_owner: peer_owner.clone(),
                peer_tgw: Some(peer.clone()),
                ..Default::default()
            };
            upsert(
                &mut s.attachments,
                (id.to_string(), tgw.clone()),
                a,
                merge_attachment,
            );
        }
        Ok(())
    })
}

/// `describe-transit-gateway-connects`.
pub(crate) fn connects(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("TransitGatewayAttachmentId")?;
        if !active(
            &o,
            o.str("State")?,
            "transit gateway Connect attachment",
            id,
            ATTACHMENT_OK,
            sink,
        ) {
            return Ok(());
        }
        let tgw = o.req("TransitGatewayId")?.to_string();
        let a = RawAttachment {
            c: common(&o, origin)?,
            tgw: tgw.clone(),
            rtype: Some("connect".into()),
            transport: o
                .str("TransportTransitGatewayAttachmentId")?
                .map(str::to_string),
            ..Default::default()
        };
        upsert(
            &mut s.attachments,
            (id.to_string(), tgw),
            a,
            merge_attachment,
        );
        Ok(())
    })
}

/// Batfish's `TransitGatewayPropagations`: `[{TransitGatewayRouteTableId,
/// TransitGatewayRouteTablePropagations: [...]}]`.
pub(crate) fn propagations(s: &mut RawSnapshot, items: Vec<Located>, file: &str, sink: &mut Sink) {
    each(items, file, sink, |o, _| table_propagations(s, &o, file))
}

/// One `get-transit-gateway-route-table-propagations` result with its route table id.
pub(crate) fn table_propagations(s: &mut RawSnapshot, o: &Obj, file: &str) -> PResult<()> {
    let rtb = o.req("TransitGatewayRouteTableId")?;
    for p in o.list("TransitGatewayRouteTablePropagations")? {
        let p = p.obj(file)?;
        let st = p.str("State")?.unwrap_or("enabled");
        if st == "enabled" || st == "enabling" {
            let att = p.req("TransitGatewayAttachmentId")?;
            s.propagations.insert((rtb.to_string(), att.to_string()));
        }
    }
    Ok(())
}

/// Batfish's `TransitGatewayStaticRoutes` (or any list of search results).
pub(crate) fn route_searches(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        table_routes(s, origin, &o, file, sink)
    })
}

/// One `search-transit-gateway-routes` result with its `TransitGatewayRouteTableId`.
pub(crate) fn table_routes(
    s: &mut RawSnapshot,
    origin: OriginId,
    o: &Obj,
    file: &str,
    sink: &mut Sink,
) -> PResult<()> {
    let rtb = o.req("TransitGatewayRouteTableId")?.to_string();
    if o.bool("AdditionalRoutesAvailable")? == Some(true) {
        sink.warnings.push(o.warn(format!(
            "route search of {rtb} was truncated (AdditionalRoutesAvailable): routes may be missing"
        )));
    }
    each(o.list("Routes")?, file, sink, |r, _| {
        let st = r.str("State")?.unwrap_or("active");
        if st != "active" && st != "blackhole" {
            return Ok(());
        }
        let mut attachment = None;
        for a in r.list("TransitGatewayAttachments")? {
            let a = a.obj(file)?;
            if attachment.is_none() {
                attachment = a.str("TransitGatewayAttachmentId")?.map(str::to_string);
            }
        }
        if attachment.is_none() {
            attachment = r.str("TransitGatewayAttachmentId")?.map(str::to_string);
        }
        let dest = match r.net("DestinationCidrBlock")? {
            Some(n) => Some(n),
            None => r.net("DestinationIpv6CidrBlock")?,
        };
        s.tgw_routes.push(RawTgwRoute {
            origin,
            path: r.path(),
            rtb: rtb.clone(),
            dest,
            dest_pl: r.str("PrefixListId")?.map(str::to_string),
            rtype: r.str("Type")?.unwrap_or("static").to_string(),
            blackhole: st == "blackhole",
            attachment,
        });
        Ok(())
    });
    Ok(())
}

/// `get-transit-gateway-prefix-list-references`.
pub(crate) fn pl_references(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, _| {
        let st = o.str("State")?.unwrap_or("available");
        if st == "deleting" {
            return Ok(());
        }
        let attachment = match o.obj("TransitGatewayAttachment")? {
            Some(a) => a.str("TransitGatewayAttachmentId")?.map(str::to_string),
            None => None,
        };
        s.pl_refs.push(RawPlRef {
            origin,
            path: o.path(),
            rtb: o.req("TransitGatewayRouteTableId")?.to_string(),
            pl: o.req("PrefixListId")?.to_string(),
            attachment,
            blackhole: o.bool("Blackhole")?.unwrap_or(false),
        });
        Ok(())
    })
}

/// `describe-direct-connect-gateways`.
pub(crate) fn dxgws(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("DirectConnectGatewayId")?;
        if !active(
            &o,
            o.str("DirectConnectGatewayState")?,
            "Direct Connect gateway",
            id,
            &["available", "pending"],
            sink,
        ) {
            return Ok(());
        }
        let g = RawDxgw {
            c: common(&o, origin)?,
            name: o.str("DirectConnectGatewayName")?.map(str::to_string),
        };
        upsert(&mut s.dxgws, id.to_string(), g, keep_first);
        Ok(())
    })
}

/// `describe-direct-connect-gateway-associations`.
pub(crate) fn dx_associations(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let dxgw = o.req("DirectConnectGatewayId")?;
        let st = o.str("AssociationState")?;
        if !active(
            &o,
            st,
            "Direct Connect gateway association of",
            dxgw,
            &["associated", "associating", "updating"],
            sink,
        ) {
            return Ok(());
        }
        let gateway = match o.obj("AssociatedGateway")? {
            Some(g) => g.str("Id")?.map(str::to_string),
            None => None,
        };
        let gateway = match gateway {
            Some(g) => g,
            None => o.req("VirtualGatewayId")?.to_string(),
        };
        s.dx_assocs.push(RawDxAssoc {
            origin,
            dxgw: dxgw.to_string(),
            gateway,
        });
        Ok(())
    })
}

/// `describe-virtual-interfaces`.
pub(crate) fn vifs(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let id = o.req("VirtualInterfaceId")?;
        if !active(
            &o,
            o.str("VirtualInterfaceState")?,
            "virtual interface",
            id,
            &["available", "pending", "confirming", "verifying"],
            sink,
        ) {
            return Ok(());
        }
        let non_empty = |x: Option<&str>| x.filter(|v| !v.is_empty()).map(str::to_string);
        let v = RawVif {
            c: common(&o, origin)?,
            name: o.str("VirtualInterfaceName")?.map(str::to_string),
            vif_type: o
                .str("VirtualInterfaceType")?
                .unwrap_or("private")
                .to_string(),
            vgw: non_empty(o.str("VirtualGatewayId")?),
            dxgw: non_empty(o.str("DirectConnectGatewayId")?),
            connection: non_empty(o.str("ConnectionId")?),
            customer_address: o
                .str("CustomerAddress")?
                .and_then(|a| a.split('/').next())
                .and_then(|a| a.parse().ok()),
        };
        upsert(&mut s.vifs, id.to_string(), v, keep_first);
        Ok(())
    })
}
