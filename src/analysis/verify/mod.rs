//! Intent verification (`lztwin verify`): must-traverse, isolated, reachable,
//! symmetric and no-exposure intents, and Network Access Analyzer scopes
//! ([`crate::analysis::naa`]), checked with [`crate::sim::trace`].
//!
//! Checks are exhaustive over equivalence classes ([`classes`]), not sampled: for each
//! (source, destination) endpoint pair the selectors pick, with address selectors
//! split into address classes, every service class the intent covers is traced once.
//! Pairs run in parallel (rayon); results keep the enumeration order, so the report is
//! the same whatever the thread count. Every violation carries a counterexample: the
//! concrete flow and its hop-by-hop [`Trace`].

pub mod classes;
pub mod select;

use crate::dataplane::{Dataplane, FailureSet};
use crate::diag::Diagnostic;
use crate::model::policy::{Intent, IntentKind, PolicyBody, Pos, ServiceSpec, Through};
use crate::model::{Model, ObjectKind};
use crate::sim::{trace, Endpoint, Flow, Trace, TraceOptions};
use classes::{service_classes, ServiceClass};
use select::{Picked, Resolver};
use serde::Serialize;
use std::collections::BTreeSet;

pub use crate::model::policy::Policy;

/// Violations listed per intent (the count is always exact).
pub const MAX_LISTED: usize = 50;
/// Violations per intent that carry their full trace (every listed one).
pub const MAX_TRACED: usize = MAX_LISTED;

/// Whether an intent holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every flow checked satisfies the intent (for scopes: no finding).
    Holds,
    /// At least one flow violates it (for scopes: at least one finding).
    Violated,
    /// The intent could not be checked on this model (a selector names nothing).
    Error,
}

impl Status {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Holds => "holds",
            Status::Violated => "violated",
            Status::Error => "error",
        }
    }
}

/// One flow that breaks an intent (or one Network Access Analyzer finding).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Source endpoint (`<eni name>`, `onprem:<site>`, `internet`).
    pub from: String,
    /// Destination endpoint.
    pub to: String,
    /// The concrete flow.
    pub flow: Flow,
    /// What is wrong, in words.
    pub problem: String,
    /// Where in the policy file (the intent, or the scope's matching `MatchPaths` entry).
    pub location: Pos,
    /// The hop-by-hop trace (of the first [`MAX_TRACED`] violations of an intent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Trace>,
}

/// The result of one intent or scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IntentResult {
    /// The policy file.
    pub policy: String,
    /// Intent name (scopes: the file name without extension).
    pub name: String,
    /// Intent kind (`naa-scope` for scopes).
    pub kind: IntentKind,
    /// Free text from the policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the intent starts in the policy file.
    pub location: Pos,
    /// Holds, violated or error.
    pub status: Status,
    /// Flows traced.
    pub flows_checked: usize,
    /// Flows that violate it (scopes: findings).
    pub violation_count: usize,
    /// The first [`MAX_LISTED`] violations, in enumeration order.
    pub violations: Vec<Violation>,
    /// Why the intent could not be checked (status `error`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Counts over a report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VerifySummary {
    /// Intents and scopes checked.
    pub checked: usize,
    /// How many hold.
    pub holds: usize,
    /// How many are violated.
    pub violated: usize,
    /// How many could not be checked.
    pub errors: usize,
    /// Network Access Analyzer findings, over all scopes.
    pub findings: usize,
    /// Flows traced.
    pub flows: usize,
}

/// The result of verifying policies (stable JSON contract of `lztwin verify --format json`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// The input environment.
    pub input: String,
    /// One result per intent and per scope, policy files in the order given.
    pub results: Vec<IntentResult>,
    /// Counts.
    pub summary: VerifySummary,
}

impl VerifyReport {
    /// Merge another report's results in (for several policy files).
    pub fn extend(&mut self, other: VerifyReport) {
        self.results.extend(other.results);
        self.summary = summarize(&self.results);
    }

    /// Whether everything holds (exit 0).
    pub fn all_hold(&self) -> bool {
        self.results.iter().all(|r| r.status == Status::Holds)
    }

    /// Names of the intents and scopes that do not hold.
    pub fn broken(&self) -> Vec<String> {
        self.results
            .iter()
            .filter(|r| r.status != Status::Holds)
            .map(|r| r.name.clone())
            .collect()
    }

    /// Rows for a report table (the HTML report): intent, kind, status and a one-line
    /// counterexample summary.
    pub fn rows(&self) -> Vec<VerifyRow> {
        self.results
            .iter()
            .map(|r| VerifyRow {
                intent: r.name.clone(),
                kind: r.kind.as_str().to_string(),
                status: r.status.as_str().to_string(),
                counterexample: counterexample_summary(r),
            })
            .collect()
    }
}

/// One row of the verification table of a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerifyRow {
    /// Intent or scope name.
    pub intent: String,
    /// Intent kind.
    pub kind: String,
    /// `holds`, `violated` or `error`.
    pub status: String,
    /// The first counterexample in one line (empty when it holds).
    pub counterexample: String,
}

/// `tcp 10.0.0.1:49152 → 10.1.0.1:443`.
pub fn flow_text(f: &Flow) -> String {
    if f.protocol.has_ports() {
        format!(
            "{} {}:{} -> {}:{}",
            f.protocol, f.src, f.src_port, f.dst, f.dst_port
        )
    } else {
        format!("{} {} -> {}", f.protocol, f.src, f.dst)
    }
}

/// The first violation of a result in one line.
pub fn counterexample_summary(r: &IntentResult) -> String {
    if let Some(e) = &r.error {
        return e.clone();
    }
    match r.violations.first() {
        None => String::new(),
        Some(v) => {
            let more = if r.violation_count > 1 {
                format!(" (+{} more)", r.violation_count - 1)
            } else {
                String::new()
            };
            format!(
                "{} -> {}: {}: {}{more}",
                v.from,
                v.to,
                flow_text(&v.flow),
                v.problem
            )
        }
    }
}

fn summarize(results: &[IntentResult]) -> VerifySummary {
    let mut s = VerifySummary {
        checked: results.len(),
        ..VerifySummary::default()
    };
    for r in results {
        match r.status {
            Status::Holds => s.holds += 1,
            Status::Violated => s.violated += 1,
            Status::Error => s.errors += 1,
        }
        if r.kind == IntentKind::NaaScope {
            s.findings += r.violation_count;
        }
        s.flows += r.flows_checked;
    }
    s
}

/// Every problem resolving the policy against the model (unknown accounts, VPCs,
/// sites, firewalls …), located in the policy file. Empty when the policy applies.
pub fn resolve_errors(m: &Model, p: &Policy) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let PolicyBody::Scope(s) = &p.body {
        for e in crate::analysis::naa::scope_errors(m, s) {
            out.push(Diagnostic::error(&p.file, s.pos.to_string(), e));
        }
    }
    if let PolicyBody::Intents(intents) = &p.body {
        let r = Resolver::new(m, &intent_prefixes(intents));
        for i in intents {
            for (pos, msg) in resolve_intent(&r, i).err().unwrap_or_default() {
                out.push(Diagnostic::error(
                    &p.file,
                    pos.to_string(),
                    format!("intent `{}`: {msg}", i.name),
                ));
            }
        }
    }
    out
}

fn intent_prefixes(intents: &[Intent]) -> Vec<ipnet::IpNet> {
    let mut v = Vec::new();
    for i in intents {
        for s in i.from.iter().chain(&i.to) {
            if let crate::model::policy::Selector::Cidr(c) = s.value {
                v.push(c);
            }
        }
    }
    v
}

/// A resolved intent: its endpoints and accepted inspection components.
struct Resolved {
    from: Vec<Picked>,
    to: Vec<Picked>,
    /// `None` = any inspection; else ids and names of accepted inspection components.
    through: Option<BTreeSet<String>>,
}

fn resolve_intent(r: &Resolver<'_>, i: &Intent) -> Result<Resolved, Vec<(Pos, String)>> {
    let mut errs = Vec::new();
    let from = r.resolve_all(&i.from).unwrap_or_else(|e| {
        errs.extend(e);
        Vec::new()
    });
    let to = r.resolve_all(&i.to).unwrap_or_else(|e| {
        errs.extend(e);
        Vec::new()
    });
    let through = match &i.through {
        Through::Any => None,
        Through::Named(names) => {
            let mut set = BTreeSet::new();
            for n in names {
                match inspection_ids(r.model(), r.index(), &n.value) {
                    Some(ids) => set.extend(ids),
                    None => errs.push((
                        n.pos,
                        format!(
                            "no firewall, firewall endpoint, Gateway Load Balancer, GWLB endpoint or appliance `{}` in the model",
                            n.value
                        ),
                    )),
                }
            }
            Some(set)
        }
    };
    if errs.is_empty() {
        Ok(Resolved { from, to, through })
    } else {
        Err(errs)
    }
}

/// The ids and names under which the inspection component `name` appears in a trace's
/// `inspected_by`: a firewall stands for its endpoints, a Gateway Load Balancer for
/// its endpoints and appliances.
pub fn inspection_ids(m: &Model, ix: &crate::model::Index, name: &str) -> Option<Vec<String>> {
    let r = ix.get(name)?;
    let mut out = Vec::new();
    let mut push = |n: &str, id: Option<&str>| {
        out.push(n.to_string());
        if let Some(id) = id {
            out.push(id.to_string());
        }
    };
    match r.kind {
        ObjectKind::Firewall => {
            let f = &m.firewalls[r.index];
            push(&f.name, f.id.as_deref());
            for e in &f.endpoints {
                push(&e.name, e.id.as_deref());
            }
        }
        ObjectKind::FirewallEndpoint => {
            let e = &m.firewalls[r.index].endpoints[r.sub];
            push(&e.name, e.id.as_deref());
        }
        ObjectKind::GatewayLoadBalancer => {
            let g = &m.gateway_load_balancers[r.index];
            push(&g.name, g.id.as_deref());
            for e in &m.vpc_endpoints {
                if e.gateway_load_balancer.as_deref() == Some(g.name.as_str()) {
                    push(&e.name, e.id.as_deref());
                }
            }
            for a in &g.appliances {
                if let Some(i) = ix.get_kind(a, ObjectKind::NetworkInterface) {
                    let n = &m.network_interfaces[i];
                    push(&n.name, n.id.as_deref());
                }
            }
        }
        ObjectKind::VpcEndpoint => {
            let e = &m.vpc_endpoints[r.index];
            push(&e.name, e.id.as_deref());
        }
        ObjectKind::NetworkInterface => {
            let n = &m.network_interfaces[r.index];
            push(&n.name, n.id.as_deref());
            if let Some(i) = &n.instance {
                out.push(i.clone());
            }
        }
        _ => return None,
    }
    Some(out)
}

/// Extra source ports tried per flow class to meet every AZ of its inspection.
pub const MAX_AZ_TRIES: u16 = 12;

/// The AZ of every inspection endpoint, by id and name, and the AZs of each inspection
/// component (a firewall or a Gateway Load Balancer). With appliance mode on, and for
/// traffic from VPN / Direct Connect attachments, the Transit Gateway picks the AZ by a
/// hash of the flow ("Appliance mode",
/// <https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-appliance-scenario.html>):
/// one representative flow meets one AZ's endpoint, so verification varies the source
/// port (within the ephemeral range: the class does not change) until every AZ of the
/// component has been met, or [`MAX_AZ_TRIES`] more flows were traced.
#[derive(Clone, Debug, Default)]
pub(crate) struct InspectionAzs {
    /// Endpoint id or name → (component, AZ).
    by_id: std::collections::BTreeMap<String, (String, String)>,
    /// Component → its AZs.
    azs: std::collections::BTreeMap<String, BTreeSet<String>>,
}

impl InspectionAzs {
    pub(crate) fn new(m: &Model) -> InspectionAzs {
        let mut out = InspectionAzs::default();
        let az_of = |subnet: &str| {
            select::find(&m.subnets, subnet, |x| (&x.name, x.id.as_deref()))
                .map(|i| m.subnets[i].az.clone())
        };
        let mut add = |group: &str, name: &str, id: Option<&str>, az: Option<String>| {
            let Some(az) = az else { return };
            out.azs
                .entry(group.to_string())
                .or_default()
                .insert(az.clone());
            for k in std::iter::once(name).chain(id) {
                out.by_id
                    .insert(k.to_string(), (group.to_string(), az.clone()));
            }
        };
        for f in &m.firewalls {
            for e in &f.endpoints {
                add(&f.name, &e.name, e.id.as_deref(), az_of(&e.subnet));
            }
        }
        for e in &m.vpc_endpoints {
            if let (Some(g), Some(sn)) = (&e.gateway_load_balancer, &e.subnet) {
                add(g, &e.name, e.id.as_deref(), az_of(sn));
            }
        }
        out
    }
}

/// The AZs met so far per inspection component.
#[derive(Default)]
pub(crate) struct AzCover(std::collections::BTreeMap<String, BTreeSet<String>>);

impl AzCover {
    pub(crate) fn add(&mut self, azs: &InspectionAzs, t: &Trace) {
        for id in &t.inspected_by {
            if let Some((g, az)) = azs.by_id.get(id) {
                self.0.entry(g.clone()).or_default().insert(az.clone());
            }
        }
    }

    /// Every component met so far has been met in all its AZs.
    pub(crate) fn complete(&self, azs: &InspectionAzs) -> bool {
        self.0
            .iter()
            .all(|(g, seen)| azs.azs.get(g).is_none_or(|all| all.is_subset(seen)))
    }
}

/// The flow from `src` to `dst` for a service class. Flows from the Internet address an
/// ENI by its public IP when it has one (`dst_public`).
fn make_flow(src: &Picked, dst_ip: std::net::IpAddr, c: &ServiceClass) -> Flow {
    let ports = c.protocol.has_ports();
    Flow {
        src: src.endpoint.ip(),
        dst: dst_ip,
        protocol: c.protocol,
        src_port: if ports {
            crate::analysis::diff::SRC_PORT
        } else {
            0
        },
        dst_port: if ports { c.port } else { 0 },
    }
}

/// The destination endpoints of a pair: an ENI reached from the Internet is tried at
/// its public IP and its private IP; anything else at its own address.
fn dst_variants(src: &Picked, dst: &Picked) -> Vec<Endpoint> {
    match (&src.endpoint, &dst.endpoint, dst.public_ip) {
        (Endpoint::Internet { .. }, Endpoint::Interface { eni, ip }, Some(public))
            if *ip != public =>
        {
            vec![
                Endpoint::Interface {
                    eni: *eni,
                    ip: public,
                },
                dst.endpoint.clone(),
            ]
        }
        _ => vec![dst.endpoint.clone()],
    }
}

/// The ordered pairs of an intent: `from` × `to` (and back with `both_directions`),
/// without an endpoint paired with itself or the Internet with the Internet.
fn pairs(res: &Resolved, both: bool) -> Vec<(Picked, Picked)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut add = |a: &Picked, b: &Picked| {
        if a.endpoint == b.endpoint
            || (matches!(a.endpoint, Endpoint::Internet { .. })
                && matches!(b.endpoint, Endpoint::Internet { .. }))
        {
            return;
        }
        if seen.insert((a.endpoint.clone(), b.endpoint.clone())) {
            out.push((a.clone(), b.clone()));
        }
    };
    for a in &res.from {
        for b in &res.to {
            add(a, b);
        }
    }
    if both {
        for b in &res.to {
            for a in &res.from {
                add(b, a);
            }
        }
    }
    out
}

fn set(v: &[String]) -> BTreeSet<&str> {
    v.iter().map(|s| s.as_str()).collect()
}

fn verdict_text(t: &Trace) -> String {
    match &t.reason {
        Some(r) => format!("{} ({r})", t.verdict.as_str()),
        None => t.verdict.as_str().to_string(),
    }
}

/// Judge one flow against an intent: `Some(problem)` when it violates it.
fn judge(kind: IntentKind, through: &Option<BTreeSet<String>>, t: &Trace) -> Option<String> {
    match kind {
        IntentKind::MustTraverse => {
            if !t.verdict.is_success() {
                return None;
            }
            let ok = match through {
                None => !t.inspected_by.is_empty(),
                Some(ids) => t.inspected_by.iter().any(|i| ids.contains(i)),
            };
            (!ok).then(|| {
                if t.inspected_by.is_empty() {
                    format!("{} without inspection", t.verdict.as_str())
                } else {
                    format!(
                        "{} inspected only by {}, not by the required component",
                        t.verdict.as_str(),
                        t.inspected_by.join(", ")
                    )
                }
            })
        }
        IntentKind::Isolated | IntentKind::NoExposure => t
            .verdict
            .is_success()
            .then(|| format!("{}: a path exists", t.verdict.as_str())),
        IntentKind::Reachable => {
            if !t.verdict.is_success() {
                return Some(format!("request {}", verdict_text(t)));
            }
            match &t.return_trace {
                Some(r) if r.verdict.is_success() => None,
                Some(r) => Some(format!("reply {}", verdict_text(r))),
                None => Some("reply not traced".into()),
            }
        }
        IntentKind::Symmetric => {
            if !t.verdict.is_success() {
                return None;
            }
            let fwd = set(&t.inspected_by);
            match &t.return_trace {
                None => Some("reply not traced".into()),
                Some(r) => {
                    let back = set(&r.inspected_by);
                    let asym = r
                        .reason
                        .as_deref()
                        .is_some_and(|x| x.contains("ASYMMETRIC"));
                    // A reply dropped by a security group or NACL before any inspection
                    // is a reachability problem, not an asymmetry.
                    let filtered_early = !r.verdict.is_success() && back.is_empty() && !asym;
                    if (fwd == back && !asym) || filtered_early {
                        return None;
                    }
                    let show = |s: &BTreeSet<&str>| {
                        if s.is_empty() {
                            "nothing".to_string()
                        } else {
                            s.iter().copied().collect::<Vec<_>>().join(", ")
                        }
                    };
                    Some(format!(
                        "request inspected by {}, reply by {} (reply {})",
                        show(&fwd),
                        show(&back),
                        verdict_text(r)
                    ))
                }
            }
        }
        IntentKind::NaaScope => None,
    }
}

/// Check one intent on a compiled dataplane.
pub fn check_intent(
    dp: &Dataplane,
    r: &Resolver<'_>,
    classes: &[ServiceClass],
    file: &str,
    i: &Intent,
) -> IntentResult {
    use rayon::prelude::*;
    let mut out = IntentResult {
        policy: file.to_string(),
        name: i.name.clone(),
        kind: i.kind,
        description: i.description.clone(),
        location: i.pos,
        status: Status::Holds,
        flows_checked: 0,
        violation_count: 0,
        violations: Vec::new(),
        error: None,
    };
    let res = match resolve_intent(r, i) {
        Ok(res) => res,
        Err(errs) => {
            out.status = Status::Error;
            out.error = Some(
                errs.iter()
                    .map(|(p, m)| format!("{p}: {m}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            return out;
        }
    };
    let covered = |c: &ServiceClass, list: &[ServiceSpec]| list.iter().any(|s| c.within(s));
    let svc: Vec<ServiceClass> = classes
        .iter()
        .filter(|c| match i.kind {
            IntentKind::NoExposure => !covered(c, &i.allow),
            _ => i.services.is_empty() || covered(c, &i.services),
        })
        .copied()
        .collect();
    let both_ways = matches!(i.kind, IntentKind::Reachable | IntentKind::Symmetric);
    let opts = TraceOptions { both_ways };
    let pairs = pairs(&res, i.both_directions);
    let azs = InspectionAzs::new(r.model());
    let per_pair: Vec<(usize, Vec<Violation>)> = pairs
        .par_iter()
        .map(|(a, b)| {
            let mut n = 0;
            let mut v = Vec::new();
            for dst in dst_variants(a, b) {
                for c in &svc {
                    let base = make_flow(a, dst.ip(), c);
                    let mut seen = AzCover::default();
                    let mut tries = 0;
                    let mut f = base;
                    loop {
                        let t = trace(dp, &a.endpoint, &dst, &f, &opts);
                        n += 1;
                        seen.add(&azs, &t);
                        if let Some(problem) = judge(i.kind, &res.through, &t) {
                            v.push(Violation {
                                from: a.label.clone(),
                                to: b.label.clone(),
                                flow: f,
                                problem,
                                location: i.pos,
                                trace: Some(t),
                            });
                        }
                        // Cover every AZ of the inspection the flow met: the AZ comes
                        // from a hash of the flow, so vary the source port.
                        if !c.protocol.has_ports() || seen.complete(&azs) || tries >= MAX_AZ_TRIES {
                            break;
                        }
                        tries += 1;
                        f = Flow {
                            src_port: base.src_port + tries,
                            ..base
                        };
                    }
                }
            }
            (n, v)
        })
        .collect();
    add_pair_results(&mut out, per_pair);
    out
}

/// Check a policy (intents or a Network Access Analyzer scope) on a dataplane compiled
/// from `m`. Intents that do not resolve on `m` get status `error` (see
/// [`resolve_errors`] to reject them up front).
pub fn check(dp: &Dataplane, m: &Model, p: &Policy) -> VerifyReport {
    let results = match &p.body {
        PolicyBody::Intents(intents) => {
            let extra: Vec<ServiceSpec> = intents
                .iter()
                .flat_map(|i| i.services.iter().chain(&i.allow).copied())
                .collect();
            let classes = service_classes(m, &extra);
            let r = Resolver::new(m, &intent_prefixes(intents));
            intents
                .iter()
                .map(|i| check_intent(dp, &r, &classes, &p.file, i))
                .collect()
        }
        PolicyBody::Scope(s) => vec![crate::analysis::naa::check_scope(dp, m, &p.file, s)],
    };
    let summary = summarize(&results);
    VerifyReport {
        input: String::new(),
        results,
        summary,
    }
}

/// Check several policies on `m` with `failures` masked; the names of the intents and
/// scopes that do not hold. This is the [`crate::analysis::failures::PolicyCheck`] the
/// failure sweep and `diff --policy` call.
pub fn violated(m: &Model, failures: &FailureSet, policies: &[Policy]) -> Vec<String> {
    let dp = Dataplane::compile_with_failures(m, failures);
    let mut out: Vec<String> = policies
        .iter()
        .flat_map(|p| check(&dp, m, p).broken())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Hop, Verdict};

    fn t(verdict: Verdict, inspected: &[&str], ret: Option<Trace>) -> Trace {
        Trace {
            flow: Flow {
                src: "10.0.0.1".parse().unwrap(),
                dst: "10.1.0.1".parse().unwrap(),
                protocol: crate::model::Protocol::Tcp,
                src_port: 49152,
                dst_port: 443,
            },
            verdict,
            reason: None,
            hops: vec![Hop {
                kind: "network-interface".into(),
                id: "eni-1".into(),
                name: "a".into(),
                account: None,
                az: None,
                action: "forward".into(),
                detail: "".into(),
            }],
            inspected_by: inspected.iter().map(|s| s.to_string()).collect(),
            return_trace: ret.map(Box::new),
        }
    }

    #[test]
    fn must_traverse_judgement() {
        let k = IntentKind::MustTraverse;
        assert!(judge(k, &None, &t(Verdict::Accepted, &[], None)).is_some());
        assert!(judge(k, &None, &t(Verdict::Accepted, &["vpce-1"], None)).is_none());
        assert!(judge(k, &None, &t(Verdict::Denied, &[], None)).is_none());
        let only: Option<BTreeSet<String>> = Some(["vpce-2".to_string()].into_iter().collect());
        assert!(judge(k, &only, &t(Verdict::ExitsNetwork, &["vpce-1"], None)).is_some());
        assert!(judge(k, &only, &t(Verdict::ExitsNetwork, &["vpce-2"], None)).is_none());
    }

    #[test]
    fn symmetric_and_reachable_judgement() {
        let back_same = t(Verdict::Accepted, &["vpce-1"], None);
        let back_other = t(Verdict::Denied, &["vpce-2"], None);
        let s = IntentKind::Symmetric;
        assert!(judge(
            s,
            &None,
            &t(Verdict::Accepted, &["vpce-1"], Some(back_same.clone()))
        )
        .is_none());
        let p = judge(
            s,
            &None,
            &t(Verdict::Accepted, &["vpce-1"], Some(back_other.clone())),
        );
        assert!(p.unwrap().contains("vpce-2"));
        assert!(judge(s, &None, &t(Verdict::Denied, &[], None)).is_none());
        let r = IntentKind::Reachable;
        assert!(judge(r, &None, &t(Verdict::Accepted, &[], Some(back_same))).is_none());
        assert!(judge(r, &None, &t(Verdict::Accepted, &[], Some(back_other))).is_some());
        assert!(judge(r, &None, &t(Verdict::NoRoute, &[], None)).is_some());
        assert!(judge(
            IntentKind::Isolated,
            &None,
            &t(Verdict::Accepted, &[], None)
        )
        .is_some());
        assert!(judge(IntentKind::Isolated, &None, &t(Verdict::Denied, &[], None)).is_none());
    }
}

#[cfg(test)]
mod reference_tests {
    use super::*;
    use crate::ingest::policy::parse;

    #[test]
    fn hook_lists_what_a_failure_breaks_and_rows_summarise() {
        let m = crate::ingest::load_reference().expect("reference").model;
        let p = parse(
            br#"{"intents": [
  {"name": "builder-reaches-prod", "type": "reachable", "from": ["endpoint:builder-runner-a"],
   "to": ["endpoint:prod-app-a"], "services": ["tcp/443"]},
  {"name": "dev-isolated", "type": "isolated", "from": ["env:dev"], "to": ["env:prod"]}
]}"#,
            "p.json",
        )
        .unwrap();
        assert!(resolve_errors(&m, &p).is_empty());
        assert!(violated(&m, &FailureSet::default(), std::slice::from_ref(&p)).is_empty());
        let fs = FailureSet {
            failed: ["eu-west-1a".to_string()].into_iter().collect(),
        };
        assert_eq!(
            violated(&m, &fs, std::slice::from_ref(&p)),
            ["builder-reaches-prod"]
        );
        let dp = Dataplane::compile_with_failures(&m, &fs);
        let r = check(&dp, &m, &p);
        let rows = r.rows();
        assert_eq!(rows[0].status, "violated");
        assert!(
            rows[0].counterexample.starts_with(
                "builder-runner-a -> prod-app-a: tcp 10.64.16.10:49152 -> 10.64.96.10:443"
            ),
            "{}",
            rows[0].counterexample
        );
        assert_eq!(rows[1].status, "holds");
        assert!(rows[1].counterexample.is_empty());
    }
}

/// Fold the per-pair results of an intent or scope into its result, in enumeration
/// order: count every flow and violation, keep the first [`MAX_LISTED`] violations and
/// the traces of the first [`MAX_TRACED`], and mark the result violated if any.
pub(crate) fn add_pair_results(out: &mut IntentResult, per_pair: Vec<(usize, Vec<Violation>)>) {
    for (n, v) in per_pair {
        out.flows_checked += n;
        out.violation_count += v.len();
        out.violations.extend(v);
        out.violations.truncate(MAX_LISTED);
    }
    for (k, v) in out.violations.iter_mut().enumerate() {
        if k >= MAX_TRACED {
            v.trace = None;
        }
    }
    if out.violation_count > 0 {
        out.status = Status::Violated;
    }
}
