//! Security groups and network ACLs: the decisions, with the rule that made them.
//!
//! - Security groups are stateful and allow-only; a rule names a CIDR, a prefix list or a
//!   security group (which matches the *private* addresses of the group's members)
//!   ("Security group rules", <https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html>).
//!   The reply of an allowed flow is allowed whatever the rules say.
//! - Network ACLs are stateless: rules are evaluated lowest number first, the first match
//!   applies, the final `*` rule denies; checked when traffic enters or leaves a subnet
//!   ("Network ACL rules", <https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html>).
//!   A reply is a packet like any other, evaluated on its (ephemeral) destination port.

use super::{Dataplane, Flow};
use crate::model::{PortRange, Protocol, RuleAction, SecurityGroupRule};
use std::net::IpAddr;

/// Whether a rule's protocol and port range match a packet. ICMP type/code ranges are
/// not modelled: an ICMP rule matches any ICMP packet.
pub(crate) fn proto_port_match(rule_proto: Protocol, ports: &PortRange, f: &Flow) -> bool {
    if !rule_proto.matches(f.protocol) {
        return false;
    }
    if rule_proto.has_ports() {
        ports.contains(f.dst_port)
    } else {
        true
    }
}

impl Dataplane {
    fn sg_rule_matches(&self, r: &SecurityGroupRule, f: &Flow, peer: IpAddr) -> bool {
        if !proto_port_match(r.protocol, &r.ports, f) {
            return false;
        }
        if let Some(c) = r.cidr {
            if c.contains(&peer) {
                return true;
            }
        }
        if let Some(pl) = &r.prefix_list {
            if self.prefix_list_contains(pl, peer) {
                return true;
            }
        }
        if let Some(sg) = &r.security_group {
            // A security-group reference matches the private IPs of the group's members.
            if let Some(members) = self.sg_members.get(sg.as_str()) {
                if members.contains(&peer) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether a prefix list (name or id) contains `ip`.
    pub(crate) fn prefix_list_contains(&self, pl: &str, ip: IpAddr) -> bool {
        self.index
            .get_kind(pl, crate::model::ObjectKind::PrefixList)
            .map(|i| {
                self.model.prefix_lists[i]
                    .entries
                    .iter()
                    .any(|p| p.contains(&ip))
            })
            .unwrap_or(false)
    }

    /// Evaluate the security groups of interface `eni` for a new flow: `Ok(rule)` with the
    /// allowing rule, or `Err(why)`. `ingress` picks inbound rules (peer = source) or
    /// outbound rules (peer = destination). Without `explain` the strings are empty.
    pub fn security_groups_allow(
        &self,
        eni: usize,
        ingress: bool,
        f: &Flow,
        explain: bool,
    ) -> Result<String, String> {
        let Some(e) = self.model.network_interfaces.get(eni) else {
            return Err("unknown interface".into());
        };
        let peer = if ingress { f.src } else { f.dst };
        if e.security_groups.is_empty() {
            // An interface with no security group recorded: nothing filters it (the
            // snapshot did not say); the loader warns about it.
            return Ok("no security group recorded".into());
        }
        for sg_name in &e.security_groups {
            let Some(sgi) = self
                .index
                .get_kind(sg_name, crate::model::ObjectKind::SecurityGroup)
            else {
                continue;
            };
            let sg = &self.model.security_groups[sgi];
            let rules = if ingress { &sg.ingress } else { &sg.egress };
            for r in rules {
                if self.sg_rule_matches(r, f, peer) {
                    if !explain {
                        return Ok(String::new());
                    }
                    let what = r
                        .cidr
                        .map(|c| c.to_string())
                        .or_else(|| r.prefix_list.clone())
                        .or_else(|| r.security_group.clone())
                        .unwrap_or_default();
                    return Ok(format!(
                        "{} {} rule {} {} {}",
                        sg.name,
                        if ingress { "inbound" } else { "outbound" },
                        r.protocol,
                        r.ports,
                        what
                    ));
                }
            }
        }
        if !explain {
            return Err(String::new());
        }
        Err(format!(
            "no {} rule of {} allows {} {}:{}",
            if ingress { "inbound" } else { "outbound" },
            e.security_groups.join(", "),
            f.protocol,
            peer,
            f.dst_port
        ))
    }

    /// Evaluate the network ACL of `subnet` in one direction (`egress` = leaving the
    /// subnet). `Ok(None)` when no NACL is modelled (the default NACL allows all);
    /// `Ok(Some(rule))` / `Err(rule)` with the deciding rule otherwise.
    pub fn network_acl_allows(
        &self,
        subnet: usize,
        egress: bool,
        f: &Flow,
        explain: bool,
    ) -> Result<Option<String>, String> {
        let Some(acl_i) = self.subnet_nacl.get(subnet).copied().flatten() else {
            return Ok(None);
        };
        let acl = &self.model.network_acls[acl_i];
        let peer = if egress { f.dst } else { f.src };
        let mut entries: Vec<_> = acl.entries.iter().filter(|e| e.egress == egress).collect();
        entries.sort_by_key(|e| e.rule_number);
        for e in entries {
            if e.cidr.contains(&peer) && proto_port_match(e.protocol, &e.ports, f) {
                if !explain {
                    return if e.action == RuleAction::Allow {
                        Ok(Some(String::new()))
                    } else {
                        Err(String::new())
                    };
                }
                let text = format!(
                    "{} {} rule {} {} {} {} {}",
                    acl.name,
                    if egress { "outbound" } else { "inbound" },
                    e.rule_number,
                    e.protocol,
                    e.ports,
                    e.cidr,
                    if e.action == RuleAction::Allow {
                        "allow"
                    } else {
                        "deny"
                    }
                );
                return if e.action == RuleAction::Allow {
                    Ok(Some(text))
                } else {
                    Err(text)
                };
            }
        }
        if !explain {
            return Err(String::new());
        }
        Err(format!(
            "{} {} rule * (no rule matched: deny)",
            acl.name,
            if egress { "outbound" } else { "inbound" }
        ))
    }
}
