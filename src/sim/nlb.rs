//! Network Load Balancer hops of the walk, and the VPN tunnel endpoints of a virtual
//! private gateway (a child module of `walk`, called from its small hooks).
//!
//! Sources, cited below by short name:
//! [NLB] "Network Load Balancers" (elasticloadbalancing/latest/network/network-load-balancers.html):
//! a node per enabled AZ; cross-zone load balancing off by default ("each load balancer
//! node distributes traffic across the registered targets in its Availability Zone only");
//! [LIS] "Listeners for your Network Load Balancers" (…/network/load-balancer-listeners.html):
//! a listener checks for connection requests on its protocol and port, and forwards
//! them to its target group; nothing else is accepted;
//! [TG] "Target groups for your Network Load Balancers" (…/network/load-balancer-target-groups.html):
//! "For TCP traffic, the load balancer selects a target using a flow hash algorithm
//! based on the protocol, source IP address, source port, destination IP address,
//! destination port, and TCP sequence number"; routing only to healthy targets, and
//! "if there is no enabled Availability Zone with a healthy target, the load balancer
//! fails open";
//! [CIP] "Edit target group attributes" (…/network/edit-target-group-attributes.html),
//! client IP preservation: with it the target sees the client's address, without it the
//! load balancer's private address; "NAT loopback, also known as hairpinning, is not
//! supported when client IP preservation is enabled";
//! [SG] "Update the security groups for your Network Load Balancer"
//! (…/network/load-balancer-security-groups.html): a load balancer's security groups
//! filter what reaches it; one without security groups does not filter.
//! The load balancer keeps the flow: the reply goes back through the node that
//! forwarded the request, which translates it back [TG, CIP].

use super::{End, Outcome, Via, Walk};
use crate::model::{ObjectKind, TargetType};
use crate::sim::Verdict;
use std::net::IpAddr;

/// A flow a Network Load Balancer node forwarded (its state for the reply).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NlbSession {
    /// The node's network interface.
    pub node: usize,
    /// The client's address and port (as the node received them).
    pub client: (IpAddr, u16),
    /// The node's address and the listener port the client connected to.
    pub front: (IpAddr, u16),
    /// The target's address and port.
    pub target: (IpAddr, u16),
    /// The target's network interface, when the model holds it.
    pub target_eni: Option<usize>,
    /// Client IP preservation: the target saw (and replies to) the client's address.
    pub preserved: bool,
    /// The source address and port the target saw.
    pub seen_source: (IpAddr, u16),
}

/// A resolved registered target.
struct Candidate {
    ip: IpAddr,
    port: u16,
    eni: Option<usize>,
    az: Option<String>,
    healthy: bool,
    label: String,
}

impl<'a> Walk<'a> {
    fn nlb_hop(&mut self, node: usize, action: &str, detail: String) {
        let dp = self.dp;
        let Some(li) = dp.load_balancer_of(node) else {
            return;
        };
        let lb = &dp.model.network_load_balancers[li];
        let az = dp
            .subnet_of_interface(node)
            .map(|s| dp.model.subnets[s].az.clone());
        let acct = dp
            .subnet_of_interface(node)
            .and_then(|s| dp.vpc_of_subnet(s))
            .and_then(|v| self.vpc_account(v));
        hop!(
            self,
            "network-load-balancer",
            lb.id.as_deref(),
            &lb.name,
            acct,
            az.as_deref(),
            action,
            detail,
        );
    }

    /// A packet reaches node `node` (a network interface) of a Network Load Balancer,
    /// from subnet `from` (or from outside the VPC).
    pub(super) fn nlb_arrive(&mut self, node: usize, from: Option<usize>, _via: Via) -> Outcome {
        let dp = self.dp;
        let (Some(li), Some(subnet)) = (dp.load_balancer_of(node), dp.subnet_of_interface(node))
        else {
            return Err((Verdict::Unreachable, "UNKNOWN_RESOURCE"));
        };
        self.enter_subnet(from, subnet)?;
        if dp.eni_down[node] || dp.nlb_down[li] {
            self.nlb_hop(
                node,
                "down",
                "the load balancer node (or its AZ) is failed".into(),
            );
            return Err((Verdict::Unreachable, "COMPONENT_FAILED"));
        }
        if let Some(st) = self.reply {
            // The reply of a flow whose target saw the node's address (no client IP
            // preservation): the node translates it back [CIP].
            let pkt = self.pkt;
            let Some(s) = st
                .nlb
                .iter()
                .find(|s| {
                    s.node == node && !s.preserved && (pkt.dst, pkt.dst_port) == s.client_as_seen()
                })
                .cloned()
            else {
                self.nlb_hop(
                    node,
                    "drop",
                    format!("{} is no flow this load balancer node forwarded", pkt.dst),
                );
                return Err((Verdict::Unreachable, "NO_POSSIBLE_DESTINATION"));
            };
            return self.nlb_untranslate(&s, subnet);
        }
        self.nlb_forward(li, node, subnet)
    }

    /// The request at node `node`: security groups, listener, target choice, rewrite.
    fn nlb_forward(&mut self, li: usize, node: usize, subnet: usize) -> Outcome {
        let dp = self.dp;
        let lb = &dp.model.network_load_balancers[li];
        let e = &dp.model.network_interfaces[node];
        let node_az = dp.model.subnets[subnet].az.clone();
        // The load balancer's security groups [SG].
        let sg = if e.security_groups.is_empty() {
            "no security group: not filtered".to_string()
        } else {
            match dp.security_groups_allow(node, true, &self.pkt, self.explain) {
                Ok(r) => r,
                Err(why) => {
                    self.nlb_hop(node, "deny", why);
                    return Err((Verdict::Denied, "ENI_SG_RULES_MISMATCH"));
                }
            }
        };
        // The listener for the packet's protocol and port [LIS]. Reachability Analyzer
        // reports "does not have a listener that accepts the traffic" as
        // ELB_LISTENERS_MISMATCH.
        let pkt = self.pkt;
        let Some(l) = lb
            .listeners
            .iter()
            .find(|l| l.port == pkt.dst_port && l.protocol.serves(pkt.protocol))
        else {
            let have: Vec<String> = lb
                .listeners
                .iter()
                .map(|l| format!("{} {}", l.protocol.as_api(), l.port))
                .collect();
            self.nlb_hop(
                node,
                "deny",
                format!(
                    "no listener for {} port {} (listeners: {})",
                    pkt.protocol,
                    pkt.dst_port,
                    if have.is_empty() {
                        "none".to_string()
                    } else {
                        have.join(", ")
                    }
                ),
            );
            return Err((Verdict::Denied, "ELB_LISTENERS_MISMATCH"));
        };
        let Some(tgi) = dp.index.get_kind(&l.target_group, ObjectKind::TargetGroup) else {
            self.nlb_hop(
                node,
                "drop",
                format!(
                    "listener {} {} has no target group",
                    l.protocol.as_api(),
                    l.port
                ),
            );
            return Err((Verdict::Unreachable, "ELBV2_LISTENER_HAS_NO_TG"));
        };
        let tg = &dp.model.target_groups[tgi];
        let enabled_azs: Vec<String> = lb
            .nodes
            .iter()
            .filter_map(|n| dp.index.get_kind(n, ObjectKind::NetworkInterface))
            .filter_map(|n| dp.subnet_of_interface(n))
            .map(|s| dp.model.subnets[s].az.clone())
            .collect();
        // Registered targets in enabled AZs that are not failed, in registration order.
        let mut pool: Vec<Candidate> = Vec::new();
        let mut failed = false;
        for t in &tg.targets {
            let port = t.port.unwrap_or(tg.port);
            let (ip, eni, label) = match (tg.target_type, &t.interface, t.ip) {
                (TargetType::Instance, Some(i), _) => {
                    let Some(x) = dp.index.get_kind(i, ObjectKind::NetworkInterface) else {
                        continue;
                    };
                    let n = &dp.model.network_interfaces[x];
                    let Some(ip) = n.private_ips.iter().find(|a| a.is_ipv4()).copied() else {
                        continue;
                    };
                    let label = n.instance.clone().unwrap_or_else(|| n.name.clone());
                    (ip, Some(x), label)
                }
                (_, _, Some(ip)) => {
                    let vpc = dp.index.get_kind(&tg.vpc, ObjectKind::Vpc);
                    let eni = vpc.and_then(|v| match dp.private_owner(v, ip) {
                        Some(crate::dataplane::Owner::Interface(x)) => Some(x),
                        _ => None,
                    });
                    (ip, eni, ip.to_string())
                }
                _ => continue,
            };
            let az = match eni {
                Some(x) => dp
                    .subnet_of_interface(x)
                    .map(|s| dp.model.subnets[s].az.clone()),
                None => dp.index.get_kind(&tg.vpc, ObjectKind::Vpc).and_then(|v| {
                    (0..dp.model.subnets.len())
                        .find(|s| {
                            dp.vpc_of_subnet(*s) == Some(v)
                                && match ip {
                                    IpAddr::V4(a) => dp.model.subnets[*s].cidr.contains(&a),
                                    IpAddr::V6(_) => false,
                                }
                        })
                        .map(|s| dp.model.subnets[s].az.clone())
                }),
            };
            // Targets outside the VPC (az "all") receive from every node.
            if az.as_ref().is_some_and(|z| !enabled_azs.contains(z)) {
                continue;
            }
            if eni.is_some_and(|x| dp.eni_down[x]) {
                failed = true;
                continue;
            }
            pool.push(Candidate {
                ip,
                port,
                eni,
                az,
                healthy: t.healthy,
                label,
            });
        }
        if pool.is_empty() {
            self.nlb_hop(
                node,
                "drop",
                format!(
                    "target group {} has no working target in an enabled AZ",
                    tg.name
                ),
            );
            let code = if tg.targets.is_empty() {
                "ELBV2_NO_TARGETS_IN_AZ"
            } else if failed {
                "COMPONENT_FAILED"
            } else {
                "ELB_INSTALLED_AZ_RESTRICTION"
            };
            return Err((Verdict::Unreachable, code));
        }
        // Healthy targets only; none healthy anywhere: fail open [TG].
        let fail_open = !pool.iter().any(|c| c.healthy);
        if !fail_open {
            pool.retain(|c| c.healthy);
        }
        // Without cross-zone load balancing a node uses the targets of its own AZ [NLB].
        if !lb.cross_zone {
            let before = pool.len();
            pool.retain(|c| c.az.as_ref().is_none_or(|z| *z == node_az));
            if pool.is_empty() {
                self.nlb_hop(
                    node,
                    "drop",
                    format!(
                        "cross-zone load balancing is off and {} has no healthy target in {node_az} ({before} in other AZs)",
                        tg.name
                    ),
                );
                return Err((Verdict::Unreachable, "ELB_NOT_CROSSZONE"));
            }
        }
        let n = pool.len();
        let pick = &pool[(self.flow_hash() % n as u64) as usize];
        let preserved = tg.preserves_client_ip();
        // Hairpinning: a target cannot reach itself through the load balancer when
        // its own address is preserved as the source [CIP]. (The source address is
        // compared exactly: the outcome is not shared between sources.)
        self.src_exact = true;
        if preserved && pkt.src == pick.ip {
            self.nlb_hop(
                node,
                "drop",
                format!(
                    "target {} is the client: NAT loopback (hairpinning) is not supported with client IP preservation",
                    pick.label
                ),
            );
            return Err((Verdict::Unreachable, "ELB_CLIENT_IP_PRESERVATION_LOOPBACK"));
        }
        let node_ip = e
            .private_ips
            .iter()
            .find(|a| a.is_ipv4() == pkt.src.is_ipv4())
            .or(e.private_ips.first())
            .copied()
            .unwrap_or(pkt.dst);
        let session = NlbSession {
            node,
            client: (pkt.src, pkt.src_port),
            front: (pkt.dst, pkt.dst_port),
            target: (pick.ip, pick.port),
            target_eni: pick.eni,
            preserved,
            seen_source: (if preserved { pkt.src } else { node_ip }, pkt.src_port),
        };
        let detail = if self.explain {
            format!(
                "{sg}; listener {} {} → target group {}: target {} ({}:{}) chosen by flow hash among {n} {}target(s){}; destination {}:{} → {}:{}; {}",
                l.protocol.as_api(),
                l.port,
                tg.name,
                pick.label,
                pick.ip,
                pick.port,
                if fail_open { "" } else { "healthy " },
                if lb.cross_zone {
                    " in every enabled AZ (cross-zone)"
                } else {
                    " in this AZ"
                },
                pkt.dst,
                pkt.dst_port,
                pick.ip,
                pick.port,
                if preserved {
                    "client IP preserved".to_string()
                } else {
                    format!("source {} → {node_ip} (client IP preservation off)", pkt.src)
                }
            )
        } else {
            String::new()
        };
        self.pkt.dst = pick.ip;
        if self.pkt.protocol.has_ports() {
            self.pkt.dst_port = pick.port;
        }
        if !preserved {
            self.pkt.src = node_ip;
        }
        // The load balancer's security groups' outbound rules apply to the traffic it
        // sends to its targets [SG].
        if !e.security_groups.is_empty() {
            if let Err(why) = dp.security_groups_allow(node, false, &self.pkt, self.explain) {
                self.nlb_hop(node, "deny", why);
                return Err((Verdict::Denied, "ENI_SG_RULES_MISMATCH"));
            }
        }
        self.nlb_hop(node, "forward", detail);
        self.state.nlb.push(session);
        self.emit(subnet, Via::Local)
    }

    /// The reply of a flow a node forwarded: back to the client from the node's address
    /// and listener port.
    fn nlb_untranslate(&mut self, s: &NlbSession, subnet: usize) -> Outcome {
        let was = (self.pkt.src, self.pkt.src_port);
        self.pkt.src = s.front.0;
        self.pkt.dst = s.client.0;
        if self.pkt.protocol.has_ports() {
            self.pkt.src_port = s.front.1;
            self.pkt.dst_port = s.client.1;
        }
        let detail = if self.explain {
            format!(
                "reply of a flow this node forwarded: source {}:{} → {}:{}, to the client {}",
                was.0, was.1, s.front.0, s.front.1, s.client.0
            )
        } else {
            String::new()
        };
        self.nlb_hop(s.node, "reply", detail);
        self.emit(subnet, Via::Local)
    }

    /// The start of a reply walk at interface `eni`: a target answering a flow a load
    /// balancer node forwarded with the client's address preserved sends the reply
    /// back through that node, which tracks the flow [CIP, TG]. `None`: not such a reply.
    pub(super) fn nlb_reply_from_target(&mut self, eni: usize) -> Option<Outcome> {
        let st = self.reply?;
        let pkt = self.pkt;
        let s = st
            .nlb
            .iter()
            .find(|s| {
                s.preserved
                    && s.target_eni == Some(eni)
                    && (pkt.src, pkt.src_port) == s.target_as_seen()
                    && pkt.dst == s.client.0
            })?
            .clone();
        let dp = self.dp;
        let e = &dp.model.network_interfaces[eni];
        let (Some(from), Some(node_subnet)) =
            (dp.subnet_of_interface(eni), dp.subnet_of_interface(s.node))
        else {
            return Some(Err((Verdict::Unreachable, "UNKNOWN_RESOURCE")));
        };
        let az = dp.model.subnets[from].az.clone();
        let acct = dp.vpc_of_subnet(from).and_then(|v| self.vpc_account(v));
        hop!(
            self,
            "network-interface",
            e.id.as_deref(),
            &e.name,
            acct,
            Some(&az),
            "send",
            "reply leaves (security groups are stateful: allowed); the load balancer tracks the flow: back through its node"
                .to_string(),
        );
        let r = (|| -> Outcome {
            self.enter_subnet(Some(from), node_subnet)?;
            if dp.eni_down[s.node] {
                self.nlb_hop(
                    s.node,
                    "down",
                    "the load balancer node (or its AZ) is failed".into(),
                );
                return Err((Verdict::Unreachable, "COMPONENT_FAILED"));
            }
            self.nlb_untranslate(&s, node_subnet)
        })();
        Some(r)
    }

    /// A packet to the AWS side's outside address of a VPN tunnel: delivered to the
    /// virtual private gateway that terminates the tunnel ("Tunnel options for your
    /// Site-to-Site VPN connection", <https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html>).
    pub(super) fn vpn_tunnel_endpoint(&mut self, gi: usize, ci: usize) -> Outcome {
        let dp = self.dp;
        let g = &dp.model.vpn_gateways[gi];
        let c = &g.connections[ci];
        let acct = g
            .vpc
            .as_deref()
            .and_then(|v| dp.index.get_kind(v, ObjectKind::Vpc))
            .and_then(|v| self.vpc_account(v));
        if dp.vgw_conn_down.contains(&(gi, ci)) {
            hop!(
                self,
                "vpn-gateway",
                g.id.as_deref(),
                &g.name,
                acct,
                None,
                "down",
                format!("{} is failed", c.name),
            );
            return Err((Verdict::Unreachable, "COMPONENT_FAILED"));
        }
        hop!(
            self,
            "vpn-gateway",
            g.id.as_deref(),
            &g.name,
            acct,
            None,
            "accept",
            format!(
                "{} is the AWS-side outside address of a tunnel of {}",
                self.pkt.dst, c.name
            ),
        );
        self.end = End::VpnTunnel(gi, ci);
        Ok(Verdict::Accepted)
    }

    /// The reply of a flow that ended at a VPN tunnel's outside address: from the
    /// virtual private gateway back over the Internet.
    pub(crate) fn vpn_tunnel_reply(&mut self, gi: usize, ci: usize) -> Outcome {
        let dp = self.dp;
        let g = &dp.model.vpn_gateways[gi];
        let name = g
            .connections
            .get(ci)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        hop!(
            self,
            "vpn-gateway",
            g.id.as_deref(),
            &g.name,
            None,
            None,
            "send",
            format!("reply from the outside address of a tunnel of {name}"),
        );
        let dst = self.pkt.dst;
        let modelled = match dst {
            IpAddr::V4(_) => dp.public_owner(dst).is_some(),
            IpAddr::V6(_) => false,
        };
        if modelled {
            return self.internet_send();
        }
        self.exit_to_internet()
    }
}

impl NlbSession {
    /// The source address and port the target saw (the node's, without client IP
    /// preservation: the reply is addressed there).
    fn client_as_seen(&self) -> (IpAddr, u16) {
        self.seen_source
    }

    /// The target's address and port (the reply's source).
    fn target_as_seen(&self) -> (IpAddr, u16) {
        self.target
    }
}

#[cfg(test)]
mod tests {
    use crate::dataplane::{Dataplane, FailureSet, Flow};
    use crate::model::{Model, Protocol};
    use crate::sim::{resolve_endpoint, summarize, trace, Trace, TraceOptions, Verdict};

    fn example() -> Model {
        serde_json::from_str(include_str!("../../scenarios/examples/nlb.json"))
            .expect("nlb example parses")
    }

    fn run(m: &Model, from: &str, to: &str, port: u16, failed: &[&str]) -> Trace {
        let f = FailureSet {
            failed: failed.iter().map(|s| s.to_string()).collect(),
        };
        let dp = Dataplane::compile_with_failures(m, &f);
        let src = resolve_endpoint(m, from).unwrap();
        let dst = resolve_endpoint(m, to).unwrap();
        let flow = Flow {
            src: src.ip(),
            dst: dst.ip(),
            protocol: Protocol::Tcp,
            src_port: 49152,
            dst_port: port,
        };
        let opts = TraceOptions { both_ways: true };
        let t = trace(&dp, &src, &dst, &flow, &opts);
        // The summary walk counts the same hops as the explained one.
        let (fwd, ret) = summarize(&dp, &src, &flow, true);
        assert_eq!(fwd.verdict, t.verdict);
        assert_eq!(fwd.reason, t.reason);
        assert_eq!(fwd.hops as usize, t.hops.len());
        assert_eq!(
            ret.map(|r| (r.verdict, r.hops as usize)),
            t.return_trace.as_ref().map(|r| (r.verdict, r.hops.len()))
        );
        t
    }

    fn target_group<'m>(m: &'m mut Model, name: &str) -> &'m mut crate::model::TargetGroup {
        m.target_groups.iter_mut().find(|t| t.name == name).unwrap()
    }

    fn last(t: &Trace) -> (&str, &str) {
        let h = t.hops.last().unwrap();
        (h.name.as_str(), h.action.as_str())
    }

    #[test]
    fn unhealthy_targets_are_skipped_and_cross_zone_off_keeps_the_az() {
        let mut m = example();
        target_group(&mut m, "web-tg").targets[0].healthy = false; // web-a, eu-west-1a
        let t = run(&m, "client", "10.2.0.10", 80, &[]);
        assert_eq!(t.verdict, Verdict::Unreachable);
        assert_eq!(t.reason.as_deref(), Some("ELB_NOT_CROSSZONE"));
        assert_eq!(last(&t), ("web-nlb", "drop"));
        // With cross-zone load balancing the node in eu-west-1a uses web-b.
        m.network_load_balancers[0].cross_zone = true;
        let t = run(&m, "client", "10.2.0.10", 80, &[]);
        assert_eq!(t.verdict, Verdict::Accepted);
        assert_eq!(last(&t), ("web-b", "accept"));
        assert!(t.hops.iter().any(|h| h.detail.contains("cross-zone")));
    }

    #[test]
    fn no_healthy_target_fails_open() {
        let mut m = example();
        for t in &mut target_group(&mut m, "web-tg").targets {
            t.healthy = false;
        }
        let t = run(&m, "client", "10.2.1.10", 80, &[]);
        assert_eq!(t.verdict, Verdict::Accepted, "{t:#?}");
        assert_eq!(last(&t), ("web-b", "accept"));
        let lb = t
            .hops
            .iter()
            .find(|h| h.kind == "network-load-balancer")
            .unwrap();
        assert!(lb.detail.contains("among 1 target(s)"), "{}", lb.detail);
        // A failed target is not used even then: the node in eu-west-1b has none left
        // in its AZ; with both failed, none at all.
        let t = run(&m, "client", "10.2.1.10", 80, &["web-b"]);
        assert_eq!(t.reason.as_deref(), Some("ELB_NOT_CROSSZONE"));
        let t = run(&m, "client", "10.2.1.10", 80, &["web-a", "web-b"]);
        assert_eq!(t.reason.as_deref(), Some("COMPONENT_FAILED"));
        // Targets only in an AZ the load balancer does not use.
        let mut m = example();
        m.network_load_balancers[0].nodes = vec!["web-nlb-b".into()];
        target_group(&mut m, "web-tg").targets.truncate(1); // web-a, eu-west-1a
        let t = run(&m, "client", "10.2.1.10", 80, &[]);
        assert_eq!(t.reason.as_deref(), Some("ELB_INSTALLED_AZ_RESTRICTION"));
    }

    #[test]
    fn the_target_choice_is_a_deterministic_flow_hash() {
        let mut m = example();
        m.network_load_balancers[0].cross_zone = true;
        let mut seen = std::collections::BTreeSet::new();
        for port in 0..16u16 {
            let dp = Dataplane::compile(&m);
            let src = resolve_endpoint(&m, "client").unwrap();
            let dst = resolve_endpoint(&m, "10.2.0.10").unwrap();
            let flow = Flow {
                src: src.ip(),
                dst: dst.ip(),
                protocol: Protocol::Tcp,
                src_port: 40000 + port,
                dst_port: 80,
            };
            let a = trace(&dp, &src, &dst, &flow, &TraceOptions { both_ways: true });
            let b = trace(&dp, &src, &dst, &flow, &TraceOptions { both_ways: true });
            assert_eq!(a, b);
            assert_eq!(a.verdict, Verdict::Accepted);
            assert_eq!(a.return_trace.as_ref().unwrap().verdict, Verdict::Accepted);
            seen.insert(a.hops.last().unwrap().name.clone());
        }
        // Both targets serve some of these flows.
        assert_eq!(seen.len(), 2, "{seen:?}");
    }

    #[test]
    fn without_client_ip_preservation_the_reply_comes_back_to_the_node() {
        let mut m = example();
        let sg = m
            .security_groups
            .iter_mut()
            .find(|g| g.name == "admin-sg")
            .unwrap();
        sg.ingress[0].ports = "9443".parse().unwrap();
        let t = run(&m, "client", "10.2.0.10", 443, &[]);
        assert_eq!(t.verdict, Verdict::Accepted, "{t:#?}");
        assert_eq!(last(&t), ("admin-a", "accept"));
        let r = t.return_trace.as_ref().unwrap();
        assert_eq!(r.verdict, Verdict::Accepted, "{r:#?}");
        // The target answers the node's address; the node translates it back.
        assert_eq!(r.flow.dst.to_string(), "10.2.0.10");
        let back = r
            .hops
            .iter()
            .find(|h| h.kind == "network-load-balancer")
            .unwrap();
        assert_eq!(back.action, "reply");
        assert_eq!(r.hops.last().unwrap().name, "client");
    }

    #[test]
    fn hairpinning_with_client_ip_preservation_fails() {
        let m = example();
        // web-a connects to the load balancer whose only target in its AZ is itself.
        let t = run(&m, "web-a", "10.2.0.10", 80, &[]);
        assert_eq!(t.verdict, Verdict::Unreachable, "{t:#?}");
        assert_eq!(
            t.reason.as_deref(),
            Some("ELB_CLIENT_IP_PRESERVATION_LOOPBACK")
        );
    }

    #[test]
    fn failed_load_balancer_and_missing_target_group() {
        let m = example();
        let t = run(&m, "client", "10.2.0.10", 80, &["web-nlb"]);
        assert_eq!(t.reason.as_deref(), Some("COMPONENT_FAILED"));
        let t = run(&m, "client", "10.2.0.10", 80, &["eu-west-1a"]);
        assert_eq!(t.verdict, Verdict::Unreachable);
        let mut m = example();
        m.network_load_balancers[0].listeners[0].target_group = "gone".into();
        let t = run(&m, "client", "10.2.0.10", 80, &[]);
        assert_eq!(t.reason.as_deref(), Some("ELBV2_LISTENER_HAS_NO_TG"));
    }

    #[test]
    fn vpn_tunnel_outside_address_is_reached_from_the_internet_only() {
        let mut m: Model =
            serde_json::from_str(include_str!("../../scenarios/examples/nlb.json")).unwrap();
        m.vpn_gateways.push(crate::model::VpnGateway {
            name: "vgw".into(),
            id: Some("vgw-1".into()),
            vpc: Some("web".into()),
            asn: None,
            connections: vec![crate::model::VgwConnection {
                name: "vpn".into(),
                id: None,
                site: "dc".into(),
                kind: crate::model::ConnectionKind::Vpn,
                routing: crate::model::VpnRouting::Bgp,
                advertised_prefixes: vec![],
                tunnel_outside_ips: vec!["18.217.248.9".parse().unwrap()],
            }],
        });
        m.onprem_sites.push(crate::model::OnPremSite {
            name: "dc".into(),
            prefixes: vec!["192.168.0.0/16".parse().unwrap()],
        });
        let t = run(&m, "internet", "18.217.248.9", 80, &[]);
        assert_eq!(t.verdict, Verdict::Accepted);
        assert_eq!(t.hops.last().unwrap().id, "vgw-1");
        assert_eq!(
            t.return_trace.as_ref().map(|r| r.verdict),
            Some(Verdict::ExitsNetwork)
        );
        // The client (public IP, default route to the IGW) reaches it over the Internet.
        let t = run(&m, "client", "18.217.248.9", 500, &[]);
        assert_eq!(t.verdict, Verdict::Accepted, "{t:#?}");
        assert!(t.hops.iter().any(|h| h.kind == "internet-gateway"));
        let t = run(&m, "client", "18.217.248.9", 500, &["vpn"]);
        assert_eq!(t.reason.as_deref(), Some("COMPONENT_FAILED"));
    }
}
