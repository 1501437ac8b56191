//! JUnit XML for CI test reports (GitLab, Jenkins, GitHub test reporters): one test suite per
//! target, one test case per rule that ran on it. A case fails when one of its findings is at or
//! above `--fail-on`; `unknown` below the threshold is a skipped case; a `warn` below it passes
//! with the warning in its output. A suppressed finding never fails a case: a case with only
//! suppressed findings is skipped with the reason.
//!
//! The XML is written as it is produced, in the layout of `quick-junit` (four-space indents,
//! text inline, strings cleaned of ANSI escapes and control characters as its `XmlString` does):
//! an audit has a test case per rule and service, and holding the whole document as a tree and
//! then a string cost several times the report itself. A unit test holds the output to
//! `quick-junit`'s byte for byte.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{trips, FailOn, Report};
use crate::rules::{Finding, Rule, Status};

fn describe(f: &Finding) -> String {
    let mut s = format!("[{}] ", f.status);
    if let Some(by) = &f.suppressed {
        let _ = write!(s, "(suppressed by {}: {}) ", by.by.as_str(), by.reason);
    }
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
pub fn render(report: &Report, fail_on: FailOn) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and the writer emits valid UTF-8.
    let _ = write(report, fail_on, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// What a test case reports.
enum Outcome<'a> {
    /// A finding at or above `--fail-on`: the worst status.
    Failure(Status),
    /// The first `unknown` finding below the threshold.
    Unknown,
    /// Only accepted findings (and passes): skipped with the reason.
    Accepted(&'a crate::rules::Suppression),
    Success,
}

/// The outcome of one rule's findings on one target.
fn outcome<'a>(mine: &[&'a Finding], fail_on: FailOn) -> Outcome<'a> {
    // Accepted (suppressed) findings never fail a case; a case with nothing else is skipped
    // with the reason.
    let worst = mine
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| f.status)
        .min();
    let accepted = mine.iter().find_map(|f| f.suppressed.as_deref());
    match (worst, accepted) {
        (Some(s), _) if trips(s, fail_on) => Outcome::Failure(s),
        (Some(Status::Unknown), _) => Outcome::Unknown,
        (None | Some(Status::Pass), Some(a)) => Outcome::Accepted(a),
        _ => Outcome::Success,
    }
}

/// Each target's findings, in report order: scanning every finding for every target and rule
/// would grow with the square of the estate.
fn by_target(report: &Report) -> Vec<Vec<&Finding>> {
    let mut by_target: Vec<Vec<&Finding>> = vec![Vec::new(); report.targets.len()];
    for f in &report.findings {
        if let Some(of_target) = by_target.get_mut(f.target) {
            of_target.push(f);
        }
    }
    by_target
}

/// A target's findings of one rule: a test case.
fn of_rule<'r>(of_target: &[&'r Finding], rule: &Rule) -> Vec<&'r Finding> {
    of_target
        .iter()
        .copied()
        .filter(|f| f.rule.id == rule.id)
        .collect()
}

/// Writes the report as JUnit XML to `out`.
pub fn write(report: &Report, fail_on: FailOn, out: impl Write) -> io::Result<()> {
    // The totals come first in the document: one pass to count, one to write.
    let by_target = by_target(report);
    let (mut tests, mut skipped, mut failures) = (0usize, 0usize, 0usize);
    for of_target in &by_target {
        for rule in &report.rules {
            let mine = of_rule(of_target, rule);
            tests += 1;
            match outcome(&mine, fail_on) {
                Outcome::Failure(_) => failures += 1,
                Outcome::Unknown | Outcome::Accepted(_) => skipped += 1,
                Outcome::Success => {}
            }
        }
    }
    let mut w = Xml::new(io::BufWriter::with_capacity(1 << 16, out));
    w.out
        .write_all(br#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    w.start(
        "testsuites",
        &[
            ("name", "efs-preflight"),
            ("tests", &tests.to_string()),
            ("skipped", &skipped.to_string()),
            ("failures", &failures.to_string()),
            ("errors", "0"),
        ],
    )?;
    for (index, (target, of_target)) in report.targets.iter().zip(&by_target).enumerate() {
        let label = target.label();
        let classname = format!("efs-preflight.{}", label.replace('/', "."));
        let cases: Vec<(&Rule, Vec<&Finding>, Outcome<'_>)> = report
            .rules
            .iter()
            .map(|rule| {
                let mine = of_rule(of_target, rule);
                let o = outcome(&mine, fail_on);
                (*rule, mine, o)
            })
            .collect();
        let count = |pick: fn(&Outcome<'_>) -> bool| cases.iter().filter(|c| pick(&c.2)).count();
        let suite_skipped = count(|o| matches!(o, Outcome::Unknown | Outcome::Accepted(_)));
        let suite_failures = count(|o| matches!(o, Outcome::Failure(_)));
        let observed = super::observed::lines(report, index);
        let suite_attributes = [
            ("name", format!("{} {label}", target.kind.as_str())),
            ("tests", cases.len().to_string()),
            ("skipped", suite_skipped.to_string()),
            ("errors", "0".to_owned()),
            ("failures", suite_failures.to_string()),
        ];
        let suite_attributes: Vec<(&str, &str)> = suite_attributes
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        if cases.is_empty() && observed.is_empty() {
            w.empty("testsuite", &suite_attributes)?;
            continue;
        }
        w.start("testsuite", &suite_attributes)?;
        for (rule, mine, outcome) in &cases {
            let name = format!("{} {}", rule.id, rule.name);
            let attributes = [("name", name.as_str()), ("classname", classname.as_str())];
            if mine.is_empty() && matches!(outcome, Outcome::Success) {
                w.empty("testcase", &attributes)?;
                continue;
            }
            w.start("testcase", &attributes)?;
            match outcome {
                Outcome::Failure(worst) => {
                    let failing = || {
                        mine.iter()
                            .filter(|f| f.suppressed.is_none() && trips(f.status, fail_on))
                    };
                    let message = failing().next().map_or("", |f| f.message.as_str());
                    w.start("failure", &[("message", message), ("type", worst.as_str())])?;
                    let description: Vec<String> = failing().map(|f| describe(f)).collect();
                    w.text(&description.join("\n\n"))?;
                    w.end("failure")?;
                }
                Outcome::Unknown => {
                    let message = mine
                        .iter()
                        .find(|f| f.suppressed.is_none() && f.status == Status::Unknown)
                        .map_or("", |f| f.message.as_str());
                    w.empty("skipped", &[("message", message)])?;
                }
                Outcome::Accepted(s) => {
                    let message = format!("suppressed ({}): {}", s.by.as_str(), s.reason);
                    w.empty("skipped", &[("message", &message)])?;
                }
                Outcome::Success => {}
            }
            if !mine.is_empty() {
                let out: Vec<String> = mine.iter().map(|f| describe(f)).collect();
                w.start("system-out", &[])?;
                w.text(&out.join("\n"))?;
                w.end("system-out")?;
            }
            w.end("testcase")?;
        }
        if !observed.is_empty() {
            w.start("system-out", &[])?;
            w.text(&observed.join("\n"))?;
            w.end("system-out")?;
        }
        w.end("testsuite")?;
    }
    w.end("testsuites")?;
    // The document ends with a line break.
    w.out.write_all(b"\n")?;
    w.out.flush()
}

/// An XML writer laid out as `quick-xml`'s indenting writer lays out what `quick-junit` gives
/// it: each tag on its own line, four spaces per level, except a closing tag right after text.
struct Xml<W: Write> {
    out: W,
    depth: usize,
    /// Whether the next tag starts a new line (not right after text).
    line_break: bool,
}

impl<W: Write> Xml<W> {
    fn new(out: W) -> Self {
        Self {
            out,
            depth: 0,
            line_break: true,
        }
    }

    fn open(&mut self, tag: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        if self.line_break {
            self.out.write_all(b"\n")?;
            for _ in 0..self.depth {
                self.out.write_all(b"    ")?;
            }
        }
        self.out.write_all(b"<")?;
        self.out.write_all(tag.as_bytes())?;
        for (key, value) in attributes {
            self.out.write_all(b" ")?;
            self.out.write_all(key.as_bytes())?;
            self.out.write_all(b"=\"")?;
            escape(&mut self.out, &clean(value))?;
            self.out.write_all(b"\"")?;
        }
        Ok(())
    }

    fn start(&mut self, tag: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.open(tag, attributes)?;
        self.out.write_all(b">")?;
        self.depth += 1;
        self.line_break = true;
        Ok(())
    }

    fn empty(&mut self, tag: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.open(tag, attributes)?;
        self.out.write_all(b"/>")?;
        self.line_break = true;
        Ok(())
    }

    fn end(&mut self, tag: &str) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.line_break {
            self.out.write_all(b"\n")?;
            for _ in 0..self.depth {
                self.out.write_all(b"    ")?;
            }
        }
        self.out.write_all(b"</")?;
        self.out.write_all(tag.as_bytes())?;
        self.out.write_all(b">")?;
        self.line_break = true;
        Ok(())
    }

    fn text(&mut self, text: &str) -> io::Result<()> {
        escape(&mut self.out, &clean(text))?;
        self.line_break = false;
        Ok(())
    }
}

/// The text as `quick_junit::XmlString` keeps it: without ANSI escapes and control characters.
/// Text without any control character (nearly all) is kept as it is, without a copy.
fn clean(text: &str) -> Cow<'_, str> {
    let plain = text
        .chars()
        .all(|c| c == '\n' || !(c.is_control() || c == '\u{7f}'));
    if plain {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(quick_junit::XmlString::new(text).into_string())
    }
}

/// Writes text with `<`, `>`, `&`, `'` and `"` escaped, as `quick-xml` escapes text and
/// attribute values.
fn escape(out: &mut impl Write, text: &str) -> io::Result<()> {
    let bytes = text.as_bytes();
    let mut from = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'&' => b"&amp;",
            b'\'' => b"&apos;",
            b'"' => b"&quot;",
            _ => continue,
        };
        out.write_all(&bytes[from..i])?;
        out.write_all(entity)?;
        from = i + 1;
    }
    out.write_all(&bytes[from..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Coverage, SourceInfo, TargetInfo};
    use crate::rules::{SuppressedBy, Suppression, ALL};
    use crate::target::TargetKind;
    use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

    /// The document as `quick-junit` builds and serializes it: the reference for [`write`].
    fn by_quick_junit(report: &Report, fail_on: FailOn) -> String {
        let mut junit = JunitReport::new("efs-preflight");
        let by_target = by_target(report);
        for (index, (target, of_target)) in report.targets.iter().zip(&by_target).enumerate() {
            let label = target.label();
            let mut suite = TestSuite::new(format!("{} {label}", target.kind.as_str()));
            for rule in &report.rules {
                let mine = of_rule(of_target, rule);
                let status = match outcome(&mine, fail_on) {
                    Outcome::Failure(s) => {
                        let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                        let failing: Vec<String> = mine
                            .iter()
                            .filter(|f| f.suppressed.is_none() && trips(f.status, fail_on))
                            .map(|f| describe(f))
                            .collect();
                        st.set_message(
                            mine.iter()
                                .find(|f| f.suppressed.is_none() && trips(f.status, fail_on))
                                .map(|f| f.message.clone())
                                .unwrap_or_default(),
                        );
                        st.set_type(s.as_str());
                        st.set_description(failing.join("\n\n"));
                        st
                    }
                    Outcome::Unknown => {
                        let mut st = TestCaseStatus::skipped();
                        st.set_message(
                            mine.iter()
                                .find(|f| f.suppressed.is_none() && f.status == Status::Unknown)
                                .map(|f| f.message.clone())
                                .unwrap_or_default(),
                        );
                        st
                    }
                    Outcome::Accepted(s) => {
                        let mut st = TestCaseStatus::skipped();
                        st.set_message(format!("suppressed ({}): {}", s.by.as_str(), s.reason));
                        st
                    }
                    Outcome::Success => TestCaseStatus::success(),
                };
                let mut case = TestCase::new(format!("{} {}", rule.id, rule.name), status);
                case.set_classname(format!("efs-preflight.{}", label.replace('/', ".")));
                let out: Vec<String> = mine.iter().map(|f| describe(f)).collect();
                if !out.is_empty() {
                    case.set_system_out(out.join("\n"));
                }
                suite.add_test_case(case);
            }
            let observed = crate::report::observed::lines(report, index);
            if !observed.is_empty() {
                suite.set_system_out(observed.join("\n"));
            }
            junit.add_test_suite(suite);
        }
        let mut xml = junit.to_string().expect("serializes");
        if !xml.ends_with('\n') {
            xml.push('\n');
        }
        xml
    }

    fn finding(rule: usize, status: Status, target: usize, message: &str) -> Finding {
        Finding {
            rule: ALL[rule],
            status,
            target,
            volume: rule.is_multiple_of(2).then(|| "data".to_owned()),
            resource: Some("sg-0123".to_owned()),
            message: message.to_owned(),
            fix: (status != Status::Pass).then(|| "aws ec2 authorize-security-group-ingress --group-id sg-0123 --protocol tcp --port 2049 --source-group sg-0456".to_owned()),
            suppressed: None,
        }
    }

    fn report(findings: Vec<Finding>, targets: usize) -> Report {
        Report {
            tool: "efs-preflight 0.1.0".to_owned(),
            source: SourceInfo::default(),
            targets: (0..targets)
                .map(|i| TargetInfo {
                    kind: TargetKind::Service,
                    cluster: i.is_multiple_of(2).then(|| "prod".to_owned()),
                    name: format!("web-{i} <&'\">"),
                    arn: None,
                    origin: None,
                    origin_line: None,
                    account: None,
                    region: None,
                    observed: None,
                    service: None,
                })
                .collect(),
            findings,
            rules: ALL[..6].to_vec(),
            coverage: Coverage::default(),
            estates: Vec::new(),
        }
    }

    #[test]
    fn output_matches_quick_junit_byte_for_byte() {
        let mut findings = vec![
            finding(0, Status::Pass, 0, "Fargate 1.4.0 supports EFS."),
            finding(
                1,
                Status::Fail,
                0,
                "Windows <containers> & 'quotes' \"here\".",
            ),
            finding(1, Status::Warn, 0, "second\nline\twith a tab"),
            finding(
                2,
                Status::Unknown,
                0,
                "Cannot decide: kms.Keys was not collected.",
            ),
            finding(
                3,
                Status::Warn,
                1,
                "escape \u{1b}[31mred\u{1b}[0m and \u{7} bell",
            ),
            finding(4, Status::Fail, 1, ""),
            finding(5, Status::Pass, 1, "ünïcödé ✓ \u{85} next line"),
        ];
        let mut accepted = finding(2, Status::Fail, 1, "accepted");
        accepted.suppressed = Some(Box::new(Suppression {
            by: SuppressedBy::Config,
            reason: "known & tracked".to_owned(),
        }));
        findings.push(accepted);
        findings.sort_by_key(|f| f.target);
        for targets in [0, 1, 2, 3] {
            let r = report(
                findings
                    .iter()
                    .filter(|f| f.target < targets)
                    .cloned()
                    .collect(),
                targets,
            );
            for fail_on in [FailOn::Error, FailOn::Warning, FailOn::Unknown] {
                assert_eq!(render(&r, fail_on), by_quick_junit(&r, fail_on));
            }
        }
        let mut no_rules = report(Vec::new(), 2);
        no_rules.rules.clear();
        assert_eq!(
            render(&no_rules, FailOn::Error),
            by_quick_junit(&no_rules, FailOn::Error)
        );
    }
}
