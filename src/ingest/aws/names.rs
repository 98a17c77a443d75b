//! Unique model names for AWS objects: the `Name` tag (or the resource's own name)
//! when it is unique across the whole snapshot and is not another object's id, else
//! the AWS id. The AWS id is always kept in the object's `id`.

use std::collections::BTreeSet;

/// Hash maps and sets with foldhash: these are look-ups only (never iterated into the
/// output), and SipHash was a measurable part of the import (BENCHMARKS.md "Import").
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// See [`HashMap`].
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// AWS key (id) → model name.
#[derive(Debug, Default)]
pub(crate) struct Names {
    map: HashMap<String, String>,
}

impl Names {
    /// Decide names for `(key, preferred name)` pairs; `reserved` names (accounts) are
    /// never given to an object.
    pub fn new(cands: &[(String, Option<String>)], reserved: &BTreeSet<String>) -> Names {
        // Lookups only (no iteration), so hash maps: the result does not depend on order.
        let mut count: HashMap<&str, usize> =
            HashMap::with_capacity_and_hasher(cands.len(), Default::default());
        for (_, p) in cands {
            if let Some(p) = p {
                *count.entry(p.as_str()).or_default() += 1;
            }
        }
        let keys: HashSet<&str> = cands.iter().map(|(k, _)| k.as_str()).collect();
        let mut map = HashMap::with_capacity_and_hasher(cands.len(), Default::default());
        for (k, p) in cands {
            let name = match p {
                Some(p)
                    if count.get(p.as_str()) == Some(&1)
                        && (p == k || !keys.contains(p.as_str()))
                        && !reserved.contains(p) =>
                {
                    p.clone()
                }
                _ => k.clone(),
            };
            map.insert(k.clone(), name);
        }
        Names { map }
    }

    /// The name of the object with AWS key `key` (the key itself when unknown).
    pub fn get(&self, key: &str) -> String {
        self.map
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_tags_win_duplicates_fall_back_to_ids() {
        let c = vec![
            ("vpc-1".to_string(), Some("prod".to_string())),
            ("vpc-2".to_string(), Some("dup".to_string())),
            ("vpc-3".to_string(), Some("dup".to_string())),
            ("vpc-4".to_string(), Some("vpc-1".to_string())),
            ("vpc-5".to_string(), Some("acct".to_string())),
        ];
        let reserved = ["acct".to_string()].into_iter().collect();
        let n = Names::new(&c, &reserved);
        assert_eq!(n.get("vpc-1"), "prod");
        assert_eq!(n.get("vpc-2"), "vpc-2");
        assert_eq!(n.get("vpc-3"), "vpc-3");
        assert_eq!(n.get("vpc-4"), "vpc-4");
        assert_eq!(n.get("vpc-5"), "vpc-5");
        assert_eq!(n.get("nope"), "nope");
    }
}
