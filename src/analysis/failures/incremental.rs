//! Incremental evaluation of failure scenarios.
//!
//! The baseline traces every flow once and records, per flow, the names of the
//! components its path touched (every hop's name, AWS id and AZ). A failure scenario
//! then re-traces only the flows whose baseline path touched something the failure can
//! change ([`super::components::Reach`]); every other flow keeps its baseline outcome.
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
    cell_table, classify, describe_endpoint, diff_tables, flow_for, CellTable, ChangeKind,
    FlowChange, PathOutcome, Service,
};
use crate::dataplane::{Dataplane, FailureSet};
use crate::model::Model;
use crate::sim::endpoint::all_endpoints;
use crate::sim::{trace, Endpoint, TraceOptions};
use std::collections::{BTreeSet, HashMap};

/// The baseline of a sweep: every flow's outcome and which flows touched which names.
pub struct Baseline {
    eps: Vec<Endpoint>,
    table: CellTable,
    reach: Reach,
    /// For each relevant name: the flows (cell indices) whose path touched it.
    index: HashMap<String, Vec<u32>>,
}

impl Baseline {
    /// Trace every flow of `model` for `service` with nothing failed, recording which of
    /// the names the failure of `comps` can touch each path went through.
    pub fn compute(model: &Model, service: Service, comps: &[Component]) -> Baseline {
        use rayon::prelude::*;
        let reach = Reach::build(model);
        let mut names: BTreeSet<String> = BTreeSet::new();
        for c in comps {
            names.extend(reach.touched(&c.name));
        }
        let ids: HashMap<&str, u32> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i as u32))
            .collect();
        let dp = Dataplane::compile(model);
        let eps = all_endpoints(model);
        let n = eps.len();
        let (keys, endpoints): (Vec<_>, Vec<_>) =
            eps.iter().map(|e| describe_endpoint(model, e)).unzip();
        let opts = TraceOptions { both_ways: true };
        let per_cell: Vec<(Option<PathOutcome>, Vec<u32>)> = (0..n * n)
            .into_par_iter()
            .map(|c| {
                let (i, j) = (c / n, c % n);
                if i == j {
                    return (None, Vec::new());
                }
                let t = trace(
                    &dp,
                    &eps[i],
                    &eps[j],
                    &flow_for(model, &eps[i], &eps[j], service),
                    &opts,
                );
                let mut touched: Vec<u32> = Vec::new();
                let mut see = |s: &str| {
                    if let Some(&id) = ids.get(s) {
                        touched.push(id);
                    }
                };
                see(&endpoints[i].name);
                for h in t
                    .hops
                    .iter()
                    .chain(t.return_trace.iter().flat_map(|r| r.hops.iter()))
                {
                    see(&h.name);
                    see(&h.id);
                    if let Some(az) = &h.az {
                        see(az);
                    }
                }
                touched.sort_unstable();
                touched.dedup();
                (Some(PathOutcome::from_trace(&t)), touched)
            })
            .collect();
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); names.len()];
        let mut cells = Vec::with_capacity(per_cell.len());
        for (c, (o, touched)) in per_cell.into_iter().enumerate() {
            for id in touched {
                lists[id as usize].push(c as u32);
            }
            cells.push(o);
        }
        let index = names.into_iter().zip(lists).collect();
        Baseline {
            eps,
            table: CellTable {
                service,
                keys,
                endpoints,
                cells,
            },
            reach,
            index,
        }
    }

    /// The baseline cell table.
    pub fn table(&self) -> &CellTable {
        &self.table
    }

    /// Baseline counts.
    pub fn summary(&self) -> BaselineSummary {
        let mut s = BaselineSummary::default();
        for o in self.table.cells.iter().flatten() {
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

    /// The flows (cell indices, ascending) a failure of `failed` may change.
    pub fn affected(&self, failed: &[String]) -> Vec<u32> {
        let mut out: BTreeSet<u32> = BTreeSet::new();
        for f in failed {
            for name in self.reach.touched(f) {
                if let Some(cells) = self.index.get(&name) {
                    out.extend(cells.iter().copied());
                }
            }
        }
        out.into_iter().collect()
    }

    /// Evaluate a scenario incrementally: re-trace only the affected flows.
    pub fn evaluate(&self, model: &Model, failed: &[String], examples: usize) -> ScenarioResult {
        let fs = FailureSet {
            failed: failed.iter().cloned().collect(),
        };
        let dp = Dataplane::compile_with_failures(model, &fs);
        let n = self.eps.len();
        let opts = TraceOptions { both_ways: true };
        let service = self.table.service;
        let mut changes = Vec::new();
        for c in self.affected(failed) {
            let c = c as usize;
            let (i, j) = (c / n, c % n);
            let Some(before) = &self.table.cells[c] else {
                continue;
            };
            let t = trace(
                &dp,
                &self.eps[i],
                &self.eps[j],
                &flow_for(model, &self.eps[i], &self.eps[j], service),
                &opts,
            );
            let after = PathOutcome::from_trace(&t);
            if let Some(kind) = classify(before, &after) {
                changes.push(FlowChange {
                    kind,
                    src: self.table.endpoints[i].clone(),
                    dst: self.table.endpoints[j].clone(),
                    protocol: service.protocol,
                    dst_port: service.dst_port,
                    before: before.clone(),
                    after,
                });
            }
        }
        changes.sort_by(|x, y| (x.kind, &x.src.id, &x.dst.id).cmp(&(y.kind, &y.src.id, &y.dst.id)));
        result(failed, changes, examples)
    }

    /// Evaluate a scenario by recomputing every flow (the reference for [`Self::evaluate`]).
    pub fn evaluate_full(
        &self,
        model: &Model,
        failed: &[String],
        examples: usize,
    ) -> ScenarioResult {
        let fs = FailureSet {
            failed: failed.iter().cloned().collect(),
        };
        let after = cell_table(model, &fs, self.table.service);
        let d = diff_tables(&self.table, &after);
        result(failed, d.changes, examples)
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
