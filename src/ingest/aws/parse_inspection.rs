//! Parsers for inspection: AWS Network Firewall (`describe-firewall`,
//! `describe-firewall-policy`, `describe-rule-group` responses) and Elastic Load
//! Balancing (`describe-load-balancers`, `describe-target-groups`, target health).
//! Field names: <https://docs.aws.amazon.com/network-firewall/latest/APIReference/>.

use super::parse_ec2::{active, common, each};
use super::raw::*;
use super::value::{parse_net, Obj, PResult};
use super::Sink;
use crate::model::{
    DomainList, FirewallPolicy, PortRange, Protocol, RuleGroup, RuleGroupReference, RuleGroupType,
    RuleOrder, StatefulAction, StatefulDirection, StatefulRule, StatelessRule,
};
use ipnet::IpNet;
use std::collections::BTreeMap;

/// One `describe-firewall` response (`Firewall` + `FirewallStatus`).
pub(crate) fn firewall(
    s: &mut RawSnapshot,
    origin: OriginId,
    root: &Obj,
    file: &str,
    sink: &mut Sink,
) -> PResult<()> {
    let Some(f) = root.obj("Firewall")? else {
        return Ok(());
    };
    let name = f.req("FirewallName")?;
    let arn = f.str("FirewallArn")?.unwrap_or(name);
    let mut endpoints = Vec::new();
    match root.obj("FirewallStatus")? {
        Some(st) => {
            if !active(&st, st.str("Status")?, "firewall", name, &["READY", "PROVISIONING"], sink) {
                return Ok(());
            }
            if let Some(sync) = st.obj("SyncStates")? {
                for az in sync.map.keys_sorted() {
                    let Some(state) = sync.obj(az)? else { continue };
                    let Some(att) = state.obj("Attachment")? else { continue };
                    let (Some(subnet), Some(ep)) = (att.str("SubnetId")?, att.str("EndpointId")?) else {
                        sink.warnings.push(att.warn(format!(
                            "firewall {name} has no endpoint in {az} yet: left out"
                        )));
                        continue;
                    };
                    let ok = att.str("Status")?.unwrap_or("READY");
                    if !["READY", "SCALING", "CREATING"].contains(&ok) {
                        sink.warnings.push(att.warn(format!(
                            "firewall endpoint {ep} of {name} is {ok}: left out"
                        )));
                        continue;
                    }
                    endpoints.push((az.to_string(), subnet.to_string(), ep.to_string()));
                }
            }
        }
        None => sink.warnings.push(root.warn(format!(
            "firewall {name}: no FirewallStatus, so its endpoints are unknown (routes to them are left out)"
        ))),
    }
    if endpoints.is_empty() && root.get("FirewallStatus").is_some() {
        sink.warnings
            .push(root.warn(format!("firewall {name} has no ready endpoint")));
    }
    let fw = RawFirewall {
        c: Common {
            origin,
            path: f.path(),
            tags: f.tags()?,
            owner: None,
        },
        name: name.to_string(),
        vpc: f.req("VpcId")?.to_string(),
        policy_arn: f.req("FirewallPolicyArn")?.to_string(),
        endpoints,
    };
    let _ = file;
    upsert(&mut s.firewalls, arn.to_string(), fw, keep_first);
    Ok(())
}

fn arn_refs(o: &Obj, key: &str, file: &str) -> PResult<Vec<RuleGroupReference>> {
    let mut out = Vec::new();
    for r in o.list(key)? {
        let r = r.obj(file)?;
        out.push(RuleGroupReference {
            rule_group: r.req("ResourceArn")?.to_string(),
            priority: r.int("Priority")?.and_then(|p| u32::try_from(p).ok()),
        });
    }
    Ok(out)
}

/// One `describe-firewall-policy` response (`FirewallPolicy` + `FirewallPolicyResponse`).
pub(crate) fn policy(s: &mut RawSnapshot, origin: OriginId, root: &Obj, file: &str) -> PResult<()> {
    let Some(resp) = root.obj("FirewallPolicyResponse")? else {
        return Err(root.err(
            "FirewallPolicyResponse",
            "FirewallPolicy without FirewallPolicyResponse: its name and ARN are unknown",
        ));
    };
    let Some(p) = root.obj("FirewallPolicy")? else {
        return Err(root.err("FirewallPolicy", "expected an object"));
    };
    let name = resp.req("FirewallPolicyName")?;
    let arn = resp.str("FirewallPolicyArn")?.unwrap_or(name);
    let order = match p.obj("StatefulEngineOptions")? {
        Some(e) => match e.str("RuleOrder")? {
            Some("STRICT_ORDER") => RuleOrder::StrictOrder,
            _ => RuleOrder::DefaultActionOrder,
        },
        None => RuleOrder::DefaultActionOrder,
    };
    let strs = |k: &str| -> PResult<Vec<String>> {
        Ok(p.strs(k)?.into_iter().map(str::to_string).collect())
    };
    let policy = FirewallPolicy {
        name: name.to_string(),
        id: Some(arn.to_string()),
        stateless_default_actions: strs("StatelessDefaultActions")?,
        stateless_fragment_default_actions: strs("StatelessFragmentDefaultActions")?,
        stateless_rule_groups: arn_refs(&p, "StatelessRuleGroupReferences", file)?,
        stateful_rule_groups: arn_refs(&p, "StatefulRuleGroupReferences", file)?,
        stateful_rule_order: order,
        stateful_default_actions: strs("StatefulDefaultActions")?,
    };
    let c = Common {
        origin,
        path: root.path(),
        tags: resp.tags()?,
        owner: None,
    };
    upsert(
        &mut s.policies,
        arn.to_string(),
        RawPolicy { c, policy },
        keep_first,
    );
    Ok(())
}

/// Rule variables: `$NAME` → definitions.
type Vars = BTreeMap<String, Vec<String>>;

fn variables(g: &Obj, file: &str) -> PResult<(Vars, Vars)> {
    let mut ips = Vars::new();
    let mut ports = Vars::new();
    if let Some(v) = g.obj("RuleVariables")? {
        for (key, out, def) in [
            ("IPSets", &mut ips, "Definition"),
            ("PortSets", &mut ports, "Definition"),
        ] {
            if let Some(sets) = v.obj(key)? {
                for name in sets.map.keys_sorted() {
                    if let Some(set) = sets.obj(name)? {
                        out.insert(
                            name.to_string(),
                            set.strs(def)?.into_iter().map(str::to_string).collect(),
                        );
                    }
                }
            }
        }
    }
    let _ = file;
    Ok((ips, ports))
}

/// Resolve an address field: `ANY`, a CIDR, or `$VAR`. `Err(reason)` when not modelled.
fn addresses(v: &str, vars: &Vars) -> Result<Vec<Option<IpNet>>, String> {
    let t = v.trim();
    if t.eq_ignore_ascii_case("any") {
        return Ok(vec![None]);
    }
    if let Some(name) = t.strip_prefix('$') {
        let Some(defs) = vars.get(name) else {
            return Err(format!(
                "uses variable ${name}, which the rule group does not define (HOME_NET defaults to the firewall VPC's CIDR)"
            ));
        };
        return defs
            .iter()
            .map(|d| {
                parse_net(d)
                    .map(Some)
                    .ok_or_else(|| format!("`{d}` in ${name} is not a CIDR"))
            })
            .collect();
    }
    parse_net(t).map(|n| vec![Some(n)]).ok_or_else(|| {
        format!("address `{t}` is not modelled (only ANY, a CIDR or an IP-set variable)")
    })
}

fn ports(v: &str, vars: &Vars) -> Result<Vec<PortRange>, String> {
    let t = v.trim();
    if let Some(name) = t.strip_prefix('$') {
        let Some(defs) = vars.get(name) else {
            return Err(format!("uses undefined port variable ${name}"));
        };
        return defs.iter().map(|d| d.parse::<PortRange>()).collect();
    }
    t.parse::<PortRange>().map(|p| vec![p])
}

fn header_protocol(p: &str) -> Result<(Protocol, Option<String>), String> {
    match p.to_ascii_uppercase().as_str() {
        "IP" => Ok((Protocol::All, None)),
        "TCP" => Ok((Protocol::Tcp, None)),
        "UDP" => Ok((Protocol::Udp, None)),
        "ICMP" => Ok((Protocol::Icmp, None)),
        "ICMPV6" | "IPV6-ICMP" => Ok((Protocol::Icmpv6, None)),
        "HTTP" | "TLS" | "SSH" | "FTP" | "SMTP" | "IMAP" | "SMB" | "HTTP2" | "QUIC" => Ok((
            Protocol::Tcp,
            Some(format!(
                "application protocol {p} is approximated by TCP on the given ports"
            )),
        )),
        "DNS" | "NTP" | "DHCP" | "TFTP" | "IKEV2" | "KRB5" | "MSN" => Ok((
            Protocol::Udp,
            Some(format!(
                "application protocol {p} is approximated by UDP on the given ports"
            )),
        )),
        other => Err(format!("protocol {other} is not modelled")),
    }
}

fn stateful_rules(
    rs: &Obj,
    vars: &(Vars, Vars),
    file: &str,
    sink: &mut Sink,
) -> PResult<Vec<StatefulRule>> {
    let mut out = Vec::new();
    for r in rs.list("StatefulRules")? {
        let r = r.obj(file)?;
        let action = match r.req("Action")?.to_ascii_uppercase().as_str() {
            "PASS" => StatefulAction::Pass,
            "DROP" => StatefulAction::Drop,
            "REJECT" => StatefulAction::Reject,
            "ALERT" => StatefulAction::Alert,
            other => {
                sink.warnings.push(r.warn(format!(
                    "stateful action {other} is not modelled: rule left out"
                )));
                continue;
            }
        };
        let Some(h) = r.obj("Header")? else {
            return Err(r.err("Header", "stateful rule without Header"));
        };
        let mut sid = None;
        for opt in r.list("RuleOptions")? {
            let opt = opt.obj(file)?;
            if opt.str("Keyword")? == Some("sid") {
                sid = opt
                    .strs("Settings")?
                    .first()
                    .and_then(|s| s.trim().parse().ok());
            }
        }
        let built = (|| -> Result<Vec<StatefulRule>, String> {
            let (protocol, note) =
                header_protocol(h.str("Protocol").ok().flatten().unwrap_or("IP"))?;
            if let Some(n) = note {
                sink.warnings.push(r.warn(n));
            }
            let g = |k: &str| h.str(k).ok().flatten().unwrap_or("ANY").to_string();
            let srcs = addresses(&g("Source"), &vars.0)?;
            let dsts = addresses(&g("Destination"), &vars.0)?;
            let sps = ports(&g("SourcePort"), &vars.1)?;
            let dps = ports(&g("DestinationPort"), &vars.1)?;
            let direction = if g("Direction").eq_ignore_ascii_case("ANY") {
                StatefulDirection::Any
            } else {
                StatefulDirection::Forward
            };
            let mut v = Vec::new();
            for s in &srcs {
                for d in &dsts {
                    for sp in &sps {
                        for dp in &dps {
                            v.push(StatefulRule {
                                action,
                                protocol,
                                source: *s,
                                source_port: *sp,
                                destination: *d,
                                destination_port: *dp,
                                direction,
                                sid,
                            });
                        }
                    }
                }
            }
            if v.len() > 4096 {
                return Err("expands to more than 4096 5-tuple rules".into());
            }
            Ok(v)
        })();
        match built {
            Ok(v) => out.extend(v),
            Err(m) => sink
                .warnings
                .push(r.warn(format!("stateful rule not modelled: {m}; rule left out"))),
        }
    }
    Ok(out)
}

fn stateless_rules(sr: &Obj, file: &str, sink: &mut Sink) -> PResult<Vec<StatelessRule>> {
    let mut out = Vec::new();
    for r in sr.list("StatelessRules")? {
        let r = r.obj(file)?;
        let priority = r
            .int("Priority")?
            .and_then(|p| u32::try_from(p).ok())
            .unwrap_or(0);
        let Some(d) = r.obj("RuleDefinition")? else {
            return Err(r.err("RuleDefinition", "stateless rule without RuleDefinition"));
        };
        let actions = d.strs("Actions")?.into_iter().map(str::to_string).collect();
        let Some(m) = d.obj("MatchAttributes")? else {
            return Err(d.err("MatchAttributes", "stateless rule without MatchAttributes"));
        };
        let nets = |k: &str| -> PResult<Vec<IpNet>> {
            let mut v = Vec::new();
            for a in m.list(k)? {
                let a = a.obj(file)?;
                if let Some(n) = a.net("AddressDefinition")? {
                    v.push(n);
                }
            }
            Ok(v)
        };
        let prs = |k: &str| -> PResult<Vec<PortRange>> {
            let mut v = Vec::new();
            for a in m.list(k)? {
                let a = a.obj(file)?;
                let f = a.int("FromPort")?.unwrap_or(0).clamp(0, 65535) as u16;
                let t = a.int("ToPort")?.unwrap_or(65535).clamp(0, 65535) as u16;
                v.push(PortRange {
                    from: f,
                    to: t.max(f),
                });
            }
            Ok(v)
        };
        let mut protocols = Vec::new();
        for p in m.list("Protocols")? {
            match p.value.as_i64() {
                Some(n) if (0..=255).contains(&n) => protocols.push(Protocol::from_number(n as u8)),
                _ => return Err(m.err("Protocols", "expected protocol numbers 0-255")),
            }
        }
        if !m.list("TCPFlags")?.is_empty() {
            sink.warnings
                .push(m.warn("TCP flag matches are not modelled: the rule matches every TCP packet of the 5-tuple"));
        }
        out.push(StatelessRule {
            priority,
            actions,
            sources: nets("Sources")?,
            destinations: nets("Destinations")?,
            source_ports: prs("SourcePorts")?,
            destination_ports: prs("DestinationPorts")?,
            protocols,
        });
    }
    Ok(out)
}

/// One `describe-rule-group` response (`RuleGroup` + `RuleGroupResponse`).
pub(crate) fn rule_group(
    s: &mut RawSnapshot,
    root: &Obj,
    file: &str,
    sink: &mut Sink,
) -> PResult<()> {
    let Some(resp) = root.obj("RuleGroupResponse")? else {
        return Err(root.err(
            "RuleGroupResponse",
            "RuleGroup without RuleGroupResponse: its name and type are unknown",
        ));
    };
    let Some(g) = root.obj("RuleGroup")? else {
        return Err(root.err("RuleGroup", "expected an object"));
    };
    let name = resp.req("RuleGroupName")?;
    let arn = resp.str("RuleGroupArn")?.unwrap_or(name);
    let group_type = match resp.str("Type")?.unwrap_or("STATEFUL") {
        "STATELESS" => RuleGroupType::Stateless,
        _ => RuleGroupType::Stateful,
    };
    let vars = variables(&g, file)?;
    let mut rg = RuleGroup {
        name: name.to_string(),
        id: Some(arn.to_string()),
        group_type,
        stateless_rules: Vec::new(),
        stateful_rules: Vec::new(),
        domain_list: None,
        rules_string: None,
    };
    if let Some(src) = g.obj("RulesSource")? {
        if let Some(rs) = src.str("RulesString")? {
            rg.rules_string = Some(rs.to_string());
            sink.warnings.push(src.warn(format!(
                "rule group {name}: Suricata rules strings are recorded, not evaluated"
            )));
        }
        if let Some(l) = src.obj("RulesSourceList")? {
            rg.domain_list = Some(DomainList {
                targets: l.strs("Targets")?.into_iter().map(str::to_string).collect(),
                target_types: l
                    .strs("TargetTypes")?
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
                generated_rules_type: l.str("GeneratedRulesType")?.unwrap_or("").to_string(),
            });
            sink.warnings.push(src.warn(format!(
                "rule group {name}: domain lists are recorded, not evaluated on IP flows"
            )));
        }
        rg.stateful_rules = stateful_rules(&src, &vars, file, sink)?;
        if let Some(sl) = src.obj("StatelessRulesAndCustomActions")? {
            rg.stateless_rules = stateless_rules(&sl, file, sink)?;
        }
    }
    upsert(
        &mut s.rule_groups,
        arn.to_string(),
        RawRuleGroup { group: rg },
        keep_first,
    );
    Ok(())
}

/// `describe-load-balancers` (ELBv2).
pub(crate) fn load_balancers(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<super::value::Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        let arn = o.req("LoadBalancerArn")?;
        let name = o.str("LoadBalancerName")?.unwrap_or(arn);
        let state = match o.obj("State")? {
            Some(st) => st.str("Code")?.map(str::to_string),
            None => None,
        };
        if !active(
            &o,
            state.as_deref(),
            "load balancer",
            name,
            &["active", "provisioning", "active_impaired"],
            sink,
        ) {
            return Ok(());
        }
        let mut subnets = Vec::new();
        let mut addresses = Vec::new();
        for z in o.list("AvailabilityZones")? {
            let z = z.obj(file)?;
            if let Some(sn) = z.str("SubnetId")? {
                subnets.push(sn.to_string());
                let mut addrs = Vec::new();
                for a in z.list("LoadBalancerAddresses")? {
                    let a = a.obj(file)?;
                    let v4 = |k: &str| -> PResult<Option<std::net::Ipv4Addr>> {
                        match a.str(k)? {
                            None => Ok(None),
                            Some(t) => t
                                .parse()
                                .map(Some)
                                .map_err(|_| a.err(k, format!("`{t}` is not an IPv4 address"))),
                        }
                    };
                    addrs.push((v4("PrivateIPv4Address")?, v4("IpAddress")?));
                }
                addresses.push((sn.to_string(), addrs));
            }
        }
        let lb = RawLb {
            c: common(&o, origin)?,
            name: name.to_string(),
            lb_type: o.str("Type")?.unwrap_or("classic").to_string(),
            vpc: o.str("VpcId")?.map(str::to_string),
            subnets,
            scheme: o.str("Scheme")?.map(str::to_string),
            addresses,
            groups: o
                .strs("SecurityGroups")?
                .into_iter()
                .map(str::to_string)
                .collect(),
        };
        upsert(&mut s.lbs, arn.to_string(), lb, keep_first);
        Ok(())
    })
}

/// `describe-target-groups`.
pub(crate) fn target_groups(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<super::value::Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, _| {
        let arn = o.req("TargetGroupArn")?;
        let port = match o.int("Port")? {
            Some(p) => Some(
                u16::try_from(p).map_err(|_| o.err("Port", format!("port {p} out of range")))?,
            ),
            None => None,
        };
        let tg = RawTargetGroup {
            c: common(&o, origin)?,
            lbs: o
                .strs("LoadBalancerArns")?
                .into_iter()
                .map(str::to_string)
                .collect(),
            name: o.str("TargetGroupName")?.map(str::to_string),
            vpc: o.str("VpcId")?.map(str::to_string),
            protocol: o.str("Protocol")?.map(str::to_string),
            port,
            target_type: o.str("TargetType")?.map(str::to_string),
        };
        upsert(&mut s.target_groups, arn.to_string(), tg, keep_first);
        Ok(())
    })
}

/// A port given as a number or a string (`"22"`, `HealthCheckPort` style).
fn port_of(o: &Obj, key: &str) -> PResult<Option<u16>> {
    match o.get(key) {
        None | Some(super::value::Json::Null) => Ok(None),
        Some(super::value::Json::String(t)) => t
            .parse()
            .map(Some)
            .map_err(|_| o.err(key, format!("`{t}` is not a port"))),
        Some(_) => match o.int(key)? {
            Some(p) => u16::try_from(p)
                .map(Some)
                .map_err(|_| o.err(key, format!("port {p} out of range"))),
            None => Ok(None),
        },
    }
}

/// `describe-listeners` output (`Listeners`, each with its `LoadBalancerArn`), or
/// Batfish's `LoadBalancerListeners` wrapper (`[{LoadBalancerArn, Listeners[]}]`).
pub(crate) fn listeners(
    s: &mut RawSnapshot,
    origin: OriginId,
    items: Vec<super::value::Located>,
    file: &str,
    sink: &mut Sink,
    wrapped: bool,
) {
    each(items, file, sink, |o, sink| {
        if wrapped {
            let lb = o.req("LoadBalancerArn")?.to_string();
            let inner = o.list("Listeners")?;
            for l in inner {
                let l = l.obj(file)?;
                listener(s, origin, &l, Some(&lb), file)?;
            }
            let _ = sink;
            Ok(())
        } else {
            listener(s, origin, &o, None, file)
        }
    })
}

fn listener(
    s: &mut RawSnapshot,
    origin: OriginId,
    o: &Obj,
    lb: Option<&str>,
    file: &str,
) -> PResult<()> {
    let lb = match (o.str("LoadBalancerArn")?, lb) {
        (Some(a), _) => a.to_string(),
        (None, Some(a)) => a.to_string(),
        (None, None) => return Err(o.err("LoadBalancerArn", "missing LoadBalancerArn")),
    };
    let mut target_groups = Vec::new();
    let mut other_actions = Vec::new();
    let mut actions: Vec<(i64, Obj)> = Vec::new();
    for (i, a) in o.list("DefaultActions")?.into_iter().enumerate() {
        let a = a.obj(file)?;
        let order = a.int("Order")?.unwrap_or(i as i64);
        actions.push((order, a));
    }
    actions.sort_by_key(|(k, _)| *k);
    for (_, a) in &actions {
        let ty = a.str("Type")?.unwrap_or("forward");
        if !ty.eq_ignore_ascii_case("forward") {
            other_actions.push(ty.to_string());
            continue;
        }
        if let Some(tg) = a.str("TargetGroupArn")? {
            target_groups.push(tg.to_string());
        } else if let Some(fc) = a.obj("ForwardConfig")? {
            for t in fc.list("TargetGroups")? {
                let t = t.obj(file)?;
                if let Some(tg) = t.str("TargetGroupArn")? {
                    target_groups.push(tg.to_string());
                }
            }
        }
    }
    let port = match o.int("Port")? {
        Some(p) => {
            Some(u16::try_from(p).map_err(|_| o.err("Port", format!("port {p} out of range")))?)
        }
        None => None,
    };
    let l = RawListener {
        c: common(o, origin)?,
        id: o.str("ListenerArn")?.map(str::to_string),
        protocol: o.str("Protocol")?.unwrap_or("TCP").to_string(),
        port,
        target_groups,
        other_actions,
    };
    s.listeners.entry(lb).or_default().push(l);
    Ok(())
}

/// Batfish's `LoadBalancerAttributes` wrapper (`[{LoadBalancerArn, Attributes[]}]`)
/// and lztwin's `TargetGroupAttributes` (`[{TargetGroupArn, Attributes[]}]`).
pub(crate) fn elb_attributes(
    s: &mut RawSnapshot,
    items: Vec<super::value::Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, _| {
        let arn = match o.str("LoadBalancerArn")? {
            Some(a) => a,
            None => o.req("TargetGroupArn")?,
        };
        let entry = s.elb_attributes.entry(arn.to_string()).or_default();
        for a in o.list("Attributes")? {
            let a = a.obj(file)?;
            if let (Some(k), Some(v)) = (a.str("Key")?, a.str("Value")?) {
                entry.entry(k.to_string()).or_insert_with(|| v.to_string());
            }
        }
        Ok(())
    })
}

/// One `describe-target-health` result with its `TargetGroupArn`.
pub(crate) fn target_health(
    s: &mut RawSnapshot,
    o: &Obj,
    file: &str,
    sink: &mut Sink,
) -> PResult<()> {
    let tg = o.req("TargetGroupArn")?.to_string();
    s.target_health.entry(tg.clone()).or_default();
    let mut errs = Vec::new();
    for d in o.list("TargetHealthDescriptions")? {
        let d = d.obj(file)?;
        let Some(t) = d.obj("Target")? else { continue };
        let Some(id) = t.str("Id")? else { continue };
        let state = match d.obj("TargetHealth")? {
            Some(h) => h.str("State")?.unwrap_or("healthy").to_string(),
            None => "healthy".to_string(),
        };
        s.targets.entry(tg.clone()).or_default().push(RawLbTarget {
            id: id.to_string(),
            port: port_of(&t, "Port")?,
            state: state.clone(),
        });
        let entry = s.target_health.entry(tg.clone()).or_default();
        if state == "healthy" || state == "unavailable" {
            entry.insert(id.to_string());
        } else {
            errs.push(d.warn(format!("target {id} of {tg} is {state}: not used")));
        }
    }
    sink.warnings.extend(errs);
    Ok(())
}

/// Batfish's `LoadBalancerTargetHealth` wrapper: a list of target-health results.
pub(crate) fn target_health_list(
    s: &mut RawSnapshot,
    items: Vec<super::value::Located>,
    file: &str,
    sink: &mut Sink,
) {
    each(items, file, sink, |o, sink| {
        target_health(s, &o, file, sink)
    })
}

#[cfg(test)]
mod tests {
    use crate::ingest::aws::{load_sources, SourceFile};

    fn file(name: &str, v: serde_json::Value) -> SourceFile {
        SourceFile {
            display: name.to_string(),
            account: "default".into(),
            region: "us-east-1".into(),
            bytes: serde_json::to_vec(&v).unwrap(),
        }
    }

    /// One VPC and subnet, an NLB with one node, its target group and a target.
    fn base() -> Vec<SourceFile> {
        let lb = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/lb/abc";
        let tg = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/def";
        vec![
            file(
                "Vpcs.json",
                serde_json::json!({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}),
            ),
            file(
                "Subnets.json",
                serde_json::json!({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"}]}),
            ),
            file(
                "NetworkInterfaces.json",
                serde_json::json!({"NetworkInterfaces": [
                    {"NetworkInterfaceId": "eni-lb", "SubnetId": "subnet-1", "InterfaceType": "network_load_balancer", "Description": "ELB net/lb/abc", "PrivateIpAddress": "10.0.0.5", "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.0.5", "Primary": true}], "Groups": []},
                    {"NetworkInterfaceId": "eni-web", "SubnetId": "subnet-1", "InterfaceType": "interface", "PrivateIpAddress": "10.0.0.9", "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.0.9", "Primary": true}], "Groups": [], "Attachment": {"InstanceId": "i-web", "DeviceIndex": 0}}
                ]}),
            ),
            file(
                "LoadBalancers.json",
                serde_json::json!({"LoadBalancers": [{"LoadBalancerArn": lb, "LoadBalancerName": "lb", "Type": "network", "Scheme": "internal", "VpcId": "vpc-1", "State": {"Code": "active"}, "AvailabilityZones": [{"SubnetId": "subnet-1", "ZoneName": "us-east-1a", "LoadBalancerAddresses": []}]}]}),
            ),
            file(
                "TargetGroups.json",
                serde_json::json!({"TargetGroups": [{"TargetGroupArn": tg, "TargetGroupName": "tg", "Protocol": "TCP", "Port": 80, "TargetType": "instance", "VpcId": "vpc-1", "LoadBalancerArns": [lb]}]}),
            ),
            file(
                "TargetHealth.json",
                serde_json::json!({"LoadBalancerTargetHealth": [{"TargetGroupArn": tg, "TargetHealthDescriptions": [{"Target": {"Id": "i-web", "Port": 8080}, "TargetHealth": {"State": "unhealthy"}}]}]}),
            ),
        ]
    }

    #[test]
    fn describe_listeners_output_and_its_wrapper_read_the_same() {
        let lb = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/lb/abc";
        let tg = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/def";
        let listener = serde_json::json!({"LoadBalancerArn": lb, "Port": 80, "Protocol": "TCP",
            "DefaultActions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": tg, "Weight": 1}]}}]});
        let mut raw = base();
        raw.push(file(
            "Listeners.json",
            serde_json::json!({"Listeners": [listener.clone()]}),
        ));
        let mut wrapped = base();
        let mut inner = listener.clone();
        inner.as_object_mut().unwrap().remove("LoadBalancerArn");
        wrapped.push(file(
            "LoadBalancerListeners.json",
            serde_json::json!({"LoadBalancerListeners": [{"LoadBalancerArn": lb, "Listeners": [inner]}]}),
        ));
        let a = load_sources(&raw, "s").expect("loads").model;
        let b = load_sources(&wrapped, "s").expect("loads").model;
        assert_eq!(a, b);
        let nlb = &a.network_load_balancers[0];
        assert_eq!(nlb.nodes, vec!["eni-lb".to_string()]);
        assert!(!nlb.cross_zone);
        assert_eq!(nlb.listeners[0].port, 80);
        let g = &a.target_groups[0];
        assert_eq!(g.name, "tg");
        assert_eq!(g.targets.len(), 1);
        assert_eq!(g.targets[0].port, Some(8080));
        assert!(!g.targets[0].healthy);
        let node = a
            .network_interfaces
            .iter()
            .find(|e| e.name == "eni-lb")
            .unwrap();
        assert_eq!(node.role, crate::model::InterfaceRole::LoadBalancer);
    }

    #[test]
    fn what_an_nlb_cannot_model_is_a_located_warning() {
        let lb = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/lb/abc";
        let mut files = base();
        files.push(file(
            "Listeners.json",
            serde_json::json!({"Listeners": [
                {"LoadBalancerArn": lb, "Port": 8443, "Protocol": "HTTPS", "DefaultActions": []},
                {"LoadBalancerArn": lb, "Port": 53, "Protocol": "UDP", "DefaultActions": [{"Type": "fixed-response"}]}
            ]}),
        ));
        let l = load_sources(&files, "s").expect("loads");
        let w: Vec<String> = l.warnings.iter().map(|d| d.to_string()).collect();
        assert!(
            w.iter()
                .any(|d| d.contains("Listeners.json") && d.contains("HTTPS")),
            "{w:?}"
        );
        assert!(
            w.iter()
                .any(|d| d.contains("`fixed-response` is not modelled")),
            "{w:?}"
        );
        assert!(w.iter().any(|d| d.contains("no forward action")), "{w:?}");
        assert!(l.model.network_load_balancers[0].listeners.is_empty());
        // A listener whose port is not a number is an error with its place.
        let mut files = base();
        files.push(file(
            "Listeners.json",
            serde_json::json!({"Listeners": [{"LoadBalancerArn": lb, "Port": 70000, "Protocol": "TCP"}]}),
        ));
        let e = load_sources(&files, "s").unwrap_err();
        assert!(format!("{e:?}").contains("out of range"), "{e:?}");
    }

    #[test]
    fn bad_customer_gateway_xml_falls_back_to_telemetry_with_a_warning() {
        let mut files = base();
        files.push(file(
            "Vpn.json",
            serde_json::json!({
                "VpnGateways": [{"VpnGatewayId": "vgw-1", "State": "available", "VpcAttachments": [{"VpcId": "vpc-1", "State": "attached"}]}],
                "VpnConnections": [{"VpnConnectionId": "vpn-1", "VpnGatewayId": "vgw-1", "CustomerGatewayId": "cgw-1", "State": "available",
                    "CustomerGatewayConfiguration": "<vpn_connection>\n<ipsec_tunnel></vpn_connection>",
                    "VgwTelemetry": [{"OutsideIpAddress": "3.3.3.3"}]}],
                "CustomerGateways": [{"CustomerGatewayId": "cgw-1", "IpAddress": "1.1.1.1", "State": "available"}]
            }),
        ));
        let l = load_sources(&files, "s").expect("loads");
        let w: Vec<String> = l.warnings.iter().map(|d| d.to_string()).collect();
        assert!(
            w.iter().any(|d| d.contains("Vpn.json")
                && d.contains("CustomerGatewayConfiguration")
                && d.contains("2:")),
            "{w:?}"
        );
        let c = &l.model.vpn_gateways[0].connections[0];
        assert_eq!(
            c.tunnel_outside_ips,
            vec!["3.3.3.3".parse::<std::net::Ipv4Addr>().unwrap()]
        );
    }
}
