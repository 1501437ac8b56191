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
#[cfg(test)]
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
#[cfg(test)]
fn of_rule<'r>(of_target: &[&'r Finding], rule: &Rule) -> Vec<&'r Finding> {
    of_target
        .iter()
        .copied()
        .filter(|f| f.rule.id == rule.id)
        .collect()
}

/// Each target's findings sorted into test cases: one list per rule of the run (by id, as a
/// case holds every finding of its rule), in report order. The lists are kept from target to
/// target so that an audit's hundreds of thousands of findings cost no allocation each.
struct Cases<'r> {
    /// The position of each rule id among the run's rules (its first position).
    position: std::collections::HashMap<&'static str, usize>,
    /// Per rule of the run: the position of its id's list.
    list_of: Vec<usize>,
    lists: Vec<Vec<&'r Finding>>,
    /// Where each target's findings start in the report (findings are in target order); a
    /// target's findings anywhere else are still found.
    starts: Vec<usize>,
    sorted: bool,
}

impl<'r> Cases<'r> {
    fn new(report: &'r Report) -> Self {
        let mut position = std::collections::HashMap::with_capacity(report.rules.len());
        for (i, rule) in report.rules.iter().enumerate() {
            position.entry(rule.id).or_insert(i);
        }
        let list_of = report.rules.iter().map(|r| position[r.id]).collect();
        // One pass: where each target's findings start, and whether they are in order.
        let targets = report.targets.len();
        let mut starts: Vec<usize> = Vec::with_capacity(targets + 1);
        let mut sorted = true;
        let mut previous = 0;
        for (i, f) in report.findings.iter().enumerate() {
            if f.target < previous {
                sorted = false;
                break;
            }
            previous = f.target;
            while starts.len() <= f.target.min(targets) {
                starts.push(i);
            }
        }
        starts.resize(targets + 1, report.findings.len());
        Self {
            position,
            list_of,
            lists: vec![Vec::new(); report.rules.len()],
            starts,
            sorted,
        }
    }

    /// Sorts the findings of target `index` into the lists.
    fn fill(&mut self, report: &'r Report, index: usize) {
        for list in &mut self.lists {
            list.clear();
        }
        let findings: &'r [Finding] = if self.sorted {
            &report.findings[self.starts[index]..self.starts[index + 1]]
        } else {
            &report.findings
        };
        // A target's findings come rule after rule: the last rule's list is usually the one.
        let mut last: Option<(&'static Rule, Option<usize>)> = None;
        for f in findings.iter().filter(|f| f.target == index) {
            let slot = match last {
                Some((rule, slot)) if std::ptr::eq(rule, f.rule) => slot,
                _ => {
                    let found = self.position.get(f.rule.id).copied();
                    last = Some((f.rule, found));
                    found
                }
            };
            if let Some(slot) = slot {
                self.lists[slot].push(f);
            }
        }
    }

    /// The findings of the run's `rule`-th rule on the target last filled.
    fn of(&self, rule: usize) -> &[&'r Finding] {
        &self.lists[self.list_of[rule]]
    }
}

/// Writes the report as JUnit XML to `out`.
pub fn write(report: &Report, fail_on: FailOn, out: impl Write) -> io::Result<()> {
    // The totals come first in the document: one pass to count, one to write.
    let mut cases = Cases::new(report);
    let (mut tests, mut skipped, mut failures) = (0usize, 0usize, 0usize);
    for index in 0..report.targets.len() {
        cases.fill(report, index);
        for rule in 0..report.rules.len() {
            tests += 1;
            match outcome(cases.of(rule), fail_on) {
                Outcome::Failure(_) => failures += 1,
                Outcome::Unknown | Outcome::Accepted(_) => skipped += 1,
                Outcome::Success => {}
            }
        }
    }
    // Each rule's case name, cleaned and escaped once.
    let case_names: Vec<Vec<u8>> = report
        .rules
        .iter()
        .map(|rule| attribute(&format!("{} {}", rule.id, rule.name)))
        .collect();
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
    let mut outcomes: Vec<Outcome<'_>> = Vec::with_capacity(report.rules.len());
    for (index, target) in report.targets.iter().enumerate() {
        cases.fill(report, index);
        outcomes.clear();
        outcomes.extend((0..report.rules.len()).map(|rule| outcome(cases.of(rule), fail_on)));
        let label = target.label();
        let classname = attribute(&format!("efs-preflight.{}", label.replace('/', ".")));
        let count = |pick: fn(&Outcome<'_>) -> bool| outcomes.iter().filter(|o| pick(o)).count();
        let suite_skipped = count(|o| matches!(o, Outcome::Unknown | Outcome::Accepted(_)));
        let suite_failures = count(|o| matches!(o, Outcome::Failure(_)));
        let observed = super::observed::lines(report, index);
        let suite_attributes = [
            ("name", format!("{} {label}", target.kind.as_str())),
            ("tests", outcomes.len().to_string()),
            ("skipped", suite_skipped.to_string()),
            ("errors", "0".to_owned()),
            ("failures", suite_failures.to_string()),
        ];
        let suite_attributes: Vec<(&str, &str)> = suite_attributes
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        if outcomes.is_empty() && observed.is_empty() {
            w.empty("testsuite", &suite_attributes)?;
            continue;
        }
        w.start("testsuite", &suite_attributes)?;
        for (rule, outcome) in outcomes.iter().enumerate() {
            let mine = cases.of(rule);
            let attributes: [(&str, &[u8]); 2] =
                [("name", &case_names[rule]), ("classname", &classname)];
            if mine.is_empty() && matches!(outcome, Outcome::Success) {
                w.open_escaped("testcase", &attributes)?;
                w.close_empty()?;
                continue;
            }
            w.open_escaped("testcase", &attributes)?;
            w.close_start()?;
            match outcome {
                Outcome::Failure(worst) => {
                    let failing = || {
                        mine.iter()
                            .copied()
                            .filter(|f| f.suppressed.is_none() && trips(f.status, fail_on))
                    };
                    let message = failing().next().map_or("", |f| f.message.as_str());
                    w.start("failure", &[("message", message), ("type", worst.as_str())])?;
                    w.descriptions(failing, "\n\n")?;
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
                w.start("system-out", &[])?;
                w.descriptions(|| mine.iter().copied(), "\n")?;
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

/// An attribute value, cleaned and escaped.
fn attribute(value: &str) -> Vec<u8> {
    let mut b = Vec::with_capacity(value.len());
    // Writing to a Vec cannot fail.
    let _ = escape(&mut b, &clean(value));
    b
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
        self.open_tag(tag)?;
        for (key, value) in attributes {
            self.out.write_all(b" ")?;
            self.out.write_all(key.as_bytes())?;
            self.out.write_all(b"=\"")?;
            escape(&mut self.out, &clean(value))?;
            self.out.write_all(b"\"")?;
        }
        Ok(())
    }

    /// A tag opened with attribute values already cleaned and escaped.
    fn open_escaped(&mut self, tag: &str, attributes: &[(&str, &[u8])]) -> io::Result<()> {
        self.open_tag(tag)?;
        for (key, value) in attributes {
            self.out.write_all(b" ")?;
            self.out.write_all(key.as_bytes())?;
            self.out.write_all(b"=\"")?;
            self.out.write_all(value)?;
            self.out.write_all(b"\"")?;
        }
        Ok(())
    }

    /// Ends a tag opened by [`Xml::open_escaped`] as a start tag.
    fn close_start(&mut self) -> io::Result<()> {
        self.out.write_all(b">")?;
        self.depth += 1;
        self.line_break = true;
        Ok(())
    }

    /// Ends a tag opened by [`Xml::open_escaped`] as an empty element.
    fn close_empty(&mut self) -> io::Result<()> {
        self.out.write_all(b"/>")?;
        self.line_break = true;
        Ok(())
    }

    fn open_tag(&mut self, tag: &str) -> io::Result<()> {
        if self.line_break {
            self.out.write_all(b"\n")?;
            for _ in 0..self.depth {
                self.out.write_all(b"    ")?;
            }
        }
        self.out.write_all(b"<")?;
        self.out.write_all(tag.as_bytes())?;
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

    /// The text of the findings' descriptions joined by `separator`: written piece by piece
    /// when no piece holds a control character (nearly always), else joined and cleaned whole,
    /// as `quick-junit` cleans the text.
    fn descriptions<'f, I: Iterator<Item = &'f Finding>>(
        &mut self,
        findings: impl Fn() -> I,
        separator: &str,
    ) -> io::Result<()> {
        let plain = findings().all(|f| {
            is_plain(&f.message)
                && f.volume.as_deref().is_none_or(is_plain)
                && f.fix.as_deref().is_none_or(is_plain)
                && f.suppressed.as_ref().is_none_or(|s| is_plain(&s.reason))
        });
        if !plain {
            let text: Vec<String> = findings().map(describe).collect();
            return self.text(&text.join(separator));
        }
        for (i, f) in findings().enumerate() {
            if i > 0 {
                self.out.write_all(separator.as_bytes())?;
            }
            let out = &mut self.out;
            out.write_all(b"[")?;
            out.write_all(f.status.as_str().as_bytes())?;
            out.write_all(b"] ")?;
            if let Some(by) = &f.suppressed {
                out.write_all(b"(suppressed by ")?;
                out.write_all(by.by.as_str().as_bytes())?;
                out.write_all(b": ")?;
                escape(out, &by.reason)?;
                out.write_all(b") ")?;
            }
            if let Some(v) = &f.volume {
                out.write_all(b"volume ")?;
                escape(out, v)?;
                out.write_all(b": ")?;
            }
            escape(out, &f.message)?;
            if let Some(fix) = &f.fix {
                out.write_all(b"\nFix: ")?;
                escape(out, fix)?;
            }
        }
        self.line_break = false;
        Ok(())
    }
}

/// The text as `quick_junit::XmlString` keeps it: without ANSI escapes and control characters.
/// Text without any control character (nearly all) is kept as it is, without a copy.
fn clean(text: &str) -> Cow<'_, str> {
    if is_plain(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(quick_junit::XmlString::new(text).into_string())
    }
}

/// Whether text holds no control character but line breaks: no byte below 0x20 but `\n`, no
/// 0x7F, and no C1 control (U+0080 to U+009F, in UTF-8 0xC2 followed by 0x80 to 0x9F). Checked
/// 32 bytes at a time (the last block padded with spaces), which the compiler vectorizes.
fn is_plain(text: &str) -> bool {
    // Without short-circuits, so that the compiler vectorizes the block.
    #[allow(clippy::needless_bitwise_bool)]
    fn suspect(block: &[u8; 32]) -> bool {
        block.iter().fold(false, |any, &b| {
            any | ((b < 0x20) & (b != b'\n')) | (b == 0x7f) | (b == 0xc2)
        })
    }
    let bytes = text.as_bytes();
    let (blocks, rest) = bytes.as_chunks::<32>();
    let mut last = [b' '; 32];
    last[..rest.len()].copy_from_slice(rest);
    if !blocks.iter().any(suspect) && !suspect(&last) {
        return true;
    }
    // Something to look at: 0xC2 is also the lead byte of plain characters (U+00A0 to U+00BF).
    bytes.iter().enumerate().all(|(i, &b)| {
        !((b < 0x20 && b != b'\n')
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|&next| next < 0xa0)))
    })
}

/// Writes text with `<`, `>`, `&`, `'` and `"` escaped, as `quick-xml` escapes text and
/// attribute values. Blocks of 32 bytes without any of them are passed over at once (the
/// compiler vectorizes the test).
fn escape(out: &mut impl Write, text: &str) -> io::Result<()> {
    fn entity(b: u8) -> Option<&'static [u8]> {
        match b {
            b'<' => Some(b"&lt;"),
            b'>' => Some(b"&gt;"),
            b'&' => Some(b"&amp;"),
            b'\'' => Some(b"&apos;"),
            b'"' => Some(b"&quot;"),
            _ => None,
        }
    }
    // Without short-circuits, so that the compiler vectorizes the block.
    #[allow(clippy::needless_bitwise_bool)]
    fn plain(block: &[u8; 32]) -> bool {
        !block.iter().fold(false, |any, &b| {
            any | (b == b'<') | (b == b'>') | (b == b'&') | (b == b'\'') | (b == b'"')
        })
    }
    let bytes = text.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(block) = bytes
            .get(i..i + 32)
            .and_then(|b| <&[u8; 32]>::try_from(b).ok())
        {
            if plain(block) {
                i += 32;
                continue;
            }
        }
        if let Some(entity) = entity(bytes[i]) {
            out.write_all(&bytes[from..i])?;
            out.write_all(entity)?;
            from = i + 1;
        }
        i += 1;
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
    fn escapes_are_those_of_quick_xml() {
        for pad in [0, 5, 31, 32, 33, 64, 70] {
            let text = format!(
                "{}<a href='x'>&\"y\"</a>{}",
                "z".repeat(pad),
                "w".repeat(pad)
            );
            let mut ours = Vec::new();
            escape(&mut ours, &text).unwrap();
            let theirs = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('\'', "&apos;")
                .replace('"', "&quot;");
            assert_eq!(String::from_utf8(ours).unwrap(), theirs);
        }
    }

    #[test]
    fn plain_text_is_text_without_control_characters_but_line_breaks() {
        let by_chars = |t: &str| {
            t.chars()
                .all(|c| c == '\n' || !(c.is_control() || c == '\u{7f}'))
        };
        let mut samples: Vec<char> = (0..0x3000).filter_map(char::from_u32).collect();
        samples.extend(['\u{fffd}', '\u{1f600}', '\u{10ffff}']);
        for c in samples {
            // The character at every position of a 32-byte block and across two blocks.
            for pad in [0, 1, 30, 31, 32, 40] {
                let text = format!("{}{c}\u{a0}x", "a".repeat(pad));
                assert_eq!(is_plain(&text), by_chars(&text), "{c:?} after {pad}");
            }
        }
        assert!(is_plain(""));
        assert!(!is_plain(&format!("{}\u{85}", "é".repeat(20))));
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
            finding(5, Status::Warn, 2, "no\u{a0}break space, ¿qué? «ok»"),
        ];
        let mut fix_with_escape = finding(4, Status::Unknown, 2, "plain message");
        fix_with_escape.fix = Some("aws efs x \u{1b}[1mbold\u{1b}[0m".to_owned());
        findings.push(fix_with_escape);
        let mut reason_with_bell = finding(3, Status::Fail, 2, "accepted");
        reason_with_bell.suppressed = Some(Box::new(Suppression {
            by: SuppressedBy::Baseline,
            reason: "ring \u{7}".to_owned(),
        }));
        findings.push(reason_with_bell);
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
