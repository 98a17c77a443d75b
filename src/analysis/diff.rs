//! Differential reachability: which flows a change (or a failure) breaks, creates, stops
//! inspecting or reroutes. Stable JSON contract of `lztwin diff` (issue 7):
//! `{"changes": [{"kind", "src", "dst", "protocol", "dst_port", "before", "after"}], "summary"}`.
//!
//! Both environments are evaluated cell by cell (every source endpoint × every destination
//! endpoint, for one service) into a [`CellTable`]; cells are matched by endpoint key, so
//! two separately loaded environments can be compared, including endpoints that exist in
//! only one of them.

use crate::analysis::matrix::{self, Engine, Half, Matrix, MatrixOptions};
use crate::dataplane::{routing_delta, Dataplane, FailureSet};
use crate::model::{Model, Protocol};
use crate::sim::{summarize, Endpoint, Flow, Summary, Trace, Verdict};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

/// The service a reachability analysis is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Service {
    /// Protocol (`tcp`, `udp`, `icmp`, `all`).
    pub protocol: Protocol,
    /// Destination port (TCP/UDP).
    pub dst_port: u16,
}

/// The source port every analysed flow uses (the first IANA ephemeral port), as `lztwin trace`.
pub const SRC_PORT: u16 = 49152;

/// An endpoint as it appears in diff and failure outputs (the matrix contract's shape).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EndpointInfo {
    /// AWS id (or the name when none is known); `onprem:<site>` or `internet` otherwise.
    pub id: String,
    /// Name in the model.
    pub name: String,
    /// The address used.
    pub ip: IpAddr,
    /// The owning account (`onprem`, `internet` for those endpoints).
    pub group: String,
}

/// The outcome of one flow, as compared by a diff (`before` / `after`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PathOutcome {
    /// Trace verdict.
    pub verdict: Verdict,
    /// Inspection components passed (firewall/GWLB endpoints, appliances).
    pub inspected_by: Vec<String>,
    /// Number of hops.
    pub hops: usize,
    /// Explanation code of the verdict, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl PathOutcome {
    /// The outcome recorded for a flow whose endpoint does not exist in an environment.
    pub fn missing_endpoint() -> PathOutcome {
        PathOutcome {
            verdict: Verdict::Unreachable,
            inspected_by: Vec::new(),
            hops: 0,
            reason: Some("ENDPOINT_NOT_PRESENT".into()),
        }
    }

    /// From a trace: the round trip when the trace holds the reply (a flow whose reply
    /// is dropped is broken: it takes the reply's verdict, with its reason prefixed
    /// `RETURN_`), else the forward direction.
    pub fn from_trace(t: &Trace) -> PathOutcome {
        let ret = t.return_trace.as_ref().map(|r| r.summary());
        PathOutcome::from_summaries(&t.summary(), ret.as_ref())
    }

    /// The same outcome from [`crate::sim::summarize`]'s result (the walk without
    /// explanations): equal to [`Self::from_trace`] of the same flow's trace.
    pub fn from_summaries(fwd: &Summary, ret: Option<&Summary>) -> PathOutcome {
        let mut inspected_by = fwd.inspected_by.clone();
        let mut verdict = fwd.verdict;
        let mut reason = fwd.reason.clone();
        let mut hops = fwd.hops as usize;
        if let Some(r) = ret {
            inspected_by.extend(r.inspected_by.iter().cloned());
            hops += r.hops as usize;
            if !r.verdict.is_success() {
                verdict = r.verdict;
                reason = Some(format!(
                    "RETURN_{}",
                    r.reason.as_deref().unwrap_or("DROPPED")
                ));
            }
        }
        inspected_by.sort();
        inspected_by.dedup();
        PathOutcome {
            verdict,
            inspected_by,
            hops,
            reason,
        }
    }

    fn inspected(&self) -> bool {
        !self.inspected_by.is_empty()
    }
}

/// The kind of a change, in the order changes are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Reachable before, not after.
    Lost,
    /// Reachable and inspected before, reachable without inspection after.
    LostInspection,
    /// Not reachable before, reachable after.
    Gained,
    /// Reachable without inspection before, inspected after.
    GainedInspection,
    /// Still reachable (or still not), by another path: other inspection components, another
    /// hop count, or another failure verdict.
    PathChanged,
}

impl ChangeKind {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Lost => "lost",
            ChangeKind::LostInspection => "lost-inspection",
            ChangeKind::Gained => "gained",
            ChangeKind::GainedInspection => "gained-inspection",
            ChangeKind::PathChanged => "path-changed",
        }
    }
}

/// How one flow's outcome changed, or `None` when it did not.
pub fn classify(before: &PathOutcome, after: &PathOutcome) -> Option<ChangeKind> {
    let (b, a) = (before.verdict.is_success(), after.verdict.is_success());
    match (b, a) {
        (true, false) => Some(ChangeKind::Lost),
        (false, true) => Some(ChangeKind::Gained),
        (true, true) if before.inspected() && !after.inspected() => {
            Some(ChangeKind::LostInspection)
        }
        (true, true) if !before.inspected() && after.inspected() => {
            Some(ChangeKind::GainedInspection)
        }
        (true, true) if before != after => Some(ChangeKind::PathChanged),
        (false, false) if before.verdict != after.verdict => Some(ChangeKind::PathChanged),
        _ => None,
    }
}

/// One changed flow (an element of `changes`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowChange {
    /// What changed.
    pub kind: ChangeKind,
    /// Source endpoint.
    pub src: EndpointInfo,
    /// Destination endpoint.
    pub dst: EndpointInfo,
    /// Protocol of the flow.
    pub protocol: Protocol,
    /// Destination port of the flow.
    pub dst_port: u16,
    /// Outcome in the base environment.
    pub before: PathOutcome,
    /// Outcome in the changed environment.
    pub after: PathOutcome,
}

/// Counts of a diff.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffSummary {
    /// Flows compared.
    pub flows: usize,
    /// Flows reachable before.
    pub reachable_before: usize,
    /// Flows reachable after.
    pub reachable_after: usize,
    /// Flows lost.
    pub lost: usize,
    /// Flows gained.
    pub gained: usize,
    /// Flows that lost inspection.
    pub lost_inspection: usize,
    /// Flows that gained inspection.
    pub gained_inspection: usize,
    /// Flows whose path changed.
    pub path_changed: usize,
    /// Policies that held on BASE and break on the changed environment (with `--policy`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies_broken: Vec<String>,
}

impl DiffSummary {
    /// Count one changed flow of `kind`.
    pub fn count(&mut self, kind: ChangeKind) {
        match kind {
            ChangeKind::Lost => self.lost += 1,
            ChangeKind::Gained => self.gained += 1,
            ChangeKind::LostInspection => self.lost_inspection += 1,
            ChangeKind::GainedInspection => self.gained_inspection += 1,
            ChangeKind::PathChanged => self.path_changed += 1,
        }
    }
}

/// The result of a diff (stable JSON contract).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffReport {
    /// Changed flows, by kind, then source, then destination.
    pub changes: Vec<FlowChange>,
    /// Counts.
    pub summary: DiffSummary,
}

/// Reachability of every (source, destination) endpoint pair of one environment for one
/// service. Cell `(i, j)` is at `i * n + j`; the diagonal is not evaluated (`None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellTable {
    /// The service.
    pub service: Service,
    /// Endpoint keys (`eni:<name>`, `onprem:<site>`, `internet`), in endpoint order.
    pub keys: Vec<String>,
    /// Endpoint descriptions.
    pub endpoints: Vec<EndpointInfo>,
    /// Row-major: the index of each flow's outcome in `outcomes` ([`NO_FLOW`] on the
    /// diagonal).
    pub cells: Vec<u32>,
    /// The distinct outcomes.
    pub outcomes: Vec<PathOutcome>,
}

/// A [`CellTable`] cell with no flow (an endpoint to itself).
pub const NO_FLOW: u32 = u32::MAX;

impl CellTable {
    /// Number of endpoints.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no endpoints.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The outcome index of the flow from endpoint `i` to endpoint `j`.
    pub fn id(&self, i: usize, j: usize) -> Option<u32> {
        self.cells
            .get(i * self.len() + j)
            .copied()
            .filter(|c| *c != NO_FLOW)
    }

    /// The outcome of the flow from endpoint `i` to endpoint `j`.
    pub fn get(&self, i: usize, j: usize) -> Option<&PathOutcome> {
        self.id(i, j).and_then(|c| self.outcomes.get(c as usize))
    }
}

/// Key and description of an endpoint.
pub fn describe_endpoint(m: &Model, e: &Endpoint) -> (String, EndpointInfo) {
    match e {
        Endpoint::Interface { eni, ip } => {
            let n = &m.network_interfaces[*eni];
            let account = m
                .subnets
                .iter()
                .find(|s| s.name == n.subnet)
                .and_then(|s| m.vpcs.iter().find(|v| v.name == s.vpc))
                .map(|v| v.account.clone())
                .unwrap_or_default();
            (
                format!("eni:{}", n.name),
                EndpointInfo {
                    id: n.id.clone().unwrap_or_else(|| n.name.clone()),
                    name: n.name.clone(),
                    ip: *ip,
                    group: account,
                },
            )
        }
        Endpoint::OnPrem { site, ip } => {
            let name = m.onprem_sites[*site].name.clone();
            (
                format!("onprem:{name}"),
                EndpointInfo {
                    id: format!("onprem:{name}"),
                    name,
                    ip: *ip,
                    group: "onprem".into(),
                },
            )
        }
        Endpoint::Internet { ip } => (
            "internet".into(),
            EndpointInfo {
                id: "internet".into(),
                name: "internet".into(),
                ip: *ip,
                group: "internet".into(),
            },
        ),
    }
}

/// The flow analysed from `src` to `dst` for `service`.
pub fn flow_for(model: &Model, src: &Endpoint, dst: &Endpoint, service: Service) -> Flow {
    crate::sim::flow_between(
        model,
        src,
        dst,
        service.protocol,
        SRC_PORT,
        service.dst_port,
    )
}

/// The outcome of the flow from `src` to `dst` for `service` through `dp`: the walk of
/// [`crate::sim::trace`] both ways, without explanations.
pub fn outcome(
    dp: &Dataplane,
    model: &Model,
    src: &Endpoint,
    dst: &Endpoint,
    service: Service,
) -> PathOutcome {
    let (fwd, ret) = summarize(dp, src, &flow_for(model, src, dst, service), true);
    PathOutcome::from_summaries(&fwd, ret.as_ref())
}

/// Compute the cell table of `model` with `failures` masked: the fast matrix engine
/// (both ways, which `crate::analysis::matrix` holds equal to tracing every pair) and each
/// cell's round trip folded into one [`PathOutcome`] ([`PathOutcome::from_summaries`]).
pub fn cell_table(model: &Model, failures: &FailureSet, service: Service) -> CellTable {
    let dp = Dataplane::compile_with_failures(model, failures);
    cell_table_of(&dp, model, service)
}

/// The options of the both-ways fast matrix a cell table is made from.
fn table_options(service: Service) -> MatrixOptions {
    MatrixOptions {
        protocol: service.protocol,
        dst_port: service.dst_port,
        both_ways: true,
        group_by: None,
        engine: Engine::Fast,
    }
}

/// [`cell_table`] of a dataplane already compiled (with whatever failures) from `model`.
pub fn cell_table_of(dp: &Dataplane, model: &Model, service: Service) -> CellTable {
    table_of_matrix(matrix::compute(dp, model, &table_options(service)), service)
}

/// The cell table of a both-ways matrix ([`table_options`]).
fn table_of_matrix(m: Matrix, service: Service) -> CellTable {
    // The matrix endpoints are `all_endpoints` in order, described as
    // [`describe_endpoint`] describes them (without its per-endpoint model scans).
    let n = m.endpoints.len();
    let (keys, endpoints): (Vec<String>, Vec<EndpointInfo>) = m
        .endpoints
        .iter()
        .map(|e| {
            let key = match e.endpoint {
                Endpoint::Interface { .. } => format!("eni:{}", e.name),
                Endpoint::OnPrem { .. } | Endpoint::Internet { .. } => e.id.clone(),
            };
            let info = EndpointInfo {
                id: e.id.clone(),
                name: e.name.clone(),
                ip: e.ip,
                group: e.account.clone(),
            };
            (key, info)
        })
        .unzip();
    let summary = |h: &Half| {
        let d = m.detail(h);
        Summary {
            verdict: h.verdict,
            reason: d.reason.clone(),
            hops: h.hops,
            inspected_by: d.inspected_by.clone(),
            hash_after_translation: false,
            watched: false,
        }
    };
    // The matrix numbers its outcomes by first use, row-major: so does the table.
    let outcomes: Vec<PathOutcome> = m
        .outcomes
        .iter()
        .map(|o| {
            PathOutcome::from_summaries(&summary(&o.fwd), o.ret.as_ref().map(summary).as_ref())
        })
        .collect();
    let mut cells = vec![NO_FLOW; n * n];
    if n > 1 {
        for (s, row) in m.cell_outcomes.chunks(n - 1).enumerate() {
            let (before, after) = row.split_at(s.min(row.len()));
            cells[s * n..s * n + before.len()].copy_from_slice(before);
            cells[s * n + s + 1..s * n + s + 1 + after.len()].copy_from_slice(after);
        }
    }
    CellTable {
        service,
        keys,
        endpoints,
        cells,
        outcomes,
    }
}

/// Compare two cell tables (same service). Endpoints are matched by key; a flow whose
/// endpoint exists on one side only counts as unreachable on the other.
pub fn diff_tables(before: &CellTable, after: &CellTable) -> DiffReport {
    if before.keys == after.keys {
        if let Some(r) = diff_same_endpoints(before, after) {
            return r;
        }
    }
    diff_by_key(before, after)
}

/// [`diff_tables`] in general: endpoints matched by key.
fn diff_by_key(before: &CellTable, after: &CellTable) -> DiffReport {
    let service = before.service;
    let mut union: BTreeMap<&str, (Option<usize>, Option<usize>)> = BTreeMap::new();
    for (i, k) in before.keys.iter().enumerate() {
        union.entry(k).or_default().0 = Some(i);
    }
    for (i, k) in after.keys.iter().enumerate() {
        union.entry(k).or_default().1 = Some(i);
    }
    let eps: Vec<(Option<usize>, Option<usize>)> = union.values().copied().collect();
    let info = |(b, a): (Option<usize>, Option<usize>)| -> &EndpointInfo {
        match (b, a) {
            (Some(b), _) => &before.endpoints[b],
            (None, Some(a)) => &after.endpoints[a],
            (None, None) => unreachable!("every key comes from one side"),
        }
    };
    let missing = PathOutcome::missing_endpoint();
    let mut report = DiffReport::default();
    let mut kinds: HashMap<(usize, usize), Option<ChangeKind>> = HashMap::new();
    let mut last: Option<((usize, usize), Option<ChangeKind>)> = None;
    for &s in &eps {
        for &d in &eps {
            if s == d {
                continue;
            }
            let b = match (s.0, d.0) {
                (Some(i), Some(j)) => before.get(i, j),
                _ => Some(&missing),
            };
            let a = match (s.1, d.1) {
                (Some(i), Some(j)) => after.get(i, j),
                _ => Some(&missing),
            };
            let (Some(b), Some(a)) = (b, a) else { continue };
            let sm = &mut report.summary;
            sm.flows += 1;
            sm.reachable_before += usize::from(b.verdict.is_success());
            sm.reachable_after += usize::from(a.verdict.is_success());
            // Classify each distinct pair of outcomes once.
            let key = (
                b as *const PathOutcome as usize,
                a as *const PathOutcome as usize,
            );
            let kind = match last {
                Some((k, kind)) if k == key => kind,
                _ => {
                    let kind = *kinds.entry(key).or_insert_with(|| classify(b, a));
                    last = Some((key, kind));
                    kind
                }
            };
            let Some(kind) = kind else { continue };
            sm.count(kind);
            report.changes.push(FlowChange {
                kind,
                src: info(s).clone(),
                dst: info(d).clone(),
                protocol: service.protocol,
                dst_port: service.dst_port,
                before: b.clone(),
                after: a.clone(),
            });
        }
    }
    report
        .changes
        .sort_by(|x, y| (x.kind, &x.src.id, &x.dst.id).cmp(&(y.kind, &y.src.id, &y.dst.id)));
    report
}

/// [`diff_tables`] of two tables with the same endpoints in the same order: cell `k` of
/// one is cell `k` of the other, so the cells are compared in place and each pair of
/// outcome numbers is classified once. Same report as the general path (which visits
/// endpoints in key order, then sorts the changes stably by kind, source id and
/// destination id): changes are sorted by those and then by key order. `None` when two
/// endpoints share a key (the general path matches them as one).
fn diff_same_endpoints(before: &CellTable, after: &CellTable) -> Option<DiffReport> {
    let n = before.len();
    let service = before.service;
    if before.cells.len() != n * n || after.cells.len() != n * n {
        return None;
    }
    let mut rank = vec![0u32; n];
    let mut by_key: Vec<usize> = (0..n).collect();
    by_key.sort_by(|&x, &y| before.keys[x].cmp(&before.keys[y]));
    if by_key
        .windows(2)
        .any(|w| before.keys[w[0]] == before.keys[w[1]])
    {
        return None;
    }
    for (r, &i) in by_key.iter().enumerate() {
        rank[i] = r as u32;
    }
    let (nb, na) = (before.outcomes.len(), after.outcomes.len());
    // Per (before, after) outcome pair: 0 not classified yet, 1 unchanged, 2 + kind; in a
    // dense table when the pairs are few enough (a hash lookup per cell would cost more
    // than the rest of the comparison).
    let mut kinds = PairCodes::new(nb, na);
    let kind_codes = [
        ChangeKind::Lost,
        ChangeKind::Gained,
        ChangeKind::LostInspection,
        ChangeKind::GainedInspection,
        ChangeKind::PathChanged,
    ];
    let ok_b: Vec<bool> = before
        .outcomes
        .iter()
        .map(|o| o.verdict.is_success())
        .collect();
    let ok_a: Vec<bool> = after
        .outcomes
        .iter()
        .map(|o| o.verdict.is_success())
        .collect();
    let mut report = DiffReport::default();
    let mut changed: Vec<(ChangeKind, usize, usize)> = Vec::new();
    let mut last: Option<((u32, u32), u8)> = None;
    for (k, (&b, &a)) in before.cells.iter().zip(&after.cells).enumerate() {
        if b == NO_FLOW || a == NO_FLOW || b as usize >= nb || a as usize >= na {
            continue;
        }
        let sm = &mut report.summary;
        sm.flows += 1;
        sm.reachable_before += usize::from(ok_b[b as usize]);
        sm.reachable_after += usize::from(ok_a[a as usize]);
        let code = match last {
            Some((key, code)) if key == (b, a) => code,
            _ => {
                let code = kinds.get_or_insert_with(b, a, || {
                    match classify(&before.outcomes[b as usize], &after.outcomes[a as usize]) {
                        None => 1,
                        Some(kind) => {
                            2 + kind_codes.iter().position(|x| *x == kind).unwrap_or(0) as u8
                        }
                    }
                });
                last = Some(((b, a), code));
                code
            }
        };
        if code >= 2 {
            changed.push((kind_codes[(code - 2) as usize], k / n, k % n));
        }
    }
    for &(kind, _, _) in &changed {
        report.summary.count(kind);
    }
    changed.sort_by(|x, y| {
        let (bx, by) = (&before.endpoints, &before.endpoints);
        (x.0, &bx[x.1].id, &bx[x.2].id, rank[x.1], rank[x.2]).cmp(&(
            y.0,
            &by[y.1].id,
            &by[y.2].id,
            rank[y.1],
            rank[y.2],
        ))
    });
    report.changes = changed
        .into_iter()
        .map(|(kind, i, j)| FlowChange {
            kind,
            src: before.endpoints[i].clone(),
            dst: before.endpoints[j].clone(),
            protocol: service.protocol,
            dst_port: service.dst_port,
            before: before.outcomes[before.cells[i * n + j] as usize].clone(),
            after: after.outcomes[after.cells[i * n + j] as usize].clone(),
        })
        .collect();
    Some(report)
}

/// A code per pair of outcome numbers (0: none yet): a dense table up to
/// [`PairCodes::DENSE`] pairs, a hash map beyond.
enum PairCodes {
    Dense { na: usize, codes: Vec<u8> },
    Sparse(HashMap<(u32, u32), u8>),
}

impl PairCodes {
    const DENSE: usize = 1 << 24;

    fn new(nb: usize, na: usize) -> PairCodes {
        match nb.checked_mul(na) {
            Some(k) if k <= Self::DENSE => PairCodes::Dense {
                na,
                codes: vec![0; k],
            },
            _ => PairCodes::Sparse(HashMap::new()),
        }
    }

    /// The code of (`b`, `a`), computed by `f` on first use.
    fn get_or_insert_with(&mut self, b: u32, a: u32, f: impl FnOnce() -> u8) -> u8 {
        match self {
            PairCodes::Dense { na, codes } => {
                let c = &mut codes[b as usize * *na + a as usize];
                if *c == 0 {
                    *c = f();
                }
                *c
            }
            PairCodes::Sparse(m) => *m.entry((b, a)).or_insert_with(f),
        }
    }
}

/// Diff two environments (each with its own failure set) for one service.
///
/// When the two differ only in routing ([`routing_delta`]: route tables, transit gateway
/// route tables, associations, propagations), the changed side is computed
/// incrementally: the base matrix marks the flows whose walks consult a changed routing
/// entry, and only those are walked on the changed dataplane — every other walk takes the
/// same steps there. Past [`INCREMENTAL_SHARE`] of the flows the changed side is computed
/// in full instead. The report is the same either way (tests/whatif_props.rs and
/// tests/whatif_files.rs hold it equal to comparing two full tables).
pub fn diff_models(
    base: &Model,
    base_failures: &FailureSet,
    changed: &Model,
    changed_failures: &FailureSet,
    service: Service,
) -> DiffReport {
    diff_models_sharing(
        (base, base_failures),
        (changed, changed_failures),
        service,
        INCREMENTAL_SHARE,
    )
}

/// [`diff_models`] computing the changed side incrementally up to `max_share` of the
/// flows (0: never; 1: whenever only routing differs).
pub fn diff_models_sharing(
    (base, base_failures): (&Model, &FailureSet),
    (changed, changed_failures): (&Model, &FailureSet),
    service: Service,
    max_share: f64,
) -> DiffReport {
    let (bdp, cdp) = rayon::join(
        || Dataplane::compile_with_failures(base, base_failures),
        || Dataplane::compile_with_failures(changed, changed_failures),
    );
    let Some(watch) = routing_delta(&bdp, &cdp) else {
        // The two tables are independent: compute them together.
        let (before, after) = rayon::join(
            || cell_table_of(&bdp, base, service),
            || cell_table_of(&cdp, changed, service),
        );
        return diff_tables(&before, &after);
    };
    let bdp = bdp.watching(watch);
    let (m, dirty) = matrix::compute_watched(&bdp, base, &table_options(service));
    let endpoints: Vec<Endpoint> = m.endpoints.iter().map(|e| e.endpoint.clone()).collect();
    let before = table_of_matrix(m, service);
    let after = if dirty.len() as f64 <= max_share * before.cells.len() as f64 {
        patched(&before, &dirty, |i, j| {
            outcome(&cdp, changed, &endpoints[i], &endpoints[j], service)
        })
    } else {
        cell_table_of(&cdp, changed, service)
    };
    diff_tables(&before, &after)
}

/// The share of a diff's flows up to which the changed side walks only the flows a
/// routing change can affect, each with the per-pair walk. A per-pair cell costs about a
/// hundred fast-engine cells (BENCHMARKS.md, matrix), so at this share the walks cost
/// about half a fast matrix at most, and past it the changed side's full fast matrix is
/// cheaper.
pub const INCREMENTAL_SHARE: f64 = 1.0 / 200.0;

/// `table` with the cells `dirty` (source, destination) replaced by what `walk` says.
fn patched(
    table: &CellTable,
    dirty: &[(u32, u32)],
    walk: impl Fn(usize, usize) -> PathOutcome + Sync,
) -> CellTable {
    let n = table.len();
    let fresh: Vec<PathOutcome> = dirty
        .par_iter()
        .map(|&(i, j)| walk(i as usize, j as usize))
        .collect();
    let mut after = table.clone();
    let mut ids: HashMap<PathOutcome, u32> = HashMap::new();
    for (&(i, j), o) in dirty.iter().zip(fresh) {
        let k = i as usize * n + j as usize;
        if after.outcomes[after.cells[k] as usize] != o {
            after.cells[k] = *ids.entry(o).or_insert_with_key(|o| {
                after.outcomes.push(o.clone());
                after.outcomes.len() as u32 - 1
            });
        }
    }
    after
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(v: Verdict, insp: &[&str], hops: usize) -> PathOutcome {
        PathOutcome {
            verdict: v,
            inspected_by: insp.iter().map(|s| s.to_string()).collect(),
            hops,
            reason: None,
        }
    }

    #[test]
    fn classify_every_kind() {
        let ok_i = out(Verdict::Accepted, &["fw-a"], 5);
        let ok = out(Verdict::Accepted, &[], 3);
        let no = out(Verdict::NoRoute, &[], 1);
        assert_eq!(classify(&ok, &no), Some(ChangeKind::Lost));
        assert_eq!(classify(&no, &ok), Some(ChangeKind::Gained));
        assert_eq!(classify(&ok_i, &ok), Some(ChangeKind::LostInspection));
        assert_eq!(classify(&ok, &ok_i), Some(ChangeKind::GainedInspection));
        assert_eq!(
            classify(&ok_i, &out(Verdict::Accepted, &["fw-b"], 5)),
            Some(ChangeKind::PathChanged)
        );
        assert_eq!(
            classify(&no, &out(Verdict::Blackhole, &[], 2)),
            Some(ChangeKind::PathChanged)
        );
        assert_eq!(classify(&ok_i, &ok_i.clone()), None);
    }

    fn table(keys: &[&str], cells: Vec<Option<PathOutcome>>) -> CellTable {
        CellTable {
            service: Service {
                protocol: Protocol::Tcp,
                dst_port: 443,
            },
            keys: keys.iter().map(|k| k.to_string()).collect(),
            endpoints: keys
                .iter()
                .enumerate()
                .map(|(i, k)| EndpointInfo {
                    id: k.to_string(),
                    name: k.to_string(),
                    ip: IpAddr::from([10, 0, 0, i as u8]),
                    group: "g".into(),
                })
                .collect(),
            cells: (0..cells.len() as u32)
                .map(|i| {
                    if cells[i as usize].is_some() {
                        i
                    } else {
                        NO_FLOW
                    }
                })
                .collect(),
            outcomes: cells
                .into_iter()
                .map(|c| c.unwrap_or_else(PathOutcome::missing_endpoint))
                .collect(),
        }
    }

    #[test]
    fn same_endpoints_fast_path_equals_matching_by_key() {
        // Keys out of order, and two endpoints with the same id (ties broken by key).
        let keys = ["eni:c", "eni:a", "internet", "eni:b"];
        let outs = [
            out(Verdict::Accepted, &["fw-a"], 5),
            out(Verdict::Accepted, &[], 3),
            out(Verdict::NoRoute, &[], 1),
            out(Verdict::Denied, &[], 2),
            out(Verdict::Accepted, &["fw-b"], 5),
        ];
        let n = keys.len();
        let mut x: u64 = 7;
        for _ in 0..50 {
            let mut pick = |k: usize| {
                if k / n == k % n {
                    return None;
                }
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                Some(outs[(x >> 33) as usize % outs.len()].clone())
            };
            let b: Vec<_> = (0..n * n).map(&mut pick).collect();
            let a: Vec<_> = (0..n * n).map(&mut pick).collect();
            let (mut tb, mut ta) = (table(&keys, b), table(&keys, a));
            for t in [&mut tb, &mut ta] {
                t.endpoints[3].id = t.endpoints[0].id.clone();
            }
            let fast = diff_tables(&tb, &ta);
            assert_eq!(fast, diff_by_key(&tb, &ta));
            assert!(diff_same_endpoints(&tb, &ta).is_some());
            assert!(diff_tables(&tb, &tb).changes.is_empty());
        }
    }

    #[test]
    fn removed_endpoint_counts_as_lost() {
        let ok = Some(out(Verdict::Accepted, &[], 2));
        let before = table(&["a", "b"], vec![None, ok.clone(), ok.clone(), None]);
        let after = table(&["a"], vec![None]);
        let d = diff_tables(&before, &after);
        assert_eq!(d.summary.lost, 2);
        assert_eq!(
            d.changes[0].after.reason.as_deref(),
            Some("ENDPOINT_NOT_PRESENT")
        );
        assert!(diff_tables(&before, &before).changes.is_empty());
    }
}
