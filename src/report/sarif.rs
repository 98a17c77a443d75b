//! SARIF 2.1.0 of a [`VerifyReport`] (hand-built with serde_json: the format is small
//! and fixed): one rule per intent kind, one result per listed violation (and one for
//! an intent that could not be checked), located at the line of the intent (for
//! scopes: of the matching `MatchPaths` entry) in the policy file. Traced violations
//! carry their hops as a code flow.
//!
//! Schema: <https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>.

use crate::analysis::verify::{flow_text, Status, VerifyReport};
use crate::model::policy::{IntentKind, Pos};
use serde_json::{json, Value};

const KINDS: &[(IntentKind, &str)] = &[
    (
        IntentKind::MustTraverse,
        "Every accepted path between the selectors passes the required inspection.",
    ),
    (IntentKind::Isolated, "No path from the sources to the destinations."),
    (
        IntentKind::Reachable,
        "The sources reach the destinations on the services, and the reply comes back.",
    ),
    (
        IntentKind::Symmetric,
        "The reply of every flow passes the same inspection endpoints as the request.",
    ),
    (
        IntentKind::NoExposure,
        "Nothing selected is reachable from the Internet except on the allowed services.",
    ),
    (
        IntentKind::NaaScope,
        "A Network Access Analyzer scope: paths matching MatchPaths and no ExcludePaths are findings.",
    ),
];

fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    p.strip_prefix("./").unwrap_or(&p).to_string()
}

fn location(file: &str, pos: Pos) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri(file)},
            "region": {"startLine": pos.line.max(1), "startColumn": pos.column.max(1)}
        }
    })
}

/// Render the report as SARIF 2.1.0.
pub fn sarif(r: &VerifyReport) -> String {
    let rules: Vec<Value> = KINDS
        .iter()
        .map(|(k, d)| {
            json!({
                "id": k.as_str(),
                "name": k.as_str(),
                "shortDescription": {"text": d},
                "defaultConfiguration": {"level": "error"}
            })
        })
        .collect();
    let rule_index = |k: IntentKind| KINDS.iter().position(|(x, _)| *x == k).unwrap_or(0);
    let mut results = Vec::new();
    for x in &r.results {
        let base = |text: String, pos: Pos| {
            json!({
                "ruleId": x.kind.as_str(),
                "ruleIndex": rule_index(x.kind),
                "level": "error",
                "message": {"text": text},
                "locations": [location(&x.policy, pos)],
                "properties": {"intent": x.name}
            })
        };
        if x.status == Status::Error {
            let msg = format!(
                "intent `{}` could not be checked: {}",
                x.name,
                x.error.as_deref().unwrap_or("")
            );
            results.push(base(msg, x.location));
            continue;
        }
        for v in &x.violations {
            let msg = format!(
                "`{}` ({}) violated: {} -> {}: {}: {}",
                x.name,
                x.kind.as_str(),
                v.from,
                v.to,
                flow_text(&v.flow),
                v.problem
            );
            let mut res = base(msg, v.location);
            res["partialFingerprints"] = json!({
                "lztwinFlow/v1": format!("{}|{}|{}|{}", x.name, v.from, v.to, flow_text(&v.flow))
            });
            if let Some(t) = &v.trace {
                let mut locs: Vec<Value> = t
                    .hops
                    .iter()
                    .map(|h| {
                        json!({"location": {"message": {"text": format!("{} {} {}: {}", h.kind, h.name, h.action, h.detail)}}})
                    })
                    .collect();
                locs.push(json!({"location": {"message": {"text": format!("verdict: {}{}", t.verdict.as_str(), t.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default())}}}));
                res["codeFlows"] = json!([{
                    "message": {"text": flow_text(&t.flow)},
                    "threadFlows": [{"locations": locs}]
                }]);
            }
            results.push(res);
        }
        if x.violation_count > x.violations.len() {
            let msg = format!(
                "`{}` ({}): {} more violating flows not listed (see lztwin verify --format json)",
                x.name,
                x.kind.as_str(),
                x.violation_count - x.violations.len()
            );
            results.push(base(msg, x.location));
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lztwin",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
