//! The scenario list of a sweep: every single failure, every pair (k = 2), or beyond a
//! budget a seeded deterministic sample of pairs; and the slices `--shard I/N` runs.

use super::components::Component;
use crate::rng::SplitMix64;
use std::collections::BTreeSet;

/// The scenario list: each scenario is a sorted list of component names.
///
/// k = 1: every component alone. k = 2: every unordered pair when there are at most
/// `budget` of them, else `budget` distinct pairs drawn with `seed`, listed in
/// lexicographic order. Other k are rejected.
pub fn scenarios(
    comps: &[Component],
    k: u8,
    budget: usize,
    seed: u64,
) -> Result<Vec<Vec<String>>, String> {
    let names: Vec<&str> = comps.iter().map(|c| c.name.as_str()).collect();
    match k {
        1 => Ok(names.iter().map(|n| vec![n.to_string()]).collect()),
        2 => {
            let n = names.len();
            let total = n * n.saturating_sub(1) / 2;
            let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
            if total <= budget {
                for i in 0..n {
                    for j in i + 1..n {
                        pairs.insert((i, j));
                    }
                }
            } else {
                let mut rng = SplitMix64::new(seed);
                while pairs.len() < budget {
                    let i = rng.below(n);
                    let j = rng.below(n);
                    if i != j {
                        pairs.insert((i.min(j), i.max(j)));
                    }
                }
            }
            Ok(pairs
                .into_iter()
                .map(|(i, j)| {
                    let mut v = vec![names[i].to_string(), names[j].to_string()];
                    v.sort();
                    v
                })
                .collect())
        }
        _ => Err(format!("--k must be 1 or 2, not {k}")),
    }
}

/// `--shard I/N`: the I-th (1-based) of N slices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// Which slice, 1..=count.
    pub index: usize,
    /// How many slices.
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("--shard must be I/N with 1 <= I <= N, not `{s}`");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// The range of scenario positions this shard runs out of `total`: contiguous,
    /// balanced slices that together cover `0..total` exactly once.
    pub fn range(&self, total: usize) -> std::ops::Range<usize> {
        let lo = total * (self.index - 1) / self.count;
        let hi = total * self.index / self.count;
        lo..hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::failures::components::FailureClass;

    fn comps(n: usize) -> Vec<Component> {
        (0..n)
            .map(|i| Component {
                class: FailureClass::Attachment,
                name: format!("c{i:02}"),
            })
            .collect()
    }

    #[test]
    fn pairs_exhaustive_then_sampled_deterministically() {
        let c = comps(5);
        assert_eq!(scenarios(&c, 1, 100, 0).unwrap().len(), 5);
        assert_eq!(scenarios(&c, 2, 100, 0).unwrap().len(), 10);
        let c = comps(40);
        let a = scenarios(&c, 2, 50, 7).unwrap();
        assert_eq!(a.len(), 50);
        assert_eq!(a, scenarios(&c, 2, 50, 7).unwrap());
        assert_ne!(a, scenarios(&c, 2, 50, 8).unwrap());
        assert!(scenarios(&c, 3, 50, 7).is_err());
    }

    #[test]
    fn shards_cover_every_scenario_once() {
        for total in [0usize, 1, 7, 100] {
            for n in 1..6 {
                let mut covered = Vec::new();
                for i in 1..=n {
                    covered.extend(Shard { index: i, count: n }.range(total));
                }
                assert_eq!(covered, (0..total).collect::<Vec<_>>());
            }
        }
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert_eq!(
            "2/3".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 3 }
        );
    }
}
