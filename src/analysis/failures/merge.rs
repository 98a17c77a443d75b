//! `lztwin merge`: combine the reports of `lztwin failures --shard I/N` into the report
//! a single run gives.

use super::SweepReport;

/// Merge shard reports. Every shard must come from the same sweep (same service, k,
/// classes, components, scenario count and baseline) and each of `1..=N` must appear
/// exactly once. The scenarios are re-ranked as one run ranks them.
pub fn merge(mut shards: Vec<SweepReport>) -> Result<SweepReport, String> {
    let Some(first) = shards.first() else {
        return Err("nothing to merge".into());
    };
    let count = match first.shard {
        Some(s) => s.count,
        None => return Err("input 1 is not a shard report (no `shard` field)".into()),
    };
    let mut seen = vec![false; count];
    for (i, s) in shards.iter().enumerate() {
        let Some(sh) = s.shard else {
            return Err(format!(
                "input {} is not a shard report (no `shard` field)",
                i + 1
            ));
        };
        if sh.count != count {
            return Err(format!(
                "input {} is shard {}/{} but input 1 is one of {count}",
                i + 1,
                sh.index,
                sh.count
            ));
        }
        if s.service != first.service
            || s.k != first.k
            || s.classes != first.classes
            || s.components != first.components
            || s.scenarios_total != first.scenarios_total
            || s.baseline != first.baseline
        {
            return Err(format!(
                "input {} (shard {}/{count}) comes from a different sweep than input 1",
                i + 1,
                sh.index
            ));
        }
        if std::mem::replace(&mut seen[sh.index - 1], true) {
            return Err(format!("shard {}/{count} given twice", sh.index));
        }
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(format!("shard {}/{count} is missing", missing + 1));
    }
    let mut out = shards.remove(0);
    for s in shards {
        out.scenarios.extend(s.scenarios);
    }
    out.scenarios.sort_by(|a, b| a.rank_cmp(b));
    out.shard = None;
    if out.scenarios.len() != out.scenarios_total {
        return Err(format!(
            "the shards hold {} scenarios, the sweep has {}",
            out.scenarios.len(),
            out.scenarios_total
        ));
    }
    Ok(out)
}
