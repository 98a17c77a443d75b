//! Unique model names for AWS objects: the `Name` tag (or the resource's own name)
//! when it is unique across the whole snapshot and is not another object's id, else
//! the AWS id. The AWS id is always kept in the object's `id`.

use std::borrow::Cow;
use std::collections::BTreeSet;

/// Hash maps and sets with foldhash: these are look-ups only (never iterated into the
/// output), and SipHash was a measurable part of the import (BENCHMARKS.md "Import").
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// See [`HashMap`].
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// AWS key (id) → model name (borrowed from the raw snapshot where it can be).
#[derive(Debug, Default)]
pub(crate) struct Names<'a> {
    map: HashMap<Cow<'a, str>, Cow<'a, str>>,
}

impl<'a> Names<'a> {
    /// Decide names for `(key, preferred name)` pairs; `reserved` names (accounts) are
    /// never given to an object.
    pub fn new(
        cands: Vec<(Cow<'a, str>, Option<Cow<'a, str>>)>,
        reserved: &BTreeSet<String>,
    ) -> Names<'a> {
        // Lookups only (no iteration), so hash maps: the result does not depend on order.
        let mut count: HashMap<&str, usize> =
            HashMap::with_capacity_and_hasher(cands.len(), Default::default());
        for (_, p) in &cands {
            if let Some(p) = p {
                *count.entry(p.as_ref()).or_default() += 1;
            }
        }
        let keys: HashSet<&str> = cands.iter().map(|(k, _)| k.as_ref()).collect();
        let mut map = HashMap::with_capacity_and_hasher(cands.len(), Default::default());
        for (k, p) in &cands {
            let name = match p {
                Some(p)
                    if count.get(p.as_ref()) == Some(&1)
                        && (p == k || !keys.contains(p.as_ref()))
                        && !reserved.contains(p.as_ref()) =>
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
        match self.map.get(key) {
            Some(n) => n.to_string(),
            None => key.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_tags_win_duplicates_fall_back_to_ids() {
        let c: Vec<(Cow<str>, Option<Cow<str>>)> = vec![
            ("vpc-1".into(), Some("prod".into())),
            ("vpc-2".into(), Some("dup".into())),
            ("vpc-3".into(), Some("dup".into())),
            ("vpc-4".into(), Some("vpc-1".into())),
            ("vpc-5".into(), Some(String::from("acct").into())),
        ];
        let reserved = ["acct".to_string()].into_iter().collect();
        let n = Names::new(c, &reserved);
        assert_eq!(n.get("vpc-1"), "prod");
        assert_eq!(n.get("vpc-2"), "vpc-2");
        assert_eq!(n.get("vpc-3"), "vpc-3");
        assert_eq!(n.get("vpc-4"), "vpc-4");
        assert_eq!(n.get("vpc-5"), "vpc-5");
        assert_eq!(n.get("nope"), "nope");
    }
}
