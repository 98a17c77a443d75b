//! Failure sweeps: the reachability impact of each component (or pair of components)
//! failing, ranked by impact. Scenarios run in parallel (rayon) and are evaluated
//! incrementally: only the flows whose baseline path touched what failed are traced
//! again (see [`incremental`]); a proptest holds the result equal to full recomputation.
//!
//! `--shard I/N` runs a contiguous slice of the deterministic scenario list;
//! [`merge::merge`] combines shard reports into exactly the report one run gives.

pub mod components;
pub mod incremental;
pub mod merge;
pub mod scenarios;

pub use components::{components, parse_classes, Component, FailureClass};
pub use scenarios::{scenarios, Shard};

use crate::analysis::diff::{FlowChange, Service};
use crate::dataplane::FailureSet;
use crate::model::Model;
use serde::{Deserialize, Serialize};

/// The result of one failure scenario (an element of `scenarios`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioResult {
    /// The failed components (sorted names; AZ names for AZs).
    pub failed: Vec<String>,
    /// Flows reachable in the baseline and not with these failures.
    pub lost: usize,
    /// Flows inspected in the baseline and reachable uninspected with these failures.
    pub lost_inspection: usize,
    /// Flows not reachable in the baseline and reachable with these failures.
    pub gained: usize,
    /// Flows still reachable (or not) by another path.
    pub path_changed: usize,
    /// Policies that hold in the baseline and break with these failures.
    pub policy_broken: Vec<String>,
    /// A few changed flows (lost first), deterministic.
    pub examples: Vec<FlowChange>,
    /// Flows lost per (source group, destination group), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lost_by_group: Vec<GroupLoss>,
}

/// How many flows from one group to another a scenario loses.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GroupLoss {
    /// Source group (account, `onprem`, `internet`).
    pub src: String,
    /// Destination group.
    pub dst: String,
    /// Flows lost.
    pub flows: usize,
}

impl ScenarioResult {
    /// Rank order: most flows lost first, then most inspection lost, then most policies
    /// broken, then most gained and rerouted, then by failed names (deterministic tie-break).
    pub fn rank_cmp(&self, other: &ScenarioResult) -> std::cmp::Ordering {
        other
            .lost
            .cmp(&self.lost)
            .then(other.lost_inspection.cmp(&self.lost_inspection))
            .then(other.policy_broken.len().cmp(&self.policy_broken.len()))
            .then(other.gained.cmp(&self.gained))
            .then(other.path_changed.cmp(&self.path_changed))
            .then(self.failed.cmp(&other.failed))
    }
}

/// Baseline counts of a sweep.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineSummary {
    /// Flows evaluated (ordered endpoint pairs).
    pub flows: usize,
    /// Flows reachable.
    pub reachable: usize,
    /// Flows reachable through inspection.
    pub inspected: usize,
    /// Policies violated already in the baseline (never counted as broken by a failure).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_violated: Vec<String>,
}

/// A failure-sweep report (stable JSON contract of `lztwin failures --format json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepReport {
    /// The scenarios, ranked by impact.
    pub scenarios: Vec<ScenarioResult>,
    /// The service analysed.
    pub service: Service,
    /// Failures per scenario.
    pub k: u8,
    /// Component classes failed.
    pub classes: Vec<FailureClass>,
    /// Components considered.
    pub components: Vec<Component>,
    /// Scenarios in the whole sweep (all shards).
    pub scenarios_total: usize,
    /// Baseline counts.
    pub baseline: BaselineSummary,
    /// The slice this report covers (`--shard`); absent for a whole sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
}

/// Evaluates policies on an environment with failures masked: returns the names of the
/// policies violated. Supplied by the caller (the verify engine).
pub type PolicyCheck<'a> = &'a (dyn Fn(&Model, &FailureSet) -> Vec<String> + Sync);

/// Options of a sweep.
#[derive(Clone, Debug)]
pub struct SweepOptions {
    /// Service analysed.
    pub service: Service,
    /// Component classes to fail.
    pub classes: Vec<FailureClass>,
    /// 1 or 2.
    pub k: u8,
    /// Most pair scenarios before sampling.
    pub budget: usize,
    /// Seed of the pair sample.
    pub seed: u64,
    /// Slice to run.
    pub shard: Option<Shard>,
    /// Examples kept per scenario.
    pub examples: usize,
    /// Evaluate every scenario by full recomputation instead of incrementally (reference).
    pub full: bool,
}

impl Default for SweepOptions {
    fn default() -> Self {
        SweepOptions {
            service: Service {
                protocol: crate::model::Protocol::Tcp,
                dst_port: 443,
            },
            classes: FailureClass::ALL.to_vec(),
            k: 1,
            budget: 5000,
            seed: 0,
            shard: None,
            examples: 5,
            full: false,
        }
    }
}

/// Run a sweep. `progress` is called once per finished scenario (from any thread).
pub fn sweep(
    model: &Model,
    opts: &SweepOptions,
    policy: Option<PolicyCheck<'_>>,
    progress: &(dyn Fn() + Sync),
) -> Result<SweepReport, String> {
    use rayon::prelude::*;
    let comps = components(model, &opts.classes);
    let all = scenarios(&comps, opts.k, opts.budget, opts.seed)?;
    let total = all.len();
    let range = opts.shard.map(|s| s.range(total)).unwrap_or(0..total);
    let mine = &all[range];
    let base = incremental::Baseline::compute(model, opts.service, &comps);
    let policy_base: Vec<String> = policy
        .map(|p| p(model, &FailureSet::default()))
        .unwrap_or_default();
    let finish = |failed: &[String], mut r: ScenarioResult| {
        if let Some(p) = policy {
            let fs = FailureSet {
                failed: failed.iter().cloned().collect(),
            };
            let mut broken: Vec<String> = p(model, &fs)
                .into_iter()
                .filter(|n| !policy_base.contains(n))
                .collect();
            broken.sort();
            broken.dedup();
            r.policy_broken = broken;
        }
        progress();
        r
    };
    let mut results: Vec<ScenarioResult> = if opts.full {
        mine.par_iter()
            .map(|failed| finish(failed, base.evaluate_full(model, failed, opts.examples)))
            .collect()
    } else {
        base.evaluate_all(model, mine, opts.examples, &finish)
    };
    results.sort_by(|a, b| a.rank_cmp(b));
    let mut classes = opts.classes.clone();
    classes.sort();
    classes.dedup();
    Ok(SweepReport {
        scenarios: results,
        service: opts.service,
        k: opts.k,
        classes,
        components: comps,
        scenarios_total: total,
        baseline: BaselineSummary {
            policy_violated: policy_base,
            ..base.summary()
        },
        shard: opts.shard,
    })
}

/// Plain data about a sweep for the HTML report: the `top` scenarios by impact with
/// their counts. The lead's `analyze` calls [`sweep`] then this.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FailuresSummary {
    /// Scenarios run.
    pub scenarios: usize,
    /// Scenarios that lose at least one flow.
    pub with_loss: usize,
    /// Scenarios that lose inspection on at least one flow.
    pub with_lost_inspection: usize,
    /// Baseline counts.
    pub baseline: BaselineSummary,
    /// `(failed components joined by " + ", lost, lost_inspection, policies broken)`, ranked.
    pub top: Vec<(String, usize, usize, Vec<String>)>,
}

/// Summarise a sweep report (see [`FailuresSummary`]).
pub fn summary(r: &SweepReport, top: usize) -> FailuresSummary {
    FailuresSummary {
        scenarios: r.scenarios.len(),
        with_loss: r.scenarios.iter().filter(|s| s.lost > 0).count(),
        with_lost_inspection: r.scenarios.iter().filter(|s| s.lost_inspection > 0).count(),
        baseline: r.baseline.clone(),
        top: r
            .scenarios
            .iter()
            .take(top)
            .map(|s| {
                (
                    s.failed.join(" + "),
                    s.lost,
                    s.lost_inspection,
                    s.policy_broken.clone(),
                )
            })
            .collect(),
    }
}
