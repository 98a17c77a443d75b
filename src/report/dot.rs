//! The topology as Graphviz DOT (`lztwin graph`): one cluster per account holding its
//! VPCs and Transit Gateways; TGW route tables, attachments (with association and
//! propagation edges), firewalls and their endpoints, gateways, peering connections,
//! on-premises sites and the Internet.
//!
//! Deterministic: objects in model order; every id and label is quoted and escaped.

use crate::model::{AttachmentType, Model};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// A DOT string literal: quoted, with `"` and `\` escaped and control characters
/// (newlines included) turned into spaces. Graphviz's `\n` line breaks are added by
/// the callers through [`lines`].
pub fn quote(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if c.is_control() => o.push(' '),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// A multi-line label: each part escaped, joined with DOT's `\n`.
pub fn lines(parts: &[&str]) -> String {
    let inner: Vec<String> = parts
        .iter()
        .map(|p| {
            let q = quote(p);
            q[1..q.len() - 1].to_string()
        })
        .collect();
    format!("\"{}\"", inner.join("\\n"))
}

/// Node id of an object: its kind and name, quoted.
fn id(kind: &str, name: &str) -> String {
    quote(&format!("{kind}:{name}"))
}

/// Render `m` as a DOT digraph.
pub fn render(m: &Model) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "digraph {} {{", quote(&m.name));
    o.push_str("  graph [rankdir=LR, compound=true, fontname=\"Helvetica\"];\n");
    o.push_str("  node [fontname=\"Helvetica\", fontsize=10];\n");
    o.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    let subnet_vpc = |sn: &str| {
        m.subnets
            .iter()
            .find(|s| s.name == sn)
            .map(|s| s.vpc.as_str())
    };
    let mut in_cluster: BTreeSet<String> = BTreeSet::new();
    for (ai, acc) in m.accounts.iter().enumerate() {
        let _ = writeln!(o, "  subgraph \"cluster_account_{ai}\" {{");
        let _ = writeln!(
            o,
            "    label={}; style=rounded; color=gray40;",
            lines(&[&format!("account {}", acc.name), acc.environment.as_str()])
        );
        for v in m.vpcs.iter().filter(|v| v.account == acc.name) {
            in_cluster.insert(v.name.clone());
            let cidrs: Vec<String> = v.cidrs.iter().map(|c| c.to_string()).collect();
            let _ = writeln!(
                o,
                "    {} [shape=box, style=filled, fillcolor=lightblue, label={}];",
                id("vpc", &v.name),
                lines(&[&format!("VPC {}", v.name), &cidrs.join(" ")])
            );
        }
        for t in m.transit_gateways.iter().filter(|t| t.account == acc.name) {
            let asn = t.asn.map(|a| format!("ASN {a}")).unwrap_or_default();
            let _ = writeln!(
                o,
                "    {} [shape=hexagon, style=filled, fillcolor=gold, label={}];",
                id("tgw", &t.name),
                lines(&[&format!("TGW {}", t.name), &asn])
            );
        }
        o.push_str("  }\n");
    }
    // VPCs of accounts not in the model (partial input) still appear.
    for v in m.vpcs.iter().filter(|v| !in_cluster.contains(&v.name)) {
        let _ = writeln!(
            o,
            "  {} [shape=box, style=filled, fillcolor=lightblue, label={}];",
            id("vpc", &v.name),
            lines(&[&format!("VPC {}", v.name)])
        );
    }
    for t in m
        .transit_gateways
        .iter()
        .filter(|t| !m.accounts.iter().any(|a| a.name == t.account))
    {
        let _ = writeln!(o, "  {} [shape=hexagon];", id("tgw", &t.name));
    }
    if !m.internet_gateways.is_empty() {
        let _ = writeln!(
            o,
            "  {} [shape=ellipse, style=dashed, label=\"Internet\"];",
            id("internet", "internet")
        );
    }
    for s in &m.onprem_sites {
        let p: Vec<String> = s.prefixes.iter().map(|p| p.to_string()).collect();
        let _ = writeln!(
            o,
            "  {} [shape=folder, label={}];",
            id("site", &s.name),
            lines(&[&format!("on-prem {}", s.name), &p.join(" ")])
        );
    }
    for g in &m.internet_gateways {
        let _ = writeln!(
            o,
            "  {} [shape=invhouse, label={}];",
            id("igw", &g.name),
            lines(&[&format!("IGW {}", g.name)])
        );
        if let Some(v) = &g.vpc {
            let _ = writeln!(
                o,
                "  {} -> {} [dir=none];",
                id("vpc", v),
                id("igw", &g.name)
            );
        }
        let _ = writeln!(
            o,
            "  {} -> {} [dir=none, style=dashed];",
            id("igw", &g.name),
            id("internet", "internet")
        );
    }
    for g in &m.vpn_gateways {
        let _ = writeln!(
            o,
            "  {} [shape=invhouse, label={}];",
            id("vgw", &g.name),
            lines(&[&format!("VGW {}", g.name)])
        );
        if let Some(v) = &g.vpc {
            let _ = writeln!(
                o,
                "  {} -> {} [dir=none];",
                id("vpc", v),
                id("vgw", &g.name)
            );
        }
        for c in &g.connections {
            let _ = writeln!(
                o,
                "  {} -> {} [dir=none, style=dashed, label={}];",
                id("vgw", &g.name),
                id("site", &c.site),
                quote(&c.name)
            );
        }
    }
    for n in &m.nat_gateways {
        if let Some(v) = subnet_vpc(&n.subnet) {
            let _ = writeln!(
                o,
                "  {} [shape=cds, label={}];",
                id("nat", &n.name),
                lines(&[&format!("NAT {}", n.name), &n.subnet])
            );
            let _ = writeln!(
                o,
                "  {} -> {} [dir=none];",
                id("vpc", v),
                id("nat", &n.name)
            );
        }
    }
    for p in &m.vpc_peering_connections {
        let _ = writeln!(
            o,
            "  {} -> {} [dir=both, style=bold, color=darkgreen, label={}];",
            id("vpc", &p.requester_vpc),
            id("vpc", &p.accepter_vpc),
            quote(&format!("peering {}", p.name))
        );
    }
    for f in &m.firewalls {
        let _ = writeln!(
            o,
            "  {} [shape=octagon, style=filled, fillcolor=salmon, label={}];",
            id("firewall", &f.name),
            lines(&[
                &format!("firewall {}", f.name),
                &format!("policy {}", f.policy)
            ])
        );
        let _ = writeln!(
            o,
            "  {} -> {} [dir=none];",
            id("vpc", &f.vpc),
            id("firewall", &f.name)
        );
        for e in &f.endpoints {
            let _ = writeln!(
                o,
                "  {} [shape=point, xlabel={}];",
                id("endpoint", &e.name),
                quote(&format!("{} ({})", e.name, e.subnet))
            );
            let _ = writeln!(
                o,
                "  {} -> {} [dir=none, style=dotted];",
                id("firewall", &f.name),
                id("endpoint", &e.name)
            );
        }
    }
    for g in &m.gateway_load_balancers {
        let _ = writeln!(
            o,
            "  {} [shape=octagon, style=filled, fillcolor=plum, label={}];",
            id("gwlb", &g.name),
            lines(&[
                &format!("GWLB {}", g.name),
                &format!("{} appliances", g.appliances.len())
            ])
        );
        let _ = writeln!(
            o,
            "  {} -> {} [dir=none];",
            id("vpc", &g.vpc),
            id("gwlb", &g.name)
        );
    }
    for e in &m.vpc_endpoints {
        if let Some(g) = &e.gateway_load_balancer {
            let _ = writeln!(
                o,
                "  {} [shape=point, xlabel={}];",
                id("vpce", &e.name),
                quote(&e.name)
            );
            let _ = writeln!(
                o,
                "  {} -> {} [style=dotted];",
                id("vpce", &e.name),
                id("gwlb", g)
            );
            let _ = writeln!(
                o,
                "  {} -> {} [dir=none];",
                id("vpc", &e.vpc),
                id("vpce", &e.name)
            );
        }
    }
    for r in &m.transit_gateway_route_tables {
        let _ = writeln!(
            o,
            "  {} [shape=note, style=filled, fillcolor=lightyellow, label={}];",
            id("tgw-rtb", &r.name),
            lines(&[&format!("TGW route table {}", r.name)])
        );
        let _ = writeln!(
            o,
            "  {} -> {} [dir=none, color=goldenrod];",
            id("tgw", &r.transit_gateway),
            id("tgw-rtb", &r.name)
        );
    }
    for a in &m.transit_gateway_attachments {
        let mut label = vec![a.name.clone()];
        let ty = match a.attachment_type {
            AttachmentType::Vpc => "vpc",
            AttachmentType::Vpn => "vpn",
            AttachmentType::DirectConnectGateway => "direct connect gateway",
            AttachmentType::Peering => "peering",
            AttachmentType::Connect => "connect",
        };
        label.push(if a.appliance_mode {
            format!("{ty}, appliance mode")
        } else {
            ty.to_string()
        });
        if !a.available {
            label.push("UNAVAILABLE".to_string());
        }
        let parts: Vec<&str> = label.iter().map(String::as_str).collect();
        let _ = writeln!(
            o,
            "  {} [shape=component, label={}{}];",
            id("attachment", &a.name),
            lines(&parts),
            if a.available {
                ""
            } else {
                ", style=dashed, color=red"
            }
        );
        let resource = match a.attachment_type {
            AttachmentType::Vpc => a.vpc.as_deref().map(|v| id("vpc", v)),
            AttachmentType::Vpn | AttachmentType::DirectConnectGateway => {
                a.site.as_deref().map(|s| id("site", s))
            }
            AttachmentType::Peering => a.peer_transit_gateway.as_deref().map(|t| id("tgw", t)),
            AttachmentType::Connect => a
                .transport_attachment
                .as_deref()
                .map(|t| id("attachment", t)),
        };
        if let Some(r) = resource {
            let _ = writeln!(o, "  {r} -> {} [dir=none];", id("attachment", &a.name));
        }
        let _ = writeln!(
            o,
            "  {} -> {} [dir=none];",
            id("attachment", &a.name),
            id("tgw", &a.transit_gateway)
        );
        if let Some(r) = &a.association {
            let _ = writeln!(
                o,
                "  {} -> {} [color=blue, label=\"associated\"];",
                id("attachment", &a.name),
                id("tgw-rtb", r)
            );
        }
        for p in &a.propagations {
            let _ = writeln!(
                o,
                "  {} -> {} [style=dashed, color=darkgreen, label=\"propagates\"];",
                id("attachment", &a.name),
                id("tgw-rtb", p)
            );
        }
    }
    o.push_str("}\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_quotes_backslashes_and_newlines() {
        assert_eq!(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c d\"");
        assert_eq!(lines(&["x\"", "y"]), "\"x\\\"\\ny\"");
    }

    #[test]
    fn hostile_names_stay_inside_their_quotes() {
        let mut m: Model =
            serde_json::from_str(include_str!("../../scenarios/examples/minimal.json")).unwrap();
        m.name = "evil\" { x -> y }".into();
        m.vpcs[0].name = "a\"];\nnode [b".into();
        let dot = render(&m);
        assert!(
            dot.starts_with("digraph \"evil\\\" { x -> y }\" {"),
            "{dot}"
        );
        assert!(dot.contains("\"vpc:a\\\"]; node [b\""), "{dot}");
        // Every line has balanced unescaped quotes.
        for l in dot.lines() {
            let unescaped = l.replace("\\\\", "").replace("\\\"", "");
            assert_eq!(unescaped.matches('"').count() % 2, 0, "{l}");
        }
    }

    #[test]
    fn minimal_graph_has_every_object_and_relation() {
        let m: Model =
            serde_json::from_str(include_str!("../../scenarios/examples/minimal.json")).unwrap();
        let dot = render(&m);
        for needle in [
            "subgraph \"cluster_account_0\"",
            "\"vpc:egress\" [shape=box",
            "\"tgw:hub\" [shape=hexagon",
            "\"tgw:hub\" -> \"tgw-rtb:hub-spokes\"",
            "\"vpc:app\" -> \"attachment:app-att\"",
            "\"attachment:app-att\" -> \"tgw-rtb:hub-spokes\" [color=blue, label=\"associated\"]",
            "\"attachment:app-att\" -> \"tgw-rtb:hub-egress\" [style=dashed",
            "\"site:dc\" -> \"attachment:dc-vpn\"",
            "\"igw:egress-igw\" -> \"internet:internet\"",
        ] {
            assert!(dot.contains(needle), "missing {needle}:\n{dot}");
        }
        assert_eq!(dot, render(&m.clone()), "deterministic");
    }
}
