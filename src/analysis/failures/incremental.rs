//! Incremental evaluation of failure scenarios.
//!
//! The baseline walks every flow once (both ways, without explanations:
//! [`crate::sim::touch::summarize_touching`]) and records which components' failure can
//! change it: a flow is recorded under component X when one of its hops (its name, AWS id
//! or AZ) is a name X's failure can touch ([`super::components::Reach`]). That is kept as
//! an inverted index, component → flows (cell indices, ascending `u32`), next to each
//! flow's outcome (an index into the distinct outcomes). A failure scenario then walks
//! again only the flows listed under its failed components; every other flow keeps its
//! baseline outcome.
//!
//! Why that is exact. A trace is a deterministic walk: each step looks only at the
//! forwarding context it is in (a route table, a TGW route table, an attachment, an
//! endpoint, a filter) and at the packet. Masking a component changes the decisions of
//! the contexts that *are* that component or *choose among* it and its alternatives. The
//! walk of a flow that never entered such a context makes the same decisions step for
//! step, so it ends the same way — whether it was accepted or dropped. This holds for
//! flows that were *not* reachable before too: a failure can make a flow reachable
//! (AZ failover can move a flow off an AZ whose NACL or firewall dropped it, or onto a
//! path whose reply state lines up), but only by changing a decision on its path, i.e.
//! a context it touched. So unreachable flows are not skipped wholesale; they are
//! re-traced exactly when their baseline path touched the failure, like any other.
//!
//! The contexts that choose among AZs are the TGW attachments (AZ affinity, appliance
//! mode's flow hash over the AZs that are up) and GWLBs: an AZ failure therefore
//! touches every attachment and GWLB with a subnet in that AZ, besides everything
//! located in it. A component's propagated routes vanish with it, but a flow whose
//! longest match was such a route went through that component, and a flow whose longest
//! match was another route keeps it. The proptest in this module's tests holds the
//! incremental result equal to full recomputation on generated estates.

use super::components::{Component, Reach};
use super::{BaselineSummary, GroupLoss, ScenarioResult};
use crate::analysis::diff::{
    cell_table, classify, describe_endpoint, flow_for, outcome, CellTable, ChangeKind,
    EndpointInfo, FlowChange, PathOutcome, Service,
};
use crate::dataplane::{Dataplane, FailureSet};
use crate::model::Model;
use crate::sim::endpoint::all_endpoints;
use crate::sim::touch::summarize_touching;
use crate::sim::Endpoint;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// The diagonal (a flow from an endpoint to itself is not evaluated).
const NO_CELL: u32 = crate::analysis::diff::NO_FLOW;

/// Source rows evaluated together while the baseline is built (bounds the memory of the
/// per-flow lists before they go into the index).
const ROW_BLOCK: usize = 64;

/// FNV-1a: names are short, and the baseline looks up three per hop.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// The baseline of a sweep: every flow's outcome and which flows each component's
/// failure may change.
pub struct Baseline {
    eps: Vec<Endpoint>,
    service: Service,
    endpoints: Vec<EndpointInfo>,
    /// The distinct outcomes.
    outcomes: Vec<PathOutcome>,
    /// Per flow (`i * n + j`): index into `outcomes`, or [`NO_CELL`] on the diagonal.
    cells: Vec<u32>,
    /// Component name → its index in `index`.
    comp_ids: HashMap<String, u32>,
    /// Per component: the flows (cell indices, ascending) whose baseline path touched a
    /// name its failure can touch.
    index: Vec<Vec<u32>>,
    reach: Reach,
    /// The dataplane with nothing failed; each scenario's is derived from it.
    dp: Dataplane,
    /// Per endpoint: the rank of its id among all ids (equal ids, equal ranks).
    id_rank: Vec<u32>,
    /// Per endpoint: its group, as an index into `group_names` (sorted).
    group_of: Vec<u32>,
    group_names: Vec<String>,
}

impl Baseline {
    /// Walk every flow of `model` for `service` with nothing failed, recording which of
    /// `comps` each path may depend on.
    pub fn compute(model: &Model, service: Service, comps: &[Component]) -> Baseline {
        use rayon::prelude::*;
        let reach = Reach::build(model);
        // Every name some component's failure touches → those components.
        let mut by_name: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        let mut comp_ids: HashMap<String, u32> = HashMap::new();
        for c in comps {
            let next = comp_ids.len() as u32;
            let x = *comp_ids.entry(c.name.clone()).or_insert(next);
            for n in reach.touched(&c.name) {
                by_name.entry(n).or_default().push(x);
            }
        }
        let names: Vec<String> = by_name.keys().cloned().collect();
        let name_comps: Vec<Vec<u32>> = by_name
            .into_values()
            .map(|mut v| {
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        let name_ids: FastMap<&str, u32> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i as u32))
            .collect();
        let touch = |s: &str| name_ids.get(s).copied();
        let dp = Dataplane::compile(model);
        let eps = all_endpoints(model);
        let n = eps.len();
        let endpoints: Vec<EndpointInfo> =
            eps.iter().map(|e| describe_endpoint(model, e).1).collect();
        let mut outcomes: Vec<PathOutcome> = Vec::new();
        let mut outcome_ids: HashMap<PathOutcome, u32> = HashMap::new();
        let mut cells: Vec<u32> = Vec::with_capacity(n * n);
        let mut index: Vec<Vec<u32>> = vec![Vec::new(); comp_ids.len()];
        for block in (0..n).collect::<Vec<_>>().chunks(ROW_BLOCK) {
            // Per row: its distinct outcomes, each cell's outcome (row-local index), and
            // (component, cell) pairs in cell order.
            type Row = (Vec<PathOutcome>, Vec<u32>, Vec<(u32, u32)>);
            let rows: Vec<Row> = block
                .par_iter()
                .map(|&i| {
                    let mut local: Vec<PathOutcome> = Vec::new();
                    let mut ids = Vec::with_capacity(n);
                    let mut pairs = Vec::new();
                    let src_names = touch(&endpoints[i].name);
                    let mut comps_of_cell: Vec<u32> = Vec::new();
                    for j in 0..n {
                        if i == j {
                            ids.push(NO_CELL);
                            continue;
                        }
                        let flow = flow_for(model, &eps[i], &eps[j], service);
                        let (fwd, ret, touched) =
                            summarize_touching(&dp, &eps[i], &flow, true, &touch);
                        let o = PathOutcome::from_summaries(&fwd, ret.as_ref());
                        let k = match local.iter().position(|x| *x == o) {
                            Some(k) => k,
                            None => {
                                local.push(o);
                                local.len() - 1
                            }
                        };
                        ids.push(k as u32);
                        comps_of_cell.clear();
                        for t in touched.iter().chain(src_names.iter()) {
                            comps_of_cell.extend(&name_comps[*t as usize]);
                        }
                        comps_of_cell.sort_unstable();
                        comps_of_cell.dedup();
                        let c = (i * n + j) as u32;
                        pairs.extend(comps_of_cell.iter().map(|&x| (x, c)));
                    }
                    (local, ids, pairs)
                })
                .collect();
            for (local, ids, pairs) in rows {
                let map: Vec<u32> = local
                    .into_iter()
                    .map(|o| {
                        let next = outcomes.len() as u32;
                        *outcome_ids.entry(o.clone()).or_insert_with(|| {
                            outcomes.push(o);
                            next
                        })
                    })
                    .collect();
                cells.extend(
                    ids.into_iter()
                        .map(|k| if k == NO_CELL { k } else { map[k as usize] }),
                );
                for (x, c) in pairs {
                    index[x as usize].push(c);
                }
            }
        }
        for l in &mut index {
            l.shrink_to_fit();
        }
        let rank = |key: &dyn Fn(&EndpointInfo) -> &str| -> (Vec<u32>, Vec<String>) {
            let names: BTreeSet<&str> = endpoints.iter().map(key).collect();
            let names: Vec<String> = names.into_iter().map(str::to_string).collect();
            let of = endpoints
                .iter()
                .map(|e| names.partition_point(|x| x.as_str() < key(e)) as u32)
                .collect();
            (of, names)
        };
        let (id_rank, _) = rank(&|e| e.id.as_str());
        let (group_of, group_names) = rank(&|e| e.group.as_str());
        Baseline {
            eps,
            service,
            endpoints,
            outcomes,
            cells,
            comp_ids,
            index,
            reach,
            dp,
            id_rank,
            group_of,
            group_names,
        }
    }

    /// The baseline outcome of the flow from endpoint `i` to endpoint `j`.
    pub fn outcome(&self, i: usize, j: usize) -> Option<&PathOutcome> {
        let k = *self.cells.get(i * self.eps.len() + j)?;
        self.outcomes.get(k as usize)
    }

    /// Number of endpoints (the flows are every ordered pair of distinct endpoints).
    pub fn endpoints(&self) -> usize {
        self.eps.len()
    }

    /// Entries of the component → flows index (its memory is 4 bytes each).
    pub fn index_entries(&self) -> usize {
        self.index.iter().map(Vec::len).sum()
    }

    /// Baseline counts.
    pub fn summary(&self) -> BaselineSummary {
        let mut s = BaselineSummary::default();
        for &k in &self.cells {
            let Some(o) = self.outcomes.get(k as usize) else {
                continue;
            };
            s.flows += 1;
            if o.verdict.is_success() {
                s.reachable += 1;
                if !o.inspected_by.is_empty() {
                    s.inspected += 1;
                }
            }
        }
        s
    }

    /// The flows (cell indices, ascending) a failure of `failed` may change. A name that
    /// is not one of the baseline's components (its paths were not recorded) gives every
    /// flow.
    pub fn affected(&self, failed: &[String]) -> Vec<u32> {
        self.affected_cells(failed).into_owned()
    }

    /// [`Self::affected`], borrowed from the index for one failed component.
    fn affected_cells(&self, failed: &[String]) -> Cow<'_, [u32]> {
        let mut lists: Vec<&[u32]> = Vec::new();
        for f in failed {
            match self.comp_ids.get(f) {
                Some(&x) => lists.push(&self.index[x as usize]),
                None => return Cow::Owned((0..self.cells.len() as u32).collect()),
            }
        }
        match lists.as_slice() {
            [] => Cow::Owned(Vec::new()),
            [one] => Cow::Borrowed(one),
            _ => {
                let all: BTreeSet<u32> = lists.iter().flat_map(|l| l.iter().copied()).collect();
                Cow::Owned(all.into_iter().collect())
            }
        }
    }

    /// Evaluate a scenario incrementally: only the flows listed under the failed
    /// components can change. When they are few, each is walked again
    /// ([`Self::evaluate_walk`]); when they are a large share of all flows (an AZ, a
    /// firewall endpoint every inspected flow crosses), one table of every flow with the
    /// fast matrix engine costs less than walking them one by one, and the affected flows
    /// are read from it ([`Self::evaluate_fast`]). Both give the same result.
    pub fn evaluate(&self, model: &Model, failed: &[String], examples: usize) -> ScenarioResult {
        let affected = self.affected_cells(failed);
        if self.heavy(affected.len()) {
            self.fast_cells(model, failed, &affected, examples)
        } else {
            self.walk_cells(failed, &affected, examples)
        }
    }

    /// Evaluate many scenarios ([`Self::evaluate`]), in the order given, calling
    /// `each` with every result as it is done (from any thread). Scenarios evaluated with
    /// a fast-engine table run one after the other (each table is computed in parallel
    /// and holds every flow), the others in parallel (each holds only its dataplane's
    /// failure-dependent tables and its affected flows).
    pub fn evaluate_all<R: Send>(
        &self,
        model: &Model,
        scenarios: &[Vec<String>],
        examples: usize,
        each: &(dyn Fn(&[String], ScenarioResult) -> R + Sync),
    ) -> Vec<R> {
        use rayon::prelude::*;
        let heavy: Vec<bool> = scenarios
            .par_iter()
            .map(|f| self.heavy(self.affected_cells(f).len()))
            .collect();
        let mut out: Vec<Option<R>> = scenarios.iter().map(|_| None).collect();
        for (k, f) in scenarios.iter().enumerate() {
            if heavy[k] {
                let a = self.affected_cells(f);
                out[k] = Some(each(f, self.fast_cells(model, f, &a, examples)));
            }
        }
        out.par_iter_mut()
            .zip(scenarios.par_iter())
            .filter(|(o, _)| o.is_none())
            .for_each(|(o, f)| {
                let a = self.affected_cells(f);
                *o = Some(each(f, self.walk_cells(f, &a, examples)));
            });
        out.into_iter().flatten().collect()
    }

    /// Whether a scenario that can change `affected` flows is evaluated with the fast
    /// matrix engine ([`Self::evaluate`]): a flow walked alone costs about as much as
    /// [`HEAVY`] flows of a fast-engine table.
    fn heavy(&self, affected: usize) -> bool {
        affected.saturating_mul(HEAVY) > self.cells.len()
    }

    /// Whether [`Self::evaluate`] evaluates this scenario with one fast-engine table of
    /// every flow rather than by walking the affected flows (such scenarios hold a whole
    /// table in memory: a sweep runs them one at a time).
    pub fn is_heavy(&self, failed: &[String]) -> bool {
        self.heavy(self.affected_cells(failed).len())
    }

    /// Evaluate a scenario by walking again the flows listed under the failed components,
    /// through the baseline's dataplane with the failures applied
    /// ([`Dataplane::with_failures`]).
    pub fn evaluate_walk(&self, failed: &[String], examples: usize) -> ScenarioResult {
        let affected = self.affected_cells(failed);
        self.walk_cells(failed, &affected, examples)
    }

    /// Evaluate a scenario from one table of every flow with the failures applied,
    /// computed by the fast matrix engine through the baseline's dataplane with the
    /// failures applied ([`Dataplane::with_failures`]; the same outcomes as
    /// [`crate::analysis::diff::cell_table`]), read at the flows listed under the failed
    /// components.
    pub fn evaluate_fast(
        &self,
        model: &Model,
        failed: &[String],
        examples: usize,
    ) -> ScenarioResult {
        let affected = self.affected_cells(failed);
        self.fast_cells(model, failed, &affected, examples)
    }

    /// Evaluate a scenario by full recomputation: every flow walked again through a
    /// dataplane compiled from scratch with the failures (the reference for
    /// [`Self::evaluate`]).
    pub fn evaluate_full(
        &self,
        model: &Model,
        failed: &[String],
        examples: usize,
    ) -> ScenarioResult {
        use rayon::prelude::*;
        let dp = Dataplane::compile_with_failures(model, &failure_set(failed));
        let n = self.eps.len();
        let changes: Vec<(ChangeKind, u32, PathOutcome)> = (0..self.cells.len() as u32)
            .into_par_iter()
            .filter_map(|c| {
                let (i, j) = (c as usize / n, c as usize % n);
                let before = self.outcomes.get(self.cells[c as usize] as usize)?;
                let after = outcome(&dp, model, &self.eps[i], &self.eps[j], self.service);
                Some((classify(before, &after)?, c, after))
            })
            .collect();
        let mut tally = Tally::new(examples);
        for (kind, c, _) in &changes {
            tally.add(self, *kind, *c);
        }
        self.result(failed, tally, |c| {
            changes
                .iter()
                .find(|x| x.1 == c)
                .map(|x| x.2.clone())
                .unwrap_or_else(PathOutcome::missing_endpoint)
        })
    }

    /// Evaluate a scenario from a full recomputation of every flow with the failures
    /// applied (`table`, of this baseline's model and service): every cell compared with
    /// the baseline.
    pub fn evaluate_table(
        &self,
        failed: &[String],
        table: &CellTable,
        examples: usize,
    ) -> ScenarioResult {
        let all: Vec<u32> = (0..self.cells.len() as u32).collect();
        self.table_cells(failed, &all, table, examples)
    }

    /// Walk `cells` (ascending) with `failed` masked and compare with the baseline.
    fn walk_cells(&self, failed: &[String], cells: &[u32], examples: usize) -> ScenarioResult {
        use rayon::prelude::*;
        let dp = self.dp.with_failures(&failure_set(failed));
        let model = &*self.dp.model;
        let n = self.eps.len();
        let walk = |c: u32| {
            let (i, j) = (c as usize / n, c as usize % n);
            outcome(&dp, model, &self.eps[i], &self.eps[j], self.service)
        };
        let tally = cells
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut t = Tally::new(examples);
                for &c in chunk {
                    let Some(before) = self.outcomes.get(self.cells[c as usize] as usize) else {
                        continue;
                    };
                    if let Some(kind) = classify(before, &walk(c)) {
                        t.add(self, kind, c);
                    }
                }
                t
            })
            .reduce(|| Tally::new(examples), Tally::merge);
        // The examples' outcomes: walked again (a handful of flows).
        self.result(failed, tally, walk)
    }

    /// Compute the table of every flow with `failed` masked with the fast matrix engine
    /// and compare `cells` (ascending) with the baseline.
    fn fast_cells(
        &self,
        model: &Model,
        failed: &[String],
        cells: &[u32],
        examples: usize,
    ) -> ScenarioResult {
        let dp = self.dp.with_failures(&failure_set(failed));
        let (ids, outcomes) = fast_table(&dp, model, self.service);
        if ids.len() != self.cells.len() {
            // Not the baseline's endpoints (cannot happen for the same model): compare
            // against a table matched by endpoint key.
            let table = cell_table(model, &failure_set(failed), self.service);
            return self.table_cells(failed, cells, &table, examples);
        }
        self.compare(failed, cells, &ids, &outcomes, examples)
    }

    /// Compare `cells` (ascending) of `table` with the baseline (a table of other
    /// endpoints: every flow compared as missing).
    fn table_cells(
        &self,
        failed: &[String],
        cells: &[u32],
        table: &CellTable,
        examples: usize,
    ) -> ScenarioResult {
        // `diff::cell_table` numbers endpoints as the baseline does (both list
        // `all_endpoints` of the same model).
        if table.len() == self.eps.len() && table.endpoints == self.endpoints {
            self.compare(failed, cells, &table.cells, &table.outcomes, examples)
        } else {
            let none = vec![NO_CELL; self.cells.len()];
            self.compare(failed, cells, &none, &[], examples)
        }
    }

    /// Compare `cells` (ascending) of a table (`ids`: per flow, an index into
    /// `outcomes`) with the baseline.
    fn compare(
        &self,
        failed: &[String],
        cells: &[u32],
        ids: &[u32],
        outcomes: &[PathOutcome],
        examples: usize,
    ) -> ScenarioResult {
        use rayon::prelude::*;
        let missing = PathOutcome::missing_endpoint();
        let after_id = |c: u32| ids.get(c as usize).copied().unwrap_or(NO_CELL);
        let after_of = |c: u32| -> PathOutcome {
            outcomes
                .get(after_id(c) as usize)
                .unwrap_or(&missing)
                .clone()
        };
        let tally = cells
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut t = Tally::new(examples);
                // Cells mostly repeat a few (before, after) pairs: classify each pair once.
                let mut memo: FastMap<(u32, u32), Option<ChangeKind>> = FastMap::default();
                let mut last: Option<((u32, u32), Option<ChangeKind>)> = None;
                for &c in chunk {
                    let b = self.cells[c as usize];
                    let Some(before) = self.outcomes.get(b as usize) else {
                        continue;
                    };
                    let a = after_id(c);
                    let kind = match last {
                        Some((key, kind)) if key == (b, a) => kind,
                        _ => {
                            let kind = *memo.entry((b, a)).or_insert_with(|| {
                                let after = outcomes.get(a as usize).unwrap_or(&missing);
                                classify(before, after)
                            });
                            last = Some(((b, a), kind));
                            kind
                        }
                    };
                    if let Some(kind) = kind {
                        t.add(self, kind, c);
                    }
                }
                t
            })
            .reduce(|| Tally::new(examples), Tally::merge);
        self.result(failed, tally, after_of)
    }

    /// A scenario's result from its tally; `after` gives the outcome of an example's
    /// flow with the failures.
    fn result(
        &self,
        failed: &[String],
        tally: Tally,
        after: impl Fn(u32) -> PathOutcome,
    ) -> ScenarioResult {
        let n = self.eps.len();
        let mut failed = failed.to_vec();
        failed.sort();
        let count = |k: ChangeKind| tally.counts[k as usize];
        let mut groups: Vec<((u32, u32), usize)> = tally.groups.into_iter().collect();
        groups.sort();
        let lost_by_group = groups
            .into_iter()
            .map(|((s, d), flows)| GroupLoss {
                src: self.group_names[s as usize].clone(),
                dst: self.group_names[d as usize].clone(),
                flows,
            })
            .collect();
        let examples = tally
            .top
            .iter()
            .map(|&(kind, _, _, c)| {
                let (i, j) = (c as usize / n, c as usize % n);
                let before = self.outcomes[self.cells[c as usize] as usize].clone();
                FlowChange {
                    kind,
                    src: self.endpoints[i].clone(),
                    dst: self.endpoints[j].clone(),
                    protocol: self.service.protocol,
                    dst_port: self.service.dst_port,
                    before,
                    after: after(c),
                }
            })
            .collect();
        ScenarioResult {
            failed,
            lost: count(ChangeKind::Lost),
            lost_inspection: count(ChangeKind::LostInspection),
            gained: count(ChangeKind::Gained),
            path_changed: count(ChangeKind::PathChanged),
            policy_broken: Vec::new(),
            examples,
            lost_by_group,
        }
    }

    /// The reach map of the baseline's model.
    pub fn reach(&self) -> &Reach {
        &self.reach
    }
}

/// Every flow's round-trip outcome through `dp` with the fast matrix engine, as
/// [`cell_table`] computes it but through a dataplane the caller already has (a
/// scenario's, derived from the baseline's): per flow `i * n + j` an index into the
/// outcomes ([`NO_CELL`] on the diagonal), and the outcomes.
fn fast_table(dp: &Dataplane, model: &Model, service: Service) -> (Vec<u32>, Vec<PathOutcome>) {
    // `cell_table_of` marks the diagonal with `NO_FLOW`, which is `NO_CELL`.
    let t = crate::analysis::diff::cell_table_of(dp, model, service);
    (t.cells, t.outcomes)
}

fn failure_set(failed: &[String]) -> FailureSet {
    FailureSet {
        failed: failed.iter().cloned().collect(),
    }
}

/// Affected flows per parallel task of a scenario.
const CHUNK: usize = 4096;

/// See [`Baseline::evaluate`]: a scenario whose affected flows are more than
/// `1 / HEAVY` of all flows is evaluated with the fast matrix engine. (Measured at 2,000
/// VPCs: a walk of one flow both ways costs about 15 times a fast-engine table's cost per
/// flow.)
pub const HEAVY: usize = 16;

/// The changes of a scenario, counted: per kind, lost flows per (source group,
/// destination group), and the first few changes in output order — by kind, then source
/// id, then destination id, then flow (the order a stable sort of the changes listed by
/// flow gives).
struct Tally {
    counts: [usize; 5],
    groups: FastMap<(u32, u32), usize>,
    /// (kind, source id rank, destination id rank, flow), ascending, at most `k`.
    top: Vec<(ChangeKind, u32, u32, u32)>,
    k: usize,
}

impl Tally {
    fn new(k: usize) -> Tally {
        Tally {
            counts: [0; 5],
            groups: FastMap::default(),
            top: Vec::new(),
            k,
        }
    }

    fn add(&mut self, b: &Baseline, kind: ChangeKind, c: u32) {
        let n = b.eps.len();
        let (i, j) = (c as usize / n, c as usize % n);
        self.counts[kind as usize] += 1;
        if kind == ChangeKind::Lost {
            *self
                .groups
                .entry((b.group_of[i], b.group_of[j]))
                .or_default() += 1;
        }
        self.offer((kind, b.id_rank[i], b.id_rank[j], c));
    }

    fn offer(&mut self, key: (ChangeKind, u32, u32, u32)) {
        if self.top.len() == self.k && self.top.last().is_none_or(|l| key >= *l) {
            return;
        }
        let at = self.top.partition_point(|x| *x < key);
        self.top.insert(at, key);
        self.top.truncate(self.k);
    }

    fn merge(mut self, other: Tally) -> Tally {
        for (x, y) in self.counts.iter_mut().zip(other.counts) {
            *x += y;
        }
        for (g, v) in other.groups {
            *self.groups.entry(g).or_default() += v;
        }
        for key in other.top {
            self.offer(key);
        }
        self
    }
}
