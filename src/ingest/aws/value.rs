//! Lenient, located access to AWS CLI JSON.
//!
//! Files are parsed into [`Json`], a JSON tree that borrows its strings from the file's
//! bytes (only strings with escapes are copied) and keeps each object's members in a
//! vector, in file order: a describe-* snapshot is mostly small objects looked up by a
//! handful of keys, where a linear scan beats `serde_json::Map`'s B-tree and the tree
//! costs a fraction of the allocations. Lookups keep `serde_json::Value`'s meaning: of
//! duplicate keys the last one wins, and key iteration is in sorted order.
//!
//! Every accessor returns a [`Diagnostic`] naming the file and the JSON path
//! (`/Vpcs/3/CidrBlock`) when the shape is wrong, so parsers can use `?` and never
//! panic. Keys are looked up as written (PascalCase, as the EC2 CLI prints them) and
//! then in camelCase (as the Direct Connect CLI prints them).

use crate::diag::Diagnostic;
use ipnet::IpNet;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// A parsed JSON value whose strings borrow from the input where they can.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as `serde_json` reads it.
    Number(Number),
    /// A string.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object.
    Object(JsonMap<'a>),
}

/// A JSON object's members in file order (duplicates included; see [`JsonMap::get`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct JsonMap<'a> {
    entries: Vec<(Cow<'a, str>, Json<'a>)>,
    /// Whether some key does not start with an ASCII capital: only then can a key be
    /// found in its camelCase spelling (EC2 output is all PascalCase).
    uncapitalised: bool,
}

impl<'a> JsonMap<'a> {
    /// The value of `key`; of duplicate keys the last one (as `serde_json::Value` keeps).
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k.len() == key.len() && k.as_ref() == key)
            .map(|(_, v)| v)
    }

    /// The distinct keys in sorted order (the order `serde_json::Map` iterates in).
    pub fn keys_sorted(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.entries.iter().map(|(k, _)| k.as_ref()).collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// The keys in file order, duplicates included (for order-free tests).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_ref())
    }
}

impl<'a> Json<'a> {
    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// The integer, if this is a number that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&JsonMap<'a>> {
        match self {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }
}

/// A string that borrows from the input unless it had escapes.
struct Str<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any valid JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Json::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Json::Number(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Json::Number(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                // As `serde_json::Value` does: a non-finite float is `null`.
                Ok(Number::from_f64(v).map_or(Json::Null, Json::Number))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Json::String(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Json::String(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Json::String(Cow::Owned(v)))
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Json::Null)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Json::Null)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
                Json::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(v) = seq.next_element()? {
                    items.push(v);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                let mut uncapitalised = false;
                while let Some((Str(k), v)) = map.next_entry::<Str<'de>, Json<'de>>()? {
                    uncapitalised |= !k.starts_with(|c: char| c.is_ascii_uppercase());
                    entries.push((k, v));
                }
                Ok(Json::Object(JsonMap {
                    entries,
                    uncapitalised,
                }))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parse a file's bytes (errors carry line and column).
pub(crate) fn parse(bytes: &[u8]) -> Result<Json<'_>, serde_json::Error> {
    serde_json::from_slice(bytes)
}

/// Result of a parser step: an error is located in a file.
pub(crate) type PResult<T> = Result<T, Diagnostic>;

/// One step of a JSON path.
#[derive(Clone, Copy, Debug)]
enum Seg<'a> {
    Key(&'a str),
    Idx(usize),
}

/// How many steps a [`JPath`] holds before it formats them into its prefix.
const SEGS: usize = 6;

/// A JSON path (`/Vpcs/3/Tags/0`) kept as its steps and formatted only when a message
/// or a record needs it: most objects of a snapshot never need their path spelled out.
#[derive(Clone, Debug)]
pub(crate) struct JPath<'a> {
    /// The formatted first steps of a deep path.
    prefix: Option<Rc<str>>,
    segs: [Seg<'a>; SEGS],
    len: usize,
}

impl<'a> JPath<'a> {
    /// The empty path (a file's root).
    fn root() -> Self {
        JPath {
            prefix: None,
            segs: [Seg::Idx(0); SEGS],
            len: 0,
        }
    }

    /// This path extended by one step.
    fn push(&self, seg: Seg<'a>) -> Self {
        let mut p = if self.len == SEGS {
            JPath {
                prefix: Some(Rc::from(self.to_string())),
                ..JPath::root()
            }
        } else {
            self.clone()
        };
        p.segs[p.len] = seg;
        p.len += 1;
        p
    }
}

impl JPath<'_> {
    /// The path spelled out (every record keeps its path: this is on the hot path, so
    /// it avoids the formatting machinery).
    fn spell(&self) -> String {
        let mut out = String::with_capacity(48);
        if let Some(p) = &self.prefix {
            out.push_str(p);
        }
        for s in &self.segs[..self.len] {
            out.push('/');
            match s {
                Seg::Key(k) => out.push_str(k),
                Seg::Idx(i) => {
                    let mut digits = [0u8; 20];
                    let mut n = *i;
                    let mut at = digits.len();
                    loop {
                        at -= 1;
                        digits[at] = b'0' + (n % 10) as u8;
                        n /= 10;
                        if n == 0 {
                            break;
                        }
                    }
                    out.extend(digits[at..].iter().map(|&d| char::from(d)));
                }
            }
        }
        out
    }
}

impl fmt::Display for JPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spell())
    }
}

/// A JSON object at a known place in a known file.
#[derive(Clone)]
pub(crate) struct Obj<'a> {
    /// The object.
    pub map: &'a JsonMap<'a>,
    /// The file it came from.
    pub file: &'a str,
    /// Its JSON path.
    path: JPath<'a>,
}

/// An item of a list, with its path.
pub(crate) struct Located<'a> {
    /// The value.
    pub value: &'a Json<'a>,
    /// Its path.
    path: JPath<'a>,
}

impl<'a> Located<'a> {
    /// View as an object (error if it is not one).
    pub fn obj(self, file: &'a str) -> PResult<Obj<'a>> {
        match self.value {
            Json::Object(map) => Ok(Obj {
                map,
                file,
                path: self.path,
            }),
            other => Err(Diagnostic::error(
                file,
                self.path.to_string(),
                format!("expected a JSON object, found {}", kind(other)),
            )),
        }
    }
}

/// The camelCase spelling of a PascalCase key (`VirtualInterfaces` → `virtualInterfaces`).
pub(crate) fn camel(key: &str) -> String {
    let mut c = key.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The PascalCase spelling of a key (`virtualInterfaces` → `VirtualInterfaces`).
pub(crate) fn pascal(key: &str) -> String {
    let mut c = key.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A short name of a JSON value's type, for messages.
pub(crate) fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

impl<'a> Obj<'a> {
    /// The root object of a file.
    pub fn root(map: &'a JsonMap<'a>, file: &'a str) -> Obj<'a> {
        Obj {
            map,
            file,
            path: JPath::root(),
        }
    }

    /// Item `i` of a file's top-level array.
    pub fn root_at(map: &'a JsonMap<'a>, file: &'a str, i: usize) -> Obj<'a> {
        Obj {
            map,
            file,
            path: JPath::root().push(Seg::Idx(i)),
        }
    }

    /// This object's JSON path, spelled out.
    pub fn path(&self) -> String {
        self.path.spell()
    }

    /// The path of one of its keys.
    pub fn at(&self, key: &str) -> String {
        format!("{}/{}", self.path, key)
    }

    /// An error about `key` of this object.
    pub fn err(&self, key: &str, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, self.at(key), msg)
    }

    /// A warning about this object.
    pub fn warn(&self, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.file, self.path.to_string(), msg)
    }

    /// The raw value of `key` (PascalCase, else camelCase); `null` counts as absent.
    pub fn get(&self, key: &str) -> Option<&'a Json<'a>> {
        let v = match self.map.get(key) {
            Some(v) => v,
            None => self.get_camel(key)?,
        };
        if v.is_null() {
            None
        } else {
            Some(v)
        }
    }

    /// The value of `key` spelled in camelCase, without allocating for the usual short
    /// ASCII keys (every absent optional key is looked up this way).
    fn get_camel(&self, key: &str) -> Option<&'a Json<'a>> {
        if !self.map.uncapitalised {
            // Every key starts with a capital: no camelCase spelling can match.
            return None;
        }
        let b = key.as_bytes();
        let mut buf = [0u8; 64];
        match b.first() {
            Some(f) if f.is_ascii_uppercase() && b.len() <= buf.len() => {
                buf[..b.len()].copy_from_slice(b);
                buf[0] = f.to_ascii_lowercase();
                let k = std::str::from_utf8(&buf[..b.len()]).ok()?;
                self.map.get(k)
            }
            // Lowercase (or not a letter): camelCase is the key itself, already looked up.
            Some(f) if f.is_ascii() && !f.is_ascii_uppercase() => None,
            _ => self.map.get(&camel(key)),
        }
    }

    /// An optional string.
    pub fn str(&self, key: &str) -> PResult<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.as_ref())),
            Some(v) => Err(self.err(key, format!("expected a string, found {}", kind(v)))),
        }
    }

    /// A required string.
    pub fn req(&self, key: &str) -> PResult<&'a str> {
        self.str(key)?
            .ok_or_else(|| self.err(key, format!("missing required field `{key}`")))
    }

    /// An optional boolean (also accepts the strings `"true"`/`"false"`).
    pub fn bool(&self, key: &str) -> PResult<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(*b)),
            Some(Json::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(Json::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(self.err(key, format!("expected a boolean, found {}", kind(v)))),
        }
    }

    /// An optional integer (also accepts a decimal string).
    pub fn int(&self, key: &str) -> PResult<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.err(key, format!("expected an integer, found {n}"))),
            Some(Json::String(s)) => s
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| self.err(key, format!("expected an integer, found \"{s}\""))),
            Some(v) => Err(self.err(key, format!("expected an integer, found {}", kind(v)))),
        }
    }

    /// An optional nested object.
    pub fn obj(&self, key: &'a str) -> PResult<Option<Obj<'a>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::Object(map)) => Ok(Some(Obj {
                map,
                file: self.file,
                path: self.path.push(Seg::Key(key)),
            })),
            Some(v) => Err(self.err(key, format!("expected an object, found {}", kind(v)))),
        }
    }

    /// The items of an optional list, located (`/Key/3`). Absent → empty.
    pub fn list(&self, key: &'a str) -> PResult<Vec<Located<'a>>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Json::Array(items)) => {
                let base = self.path.push(Seg::Key(key));
                Ok(items
                    .iter()
                    .enumerate()
                    .map(|(i, value)| Located {
                        value,
                        path: base.push(Seg::Idx(i)),
                    })
                    .collect())
            }
            Some(v) => Err(self.err(key, format!("expected a list, found {}", kind(v)))),
        }
    }

    /// A list of strings. Absent → empty.
    pub fn strs(&self, key: &str) -> PResult<Vec<&'a str>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Json::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Json::String(s) => Ok(s.as_ref()),
                    other => Err(Diagnostic::error(
                        self.file,
                        format!("{}/{i}", self.at(key)),
                        format!("expected a string, found {}", kind(other)),
                    )),
                })
                .collect(),
            Some(v) => Err(self.err(key, format!("expected a list, found {}", kind(v)))),
        }
    }

    /// An optional CIDR.
    pub fn net(&self, key: &str) -> PResult<Option<IpNet>> {
        match self.str(key)? {
            None => Ok(None),
            Some(s) => parse_net(s)
                .map(Some)
                .ok_or_else(|| self.err(key, format!("`{s}` is not a CIDR block"))),
        }
    }

    /// The object's tags (`Tags`, `TagSet`, or `tags`: a list of `{Key, Value}`), as a map.
    pub fn tags(&self) -> PResult<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        for key in ["Tags", "TagSet"] {
            for t in self.list(key)? {
                let t = t.obj(self.file)?;
                if let Some(k) = t.str("Key")? {
                    out.insert(k.to_string(), t.str("Value")?.unwrap_or("").to_string());
                }
            }
        }
        Ok(out)
    }
}

/// Parse a CIDR block; a bare address is a host route (/32 or /128).
pub(crate) fn parse_net(s: &str) -> Option<IpNet> {
    let t = s.trim();
    if let Ok(n) = t.parse::<IpNet>() {
        return Some(n.trunc());
    }
    t.parse::<std::net::IpAddr>().ok().map(IpNet::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_last_wins_and_keys_iterate_sorted() {
        let v = parse(br#"{"b": 1, "a": 2, "b": 3, "s": "x\u0079"}"#).unwrap();
        let Json::Object(m) = &v else { unreachable!() };
        assert_eq!(m.get("b").and_then(Json::as_i64), Some(3));
        assert_eq!(m.keys_sorted(), vec!["a", "b", "s"]);
        assert_eq!(m.get("s"), Some(&Json::String("xy".into())));
        assert!(parse(b"{\"a\": 1,}").is_err());
    }

    #[test]
    fn camel_and_pascal() {
        assert_eq!(camel("VirtualInterfaces"), "virtualInterfaces");
        assert_eq!(pascal("virtualInterfaces"), "VirtualInterfaces");
        assert_eq!(camel(""), "");
    }

    #[test]
    fn accessors_locate_errors() {
        let text = r#"{"A": 1, "bB": "x", "L": [1, {"K": "v"}]}"#;
        let v = parse(text.as_bytes()).unwrap();
        let Json::Object(m) = &v else { unreachable!() };
        let o = Obj::root(m, "f.json");
        assert_eq!(o.str("BB").unwrap(), Some("x"));
        let caps = parse(br#"{"A": 1, "B": "x"}"#).unwrap();
        let Json::Object(caps) = &caps else {
            unreachable!()
        };
        assert!(Obj::root(caps, "f.json").get("b").is_none());
        assert!(Obj::root(caps, "f.json").get("B").is_some());
        let empty = parse(br#"{"": 1, "B": "x"}"#).unwrap();
        let Json::Object(empty) = &empty else {
            unreachable!()
        };
        assert!(Obj::root(empty, "f.json").get("").is_some());
        let e = o.str("A").unwrap_err();
        assert_eq!(e.location, "/A");
        let mut items = o.list("L").unwrap().into_iter();
        let e = items.next().unwrap().obj("f.json").err().unwrap();
        assert_eq!(e.location, "/L/0");
        let k = items.next().unwrap().obj("f.json").unwrap();
        assert_eq!(k.err("K", "x").location, "/L/1/K");
        let text = r#"{"A": {"B": [{"C": {"D": [[], {"E": {"F": {"G": {"H": 1}}}}]}}]}}"#;
        let v = parse(text.as_bytes()).unwrap();
        let Json::Object(m) = &v else { unreachable!() };
        let o = Obj::root(m, "f.json");
        let b = o.obj("A").unwrap().unwrap().list("B").unwrap();
        let c = b.into_iter().next().unwrap().obj("f.json").unwrap();
        let mut d = c.obj("C").unwrap().unwrap().list("D").unwrap().into_iter();
        let e = d.next().unwrap().obj("f.json").err().unwrap();
        assert_eq!(e.location, "/A/B/0/C/D/0");
        let e = d.next().unwrap().obj("f.json").unwrap();
        let g = e.obj("E").unwrap().unwrap().obj("F").unwrap().unwrap();
        let g = g.obj("G").unwrap().unwrap();
        assert_eq!(g.path(), "/A/B/0/C/D/1/E/F/G");
        assert_eq!(g.str("H").unwrap_err().location, "/A/B/0/C/D/1/E/F/G/H");
        assert_eq!(g.warn("w").location, "/A/B/0/C/D/1/E/F/G");
        let r = Obj::root_at(m, "f.json", 1_234_567_890);
        assert_eq!(r.path(), "/1234567890");
        assert_eq!(Obj::root_at(m, "f.json", 0).path(), "/0");
        assert_eq!(Obj::root(m, "f.json").path(), "");
        assert_eq!(parse_net("10.0.0.1"), "10.0.0.1/32".parse().ok());
        assert_eq!(parse_net("10.0.0.1/8"), "10.0.0.0/8".parse().ok());
        assert!(parse_net("bogus").is_none());
    }
}
