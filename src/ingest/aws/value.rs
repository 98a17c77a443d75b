//! Lenient, located access to AWS CLI JSON (`serde_json::Value`).
//!
//! Every accessor returns a [`Diagnostic`] naming the file and the JSON path
//! (`/Vpcs/3/CidrBlock`) when the shape is wrong, so parsers can use `?` and never
//! panic. Keys are looked up as written (PascalCase, as the EC2 CLI prints them) and
//! then in camelCase (as the Direct Connect CLI prints them).

use crate::diag::Diagnostic;
use ipnet::IpNet;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Result of a parser step: an error is located in a file.
pub(crate) type PResult<T> = Result<T, Diagnostic>;

/// A JSON object at a known place in a known file.
#[derive(Clone)]
pub(crate) struct Obj<'a> {
    /// The object.
    pub map: &'a Map<String, Value>,
    /// The file it came from.
    pub file: &'a str,
    /// Its JSON path.
    path: String,
}

/// Owned path storage for objects built while iterating lists.
pub(crate) struct Located<'a> {
    /// The value.
    pub value: &'a Value,
    /// Its path.
    pub path: String,
}

impl<'a> Located<'a> {
    /// View as an object (error if it is not one).
    pub fn obj(self, file: &'a str) -> PResult<Obj<'a>> {
        match self.value {
            Value::Object(map) => Ok(Obj {
                map,
                file,
                path: self.path,
            }),
            other => Err(Diagnostic::error(
                file,
                self.path.clone(),
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
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'a> Obj<'a> {
    /// The root object of a file.
    pub fn root(map: &'a Map<String, Value>, file: &'a str) -> Obj<'a> {
        Obj {
            map,
            file,
            path: String::new(),
        }
    }

    /// An object at `path` of a file (an element of a top-level array).
    pub fn root_at(map: &'a Map<String, Value>, file: &'a str, path: String) -> Obj<'a> {
        Obj { map, file, path }
    }

    /// This object's JSON path.
    pub fn path(&self) -> &str {
        &self.path
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
        Diagnostic::warning(self.file, self.path.clone(), msg)
    }

    /// The raw value of `key` (PascalCase, else camelCase); `null` counts as absent.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
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
    fn get_camel(&self, key: &str) -> Option<&'a Value> {
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
            Some(Value::String(s)) => Ok(Some(s.as_str())),
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
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(self.err(key, format!("expected a boolean, found {}", kind(v)))),
        }
    }

    /// An optional integer (also accepts a decimal string).
    pub fn int(&self, key: &str) -> PResult<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.err(key, format!("expected an integer, found {n}"))),
            Some(Value::String(s)) => s
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| self.err(key, format!("expected an integer, found \"{s}\""))),
            Some(v) => Err(self.err(key, format!("expected an integer, found {}", kind(v)))),
        }
    }

    /// An optional nested object.
    pub fn obj(&self, key: &str) -> PResult<Option<Obj<'a>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Obj {
                map,
                file: self.file,
                path: self.at(key),
            })),
            Some(v) => Err(self.err(key, format!("expected an object, found {}", kind(v)))),
        }
    }

    /// The items of an optional list, located (`/Key/3`). Absent → empty.
    pub fn list(&self, key: &str) -> PResult<Vec<Located<'a>>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => {
                let base = self.at(key);
                Ok(items
                    .iter()
                    .enumerate()
                    .map(|(i, value)| Located {
                        value,
                        path: format!("{base}/{i}"),
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
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => Ok(s.as_str()),
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
    fn camel_and_pascal() {
        assert_eq!(camel("VirtualInterfaces"), "virtualInterfaces");
        assert_eq!(pascal("virtualInterfaces"), "VirtualInterfaces");
        assert_eq!(camel(""), "");
    }

    #[test]
    fn accessors_locate_errors() {
        let v: Value = serde_json::json!({"A": 1, "bB": "x", "L": [1, {"K": "v"}]});
        let Value::Object(m) = &v else { unreachable!() };
        let o = Obj::root(m, "f.json");
        assert_eq!(o.str("BB").unwrap(), Some("x"));
        let e = o.str("A").unwrap_err();
        assert_eq!(e.location, "/A");
        let mut items = o.list("L").unwrap().into_iter();
        let e = items.next().unwrap().obj("f.json").err().unwrap();
        assert_eq!(e.location, "/L/0");
        let k = items.next().unwrap().obj("f.json").unwrap();
        assert_eq!(k.err("K", "x").location, "/L/1/K");
        assert_eq!(parse_net("10.0.0.1"), "10.0.0.1/32".parse().ok());
        assert_eq!(parse_net("10.0.0.1/8"), "10.0.0.0/8".parse().ok());
        assert!(parse_net("bogus").is_none());
    }
}
