//! JUnit XML for CI test reports (GitLab, Jenkins, GitHub test reporters): one test suite per
//! target, one test case per rule that ran on it. A case fails when one of its findings is at or
//! above `--fail-on`; `unknown` below the threshold is a skipped case; a `warn` below it passes
//! with the warning in its output.

use std::fmt::Write as _;

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use super::{trips, FailOn, Report};
use crate::rules::{Finding, Status};

fn describe(f: &Finding) -> String {
    let mut s = format!("[{}] ", f.status);
    if let Some(v) = &f.volume {
        let _ = write!(s, "volume {v}: ");
    }
    s.push_str(&f.message);
    if let Some(fix) = &f.fix {
        s.push_str("\nFix: ");
        s.push_str(fix);
    }
    s
}

/// Renders the report as JUnit XML.
pub fn render(report: &Report, fail_on: FailOn) -> Result<String, quick_junit::SerializeError> {
    let mut junit = JunitReport::new("efs-preflight");
    // Each target's findings, in report order: scanning every finding for every target and
    // rule would grow with the square of the estate.
    let mut by_target: Vec<Vec<&Finding>> = vec![Vec::new(); report.targets.len()];
    for f in &report.findings {
        if let Some(of_target) = by_target.get_mut(f.target) {
            of_target.push(f);
        }
    }
    for (index, (target, of_target)) in report.targets.iter().zip(&by_target).enumerate() {
        let label = target.label();
        let mut suite = TestSuite::new(format!("{} {label}", target.kind.as_str()));
        for rule in &report.rules {
            let mine: Vec<&Finding> = of_target
                .iter()
                .copied()
                .filter(|f| f.rule.id == rule.id)
                .collect();
            let name = format!("{} {}", rule.id, rule.name);
            let worst = mine.iter().map(|f| f.status).min();
            let status = match worst {
                Some(s) if trips(s, fail_on) => {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    let failing: Vec<String> = mine
                        .iter()
                        .filter(|f| trips(f.status, fail_on))
                        .map(|f| describe(f))
                        .collect();
                    st.set_message(
                        mine.iter()
                            .find(|f| trips(f.status, fail_on))
                            .map(|f| f.message.clone())
                            .unwrap_or_default(),
                    );
                    st.set_type(s.as_str());
                    st.set_description(failing.join("\n\n"));
                    st
                }
                Some(Status::Unknown) => {
                    let mut st = TestCaseStatus::skipped();
                    st.set_message(
                        mine.iter()
                            .find(|f| f.status == Status::Unknown)
                            .map(|f| f.message.clone())
                            .unwrap_or_default(),
                    );
                    st
                }
                _ => TestCaseStatus::success(),
            };
            let mut case = TestCase::new(name, status);
            case.set_classname(format!("efs-preflight.{}", label.replace('/', ".")));
            let out: Vec<String> = mine.iter().map(|f| describe(f)).collect();
            if !out.is_empty() {
                case.set_system_out(out.join("\n"));
            }
            suite.add_test_case(case);
        }
        let observed = super::observed::lines(report, index);
        if !observed.is_empty() {
            suite.set_system_out(observed.join("\n"));
        }
        junit.add_test_suite(suite);
    }
    let mut xml = junit.to_string()?;
    if !xml.ends_with('\n') {
        xml.push('\n');
    }
    Ok(xml)
}
