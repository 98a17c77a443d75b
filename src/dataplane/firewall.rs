//! AWS Network Firewall policy evaluation for one packet.
//!
//! - Stateless engine: rule groups by priority (lowest first), rules by priority; the
//!   first match's standard action (`aws:pass`, `aws:drop`, `aws:forward_to_sfe`)
//!   decides; no match → the policy's `StatelessDefaultActions`
//!   ("Stateless rule groups", <https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateless-rule-groups-standard.html>).
//! - Stateful engine (only for `aws:forward_to_sfe`): in `STRICT_ORDER`, groups by
//!   priority and rules in the order written, first pass/drop/reject decides, then the
//!   stateful default actions (`aws:drop_strict`, `aws:drop_established` drop; alerts
//!   pass); in `DEFAULT_ACTION_ORDER`, any matching pass wins, then drop/reject, else pass
//!   ("Evaluation order for stateful rule groups",
//!   <https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html>).
//! - 5-tuple rules only. Domain-list and Suricata-string rule groups are recorded but
//!   not evaluated; compile warns about each.

use super::{Dataplane, Flow};
use crate::model::{
    FirewallPolicy, PortRange, Protocol, RuleGroup, RuleOrder, StatefulAction, StatefulDirection,
};

/// The decision of a firewall for one packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirewallDecision {
    /// Whether the packet passes.
    pub pass: bool,
    /// Whether the stateful engine handled the packet (so it keeps state for the flow).
    pub stateful: bool,
    /// The rule or default action that decided.
    pub rule: String,
}

fn stateless_action(actions: &[String]) -> &str {
    actions
        .iter()
        .map(String::as_str)
        .find(|a| matches!(*a, "aws:pass" | "aws:drop" | "aws:forward_to_sfe"))
        // A policy must name one; a snapshot without it forwards to the stateful engine.
        .unwrap_or("aws:forward_to_sfe")
}

fn ports_match(ranges: &[PortRange], port: u16) -> bool {
    ranges.is_empty() || ranges.iter().any(|r| r.contains(port))
}

/// A firewall policy's rule groups in evaluation order, resolved once per dataplane
/// ([`Dataplane::policy_plans`]): group indices by priority (then as listed), and each
/// stateless group's rules by priority (then as written).
#[derive(Debug, Default)]
pub(crate) struct PolicyPlan {
    stateless: Vec<(usize, Vec<usize>)>,
    stateful: Vec<usize>,
}

impl Dataplane {
    /// Rule group indices of `refs` by priority (lowest first), ties in listing order.
    fn ordered_groups(&self, refs: &[crate::model::RuleGroupReference]) -> Vec<usize> {
        let mut v: Vec<(u32, usize, usize)> = refs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                self.index
                    .get_kind(&r.rule_group, crate::model::ObjectKind::RuleGroup)
                    .map(|g| (r.priority.unwrap_or(u32::MAX), i, g))
            })
            .collect();
        v.sort_by_key(|(p, i, _)| (*p, *i));
        v.into_iter().map(|(_, _, g)| g).collect()
    }

    /// Every policy's [`PolicyPlan`], built on first use (evaluation looks groups up by
    /// name and sorts rules once, not per packet).
    fn policy_plans(&self) -> &[PolicyPlan] {
        self.policy_plans.get_or_init(|| {
            self.model
                .firewall_policies
                .iter()
                .map(|p| PolicyPlan {
                    stateless: self
                        .ordered_groups(&p.stateless_rule_groups)
                        .into_iter()
                        .map(|g| {
                            let rules = &self.model.rule_groups[g].stateless_rules;
                            let mut order: Vec<usize> = (0..rules.len()).collect();
                            order.sort_by_key(|&r| rules[r].priority);
                            (g, order)
                        })
                        .collect(),
                    stateful: self.ordered_groups(&p.stateful_rule_groups),
                })
                .collect()
        })
    }

    /// Evaluate `policy` (index) for a packet that starts a flow.
    pub fn firewall_evaluate(&self, policy: usize, f: &Flow) -> FirewallDecision {
        let Some(p) = self.model.firewall_policies.get(policy) else {
            return FirewallDecision {
                pass: true,
                stateful: false,
                rule: "no policy modelled (pass)".into(),
            };
        };
        match self.stateless(policy, p, f) {
            (action, rule) if action == "aws:pass" => FirewallDecision {
                pass: true,
                stateful: false,
                rule,
            },
            (action, rule) if action == "aws:drop" => FirewallDecision {
                pass: false,
                stateful: false,
                rule,
            },
            (_, _) => {
                let (pass, rule) = self.stateful(policy, p, f);
                FirewallDecision {
                    pass,
                    stateful: true,
                    rule,
                }
            }
        }
    }

    /// The stateless engine alone (for the reply of a flow the stateful engine tracks):
    /// `(standard action, rule)`.
    pub fn firewall_stateless(&self, policy: usize, f: &Flow) -> (String, String) {
        match self.model.firewall_policies.get(policy) {
            Some(p) => self.stateless(policy, p, f),
            None => ("aws:pass".into(), "no policy modelled (pass)".into()),
        }
    }

    fn stateless(&self, policy: usize, p: &FirewallPolicy, f: &Flow) -> (String, String) {
        let plan = &self.policy_plans()[policy];
        for (g, order) in &plan.stateless {
            let g = &self.model.rule_groups[*g];
            for r in order.iter().map(|&r| &g.stateless_rules[r]) {
                let src_ok = r.sources.is_empty() || r.sources.iter().any(|c| c.contains(&f.src));
                let dst_ok =
                    r.destinations.is_empty() || r.destinations.iter().any(|c| c.contains(&f.dst));
                if src_ok && dst_ok && Self::stateless_rule_ports_match(r, f) {
                    let a = stateless_action(&r.actions).to_string();
                    let rule = format!("stateless {} priority {}: {}", g.name, r.priority, a);
                    return (a, rule);
                }
            }
        }
        let a = stateless_action(&p.stateless_default_actions).to_string();
        let rule = format!("stateless default action {a}");
        (a, rule)
    }

    /// Whether a stateless rule's protocol and ports match `f` (its addresses aside).
    pub(crate) fn stateless_rule_ports_match(r: &crate::model::StatelessRule, f: &Flow) -> bool {
        let proto_ok = r.protocols.is_empty() || r.protocols.iter().any(|x| x.matches(f.protocol));
        proto_ok
            && (!f.protocol.has_ports()
                || (ports_match(&r.source_ports, f.src_port)
                    && ports_match(&r.destination_ports, f.dst_port)))
    }

    /// Whether a stateful rule can match `f` in either of the ways
    /// [`Self::stateful_rule_matches`] tries, its addresses aside.
    pub(crate) fn stateful_rule_ports_match(r: &crate::model::StatefulRule, f: &Flow) -> bool {
        let ports = |sport, dport| {
            !r.protocol.has_ports()
                || (r.source_port.contains(sport) && r.destination_port.contains(dport))
        };
        (r.protocol == Protocol::All || r.protocol.matches(f.protocol))
            && (ports(f.src_port, f.dst_port)
                || (r.direction == StatefulDirection::Any && ports(f.dst_port, f.src_port)))
    }

    fn stateful_rule_matches(r: &crate::model::StatefulRule, f: &Flow) -> bool {
        let one = |src, sport, dst, dport| {
            let proto_ok = r.protocol == Protocol::All || r.protocol.matches(f.protocol);
            proto_ok
                && r.source.is_none_or(|c| c.contains(&src))
                && r.destination.is_none_or(|c| c.contains(&dst))
                && (!r.protocol.has_ports()
                    || (r.source_port.contains(sport) && r.destination_port.contains(dport)))
        };
        one(f.src, f.src_port, f.dst, f.dst_port)
            || (r.direction == StatefulDirection::Any && one(f.dst, f.dst_port, f.src, f.src_port))
    }

    fn stateful(&self, policy: usize, p: &FirewallPolicy, f: &Flow) -> (bool, String) {
        let plan = &self.policy_plans()[policy];
        let groups = || plan.stateful.iter().map(|&g| &self.model.rule_groups[g]);
        let describe = |g: &RuleGroup, r: &crate::model::StatefulRule| {
            let sid = r.sid.map(|s| format!("sid {s} ")).unwrap_or_default();
            format!("stateful {}{} in {}", sid, action_name(r.action), g.name)
        };
        match p.stateful_rule_order {
            RuleOrder::StrictOrder => {
                for g in groups() {
                    for r in &g.stateful_rules {
                        if r.action == StatefulAction::Alert || !Self::stateful_rule_matches(r, f) {
                            continue;
                        }
                        return (r.action == StatefulAction::Pass, describe(g, r));
                    }
                }
                let drops = p
                    .stateful_default_actions
                    .iter()
                    .find(|a| matches!(a.as_str(), "aws:drop_strict" | "aws:drop_established"));
                match drops {
                    Some(a) => (false, format!("stateful default action {a}")),
                    None => (true, "no stateful rule matched (pass)".into()),
                }
            }
            RuleOrder::DefaultActionOrder => {
                let mut first_drop = None;
                for g in groups() {
                    for r in &g.stateful_rules {
                        if !Self::stateful_rule_matches(r, f) {
                            continue;
                        }
                        match r.action {
                            StatefulAction::Pass => return (true, describe(g, r)),
                            StatefulAction::Drop | StatefulAction::Reject
                                if first_drop.is_none() =>
                            {
                                first_drop = Some(describe(g, r));
                            }
                            _ => {}
                        }
                    }
                }
                match first_drop {
                    Some(d) => (false, d),
                    None => (true, "no stateful rule matched (pass)".into()),
                }
            }
        }
    }
}

fn action_name(a: StatefulAction) -> &'static str {
    match a {
        StatefulAction::Pass => "PASS",
        StatefulAction::Drop => "DROP",
        StatefulAction::Reject => "REJECT",
        StatefulAction::Alert => "ALERT",
    }
}
