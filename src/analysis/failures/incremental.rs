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
    classify, describe_endpoint, flow_for, outcome, ChangeKind, EndpointInfo, FlowChange,
    PathOutcome, Service,
};
use crate::dataplane::{Dataplane, FailureSet};
use crate::model::Model;
use crate::sim::endpoint::all_endpoints;
use crate::sim::touch::summarize_touching;
use crate::sim::Endpoint;
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// The diagonal (a flow from an endpoint to itself is not evaluated).
const NO_CELL: u32 = u32::MAX;

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
        Baseline {
            eps,
            service,
            endpoints,
            outcomes,
            cells,
            comp_ids,
            index,
            reach,
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
        let mut lists: Vec<&[u32]> = Vec::new();
        for f in failed {
            match self.comp_ids.get(f) {
                Some(&x) => lists.push(&self.index[x as usize]),
                None => return (0..self.cells.len() as u32).collect(),
            }
        }
        match lists.as_slice() {
            [] => Vec::new(),
            [one] => one.to_vec(),
            _ => {
                let all: BTreeSet<u32> = lists.iter().flat_map(|l| l.iter().copied()).collect();
                all.into_iter().collect()
            }
        }
    }

    /// Evaluate a scenario incrementally: walk again only the affected flows.
    pub fn evaluate(&self, model: &Model, failed: &[String], examples: usize) -> ScenarioResult {
        let affected = self.affected(failed);
        self.evaluate_cells(model, failed, &affected, examples)
    }

    /// Evaluate a scenario by recomputing every flow with the failure applied (the
    /// reference for [`Self::evaluate`]: a whole cell table per scenario).
    pub fn evaluate_full(
        &self,
        model: &Model,
        failed: &[String],
        examples: usize,
    ) -> ScenarioResult {
        let all: Vec<u32> = (0..self.cells.len() as u32).collect();
        self.evaluate_cells(model, failed, &all, examples)
    }

    /// Walk `cells` (ascending) with `failed` masked and compare with the baseline.
    fn evaluate_cells(
        &self,
        model: &Model,
        failed: &[String],
        cells: &[u32],
        examples: usize,
    ) -> ScenarioResult {
        use rayon::prelude::*;
        let fs = FailureSet {
            failed: failed.iter().cloned().collect(),
        };
        let dp = Dataplane::compile_with_failures(model, &fs);
        let n = self.eps.len();
        let service = self.service;
        let mut changes: Vec<FlowChange> = cells
            .par_iter()
            .filter_map(|&c| {
                let c = c as usize;
                let (i, j) = (c / n, c % n);
                let before = self.outcomes.get(self.cells[c] as usize)?;
                let after = outcome(&dp, model, &self.eps[i], &self.eps[j], service);
                let kind = classify(before, &after)?;
                Some(FlowChange {
                    kind,
                    src: self.endpoints[i].clone(),
                    dst: self.endpoints[j].clone(),
                    protocol: service.protocol,
                    dst_port: service.dst_port,
                    before: before.clone(),
                    after,
                })
            })
            .collect();
        changes.sort_by(|x, y| (x.kind, &x.src.id, &x.dst.id).cmp(&(y.kind, &y.src.id, &y.dst.id)));
        result(failed, changes, examples)
    }

    /// The reach map of the baseline's model.
    pub fn reach(&self) -> &Reach {
        &self.reach
    }
}

/// Counts and examples of a scenario from its sorted changes.
fn result(failed: &[String], changes: Vec<FlowChange>, examples: usize) -> ScenarioResult {
    let count = |k: ChangeKind| changes.iter().filter(|c| c.kind == k).count();
    let mut failed = failed.to_vec();
    failed.sort();
    let mut groups: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for c in changes.iter().filter(|c| c.kind == ChangeKind::Lost) {
        *groups
            .entry((c.src.group.clone(), c.dst.group.clone()))
            .or_default() += 1;
    }
    let lost_by_group = groups
        .into_iter()
        .map(|((src, dst), flows)| GroupLoss { src, dst, flows })
        .collect();
    ScenarioResult {
        failed,
        lost: count(ChangeKind::Lost),
        lost_inspection: count(ChangeKind::LostInspection),
        gained: count(ChangeKind::Gained),
        path_changed: count(ChangeKind::PathChanged),
        policy_broken: Vec::new(),
        examples: changes.into_iter().take(examples).collect(),
        lost_by_group,
    }
}
