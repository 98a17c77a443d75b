//! JUnit XML of a [`VerifyReport`] (quick-junit): one test suite per policy file,
//! one test case per intent or scope; a failing case carries the counterexample.

use crate::analysis::verify::{counterexample_summary, flow_text, Status, VerifyReport};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;

/// Arrows as characters rather than `->` / `=>`: several JUnit readers mishandle the
/// `&gt;` entity in text (junit-parser drops it).
fn arrows(s: &str) -> String {
    s.replace("->", "\u{2192}").replace("=>", "\u{21d2}")
}

/// Render the report as JUnit XML.
pub fn junit(r: &VerifyReport) -> Result<String, String> {
    let mut report = Report::new("lztwin verify");
    // Suites in the order the policy files first appear.
    let mut order: Vec<&str> = Vec::new();
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for x in &r.results {
        let suite = suites.entry(x.policy.as_str()).or_insert_with(|| {
            order.push(x.policy.as_str());
            TestSuite::new(x.policy.clone())
        });
        let status = match x.status {
            Status::Holds => TestCaseStatus::success(),
            Status::Violated | Status::Error => {
                let kind = if x.status == Status::Error {
                    NonSuccessKind::Error
                } else {
                    NonSuccessKind::Failure
                };
                let mut s = TestCaseStatus::non_success(kind);
                s.set_message(arrows(&counterexample_summary(x)));
                s.set_type(x.kind.as_str());
                let mut body = format!(
                    "{} of {} flows violate `{}` ({}) at {}:{}\n",
                    x.violation_count,
                    x.flows_checked,
                    x.name,
                    x.kind.as_str(),
                    x.policy,
                    x.location
                );
                if let Some(e) = &x.error {
                    body.push_str(e);
                    body.push('\n');
                }
                for v in &x.violations {
                    body.push_str(&format!(
                        "{} -> {}: {}: {}\n",
                        v.from,
                        v.to,
                        flow_text(&v.flow),
                        v.problem
                    ));
                    if let Some(t) = &v.trace {
                        body.push_str(&super::verify::trace_text(t, "    "));
                    }
                }
                s.set_description(arrows(&body));
                s
            }
        };
        let mut case = TestCase::new(x.name.clone(), status);
        case.set_classname(format!("{}.{}", x.policy, x.kind.as_str()));
        case.set_assertions(x.flows_checked);
        suite.add_test_case(case);
    }
    for p in order {
        if let Some(s) = suites.remove(p) {
            report.add_test_suite(s);
        }
    }
    report.to_string().map_err(|e| e.to_string())
}
