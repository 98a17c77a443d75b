//! Policy files for `lztwin verify` (docs/policy-format.md): either lztwin intents
//! (`{"intents": [...]}`) or an AWS Network Access Analyzer scope taken as-is
//! (`{"MatchPaths": [...], "ExcludePaths": [...]}`, detected by its `MatchPaths` key).
//!
//! Syntax errors and fields of the wrong type are located by line:column (with the
//! JSON path, through serde_path_to_error); meaning errors (an unknown intent type, a
//! malformed selector, a bad port) by the line:column of the offending value, found
//! by [`positions`]. Selectors are only parsed here; they are resolved against a
//! model by the verify engine, which reports unknown names at the same positions.

pub use crate::model::policy::*;

use crate::diag::{Diagnostic, InputError};
use crate::model::{PortRange, Protocol};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Positions of values in a JSON text, by JSON pointer (`/intents/2/from/0`).
pub fn positions(buf: &[u8]) -> BTreeMap<String, Pos> {
    let mut s = Scanner {
        buf,
        i: 0,
        line: 1,
        col: 1,
        out: BTreeMap::new(),
    };
    s.value(String::new(), 0);
    s.out
}

struct Scanner<'a> {
    buf: &'a [u8],
    i: usize,
    line: usize,
    col: usize,
    out: BTreeMap<String, Pos>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.buf.get(self.i).copied()
    }
    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.i += 1;
            if c == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if c & 0xC0 != 0x80 {
                // Count characters, not UTF-8 continuation bytes.
                self.col += 1;
            }
        }
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }
    fn string(&mut self) -> String {
        let mut raw = Vec::new();
        self.bump(); // opening quote
        while let Some(c) = self.peek() {
            if c == b'"' {
                self.bump();
                break;
            }
            if c == b'\\' {
                raw.push(c);
                self.bump();
            }
            if let Some(c) = self.peek() {
                raw.push(c);
            }
            self.bump();
        }
        let quoted = format!("\"{}\"", String::from_utf8_lossy(&raw));
        serde_json::from_str::<String>(&quoted).unwrap_or_default()
    }
    fn value(&mut self, ptr: String, depth: usize) {
        self.ws();
        self.out.insert(
            ptr.clone(),
            Pos {
                line: self.line,
                column: self.col,
            },
        );
        // serde_json accepted the text already (at most 128 levels deep); stop anyway
        // well before the stack could suffer on a text it did not check.
        if depth > 256 {
            self.i = self.buf.len();
            return;
        }
        match self.peek() {
            Some(b'{') => {
                self.bump();
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b'}') | None => {
                            self.bump();
                            return;
                        }
                        Some(b',') => self.bump(),
                        Some(b'"') => {
                            let k = self.string();
                            self.ws();
                            if self.peek() == Some(b':') {
                                self.bump();
                            }
                            let k = k.replace('~', "~0").replace('/', "~1");
                            self.value(format!("{ptr}/{k}"), depth + 1);
                        }
                        Some(_) => self.bump(),
                    }
                }
            }
            Some(b'[') => {
                self.bump();
                let mut n = 0usize;
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b']') | None => {
                            self.bump();
                            return;
                        }
                        Some(b',') => self.bump(),
                        Some(_) => {
                            self.value(format!("{ptr}/{n}"), depth + 1);
                            n += 1;
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.bump();
                }
            }
            None => {}
        }
    }
}

/// Positions of a policy file, to locate meaning errors and results.
#[derive(Clone, Debug, Default)]
pub struct PosMap(BTreeMap<String, Pos>);

impl PosMap {
    /// The position of the value at `ptr`, or of its nearest located ancestor.
    pub fn at(&self, ptr: &str) -> Pos {
        let mut p = ptr.to_string();
        loop {
            if let Some(pos) = self.0.get(&p) {
                return *pos;
            }
            match p.rfind('/') {
                Some(i) => p.truncate(i),
                None => return Pos { line: 1, column: 1 },
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    description: Option<String>,
    intents: Vec<RawIntent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntent {
    name: String,
    #[serde(rename = "type")]
    kind: IntentKind,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    from: Vec<String>,
    #[serde(default)]
    to: Vec<String>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    through: Option<ThroughRaw>,
    #[serde(default)]
    both_directions: Option<bool>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ThroughRaw {
    One(String),
    Many(Vec<String>),
}

/// Whether a policy file is a Network Access Analyzer scope (it has `MatchPaths`,
/// possibly inside `NetworkInsightsAccessScopeContent`).
pub fn looks_like_naa(v: &serde_json::Value) -> bool {
    v.get("MatchPaths").is_some()
        || v.get("ExcludePaths").is_some()
        || v.get("NetworkInsightsAccessScopeContent").is_some()
}

fn syntax_error(file: &str, e: &serde_json::Error) -> InputError {
    InputError::one(Diagnostic::error(
        file,
        format!("{}:{}", e.line(), e.column()),
        e.to_string(),
    ))
}

fn typed<T: serde::de::DeserializeOwned>(buf: &[u8], file: &str) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_slice(buf);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let inner = e.inner();
            let path = e.path().to_string();
            let msg = if path == "." || path.is_empty() {
                inner.to_string()
            } else {
                format!("at {path}: {inner}")
            };
            Err(InputError::one(Diagnostic::error(
                file,
                format!("{}:{}", inner.line(), inner.column()),
                msg,
            )))
        }
    }
}

/// Parse a policy file's bytes: intents or an NAA scope, auto-detected.
pub fn parse(buf: &[u8], file: &str) -> Result<Policy, InputError> {
    let v: serde_json::Value = serde_json::from_slice(buf).map_err(|e| syntax_error(file, &e))?;
    if !v.is_object() {
        return Err(InputError::one(Diagnostic::error(
            file,
            "1:1",
            "a policy file is a JSON object: {\"intents\": [...]} or a Network Access Analyzer scope {\"MatchPaths\": [...]}",
        )));
    }
    let pos = PosMap(positions(buf));
    if looks_like_naa(&v) {
        return parse_naa(buf, &v, file, &pos);
    }
    let raw: RawPolicy = typed(buf, file)?;
    let mut errors = Vec::new();
    let mut intents = Vec::new();
    let mut seen = BTreeMap::new();
    for (i, ri) in raw.intents.into_iter().enumerate() {
        let base = format!("/intents/{i}");
        let err = |errors: &mut Vec<Diagnostic>, ptr: String, msg: String| {
            errors.push(Diagnostic::error(
                file,
                pos.at(&ptr).to_string(),
                format!("intent `{}`: {msg}", ri.name),
            ));
        };
        if ri.name.trim().is_empty() {
            err(&mut errors, format!("{base}/name"), "empty name".into());
        }
        if let Some(prev) = seen.insert(ri.name.clone(), i) {
            err(
                &mut errors,
                format!("{base}/name"),
                format!("duplicate name (also intent {prev})"),
            );
        }
        let sels = |list: &[String], key: &str, errors: &mut Vec<Diagnostic>| {
            let mut out = Vec::new();
            for (j, s) in list.iter().enumerate() {
                let ptr = format!("{base}/{key}/{j}");
                match s.parse::<Selector>() {
                    Ok(sel) => out.push(Located {
                        value: sel,
                        pos: pos.at(&ptr),
                    }),
                    Err(m) => err(errors, ptr, m),
                }
            }
            out
        };
        let mut from = sels(&ri.from, "from", &mut errors);
        let to = sels(&ri.to, "to", &mut errors);
        let svcs = |list: &[String], key: &str, errors: &mut Vec<Diagnostic>| {
            let mut out = Vec::new();
            for (j, s) in list.iter().enumerate() {
                match s.parse::<ServiceSpec>() {
                    Ok(sv) => out.push(sv),
                    Err(m) => err(errors, format!("{base}/{key}/{j}"), m),
                }
            }
            out
        };
        let services = svcs(&ri.services, "services", &mut errors);
        let allow = svcs(&ri.allow, "allow", &mut errors);
        let kind = ri.kind;
        if kind == IntentKind::NaaScope {
            err(
                &mut errors,
                format!("{base}/type"),
                "`naa-scope` is not an intent type: give the scope file itself as a --policy"
                    .into(),
            );
        }
        if kind == IntentKind::NoExposure {
            if ri.from.is_empty() {
                from.push(Located {
                    value: Selector::Internet,
                    pos: pos.at(&base),
                });
            }
            if !ri.services.is_empty() {
                err(
                    &mut errors,
                    format!("{base}/services"),
                    "no-exposure lists the services it tolerates in `allow`, not `services`".into(),
                );
            }
        } else {
            if ri.from.is_empty() {
                err(&mut errors, base.clone(), "`from` needs a selector".into());
            }
            if !ri.allow.is_empty() {
                err(
                    &mut errors,
                    format!("{base}/allow"),
                    "`allow` belongs to no-exposure intents".into(),
                );
            }
        }
        if ri.to.is_empty() {
            err(&mut errors, base.clone(), "`to` needs a selector".into());
        }
        if kind == IntentKind::Reachable && ri.services.is_empty() {
            err(
                &mut errors,
                base.clone(),
                "a reachable intent names its `services` (e.g. [\"tcp/443\"])".into(),
            );
        }
        let through = match (&ri.through, kind) {
            (None, _) => Through::Any,
            (Some(_), k) if k != IntentKind::MustTraverse => {
                err(
                    &mut errors,
                    format!("{base}/through"),
                    "`through` belongs to must-traverse intents".into(),
                );
                Through::Any
            }
            (Some(ThroughRaw::One(s)), _) if s == "any" => Through::Any,
            (Some(ThroughRaw::One(s)), _) => Through::Named(vec![Located {
                value: s.clone(),
                pos: pos.at(&format!("{base}/through")),
            }]),
            (Some(ThroughRaw::Many(v)), _) if v.is_empty() => {
                err(
                    &mut errors,
                    format!("{base}/through"),
                    "`through` lists no inspection component (write \"any\")".into(),
                );
                Through::Any
            }
            (Some(ThroughRaw::Many(v)), _) => Through::Named(
                v.iter()
                    .enumerate()
                    .map(|(j, s)| Located {
                        value: s.clone(),
                        pos: pos.at(&format!("{base}/through/{j}")),
                    })
                    .collect(),
            ),
        };
        let both_directions = ri
            .both_directions
            .unwrap_or(kind == IntentKind::MustTraverse);
        intents.push(Intent {
            name: ri.name.clone(),
            kind,
            description: ri.description.clone(),
            from,
            to,
            services,
            allow,
            through,
            both_directions,
            pos: pos.at(&base),
        });
    }
    if !errors.is_empty() {
        return Err(InputError {
            diagnostics: errors,
        });
    }
    Ok(Policy {
        file: file.to_string(),
        description: raw.description,
        body: PolicyBody::Intents(intents),
    })
}

/// The top level of a scope file: the scope itself (as `create-network-insights-access-scope
/// --cli-input-json` takes it, so `ClientToken`, `TagSpecifications` and `DryRun` are
/// accepted and ignored) or the output of `get-network-insights-access-scope-content`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct RawScopeFile {
    #[serde(default)]
    match_paths: Option<Vec<AccessScopePath>>,
    #[serde(default)]
    exclude_paths: Option<Vec<AccessScopePath>>,
    #[serde(default)]
    network_insights_access_scope_content: Option<RawScopeContent>,
    #[serde(default)]
    client_token: Option<serde_json::Value>,
    #[serde(default)]
    tag_specifications: Option<serde_json::Value>,
    #[serde(default)]
    dry_run: Option<serde_json::Value>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct RawScopeContent {
    #[serde(default)]
    network_insights_access_scope_id: Option<String>,
    #[serde(default)]
    match_paths: Vec<AccessScopePath>,
    #[serde(default)]
    exclude_paths: Vec<AccessScopePath>,
}

fn parse_naa(
    buf: &[u8],
    v: &serde_json::Value,
    file: &str,
    pos: &PosMap,
) -> Result<Policy, InputError> {
    let raw: RawScopeFile = typed(buf, file)?;
    let _ = (&raw.client_token, &raw.tag_specifications, &raw.dry_run);
    let (prefix, mut scope) = match raw.network_insights_access_scope_content {
        Some(c) => {
            let _ = c.network_insights_access_scope_id;
            (
                "/NetworkInsightsAccessScopeContent",
                NaaScope {
                    match_paths: c.match_paths,
                    exclude_paths: c.exclude_paths,
                    ..NaaScope::default()
                },
            )
        }
        None => (
            "",
            NaaScope {
                match_paths: raw.match_paths.unwrap_or_default(),
                exclude_paths: raw.exclude_paths.unwrap_or_default(),
                ..NaaScope::default()
            },
        ),
    };
    let _ = v;
    let mut errors = Vec::new();
    if scope.match_paths.is_empty() {
        errors.push(Diagnostic::error(
            file,
            pos.at(&format!("{prefix}/MatchPaths")).to_string(),
            "the scope has no MatchPaths",
        ));
    }
    for (list, key) in [
        (&scope.match_paths, "MatchPaths"),
        (&scope.exclude_paths, "ExcludePaths"),
    ] {
        for (i, p) in list.iter().enumerate() {
            let base = format!("{prefix}/{key}/{i}");
            check_path(p, &base, file, pos, &mut errors);
        }
    }
    if !errors.is_empty() {
        return Err(InputError {
            diagnostics: errors,
        });
    }
    scope.match_pos = (0..scope.match_paths.len())
        .map(|i| pos.at(&format!("{prefix}/MatchPaths/{i}")))
        .collect();
    scope.pos = scope.match_pos.first().copied().unwrap_or_default();
    scope.name = std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scope".into());
    Ok(Policy {
        file: file.to_string(),
        description: raw.description,
        body: PolicyBody::Scope(scope),
    })
}

fn check_path(
    p: &AccessScopePath,
    base: &str,
    file: &str,
    pos: &PosMap,
    errors: &mut Vec<Diagnostic>,
) {
    let mut err = |ptr: String, msg: String| {
        errors.push(Diagnostic::error(file, pos.at(&ptr).to_string(), msg));
    };
    let check_rs = |rs: &ResourceStatement, ptr: &str, err: &mut dyn FnMut(String, String)| {
        for (j, t) in rs.resource_types.iter().enumerate() {
            if !NAA_RESOURCE_TYPES.contains(&t.as_str()) {
                err(
                    format!("{ptr}/ResourceTypes/{j}"),
                    format!(
                        "unsupported resource type `{t}` (one of {})",
                        NAA_RESOURCE_TYPES.join(", ")
                    ),
                );
            }
        }
    };
    for (side, st) in [("Source", &p.source), ("Destination", &p.destination)] {
        let Some(st) = st else { continue };
        let sp = format!("{base}/{side}");
        if let Some(rs) = &st.resource_statement {
            check_rs(rs, &format!("{sp}/ResourceStatement"), &mut err);
        }
        if let Some(h) = &st.packet_header_statement {
            let hp = format!("{sp}/PacketHeaderStatement");
            for (key, list) in [
                ("SourceAddresses", &h.source_addresses),
                ("DestinationAddresses", &h.destination_addresses),
            ] {
                for (j, a) in list.iter().enumerate() {
                    if let Err(m) = parse_prefix(a) {
                        err(format!("{hp}/{key}/{j}"), m);
                    }
                }
            }
            for (key, list) in [
                ("SourcePorts", &h.source_ports),
                ("DestinationPorts", &h.destination_ports),
            ] {
                for (j, a) in list.iter().enumerate() {
                    if let Err(m) = a.parse::<PortRange>() {
                        err(format!("{hp}/{key}/{j}"), m);
                    }
                }
            }
            for (j, a) in h.protocols.iter().enumerate() {
                if let Err(m) = a.parse::<Protocol>() {
                    err(format!("{hp}/Protocols/{j}"), m);
                }
            }
        }
    }
    for (j, t) in p.through_resources.iter().enumerate() {
        if let Some(rs) = &t.resource_statement {
            check_rs(
                rs,
                &format!("{base}/ThroughResources/{j}/ResourceStatement"),
                &mut err,
            );
        }
    }
}

/// Read and parse a policy file.
pub fn load(path: &str) -> Result<Policy, InputError> {
    let buf = std::fs::read(path)
        .map_err(|e| InputError::one(Diagnostic::error(path, "", format!("cannot read: {e}"))))?;
    parse(&buf, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Environment;

    const OK: &str = r#"{
  "description": "d",
  "intents": [
    {"name": "a", "type": "isolated", "from": ["env:dev"], "to": ["env:prod"]},
    {"name": "b", "type": "must-traverse", "from": ["onprem:*"],
     "to": ["vpc:v", "10.0.0.0/8"], "through": "fw"}
  ]
}"#;

    #[test]
    fn parses_intents_with_positions() {
        let p = parse(OK.as_bytes(), "p.json").unwrap();
        let PolicyBody::Intents(is) = &p.body else {
            panic!("not intents")
        };
        assert_eq!(is.len(), 2);
        assert_eq!(is[0].pos, Pos { line: 4, column: 5 });
        assert_eq!(is[1].kind, IntentKind::MustTraverse);
        assert!(
            is[1].both_directions,
            "must-traverse checks both ways by default"
        );
        assert!(!is[0].both_directions);
        assert_eq!(
            is[1].to[1].value,
            Selector::Cidr("10.0.0.0/8".parse().unwrap())
        );
        assert_eq!(is[1].to[1].pos.line, 6);
        assert!(matches!(&is[1].through, Through::Named(v) if v[0].value == "fw"));
    }

    #[test]
    fn syntax_error_is_located() {
        let e = parse(b"{\n \"intents\": [\n", "p.json").unwrap_err();
        assert_eq!(e.diagnostics[0].file, "p.json");
        assert!(
            e.diagnostics[0].location.starts_with("3:"),
            "{}",
            e.diagnostics[0]
        );
    }

    #[test]
    fn wrong_type_and_unknown_kind_are_located() {
        let e = parse(
            b"{\"intents\": [\n {\"name\": \"a\", \"type\": \"sometimes\", \"from\": [], \"to\": []}]}",
            "p.json",
        )
        .unwrap_err();
        let d = &e.diagnostics[0];
        assert!(d.location.starts_with("2:"), "{d}");
        assert!(d.message.contains("intents[0].type"), "{d}");
    }

    #[test]
    fn bad_selector_and_service_are_located_at_the_value() {
        let e = parse(
            b"{\"intents\": [\n {\"name\": \"a\", \"type\": \"isolated\",\n  \"from\": [\"planet:mars\"],\n  \"to\": [\"env:prod\"], \"services\": [\"tcp/99999\"]}]}",
            "p.json",
        )
        .unwrap_err();
        assert_eq!(e.diagnostics.len(), 2);
        assert_eq!(e.diagnostics[0].location, "3:12");
        assert!(e.diagnostics[0].message.contains("planet:mars"));
        assert!(e.diagnostics[1].location.starts_with("4:"));
    }

    #[test]
    fn selectors_and_services_parse() {
        assert_eq!("onprem:*".parse::<Selector>().unwrap(), Selector::OnPremAll);
        assert_eq!(
            "env:shared-services".parse::<Selector>().unwrap(),
            Selector::Environment(Environment::SharedServices)
        );
        assert_eq!(
            "10.1.2.3".parse::<Selector>().unwrap(),
            Selector::Cidr("10.1.2.3/32".parse().unwrap())
        );
        assert!("env:staging".parse::<Selector>().is_err());
        assert!("vpc:".parse::<Selector>().is_err());
        let s: ServiceSpec = "tcp/1024-65535".parse().unwrap();
        assert!(s.matches(Protocol::Tcp, 2000) && !s.matches(Protocol::Tcp, 80));
        assert!(!s.matches(Protocol::Udp, 2000));
        assert!("icmp/3".parse::<ServiceSpec>().is_err());
        assert!("all"
            .parse::<ServiceSpec>()
            .unwrap()
            .matches(Protocol::Udp, 1));
    }

    #[test]
    fn naa_scope_is_detected_and_checked() {
        let p = parse(
            br#"{"MatchPaths": [{"Source": {"ResourceStatement": {"ResourceTypes": ["AWS::EC2::InternetGateway"]}}}],
                 "ExcludePaths": [{"ThroughResources": [{"ResourceStatement": {"ResourceTypes": ["AWS::NetworkFirewall::Firewall"]}}]}]}"#,
            "dir/ingress.json",
        )
        .unwrap();
        let PolicyBody::Scope(s) = &p.body else {
            panic!("not a scope")
        };
        assert_eq!(s.name, "ingress");
        assert_eq!(s.exclude_paths.len(), 1);
        let e = parse(
            br#"{"MatchPaths": [{"Source": {"PacketHeaderStatement": {"SourcePorts": ["x"]}, "ResourceStatement": {"ResourceTypes": ["AWS::S3::Bucket"]}}}]}"#,
            "s.json",
        )
        .unwrap_err();
        assert_eq!(e.diagnostics.len(), 2, "{e}");
        let e = parse(br#"{"MatchPaths": [{"Sauce": {}}]}"#, "s.json").unwrap_err();
        assert!(e.diagnostics[0].message.contains("Sauce"), "{e}");
    }

    #[test]
    fn not_an_object_is_an_error() {
        for bad in [&b"[]"[..], b"42", b"", b"\x00\x01", b"{\"intents\": 3}"] {
            assert!(parse(bad, "p.json").is_err());
        }
    }
}
